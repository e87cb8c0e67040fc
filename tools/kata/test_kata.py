#!/usr/bin/env python3
"""Unit tests of the workbook CLI. Run: python3 tools/kata/test_kata.py"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stdout
from pathlib import Path
from unittest import mock

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bazel  # noqa: E402
import checks  # noqa: E402
import kata  # noqa: E402
from results import (Outcome, TargetRun, TestResult, collect_target, extract_build_errors,  # noqa: E402
                     extract_todo, failure_summary, group_by_step, parse_gtest_log, parse_test_summary,
                     parse_test_xml, step_of, summary_line)
from term import Style  # noqa: E402
from workbook import (Chapter, Step, WorkbookError, discover_chapters, parse_hints,  # noqa: E402
                      readme_title, resolve_chapter)

TODO_FAILURE = (
    '<failure message="unknown file&#x0A;C++ exception with description &quot;KATA TODO: {fn} '
    '\u2014 read chapters/01_slices/README.md#{anchor}&quot; thrown in the test body." type="">'
    '<![CDATA[unknown file\nC++ exception with description "KATA TODO: {fn} \u2014 read '
    'chapters/01_slices/README.md#{anchor}" thrown in the test body.]]></failure>'
)

GTEST_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="7" failures="4" disabled="1" errors="0" name="AllTests">
  <testsuite name="Step1_Roundupsize" tests="2" failures="0">
    <testcase name="RoundsSmallSizesUp" status="run" result="completed" classname="Step1_Roundupsize" />
    <testcase name="KeepsExactSizes" status="run" result="completed" classname="Step1_Roundupsize" />
  </testsuite>
  <testsuite name="Growth/Step2_Growslice" tests="2" failures="2">
    <testcase name="MatchesGo/0" value_param="1" status="run" result="completed" classname="Growth/Step2_Growslice">
      {TODO_FAILURE.format(fn="growslice", anchor="growth")}
    </testcase>
    <testcase name="MatchesGo/3" value_param="1024" status="run" result="completed" classname="Growth/Step2_Growslice">
      {TODO_FAILURE.format(fn="growslice", anchor="growth")}
    </testcase>
  </testsuite>
  <testsuite name="Step2_Skip" tests="2" failures="0" skipped="1" disabled="1">
    <testcase name="Skipped" status="run" result="skipped" classname="Step2_Skip">
      <skipped message="not yet"><![CDATA[not yet]]></skipped>
    </testcase>
    <testcase name="DISABLED_Off" status="notrun" result="suppressed" classname="Step2_Skip" />
  </testsuite>
  <testsuite name="Step3_Append" tests="1" failures="1">
    <testcase name="AppendsOne" status="run" result="completed" classname="Step3_Append">
      <failure message="slice_test.cc:12&#x0A;Expected equality of these values:&#x0A;  s.len&#x0A;    Which is: 0&#x0A;  1" type=""><![CDATA[slice_test.cc:12
Expected equality of these values:
  s.len
    Which is: 0
  1]]></failure>
    </testcase>
  </testsuite>
  <testsuite name="SliceHelpers" tests="1" failures="1">
    <testcase name="NoStep" status="run" result="completed" classname="SliceHelpers">
      <failure message="boom" type=""><![CDATA[boom]]></failure>
    </testcase>
  </testsuite>
</testsuites>
"""

# What Bazel writes itself when the test binary died without writing XML.
BAZEL_GENERATED_XML = """<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="chapters/01_slices/kata_test" tests="1" failures="0" errors="1">
    <testcase name="chapters/01_slices/kata_test" status="run" duration="0" time="0"><error message="exited with error code 139"></error></testcase>
      <system-out>
Generated test.log (if the file is not UTF-8, then this may be unreadable):
<![CDATA[exec ${PAGER:-/usr/bin/less} "$0" || exit 1]]>
      </system-out>
    </testsuite>
</testsuites>
"""

