#!/usr/bin/env python3
"""Training curve from lstmtraining logs: per eval point, the training iteration, the training
BCER (char error on the augmented training lines, running mean) and lstmtraining's own eval
BCER on the 600 validation-font lines.   usage: curve.py LOG [LOG...]"""
import re
import sys

train_re = re.compile(r"At iteration (\d+)/(\d+)/\d+, .*?BCER train=([\d.]+)%")
eval_re = re.compile(r"At iteration (\d+), stage \d+, BCER eval=([\d.]+), BWER eval=([\d.]+)")

print("| training iterations | train BCER % | val BCER % (lstmtraining eval) | val BWER % |")
print("|---:|---:|---:|---:|")
learn_to_train = {}
last_train = None
for path in sys.argv[1:]:
    for line in open(path, errors="replace"):
        for m in train_re.finditer(line):
            learn_to_train[int(m.group(1))] = (int(m.group(2)), float(m.group(3)))
            last_train = (int(m.group(2)), float(m.group(3)))
        for m in eval_re.finditer(line):
            it, tr = learn_to_train.get(int(m.group(1)), last_train or (0, 0.0))
            print(f"| {it} | {tr:.1f} | {float(m.group(2)):.1f} | {float(m.group(3)):.1f} |")
