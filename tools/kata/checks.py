"""The project's own checks: `./kata integrity` and `./kata verify`.

integrity: every chapter's kata must fail against the stubs as committed, and
each step of the chapter (the StepN suites of its reference test) must have at
least one failing kata test whose failure shows a `KATA TODO` message. If the
learner has touched katas/, the committed tree is exported (`git archive HEAD`)
to a scratch directory and checked there.

verify: all reference tests (`bazel test //...`; kata targets are manual), then
integrity; the last line printed is `N passed, M failed`.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, TextIO

import bazel
from results import (StepTally, TargetRun, extract_build_errors, failure_summary, group_by_step,
                     summary_line)
from term import Style, plural
from workbook import Chapter

REFERENCE_QUERY = "tests(//...) except attr(tags, '\\bmanual\\b', tests(//...))"
MAX_ERROR_LINES = 40
MAX_FAILURES_PER_TARGET = 5


@dataclass
class CheckItem:
    """One counted pass/fail item of a check."""

    name: str
    passed: bool
    detail: str

    def line(self, style: Style) -> str:
        verdict = style.green("PASS") if self.passed else style.red("FAIL")
        return f"{verdict} {self.name}: {self.detail}"


# --- integrity ----------------------------------------------------------------

def check_chapter(chapter: Chapter, kata: TargetRun, reference: TargetRun) -> list[CheckItem]:
    """The integrity items of one chapter, from its kata and reference runs."""
    name = f"integrity {chapter.name}"
    if kata.status == "FAILED TO BUILD":
        items = [CheckItem(name, False, "kata target does not build against the stubs")]
    elif not kata.ran:
        items = [CheckItem(name, False, f"kata target did not run ({kata.status})")]
    elif kata.succeeded:
        items = [CheckItem(name, False, "kata target passes against the untouched stubs")]
    else:
        items = [CheckItem(name, True, "kata target fails against stubs")]

    steps = sorted(n for n in group_by_step(reference.results) if n is not None)
    if not steps:
        why = (f"reference_test did not run ({reference.status})" if not reference.ran
               else "reference_test has no StepN_ test suites")
        return items + [CheckItem(f"{name} steps", False, why)]
    kata_steps = group_by_step(kata.results)
    for number in steps:
        items.append(_check_step(f"{name} step {number}", kata, kata_steps.get(number)))
    return items


def _check_step(name: str, kata: TargetRun, tally: StepTally | None) -> CheckItem:
    if not kata.ran:
        return CheckItem(name, False, f"no kata results ({kata.status})")
    if tally is None or tally.total == 0:
        return CheckItem(name, False, "no kata test ran for this step")
    failing = len(tally.failed)
    counts = f"{failing} of {tally.total} tests fail"
    if failing == 0:
        return CheckItem(name, False, f"{counts}: the stubs already pass this step")
    if not any(r.has_todo for r in tally.failed):
        return CheckItem(name, False, f"{counts}, but none shows a KATA TODO message")
    return CheckItem(name, True, f"{counts}, TODO message shown")


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)


def katas_untouched(root: Path) -> bool | None:
    """True if katas/ matches HEAD, False if not, None if this is no git checkout."""
    try:
        done = _git(root, "status", "--porcelain", "--", "katas/")
    except FileNotFoundError:
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() == ""


_DISK_CACHE = re.compile(r"--disk_cache(?:=|\s+)(\"[^\"]*\"|'[^']*'|\S+)")


def configured_disk_cache(root: Path) -> str | None:
    """The --disk_cache of the workspace's .bazelrc/user.bazelrc, as an absolute path."""
    found = None
    for rc in (root / ".bazelrc", root / "user.bazelrc"):
        try:
            text = rc.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            if line.lstrip().startswith("#"):
                continue
            for match in _DISK_CACHE.finditer(line):
                found = match.group(1).strip("\"'")
    if not found:
        return None
    found = found.replace("%workspace%", str(root))
    path = Path(found).expanduser()
    return str(path if path.is_absolute() else root / path)


def export_dir(root: Path) -> Path:
    """A scratch directory that is the same for the same checkout, so Bazel's
    output base (and its caches) for the exported tree is reused between runs."""
    digest = hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"gort-kata-integrity-{digest}"


