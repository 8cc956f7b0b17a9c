"""Deterministic synthetic demo region: three gemeenten, staff, ~50 clients with lessons,
appointments and ontzorgen ledgers. Every name, number and address is made up.

Dates are laid out relative to a reference day (default: today in Amsterdam) so the demo always has
lessons "tomorrow"; the same seed and day give the same data.

    python -m app.demo [--reset] [--day YYYY-MM-DD]
"""

import argparse
import logging
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Base, get_engine
from app.models import (
    Appointment,
    Client,
    Gemeente,
    Group,
    GroupMember,
    Lesson,
    OntzorgenArrangement,
    OntzorgenItem,
    OntzorgenPayment,
    PairingCode,
    StaffUser,
    WhatsAppMessage,
)
from app.models.enums import (
    AppointmentKind,
    AppointmentStatus,
    BringItem,
    Counterpart,
    Direction,
    Doelgroep,
    Leerroute,
    LessonKind,
    MeetingMode,
    MessageStatus,
    OntzorgenItemKind,
    PaymentStatus,
    Progress,
    Role,
)
from app.models.types import utcnow
from app.rules import EmergencyNumber, GemeenteSettings, OpeningSpan, TravelReimbursement, add_months, local_today
from app.schemas.handoff import HandoffCreate
from app.services import handoffs, nlg, po_sync, translations
from app.services.access import ASSISTANT, staff_actor
from app.services.catalog import cached_sources
from app.services.security import hash_password, sha256

log = logging.getLogger("inburgering.demo")
TZ = ZoneInfo("Europe/Amsterdam")
SEED = 2021
DEMO_PASSWORD = "demo-wachtwoord"  # synthetic staff accounts only; printed by the run command
DEMO_PAIRING_CODE = "135790"  # for the unverified demo clients, so a demo can show pairing
LANGUAGES = ("nl", "ar", "ti", "fa", "ps", "so", "tr", "en")
CLIENTS = 52

FIRST_NAMES = {
    "nl": ["Sanne", "Pieter", "Anouk"], "ar": ["Amira", "Omar", "Yara", "Khaled", "Rasha", "Samir"],
    "ti": ["Senait", "Yonas", "Helen", "Filmon", "Saba"], "fa": ["Mariam", "Ahmad", "Parwana", "Farid"],
    "ps": ["Gul", "Nazir", "Zarghona", "Wahid"], "so": ["Hodan", "Abdi", "Fadumo", "Mohamed"],
    "tr": ["Elif", "Mehmet", "Zeynep", "Emre"], "en": ["Grace", "Daniel", "Joy", "Samuel"],
}
LAST_NAMES = {
    "nl": ["de Vries", "Jansen"], "ar": ["Haddad", "Nasser", "Khalil", "Darwish"],
    "ti": ["Tesfay", "Gebremedhin", "Haile"], "fa": ["Rahimi", "Sultani", "Noori"],
    "ps": ["Khan", "Stanikzai", "Zadran"], "so": ["Warsame", "Hassan", "Farah"],
    "tr": ["Yilmaz", "Demir", "Kaya"], "en": ["Okafor", "Mensah", "Bello"],
}


@dataclass(frozen=True)
class GemeenteSpec:
    slug: str
    name: str
    settings: GemeenteSettings
    schools: tuple[str, ...]


def _hours(days: str, opens: str, closes: str) -> dict[str, list[OpeningSpan]]:
    return {d: [OpeningSpan(opens=opens, closes=closes)] for d in days.split()}


