#!/usr/bin/env bash
# Regenerates tests/fixtures/cards/: ~40 synthetic card images over every capture mode and
# both sides (mostly the dev split, a few held-out), with their truth.jsonl.
#
# Deterministic: the same generator source and the same font files give the same bytes.
# The font files are pinned in tests/fixtures/card-fonts.txt, so fonts the machine has
# beyond them change nothing; delete that list to draw from this machine's fonts and pin
# those instead. Scans are JPEG or PDF here (no PNG) to keep the set small.
set -euo pipefail
cd "$(dirname "$0")/.."

out=tests/fixtures/cards
cargo build --release -p idcard-synth
bin=target/release/idcard-synth
fonts=tests/fixtures/card-fonts.txt
if [ ! -f "$fonts" ]; then
    {
        echo "# The font files tests/fixtures/cards was drawn from (scripts/make-fixtures.sh --font-list)."
        echo "# Pinned so that the same seeds draw the same faces on any machine that has these files."
        "$bin" --print-font-files
    } > "$fonts"
fi

rm -rf "$out"
mkdir -p "$out"

first=1
run() {
    local append=()
    if [ "$first" = 0 ]; then append=(--append); fi
    first=0
    "$bin" --font-list "$fonts" --out "$out" --png 0 --pdf 0.3 "${append[@]}" "$@"
}

# mode     count  seed  split    side  start (holdout runs continue the numbering)
run --mode scan  --count 8  --seed 301 --split dev     --side both
run --mode scan  --count 3  --seed 301 --split holdout --side random --start 8
run --mode photo --count 4  --seed 302 --split dev     --side both
run --mode photo --count 2  --seed 302 --split holdout --side back   --start 4
run --mode hard  --count 14 --seed 303 --split dev     --side both
run --mode hard  --count 4  --seed 303 --split holdout --side random --start 14
run --mode sheet --count 4  --seed 304 --split dev
run --mode sheet --count 1  --seed 304 --split holdout --start 4

echo "$(ls "$out" | grep -vc truth.jsonl) images, $(du -sh "$out" | cut -f1) in $out"
