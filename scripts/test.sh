#!/usr/bin/env bash
# The test command: installs missing system packages, then builds and runs every test once, in
# release mode (tests that train networks are far too slow in a debug build). After
# scripts/quickstart.sh it compiles only the test targets: Package.swift compiles every module
# with -enable-testing in release, so `swift build -c release` already makes what `@testable
# import` needs, and --disable-testable-imports keeps SwiftPM from adding the flag a second time
# at another place of each command line (which would recompile every module). Ends with the
# skipped tests named: Swift Testing reports a test disabled by its trait as skipped, but counts
# one that returns early (after printing "skipped: <File>.<test>(): <why>", e.g. without
# ../shared/datasets) as passed, so those are listed by name here and taken out of the count.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
swift test -c release --disable-testable-imports "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# A test that returns early prints "skipped: <File>.<test>(): <why>" (TestSupport's `Fixtures.skip`),
# once per test case; Swift Testing names a test disabled by its trait as "Test <test> skipped".
early=$(grep -E "^skipped: " "$log" | sed -E 's/^skipped: //' | sort | uniq -c || true)
disabled=$(grep -E "^.{0,4}Test .* skipped" "$log" | sed -E 's/^[^A-Za-z]*//' | sort -u || true)
if [ -n "$early$disabled" ]; then
  echo
  echo "Skipped, not passed (a count above 1 is a test case run that many times):"
  [ -n "$early" ] && echo "$early"
  [ -n "$disabled" ] && echo "$disabled" | sed 's/^/      /'
fi
# Swift Testing counted the early returns as passed: say how many passed for real.
reported=$(grep -oE "Test run with [0-9]+ tests?" "$log" | tail -1 | grep -oE "[0-9]+" || true)
if [ -n "$early" ] && [ -n "$reported" ]; then
  names=$(echo "$early" | sed -E 's/^ *[0-9]+ //; s/(\)): .*/\1/' | sort -u | wc -l)
  echo "swift test reported $reported tests; $names of them returned early with \"skipped:\" (listed above), so $((reported - names)) ran."
fi
exit "$status"
