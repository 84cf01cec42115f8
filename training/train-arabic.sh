#!/usr/bin/env bash
# Fine-tunes Debian's Arabic model on the card's word lines, into models/idcard_ara.traineddata.
#
#   training/train-arabic.sh          # all steps
#   training/train-arabic.sh data     # cards, line crops, .lstmf files, float base model
#   training/train-arabic.sh train    # train or resume
#   training/train-arabic.sh finish [CKPT]  # integer model into models/
#   training/train-arabic.sh augment  # second stage: altered copies of the lines, then train on
#                                     # both from the first stage's checkpoint (AUG_FROM)
#
# Stock `ara` misreads letters of display faces and of degraded captures; the names,
# address, professions and husband's name lines are where most of the card's remaining
# errors were. Debian ships ara as an integer model, which lstmtraining will not continue
# from, so training/int-to-float.py first turns its weights back into floats.
#
# Fonts: training cards use the dev faces minus eight validation families (VAL_FAMILIES);
# validation lines are those printed in the validation families, so the checkpoint is
# chosen on faces the model never trained on. The held-out split is never used here.
#
# Data as shipped: two card sets of the training faces (seed 3101, 700 cards per mode;
# seed 3303, 1000 per mode) in scan, photo and hard captures; each word line the reader finds
# is cropped (examples/dump_lines.rs) and packed twice, as the reader's whole rectangle and
# as the tight line Tesseract finds in it (training/lines-to-lstmf.py --tight), since the
# reader shows the model both (line mode, then raw-line mode for a doubtful line).
#
# Second stage (as shipped): the first stage's checkpoint at 14,500 iterations trained on
# further, on its lines plus an altered copy of every scan and photo line (wider or narrower,
# bolder or lighter strokes, blur, contrast: lines-to-lstmf.py --augment), so that it learns
# letters rather than the training faces' shapes. Chosen on cards printed in the validation
# families only (the reader's names and address on faces it never trained on).
#
# Knobs (environment): ARA_DATA (scratch dir, default /work/ara-ft), CARD_SETS
# ("seed:cards-per-mode ..."), VAL_SEED, N_VAL, MAX_ITERATIONS, AUG_FROM, AUG_ITERATIONS.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${ARA_DATA:-/work/ara-ft}"
CARD_SETS="${CARD_SETS:-3101:700 3303:1000}"
N_VAL="${N_VAL:-120}"
VAL_SEED="${VAL_SEED:-3202}"
# The first stage stops at 14,500 iterations: on the validation faces it read
# as well as the one at 30,000 on tight lines and better on whole rectangles.
MAX_ITERATIONS="${MAX_ITERATIONS:-14500}"
VAL_FAMILIES="${VAL_FAMILIES:-Kayrawan,Cortoba,Lemonada,KacstTitle,Harmattan,FreeFarsi,Salem,Noto Sans Arabic}"
STOCK=/usr/share/tesseract-ocr/5/tessdata/ara.traineddata
BIN="$ROOT/target/release"
export OMP_THREAD_LIMIT=1

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

fonts_dir() { # symlinks to every installed face outside the validation families
  local dir="$DATA/fonts-train"
  rm -rf "$dir" && mkdir -p "$dir"
  local pattern
  pattern="$(echo "$VAL_FAMILIES" | sed 's/ //g; s/,/|/g')"
  find /usr/share/fonts -type f \( -name '*.ttf' -o -name '*.otf' \) | while read -r f; do
    # File names drop the spaces of the family name (NotoSansArabic-Bold.ttf).
    if ! basename "$f" | sed 's/^ae_//' | grep -q -E "^($pattern)"; then
      ln -sf "$f" "$dir/$(echo "$f" | tr / _)"
    fi
  done
}

# Packs the line crops in LINES twice, as whole rectangles into LOOSE and as the tight lines
# Tesseract finds into TIGHT (further arguments go to both), and adds both lists to PACKED.
PACKED=()
pack_twice() {
  local lines="$1" loose="$2" tight="$3"
  shift 3
  python3 "$ROOT/training/lines-to-lstmf.py" "$lines" "$loose" "$@"
  python3 "$ROOT/training/lines-to-lstmf.py" "$lines" "$tight" --tight "$@"
  PACKED+=("$loose/list.txt" "$tight/list.txt")
}

