#!/usr/bin/env bash
# Regenerates the allocator ground truth (the .inc files and
# allocator_go1.19.json in this directory) by running main.go with a real Go
# toolchain. Prefers the pinned Go 1.19 install; falls back to `go` on PATH.
# Check the regenerated files in together with any change to main.go.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

GO=/usr/lib/go-1.19/bin/go
if [[ ! -x "${GO}" ]]; then
  GO="$(command -v go || true)"
  if [[ -z "${GO}" ]]; then
    echo "regen.sh: no Go toolchain found (want /usr/lib/go-1.19/bin/go or go on PATH)" >&2
    exit 1
  fi
  echo "regen.sh: /usr/lib/go-1.19/bin/go missing, using ${GO} ($("${GO}" version))" >&2
fi

# This directory is a standalone module with no dependencies; keep any
# enclosing go.work or user GOFLAGS out of the way.
export GOWORK=off GO111MODULE=on GOFLAGS=

cd "${here}"
"${GO}" run . -out "${here}"
