"""`rasa data validate` over the domain, training data and config."""

import os
import subprocess

from conftest import REPO


def test_rasa_data_validate() -> None:
    bot_env = os.environ["INB_BOT_ENV"]
    result = subprocess.run([f"{bot_env}/bin/rasa", "data", "validate", "--domain", "bot/domain", "--data", "data",
                             "--config", "config.yml"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # Accepted warnings: responses sent from custom actions (not from rules), and the intents given
    # without training examples, by bot.nlu.shortcuts, bot.nlu.safety or (media_message) the WhatsApp channel.
    shortcut_intents = ("'empty_message'", "'menu_choice'", "'provide_code'", "'media_message'", "'safety_case'")
    noise = [line for line in (result.stdout + result.stderr).splitlines()
             if "UserWarning" in line and "is not used in any story or rule" not in line
             and not any(f"intent {i} is listed in the domain" in line for i in shortcut_intents)
             and "declarative_base" not in line and "MovedIn20Warning" not in line]
    assert noise == [], noise
