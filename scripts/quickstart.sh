#!/usr/bin/env bash
# The main job: installs missing system packages, builds reslab, and runs the built-in experiment.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product reslab
.build/release/reslab --help
