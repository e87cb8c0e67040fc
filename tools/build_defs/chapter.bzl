"""gort_chapter: the test targets of one workbook chapter.

In chapters/NN_topic/BUILD, `gort_chapter()` generates:

  :reference_test  the chapter's tests linked with every chapter's reference
                   implementation; part of `bazel test //...`.
  :kata_test       the same tests linked with this chapter's kata and every
                   other chapter's reference; tagged manual, so `//...` stays
                   green while the kata is unwritten.
  :NN_topic        test_suite of :reference_test, so
                   `bazel test //chapters/NN_topic` runs the reference.
  :kata            test_suite of :kata_test (manual), so
                   `bazel test //chapters/NN_topic:kata` runs the learner's code.

Implementation libraries (//solutions/NN:impl, //katas/NN:impl) depend only on
header libraries, never on each other, which is what makes a chapter
swappable: exactly one of the two is linked into a test binary.
"""

load("@rules_cc//cc:defs.bzl", "cc_library", "cc_test")
load("//tools/build_defs:chapters.bzl", "CHAPTERS")
load("//tools/build_defs:copts.bzl", "GORT_COPTS")

def _impls(kata_chapter = None):
    """The impl libraries of all chapters, with `kata_chapter`'s kata."""
    return [
        ("//katas/%s:impl" if c == kata_chapter else "//solutions/%s:impl") % c
        for c in CHAPTERS
    ]

def gort_chapter(size = "small", timeout = None):
    """Declares the reference and kata test targets of this chapter package.

    Args:
      size: Bazel test size of both test binaries.
      timeout: optional Bazel timeout override.
    """
    chapter = native.package_name().split("/")[-1]
    if chapter not in CHAPTERS:
        fail("chapter %s is not listed in tools/build_defs/chapters.bzl" % chapter)
    common = [
        "//tests/%s:tests" % chapter,
        "//solutions/00_core:core",
        "//tools/testing:test_main",
    ]
    cc_test(
        name = "reference_test",
        size = size,
        timeout = timeout,
        deps = common + _impls(),
    )
    cc_test(
        name = "kata_test",
        size = size,
        timeout = timeout,
        tags = ["manual"],
        deps = common + _impls(kata_chapter = chapter),
    )
    native.test_suite(
        name = chapter,
        tests = [":reference_test"],
    )
    native.test_suite(
        name = "kata",
        tags = ["manual"],
        tests = [":kata_test"],
    )

def gort_impl(srcs):
    """Declares :impl, a chapter's implementation (reference or kata).

    solutions/NN_topic/BUILD and katas/NN_topic/BUILD both call this with
    the same file names, so the two are interchangeable in a test binary.
    The library depends only on the runtime headers.

    Args:
      srcs: the chapter's runtime .cc files.
    """
    cc_library(
        name = "impl",
        srcs = srcs,
        copts = GORT_COPTS,
        visibility = ["//visibility:public"],
        # Library code that Go writes in Go (sync.Once's deferred calls) may
        # use the typed API, which is header-only too.
        deps = [
            "//include/gort",
            "//include/gort/rt",
        ],
        # Chapters call each other's runtime functions through headers only
        # (maps use growslice and roundupsize, everything parks through the
        # scheduler), so the linker may meet a caller after its callee's
        # archive: linking every object makes the order irrelevant.
        alwayslink = True,
    )
