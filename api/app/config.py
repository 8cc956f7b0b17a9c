"""Settings of the API service, read from the environment (prefix API_)."""

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot import deployment

REPO_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="API_", env_file=None, extra="ignore")

    # development | test | production; production unless said otherwise (bot/deployment.py: one rule).
    environment: str = Field(default_factory=deployment.mode)
    database_url: str = Field(
        default=f"sqlite:///{REPO_ROOT / 'var' / 'inburgering.db'}",
        validation_alias=AliasChoices("API_DATABASE_URL", "DATABASE_URL"),
    )
    # Bearer token the action server and the Rasa channel present; only they may use the assistant endpoints.
    # No default: outside development and tests a missing or weak value stops the API (below).
    service_token: SecretStr = SecretStr("")
    # Salt for pseudonymising phone numbers in logs and rate-limit keys.
    log_salt: SecretStr = SecretStr("")
    session_hours: int = 12
    # Redis for counters shared by every API process (login throttling); memory when empty (one process).
    redis_url: str = ""
    pairing_code_minutes: int = 60 * 24 * 3
    pairing_max_attempts: int = 5
    # Failed pairing tries per phone number per day before a person must take over.
    pairing_max_failures_per_phone: int = 10

    # WhatsApp through Twilio. Without an account the run command points twilio_api_base at the local
    # stand-in (tools/twilio_standin), so the demo takes the same path as production.
    twilio_account_sid: str = ""
    twilio_auth_token: SecretStr = SecretStr("")
    twilio_whatsapp_from: str = ""  # e.g. whatsapp:+14155238886
    twilio_api_base: str = ""  # empty: Twilio's own API
    # Where Twilio reaches this API (status callbacks are signed against this URL).
    public_url: str = "http://127.0.0.1:8000"
    whatsapp_body_limit: int = 1600
    # Retryable failures (network, Twilio 5xx/429) are retried while the person's 24-hour window is open;
    # for a phone with no message from the person, this many attempts.
    whatsapp_max_attempts: int = 8
    whatsapp_retry_base_seconds: float = 1.0
    whatsapp_retry_max_seconds: float = 60.0
    # A claimed row is the sender's for this long (longer than one Twilio call); then any sender may retry it.
    whatsapp_lease_seconds: float = 30.0
    whatsapp_parallel_sends: int = 8
    # A message whose turn failed (or whose replica died) is run again this often, then handed to a person.
    whatsapp_turn_reruns: int = 2

    # Rasa's SQL event broker database: the inbox reads conversation events there instead of asking Rasa.
    events_database_url: str = ""
    # Rasa's HTTP API (started with --enable-api), to resume the assistant when a hand-off closes.
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: SecretStr = SecretStr("")
    # E-mail to consultants when a hand-off for their client arrives; off while smtp_host is empty.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_starttls: bool = False
    mail_from: str = "assistent@inburgering.example"

    @property
    def whatsapp_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token.get_secret_value() and self.twilio_whatsapp_from)

    @model_validator(mode="after")
    def _real_secrets_outside_development(self) -> "Settings":
        env = {deployment.MODE_VARIABLE: self.environment}
        if deployment.is_dev(env):
            for name in ("service_token", "log_salt"):
                if not getattr(self, name).get_secret_value():
                    setattr(self, name, SecretStr(deployment.DEV_DEFAULTS[f"API_{name.upper()}"]))
            if not self.rasa_token.get_secret_value():
                self.rasa_token = SecretStr(deployment.DEV_DEFAULTS["RASA_AUTH_TOKEN"])
            return self
        names = ["service_token", "log_salt", "rasa_token", "twilio_auth_token"]
        deployment.require_secrets({f"API_{n.upper()}": getattr(self, n).get_secret_value() for n in names}, env)
        if not self.redis_url:
            raise deployment.WeakSecrets("refusing to start in production: API_REDIS_URL must be set (login "
                                         "throttling is shared by every API process through Redis)")
        if not self.whatsapp_enabled:
            raise deployment.WeakSecrets("refusing to start in production: API_TWILIO_ACCOUNT_SID and "
                                         "API_TWILIO_WHATSAPP_FROM must be set (the assistant sends over WhatsApp)")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
