"""The review workflow of translations: the single writer of translation units, with their history.

States (ordered): untranslated < rejected < needs_review < approved. Only a cultuurvertaler for the
language edits, approves or rejects; a translation that fails a check cannot be approved; consultants
flag a message a client did not understand, which sends an approved translation back to review.
"""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import DomainError, Forbidden, NotFound
from app.models import GlossaryTerm, ReviewState, TranslationEvent, TranslationUnit
from app.models.enums import Role
from app.models.types import utcnow
from app.services import checks
from app.services.access import Actor, require_role
from app.services.catalog import Source, cached_sources
from app.services.languages import all_languages, targets
from app.services.nlg import usable  # the gate decides what falls back; one rule

MAX_TEXT = 4000


class CheckFailed(DomainError):
    status_code = 422


@dataclass
class UnitView:
    unit: TranslationUnit
    source: Source

    @property
    def outdated(self) -> bool:
        return self.unit.source != self.source.text

    @property
    def label(self) -> str:
        return ReviewState(self.unit.state).name.replace("_", " ")


@dataclass
class Coverage:
    language: str
    total: int
    translated: int
    approved: int
    high_fallback: list[str] = field(default_factory=list)  # high-impact keys still sent in Dutch

    @property
    def approved_share(self) -> float:
        return self.approved / self.total if self.total else 0.0

    @property
    def translated_share(self) -> float:
        return self.translated / self.total if self.total else 0.0


def check_language(language: str) -> None:
    if language not in targets():
        raise NotFound(f"no translations for language {language!r}")


def may_review(actor: Actor, language: str) -> bool:
    user = actor.user
    return user is not None and user.role == Role.cultuurvertaler and language in (user.languages or [])


def require_reviewer(actor: Actor, language: str) -> None:
    require_role(actor, Role.cultuurvertaler)
    if not may_review(actor, language):
        raise Forbidden("you do not review this language")


def visible_languages(actor: Actor) -> list[str]:
    """Cultuurvertalers see their own languages; consultants and admins see all (read-only)."""
    user = require_role(actor, Role.cultuurvertaler, Role.consultant, Role.admin)
    if user.role == Role.cultuurvertaler:
        return [code for code in targets() if code in (user.languages or [])]
    return targets()


def check_visible(actor: Actor, language: str) -> None:
    check_language(language)
    if language not in visible_languages(actor):
        raise Forbidden("you do not review this language")


def glossary(session: Session, language: str) -> list[GlossaryTerm]:
    return list(session.scalars(select(GlossaryTerm).where(GlossaryTerm.language == language)
                                .order_by(GlossaryTerm.term)))


def run_checks(session: Session, language: str, source: str, target: str) -> list[checks.CheckResult]:
    terms = {t.term: t.keep for t in glossary(session, language)}
    return checks.run(source, target, rtl=all_languages()[language].rtl, glossary=terms)


def ensure_units(session: Session, languages: list[str] | None = None) -> int:
    """A unit for every message in every language (untranslated until someone writes it)."""
    created = 0
    for language in languages or targets():
        have = set(session.scalars(select(TranslationUnit.key).where(TranslationUnit.language == language)))
        for source in cached_sources().values():
            if source.key not in have:
                session.add(TranslationUnit(language=language, key=source.key, source=source.text, target="",
                                            state=ReviewState.untranslated))
                created += 1
    session.flush()
    return created


def get_unit(session: Session, language: str, key: str) -> UnitView:
    check_language(language)
    source = cached_sources().get(key)
    if source is None:
        raise NotFound(f"no message {key!r}")
    unit = session.scalar(select(TranslationUnit).where(TranslationUnit.language == language,
                                                        TranslationUnit.key == key))
    if unit is None:
        ensure_units(session, [language])
        unit = session.scalars(select(TranslationUnit).where(TranslationUnit.language == language,
                                                             TranslationUnit.key == key)).one()
    return UnitView(unit=unit, source=source)


def list_units(session: Session, language: str, *, state: ReviewState | None = None, impact: str | None = None,
               sort: str = "key", query: str = "") -> list[UnitView]:
    check_language(language)
    ensure_units(session, [language])
    sources = cached_sources()
    units = session.scalars(select(TranslationUnit).where(TranslationUnit.language == language))
    views = [UnitView(unit=u, source=sources[u.key]) for u in units if u.key in sources]
    if state is not None:
        views = [v for v in views if v.unit.state == state]
    if impact:
        views = [v for v in views if v.source.impact == impact]
    if query:
        q = query.casefold()
        views = [v for v in views if q in v.unit.key.casefold() or q in v.source.text.casefold()
                 or q in v.unit.target.casefold()]
    order = {
        "not_understood": lambda v: (-v.unit.not_understood, -v.unit.flags, v.unit.key),
        "flags": lambda v: (-v.unit.flags, -v.unit.not_understood, v.unit.key),
        "updated": lambda v: (-v.unit.updated_at.timestamp(), v.unit.key),
    }.get(sort, lambda v: (v.source.topic, v.unit.key))
    return sorted(views, key=order)


def history(session: Session, unit: TranslationUnit) -> list[TranslationEvent]:
    return list(session.scalars(select(TranslationEvent).where(TranslationEvent.unit_id == unit.id)
                                .order_by(TranslationEvent.created_at.desc(), TranslationEvent.id.desc())))


