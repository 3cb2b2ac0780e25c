#!/usr/bin/env bash
# Creates .venv-peers/ (gitignored) with the Python peers that `reslab bench …` times beside
# reslab in the same invocation: numpy + OpenBLAS (training, GEMM), ONNX Runtime (inference),
# JAX on the CPU (ResNet-20 training), Pillow (decode, resize). Versions are pinned so that two
# machines compare the same peer. `reslab bench` finds this venv by itself (after `--python` and
# RESLAB_PEER_PYTHON). Needs python3 ≥ 3.10 with venv and the package index; about 400 MB.
# Usage: scripts/peers-venv.sh [VENV_FOLDER]   (default: .venv-peers in the checkout)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-.venv-peers}"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
  numpy==2.4.6 threadpoolctl==3.8.0 pillow==13.0.0 \
  onnx==1.23.2 onnxruntime==1.32.0 \
  jax==0.10.2 jaxlib==0.10.2
"$venv/bin/python" -c "import numpy, onnxruntime, jax; print('peers ready:', '$venv/bin/python', 'numpy', numpy.__version__, 'onnxruntime', onnxruntime.__version__, 'jax', jax.__version__)"
