"""Running Bazel for the workbook: `bazel test` with visible progress, and queries.

Bazel's combined output is captured (its test summary and compiler errors are
parsed from it) while the learner sees progress on stderr: a one-line spinner
showing Bazel's latest progress message on a terminal, or Bazel's own lines
otherwise (CI logs).
"""

from __future__ import annotations

import itertools
import queue
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TextIO

from results import NOT_RUN, TargetRun, collect_target, is_noise, parse_test_summary

BAZEL = "bazel"
UI_FLAGS = ("--color=no", "--curses=no")
TEST_FLAGS = ("--keep_going", "--test_summary=short")
# For runs whose failures the CLI shows itself: no test logs dumped by Bazel.
QUIET_TEST_OUTPUT = ["--test_output=summary"]

# Exit codes of `bazel test`: 0 all passed, 3 some tests failed, 4 no tests
# found; anything else (1 build failure, 2 bad command line, 8 interrupted...)
# means the build did not complete.
BUILD_OK_EXIT_CODES = (0, 3, 4)


class BazelError(Exception):
    """Bazel could not be run at all."""


@dataclass
class TestInvocation:
    """The outcome of one `bazel test` command."""

    workspace: Path
    exit_code: int
    output: str
    statuses: dict[str, str] = field(default_factory=dict)

    @property
    def build_ok(self) -> bool:
        return self.exit_code in BUILD_OK_EXIT_CODES

    @cached_property
    def testlogs(self) -> Path:
        return testlogs_dir(self.workspace)

    def status_of(self, label: str) -> str:
        return self.statuses.get(label, NOT_RUN)

    def target(self, label: str) -> TargetRun:
        return collect_target(self.testlogs, label, self.status_of(label))


class Progress:
    """Shows that a slow Bazel command is alive."""

    FRAMES = "|/-\\"

    def __init__(self, title: str, stream: TextIO | None = None) -> None:
        self.title = title
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.latest = "starting"
        self.frames = itertools.cycle(self.FRAMES)
        self.started = time.monotonic()
        if not self.live:
            self._write(f"{title}...\n")

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def line(self, line: str) -> None:
        if is_noise(line) or not line.strip():
            return
        if self.live:
            self.latest = line.strip()
            self.tick()
        else:
            self._write(line + "\n")

    def tick(self) -> None:
        if not self.live:
            return
        width = shutil.get_terminal_size((80, 20)).columns
        elapsed = int(time.monotonic() - self.started)
        text = f"{next(self.frames)} {self.title} [{elapsed}s] {self.latest}"
        self._write("\r" + text[: width - 1] + "\x1b[K")

    def finish(self) -> None:
        if self.live:
            self._write("\r\x1b[K")


def _pump(stream, lines: "queue.Queue[str | None]") -> None:
    for raw in iter(stream.readline, b""):
        for part in raw.decode("utf-8", errors="replace").rstrip("\n").split("\r"):
            lines.put(part)
    lines.put(None)


def run_with_progress(args: list[str], cwd: Path, title: str) -> tuple[int, str]:
    """Run a command, showing progress, and return its exit code and combined output."""
    try:
        process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    except FileNotFoundError as error:
        raise BazelError(f"cannot run {args[0]}: {error}. Run tools/setup.sh first.") from error
    lines: "queue.Queue[str | None]" = queue.Queue()
    threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
    progress = Progress(title)
    captured: list[str] = []
    try:
        while True:
            try:
                line = lines.get(timeout=0.15)
            except queue.Empty:
                progress.tick()
                continue
            if line is None:
                break
            captured.append(line)
            progress.line(line)
        exit_code = process.wait()
    finally:
        progress.finish()
    return exit_code, "\n".join(captured)


def test(workspace: Path, targets: list[str], extra_flags: list[str] | None = None,
         title: str = "bazel test") -> TestInvocation:
    """`bazel test --keep_going TARGETS` with progress, parsed."""
    args = [BAZEL, "test", *UI_FLAGS, *TEST_FLAGS, *(extra_flags or []), "--", *targets]
    exit_code, output = run_with_progress(args, workspace, title)
    return TestInvocation(workspace, exit_code, output, parse_test_summary(output))


def query(workspace: Path, expression: str) -> list[str] | None:
    """Labels matching a query (partial results on errors), or None if Bazel failed."""
    args = [BAZEL, "query", *UI_FLAGS, "--keep_going", "--output=label", expression]
    try:
        done = subprocess.run(args, cwd=workspace, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        return None
    if done.returncode not in (0, 3):
        return None
    return [line.strip() for line in done.stdout.splitlines() if line.startswith(("//", "@"))]


def shutdown(workspace: Path) -> None:
    subprocess.run([BAZEL, "shutdown"], cwd=workspace, capture_output=True,
                   stdin=subprocess.DEVNULL)


def testlogs_dir(workspace: Path) -> Path:
    """The workspace's bazel-testlogs (the convenience symlink, else `bazel info`)."""
    link = workspace / "bazel-testlogs"
    if link.exists():
        return link
    try:
        done = subprocess.run([BAZEL, "info", "bazel-testlogs"], cwd=workspace,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if done.returncode == 0 and done.stdout.strip():
            return Path(done.stdout.strip())
    except FileNotFoundError:
        pass
    return link
