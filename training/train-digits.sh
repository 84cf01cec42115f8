#!/usr/bin/env bash
# Trains the Arabic-Indic digit model (issue 4) from nothing to models/idcard_digits.traineddata.
#
#   training/train-digits.sh            # all steps: data, train (resumes), finish, eval
#   training/train-digits.sh data       # render lines, unicharset, starter traineddata, lstmf
#   training/train-digits.sh train      # train or resume from the last checkpoint
#   training/train-digits.sh finish [CKPT]  # float model (and int) into models/
#   training/train-digits.sh eval [MODEL_DIR]  # held-out report (see eval-digits.sh)
#   training/train-digits.sh tune       # the card-tuned model (idcard_digits_cards), see tune()
#
# Knobs (environment; the defaults reproduce the shipped model): DIGITS_DATA (scratch dir,
# default /work/digits-data), RUN (name of the training run), TRAIN_SET (rendered set name),
# RECIPE (generator recipe, see idcard-linegen), N_TRAIN, N_VAL, SEED, NET_SPEC, LEARNING_RATE,
# LR_DROP_AT, LOW_LR, MAX_ITERATIONS, MODEL_OUT (where finish writes, default models/),
# CONVERT_TO_INT=1 (finish also writes the integer model), START_FROM (a float checkpoint
# to continue from when the run has none yet), RESET_LR (when resuming: set every layer's learning rate to this value, e.g. a lower one for
# a final annealing phase).
# Everything runs on one thread (OMP_THREAD_LIMIT=1): the machine is shared.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${DIGITS_DATA:-/work/digits-data}"
# Defaults reproduce the shipped model (models/README.md): run 2's data, net and schedule.
RUN="${RUN:-run2}"
N_TRAIN="${N_TRAIN:-60000}"
N_VAL="${N_VAL:-600}"
SEED="${SEED:-2}"
TRAIN_SET="${TRAIN_SET:-train2}"
RECIPE="${RECIPE:-2}"
# Twice the width of the ~58k-weight net that learned in the previous trial
# (docs/digit-training-notes.md: a 367k-weight, 3-LSTM net had not started after 26 minutes).
# 128k weights; it starts learning within 2,000 iterations.
NET_SPEC="${NET_SPEC:-[1,36,0,1 Ct3,3,24 Mp3,3 Lfys48 Lbx96 O1c14]}"
LEARNING_RATE="${LEARNING_RATE:-0.002}"
# Phase 2: from LR_DROP_AT training iterations on, every layer's rate is reset to LOW_LR.
LR_DROP_AT="${LR_DROP_AT:-76300}"
LOW_LR="${LOW_LR:-0.0005}"
# The shipped checkpoint was the one at 102,200 iterations (chosen on the validation fonts).
MAX_ITERATIONS="${MAX_ITERATIONS:-102200}"
MODEL_OUT="${MODEL_OUT:-$ROOT/models}"
LANG_NAME=idcard_digits
export OMP_THREAD_LIMIT=1

GEN="$ROOT/target/release/idcard-linegen"
LANGDIR="$DATA/lang"
STARTER="$LANGDIR/$LANG_NAME/$LANG_NAME.traineddata"
CKPT="$DATA/$RUN/ckpt"

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

build() {
  (cd "$ROOT" && cargo build --release -p idcard-linegen --bin idcard-linegen)
}

# Renders one split as multi-page TIFF chunks with box files, then makes the .lstmf files.
render_tif() { # name split count seed recipe
  local dir="$DATA/$1"
  if [[ -f "$dir/.done" ]]; then log "$1: already rendered"; return; fi
  rm -rf "$dir" && mkdir -p "$dir"
  log "$1: rendering $3 lines ($2 fonts)"
  "$GEN" --split "$2" --mode mixed --count "$3" --seed "$4" --format tif --out "$dir" \
    --recipe "$5" --split-file "$ROOT/data/font-split.toml"
  log "$1: lstm.train"
  for tif in "$dir"/chunk_*.tif; do
    tesseract "$tif" "${tif%.tif}" --psm 13 lstm.train >/dev/null 2>&1
  done
  ls "$dir"/chunk_*.lstmf > "$dir/list.txt"
  touch "$dir/.done"
}

# Unicharset (space, the ten digits, '/') and the starter traineddata lstmtraining needs.
make_lang() {
  if [[ -f "$STARTER" ]]; then return; fi
  mkdir -p "$LANGDIR/script"
  # combine_lang_model rejects an empty radical-stroke file; digits need no radicals.
  echo "# no radicals: digits and '/' only" > "$LANGDIR/script/radical-stroke.txt"
  printf '%s\n' '٠١٢٣٤٥٦٧٨٩ /' > "$LANGDIR/chars.txt"
  unicharset_extractor --output_unicharset "$LANGDIR/unicharset" --norm_mode 1 \
    "$LANGDIR/chars.txt" "$DATA/$TRAIN_SET/labels.txt"
  combine_lang_model --input_unicharset "$LANGDIR/unicharset" --script_dir "$LANGDIR/script" \
    --output_dir "$LANGDIR" --lang "$LANG_NAME" --pass_through_recoder
}

data() {
  build
  render_tif "$TRAIN_SET" train "$N_TRAIN" "$SEED" "$RECIPE"
  # The validation lines lstmtraining scores itself on: fixed, recipe 1.
  render_tif val val "$N_VAL" 1001 1
  make_lang
}

