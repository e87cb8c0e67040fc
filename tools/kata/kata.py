#!/usr/bin/env python3
"""kata: the gort workbook CLI (run it as ./kata from the repository root).

gort rebuilds pieces of the Go runtime in C++, one chapter at a time. Each
chapter (chapters/NN_name/) has a lesson (README.md), hints (HINTS.md) and
tests whose suites are named after the chapter's steps (Step1_..., Step2_...).
The learner fills in the stubs in katas/NN_name/ until the chapter's kata
target passes; solutions/NN_name/ holds the reference implementation.

Commands:
  ./kata [status]            build and test every chapter, show progress and what to do next
  ./kata test <chapter>      test one chapter and show its failures
  ./kata hint <chapter> [N]  hints for step N (default: the first failing step)
  ./kata reset <chapter>     restore katas/<chapter>/ to the committed stubs
  ./kata solution <chapter>  diff your kata against the reference solution (spoiler!)
  ./kata list                chapters and their steps
  ./kata verify              the project's test command: reference tests + integrity
  ./kata integrity           check that the committed stubs fail every step

A chapter may be given as 01_slices, 01, 1, slices or chapters/01_slices.
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.dont_write_bytecode = True  # keep tools/kata/ free of __pycache__

import bazel  # noqa: E402
import checks  # noqa: E402
from results import StepTally, TargetRun, TestResult, extract_build_errors, extract_todo  # noqa: E402
from results import is_noise, load_results, summary_line, target_log_dir  # noqa: E402
from term import Style, plural, stdout_style  # noqa: E402
from workbook import Chapter, WorkbookError, discover_chapters, resolve_chapter  # noqa: E402

ROOT = Path(os.path.abspath(__file__)).parents[2]
MAX_MESSAGE_LINES = 8
MAX_FAILURE_GROUPS = 6
DONE, TODO, UNKNOWN = "\u2714", "\u2718", "?"


# --- What a kata run says about a chapter --------------------------------------

@dataclass
class ChapterReport:
    """A chapter together with the result of its kata target."""

    chapter: Chapter
    run: TargetRun

    @property
    def built(self) -> bool:
        return self.run.ran

    @property
    def done(self) -> bool:
        return self.run.succeeded

    @property
    def tallies(self) -> dict[int | None, StepTally]:
        return self.run.steps()

    def step_numbers(self) -> list[int]:
        """Steps named in HINTS.md or seen in the results, in order."""
        numbers = {s.number for s in self.chapter.steps}
        numbers |= {n for n in self.tallies if n is not None}
        return sorted(numbers)

    def first_unfinished_step(self) -> int | None:
        tallies = self.tallies
        for number in self.step_numbers():
            tally = tallies.get(number)
            if tally is None or not tally.done:
                return number
        return None


def step_title(chapter: Chapter, number: int) -> str:
    step = chapter.step(number)
    return step.title if step and step.title else "(no title in HINTS.md)"


def step_read(chapter: Chapter, number: int | None) -> str:
    step = chapter.step(number) if number is not None else None
    return step.read if step and step.read else chapter.readme


# --- Printing -------------------------------------------------------------------

class Printer:
    """Everything the learner-facing commands print."""

    def __init__(self, style: Style, root: Path) -> None:
        self.style = style
        self.root = root

    def chapter_heading(self, chapter: Chapter) -> None:
        title = "" if chapter.title == chapter.name else f"  {chapter.title}"
        print(self.style.bold(chapter.name + title))

    @staticmethod
    def step_rows(report: ChapterReport) -> list[tuple[int | None, str]]:
        rows: list[tuple[int | None, str]] = [
            (n, f"Step {n}: {step_title(report.chapter, n)}") for n in report.step_numbers()]
        if None in report.tallies:
            rows.append((None, "Other tests"))
        return rows

    def step_lines(self, report: ChapterReport, width: int = 0) -> None:
        s = self.style
        if report.run.status == "FAILED TO BUILD":
            print(f"    {s.red(TODO)} does not build: see the compiler errors below")
            return
        if not report.built:
            print(f"    {s.red(TODO)} did not run ({report.run.status}): see the errors below")
            return
        tallies = report.tallies
        rows = self.step_rows(report)
        width = max([width] + [len(label) for _, label in rows])
        for number, label in rows:
            tally = tallies.get(number)
            if tally is None or tally.total == 0:
                mark = s.yellow(UNKNOWN)
                counts = "not run: the test binary died earlier" if report.run.crashed else "no tests ran"
            else:
                mark = s.green(DONE) if tally.done else s.red(TODO)
                counts = f"{len(tally.passed)} of {plural(tally.total, 'test')} passing"
            if tally and tally.skipped:
                counts += f", {len(tally.skipped)} skipped"
            print(f"    {mark} {label.ljust(width)}  {s.dim('(' + counts + ')')}")

    def build_errors(self, output: str) -> None:
        """The compiler errors in Bazel's output (or its last lines if none are found)."""
        errors = extract_build_errors(output, str(self.root))
        if not errors:
            errors = [l for l in output.splitlines() if l.strip() and not is_noise(l)][-15:]
        checks.print_build_errors(errors, self.style, sys.stdout)

    def message_lines(self, message: str) -> list[str]:
        """The first lines of a failure message, KATA TODO lines highlighted."""
        lines = [l for l in message.splitlines() if l.strip() and l.strip() != "unknown file"]
        shown = []
        for line in lines[:MAX_MESSAGE_LINES]:
            todos = extract_todo(line)
            shown.append(self.style.paint(todos[0], "bold", "yellow") if todos else line)
        if len(lines) > MAX_MESSAGE_LINES:
            shown.append(self.style.dim(f"... {len(lines) - MAX_MESSAGE_LINES} more lines"))
        return shown

    def failures(self, failed: list[TestResult]) -> None:
        """Failing tests, those with the same message shown once."""
        groups: dict[str, list[TestResult]] = {}
        for result in failed:
            groups.setdefault(result.message, []).append(result)
        for index, (message, results) in enumerate(groups.items()):
            if index == MAX_FAILURE_GROUPS:
                rest = sum(len(r) for r in list(groups.values())[index:])
                print(self.style.dim(f"      ... and {rest} more failing tests"))
                break
            more = f"  (+{len(results) - 1} more with the same message)" if len(results) > 1 else ""
            print(f"    {self.style.red(TODO)} {results[0].full_name}{self.style.dim(more)}")
            for line in self.message_lines(message):
                print(f"        {line}")

    def next_step(self, report: ChapterReport) -> None:
        chapter, s = report.chapter, self.style
        if not report.built:
            print(s.bold(f"Next: make {chapter.kata_dir}/ build again") + " (errors below)")
            print(f"  Edit:  {chapter.kata_dir}/")
            print(f"  Run:   ./kata test {chapter.number}   (or: bazel test {chapter.kata_suite})")
            return
        number = report.first_unfinished_step()
        if number is None:
            print(s.bold(f"Next: make {chapter.name} pass") + " (its test binary fails outside any step)")
        else:
            print(s.bold(f"Next: Step {number} of {chapter.name} \u2014 {step_title(chapter, number)}"))
        print(f"  Read:  {step_read(chapter, number)}")
        print(f"  Edit:  {chapter.kata_dir}/")
        print(f"  Run:   ./kata test {chapter.number}   (or: bazel test {chapter.kata_suite})")
        print(f"  Hint:  ./kata hint {chapter.number}" + ("" if number is None else f" {number}"))
        tally = report.tallies.get(number)
        todos = [t for r in (tally.failed if tally else []) for t in extract_todo(r.message)]
        if todos:
            print(f"  TODO:  {s.paint(todos[0], 'bold', 'yellow')}")


