#!/usr/bin/env python3
"""Writes Fixtures/resample/spectral.tsv: the share of each fixture image's contrast energy above
the Nyquist limit of several grids, from scipy's DCT (run once; the Swift tests need no Python).

    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install numpy scipy
    /tmp/peers/bin/python scripts/reference/spectral_reference.py

Definition (docs/statistics.md, "Nyquist budget"): per channel, x minus its mean, then
scipy.fft.dctn(type=2, norm="ortho"); power summed over channels; the share is the power at
(ky, kx) with kx >= columns or ky >= rows over the total power. The PNGs are decoded here by a
few lines of zlib (8-bit, non-interlaced, grey or RGB), so no image library of reslab's is used.
"""
import os
import struct
import zlib

import numpy as np
import scipy
from scipy import fft

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INPUTS = os.path.join(ROOT, "Fixtures", "resample", "inputs")
OUT = os.path.join(ROOT, "Fixtures", "resample", "spectral.tsv")


def read_png(path):
    """(height, width, channels) uint8 of an 8-bit non-interlaced grey or RGB PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (0, 2) and interlace == 0
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    channels = 1 if colour == 0 else 3
    raw = zlib.decompress(idat)
    stride = width * channels
    out = np.zeros((height, stride), dtype=np.int64)
    previous = np.zeros(stride, dtype=np.int64)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = np.frombuffer(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)], dtype=np.uint8).astype(np.int64)
        row = np.zeros(stride, dtype=np.int64)
        for i in range(stride):
            a = row[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 0:
                predictor = 0
            elif kind == 1:
                predictor = a
            elif kind == 2:
                predictor = b
            elif kind == 3:
                predictor = (a + b) // 2
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            row[i] = (line[i] + predictor) % 256
        out[y] = row
        previous = row
    return out.reshape(height, width, channels).astype(np.float64)


def power(image):
    total = np.zeros(image.shape[:2])
    for c in range(image.shape[2]):
        plane = image[:, :, c] - image[:, :, c].mean()
        total += fft.dctn(plane, type=2, norm="ortho") ** 2
    return total


def share(p, columns, rows):
    kept = p[:rows, :columns].sum()
    return 1 - kept / p.sum()


GRIDS = [(1, 1), (4, 4), (8, 8), (16, 12), (24, 24), (32, 16), (48, 36), (96, 72), (200, 200)]

with open(OUT, "w") as f:
    f.write("# scipy %s, numpy %s; input\tcolumns\trows\tshare\n" % (scipy.__version__, np.__version__))
    for name in ["flower", "hopper_gray", "testorig"]:
        p = power(read_png(os.path.join(INPUTS, name + ".png")))
        for columns, rows in GRIDS:
            f.write("%s\t%d\t%d\t%.10f\n" % (name, columns, rows, share(p, columns, rows)))
