#!/usr/bin/env bash
# Scores checkpoints of a run on the VALIDATION fonts (never the held-out ones) to choose the
# one to ship, and to draw the training curve: one line per checkpoint with its iteration.
#
#   training/val-checkpoints.sh [CKPT...]   # default: the run's best-so-far checkpoints
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${DIGITS_DATA:-/work/digits-data}"
RUN="${RUN:-run1}"
STARTER="$DATA/lang/idcard_digits/idcard_digits.traineddata"
export OMP_THREAD_LIMIT=1

ckpts=("$@")
if [[ ${#ckpts[@]} -eq 0 ]]; then
  mapfile -t ckpts < <(ls "$DATA/$RUN"/ckpt/idcard_digits_*_*_*.checkpoint | sort -t_ -k4 -n)
fi
"$ROOT/training/eval-digits.sh" /nonexistent val >/dev/null 2>&1 || true # renders the sets
tmp="$(mktemp -d)"
for ck in "${ckpts[@]}"; do
  lstmtraining --stop_training --continue_from "$ck" --traineddata "$STARTER" \
    --model_output "$tmp/idcard_digits.traineddata" >/dev/null 2>&1
  res="$("$ROOT/target/release/digits-eval" --model-dir "$tmp" \
    "$DATA/eval/val-clean" "$DATA/eval/val-degraded" "$DATA/eval/val-mixed" |
    sed -E 's/.*val-([a-z]+): lines=[0-9]+ exact=([0-9.]+)% cer=([0-9.]+)%.*/\1 \2 \3/' | tr '\n' ' ')"
  echo "$(basename "$ck") $res"
done
rm -rf "$tmp"