GEMEENTEN = (
    GemeenteSpec("gooise-meren", "Gooise Meren", GemeenteSettings(
        consultant_title="klantmanager", office_hours=_hours("mon tue wed thu", "08:30", "17:00"),
        phone="14 035", email="inburgering@gooisemeren.example", address="Brinklaan 1, Bussum (demo)",
        emergency_contact="Huisarts of 112 bij gevaar; 113 Zelfmoordpreventie (0800-0113)",
        emergency_numbers=[EmergencyNumber(kind="gp_post", number="035 000 0001"),
                           EmergencyNumber(kind="crisis", number="035 000 0002")],
        ontzorgen_months=6, ontzorgen_extension_months=3, uses_fines=False, bilingual_months=6,
        travel=TravelReimbursement(reimbursed=True, min_distance_km=5, how="OV-chipkaart via de taalschool"),
    ), ("Taalhuis Gooi", "ROC Bussum")),
    GemeenteSpec("lochem", "Lochem", GemeenteSettings(
        consultant_title="consulent inburgering", office_hours=_hours("mon tue wed thu fri", "09:00", "12:30"),
        phone="0573 000 000", email="inburgering@lochem.example", address="Markt 1, Lochem (demo)",
        emergency_contact="Huisarts of 112 bij gevaar; 113 Zelfmoordpreventie (0800-0113)",
        emergency_numbers=[EmergencyNumber(kind="gp_post", number="0573 000 001")],
        ontzorgen_months=6, ontzorgen_extension_months=3, uses_fines=True,
        travel=TravelReimbursement(reimbursed=True, min_distance_km=10, how="declaratie bij de consulent"),
    ), ("Taalschool Achterhoek",)),
    GemeenteSpec("deventer", "Deventer", GemeenteSettings(
        consultant_title="regisseur inburgering", office_hours=_hours("mon tue wed thu fri", "09:00", "16:30"),
        phone="0570 000 000", email="inburgering@deventer.example", address="Grote Kerkhof 1, Deventer (demo)",
        emergency_contact="Huisarts of 112 bij gevaar; 113 Zelfmoordpreventie (0800-0113)",
        ontzorgen_months=9, ontzorgen_extension_months=3, uses_fines=True,
        travel=TravelReimbursement(reimbursed=False, min_distance_km=0, how="niet vergoed: alles op de fiets"),
    ), ("Taalcentrum Deventer", "Saxion Schakeljaar")),
)


def demo_phone(index: int) -> str:
    """Synthetic Dutch mobile number of demo client `index` (1-based)."""
    return f"+3161000{index:04d}"


def _at(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), TZ).astimezone(UTC)


def load(session: Session, *, day: date | None = None, seed: int = SEED) -> dict[str, int]:
    """Fill an empty database with the demo region."""
    if session.scalar(select(Gemeente.id).limit(1)) is not None:
        raise RuntimeError("database is not empty; use --reset to replace it with demo data")
    rng = random.Random(seed)
    today = day or local_today()
    password = hash_password(DEMO_PASSWORD)
    session.add(StaffUser(email="admin@regio.example", name="Regio Beheer", role=Role.admin, password_hash=password))
    counts = {"gemeenten": 0, "staff": 1, "clients": 0, "lessons": 0, "appointments": 0, "payments": 0}
    gemeenten: list[tuple[Gemeente, list[StaffUser], list[Group]]] = []
    for spec in GEMEENTEN:
        g = Gemeente(slug=spec.slug, name=spec.name, settings=spec.settings.model_dump(mode="json"))
        session.add(g)
        session.flush()
        consultants = [StaffUser(gemeente_id=g.id, email=f"consulent{i}@{spec.slug}.example",
                                 name=f"{n} ({spec.settings.consultant_title})", role=Role.consultant,
                                 languages=langs, password_hash=password)
                       for i, (n, langs) in enumerate((("Lotte Bakker", ["nl", "en"]),
                                                       ("Youssef Amrani", ["nl", "ar", "en"]),
                                                       ("Marieke Smit", ["nl", "tr"])), start=1)]
        others = [
            StaffUser(gemeente_id=g.id, email=f"admin@{spec.slug}.example", name=f"Beheer {spec.name}",
                      role=Role.admin, password_hash=password),
            StaffUser(gemeente_id=g.id, email=f"vertaler@{spec.slug}.example", name="Cultuurvertaler (demo)",
                      role=Role.cultuurvertaler,
                      languages=REVIEWER_LANGUAGES[spec.slug],
                      password_hash=password),
        ]
        session.add_all(consultants + others)
        groups = [Group(gemeente_id=g.id, school=school, name=f"{route} {school.split()[0]} {n}")
                  for school in spec.schools for n, route in enumerate(("B1", "Z-route", "Onderwijs"), start=1)]
        session.add_all(groups)
        session.flush()
        counts["gemeenten"] += 1
        counts["staff"] += len(consultants) + len(others)
        counts["lessons"] += _lessons(session, groups, today)
        gemeenten.append((g, consultants, groups))

    for index in range(1, CLIENTS + 1):
        g, consultants, groups = gemeenten[(index - 1) % len(gemeenten)]
        lang = LANGUAGES[(index - 1) % len(LANGUAGES)]
        client = _client(rng, index, lang, g, rng.choice(consultants), today)
        session.add(client)
        session.flush()
        route_groups = [gr for gr in groups if gr.name.startswith(
            {"b1": "B1", "z": "Z-route", "onderwijs": "Onderwijs"}.get(client.leerroute.value, "-"))]
        if route_groups and client.route_status == Progress.in_progress:
            session.add(GroupMember(group_id=rng.choice(route_groups).id, client_id=client.id))
        counts["appointments"] += _appointments(session, rng, client, today)
        counts["payments"] += _ontzorgen(session, rng, client, g, today)
        counts["clients"] += 1
    session.commit()
    return counts


