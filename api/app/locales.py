"""Catalog commands (run from api/):

  python -m app.locales import      locales/ -> database (three-way merge, keeps review state)
  python -m app.locales export      database -> locales/ (PO files with state, glossaries)
  python -m app.locales template    write locales/bot.pot from the domain
  python -m app.locales coverage    per language: approved / translated, high-impact messages sent in Dutch
  python -m app.locales check       run the checks on every translation; exit 1 if an approved one fails
  python -m app.locales safety      database -> bot/safety_lexicons/ (the reviewers' phrase changes)
"""

import argparse
import sys

from sqlalchemy.orm import Session

from app.db import get_engine
from app.models import ReviewState
from app.services import po_sync, safety_lexicon, translations
from app.services.catalog import cached_sources


def say(text: object) -> None:
    sys.stdout.write(f"{text}\n")


def coverage_table(session: Session) -> str:
    lines = [f"{'lang':<5} {'approved':>9} {'translated':>11}  high-impact sent in Dutch"]
    for row in translations.coverage(session):
        lines.append(f"{row.language:<5} {row.approved:>4}/{row.total:<4} {row.translated:>5}/{row.total:<5} "
                     f"{len(row.high_fallback):>3}: {' '.join(row.high_fallback[:6])}"
                     f"{' ...' if len(row.high_fallback) > 6 else ''}")
    return "\n".join(lines)


def check_all(session: Session) -> tuple[int, int]:
    """Returns (translations failing a check, approved ones among them)."""
    failing = approved = 0
    for language in translations.targets():
        for view in translations.list_units(session, language):
            if not view.unit.target:
                continue
            failed = translations.run_checks(session, language, view.source.text, view.unit.target)
            if failed:
                failing += 1
                approved += view.unit.state == ReviewState.approved
                say(f"{language} {view.unit.key}: " + " ".join(f.name for f in failed))
    return failing, approved


def main() -> None:
    parser = argparse.ArgumentParser(description="message catalog commands")
    parser.add_argument("command", choices=["import", "export", "template", "coverage", "check", "safety"])
    args = parser.parse_args()
    if args.command == "template":
        say(po_sync.write_template())
        return
    with Session(get_engine()) as session:
        if args.command == "import":
            report = po_sync.import_all(session)
            session.commit()
            say(f"imported: {report.created} new, {report.updated} updated, {report.unchanged} unchanged, "
                  f"{report.glossary_terms} glossary terms; conflicts (kept the database's text): "
                  f"{', '.join(report.conflicts) or 'none'}; unknown keys: {', '.join(report.unknown) or 'none'}")
        elif args.command == "export":
            paths = po_sync.export_all(session)
            po_sync.write_template()
            session.commit()
            say(f"exported {len(paths)} languages, {len(cached_sources())} messages each")
        elif args.command == "coverage":
            say(coverage_table(session))
        elif args.command == "check":
            failing, approved = check_all(session)
            say(f"{failing} translations fail a check ({approved} of them approved)")
            sys.exit(1 if approved else 0)
        elif args.command == "safety":
            changed = safety_lexicon.fold_into_files(session)
            say(f"safety lexicons written: {', '.join(changed) or 'none changed'}")


if __name__ == "__main__":
    main()