data() {
  (cd "$ROOT" && cargo build --release -p idcard-synth && cargo build --release --example dump_lines)
  fonts_dir
  PACKED=()
  for set in $CARD_SETS; do
    local seed="${set%%:*}" count="${set##*:}"
    for mode in scan photo hard; do
      log "cards and line crops: seed $seed, $mode"
      "$BIN/idcard-synth" --mode "$mode" --count "$count" --seed "$seed" --split dev \
        --fonts "$DATA/fonts-train" --out "$DATA/cards-$seed/$mode"
      "$BIN/examples/dump_lines" "$DATA/cards-$seed/$mode" "$DATA/lines-$seed/$mode"
      pack_twice "$DATA/lines-$seed/$mode" "$DATA/lstmf-$seed/$mode" "$DATA/lstmf-tight-$seed/$mode"
    done
  done
  cat "${PACKED[@]}" | shuf --random-source=<(yes) > "$DATA/train.list"
  PACKED=()
  for mode in scan photo hard; do
    log "validation lines: $mode"
    "$BIN/idcard-synth" --mode "$mode" --count "$N_VAL" --seed "$VAL_SEED" --split dev \
      --out "$DATA/cards-val/$mode"
    "$BIN/examples/dump_lines" "$DATA/cards-val/$mode" "$DATA/lines-val/$mode"
    pack_twice "$DATA/lines-val/$mode" "$DATA/lstmf-val/$mode" "$DATA/lstmf-tight-val/$mode" \
      --families "$VAL_FAMILIES"
  done
  cat "${PACKED[@]}" > "$DATA/val.list"
  mkdir -p "$DATA/base"
  combine_tessdata -e "$STOCK" "$DATA/base/ara.lstm"
  python3 "$ROOT/training/int-to-float.py" "$DATA/base/ara.lstm" "$DATA/base/ara-float.lstm"
}

train() {
  mkdir -p "$DATA/ckpt"
  lstmtraining \
    --continue_from "$DATA/base/ara-float.lstm" \
    --traineddata "$STOCK" \
    --model_output "$DATA/ckpt/ara" \
    --train_listfile "$DATA/train.list" \
    --eval_listfile "$DATA/val.list" \
    --max_iterations "$MAX_ITERATIONS"
}

finish() {
  local ckpt="${1:-$DATA/ckpt/ara_checkpoint}"
  lstmtraining --stop_training --convert_to_int \
    --continue_from "$ckpt" --traineddata "$STOCK" \
    --model_output "$ROOT/models/idcard_ara.traineddata"
  log "wrote models/idcard_ara.traineddata"
}

augment() {
  local seed=11
  PACKED=()
  for set in $CARD_SETS; do
    local card_seed="${set%%:*}"
    for mode in scan photo; do
      seed=$((seed + 1))
      log "altered lines: seed $card_seed, $mode"
      pack_twice "$DATA/lines-$card_seed/$mode" "$DATA/lstmf-aug-$card_seed/$mode" \
        "$DATA/lstmf-tight-aug-$card_seed/$mode" --augment "$seed"
    done
  done
  cat "$DATA/train.list" "${PACKED[@]}" | shuf --random-source=<(yes) > "$DATA/train-aug.list"
  mkdir -p "$DATA/ckpt-aug"
  # Continuing from a checkpoint restarts the iteration count.
  lstmtraining \
    --continue_from "${AUG_FROM:-$DATA/ckpt/ara_checkpoint}" \
    --traineddata "$STOCK" \
    --model_output "$DATA/ckpt-aug/ara" \
    --train_listfile "$DATA/train-aug.list" \
    --eval_listfile "$DATA/val.list" \
    --max_iterations "${AUG_ITERATIONS:-7600}"
}

case "${1:-all}" in
  data) data ;;
  train) train ;;
  finish) finish "${2:-}" ;;
  augment) augment ;;
  all) data && train && augment && finish "$DATA/ckpt-aug/ara_checkpoint" ;;
  *) echo "unknown step $1" >&2; exit 2 ;;
esac
