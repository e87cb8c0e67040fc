"""Reading test results: GoogleTest XML, test logs, and Bazel's own output.

Every command that looks at test results (status, test, hint, verify,
integrity) goes through this module:

* ``parse_test_xml`` reads a ``test.xml`` written by GoogleTest, or the minimal
  one Bazel writes itself when the test binary died before writing its own.
* ``parse_gtest_log`` recovers per-test results from ``test.log`` when the
  binary crashed (GoogleTest only writes XML at the very end).
* ``collect_target`` combines both with the status Bazel printed for the
  target, so that a target that failed to build is never judged by a stale
  ``test.xml`` left over from an earlier run.
* ``parse_test_summary`` and ``extract_build_errors`` read Bazel's console
  output (its test summary and its compiler errors).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class Outcome(str, Enum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


# A step is the `StepN_` prefix of a suite name, after an optional `Prefix/`
# (TEST_P instantiations are named `Prefix/StepN_Suite`).
_STEP_PREFIX = re.compile(r"(?:^|/)Step(\d+)_")

# Bazel statuses of a test target whose test binary actually ran.
RAN_STATUSES = frozenset({"PASSED", "FLAKY", "FAILED", "TIMEOUT", "INCOMPLETE"})
SUCCESS_STATUSES = frozenset({"PASSED", "FLAKY"})
NOT_RUN = "NO STATUS"

_SUMMARY_LINE = re.compile(
    r"^((?:@[\w.\-]*)?//\S*)\s+(?:\(cached\)\s+)?"
    r"(PASSED|FAILED TO BUILD|FAILED|FLAKY|TIMEOUT|NO STATUS|INCOMPLETE|REMOTE FAILURE|SKIPPED|BUILT)\b"
)
_TODO = re.compile(r"KATA TODO.*?(?=\"? thrown in |\"?\s*$)")
# Debug chatter of Debian's linux-sandbox, which ends up in Bazel's output and test logs.
_SANDBOX_NOISE = re.compile(r"^\d+\.\d+: src/main/tools/")
_INVALID_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_LOG_RUN = re.compile(r"^\[\s*RUN\s*\]\s+(\S+)")
_LOG_END = re.compile(r"^\[\s+(OK|FAILED|SKIPPED)\s+\]\s+([^\s,]+)")
_LOCATION = re.compile(r"^\S+:\d+$")
_EXIT_CODE = re.compile(r"exited with error code (\d+)")
CRASH_NOTE = "The test binary died during this test"
_SIGNALS = {4: "SIGILL", 6: "SIGABRT, e.g. abort() or a failed assert", 7: "SIGBUS",
            8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV, a segmentation fault"}


@dataclass
class TestResult:
    """One test case: `suite.name` with its outcome and failure text."""

    suite: str
    name: str
    outcome: Outcome
    message: str = ""
    # True for results that stand for the whole binary rather than a GoogleTest
    # case (Bazel's own XML, or a binary that failed without a failing case).
    generated: bool = False

    @property
    def step(self) -> int | None:
        return step_of(self.suite)

    @property
    def full_name(self) -> str:
        return f"{self.suite}.{self.name}" if self.suite else self.name

    @property
    def failed(self) -> bool:
        return self.outcome is Outcome.FAILED

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASSED

    @property
    def has_todo(self) -> bool:
        return "KATA TODO" in self.message


@dataclass
class StepTally:
    """The results of one step (number None: tests without a StepN_ suite)."""

    number: int | None
    passed: list[TestResult] = field(default_factory=list)
    failed: list[TestResult] = field(default_factory=list)
    skipped: list[TestResult] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Tests that ran to a verdict (skipped ones are not counted)."""
        return len(self.passed) + len(self.failed)

    @property
    def done(self) -> bool:
        return not self.failed and bool(self.passed)


