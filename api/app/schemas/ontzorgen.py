from datetime import date, datetime

from pydantic import Field, model_validator

from app.models.enums import OntzorgenItemKind, PaymentStatus
from app.schemas.common import Day, Read, Strict, Text


class ArrangementCreate(Strict):
    start_date: Day
    # Omitted: the gemeente's default length (settings.ontzorgen_months).
    planned_end: Day | None = None
    extended_until: Day | None = None
    run_by: Text(120)

    @model_validator(mode="after")
    def _dates_in_order(self) -> "ArrangementCreate":
        if self.planned_end is not None and self.planned_end <= self.start_date:
            raise ValueError("planned_end must be after start_date")
        if self.extended_until is not None and self.extended_until <= (self.planned_end or self.start_date):
            raise ValueError("extended_until must be after planned_end")
        return self


class ArrangementUpdate(Strict):
    planned_end: Day | None = None
    extended_until: Day | None = None
    run_by: Text(120) | None = None


class ItemCreate(Strict):
    kind: OntzorgenItemKind
    payee: Text(120)
    monthly_amount_cents: int = Field(ge=0, le=10_000_00)


class ItemRead(Read):
    id: int
    kind: OntzorgenItemKind
    payee: str
    monthly_amount_cents: int


class PaymentCreate(Strict):
    period: Day = Field(description="any day in the month paid for")
    due_date: Day
    amount_cents: int = Field(ge=0, le=10_000_00)
    status: PaymentStatus = PaymentStatus.scheduled


class PaymentUpdate(Strict):
    status: PaymentStatus


class PaymentRead(Read):
    id: int
    item_id: int
    kind: OntzorgenItemKind
    period: date
    due_date: date
    amount_cents: int
    status: PaymentStatus
    paid_at: datetime | None


class OntzorgenRead(Read):
    active: bool
    eligible: bool
    start_date: date | None = None
    planned_end: date | None = None
    extended_until: date | None = None
    ends: date | None = None
    run_by: str | None = None
    items: list[ItemRead] = []
    recent_payments: list[PaymentRead] = []
    source: str = "ontzorgen"