CRASH_LOG = """exec ${PAGER:-/usr/bin/less} "$0" || exit 1
Executing tests from //chapters/01_slices:kata_test
-----------------------------------------------------------------------------
[==========] Running 3 tests from 2 test suites.
[ RUN      ] Step1_Roundupsize.RoundsSmallSizesUp
[       OK ] Step1_Roundupsize.RoundsSmallSizesUp (0 ms)
[ RUN      ] Growth/Step2_Growslice.MatchesGo/0
slice_test.cc:20: Failure
Expected: 2
[  FAILED  ] Growth/Step2_Growslice.MatchesGo/0, where GetParam() = 1 (0 ms)
[ RUN      ] Step2_Growslice.Large
about to touch memory
1795326023.442390468: src/main/tools/linux-sandbox.cc:152: calling pipe(2)...
"""

SUMMARY_OUTPUT = """INFO: Build completed, 2 tests FAILED, 21 total actions
//chapters/01_slices:reference_test                                      PASSED in 0.0s
//chapters/02_maps:reference_test                              (cached) PASSED in 0.3s
//chapters/01_slices:kata_test                                           FAILED in 0.0s
  /root/.cache/bazel/execroot/__main__/bazel-out/k8-fastbuild/testlogs/chapters/01_slices/kata_test/test.log
//chapters/02_maps:kata_test                                    FAILED TO BUILD
//chapters/03_chans:kata_test                                   NO STATUS
//runtime:flaky_test                                            FLAKY, failed in 1 out of 2 in 0.4s
//runtime:slow_test                                             TIMEOUT in 60.0s

Executed 3 out of 5 tests: 1 test passes and 2 fail locally.
"""

BUILD_FAILURE_OUTPUT = """Loading: 0 packages loaded
INFO: Found 2 test targets...
[0 / 1] [Prepa] BazelWorkspaceStatusAction stable-status.txt
ERROR: /work/main/chapters/01_slices/BUILD:1:11: Compiling katas/01_slices/slice.cc failed: (Exit 1): linux-sandbox failed: error executing command
  (cd /root/.cache/bazel/execroot/__main__ && \\
  exec env - \\
    PATH=/usr/bin:/bin \\
  /usr/share/bazel/linux-sandbox -t 15 -D -- /usr/bin/gcc -U_FORTIFY_SOURCE -c katas/01_slices/slice.cc)
1795326035.552059883: src/main/tools/linux-sandbox.cc:152: calling pipe(2)...
katas/01_slices/slice.cc: In function 'int growslice(int, int)':
katas/01_slices/slice.cc:4:36: error: 'foo' was not declared in this scope
    4 | int growslice(int old, int want) { foo(); }
      |                                    ^~~
INFO: Elapsed time: 0.544s, Critical Path: 0.20s
FAILED: Build did NOT complete successfully
//chapters/01_slices:kata_test                                  FAILED TO BUILD
"""

HINTS_MD = """# Hints: Slices

Some introduction that belongs to no step.

## Step 1: roundupsize
Read: chapters/01_slices/README.md#size-classes

Look at the size class table.

Round up to the next class:

```cpp
int s = 8;

while (s < n) s *= 2;
```

## Step 2: growslice
Read: chapters/01_slices/README.md#growth

Double until 256, then grow by 1.25x.

## Notes

Not a step.
"""


def xml_results(text: str) -> list[TestResult]:
    results = parse_test_xml(text)
    assert results is not None
    return results