def _client(rng: random.Random, index: int, lang: str, g: Gemeente, consultant: StaffUser, today: date) -> Client:
    doelgroep = Doelgroep.gezinsmigrant if index % 5 == 0 else Doelgroep.asielstatushouder
    route = rng.choices([Leerroute.b1, Leerroute.onderwijs, Leerroute.z, Leerroute.undecided],
                        weights=[66, 10, 18, 6])[0]
    # The first eight clients (one per language) are verified with a PIP and a running route: demo anchors.
    if index <= 8:
        route = Leerroute.z if lang == "ti" else Leerroute.b1
    pip = None if route == Leerroute.undecided else today - timedelta(days=rng.randint(40, 900))
    started = pip is not None
    verified = index <= 8 or index % 4 != 0
    client = Client(
        gemeente_id=g.id, consultant_id=consultant.id, first_name=rng.choice(FIRST_NAMES[lang]),
        last_name=rng.choice(LAST_NAMES[lang]), preferred_language=lang, whatsapp=demo_phone(index),
        whatsapp_verified_at=datetime.now(UTC) if verified else None, doelgroep=doelgroep, pip_date=pip,
        duo_extension_months=6 if index % 17 == 0 else 0, leerroute=route,
        route_status=Progress.in_progress if started else Progress.not_started,
        knm_status=rng.choice([Progress.not_started, Progress.in_progress, Progress.completed]) if started
        else Progress.not_started,
        map_status=rng.choice([Progress.not_started, Progress.in_progress, Progress.completed]) if started
        else Progress.not_started,
        pvt_status=rng.choice([Progress.not_started, Progress.completed]) if started else Progress.not_started,
        bilingual=g.settings.get("bilingual_months", 0) > 0,
        interpreter_needed=lang not in ("nl", "en") and index % 3 == 0,
    )
    if route == Leerroute.onderwijs:
        client.knm_status = Progress.not_applicable
        client.map_status = Progress.not_applicable
    return client


def _lessons(session: Session, groups: list[Group], today: date) -> int:
    """Two weeks back to six weeks ahead; B1 Mon/Wed/Fri mornings, Z-route Tue/Thu, KNM/PVT extra."""
    monday = today - timedelta(days=today.weekday() + 14)
    count = 0
    for group in groups:
        plan = {"B1": {0: LessonKind.taalles, 2: LessonKind.taalles, 4: LessonKind.knm},
                "Z-": {1: LessonKind.taalles, 3: LessonKind.participation},
                "On": {0: LessonKind.taalles, 1: LessonKind.taalles, 3: LessonKind.pvt}}[group.name[:2]]
        for offset in range(56):
            day = monday + timedelta(days=offset)
            kind = plan.get(day.weekday())
            if kind is None:
                continue
            start = "09:00" if kind != LessonKind.participation else "13:00"
            session.add(Lesson(group_id=group.id, kind=kind, starts_at=_at(day, start),
                               ends_at=_at(day, "12:00" if start == "09:00" else "16:00"),
                               address=f"{group.school}, Schoolstraat {group.id}, lokaal {group.id % 7 + 1}",
                               teacher=["Juf Anja", "Meester Rob", "Juf Fatma"][group.id % 3],
                               cancelled=(offset == 21 and group.id % 2 == 0),
                               note="Docent ziek" if (offset == 21 and group.id % 2 == 0) else None))
            count += 1
    return count


