"""The safety lexicons on the review pages: reviewers read them, add phrases and take phrases out.

The files (bot/safety_lexicons/<code>.yml) are the base; a change is a row (SafetyPhrase) laid over them by
the detector (bot.safety.effective), in the API's thread check and in every Rasa replica (bot.safety_changes),
within seconds and without retraining. Adding a phrase only sends more messages to a person, so a reviewer of
the language adds at once; taking one out can let a cry for help through, so it needs a reason, and both are
audited and can be undone. Who may change a language: its cultuurvertalers, consultants for Dutch (the words
they see in their clients' messages) and admins. Everyone of those roles may read every lexicon.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import DomainError, Forbidden, NotFound
from app.models import SafetyPhrase
from app.models.enums import Role
from app.models.types import utcnow
from app.services import audit
from app.services.access import Actor, require_role
from bot import safety
from bot.safety_model import load_examples

MAX_WORDS = 8
MIN_LETTERS = 3  # a phrase of one or two letters would fire on nearly every message
SHOWN = 5  # harmless examples a trial shows
log = logging.getLogger("inburgering.safety")


@dataclass(frozen=True)
class Row:
    level: str
    safety_class: str
    phrase: str
    added: SafetyPhrase | None = None  # added on the pages (else: from the file)
    removed: SafetyPhrase | None = None  # taken out on the pages


@dataclass(frozen=True)
class Trial:
    """What a phrase fires on in the safety classifier's data (synthetic messages, no personal data)."""

    phrase: str
    safety: int
    safety_total: int
    harmless: list[str]
    harmless_count: int
    harmless_total: int


def languages() -> list[str]:
    return sorted(safety.lexicons())


def check_language(language: str) -> None:
    if language not in safety.lexicons():
        raise NotFound(f"no safety lexicon for language {language!r}")


def check_visible(actor: Actor) -> None:
    require_role(actor, Role.cultuurvertaler, Role.consultant, Role.admin)


def may_edit(actor: Actor, language: str) -> bool:
    user = actor.user
    if user is None:
        return False
    return (user.role == Role.admin or (user.role == Role.consultant and language == "nl")
            or (user.role == Role.cultuurvertaler and language in (user.languages or [])))


def _require_editor(actor: Actor, language: str) -> None:
    check_visible(actor)
    check_language(language)
    if not may_edit(actor, language):
        raise Forbidden("you do not edit this language's safety lexicon")


def changes(session: Session) -> tuple[safety.Change, ...]:
    """The active changes in the order they were made, for bot.safety.detect."""
    rows = session.scalars(select(SafetyPhrase).where(SafetyPhrase.active.is_(True)).order_by(SafetyPhrase.id))
    return tuple(safety.Change(r.language, r.level, r.safety_class, r.phrase, r.removed) for r in rows)


def fold_into_files(session: Session, folder: Path = safety.LEXICONS) -> list[str]:
    """Write the active changes into the lexicon files (to be committed, so they are reviewed like code and
    survive a new database); the languages whose file changed. The change rows stay: laid over the new
    files they change nothing."""
    found = changes(session)
    return [path.stem for path in sorted(folder.glob("*.yml")) if safety.fold_changes(path, found)]


def sure_hits(session: Session, text: str) -> list[safety.Hit]:
    """The safety layer's sure hits on a message the API handles itself (a hand-off's thread, a message the
    assistant could not process), with the reviewers' changes laid over the lexicons. A detector failure
    gives none, logged without the text: the caller's message matters more than the verdict."""
    try:
        return [h for h in safety.detect(text, changes=changes(session)) if h.level == "sure"]
    except Exception as exc:  # noqa: BLE001 - any detector failure
        log.warning("safety check of a message failed: %s", type(exc).__name__)
        return []


def view(session: Session, language: str) -> list[Row]:
    """Every phrase of the language, file and pages together, taken-out ones included (marked)."""
    check_language(language)
    rows: dict[tuple[str, str, str], Row] = {}
    for level, classes in safety.lexicons()[language].items():
        for cls, phrases in classes.items():
            for p in phrases:
                rows.setdefault((level, cls, safety.key(p.text)), Row(level, cls, p.text))
    active = session.scalars(select(SafetyPhrase).where(SafetyPhrase.language == language,
                                                        SafetyPhrase.active.is_(True)).order_by(SafetyPhrase.id))
    for change in active:
        at = (change.level, change.safety_class, safety.key(change.phrase))
        known = rows.get(at)
        if change.removed:
            rows[at] = Row(*at[:2], known.phrase if known else change.phrase, removed=change)
        else:
            rows[at] = Row(*at[:2], change.phrase, added=change)
    order = {level: i for i, level in enumerate(safety.LEVELS)}
    return sorted(rows.values(), key=lambda r: (order[r.level], safety.CLASSES.index(r.safety_class),
                                                safety.key(r.phrase)))


