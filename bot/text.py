"""Pure text helpers shared by the NLU components and the action server (no Rasa imports)."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and direction marks, Arabic harakat and tatweel: dropped.
_DROP = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u064b-\u0652\u0670\u0640]")
# One form per Arabic letter family (keeps length, so entity offsets in training data still match).
_ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})


def normalise(text: str) -> str:
    """What people type on phones varies in ways that do not change the meaning."""
    text = unicodedata.normalize("NFC", text)
    text = _DROP.sub("", text).translate(_ARABIC)
    return re.sub(r"\s+", " ", text).strip().lower()