run_lstm() { # max_iterations
  local resume=()
  if [[ -f "$CKPT/${LANG_NAME}_checkpoint" ]]; then
    log "resuming from $CKPT/${LANG_NAME}_checkpoint"
    resume=(--continue_from "$CKPT/${LANG_NAME}_checkpoint")
    if [[ -n "${RESET_LR:-}" ]]; then
      log "learning rate reset to $RESET_LR"
      resume+=(--learning_rate "$RESET_LR" --reset_learning_rate)
    fi
  elif [[ -n "${START_FROM:-}" ]]; then
    log "starting from $START_FROM (continued on $TRAIN_SET)"
    resume=(--continue_from "$START_FROM")
  else
    resume=(--net_spec "$NET_SPEC" --learning_rate "$LEARNING_RATE")
  fi
  # target_error_rate far below reach: we stop by iterations (or time, by killing the
  # process), not by training error, which on these augmented lines says little about
  # unseen fonts.
  lstmtraining "${resume[@]}" \
    --traineddata "$STARTER" \
    --model_output "$CKPT/$LANG_NAME" \
    --train_listfile "$DATA/$TRAIN_SET/list.txt" \
    --eval_listfile "$DATA/val/list.txt" \
    --max_iterations "$1" \
    --target_error_rate 0.0001 \
    --debug_interval 0
}

# Two phases; killing the script at any point and running it again resumes where it was.
train() {
  mkdir -p "$CKPT"
  if [[ ! -f "$CKPT/.phase1_done" ]]; then
    run_lstm "$LR_DROP_AT"
    touch "$CKPT/.phase1_done"
  fi
  RESET_LR="${RESET_LR:-$LOW_LR}" run_lstm "$MAX_ITERATIONS"
}

finish() { # [checkpoint]
  local ck="${1:-$CKPT/${LANG_NAME}_checkpoint}"
  mkdir -p "$MODEL_OUT"
  lstmtraining --stop_training --continue_from "$ck" --traineddata "$STARTER" \
    --model_output "$MODEL_OUT/$LANG_NAME.traineddata"
  if [[ "${CONVERT_TO_INT:-0}" == 1 ]]; then
    lstmtraining --stop_training --convert_to_int --continue_from "$ck" \
      --traineddata "$STARTER" --model_output "$MODEL_OUT/${LANG_NAME}_int.traineddata"
  fi
  ls -l "$MODEL_OUT"
}

# Tunes the shipped model on digit lines cropped from generated card captures into
# models/idcard_digits_cards.traineddata (issue 5; models/README.md). TUNE_CARDS lists card
# directories of the training faces (the word model's cards: training/train-arabic.sh,
# development faces minus its validation families); each ID and date line the reader finds
# is cropped with its printed digits (dump_lines --digits) and packed whole, and the photo
# and poor captures once more altered (lines-to-lstmf.py --augment). A crop the shipped model
# reads longer than the printed text holds a neighbour's digits and is left out. Sixty
# chunks of the original rendered lines keep the clean faces in. One chunk of poor captures
# is held back as lstmtraining's own evaluation; the checkpoint is chosen in the reader.
tune() {
  local out="${TUNE_DATA:-/work/digits-tune}"
  local cards="${TUNE_CARDS:-/work/ara-ft/cards-train/hard /work/ara-ft/cards-train2/hard /work/ara-ft/cards-train/photo /work/ara-ft/cards-train2/photo /work/ara-ft/cards-train/scan}"
  (cd "$ROOT" && cargo build --release --example dump_lines)
  mkdir -p "$out/ckpt"
  local lists=() n=0
  for dir in $cards; do
    n=$((n + 1))
    local name="set$n"
    [[ -f "$out/lines-$name/lines.tsv" ]] ||
      "$ROOT/target/release/examples/dump_lines" "$dir" "$out/lines-$name" --digits
    python3 "$ROOT/training/lines-to-lstmf.py" "$out/lines-$name" "$out/lstmf-$name" \
      --digits --max-cer 0.5
    lists+=("$out/lstmf-$name/list.txt")
    if [[ "$dir" != */scan ]]; then
      python3 "$ROOT/training/lines-to-lstmf.py" "$out/lines-$name" "$out/lstmf-aug-$name" \
        --digits --max-cer 0.5 --augment $((21 + n))
      lists+=("$out/lstmf-aug-$name/list.txt")
    fi
  done
  cat "${lists[@]}" | grep -v '^$' > "$out/cards.list"
  tail -n 1 "$out/lstmf-set2/list.txt" > "$out/val.list"
  grep -v -F -f "$out/val.list" "$out/cards.list" > "$out/cards-train.list"
  shuf --random-source=<(yes) -n 60 "$DATA/$TRAIN_SET/list.txt" > "$out/orig.list"
  cat "$out/cards-train.list" "$out/orig.list" | shuf --random-source=<(yes) > "$out/train.list"
  lstmtraining --continue_from "${TUNE_FROM:-$DATA/run2/ckpt/idcard_digits_4.695000_34252_102200.checkpoint}" \
    --traineddata "$STARTER" --model_output "$out/ckpt/$LANG_NAME" \
    --train_listfile "$out/train.list" --eval_listfile "$out/val.list" \
    --max_iterations "${TUNE_ITERATIONS:-30000}" --target_error_rate 0.0001 --debug_interval 0
  log "choose a checkpoint in $out/ckpt, then:"
  log "  lstmtraining --stop_training --continue_from CKPT --traineddata $STARTER --model_output $MODEL_OUT/idcard_digits_cards.traineddata"
}

case "${1:-all}" in
  data) data ;;
  tune) tune ;;
  train) train ;;
  finish) finish "${2:-}" ;;
  eval) "$ROOT/training/eval-digits.sh" "${2:-$MODEL_OUT}" ;;
  all) data; train; finish; "$ROOT/training/eval-digits.sh" "$MODEL_OUT" ;;
  *) echo "usage: $0 [all|data|train|finish [CKPT]|eval [MODEL_DIR]|tune]" >&2; exit 2 ;;
esac
