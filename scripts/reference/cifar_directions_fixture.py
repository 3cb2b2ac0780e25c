#!/usr/bin/env python3
"""Packs the results of one `reslab run experiments/cifar10-directions.yaml` into the compact
fixture Tests/ReportTests/CIFARDirectionsTests.swift reads (Fixtures/report/cifar10-directions/):

    python3 scripts/reference/cifar_directions_fixture.py runs/cifar10-directions-<time>

labels.txt        the true class of each test image, one digit per image (CIFAR-10 has 10 classes)
evaluations.tsv   method, antialias, test resolution, shift consistency, then the predicted class
                  of each test image as one digit per image, in the predictions files' order
nyquist.json      the run's Nyquist budget, as stored
"""
import csv
import json
import os
import shutil
import sys

run = sys.argv[1]
out = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                   "Fixtures", "report", "cifar10-directions")
os.makedirs(out, exist_ok=True)
cell = json.load(open(os.path.join(run, "cells", "cell-0000.json")))
labels = None
rows = []
for record in cell["evaluations"]:
    key = record["key"]
    stem = "r%d-%s%s" % (key["resolution"], key["method"], "" if key["antialias"] else "-noaa")
    with open(os.path.join(run, "predictions", "cell-0000", stem + ".csv")) as f:
        table = list(csv.DictReader(f))
    these = "".join(str(int(r["label"])) for r in table)
    assert labels is None or labels == these
    labels = these
    predicted = "".join(str(int(r["predicted"])) for r in table)
    rows.append("%s\t%s\t%d\t%.4f\t%s" % (key["method"], "true" if key["antialias"] else "false",
                                          key["resolution"], record["shiftConsistency"], predicted))
open(os.path.join(out, "labels.txt"), "w").write(labels + "\n")
open(os.path.join(out, "evaluations.tsv"), "w").write("\n".join(rows) + "\n")
shutil.copy(os.path.join(run, "nyquist.json"), os.path.join(out, "nyquist.json"))
