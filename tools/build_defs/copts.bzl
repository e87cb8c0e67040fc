"""Compiler options for gort's own code (not for third-party code)."""

GORT_COPTS = [
    "-Wall",
    "-Wextra",
    "-Werror",
    # C++20 designated initializers may leave fields at their defaults
    # (Options{.gomaxprocs = 1}); GCC 12's -Wextra would flag every one.
    "-Wno-missing-field-initializers",
]
