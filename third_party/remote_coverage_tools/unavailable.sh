#!/bin/sh
echo "coverage is not available in the offline gort workspace" >&2
exit 1
