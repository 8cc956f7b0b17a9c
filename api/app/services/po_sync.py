"""Exchange between the database and locales/: PO files per language and the glossary files.

The PO file carries the review state so git and tools like Poedit or Weblate stay in sync:
  approved       flag "approved"
  needs review   no flag
  rejected       flags "fuzzy, rejected", reason in a translator comment "Rejected: ..."
  untranslated   empty msgstr
  outdated       flag "fuzzy" with the Dutch text it was made from as previous msgid (#| msgid)
The cultural note is the translator comment. Import is a three-way merge on the text: a unit changes
only when its text changed in the file since the last sync; if it changed on the review pages as well,
the database wins and the key is reported as a conflict. A text changed in a file needs review again;
a file never approves a translation the database already holds with another text.
"""

from dataclasses import dataclass, field
from pathlib import Path

import polib
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import REPO_ROOT
from app.models import GlossaryTerm, ReviewState, TranslationEvent, TranslationUnit
from app.services.catalog import Source, cached_sources
from app.services.languages import all_languages, targets
from app.services.translations import ensure_units

LOCALES_DIR = REPO_ROOT / "locales"
_REJECTED = "Rejected: "


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # keys in the file that no longer exist
    glossary_terms: int = 0


def po_path(language: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / language / "LC_MESSAGES" / "bot.po"


def glossary_path(language: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / language / "glossary.yml"


def _state_of(entry: polib.POEntry) -> ReviewState:
    if not entry.msgstr.strip():
        return ReviewState.untranslated
    if "rejected" in entry.flags:
        return ReviewState.rejected
    if "approved" in entry.flags:
        return ReviewState.approved
    return ReviewState.needs_review


def _comments(entry: polib.POEntry) -> tuple[str, str | None]:
    note, reason = [], None
    for line in (entry.tcomment or "").splitlines():
        if line.startswith(_REJECTED):
            reason = line.removeprefix(_REJECTED)
        else:
            note.append(line)
    return "\n".join(note).strip(), reason


def import_language(session: Session, language: str, locales_dir: Path = LOCALES_DIR,
                    report: ImportReport | None = None) -> ImportReport:
    report = report or ImportReport()
    sources = cached_sources()
    ensure_units(session, [language])
    units = {u.key: u for u in session.scalars(select(TranslationUnit).where(TranslationUnit.language == language))}
    path = po_path(language, locales_dir)
    entries = [e for e in polib.pofile(str(path)) if e.msgctxt and not e.obsolete] if path.exists() else []
    for entry in entries:
        unit = units.get(entry.msgctxt)
        if unit is None or entry.msgctxt not in sources:
            report.unknown.append(entry.msgctxt)
            continue
        text = entry.msgstr.strip()
        made_from = entry.previous_msgid if "fuzzy" in entry.flags and entry.previous_msgid else entry.msgid
        note, reason = _comments(entry)
        fresh = unit.synced_target is None and unit.state == ReviewState.untranslated and not unit.target
        if fresh:  # first import: the file is the record, including approvals made before
            unit.target, unit.source, unit.state = text, made_from, _state_of(entry)
            unit.note, unit.reject_reason = note, reason
        elif text == (unit.synced_target or ""):
            report.unchanged += 1
            continue
        elif unit.target != (unit.synced_target or ""):
            report.conflicts.append(entry.msgctxt)
            continue
        else:
            old = unit.state
            unit.target, unit.source, unit.note = text, made_from, note or unit.note
            unit.state = min(_state_of(entry), ReviewState.needs_review) if text else ReviewState.untranslated
            unit.reject_reason = reason if unit.state == ReviewState.rejected else None
            session.add(TranslationEvent(unit_id=unit.id, via="po-import", kind="edited", old_state=old,
                                         new_state=unit.state, target=text))
        unit.synced_target = text
        if fresh:
            report.created += 1
            session.add(TranslationEvent(unit_id=unit.id, via="po-import", kind="imported", old_state=None,
                                         new_state=unit.state, target=text))
        else:
            report.updated += 1
    report.glossary_terms += _import_glossary(session, language, locales_dir)
    session.flush()
    return report


def _import_glossary(session: Session, language: str, locales_dir: Path) -> int:
    """Terms edited on the review pages (updated_by set) are kept; the rest follow the file."""
    path = glossary_path(language, locales_dir)
    if not path.exists():
        return 0
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    have = {t.term: t for t in session.scalars(select(GlossaryTerm).where(GlossaryTerm.language == language))}
    count = 0
    for term, spec in data.items():
        row = have.get(term)
        if row is None:
            session.add(GlossaryTerm(language=language, term=term, keep=spec.get("keep", term),
                                     explain=spec.get("explain", "")))
        elif row.updated_by_id is None:
            row.keep, row.explain = spec.get("keep", term), spec.get("explain", "")
        count += 1
    return count


def import_all(session: Session, locales_dir: Path = LOCALES_DIR) -> ImportReport:
    report = ImportReport()
    for language in targets():
        import_language(session, language, locales_dir, report)
    return report


def _entry(source: Source, unit: TranslationUnit) -> polib.POEntry:
    entry = polib.POEntry(msgctxt=source.key, msgid=source.text, msgstr=unit.target,
                          occurrences=[(f"bot/domain/{source.topic}.yml", "")],
                          comment=f"impact: {source.impact}")
    flags = []
    if unit.target and unit.state == ReviewState.approved:
        flags.append("approved")
    if unit.target and unit.state == ReviewState.rejected:
        flags += ["fuzzy", "rejected"]
    if unit.target and unit.source != source.text:
        entry.previous_msgid = unit.source
        if "fuzzy" not in flags:
            flags.append("fuzzy")
    entry.flags = flags
    lines = [unit.note] if unit.note else []
    if unit.state == ReviewState.rejected and unit.reject_reason:
        lines.append(_REJECTED + unit.reject_reason.replace("\n", " "))
    entry.tcomment = "\n".join(lines)
    return entry


def export_language(session: Session, language: str, locales_dir: Path = LOCALES_DIR) -> Path:
    ensure_units(session, [language])
    units = {u.key: u for u in session.scalars(select(TranslationUnit).where(TranslationUnit.language == language))}
    po = polib.POFile(wrapwidth=100)
    po.header = f"{all_languages()[language].name} ({language}) translation of the inburgering assistant."
    po.metadata = {"Language": language, "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit"}
    for source in cached_sources().values():
        unit = units[source.key]
        po.append(_entry(source, unit))
        unit.synced_target = unit.target
    path = po_path(language, locales_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    terms = session.scalars(select(GlossaryTerm).where(GlossaryTerm.language == language).order_by(GlossaryTerm.term))
    data = {t.term: {"keep": t.keep, "explain": t.explain} for t in terms}
    if data:
        header = (f"# {all_languages()[language].name} ({language}) glossary: how Dutch inburgering terms are "
                  "written and explained.\n# keep: the form used in messages; explain: short plain explanation. "
                  "Edited on the review pages.\n")
        glossary_path(language, locales_dir).write_text(
            header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8")
    session.flush()
    return path


def export_all(session: Session, locales_dir: Path = LOCALES_DIR) -> list[Path]:
    return [export_language(session, language, locales_dir) for language in targets()]


def write_template(locales_dir: Path = LOCALES_DIR) -> Path:
    """locales/bot.pot: what translators of a new language start from."""
    pot = polib.POFile(wrapwidth=100)
    pot.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "nl"}
    for source in cached_sources().values():
        pot.append(polib.POEntry(msgctxt=source.key, msgid=source.text, msgstr="", comment=f"impact: {source.impact}",
                                 occurrences=[(f"bot/domain/{source.topic}.yml", "")]))
    path = locales_dir / "bot.pot"
    pot.save(str(path))
    return path