class XmlParsingTest(unittest.TestCase):
    def test_outcomes_and_messages(self) -> None:
        results = {r.full_name: r for r in xml_results(GTEST_XML)}
        self.assertEqual(results["Step1_Roundupsize.RoundsSmallSizesUp"].outcome, Outcome.PASSED)
        growth = results["Growth/Step2_Growslice.MatchesGo/3"]
        self.assertEqual(growth.outcome, Outcome.FAILED)
        self.assertTrue(growth.has_todo)
        self.assertIn("Which is: 0", results["Step3_Append.AppendsOne"].message)
        self.assertEqual(results["Step2_Skip.Skipped"].outcome, Outcome.SKIPPED)
        self.assertEqual(results["Step2_Skip.DISABLED_Off"].outcome, Outcome.SKIPPED)
        self.assertFalse(any(r.generated for r in results.values()))

    def test_bazel_generated_xml_is_marked_and_names_the_signal(self) -> None:
        [result] = xml_results(BAZEL_GENERATED_XML)
        self.assertTrue(result.generated)
        self.assertTrue(result.failed)
        self.assertIn("exited with error code 139", result.message)
        self.assertIn("SIGSEGV", result.message)

    def test_unparseable_and_partial_xml(self) -> None:
        self.assertIsNone(parse_test_xml(""))
        self.assertIsNone(parse_test_xml(GTEST_XML[: len(GTEST_XML) // 2]))

    def test_control_characters_are_tolerated(self) -> None:
        text = GTEST_XML.replace("boom", "bo\x01om")
        self.assertEqual(len(xml_results(text)), 8)


class StepTest(unittest.TestCase):
    def test_step_of(self) -> None:
        self.assertEqual(step_of("Step1_Roundupsize"), 1)
        self.assertEqual(step_of("Growth/Step2_Growslice"), 2)
        self.assertEqual(step_of("Step12_Big"), 12)
        self.assertEqual(step_of("Step3_Typed/0"), 3)
        self.assertIsNone(step_of("SliceHelpers"))
        self.assertIsNone(step_of("MyStep1_Thing"))
        self.assertIsNone(step_of(""))

    def test_grouping(self) -> None:
        tallies = group_by_step(xml_results(GTEST_XML))
        self.assertEqual(list(tallies), [1, 2, 3, None])
        self.assertTrue(tallies[1].done)
        self.assertEqual((len(tallies[1].passed), tallies[1].total), (2, 2))
        step2 = tallies[2]
        self.assertEqual((len(step2.passed), len(step2.failed), len(step2.skipped)), (0, 2, 2))
        self.assertEqual(step2.total, 2)  # skipped tests are not counted
        self.assertFalse(step2.done)
        self.assertEqual(len(tallies[None].failed), 1)

    def test_only_skipped_is_not_done(self) -> None:
        tallies = group_by_step([TestResult("Step4_X", "A", Outcome.SKIPPED)])
        self.assertFalse(tallies[4].done)
        self.assertEqual(tallies[4].total, 0)

    def test_extract_todo(self) -> None:
        message = ('unknown file\nC++ exception with description "KATA TODO: growslice \u2014 read '
                   'chapters/01_slices/README.md#growth" thrown in the test body.')
        self.assertEqual(extract_todo(message),
                         ["KATA TODO: growslice \u2014 read chapters/01_slices/README.md#growth"])
        self.assertEqual(extract_todo("KATA TODO: x, then write it in y"),
                         ["KATA TODO: x, then write it in y"])
        self.assertEqual(extract_todo("Expected 1"), [])


class FailureSummaryTest(unittest.TestCase):
    def test_forms(self) -> None:
        results = {r.full_name: r for r in xml_results(GTEST_XML)}
        self.assertEqual(results_summary(results["Step3_Append.AppendsOne"]),
                         "slice_test.cc:12: Expected equality of these values:")
        self.assertTrue(results_summary(results["Growth/Step2_Growslice.MatchesGo/0"])
                        .startswith("KATA TODO: growslice"))
        self.assertEqual(failure_summary("unknown file\nC++ exception with description \"x\""),
                         'C++ exception with description "x"')
        self.assertEqual(failure_summary(""), "")


def results_summary(result: TestResult) -> str:
    return failure_summary(result.message)


class GtestLogTest(unittest.TestCase):
    def test_crash_marks_the_running_test(self) -> None:
        results = parse_gtest_log(CRASH_LOG, "exited with error code 139")
        self.assertEqual([(r.full_name, r.outcome) for r in results], [
            ("Step1_Roundupsize.RoundsSmallSizesUp", Outcome.PASSED),
            ("Growth/Step2_Growslice.MatchesGo/0", Outcome.FAILED),
            ("Step2_Growslice.Large", Outcome.FAILED),
        ])
        self.assertIn("Expected: 2", results[1].message)
        crash = results[2].message
        self.assertIn("died during this test: exited with error code 139", crash)
        self.assertIn("about to touch memory", crash)
        self.assertNotIn("linux-sandbox", crash)

    def test_summary_repeat_of_failed_tests_is_ignored(self) -> None:
        log = ("[ RUN      ] Step1_A.B\n[  FAILED  ] Step1_A.B (0 ms)\n"
               "[==========] 1 test ran.\n[  FAILED  ] 1 test, listed below:\n"
               "[  FAILED  ] Step1_A.B\n")
        self.assertEqual(len(parse_gtest_log(log)), 1)


class CollectTargetTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.testlogs = Path(self.tmp.name)
        self.dir = self.testlogs / "chapters/01_slices/kata_test"
        self.dir.mkdir(parents=True)
        self.label = "//chapters/01_slices:kata_test"

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def write(self, name: str, text: str) -> None:
        (self.dir / name).write_text(text, encoding="utf-8")

    def test_reads_gtest_xml(self) -> None:
        self.write("test.xml", GTEST_XML)
        run = collect_target(self.testlogs, self.label, "FAILED")
        self.assertEqual((run.passed_count, run.failed_count), (2, 4))

    def test_stale_xml_is_ignored_when_the_target_did_not_build(self) -> None:
        self.write("test.xml", GTEST_XML)
        run = collect_target(self.testlogs, self.label, "FAILED TO BUILD")
        self.assertFalse(run.ran)
        self.assertEqual(run.results, [])

    def test_missing_xml_of_a_failed_target_counts_one_failure(self) -> None:
        run = collect_target(self.testlogs, self.label, "FAILED")
        self.assertEqual((run.passed_count, run.failed_count), (0, 1))
        self.assertTrue(run.results[0].generated)

    def test_bazel_xml_falls_back_to_the_log(self) -> None:
        self.write("test.xml", BAZEL_GENERATED_XML)
        self.write("test.log", CRASH_LOG)
        run = collect_target(self.testlogs, self.label, "FAILED")
        self.assertEqual((run.passed_count, run.failed_count), (1, 2))
        self.assertIn("SIGSEGV", run.results[-1].message)

    def test_bazel_xml_without_gtest_log(self) -> None:
        self.write("test.xml", BAZEL_GENERATED_XML)
        run = collect_target(self.testlogs, self.label, "FAILED")
        self.assertEqual(run.failed_count, 1)

    def test_passed_target_without_gtest_results_counts_one_pass(self) -> None:
        run = collect_target(self.testlogs, self.label, "PASSED")
        self.assertEqual((run.passed_count, run.failed_count), (1, 0))

    def test_failed_target_whose_cases_all_passed_gets_a_failure(self) -> None:
        self.write("test.xml", GTEST_XML.replace("<failure", "<ignored").replace("</failure>", "</ignored>"))
        run = collect_target(self.testlogs, self.label, "FAILED")
        self.assertEqual(run.failed_count, 1)
        self.assertIn("no test case failed", [r for r in run.results if r.failed][0].message)

    def test_sharded_results(self) -> None:
        for shard in (1, 2):
            (self.dir / f"shard_{shard}_of_2").mkdir()
            (self.dir / f"shard_{shard}_of_2/test.xml").write_text(GTEST_XML)
        run = collect_target(self.testlogs, self.label, "FAILED")
        self.assertEqual(run.failed_count, 8)


class BazelOutputTest(unittest.TestCase):
    def test_summary(self) -> None:
        self.assertEqual(parse_test_summary(SUMMARY_OUTPUT), {
            "//chapters/01_slices:reference_test": "PASSED",
            "//chapters/02_maps:reference_test": "PASSED",
            "//chapters/01_slices:kata_test": "FAILED",
            "//chapters/02_maps:kata_test": "FAILED TO BUILD",
            "//chapters/03_chans:kata_test": "NO STATUS",
            "//runtime:flaky_test": "FLAKY",
            "//runtime:slow_test": "TIMEOUT",
        })

    def test_build_errors(self) -> None:
        errors = extract_build_errors(BUILD_FAILURE_OUTPUT, "/work/main")
        self.assertEqual(errors, [
            "ERROR: chapters/01_slices/BUILD:1:11: Compiling katas/01_slices/slice.cc failed (exit 1)",
            "katas/01_slices/slice.cc: In function 'int growslice(int, int)':",
            "katas/01_slices/slice.cc:4:36: error: 'foo' was not declared in this scope",
            "    4 | int growslice(int old, int want) { foo(); }",
            "      |                                    ^~~",
        ])

    def test_linker_errors_are_kept(self) -> None:
        output = ("ERROR: /w/chapters/01_slices/BUILD:3:13: Linking chapters/01_slices/kata_test failed: "
                  "(Exit 1): gcc failed: error executing command /usr/bin/gcc @params\n"
                  "/usr/bin/ld: slice.o: undefined reference to `growslice(int, int)'\n"
                  "collect2: error: ld returned 1 exit status\n"
                  "Target //chapters/01_slices:kata_test failed to build\n")
        errors = extract_build_errors(output, "/w")
        self.assertEqual(errors[1:], ["/usr/bin/ld: slice.o: undefined reference to `growslice(int, int)'",
                                      "collect2: error: ld returned 1 exit status"])


class HintsTest(unittest.TestCase):
    def test_parse(self) -> None:
        hints = parse_hints(HINTS_MD)
        self.assertEqual(hints.title, "Slices")
        self.assertEqual([(s.number, s.title) for s in hints.steps], [(1, "roundupsize"), (2, "growslice")])
        step1 = hints.steps[0]
        self.assertEqual(step1.read, "chapters/01_slices/README.md#size-classes")
        self.assertEqual(len(step1.hints), 3)
        self.assertEqual(step1.hints[0], "Look at the size class table.")
        self.assertIn("while (s < n)", step1.hints[2])  # the code block stays one paragraph
        self.assertEqual(hints.steps[1].hints, ["Double until 256, then grow by 1.25x."])

    def test_step_without_read_line(self) -> None:
        hints = parse_hints("## Step 3 \u2014 append\n\nJust do it.\n")
        self.assertEqual(hints.steps[0].title, "append")
        self.assertIsNone(hints.steps[0].read)
        self.assertEqual(hints.steps[0].hints, ["Just do it."])

    def test_readme_title(self) -> None:
        self.assertEqual(readme_title("```\n# not this\n```\n# Chapter 1: Slices\n"), "Chapter 1: Slices")
        self.assertIsNone(readme_title("no heading"))


class ChapterResolutionTest(unittest.TestCase):
    chapters = [Chapter("01_slices", "Slices", []), Chapter("02_maps", "Maps", []),
                Chapter("03_map_iteration", "Iteration", [])]

    def test_forms(self) -> None:
        for arg in ("01_slices", "01", "1", "slices", "SLICES", "chapters/01_slices",
                    "chapters/01_slices/", "katas/01_slices", "slic"):
            self.assertEqual(resolve_chapter(self.chapters, arg).name, "01_slices", arg)
        self.assertEqual(resolve_chapter(self.chapters, "maps").name, "02_maps")
        self.assertEqual(resolve_chapter(self.chapters, "3").name, "03_map_iteration")

    def test_ambiguous_and_unknown(self) -> None:
        with self.assertRaisesRegex(WorkbookError, "ambiguous"):
            resolve_chapter(self.chapters, "map")
        with self.assertRaisesRegex(WorkbookError, "no chapter 'xyz'"):
            resolve_chapter(self.chapters, "xyz")

    def test_discovery(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for name in ("02_maps", "01_slices", "notes"):
                (root / "chapters" / name).mkdir(parents=True)
                (root / "chapters" / name / "BUILD").write_text("")
            (root / "chapters/01_slices/README.md").write_text("# Slices: growing arrays\n")
            (root / "chapters/01_slices/HINTS.md").write_text(HINTS_MD)
            chapters = discover_chapters(root)
        self.assertEqual([c.name for c in chapters], ["01_slices", "02_maps"])
        self.assertEqual(chapters[0].title, "Slices: growing arrays")
        self.assertEqual(chapters[1].title, "02_maps")
        self.assertEqual(len(chapters[0].steps), 2)


def run(label: str, status: str, results: list[TestResult]) -> TargetRun:
    return TargetRun(label, status, results)


class IntegrityTest(unittest.TestCase):
    chapter = Chapter("01_slices", "Slices", [])
    reference = run("//chapters/01_slices:reference_test", "PASSED", [
        TestResult("Step1_A", "x", Outcome.PASSED), TestResult("Growth/Step2_B", "y/0", Outcome.PASSED)])

    def items(self, kata: TargetRun) -> list[str]:
        return [item.line(Style(False)) for item in checks.check_chapter(self.chapter, kata, self.reference)]

    def test_good_stubs(self) -> None:
        kata = run("//chapters/01_slices:kata_test", "FAILED", [
            TestResult("Step1_A", "x", Outcome.FAILED, "KATA TODO: a"),
            TestResult("Growth/Step2_B", "y/0", Outcome.FAILED, "KATA TODO: b"),
            TestResult("Growth/Step2_B", "y/1", Outcome.PASSED)])
        self.assertEqual(self.items(kata), [
            "PASS integrity 01_slices: kata target fails against stubs",
            "PASS integrity 01_slices step 1: 1 of 1 tests fail, TODO message shown",
            "PASS integrity 01_slices step 2: 1 of 2 tests fail, TODO message shown",
        ])

    def test_bad_stubs(self) -> None:
        kata = run("//chapters/01_slices:kata_test", "FAILED", [
            TestResult("Step1_A", "x", Outcome.PASSED),
            TestResult("Growth/Step2_B", "y/0", Outcome.FAILED, "Expected 1")])
        lines = self.items(kata)
        self.assertTrue(lines[1].startswith("FAIL integrity 01_slices step 1: 0 of 1 tests fail"))
        self.assertEqual(lines[2], "FAIL integrity 01_slices step 2: 1 of 1 tests fail, "
                                   "but none shows a KATA TODO message")

    def test_kata_not_building(self) -> None:
        lines = self.items(run("//chapters/01_slices:kata_test", "FAILED TO BUILD", []))
        self.assertEqual(lines[0], "FAIL integrity 01_slices: kata target does not build against the stubs")
        self.assertEqual(len(lines), 3)
        self.assertTrue(all(line.startswith("FAIL") for line in lines))

    def test_reference_not_run(self) -> None:
        kata = run("//chapters/01_slices:kata_test", "FAILED", [])
        items = checks.check_chapter(self.chapter, kata, run("r", "NO STATUS", []))
        self.assertEqual(items[-1].line(Style(False)),
                         "FAIL integrity 01_slices steps: reference_test did not run (NO STATUS)")

    def test_disk_cache_is_found(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / ".bazelrc").write_text("# build --disk_cache=/nope\ntry-import %workspace%/user.bazelrc\n")
            self.assertIsNone(checks.configured_disk_cache(root))
            (root / "user.bazelrc").write_text("build --disk_cache=%workspace%/.cache/bazel\n")
            self.assertEqual(checks.configured_disk_cache(root), f"{root}/.cache/bazel")
            (root / "user.bazelrc").write_text("build --disk_cache /var/cache/gort\n")
            self.assertEqual(checks.configured_disk_cache(root), "/var/cache/gort")


class VerifySummaryTest(unittest.TestCase):
    def test_summary_line(self) -> None:
        self.assertEqual(summary_line(57, 0), "57 passed, 0 failed")

    def verify(self, statuses: dict[str, str], exit_code: int,
               xml: str = GTEST_XML) -> tuple[int, list[str]]:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            logs = root / "bazel-testlogs/chapters/01_slices/reference_test"
            logs.mkdir(parents=True)
            (logs / "test.xml").write_text(xml)
            invocation = bazel.TestInvocation(root, exit_code, "", statuses)
            integrity = [checks.CheckItem("integrity 01_slices", True, "kata target fails against stubs")]
            out = io.StringIO()
            with mock.patch.object(bazel, "test", return_value=invocation), \
                    mock.patch.object(bazel, "query", return_value=list(statuses)), \
                    mock.patch.object(checks, "run_integrity", return_value=integrity):
                code = checks.run_verify(root, [], Style(False), out)
        return code, out.getvalue().splitlines()

    def test_last_line_counts_everything(self) -> None:
        code, lines = self.verify({"//chapters/01_slices:reference_test": "FAILED",
                                   "//runtime:core_test": "FAILED TO BUILD"}, 1)
        self.assertEqual(lines[-1], "3 passed, 5 failed")  # 2+1 passed; 4 + 1 unbuilt failed
        self.assertEqual(code, 1)

    def test_green(self) -> None:
        passing = GTEST_XML.replace("<failure", "<ignored").replace("</failure>", "</ignored>")
        code, lines = self.verify({"//chapters/01_slices:reference_test": "PASSED"}, 0, passing)
        self.assertEqual(lines[-1], "7 passed, 0 failed")  # 6 cases + 1 integrity item
        self.assertEqual(code, 0)

    def test_build_failure_without_test_failures_still_fails(self) -> None:
        code, lines = self.verify({}, 1)
        self.assertEqual(lines[-1], "1 passed, 1 failed")
        self.assertEqual(code, 1)


class PrinterTest(unittest.TestCase):
    def test_message_lines(self) -> None:
        printer = kata.Printer(Style(False), Path('/nonexistent'))
        message = ('unknown file\nC++ exception with description "KATA TODO: growslice \u2014 read '
                   'x#growth" thrown in the test body.')
        self.assertEqual(printer.message_lines(message), ["KATA TODO: growslice \u2014 read x#growth"])
        long = "\n".join(f"line {i}" for i in range(12))
        self.assertEqual(printer.message_lines(long)[-1], "... 4 more lines")

    def test_next_step_points_at_first_failing_step(self) -> None:
        chapter = Chapter("01_slices", "Slices", [Step(1, "roundupsize", "r#one"), Step(2, "growslice", "r#two")])
        report = kata.ChapterReport(chapter, run("//chapters/01_slices:kata_test", "FAILED", [
            TestResult("Step1_A", "x", Outcome.PASSED),
            TestResult("Step2_B", "y", Outcome.FAILED, "KATA TODO: growslice")]))
        out = io.StringIO()
        with redirect_stdout(out):
            kata.Printer(Style(False), Path('/nonexistent')).next_step(report)
        self.assertEqual(out.getvalue().splitlines()[:4], [
            "Next: Step 2 of 01_slices \u2014 growslice",
            "  Read:  r#two",
            "  Edit:  katas/01_slices/",
            "  Run:   ./kata test 01   (or: bazel test //chapters/01_slices:kata)",
        ])


if __name__ == "__main__":
    unittest.main(verbosity=1)
