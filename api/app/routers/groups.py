"""Groups, their members and their lessons (the lesrooster)."""

from fastapi import APIRouter, Response

from app.deps import SessionDep, StaffDep
from app.schemas.common import DbId
from app.schemas.schedule import GroupCreate, GroupRead, LessonCreate, LessonRead, LessonUpdate, MembershipChange
from app.services import schedule

router = APIRouter(tags=["lesrooster"])


@router.get("/groups", response_model=list[GroupRead])
def list_groups(gemeente_id: DbId, session: SessionDep, actor: StaffDep) -> object:
    return schedule.list_groups(session=session, actor=actor, gemeente_id=gemeente_id)


@router.post("/groups", response_model=GroupRead, status_code=201)
def create_group(body: GroupCreate, session: SessionDep, actor: StaffDep) -> object:
    return schedule.create_group(session=session, actor=actor, data=body)


@router.post("/groups/{group_id}/members", status_code=204)
def add_member(group_id: DbId, body: MembershipChange, session: SessionDep, actor: StaffDep) -> Response:
    schedule.add_member(session=session, actor=actor, group_id=group_id, client_id=body.client_id)
    return Response(status_code=204)


@router.delete("/groups/{group_id}/members/{client_id}", status_code=204)
def remove_member(group_id: DbId, client_id: DbId, session: SessionDep, actor: StaffDep) -> Response:
    schedule.remove_member(session=session, actor=actor, group_id=group_id, client_id=client_id)
    return Response(status_code=204)


@router.post("/groups/{group_id}/lessons", response_model=LessonRead, status_code=201)
def create_lesson(group_id: DbId, body: LessonCreate, session: SessionDep, actor: StaffDep) -> LessonRead:
    lesson = schedule.create_lesson(session=session, actor=actor, group_id=group_id, data=body)
    return schedule.lesson_read(lesson)


@router.patch("/lessons/{lesson_id}", response_model=LessonRead)
def update_lesson(lesson_id: DbId, body: LessonUpdate, session: SessionDep, actor: StaffDep) -> LessonRead:
    return schedule.lesson_read(schedule.update_lesson(session=session, actor=actor, lesson_id=lesson_id, data=body))


@router.delete("/lessons/{lesson_id}", status_code=204)
def delete_lesson(lesson_id: DbId, session: SessionDep, actor: StaffDep) -> Response:
    schedule.delete_lesson(session=session, actor=actor, lesson_id=lesson_id)
    return Response(status_code=204)
