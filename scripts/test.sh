#!/usr/bin/env bash
# The test command: installs missing system packages, then builds and runs every test once, in
# release mode (tests that train networks are far too slow in a debug build).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

swift test -c release "$@"
