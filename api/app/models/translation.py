"""Translations of the assistant's messages with their review state (Weblate-style), and the glossary.

The Dutch source of every message lives in the Rasa domain; these rows hold one language's translation
of one message key. The PO files in locales/ are the exchange format (export/import keep the state).
"""

from datetime import datetime
from enum import IntEnum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.models.staff import StaffUser
from app.models.types import UTCDateTime, utcnow


class ReviewState(IntEnum):
    """Ordered and gapped (as in Weblate), so `state >= needs_review` means "translated"."""

    untranslated = 0
    rejected = 10
    needs_review = 20
    approved = 30


class TranslationUnit(Base):
    __tablename__ = "translation_units"
    __table_args__ = (UniqueConstraint("language", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(16), index=True)
    key: Mapped[str] = mapped_column(String(100))
    # The Dutch text this translation was made from; when the domain's text changes, approval lapses.
    source: Mapped[str] = mapped_column(Text)
    previous_source: Mapped[str | None] = mapped_column(Text)
    target: Mapped[str] = mapped_column(Text, default="")
    # The text as last written to / read from the PO file: import changes only what changed in the file.
    synced_target: Mapped[str | None] = mapped_column(Text)
    state: Mapped[int] = mapped_column(Integer, default=ReviewState.untranslated)
    note: Mapped[str] = mapped_column(Text, default="")  # the cultuurvertaler's cultural note
    reject_reason: Mapped[str | None] = mapped_column(Text)
    # Clients answering "I don't understand" right after this message; consultants' flags.
    not_understood: Mapped[int] = mapped_column(Integer, default=0)
    flags: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))

    updated_by: Mapped[StaffUser | None] = relationship()


class TranslationEvent(Base):
    """Append-only history of a unit: edits, approvals, rejections, comments, flags, imports."""

    __tablename__ = "translation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Index used by the history on the review page.
    unit_id: Mapped[int] = mapped_column(ForeignKey("translation_units.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    via: Mapped[str] = mapped_column(String(20))  # page, api, po-import, source-sync
    kind: Mapped[str] = mapped_column(String(20))  # edited, approved, rejected, comment, flagged, ...
    old_state: Mapped[int | None] = mapped_column(Integer)
    new_state: Mapped[int | None] = mapped_column(Integer)
    target: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[StaffUser | None] = relationship()


class GlossaryTerm(Base):
    """How a Dutch institutional term is kept and explained in one language; owned by cultuurvertalers."""

    __tablename__ = "glossary_terms"
    __table_args__ = (UniqueConstraint("language", "term"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(16), index=True)
    term: Mapped[str] = mapped_column(String(80))
    keep: Mapped[str] = mapped_column(String(80))  # the form that must appear in messages using the term
    explain: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
