#!/usr/bin/env bash
# Train the Rasa model when the config, domain, bot code or training data changed; print its path.
# Models are named after the hash of what they were trained from and kept outside the clone (like the
# virtualenvs), so an unchanged tree reuses one.
set -euo pipefail
cd "$(dirname "$0")/.."
# Rasa's telemetry and its Sentry error reports would send data about conversations off the machine.
export RASA_TELEMETRY_ENABLED=false
bot_env=$(scripts/venv.sh bot requirements/bot.lock 3.10)
hash=$( { cat requirements/bot.lock config.yml;
          find bot data -type f \( -name '*.yml' -o -name '*.py' \) | LC_ALL=C sort | xargs cat; } \
        | sha256sum | cut -c1-16)
models=${INB_CACHE:-$HOME/.cache/inburgering}/models
model="$models/$hash.tar.gz"
if [ ! -f "$model" ]; then
  echo "training the assistant's model ($hash) ..." >&2
  mkdir -p "$models"
  "$bot_env/bin/rasa" train --domain bot/domain --data data --config config.yml --out "$models" \
    --fixed-model-name "$hash" --quiet >&2 2> >(grep -v -e MovedIn20Warning -e declarative_base >&2)
fi
echo "$model"
