#!/usr/bin/env bash
# Real-data check of the ONNX import (docs/onnx.md, "A model trained elsewhere"): trains a
# quarter-width ResNet-18 on Imagenette with PyTorch (CPU), exports it to ONNX
# with dynamic height and width, and compares reslab's top-1 with onnxruntime's at 32-224 px.
# Not run by CI. Usage: scripts/onnx/imagenette_parity.sh [extra imagenette_parity.py flags]
# Environment: VENV (default /tmp/venv-onnx-torch), DATA (default /tmp/data, where
# imagenette-small.tar is unpacked), OUT (default /tmp/onnx-imagenette).
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${VENV:-/tmp/venv-onnx-torch}
DATA=${DATA:-/tmp/data}
OUT=${OUT:-/tmp/onnx-imagenette}
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    # torch's CPU wheel (a local wheel folder or PyTorch's CPU index can stand in via pip's
    # --find-links / --index-url); pinned so pip does not pick a CUDA build.
    nice -n 10 "$VENV/bin/pip" install -q torch==2.13.0 onnx==1.23.2 onnxruntime==1.32.0 numpy pillow
fi
if [ ! -d "$DATA/imagenette-small" ]; then
    mkdir -p "$DATA"
    tar -xf ../shared/datasets/imagenette-small.tar -C "$DATA"
fi
[ -x .build/release/reslab ] || nice -n 5 swift build -c release --product reslab
nice -n 10 "$VENV/bin/python" scripts/onnx/imagenette_parity.py --data "$DATA/imagenette-small" --out "$OUT" "$@"
