"""An SMTP sink whose answers a test scripts (a 4xx before accepting, ...) and that keeps
every message as the raw bytes it received, for checking DKIM signatures."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from aiosmtpd.controller import Controller

from support import free_port


@dataclass
class Received:
    to: list[str]
    raw: bytes


class _Handler:
    def __init__(self, sink: "ScriptedSink"):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        return self.sink._answer(envelope)


class ScriptedSink:
    """Answers DATA with the next scripted reply, then `250` once the script is used up."""

    def __init__(self, replies: list[str] | None = None, port: int | None = None):
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self.replies = list(replies or [])
        self.attempts: list[Received] = []
        self.accepted: list[Received] = []
        self._changed = threading.Condition()
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port)

    def start(self) -> "ScriptedSink":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def _answer(self, envelope) -> str:
        received = Received(to=list(envelope.rcpt_tos), raw=envelope.original_content or b"")
        with self._changed:
            self.attempts.append(received)
            reply = self.replies.pop(0) if self.replies else "250 2.0.0 Accepted"
            if reply.startswith("2"):
                self.accepted.append(received)
            self._changed.notify_all()
        return reply

    def wait_accepted(self, count: int = 1, timeout: float = 20.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.accepted) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.accepted)} message(s) accepted within "
                                         f"{timeout} s, expected {count} "
                                         f"({len(self.attempts)} attempt(s))")
                self._changed.wait(left)
            return list(self.accepted)
