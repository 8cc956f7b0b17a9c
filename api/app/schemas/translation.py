from pydantic import BaseModel, ConfigDict, Field


class UnitRead(BaseModel):
    language: str
    key: str
    impact: str
    topic: str
    source: str
    target: str
    state: str
    outdated: bool
    note: str
    reject_reason: str | None
    not_understood: int
    flags: int


class EditRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    target: str = Field(max_length=4000)
    note: str | None = Field(default=None, max_length=4000)


class RejectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=4000)


class FlagRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(default="", max_length=4000)
    handoff_id: int | None = Field(default=None, ge=1)


class CoverageRead(BaseModel):
    language: str
    total: int
    translated: int
    approved: int
    high_impact_in_dutch: list[str]


class NotUnderstoodRequest(BaseModel):
    """From the assistant: the client said "I don't understand" right after this message."""

    model_config = ConfigDict(extra="forbid")
    key: str = Field(min_length=1, max_length=100)
    slots: dict[str, str | None] = Field(default_factory=dict, max_length=10)
