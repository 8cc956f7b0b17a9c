"""E-mail to a consultant when a hand-off for their client arrives, and when an open one turns urgent
(SMTP; off without API_SMTP_HOST).

The mail carries no personal data: only that there is a hand-off, how urgent, and the inbox link."""

import logging
import smtplib
from email.message import EmailMessage

from app.config import get_settings
from app.models.enums import Urgency

log = logging.getLogger("inburgering.notify")


def new_handoff(to: str, handoff_id: int, urgency: Urgency) -> bool:
    flag = "DRINGEND: " if urgency in (Urgency.high, Urgency.urgent) else ""
    return _send(to, f"{flag}Nieuwe overdracht van de assistent (#{handoff_id})",
                 "Een cliënt van u wil een medewerker spreken via WhatsApp.\n\n"
                 f"Open de overdracht: {get_settings().public_url}/inbox/{handoff_id}\n\n")


def now_urgent(to: str, handoff_id: int) -> bool:
    """A client's message in an open hand-off made it urgent (the safety layer): the assignee hears at once."""
    return _send(to, f"DRINGEND: overdracht #{handoff_id} is nu dringend",
                 "In een nieuw bericht van de cliënt herkende de assistent een noodsituatie.\n\n"
                 f"Open de overdracht: {get_settings().public_url}/inbox/{handoff_id}\n\n")


def _send(to: str, subject: str, body: str) -> bool:
    settings = get_settings()
    if not settings.smtp_host:
        return False
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = settings.mail_from, to, subject
    mail.set_content(body + "Deze e-mail bevat geen persoonsgegevens; alles staat in de inbox.\n")
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
            smtp.send_message(mail)
    except (OSError, smtplib.SMTPException) as exc:
        # The inbox still shows it (with the unread badge); a lost e-mail loses no message.
        log.warning("hand-off e-mail not sent: %s", type(exc).__name__)
        return False
    return True
