"""Domain exceptions. Services raise them; app.main turns them into clear 4xx answers."""


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409


class Invalid(DomainError):
    status_code = 422


class Gone(DomainError):
    status_code = 410


class TooManyAttempts(DomainError):
    status_code = 429
