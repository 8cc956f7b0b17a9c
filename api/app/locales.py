"""Catalog commands.  python -m app.locales template   (write locales/bot.pot from the domain)"""

import argparse

from app.services.catalog import LOCALES_DIR, load_sources, write_template


def main() -> None:
    parser = argparse.ArgumentParser(description="message catalog commands")
    parser.add_argument("command", choices=["template"])
    args = parser.parse_args()
    if args.command == "template":
        write_template(LOCALES_DIR / "bot.pot", load_sources())


if __name__ == "__main__":
    main()
