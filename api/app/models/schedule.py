from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.models.enums import LessonKind
from app.models.types import UTCDateTime, str_enum


class Group(Base):
    """A class at a school; clients see the lessons of the groups they are in."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeenten.id"), index=True)
    school: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(120))


class GroupMember(Base):
    __tablename__ = "group_members"

    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    # Indexed for "lessons of this client".
    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Lesson(Base):
    __tablename__ = "lessons"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="lesson_ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # (group_id, starts_at) serves "lessons of my groups in a date range".
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LessonKind] = mapped_column(str_enum(LessonKind))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    address: Mapped[str] = mapped_column(String(200))
    teacher: Mapped[str | None] = mapped_column(String(120))
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(String(500))

    group: Mapped[Group] = relationship()
