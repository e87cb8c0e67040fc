"""Compiler options for gort's own code (not for third-party code)."""

GORT_COPTS = [
    "-Wall",
    "-Wextra",
    "-Werror",
]