# --- Commands --------------------------------------------------------------------

class Workbook:
    """The repository the CLI works on, and the commands."""

    def __init__(self, root: Path, style: Style) -> None:
        self.root = root
        self.style = style
        self.printer = Printer(style, root)
        self.chapters = discover_chapters(root)

    def chapter(self, arg: str) -> Chapter:
        return resolve_chapter(self.chapters, arg)

    def run_katas(self, chapters: list[Chapter], title: str) -> tuple[list[ChapterReport], bazel.TestInvocation]:
        invocation = bazel.test(self.root, [c.kata_suite for c in chapters],
                                bazel.QUIET_TEST_OUTPUT, title=title)
        return [ChapterReport(c, invocation.target(c.kata_test)) for c in chapters], invocation

    # ./kata, ./kata status
    def status(self) -> int:
        if not self.chapters:
            raise WorkbookError("no chapters found under chapters/")
        reports, invocation = self.run_katas(self.chapters, "Building and testing your katas")
        print(self.style.bold("gort \u2014 the Go runtime, rebuilt in C++, one kata at a time"))
        print()
        width = max((len(label) for r in reports for _, label in self.printer.step_rows(r)), default=0)
        for report in reports:
            self.printer.chapter_heading(report.chapter)
            self.printer.step_lines(report, width)
        print()
        pending = [r for r in reports if not r.done]
        if not pending:
            print(self.style.green(f"{DONE} Congratulations! All {len(reports)} chapters pass: "
                                   "you have rebuilt every piece of the runtime in this workbook."))
            return 0
        done_count = len(reports) - len(pending)
        print(f"{done_count} of {len(reports)} chapters done.")
        current = pending[0]
        self.printer.next_step(current)
        if any(not r.built for r in reports):
            print()
            self.printer.build_errors(invocation.output)
        return 0

    # ./kata test <chapter>
    def test(self, arg: str) -> int:
        chapter = self.chapter(arg)
        [report], invocation = self.run_katas([chapter], f"Testing {chapter.name}")
        self.printer.chapter_heading(chapter)
        self.printer.step_lines(report)
        print()
        if not report.built:
            self.printer.build_errors(invocation.output)
            return 1
        for number, tally in report.tallies.items():
            if not tally.failed:
                continue
            label = "Other tests" if number is None else f"Step {number}: {step_title(chapter, number)}"
            print(self.style.bold(label))
            self.printer.failures(tally.failed)
            print()
        if report.done:
            print(self.style.green(f"{DONE} Every step of {chapter.name} passes."))
            later = self.chapters[self.chapters.index(chapter) + 1:]
            if later:
                print(f"Next chapter: {later[0].name} \u2014 read {later[0].readme}, "
                      f"then ./kata test {later[0].number}")
            return 0
        self.printer.next_step(report)
        return 1

    def _last_results(self, chapter: Chapter) -> TargetRun | None:
        directory = target_log_dir(self.root / "bazel-testlogs", chapter.kata_test)
        if not (directory / "test.xml").exists():
            return None
        return TargetRun(chapter.kata_test, "FAILED", load_results(directory, "FAILED"))

    def _default_hint_step(self, chapter: Chapter) -> int | None:
        """The first failing step; step 1 if the tests were never run."""
        if self._last_results(chapter) is None:
            print(self.style.dim(f"(No test results yet, so here is Step 1. "
                                 f"`./kata test {chapter.number}` runs the tests.)"))
            return chapter.steps[0].number if chapter.steps else 1
        [report], _ = self.run_katas([chapter], f"Finding your first failing step in {chapter.name}")
        if not report.built:
            print(self.style.yellow(f"{chapter.kata_dir}/ does not build right now "
                                    f"(./kata test {chapter.number} shows why); "
                                    "using your last successful test run."))
            last = self._last_results(chapter)
            if last is None:
                return chapter.steps[0].number if chapter.steps else 1
            report = ChapterReport(chapter, last)
        if report.done:
            return None
        return report.first_unfinished_step()

    # ./kata hint <chapter> [step]
    def hint(self, arg: str, step_number: int | None) -> int:
        chapter = self.chapter(arg)
        if step_number is None:
            step_number = self._default_hint_step(chapter)
            if step_number is None:
                print(self.style.green(f"{DONE} Every step of {chapter.name} passes: no hints needed.")
                      + f" (For a given step: ./kata hint {chapter.number} N)")
                return 0
        step = chapter.step(step_number)
        if step is None:
            known = ", ".join(str(s.number) for s in chapter.steps) or "none"
            raise WorkbookError(f"{chapter.name} has no hints for step {step_number} "
                                f"(steps in HINTS.md: {known})")
        print(self.style.bold(f"Hints for {chapter.name}, Step {step.number}: {step.title}"))
        print(f"Read: {step.read or chapter.readme}")
        for index, paragraph in enumerate(step.hints, 1):
            print()
            print(self.style.cyan(f"Hint {index}:"))
            print(paragraph)
        if not step.hints:
            print("\n(No hints written for this step yet.)")
        return 0

    def _git(self, *args: str) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(["git", *args], cwd=self.root, capture_output=True,
                                  text=True, stdin=subprocess.DEVNULL)
        except FileNotFoundError as error:
            raise WorkbookError("git is not installed") from error

    # ./kata reset <chapter>
    def reset(self, arg: str, yes: bool) -> int:
        chapter = self.chapter(arg)
        status = self._git("status", "--porcelain", "--", chapter.kata_dir)
        if status.returncode != 0:
            raise WorkbookError(f"cannot ask git about {chapter.kata_dir}: {status.stderr.strip()}")
        lines = [l for l in status.stdout.splitlines() if l.strip()]
        changed = [l[3:] for l in lines if not l.startswith("??")]
        untracked = [l[3:] for l in lines if l.startswith("??")]
        if not changed:
            print(f"{chapter.kata_dir}/ already matches the committed stubs.")
            return 0
        print(f"This restores {chapter.kata_dir}/ to the committed stubs and discards your changes to:")
        for path in changed:
            print(f"  {path}")
        if not yes and not confirm("Reset? [y/N] "):
            print("Nothing was reset.")
            return 1
        restore = self._git("checkout", "HEAD", "--", chapter.kata_dir)
        if restore.returncode != 0:
            raise WorkbookError(f"git checkout failed: {restore.stderr.strip()}")
        print(self.style.green(f"Reset {chapter.kata_dir}/:") + " restored " + ", ".join(changed))
        if untracked:
            print("Left alone (not in git): " + ", ".join(untracked))
        return 0

    # ./kata solution <chapter>
    def solution(self, arg: str) -> int:
        chapter = self.chapter(arg)
        solution_dir = self.root / chapter.solution_dir
        if not solution_dir.is_dir():
            raise WorkbookError(f"no reference solution at {chapter.solution_dir}/")
        print(self.style.paint(f"Spoiler warning: this is the reference solution of {chapter.name}. "
                               f"Stuck? Try ./kata hint {chapter.number} first.", "bold", "yellow"))
        names = sorted(p.name for p in solution_dir.iterdir()
                       if p.is_file() and not p.name.startswith("BUILD"))
        for name in names:
            self.print_diff(f"{chapter.kata_dir}/{name}", f"{chapter.solution_dir}/{name}")
        return 0

    def print_diff(self, old: str, new: str) -> None:
        old_lines = read_lines(self.root / old)
        new_lines = read_lines(self.root / new)
        diff = list(difflib.unified_diff(old_lines, new_lines, fromfile=old, tofile=new))
        print()
        if not diff:
            print(self.style.dim(f"{old} is identical to {new}"))
            return
        for line in diff:
            line = line.rstrip("\n")
            if line.startswith(("---", "+++")):
                print(self.style.bold(line))
            elif line.startswith("@@"):
                print(self.style.cyan(line))
            elif line.startswith("+"):
                print(self.style.green(line))
            elif line.startswith("-"):
                print(self.style.red(line))
            else:
                print(line)

    # ./kata list
    def list_chapters(self) -> int:
        if not self.chapters:
            print("No chapters found under chapters/.")
        for chapter in self.chapters:
            self.printer.chapter_heading(chapter)
            for step in chapter.steps:
                print(f"    Step {step.number}: {step.title}")
            if not chapter.steps:
                print("    (no steps in HINTS.md)")
        return 0

    # ./kata verify
    def verify(self) -> int:
        return checks.run_verify(self.root, self.chapters, self.style, sys.stdout)

    # ./kata integrity
    def integrity(self) -> int:
        items = checks.run_integrity(self.root, self.chapters, self.style, sys.stdout)
        passed = sum(i.passed for i in items)
        print(summary_line(passed, len(items) - passed))
        return 0 if passed == len(items) else 1


