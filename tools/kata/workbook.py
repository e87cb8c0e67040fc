"""The workbook's content: chapters, their lessons (README.md) and hints (HINTS.md).

A chapter is a directory ``chapters/NN_name/`` holding README.md, HINTS.md and
BUILD. The learner edits ``katas/NN_name/``; the reference implementation lives
in ``solutions/NN_name/``. HINTS.md looks like::

    # Hints: <chapter title>

    ## Step 1: <step title>
    Read: chapters/01_slices/README.md#anchor

    First, gentle hint.

    More direct hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CHAPTER_GLOBS = ("chapters/[0-9][0-9]_*/BUILD", "chapters/[0-9][0-9]_*/BUILD.bazel")

_STEP_HEADING = re.compile(r"^##\s+Step\s+(\d+)\s*(?:[:.\-\u2013\u2014]\s*)?(.*?)\s*$", re.IGNORECASE)
_ANY_HEADING = re.compile(r"^#{1,6}\s")
_HINTS_TITLE = re.compile(r"^#\s+Hints:\s*(.*?)\s*$", re.IGNORECASE)
_READ_LINE = re.compile(r"^Read:\s*(.+?)\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


class WorkbookError(Exception):
    """A problem the learner can fix (bad argument, missing file...)."""


@dataclass
class Step:
    """One step of a chapter, as described by HINTS.md."""

    number: int
    title: str
    read: str | None = None
    hints: list[str] = field(default_factory=list)


@dataclass
class Hints:
    """A parsed HINTS.md."""

    title: str
    steps: list[Step]


@dataclass
class Chapter:
    """A chapter directory and what its README and HINTS say about it."""

    name: str  # e.g. "01_slices"
    title: str
    steps: list[Step]

    @property
    def number(self) -> str:
        return self.name.split("_", 1)[0]

    @property
    def topic(self) -> str:
        return self.name.split("_", 1)[1] if "_" in self.name else self.name

    @property
    def package(self) -> str:
        return f"chapters/{self.name}"

    @property
    def kata_suite(self) -> str:
        return f"//{self.package}:kata"

    @property
    def kata_test(self) -> str:
        return f"//{self.package}:kata_test"

    @property
    def reference_test(self) -> str:
        return f"//{self.package}:reference_test"

    @property
    def kata_dir(self) -> str:
        return f"katas/{self.name}"

    @property
    def solution_dir(self) -> str:
        return f"solutions/{self.name}"

    @property
    def readme(self) -> str:
        return f"{self.package}/README.md"

    def step(self, number: int) -> Step | None:
        return next((s for s in self.steps if s.number == number), None)


def split_paragraphs(lines: list[str]) -> list[str]:
    """Split lines into blank-line separated paragraphs, keeping fenced code blocks whole."""
    paragraphs: list[str] = []
    current: list[str] = []
    in_fence = False
    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
        if not line.strip() and not in_fence:
            if current:
                paragraphs.append("\n".join(current))
                current = []
            continue
        current.append(line.rstrip())
    if current:
        paragraphs.append("\n".join(current))
    return paragraphs


def parse_hints(text: str) -> Hints:
    """Parse HINTS.md into its title and steps (each with its Read: line and hints)."""
    title = ""
    steps: list[Step] = []
    step: Step | None = None
    body: list[str] = []
    in_fence = False

    def close_step() -> None:
        if step is not None:
            step.hints = split_paragraphs(body)

    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _STEP_HEADING.match(line)
        if heading:
            close_step()
            step = Step(number=int(heading.group(1)), title=heading.group(2))
            steps.append(step)
            body = []
            continue
        if not in_fence and _ANY_HEADING.match(line):
            close_step()
            step, body = None, []
            title_match = _HINTS_TITLE.match(line)
            if title_match and not title:
                title = title_match.group(1)
            continue
        if step is None:
            continue
        read = _READ_LINE.match(line)
        if read and step.read is None and not in_fence and not any(b.strip() for b in body):
            step.read = read.group(1)
            continue
        body.append(line)
    close_step()
    return Hints(title=title, steps=sorted(steps, key=lambda s: s.number))


def readme_title(text: str) -> str | None:
    """The first Markdown heading of a README, without its hashes."""
    in_fence = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and _ANY_HEADING.match(line):
            return line.lstrip("#").strip()
    return None


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def load_chapter(root: Path, name: str) -> Chapter:
    directory = root / "chapters" / name
    hints_text = _read_text(directory / "HINTS.md")
    hints = parse_hints(hints_text) if hints_text is not None else Hints(title="", steps=[])
    readme_text = _read_text(directory / "README.md")
    title = (readme_text and readme_title(readme_text)) or hints.title or name
    return Chapter(name=name, title=title, steps=hints.steps)


def discover_chapters(root: Path) -> list[Chapter]:
    """All chapters, sorted by directory name."""
    names = {p.parent.name for pattern in CHAPTER_GLOBS for p in root.glob(pattern)}
    return [load_chapter(root, name) for name in sorted(names)]


def resolve_chapter(chapters: list[Chapter], arg: str) -> Chapter:
    """Find the chapter meant by `01_slices`, `01`, `1`, `slices` or `chapters/01_slices/`."""
    key = arg.strip().rstrip("/").split("/")[-1].lower()
    if not key:
        raise WorkbookError("empty chapter name")
    matchers = (
        lambda c: c.name.lower() == key,
        lambda c: key.isdigit() and int(key) == int(c.number),
        lambda c: c.topic.lower() == key,
        lambda c: c.topic.lower().startswith(key) or c.name.lower().startswith(key),
    )
    for matches in matchers:
        found = [c for c in chapters if matches(c)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(c.name for c in found)
            raise WorkbookError(f"'{arg}' is ambiguous: it could be {names}")
    known = ", ".join(c.name for c in chapters) or "(none found)"
    raise WorkbookError(f"no chapter '{arg}'. Chapters: {known}")
