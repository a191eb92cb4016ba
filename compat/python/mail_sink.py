"""A local SMTP sink (aiosmtpd) that the server under test sends its mail to, so that tests
read confirmation and reset codes from real messages, as a user would."""

from __future__ import annotations

import email
import email.policy
import re
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from aiosmtpd.controller import Controller

from support import free_port

# Cognito's default templates put the code in `{####}`: six digits by default.
CODE_PATTERN = re.compile(r"(?<!\d)(\d{6})(?!\d)")


@dataclass
class Mail:
    mail_from: str
    to: str
    subject: str
    body: str

    def code(self) -> str:
        found = CODE_PATTERN.findall(self.body)
        if len(found) != 1:
            raise AssertionError(f"expected exactly one 6-digit code in the mail to {self.to}, "
                                 f"found {found}: {self.body!r}")
        return found[0]


def _text_of(message: email.message.EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    return part.get_content()


class _Handler:
    def __init__(self, sink: "MailSink"):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        for rcpt in envelope.rcpt_tos:
            self.sink._deliver(Mail(
                mail_from=envelope.mail_from,
                to=rcpt,
                subject=str(message.get("Subject", "")),
                body=_text_of(message),
            ))
        return "250 Message accepted for delivery"


class MailSink:
    """Accepts every message on 127.0.0.1:<free port> and files it by recipient."""

    def __init__(self):
        self.port = free_port()
        self.host = "127.0.0.1"
        self._inboxes: dict[str, deque[Mail]] = defaultdict(deque)
        self._all: list[Mail] = []
        self._changed = threading.Condition()
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def _deliver(self, mail: Mail) -> None:
        with self._changed:
            self._inboxes[mail.to.lower()].append(mail)
            self._all.append(mail)
            self._changed.notify_all()

    def next_mail(self, to: str, timeout: float = 15.0) -> Mail:
        """The oldest mail to `to` not yet taken; waits for one up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        inbox = self._inboxes[to.lower()]
        with self._changed:
            while not inbox:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no mail to {to} within {timeout} s "
                                         f"(the sink holds mail for {sorted(self._inboxes)})")
                self._changed.wait(left)
            return inbox.popleft()

    def next_code(self, to: str, timeout: float = 15.0) -> str:
        return self.next_mail(to, timeout).code()

    def pending(self, to: str) -> int:
        """Mail to `to` not yet taken (to check that nothing was sent)."""
        with self._changed:
            return len(self._inboxes[to.lower()])

    def expect_none(self, to: str, wait: float = 1.0) -> None:
        """Fails if a mail to `to` arrives within `wait` seconds."""
        deadline = time.monotonic() + wait
        with self._changed:
            while time.monotonic() < deadline:
                if self._inboxes[to.lower()]:
                    mail = self._inboxes[to.lower()][0]
                    raise AssertionError(f"unexpected mail to {to}: {mail.subject!r} {mail.body!r}")
                self._changed.wait(deadline - time.monotonic())
