#!/usr/bin/env python3
"""Makes the two datasets of `experiments/imagenette32-jpeg-cost.yaml`: Imagenette
(`../shared/datasets/imagenette-small.tar`, unpacked: 800 train + 200 val images per class at
224 px) downscaled once to 32x32 with Pillow's antialiased Lanczos, stored twice:

    OUT/inet32-png/{train,val}/<wnid>/*.png    lossless
    OUT/inet32-jpeg/{train,val}/<wnid>/*.jpg   baseline JPEG, quality 75, 4:2:0

The JPEG settings are those of `cifar10.tar.gz` here (Pillow's quality-75 quantization tables,
chroma sampling 2, checked on its files), so the pair measures what that encoding costs a 32 px
classifier on natural images with nothing else changed.

    python scripts/reference/imagenette32.py /tmp/data/src/imagenette-small /tmp/data

Needs Pillow.
"""
import argparse
import os

from PIL import Image


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", help="the unpacked imagenette-small folder (train/ and val/)")
    parser.add_argument("out", help="where inet32-png/ and inet32-jpeg/ are written")
    args = parser.parse_args()
    for split in ("train", "val"):
        for label in sorted(os.listdir(os.path.join(args.source, split))):
            folders = {kind: os.path.join(args.out, f"inet32-{kind}", split, label) for kind in ("png", "jpeg")}
            for folder in folders.values():
                os.makedirs(folder, exist_ok=True)
            for name in sorted(os.listdir(os.path.join(args.source, split, label))):
                image = Image.open(os.path.join(args.source, split, label, name)).convert("RGB")
                small = image.resize((32, 32), Image.LANCZOS)
                stem = os.path.splitext(name)[0]
                small.save(os.path.join(folders["png"], stem + ".png"))
                small.save(os.path.join(folders["jpeg"], stem + ".jpg"), quality=75, subsampling=2)


if __name__ == "__main__":
    main()
