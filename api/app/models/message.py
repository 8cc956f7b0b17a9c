from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.models.enums import Channel, Direction, MessageStatus
from app.models.types import UTCDateTime, str_enum, utcnow


class WhatsAppMessage(Base):
    """Every WhatsApp message in and out. Inbound rows are written before processing (at-least-once:
    a crash mid-way leaves a `received` row that is processed again); outbound rows are the outbox the
    sender works through, with retries, and then the delivery log."""

    __tablename__ = "whatsapp_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[Direction] = mapped_column(str_enum(Direction))
    # Twilio's MessageSid; unique, so a retried webhook is recognised.
    message_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Outbound: the sender's own key (inbound sid + reply number), so a re-run turn sends nothing twice.
    idempotency_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    num_media: Mapped[int] = mapped_column(Integer, default=0)
    media_kind: Mapped[str | None] = mapped_column(String(40))
    origin: Mapped[Channel] = mapped_column(str_enum(Channel), default=Channel.assistant)
    # Outbound from the assistant: the responses it holds (keys, space-separated: a turn's replies go as one
    # message where they fit) and its Dutch text, for the consultant who reads Dutch.
    response_key: Mapped[str | None] = mapped_column(Text)
    dutch: Mapped[str | None] = mapped_column(Text)
    handoff_id: Mapped[int | None] = mapped_column(ForeignKey("handoffs.id", ondelete="SET NULL"), index=True)
    # (status, next_attempt_at) serves the sender's "what is due" query.
    status: Mapped[MessageStatus] = mapped_column(str_enum(MessageStatus), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # While `sending`: the claiming sender's lease; after it any sender may queue the row again.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Inbound: the run of the turn whose replies count (a re-run of the same message by another replica or
    # the recovery sweep sends nothing, even when it would say something else).
    answered_by: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
