#!/usr/bin/env bash
# The test command: installs missing system packages, then builds and runs every test once, in
# release mode (tests that train networks are far too slow in a debug build). Ends with the
# skipped tests named: Swift Testing reports a test disabled by its trait as skipped, but counts
# one that returns early (after printing "skipped: <why>", e.g. without ../shared/datasets) as
# passed, so those are listed and counted here, not as passes.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
swift test -c release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
skipped=$(grep -E "^.{0,4}Test .* skipped|^skipped: " "$log" | sed -E 's/^[^A-Za-z]*//' | sort | uniq -c || true)
if [ -n "$skipped" ]; then
  echo
  echo "Skipped, not passed ($(echo "$skipped" | awk '{n += $1} END {print n}') in all; a count above 1 is a test case run that many times):"
  echo "$skipped"
fi
exit "$status"
