from datetime import datetime

from pydantic import Field, model_validator

from app.models.enums import LessonKind
from app.schemas.common import AwareDatetime, DbId, Read, Strict, Text


class GroupCreate(Strict):
    gemeente_id: DbId
    school: Text(120)
    name: Text(120)


class GroupRead(Read):
    id: int
    gemeente_id: int
    school: str
    name: str


class MembershipChange(Strict):
    client_id: DbId


class LessonCreate(Strict):
    kind: LessonKind
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    address: Text(200)
    teacher: Text(120) | None = None
    cancelled: bool = False
    note: Text(500) | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> "LessonCreate":
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class LessonUpdate(Strict):
    kind: LessonKind | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    address: Text(200) | None = None
    teacher: Text(120) | None = None
    cancelled: bool | None = None
    note: Text(500) | None = None


class LessonRead(Read):
    id: int
    group_id: int
    school: str
    group: str
    kind: LessonKind
    starts_at: datetime
    ends_at: datetime
    address: str
    teacher: str | None
    cancelled: bool
    note: str | None


class LessonList(Read):
    data: list[LessonRead]
    count: int
    start: datetime
    end: datetime
    source: str = Field(default="lesrooster", description="where the answer comes from")
