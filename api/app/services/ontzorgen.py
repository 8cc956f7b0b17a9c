"""Ontzorgen: what the gemeente pays for a client, and the ledger of those payments."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Conflict, NotFound
from app.models import Client, OntzorgenArrangement, OntzorgenItem, OntzorgenPayment
from app.models.enums import PaymentStatus
from app.models.types import utcnow
from app.rules import ontzorgen_default_end, ontzorgen_eligible
from app.schemas.ontzorgen import (
    ArrangementCreate,
    ArrangementUpdate,
    ItemCreate,
    OntzorgenRead,
    PaymentCreate,
    PaymentRead,
    PaymentUpdate,
)
from app.services import audit
from app.services.access import Actor, check_client
from app.services.gemeenten import settings_of


def _arrangement(session: Session, client_id: int) -> OntzorgenArrangement | None:
    return session.scalar(select(OntzorgenArrangement).where(OntzorgenArrangement.client_id == client_id))


def _payment_read(p: OntzorgenPayment) -> PaymentRead:
    return PaymentRead(id=p.id, item_id=p.item_id, kind=p.item.kind, period=p.period, due_date=p.due_date,
                       amount_cents=p.amount_cents, status=p.status, paid_at=p.paid_at)


def overview(*, session: Session, actor: Actor, client: Client, today: date, months: int = 3) -> OntzorgenRead:
    arrangement = _arrangement(session, client.id)
    audit.record(session, actor=actor, action="read:ontzorgen", client_id=client.id)
    session.commit()
    eligible = ontzorgen_eligible(client.doelgroep)
    if arrangement is None:
        return OntzorgenRead(active=False, eligible=eligible)
    ends = arrangement.extended_until or arrangement.planned_end
    since = date(today.year, today.month, 1)
    for _ in range(months - 1):
        since = date(since.year - (since.month == 1), (since.month - 2) % 12 + 1, 1)
    payments = session.scalars(
        select(OntzorgenPayment).join(OntzorgenItem)
        .where(OntzorgenItem.arrangement_id == arrangement.id, OntzorgenPayment.period >= since)
        .order_by(OntzorgenPayment.period.desc(), OntzorgenItem.id)
    )
    return OntzorgenRead(
        active=arrangement.start_date <= today < ends, eligible=eligible,
        start_date=arrangement.start_date, planned_end=arrangement.planned_end,
        extended_until=arrangement.extended_until, ends=ends, run_by=arrangement.run_by,
        items=list(arrangement.items), recent_payments=[_payment_read(p) for p in payments],
    )


def create_arrangement(*, session: Session, actor: Actor, client_id: int,
                       data: ArrangementCreate) -> OntzorgenArrangement:
    client = check_client(actor, session.get(Client, client_id))
    if not ontzorgen_eligible(client.doelgroep):
        raise Conflict("ontzorgen is only for asielstatushouders")
    if _arrangement(session, client.id) is not None:
        raise Conflict("this client already has an ontzorgen arrangement")
    planned_end = data.planned_end or ontzorgen_default_end(data.start_date, settings_of(client.gemeente))
    if data.extended_until is not None and data.extended_until <= planned_end:
        raise Conflict("extended_until must be after planned_end")
    arrangement = OntzorgenArrangement(client_id=client.id, start_date=data.start_date, planned_end=planned_end,
                                       extended_until=data.extended_until, run_by=data.run_by)
    session.add(arrangement)
    audit.record(session, actor=actor, action="create:ontzorgen", client_id=client.id)
    session.commit()
    return arrangement


def _own_arrangement(session: Session, actor: Actor, client_id: int) -> OntzorgenArrangement:
    client = check_client(actor, session.get(Client, client_id))
    arrangement = _arrangement(session, client.id)
    if arrangement is None:
        raise NotFound("no ontzorgen arrangement for this client")
    return arrangement


def update_arrangement(*, session: Session, actor: Actor, client_id: int,
                       data: ArrangementUpdate) -> OntzorgenArrangement:
    arrangement = _own_arrangement(session, actor, client_id)
    changes = data.model_dump(exclude_unset=True)
    if "run_by" in changes and changes["run_by"] is None:
        raise Conflict("run_by cannot be empty")
    if "planned_end" in changes and changes["planned_end"] is None:
        raise Conflict("planned_end cannot be empty")
    planned_end = changes.get("planned_end", arrangement.planned_end)
    extended = changes.get("extended_until", arrangement.extended_until)
    if planned_end <= arrangement.start_date or (extended is not None and extended <= planned_end):
        raise Conflict("dates must be in order: start < planned_end < extended_until")
    for key, value in changes.items():
        setattr(arrangement, key, value)
    audit.record(session, actor=actor, action="update:ontzorgen", client_id=client_id)
    session.commit()
    return arrangement


def add_item(*, session: Session, actor: Actor, client_id: int, data: ItemCreate) -> OntzorgenItem:
    arrangement = _own_arrangement(session, actor, client_id)
    item = OntzorgenItem(arrangement_id=arrangement.id, **data.model_dump())
    session.add(item)
    audit.record(session, actor=actor, action="update:ontzorgen", client_id=client_id, detail="+item")
    session.commit()
    return item


def _item(session: Session, actor: Actor, client_id: int, item_id: int) -> OntzorgenItem:
    arrangement = _own_arrangement(session, actor, client_id)
    item = session.get(OntzorgenItem, item_id)
    if item is None or item.arrangement_id != arrangement.id:
        raise NotFound("item not found")
    return item


def add_payment(*, session: Session, actor: Actor, client_id: int, item_id: int,
                data: PaymentCreate) -> PaymentRead:
    item = _item(session, actor, client_id, item_id)
    period = data.period.replace(day=1)
    exists = session.scalar(select(OntzorgenPayment.id).where(OntzorgenPayment.item_id == item.id,
                                                              OntzorgenPayment.period == period))
    if exists is not None:
        raise Conflict("this month already has a payment for this item")
    payment = OntzorgenPayment(item_id=item.id, period=period, due_date=data.due_date,
                               amount_cents=data.amount_cents, status=data.status,
                               paid_at=utcnow() if data.status == PaymentStatus.paid else None)
    session.add(payment)
    audit.record(session, actor=actor, action="update:ontzorgen", client_id=client_id, detail="+payment")
    session.commit()
    return _payment_read(payment)


def update_payment(*, session: Session, actor: Actor, client_id: int, item_id: int, payment_id: int,
                   data: PaymentUpdate) -> PaymentRead:
    item = _item(session, actor, client_id, item_id)
    payment = session.get(OntzorgenPayment, payment_id)
    if payment is None or payment.item_id != item.id:
        raise NotFound("payment not found")
    payment.status = data.status
    payment.paid_at = utcnow() if data.status == PaymentStatus.paid else None
    audit.record(session, actor=actor, action="update:ontzorgen", client_id=client_id, detail="payment")
    session.commit()
    return _payment_read(payment)
