"""The demo region is deterministic, covers what the demo needs, and is synthetic."""

from datetime import date

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from app import demo
from app.db import Base
from app.models import Client, Gemeente, Lesson, OntzorgenPayment


def _snapshot(day: date) -> list[tuple[object, ...]]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        demo.load(session, day=day)
        rows = session.execute(select(Client.first_name, Client.last_name, Client.whatsapp, Client.leerroute,
                                      Client.pip_date, Client.preferred_language).order_by(Client.id)).all()
        return [tuple(r) for r in rows]


def test_same_day_same_data() -> None:
    assert _snapshot(date(2026, 11, 23)) == _snapshot(date(2026, 11, 23))


def test_demo_covers_languages_routes_and_gemeenten(db: Session) -> None:
    counts = demo.load(db, day=date(2026, 11, 23))
    assert counts["gemeenten"] == 3
    assert 45 <= counts["clients"] <= 60
    languages = set(db.scalars(select(Client.preferred_language)))
    assert languages == set(demo.LANGUAGES)
    routes = {r for r in db.scalars(select(Client.leerroute))}
    assert {"b1", "onderwijs", "z"} <= {str(r) for r in routes}
    assert {str(d) for d in db.scalars(select(Client.doelgroep))} == {"asielstatushouder", "gezinsmigrant"}
    titles = {g.settings["consultant_title"] for g in db.scalars(select(Gemeente))}
    assert len(titles) == 3  # what the consultant is called differs per gemeente
    assert db.scalar(select(func.count()).select_from(Lesson)) > 100
    statuses = {str(s) for s in db.scalars(select(OntzorgenPayment.status))}
    assert {"paid", "scheduled"} <= statuses or {"paid", "failed"} <= statuses
    # synthetic: every number is in the demo block, every e-mail on .example
    assert all(p.startswith("+3161000") for p in db.scalars(select(Client.whatsapp)))
    assert all(g.settings["email"].endswith(".example") for g in db.scalars(select(Gemeente)))
