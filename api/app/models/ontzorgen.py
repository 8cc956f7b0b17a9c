from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.models.enums import OntzorgenItemKind, PaymentStatus
from app.models.types import UTCDateTime, str_enum


class OntzorgenArrangement(Base):
    """The gemeente pays fixed costs from the benefit for a while (one arrangement per client)."""

    __tablename__ = "ontzorgen_arrangements"
    __table_args__ = (CheckConstraint("planned_end > start_date", name="ontzorgen_end_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), unique=True)
    start_date: Mapped[date] = mapped_column(Date)
    planned_end: Mapped[date] = mapped_column(Date)
    extended_until: Mapped[date | None] = mapped_column(Date)
    run_by: Mapped[str] = mapped_column(String(120))

    items: Mapped[list["OntzorgenItem"]] = relationship(
        back_populates="arrangement", cascade="all, delete-orphan", order_by="OntzorgenItem.id"
    )


class OntzorgenItem(Base):
    __tablename__ = "ontzorgen_items"
    __table_args__ = (CheckConstraint("monthly_amount_cents >= 0", name="item_amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    arrangement_id: Mapped[int] = mapped_column(
        ForeignKey("ontzorgen_arrangements.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[OntzorgenItemKind] = mapped_column(str_enum(OntzorgenItemKind))
    payee: Mapped[str] = mapped_column(String(120))
    monthly_amount_cents: Mapped[int] = mapped_column(Integer)

    arrangement: Mapped[OntzorgenArrangement] = relationship(back_populates="items")


class OntzorgenPayment(Base):
    """One month's payment of one item: the ledger behind "is my rent paid?"."""

    __tablename__ = "ontzorgen_payments"
    __table_args__ = (
        UniqueConstraint("item_id", "period", name="one_payment_per_item_per_month"),
        CheckConstraint("amount_cents >= 0", name="payment_amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("ontzorgen_items.id", ondelete="CASCADE"), index=True)
    period: Mapped[date] = mapped_column(Date)  # first day of the month paid for
    due_date: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Integer)
    status: Mapped[PaymentStatus] = mapped_column(str_enum(PaymentStatus), default=PaymentStatus.scheduled)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    item: Mapped[OntzorgenItem] = relationship()