def _appointments(session: Session, rng: random.Random, client: Client, today: date) -> int:
    # (with whom, kind, free text besides the kind, things to bring, free text besides them, how): the
    # vluchtelingenwerk one carries Dutch free text, so the demo shows how that reaches the person.
    made = [
        (Counterpart.consultant, AppointmentKind.progress, None, [BringItem.passport, BringItem.duo_letters], None,
         MeetingMode.in_person),
        (Counterpart.vluchtelingenwerk, AppointmentKind.help_post, None, [BringItem.letters],
         "de brief van de Belastingdienst over de huurtoeslag", MeetingMode.in_person),
        (Counterpart.budget_service, AppointmentKind.money, None, [BringItem.bank_card, BringItem.bills], None,
         MeetingMode.phone),
    ]
    if client.leerroute == Leerroute.b1 and client.pip_date and (today - client.pip_date).days > 500:
        made.append((Counterpart.exam, AppointmentKind.exam, "lezen en luisteren", [BringItem.id_document], None,
                     MeetingMode.in_person))
    count = 0
    for n, (who, kind, purpose, bring_items, bring, mode) in enumerate(made[: 1 + client.id % len(made)]):
        day = today + timedelta(days=2 + 5 * n + client.id % 4)
        if day.weekday() >= 5:
            day += timedelta(days=7 - day.weekday())
        session.add(Appointment(
            client_id=client.id, counterpart=who, with_name={
                Counterpart.consultant: client.consultant.name if client.consultant else "uw consulent",
                # with_name is a name (of a person or an organisation), not a Dutch description
                Counterpart.vluchtelingenwerk: "VluchtelingenWerk", Counterpart.budget_service: "Budgetservice",
                Counterpart.exam: "DUO"}[who],
            starts_at=_at(day, ["10:00", "11:30", "14:00", "15:30"][client.id % 4]),
            mode=mode, location=None if mode == MeetingMode.phone else "Gemeentehuis, balie 3 (demo)",
            kind=kind, purpose=purpose, bring_items=bring_items, bring=bring,
            status=AppointmentStatus.confirmed if n == 0 else AppointmentStatus.planned))
        count += 1
    return count


def _ontzorgen(session: Session, rng: random.Random, client: Client, g: Gemeente, today: date) -> int:
    if client.doelgroep != Doelgroep.asielstatushouder or client.id % 3 == 2:
        return 0
    months = g.settings.get("ontzorgen_months", 6)
    start = date(today.year, today.month, 1) - timedelta(days=rng.randint(20, 200))
    start = start.replace(day=1)
    arrangement = OntzorgenArrangement(
        client_id=client.id, start_date=start, planned_end=add_months(start, months),
        extended_until=add_months(start, months + 3) if client.id % 7 == 0 else None,
        run_by="Kredietbank (demo)" if g.slug != "deventer" else "Budgetservice Deventer")
    session.add(arrangement)
    session.flush()
    items = [(OntzorgenItemKind.rent, "Woningcorporatie Thuis (demo)", rng.randint(480, 720) * 100),
             (OntzorgenItemKind.energy, "Energiebedrijf Stroom (demo)", rng.randint(90, 160) * 100),
             (OntzorgenItemKind.water, "Waterbedrijf (demo)", rng.randint(18, 30) * 100),
             (OntzorgenItemKind.health_insurance, "Zorgverzekeraar Gezond (demo)", rng.randint(138, 152) * 100)]
    count = 0
    end = arrangement.extended_until or arrangement.planned_end
    for kind, payee, cents in items:
        item = OntzorgenItem(arrangement_id=arrangement.id, kind=kind, payee=payee, monthly_amount_cents=cents)
        session.add(item)
        session.flush()
        period = start
        while period <= today.replace(day=1) and period < end:
            current = period == today.replace(day=1)
            due = period.replace(day=1 if kind == OntzorgenItemKind.rent else 20)
            status = PaymentStatus.paid
            if current and today < due + timedelta(days=1):
                status = PaymentStatus.scheduled
            elif current and kind == OntzorgenItemKind.energy and client.id % 11 == 0:
                status = PaymentStatus.failed
            session.add(OntzorgenPayment(item_id=item.id, period=period, due_date=due, amount_cents=cents,
                                         status=status,
                                         paid_at=_at(due, "08:00") if status == PaymentStatus.paid else None))
            count += 1
            period = add_months(period, 1)
    return count


# Demo cultuurvertalers: which languages each gemeente's reviewer covers.
REVIEWER_LANGUAGES = {"gooise-meren": ["ar", "ti"], "lochem": ["so", "fa", "ps"], "deventer": ["tr", "en"]}
# Share of messages the demo reviewers have approved so far (high-impact first), per language.
APPROVED_SHARE = {"en": 0.9, "tr": 0.85, "ar": 0.75, "ti": 0.6, "fa": 0.5, "so": 0.5, "ps": 0.4}
# Left in review on purpose, so the demo shows the approval gate (a Tigrinya client asking about
# ontzorgen gets the Dutch text with the notice until a reviewer approves it).
DEMO_UNREVIEWED = {"ti": {"utter_ontzorgen_active", "utter_ontzorgen_after"}}


