"""Quality checks on a translation, as a translation platform runs them. A failing check blocks approval."""

import re
import unicodedata
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Bidi controls: embeddings/overrides close with PDF, isolates with PDI.
_OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
            "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}
_CLOSERS = {"\u202c", "\u2069"}
# A translation may be longer than the Dutch (explanations, scripts differ) but not wildly so.
MAX_LENGTH_RATIO = 2.5
MIN_LENGTH_FOR_RATIO = 12


@dataclass(frozen=True)
class CheckResult:
    name: str
    message: str  # shown on the review page


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _bidi_balanced(text: str) -> bool:
    stack: list[str] = []
    for ch in text:
        if ch in _OPENERS:
            stack.append(_OPENERS[ch])
        elif ch in _CLOSERS:
            if not stack or stack.pop() != ch:
                return False
        elif ch == "\n" and stack:  # bidi scopes end at a paragraph break; WhatsApp shows the rest garbled
            return False
    return not stack


def is_rtl(text: str) -> bool:
    """True when the first letter with a strong direction is right-to-left."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def run(source: str, target: str, *, rtl: bool, glossary: dict[str, str]) -> list[CheckResult]:
    """glossary: Dutch term -> the form that must appear in the translation when the source uses it."""
    failed: list[CheckResult] = []
    if not target.strip():
        return [CheckResult("empty", "The translation is empty.")]
    if placeholders(source) != placeholders(target):
        missing = sorted(set(placeholders(source)) - set(placeholders(target)))
        extra = sorted(set(placeholders(target)) - set(placeholders(source)))
        detail = "; ".join(part for part in (missing and "missing " + ", ".join(f"{{{m}}}" for m in missing),
                                             extra and "unknown " + ", ".join(f"{{{e}}}" for e in extra)) if part)
        failed.append(CheckResult("placeholders", f"Placeholders differ from the Dutch source ({detail or 'count'})."))
    for term, keep in glossary.items():
        if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", source, re.IGNORECASE) and keep.lower() not in target.lower():
            failed.append(CheckResult("glossary", f"Glossary term {term!r} must appear as {keep!r}."))
    if len(source) >= MIN_LENGTH_FOR_RATIO and len(target) > MAX_LENGTH_RATIO * len(source):
        failed.append(CheckResult("length", f"The translation is {len(target) / len(source):.1f} times as long as "
                                            f"the source (at most {MAX_LENGTH_RATIO})."))
    if not _bidi_balanced(target):
        failed.append(CheckResult("bidi", "Right-to-left markers are not closed (or closed without opening)."))
    if rtl and not any(is_rtl(ch) for ch in target):
        failed.append(CheckResult("script", "No right-to-left letters: is this the right language?"))
    return failed