@dataclass
class TargetRun:
    """What happened to one Bazel test target in one `bazel test` invocation."""

    label: str
    status: str  # as printed by Bazel: PASSED, FAILED, FAILED TO BUILD, NO STATUS...
    results: list[TestResult] = field(default_factory=list)

    @property
    def ran(self) -> bool:
        return self.status in RAN_STATUSES

    @property
    def succeeded(self) -> bool:
        return self.status in SUCCESS_STATUSES

    @property
    def crashed(self) -> bool:
        return any(r.message.startswith(CRASH_NOTE) for r in self.results)

    @property
    def passed_count(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def failed_count(self) -> int:
        return sum(r.failed for r in self.results)

    def steps(self) -> dict[int | None, StepTally]:
        return group_by_step(self.results)


def step_of(suite: str) -> int | None:
    """`Step2_Growslice` -> 2, `Growth/Step2_Growslice` -> 2, `SliceTest` -> None."""
    match = _STEP_PREFIX.search(suite)
    return int(match.group(1)) if match else None


def extract_todo(message: str) -> list[str]:
    """The `KATA TODO: ...` lines of a failure message, without GoogleTest's wrapping."""
    todos = []
    for line in message.splitlines():
        match = _TODO.search(line)
        if match:
            todos.append(match.group(0).strip())
    return todos


def is_noise(line: str) -> bool:
    return bool(_SANDBOX_NOISE.match(line))


def describe_exit(message: str) -> str:
    """Add the signal name to Bazel's 'exited with error code 139'."""
    match = _EXIT_CODE.search(message)
    if match and int(match.group(1)) > 128:
        signal = _SIGNALS.get(int(match.group(1)) - 128)
        if signal:
            return f"{message} ({signal})"
    return message


def failure_summary(message: str) -> str:
    """One line for a failure: its KATA TODO, or its location and first line."""
    todos = extract_todo(message)
    if todos:
        return todos[0]
    lines = [l.strip() for l in message.splitlines() if l.strip()]
    if not lines:
        return ""
    if lines[0] == "unknown file":
        lines = lines[1:] or lines
    elif len(lines) > 1 and _LOCATION.match(lines[0]):
        return f"{lines[0]}: {lines[1]}"
    return lines[0]


def summary_line(passed: int, failed: int) -> str:
    """The last line of `./kata verify`."""
    return f"{passed} passed, {failed} failed"


# --- GoogleTest XML ---------------------------------------------------------

def _element_text(element: ET.Element) -> str:
    return (element.text or "").strip() or (element.get("message") or "").strip()


def _testcase_result(case: ET.Element) -> TestResult:
    suite = case.get("classname")
    name = case.get("name") or "?"
    failures = case.findall("failure") + case.findall("error")
    skipped = (
        case.get("status") == "notrun"
        or case.get("result") in ("skipped", "suppressed")
        or case.find("skipped") is not None
    )
    if failures:
        outcome = Outcome.FAILED
    elif skipped:
        outcome = Outcome.SKIPPED
    else:
        outcome = Outcome.PASSED
    message = "\n".join(_element_text(f) for f in failures)
    # GoogleTest always names the suite in `classname`; Bazel's own XML does not.
    if suite is None:
        return TestResult("", name, outcome, describe_exit(message), generated=True)
    return TestResult(suite, name, outcome, message)


def parse_test_xml(text: str) -> list[TestResult] | None:
    """All test cases of a test.xml, or None if it is not parseable XML."""
    for candidate in (text, _INVALID_XML_CHARS.sub("", text)):
        try:
            root = ET.fromstring(candidate)
        except ET.ParseError:
            continue
        return [_testcase_result(case) for case in root.iter("testcase")]
    return None


# --- GoogleTest console output (test.log) -------------------------------------

def _split_test_name(full: str) -> tuple[str, str]:
    suite, _, name = full.partition(".")
    return suite, name


def parse_gtest_log(text: str, crash_reason: str = "it crashed") -> list[TestResult]:
    """Per-test results from GoogleTest's console output.

    A test that was started but never finished is where the binary died: it is
    reported as failed with the last lines it printed.
    """
    results: list[TestResult] = []
    current: str | None = None
    output: list[str] = []
    for line in text.splitlines():
        started = _LOG_RUN.match(line)
        if started:
            current, output = started.group(1), []
            continue
        ended = _LOG_END.match(line)
        if ended and current is not None and ended.group(2) == current:
            outcome = {"OK": Outcome.PASSED, "FAILED": Outcome.FAILED,
                       "SKIPPED": Outcome.SKIPPED}[ended.group(1)]
            message = "\n".join(output) if outcome is Outcome.FAILED else ""
            results.append(TestResult(*_split_test_name(current), outcome, message))
            current, output = None, []
            continue
        if current is not None and not is_noise(line):
            output.append(line)
    if current is not None:
        tail = [l for l in output if l.strip()][-10:]
        message = "\n".join([f"{CRASH_NOTE}: {crash_reason}.", *tail])
        results.append(TestResult(*_split_test_name(current), Outcome.FAILED, message))
    return results


# --- Putting a target's results together --------------------------------------

def target_log_dir(testlogs: Path, label: str) -> Path:
    """//chapters/01_slices:kata_test -> <testlogs>/chapters/01_slices/kata_test."""
    repo, _, rest = label.partition("//")
    package, _, name = rest.partition(":")
    if not name:
        name = package.rsplit("/", 1)[-1]
    base = testlogs / "external" / repo.lstrip("@") if repo.lstrip("@") else testlogs
    return base / package / name


def _target_files(directory: Path, filename: str) -> list[Path]:
    """The file itself, or one per shard/run (shard_1_of_4/test.xml...)."""
    direct = directory / filename
    if direct.is_file():
        return [direct]
    return sorted(directory.glob(f"*/{filename}"))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def load_results(directory: Path, status: str) -> list[TestResult]:
    """The results in one target's testlogs directory.

    GoogleTest's XML if there is one; otherwise what the test log shows;
    otherwise Bazel's generated XML, which has one case for the whole binary.
    """
    gtest: list[TestResult] = []
    generated: list[TestResult] = []
    for xml_file in _target_files(directory, "test.xml"):
        parsed = parse_test_xml(_read(xml_file)) or []
        gtest += [r for r in parsed if not r.generated]
        generated += [r for r in parsed if r.generated]
    if gtest:
        return gtest
    if status == "TIMEOUT":
        reason = "it ran out of time (an endless loop?)"
    else:
        reason = next((r.message for r in generated if r.message), "") or f"Bazel reports {status}"
    for log_file in _target_files(directory, "test.log"):
        gtest += parse_gtest_log(_read(log_file), reason)
    return gtest or generated


def collect_target(testlogs: Path, label: str, status: str) -> TargetRun:
    """Results of a target, trusting test.xml only if Bazel says the test ran."""
    if status not in RAN_STATUSES:
        return TargetRun(label, status)
    directory = target_log_dir(testlogs, label)
    results = load_results(directory, status)
    real = [r for r in results if not r.generated]
    if status in SUCCESS_STATUSES:
        results = real or [TestResult("", label, Outcome.PASSED, generated=True)]
    elif not any(r.failed for r in results):
        reason = f"Bazel reports {status}, but no test case failed; see {directory / 'test.log'}"
        results = real + [TestResult("", label, Outcome.FAILED, reason, generated=True)]
    return TargetRun(label, status, results)


def group_by_step(results: list[TestResult]) -> dict[int | None, StepTally]:
    """Results grouped by step number, in step order (tests without a step last)."""
    tallies: dict[int | None, StepTally] = {}
    for result in results:
        tally = tallies.setdefault(result.step, StepTally(result.step))
        {Outcome.PASSED: tally.passed, Outcome.FAILED: tally.failed,
         Outcome.SKIPPED: tally.skipped}[result.outcome].append(result)
    order = sorted(tallies, key=lambda n: (n is None, n or 0))
    return {n: tallies[n] for n in order}


# --- Bazel's console output -----------------------------------------------------

def parse_test_summary(output: str) -> dict[str, str]:
    """Map each test label in Bazel's test summary to its status (later lines win)."""
    statuses: dict[str, str] = {}
    for line in output.splitlines():
        match = _SUMMARY_LINE.match(line)
        if match:
            statuses[match.group(1)] = match.group(2)
    return statuses


_BAZEL_MESSAGE = re.compile(
    r"^(INFO|WARNING|ERROR|FAILED|FAIL|DEBUG):|^Target //|^Use --|^Executed \d|"
    r"^(Loading|Analyzing)\b|^\[\d[\d,]* / \d|^//|^There were tests"
)
_ACTION_FAILED = re.compile(r"^(ERROR: .*? failed)(?:: \(Exit (\d+)\))?:? .*?error executing command.*$")
_GENERIC_ERRORS = (
    "ERROR: Build did NOT complete successfully",
    "ERROR: command succeeded, but",
    "ERROR: No test targets were found",
    "ERROR: Couldn't start the build",
)


def _shorten_error(line: str, root: str) -> str:
    if root:
        line = line.replace(root.rstrip("/") + "/", "")
    match = _ACTION_FAILED.match(line)
    if match:
        code = f" (exit {match.group(2)})" if match.group(2) else ""
        return match.group(1) + code
    return line


def extract_build_errors(output: str, root: str = "") -> list[str]:
    """Bazel's ERROR lines and the compiler/linker output printed under them.

    Drops the command line Bazel echoes after a failed action, the sandbox's
    debug chatter, progress lines and the generic closing errors.
    """
    errors: list[str] = []
    in_block = False
    echoing_command = False
    for raw in output.splitlines():
        line = raw.rstrip()
        if line.startswith("ERROR:"):
            in_block = not line.startswith(_GENERIC_ERRORS)
            echoing_command = "error executing command" in line
            short = _shorten_error(line, root)
            if in_block and short not in errors:
                errors.append(short)
            continue
        if not in_block:
            continue
        if _BAZEL_MESSAGE.match(line):
            in_block = False
            continue
        if echoing_command:
            if line[:1].isspace() or line.startswith("(cd "):
                continue
            echoing_command = False
        if is_noise(line) or not line.strip() or "remaining argument(s) skipped" in line:
            continue
        errors.append(line.replace(root.rstrip("/") + "/", "") if root else line)
    return errors
