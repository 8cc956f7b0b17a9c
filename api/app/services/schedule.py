"""Groups and the lesrooster."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Conflict, Invalid, NotFound
from app.models import Client, Group, GroupMember, Lesson
from app.schemas.schedule import GroupCreate, LessonCreate, LessonRead, LessonUpdate
from app.services import audit
from app.services.access import Actor, check_client, check_gemeente

MAX_RANGE = timedelta(days=92)


def _group(session: Session, actor: Actor, group_id: int) -> Group:
    group = session.get(Group, group_id)
    if group is None:
        raise NotFound("group not found")
    check_gemeente(actor, group.gemeente_id)
    return group


def create_group(*, session: Session, actor: Actor, data: GroupCreate) -> Group:
    check_gemeente(actor, data.gemeente_id)
    group = Group(**data.model_dump())
    session.add(group)
    session.commit()
    return group


def list_groups(*, session: Session, actor: Actor, gemeente_id: int) -> list[Group]:
    check_gemeente(actor, gemeente_id)
    return list(session.scalars(select(Group).where(Group.gemeente_id == gemeente_id).order_by(Group.id)))


def add_member(*, session: Session, actor: Actor, group_id: int, client_id: int) -> None:
    group = _group(session, actor, group_id)
    client = check_client(actor, session.get(Client, client_id))
    if client.gemeente_id != group.gemeente_id:
        raise Conflict("client and group belong to different gemeenten")
    if session.get(GroupMember, (group.id, client.id)) is None:
        session.add(GroupMember(group_id=group.id, client_id=client.id))
        audit.record(session, actor=actor, action="update:groups", client_id=client.id, detail=f"+{group.id}")
        session.commit()


def remove_member(*, session: Session, actor: Actor, group_id: int, client_id: int) -> None:
    _group(session, actor, group_id)
    member = session.get(GroupMember, (group_id, client_id))
    if member is None:
        raise NotFound("client is not in this group")
    session.delete(member)
    audit.record(session, actor=actor, action="update:groups", client_id=client_id, detail=f"-{group_id}")
    session.commit()


def create_lesson(*, session: Session, actor: Actor, group_id: int, data: LessonCreate) -> Lesson:
    _group(session, actor, group_id)
    lesson = Lesson(group_id=group_id, **data.model_dump())
    session.add(lesson)
    session.commit()
    return lesson


def update_lesson(*, session: Session, actor: Actor, lesson_id: int, data: LessonUpdate) -> Lesson:
    lesson = session.get(Lesson, lesson_id)
    if lesson is None:
        raise NotFound("lesson not found")
    _group(session, actor, lesson.group_id)
    changes = data.model_dump(exclude_unset=True)
    for key in ("kind", "starts_at", "ends_at", "address", "cancelled"):
        if key in changes and changes[key] is None:
            raise Invalid(f"{key} cannot be empty")
    starts, ends = changes.get("starts_at", lesson.starts_at), changes.get("ends_at", lesson.ends_at)
    if ends <= starts:
        raise Invalid("ends_at must be after starts_at")
    for key, value in changes.items():
        setattr(lesson, key, value)
    session.commit()
    return lesson


def delete_lesson(*, session: Session, actor: Actor, lesson_id: int) -> None:
    lesson = session.get(Lesson, lesson_id)
    if lesson is None:
        raise NotFound("lesson not found")
    _group(session, actor, lesson.group_id)
    session.delete(lesson)
    session.commit()


def lesson_read(lesson: Lesson) -> LessonRead:
    return LessonRead(
        id=lesson.id, group_id=lesson.group_id, school=lesson.group.school, group=lesson.group.name,
        kind=lesson.kind, starts_at=lesson.starts_at, ends_at=lesson.ends_at, address=lesson.address,
        teacher=lesson.teacher, cancelled=lesson.cancelled, note=lesson.note,
    )


def lessons_for_client(*, session: Session, actor: Actor, client: Client, start: datetime,
                       end: datetime) -> list[LessonRead]:
    """Lessons of the client's groups that overlap [start, end), cancelled ones included and marked."""
    if end <= start:
        raise Invalid("end must be after start")
    if end - start > MAX_RANGE:
        raise Invalid("ask for at most 92 days at a time")
    query = (
        select(Lesson)
        .join(GroupMember, GroupMember.group_id == Lesson.group_id)
        .where(GroupMember.client_id == client.id, Lesson.ends_at > start, Lesson.starts_at < end)
        .order_by(Lesson.starts_at, Lesson.id)
    )
    lessons = [lesson_read(lesson) for lesson in session.scalars(query)]
    audit.record(session, actor=actor, action="read:lessons", client_id=client.id,
                 detail=f"{start.date()}..{end.date()}")
    session.commit()
    return lessons
