#!/usr/bin/env bash
# Puts `reslab` on PATH: installs missing system packages, builds the release product and links
# it as $PREFIX/bin/reslab (default PREFIX: ~/.local). The link points into this checkout's
# .build/release, so a later build (scripts/quickstart.sh, swift build -c release) updates it.
# The binary is built for this machine's CPU (-target-cpu native, see README "Build settings").
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product reslab
prefix="${PREFIX:-$HOME/.local}"
mkdir -p "$prefix/bin"
ln -sf "$(pwd)/.build/release/reslab" "$prefix/bin/reslab"
echo "linked $prefix/bin/reslab -> $(pwd)/.build/release/reslab"
case ":$PATH:" in
  *":$prefix/bin:"*) echo "reslab is on PATH: try \`reslab --help\`" ;;
  *) echo "add $prefix/bin to PATH, e.g. echo 'export PATH=\"$prefix/bin:\$PATH\"' >> ~/.bashrc" ;;
esac