def review_demo(session: Session, seed: int = SEED) -> dict[str, int]:
    """Demo reviewers approve a realistic subset (and reject one) so the demo shows every state."""
    rng = random.Random(seed)
    sources = cached_sources()
    approved = rejected = 0
    reviewers = {lang: user for user in session.scalars(select(StaffUser).where(StaffUser.role == Role.cultuurvertaler))
                 for lang in user.languages}
    for language, share in APPROVED_SHARE.items():
        actor = staff_actor(reviewers[language])
        # Reviewers start with the notice and the other high-impact messages, then the rest.
        keys = sorted(sources, key=lambda k: (k != nlg.NOTICE, sources[k].impact != "high", rng.random()))
        for key in keys[: round(share * len(keys))]:
            if key in DEMO_UNREVIEWED.get(language, set()):
                continue
            view = translations.get_unit(session, language, key)
            if view.unit.target and not translations.run_checks(session, language, view.source.text,
                                                                view.unit.target):
                translations.approve(session, actor, language, key, via="demo")
                approved += 1
    translations.reject(session, staff_actor(reviewers["ar"]), "ar", "utter_get_well",
                        "Te kort en koud; in het Arabisch wensen we iemand beterschap met een zegen.", via="demo")
    translations.comment(session, staff_actor(reviewers["ti"]), "ti", "utter_explain_pip",
                         "Eritrese cliënten kennen 'plan' vooral van de overheid; uitleg over bezwaar toevoegen?",
                         via="demo")
    for key, count in (("utter_explain_afschalen", 4), ("utter_termijn", 2), ("utter_route_todo", 1)):
        for _ in range(count):
            translations.count_not_understood(session, "ti", key)
    rejected += 1
    session.commit()
    return {"approved translations": approved, "rejected translations": rejected}


# Open hand-offs in the demo inbox: (demo client, trigger, urgency, what they wrote, minutes ago).
DEMO_HANDOFFS = [
    (37, "request_human", "normal", ["سلام", "غواړم له یو انسان سره خبرې وکړم"], 95),  # Pashto, Gooise Meren
    (38, "money", "high", ["lacag cunto ma haysto", "kirada lama bixin"], 40),  # Somali, Lochem
    (13, "legal", "high", ["ik wil bezwaar maken tegen mijn PIP", "is dit een boete?"], 12),  # Dutch, Gooise Meren
]


def handoffs_demo(session: Session) -> int:
    """A few open hand-offs with the client's messages, so the inbox shows work waiting."""
    count = 0
    for index, trigger, urgency, said, minutes in DEMO_HANDOFFS:
        client = session.scalar(select(Client).where(Client.whatsapp == demo_phone(index)))
        if client is None or not client.whatsapp_verified:
            continue
        opened = handoffs.open_handoff(session=session, actor=ASSISTANT, data=HandoffCreate(
            phone=client.whatsapp, trigger=trigger, topic=trigger, urgency=urgency,
            language=client.preferred_language, summary=" / ".join(said)),
            now=utcnow() - timedelta(minutes=minutes))
        for n, text in enumerate(said):
            session.add(WhatsAppMessage(direction=Direction.inbound, message_sid=f"SMdemo{index:04d}{n:02d}",
                                        phone=client.whatsapp, body=text, status=MessageStatus.processed,
                                        handoff_id=opened.handoff.id if n else None,
                                        created_at=utcnow() - timedelta(minutes=minutes + 1 - n)))
        count += 1
    session.commit()
    return count


def add_pairing_codes(session: Session) -> int:
    """Give every unverified demo client the well-known demo pairing code."""
    clients = session.scalars(select(Client).where(Client.whatsapp_verified_at.is_(None),
                                                   Client.whatsapp.is_not(None))).all()
    now = datetime.now(UTC)
    for client in clients:
        session.add(PairingCode(client_id=client.id, code_hash=sha256(f"{client.id}:{DEMO_PAIRING_CODE}"),
                                created_at=now, expires_at=now + timedelta(days=365)))
    session.commit()
    return len(clients)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reset", action="store_true", help="drop all data first")
    parser.add_argument("--if-empty", action="store_true", help="do nothing when data exists")
    parser.add_argument("--day", type=date.fromisoformat, help="reference day (default: today)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    engine = get_engine()
    with Session(engine) as session:
        if args.reset:
            for table in reversed(Base.metadata.sorted_tables):
                session.execute(table.delete())
            session.commit()
        elif args.if_empty and session.scalar(select(Gemeente.id).limit(1)) is not None:
            log.info("demo data: database already has data, left as it is")
            return
        counts = load(session, day=args.day)
        counts["pairing codes"] = add_pairing_codes(session)
        po_sync.import_all(session)
        counts |= review_demo(session)
        counts["open hand-offs"] = handoffs_demo(session)
    log.info("demo data loaded: %s", ", ".join(f"{v} {k}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
