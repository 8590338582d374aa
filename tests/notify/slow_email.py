"""An e-mail backend for tests with real worker processes (EMAIL_BACKEND is an environment
setting): each message takes SLOW_EMAIL_SECONDS, and the receiver's side is a log file
(SLOW_EMAIL_LOG) with one line when a message starts and one when it has been taken over
in full.  A worker killed in between leaves only the first: like an SMTP server, which
takes a message over only after its last line."""

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            _log("start", message)
            time.sleep(float(os.environ["SLOW_EMAIL_SECONDS"]))
            _log("sent", message)
        return len(email_messages)


def _log(event: str, message: EmailMessage) -> None:
    line = f"{time.time():.3f} {os.getpid()} {event} {','.join(message.to)}\n"
    fd = os.open(os.environ["SLOW_EMAIL_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, line.encode())  # one small append: lines of workers do not mix
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Event:
    at: float  # time.time() in the worker
    pid: int
    event: str  # "start" or "sent"
    to: str


def read_log(path: Path) -> list[Event]:
    if not path.exists():
        return []
    events = []
    for line in path.read_text().splitlines():
        at, pid, event, to = line.split(" ")
        events.append(Event(float(at), int(pid), event, to))
    return events
