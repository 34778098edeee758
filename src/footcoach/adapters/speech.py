"""Spoken cues with espeak-ng, and the terminal bell.

Speech never blocks the timer: each utterance runs in its own background process. While one is
still speaking, newer ones wait in a single slot where the newest replaces any older one, so a
late burst of cues is cut down to the latest instead of piling up behind the session.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from typing import IO, Protocol

ESPEAK_NAMES = ("espeak-ng", "espeak")
RATE_WPM = 160
"""Words per minute (espeak-ng's default is 175): a little slower, for someone mid-exercise."""


class Speech(Protocol):
    def say(self, text: str) -> None: ...

    def pump(self) -> None:
        """Start the waiting utterance if the previous one has finished (call it often)."""
        ...

    def close(self, wait_s: float = 0.0) -> None: ...


def find_espeak() -> str | None:
    """The path of espeak-ng (or the older espeak), or None when neither is installed."""
    for name in ESPEAK_NAMES:
        path = shutil.which(name)
        if path is not None:
            return path
    return None


class Speaker:
    """Speaks with espeak-ng in background subprocesses; silent (never failing) if it cannot."""

    def __init__(
        self,
        executable: str | None = None,
        *,
        rate_wpm: int = RATE_WPM,
        voice: str | None = None,
        command: Sequence[str] | None = None,
    ) -> None:
        """command replaces the whole command line (the text is appended), e.g. for tests."""
        if command is not None:
            self._command: list[str] | None = list(command)
        else:
            exe = executable or find_espeak()
            self._command = (
                None
                if exe is None
                else [exe, "-s", str(rate_wpm), *(["-v", voice] if voice else [])]
            )
        self._proc: subprocess.Popen[bytes] | None = None
        self._pending: str | None = None
        self.spoken: list[str] = []
        """Every utterance actually started, in order."""

    @staticmethod
    def available() -> bool:
        return find_espeak() is not None

    @property
    def speaking(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def say(self, text: str) -> None:
        # espeak would read a leading dash as an option
        text = " ".join(text.split()).lstrip("-").strip()
        if not text or self._command is None:
            return
        if self.speaking:
            self._pending = text
            return
        self._start(text)

    def pump(self) -> None:
        if self._pending is not None and not self.speaking:
            text, self._pending = self._pending, None
            self._start(text)

    def close(self, wait_s: float = 0.0) -> None:
        """Drop what is waiting; let the current utterance finish for up to wait_s, then stop it."""
        self._pending = None
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        try:
            proc.wait(timeout=max(0.0, wait_s))
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def _start(self, text: str) -> None:
        assert self._command is not None
        try:
            self._proc = subprocess.Popen(
                [*self._command, text],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            # the voice went away (uninstalled, not executable): carry on in silence
            self._command = None
            self._proc = None
            return
        self.spoken.append(text)


class NullSpeaker:
    """Says nothing; keeps what it was asked to say, which tests can read."""

    def __init__(self) -> None:
        self.said: list[str] = []

    @staticmethod
    def available() -> bool:
        return True

    def say(self, text: str) -> None:
        self.said.append(text)

    def pump(self) -> None:
        return None

    def close(self, wait_s: float = 0.0) -> None:
        return None


def make_speaker(enabled: bool = True) -> Speaker | NullSpeaker:
    """espeak-ng when wanted and installed, otherwise silence."""
    if enabled and Speaker.available():
        return Speaker()
    return NullSpeaker()


class TerminalBell:
    """Rings the terminal bell: BEL written to the console's file."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file

    def ring(self) -> None:
        try:
            self._file.write("\a")
            self._file.flush()
        except (OSError, ValueError):
            pass
