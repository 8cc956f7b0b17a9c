"""Pure text helpers shared by the channels, the NLU components and the action server (no Rasa imports)."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and direction marks, Arabic harakat and tatweel: dropped.
_DROP = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u064b-\u0652\u0670\u0640]")
# One form per Arabic letter family (keeps length, so entity offsets in training data still match).
_ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})


# Joiners that a script needs inside a word (Persian and Pashto write ZWNJ in words such as "می‌خواهم",
# emoji sequences use ZWJ); elsewhere they, like every other format character, only hide things.
_JOINERS = {"\u200c", "\u200d"}
_SURROGATE = re.compile("[\ud800-\udfff]")
COMMAND_PREFIX = "/"  # Rasa's "/intent{...}" syntax
DEFUSED_PREFIX = "\u2215"  # DIVISION SLASH: looks the same to the person, is no command to Rasa


def _visible(ch: str) -> bool:
    return not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc", "Zl", "Zp")


def clean(text: str) -> str:
    """What a channel does to a person's text before anything reads it: lone surrogates become U+FFFD,
    NFC, control characters (except newline and tab) and format characters (zero-width spaces, BOM, bidi
    controls, soft hyphens) go, and ZWNJ/ZWJ stay only between two visible characters."""
    text = _SURROGATE.sub("\ufffd", text)  # a JSON body may carry them; UTF-8 cannot, so they crash later
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    kept: list[str] = []
    for i, ch in enumerate(text):
        kind = unicodedata.category(ch)
        if kind == "Cc" and ch not in "\n\t":
            continue
        inside = bool(kept) and _visible(kept[-1]) and i + 1 < len(text) and _visible(text[i + 1])
        if kind == "Cf" and not (ch in _JOINERS and inside):
            continue
        kept.append(ch)
    return "".join(kept).strip()


def is_command(text: str) -> bool:
    """Would Rasa read this as "/intent"? Checked on the form the NLU sees (after `normalise`), since
    Rasa's command handler runs after our normaliser in the NLU graph."""
    return normalise(text).startswith(COMMAND_PREFIX)


def defuse(text: str) -> str:
    """A person's text that would be a Rasa command, made plain text (everything before the slash is
    invisible once normalised)."""
    if not is_command(text):
        return text
    return DEFUSED_PREFIX + text[text.index(COMMAND_PREFIX) + 1:]


def normalise(text: str) -> str:
    """What people type on phones varies in ways that do not change the meaning."""
    text = unicodedata.normalize("NFC", text)
    text = _DROP.sub("", text).translate(_ARABIC)
    # Turkish capital İ would lower-case to "i" plus a combining dot, splitting the word ("İntihar").
    return re.sub(r"\s+", " ", text.replace("İ", "i")).strip().lower()


def fold(text: str) -> str:
    """`normalise`, and Latin letters without their accents ("sınavı geçtim" -> "sinavi gectim"): many people
    type without them on a phone keyboard. Other scripts keep their marks (they are letters there)."""
    kept: list[str] = []
    for ch in unicodedata.normalize("NFD", normalise(text).replace("ı", "i")):
        if unicodedata.combining(ch) and kept and "LATIN" in unicodedata.name(kept[-1], ""):
            continue
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))
