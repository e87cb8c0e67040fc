#!/bin/sh
# Runs tools/kata/test_kata.py (stdlib unittest) inside Bazel's test sandbox.
set -eu
exec python3 tools/kata/test_kata.py