def history(session: Session, language: str, limit: int = 50) -> list[SafetyPhrase]:
    return list(session.scalars(select(SafetyPhrase).where(SafetyPhrase.language == language)
                                .order_by(SafetyPhrase.id.desc()).limit(limit)))


def clean_phrase(phrase: str) -> str:
    """A phrase as typed, checked: words with letters, not too short or long (DomainError says why)."""
    text = " ".join(phrase.replace("\x00", "").split())
    if len(text) > 200:
        raise DomainError("a phrase is at most 200 characters")
    words = safety.key(text).split()
    if not words or any(not w.strip("*") for w in words):
        raise DomainError("a phrase needs words (a * only at the start or end of a word)")
    if len(words) > MAX_WORDS:
        raise DomainError(f"a phrase has at most {MAX_WORDS} words")
    if sum(ch.isalnum() for w in words for ch in w) < MIN_LETTERS:
        raise DomainError(f"a phrase needs at least {MIN_LETTERS} letters")
    return text


def _check_choice(level: str, safety_class: str) -> None:
    if level not in safety.LEVELS or safety_class not in safety.CLASSES:
        raise DomainError("choose a level (sure, ask) and a safety class")


def _active_change(session: Session, language: str, level: str, safety_class: str,
                   phrase: str) -> SafetyPhrase | None:
    wanted = safety.key(phrase)
    rows = session.scalars(select(SafetyPhrase).where(
        SafetyPhrase.language == language, SafetyPhrase.level == level, SafetyPhrase.safety_class == safety_class,
        SafetyPhrase.active.is_(True)))
    return next((r for r in rows if safety.key(r.phrase) == wanted), None)


def _in_lexicon(session: Session, language: str, level: str, safety_class: str, phrase: str) -> bool:
    phrases = safety.effective(changes(session))[language][level][safety_class]
    return any(safety.key(p.text) == safety.key(phrase) for p in phrases)


def add(session: Session, actor: Actor, language: str, level: str, safety_class: str, phrase: str,
        note: str = "") -> SafetyPhrase:
    _require_editor(actor, language)
    _check_choice(level, safety_class)
    phrase = clean_phrase(phrase)
    if _in_lexicon(session, language, level, safety_class, phrase):
        raise DomainError("this phrase is already in the lexicon")
    taken_out = _active_change(session, language, level, safety_class, phrase)
    if taken_out is not None:  # adding back what was taken out on the pages: undo that
        return undo(session, actor, taken_out.id)
    row = SafetyPhrase(language=language, level=level, safety_class=safety_class, phrase=phrase, removed=False,
                       note=note.strip()[:2000], created_by_id=actor.user.id if actor.user else None)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="safety_lexicon:add", client_id=None,
                 detail=f"{language} {level} {safety_class}: {phrase}")
    return row


def remove(session: Session, actor: Actor, language: str, level: str, safety_class: str, phrase: str,
           reason: str) -> SafetyPhrase:
    _require_editor(actor, language)
    _check_choice(level, safety_class)
    if not reason.strip():
        raise DomainError("say why the phrase goes: taking one out can let a cry for help through")
    if not _in_lexicon(session, language, level, safety_class, phrase):
        raise NotFound("this phrase is not in the lexicon")
    added = _active_change(session, language, level, safety_class, phrase)
    if added is not None:  # added on the pages: undo the addition
        return undo(session, actor, added.id)
    row = SafetyPhrase(language=language, level=level, safety_class=safety_class, phrase=phrase.strip()[:200],
                       removed=True, note=reason.strip()[:2000], created_by_id=actor.user.id if actor.user else None)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="safety_lexicon:remove", client_id=None,
                 detail=f"{language} {level} {safety_class}: {row.phrase}")
    return row


def undo(session: Session, actor: Actor, change_id: int) -> SafetyPhrase:
    row = session.get(SafetyPhrase, change_id)
    if row is None or not row.active:
        raise NotFound("no such change")
    _require_editor(actor, row.language)
    row.active, row.undone_at = False, utcnow()
    row.undone_by_id = actor.user.id if actor.user else None
    session.flush()
    audit.record(session, actor=actor, action="safety_lexicon:undo", client_id=None,
                 detail=f"{row.language} {row.level} {row.safety_class}: {'removal' if row.removed else 'addition'}"
                        f" of {row.phrase}")
    return row


@cache
def _data() -> tuple[tuple[str, str], ...]:
    return tuple(load_examples())


def trial(phrase: str) -> Trial:
    """Try a phrase before adding it: how many safety messages and which harmless ones it fires on."""
    phrase = clean_phrase(phrase)
    data = _data()
    harmless = [t for t, c in data if c == "none" and safety.matches(phrase, t)]
    hits = sum(1 for t, c in data if c != "none" and safety.matches(phrase, t))
    return Trial(phrase, hits, sum(1 for _, c in data if c != "none"), harmless[:SHOWN], len(harmless),
                 sum(1 for _, c in data if c == "none"))
