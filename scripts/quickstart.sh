#!/usr/bin/env bash
# The main job: installs missing system packages, builds reslab, runs the built-in quickstart
# experiment (three small CNNs on generated stripes, tested from 8 to 64 px; its time is in the
# README's "How long things take"), and prints where the report is. Rerunning it continues an
# interrupted run. The build is the one scripts/test.sh reuses (Package.swift: -enable-testing in release), so the tests
# then compile only their own targets.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product reslab
.build/release/reslab run experiments/quickstart.yaml "$@"