def _export_head(root: Path, target: Path) -> None:
    """`git archive HEAD | tar -x -C target`: the tracked files as committed."""
    archive = subprocess.Popen(["git", "archive", "HEAD"], cwd=root, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    untar = subprocess.run(["tar", "-x", "-C", str(target)], stdin=archive.stdout,
                           capture_output=True, text=True)
    archive.stdout.close()
    git_error = archive.stderr.read().decode(errors="replace").strip()
    if archive.wait() != 0 or untar.returncode != 0:
        raise bazel.BazelError(f"could not export HEAD: {git_error or untar.stderr.strip()}")


@contextlib.contextmanager
def committed_workspace(root: Path, out: TextIO) -> Iterator[tuple[Path, list[str]]]:
    """The workspace holding the katas as committed, and Bazel flags to use there."""
    untouched = katas_untouched(root)
    if untouched is None:
        print("Not a git checkout: checking katas/ as they are.", file=out)
    if untouched is not False:
        yield root, []
        return
    target = export_dir(root)
    print(f"katas/ has local changes: checking the committed stubs in an export "
          f"of HEAD at {target}", file=out)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    _export_head(root, target)
    if (root / "user.bazelrc").is_file():
        shutil.copy2(root / "user.bazelrc", target / "user.bazelrc")
    cache = configured_disk_cache(root)
    flags = [f"--disk_cache={cache}"] if cache else []
    try:
        yield target, flags
    finally:
        bazel.shutdown(target)
        shutil.rmtree(target, ignore_errors=True)


def run_integrity(root: Path, chapters: list[Chapter], style: Style, out: TextIO) -> list[CheckItem]:
    """Run the kata and reference tests of every chapter on the committed stubs."""
    if not chapters:
        print("No chapters found: nothing to check.", file=out)
        return []
    items: list[CheckItem] = []
    with committed_workspace(root, out) as (workspace, flags):
        targets = [c.reference_test for c in chapters] + [c.kata_suite for c in chapters]
        invocation = bazel.test(workspace, targets, flags + bazel.QUIET_TEST_OUTPUT,
                                title="Checking the kata stubs")
        for chapter in chapters:
            items += check_chapter(chapter, invocation.target(chapter.kata_test),
                                   invocation.target(chapter.reference_test))
        errors = [] if invocation.build_ok else extract_build_errors(invocation.output, str(workspace))
    for item in items:
        print(item.line(style), file=out)
    if errors:
        print_build_errors(errors, style, out)
    return items


# --- verify ----------------------------------------------------------------------

def print_build_errors(errors: list[str], style: Style, out: TextIO) -> None:
    """Compiler and Bazel errors, at most MAX_ERROR_LINES of them."""
    print(style.bold("Build errors:"), file=out)
    for line in errors[:MAX_ERROR_LINES]:
        lowered = line.lower()
        if "error" in lowered:
            line = style.red(line)
        elif "warning" in lowered:
            line = style.yellow(line)
        print("  " + line, file=out)
    if len(errors) > MAX_ERROR_LINES:
        print(f"  ... {len(errors) - MAX_ERROR_LINES} more lines", file=out)


def _target_line(run: TargetRun, style: Style) -> tuple[str, list[str]]:
    """The verdict line of one reference target and the failures to list under it."""
    if not run.ran:
        return f"{style.red('FAIL')} {run.label}: {run.status}", []
    total = run.passed_count + run.failed_count
    if run.failed_count == 0:
        return f"{style.green('PASS')} {run.label}: {plural(total, 'test')} passed", []
    failures = [r for r in run.results if r.failed]
    shown = []
    for failure in failures[:MAX_FAILURES_PER_TARGET]:
        shown.append(f"    {failure.full_name}: {failure_summary(failure.message)}".rstrip(": "))
    if len(failures) > MAX_FAILURES_PER_TARGET:
        shown.append(f"    ... and {len(failures) - MAX_FAILURES_PER_TARGET} more")
    return f"{style.red('FAIL')} {run.label}: {run.failed_count} of {total} tests failed", shown


def run_verify(root: Path, chapters: list[Chapter], style: Style, out: TextIO) -> int:
    """The project's test command. Returns the process exit code."""
    print(style.bold("== Reference tests: bazel test //... =="), file=out)
    invocation = bazel.test(root, ["//..."], title="Running all reference tests")
    expected = bazel.query(root, REFERENCE_QUERY) or []
    labels = sorted(set(expected) | set(invocation.statuses))
    passed = failed = 0
    for label in labels:
        run = invocation.target(label)
        line, details = _target_line(run, style)
        print(line, file=out)
        for detail in details:
            print(detail, file=out)
        if run.ran:
            passed, failed = passed + run.passed_count, failed + run.failed_count
        else:
            failed += 1  # did not build or did not run: one failure for the target
    if not invocation.build_ok:
        print_build_errors(extract_build_errors(invocation.output, str(root)), style, out)
        if failed == 0:
            print(f"{style.red('FAIL')} bazel test //...: exited with code "
                  f"{invocation.exit_code}", file=out)
            failed = 1
    if not labels:
        print("No reference tests found.", file=out)
    reference_summary = summary_line(passed, failed)

    print(style.bold("== Kata integrity: the stubs as committed =="), file=out)
    items = run_integrity(root, chapters, style, out)
    integrity_passed = sum(i.passed for i in items)
    integrity_failed = len(items) - integrity_passed

    print(style.bold("== Summary =="), file=out)
    print(f"Reference tests: {reference_summary} ({plural(len(labels), 'target')})", file=out)
    print(f"Kata integrity:  {summary_line(integrity_passed, integrity_failed)}", file=out)
    total_failed = failed + integrity_failed
    print(summary_line(passed + integrity_passed, total_failed), file=out)
    return 0 if total_failed == 0 and invocation.build_ok else 1
