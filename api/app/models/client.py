from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.models.enums import Doelgroep, Leerroute, Progress
from app.models.gemeente import Gemeente
from app.models.staff import StaffUser
from app.models.types import UTCDateTime, str_enum, utcnow


class Client(Base):
    """An inburgeraar: one case. Family members are separate clients."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeenten.id"), index=True)
    consultant_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    preferred_language: Mapped[str] = mapped_column(String(8), default="nl")
    # E.164; unique so one phone can never read two cases.
    whatsapp: Mapped[str | None] = mapped_column(String(20), unique=True)
    whatsapp_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    doelgroep: Mapped[Doelgroep] = mapped_column(str_enum(Doelgroep))
    pip_date: Mapped[date | None] = mapped_column(Date)
    duo_extension_months: Mapped[int] = mapped_column(Integer, default=0)
    leerroute: Mapped[Leerroute] = mapped_column(str_enum(Leerroute), default=Leerroute.undecided)
    route_status: Mapped[Progress] = mapped_column(str_enum(Progress), default=Progress.not_started)
    knm_status: Mapped[Progress] = mapped_column(str_enum(Progress), default=Progress.not_started)
    map_status: Mapped[Progress] = mapped_column(str_enum(Progress), default=Progress.not_started)
    pvt_status: Mapped[Progress] = mapped_column(str_enum(Progress), default=Progress.not_started)
    bilingual: Mapped[bool] = mapped_column(Boolean, default=False)
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    gemeente: Mapped[Gemeente] = relationship()
    consultant: Mapped[StaffUser | None] = relationship()

    @property
    def whatsapp_verified(self) -> bool:
        return self.whatsapp_verified_at is not None