def read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
    except OSError:
        return []


def confirm(prompt: str) -> bool:
    if not sys.stdin.isatty():
        print("Not asking on a non-interactive input; pass --yes to reset anyway.")
        return False
    try:
        return input(prompt).strip().lower() in ("y", "yes")
    except EOFError:
        return False


# --- Command line ------------------------------------------------------------------

def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="kata", description="The gort workbook: rebuild the Go runtime in C++, kata by kata.",
        epilog="A chapter may be given as 01_slices, 01, slices or chapters/01_slices.")
    commands = parser.add_subparsers(dest="command", metavar="command")
    commands.add_parser("status", help="build and test all katas, show progress and what's next")
    test = commands.add_parser("test", help="test one chapter and show its failures")
    test.add_argument("chapter")
    hint = commands.add_parser("hint", help="hints for a step (default: the first failing one)")
    hint.add_argument("chapter")
    hint.add_argument("step", nargs="?", type=int)
    reset = commands.add_parser("reset", help="restore a chapter's katas/ to the committed stubs")
    reset.add_argument("chapter")
    reset.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    solution = commands.add_parser("solution", help="diff your kata against the reference (spoiler)")
    solution.add_argument("chapter")
    commands.add_parser("list", help="list chapters and steps")
    commands.add_parser("verify", help="the project's test command: reference tests + integrity")
    commands.add_parser("integrity", help="check that the committed stubs fail every step")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(errors="replace")
    workbook = Workbook(ROOT, stdout_style())
    command = args.command or "status"
    try:
        if command == "status":
            return workbook.status()
        if command == "test":
            return workbook.test(args.chapter)
        if command == "hint":
            return workbook.hint(args.chapter, args.step)
        if command == "reset":
            return workbook.reset(args.chapter, args.yes)
        if command == "solution":
            return workbook.solution(args.chapter)
        if command == "list":
            return workbook.list_chapters()
        if command == "verify":
            return workbook.verify()
        return workbook.integrity()
    except (WorkbookError, bazel.BazelError) as error:
        print(f"kata: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