def _record(session: Session, view: UnitView, actor: Actor | None, via: str, kind: str, *, old_state: int | None,
            comment: str | None = None) -> None:
    unit = view.unit
    session.add(TranslationEvent(unit_id=unit.id, actor_id=actor.user.id if actor and actor.user else None, via=via,
                                 kind=kind, old_state=old_state, new_state=unit.state, target=unit.target,
                                 comment=comment))
    if actor is not None and actor.user is not None:
        unit.updated_by_id = actor.user.id
    unit.updated_at = utcnow()
    session.flush()


def _clean(text: str, what: str) -> str:
    if "\x00" in text:
        raise DomainError(f"{what} contains a NUL character")
    if len(text) > MAX_TEXT:
        raise DomainError(f"{what} is longer than {MAX_TEXT} characters")
    return text.replace("\r\n", "\n").strip()


def edit(session: Session, actor: Actor, language: str, key: str, target: str, note: str | None = None,
         via: str = "page") -> UnitView:
    """A new text needs review again (an edit is never an approval)."""
    require_reviewer(actor, language)
    view = get_unit(session, language, key)
    unit, old = view.unit, view.unit.state
    target = _clean(target, "the translation")
    changed = target != unit.target or view.outdated
    if note is not None and _clean(note, "the note") != unit.note:
        unit.note = _clean(note, "the note")
        if not changed:
            _record(session, view, actor, via, "note", old_state=old, comment=unit.note)
    if changed:
        if view.outdated:
            unit.previous_source, unit.source = unit.source, view.source.text
        unit.target = target
        unit.state = ReviewState.needs_review if target else ReviewState.untranslated
        unit.reject_reason = None
        _record(session, view, actor, via, "edited", old_state=old)
    return view


def approve(session: Session, actor: Actor, language: str, key: str, via: str = "page") -> UnitView:
    require_reviewer(actor, language)
    view = get_unit(session, language, key)
    failed = run_checks(session, language, view.source.text, view.unit.target)
    if failed:
        raise CheckFailed("cannot approve: " + " ".join(f.message for f in failed))
    unit, old = view.unit, view.unit.state
    if view.outdated:  # approving says: right for the current Dutch text
        unit.previous_source, unit.source = unit.source, view.source.text
    unit.state = ReviewState.approved
    unit.reject_reason = None
    unit.flags = 0
    _record(session, view, actor, via, "approved", old_state=old)
    return view


def reject(session: Session, actor: Actor, language: str, key: str, reason: str, via: str = "page") -> UnitView:
    require_reviewer(actor, language)
    reason = _clean(reason, "the reason")
    if not reason:
        raise DomainError("say why the translation is rejected")
    view = get_unit(session, language, key)
    old = view.unit.state
    view.unit.state = ReviewState.rejected
    view.unit.reject_reason = reason
    _record(session, view, actor, via, "rejected", old_state=old, comment=reason)
    return view


def comment(session: Session, actor: Actor, language: str, key: str, text: str, via: str = "page") -> UnitView:
    check_visible(actor, language)
    text = _clean(text, "the comment")
    if not text:
        raise DomainError("the comment is empty")
    view = get_unit(session, language, key)
    session.add(TranslationEvent(unit_id=view.unit.id, actor_id=actor.user.id if actor.user else None, via=via,
                                 kind="comment", old_state=view.unit.state, new_state=view.unit.state, comment=text))
    session.flush()
    return view


def flag(session: Session, actor: Actor, language: str, key: str, note: str, handoff_id: int | None = None,
         via: str = "api") -> UnitView:
    """A consultant saw a client not understand this message: back to review."""
    require_role(actor, Role.consultant, Role.admin)
    view = get_unit(session, language, key)
    note = _clean(note, "the note")
    old = view.unit.state
    view.unit.flags += 1
    if view.unit.state == ReviewState.approved:
        view.unit.state = ReviewState.needs_review
    context = f"hand-off {handoff_id}: " if handoff_id else ""
    _record(session, view, actor, via, "flagged", old_state=old, comment=(context + note) or None)
    return view


def count_not_understood(session: Session, language: str, key: str) -> None:
    """The client said "I don't understand" right after this message (no history row: it is a counter)."""
    if language not in targets() or key not in cached_sources():
        return
    view = get_unit(session, language, key)
    view.unit.not_understood += 1
    session.flush()


def coverage(session: Session) -> list[Coverage]:
    sources = cached_sources()
    result = []
    for language in targets():
        ensure_units(session, [language])
        units = {u.key: u for u in session.scalars(select(TranslationUnit)
                                                   .where(TranslationUnit.language == language))}
        row = Coverage(language=language, total=len(sources), translated=0, approved=0)
        for key, source in sources.items():
            unit = units.get(key)
            if unit is not None and unit.target and unit.state >= ReviewState.needs_review:
                row.translated += 1
            if unit is not None and unit.state == ReviewState.approved and unit.source == source.text:
                row.approved += 1
            if source.impact == "high" and not usable(unit, source):
                row.high_fallback.append(key)
        result.append(row)
    return result


def save_glossary_term(session: Session, actor: Actor, language: str, term: str, keep: str, explain: str) -> None:
    require_reviewer(actor, language)
    term, keep, explain = _clean(term, "the term"), _clean(keep, "the kept form"), _clean(explain, "the explanation")
    if not term or not keep:
        raise DomainError("a glossary entry needs the Dutch term and the form to keep")
    row = session.scalar(select(GlossaryTerm).where(GlossaryTerm.language == language, GlossaryTerm.term == term))
    if row is None:
        row = GlossaryTerm(language=language, term=term, keep=keep, explain=explain)
        session.add(row)
    row.keep, row.explain = keep, explain
    row.updated_at = utcnow()
    row.updated_by_id = actor.user.id if actor.user else None
    session.flush()
