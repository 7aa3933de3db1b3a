"""What every command shares (`App`): the database path, its engine, the writer lock, and progress
on stderr: bars for counted work, a heartbeat for any other step that takes more than two seconds."""
from __future__ import annotations

import contextlib
import sys
import threading
import time
from pathlib import Path

import click

HEARTBEAT_AFTER = 2.0  # seconds of silence before a step shows itself
HEARTBEAT_EVERY = 1.0  # seconds between updates on a terminal
HEARTBEAT_LINE_EVERY = 10.0  # seconds between lines when stderr is not a terminal


class _Done:
    """A bar already closed (full)."""

    pos = 0

    def update(self, n: int) -> None:
        pass


class Heartbeat:
    """Shows a step's label and elapsed time on stderr once it has run for HEARTBEAT_AFTER seconds:
    updated in place on a terminal, a line every HEARTBEAT_LINE_EVERY seconds otherwise, and a last
    line with the time taken. ``relabel`` names the next part of the step; ``paused`` hides it while
    a progress bar draws."""

    def __init__(self, label: str, enabled: bool = True):
        self.label, self.enabled = label, enabled
        self.note = ""  # shown after the label: how far the step has come, where known
        self._stream = sys.stderr
        self._tty = bool(getattr(self._stream, "isatty", lambda: False)())
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._pause = 0
        self._start = self._part_start = time.monotonic()
        self._shown: set[str] = set()
        self._last_line = 0.0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Heartbeat":
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.enabled:
            return
        self._stop.set()
        self._thread.join()
        with self._lock:
            self._finish_part()

    def relabel(self, label: str) -> None:
        with self._lock:
            if self.enabled:
                self._finish_part()
            self.label, self.note, self._part_start, self._last_line = label, "", time.monotonic(), 0.0

    @contextlib.contextmanager
    def paused(self):
        with self._lock:
            if self.enabled:
                self._finish_part()  # what was shown so far is done: the bar takes over
            self._pause += 1
        try:
            yield
        finally:
            with self._lock:
                self._pause -= 1
                self._part_start = time.monotonic()  # a bar covered the time until now
                self._shown.discard(self.label)

    def _finish_part(self) -> None:
        if self.label in self._shown and not self._pause:
            took = time.monotonic() - self._part_start
            self._write(f"{chr(13) if self._tty else ''}{self.label} ... done in {took:.0f} s\n")
        self._shown.discard(self.label)

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()

    def _run(self) -> None:
        while not self._stop.wait(min(HEARTBEAT_EVERY, HEARTBEAT_AFTER) / 2):
            with self._lock:
                now = time.monotonic()
                took = now - self._part_start
                if self._pause or took < HEARTBEAT_AFTER:
                    continue
                note = f", {self.note}" if self.note else ""
                if self._tty:
                    self._write(f"\r{self.label} ... {took:.0f} s{note}")
                elif self.label not in self._shown or now - self._last_line >= HEARTBEAT_LINE_EVERY:
                    self._write(f"{self.label} ... {took:.0f} s{note}\n")
                    self._last_line = now
                self._shown.add(self.label)


class App:
    """What every command shares: the database path and, opened on first use, its engine."""

    def __init__(self, db: Path, quiet: bool, db_given: bool = True):
        self.db, self.quiet, self.db_given = db, quiet, db_given
        self._engine = None
        self._writing = False

    @property
    def existing_engine(self):
        """The engine of a database that must exist already (read commands never create one)."""
        if self._engine is None and not self.db.is_file():
            from .errors import ConfigError
            raise ConfigError(f"{self.db}: no such database (name one with --db PATH or RHIZO_DB; "
                              "`rhizo ingest` creates it)")
        return self.engine

    @contextlib.contextmanager
    def writing(self, command: str, wait: bool):
        """The database's writer lock for this command (re-entered freely: `demo` runs `analyze`)."""
        if self._writing:
            yield
            return
        from .lock import writer_lock
        with writer_lock(self.db, command, wait=wait, on_wait=self.say):
            self._writing = True
            try:
                yield
            finally:
                self._writing = False

    @property
    def engine(self):
        if self._engine is None:
            from .db import open_db
            self._engine = open_db(self.db)
        return self._engine

    def progress(self, length: int, label: str):
        return click.progressbar(length=length, label=label, file=sys.stderr,
                                 hidden=self.quiet or length == 0)

    def step(self, label: str) -> "Heartbeat":
        """A context for a step without a bar: after HEARTBEAT_AFTER seconds it shows the step's
        label and time on stderr (relabel it as the step moves on; pause it while a bar shows)."""
        return Heartbeat(label, enabled=not self.quiet)

    @contextlib.contextmanager
    def lazy_bar(self, label: str):
        """A progress callback ``(done, total)`` whose bar appears at the first call, sized by it."""
        bars: list = []

        def tick(done: int, total: int) -> None:
            if not bars:
                bars.append(self.progress(total, label).__enter__())
            bars[0].update(done - bars[0].pos)
            if done >= total:  # the bar is full: close it now, not when the next step ends
                bars.pop().__exit__(None, None, None)
                bars.append(_Done())
        try:
            yield tick
        finally:
            if bars and not isinstance(bars[0], _Done):
                bars[0].__exit__(None, None, None)

    @contextlib.contextmanager
    def lazy_progress(self, length: int, label: str):
        """A progress callback ``(n more done)`` whose bar appears at the first tick (so an early error
        prints alone)."""
        done = [0]
        with self.lazy_bar(label) as bar:
            def tick(n: int) -> None:
                done[0] += n
                bar(done[0], length)
            yield tick

    def say(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)
