#!/bin/sh
# Makes a CIFAR-10 subset of symlinks: the first 1000 training and 300 test images per class (by
# file name) of an unpacked cifar10/{train,test}/<class>/ folder. Used by
# experiments/cifar10-remedies.yaml.
#   scripts/cifar10-subset.sh /tmp/data/cifar10 /tmp/data/cifar10-sub
set -eu
source=$(cd "$1" && pwd)
target=$2
for split in train test; do
  count=1000
  [ "$split" = test ] && count=300
  for class in $(ls "$source/$split"); do
    mkdir -p "$target/$split/$class"
    ls "$source/$split/$class" | sort | head -n "$count" | while read -r file; do
      ln -sf "$source/$split/$class/$file" "$target/$split/$class/$file"
    done
  done
done
