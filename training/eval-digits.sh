#!/usr/bin/env bash
# Measures a digit model (issue 4) in-process with leptess, one thread, psm 7 (single line).
#
#   training/eval-digits.sh [MODEL_DIR] [holdout|val]
#
# holdout (default): the final report, on fonts never used for training or checkpoint choice:
#   (a) clean: the fonts' own glyphs, black on white, 24-40 px high;
#   (b) degraded: 18-24 px high, gaussian blur sigma 1, JPEG quality 50.
# val: the same two sets plus mixed-look lines on the validation fonts, to choose checkpoints.
# Lines are rendered once into $DIGITS_DATA/eval (fixed seeds) and reused.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${DIGITS_DATA:-/work/digits-data}"
MODEL_DIR="${1:-$ROOT/models}"
SPLIT="${2:-holdout}"
N_EVAL="${N_EVAL:-1000}"
export OMP_THREAD_LIMIT=1

(cd "$ROOT" && cargo build --release -q -p idcard-linegen)
GEN="$ROOT/target/release/idcard-linegen"

sets=()
modes=(clean degraded)
[[ "$SPLIT" == val ]] && modes+=(mixed)
for mode in "${modes[@]}"; do
  dir="$DATA/eval/$SPLIT-$mode"
  if [[ ! -f "$dir/truth.tsv" ]]; then
    # --recipe 1: the validation sets stay the ones the first run was scored on.
    "$GEN" --split "$SPLIT" --mode "$mode" --count "$N_EVAL" --seed 4242 --format png --recipe 1 \
      --out "$dir" --split-file "$ROOT/data/font-split.toml"
  fi
  sets+=("$dir")
done

"$ROOT/target/release/digits-eval" --model-dir "$MODEL_DIR" --lang idcard_digits --psm 7 \
  --errors "${SHOW_ERRORS:-0}" "${sets[@]}"
ls -l "$MODEL_DIR"/idcard_digits*.traineddata
