#!/usr/bin/env bash
# Fetches Arabic text faces from the npm registry (Fontsource's packages of Google Fonts'
# OFL families) and turns their Arabic subsets into TrueType files, for training and
# measuring the word model only: nothing here is installed system-wide or shipped, and the
# generator's dev and held-out splits do not change.
#
#   training/npm-faces.sh OUT_DIR
#
# OUT_DIR/train gets the training faces, OUT_DIR/val the families that are never trained on
# (cards printed in them measure faces the model has not seen). Each face is the Arabic
# subset (U+0600-06FF and the presentation forms) merged with the Latin subset, so the
# generator finds the date's slash in it; weights 400 and 700 where the family has them
# (the card prints bold, and a regular cut shows thinner strokes).
#
# Held-out families of data/font-split.toml (Noto Kufi Arabic, Scheherazade, Ouhod,
# KacstBook) and display or calligraphic faces no ID card would use are not fetched.
set -euo pipefail
OUT="${1:?usage: npm-faces.sh OUT_DIR}"

TRAIN_FAMILIES=(cairo tajawal ibm-plex-sans-arabic readex-pro vazirmatn changa mada
  alexandria kufam zain baloo-bhaijaan-2 mirza noto-naskh-arabic)
VAL_FAMILIES=(markazi-text almarai el-messiri)

mkdir -p "$OUT/npm" "$OUT/train" "$OUT/val"
fetch() {
  local family="$1" dest="$2"
  (cd "$OUT/npm" && [ -f "fontsource-$family.done" ] ||
    { npm pack --silent "@fontsource/$family" >/dev/null && mkdir -p "$family" &&
      tar xzf fontsource-"$family"-*.tgz -C "$family" && touch "fontsource-$family.done"; })
  local weight
  for weight in 400 700; do
    local ar="$OUT/npm/$family/package/files/$family-arabic-$weight-normal.woff"
    local la="$OUT/npm/$family/package/files/$family-latin-$weight-normal.woff"
    [ -f "$ar" ] || continue
    python3 - "$ar" "$la" "$dest/$family-$weight.ttf" <<'EOF'
import sys
from pathlib import Path
from fontTools.ttLib import TTFont
from fontTools.merge import Merger

arabic, latin, out = sys.argv[1:4]
parts = [arabic] + ([latin] if Path(latin).exists() else [])
try:
    font = Merger().merge(parts) if len(parts) > 1 else TTFont(arabic)
except Exception as err:  # a pair the merger refuses: the Arabic subset alone
    print(f"npm-faces: {Path(arabic).name}: merge failed ({err}); Arabic subset only")
    font = TTFont(arabic)
font.flavor = None
font.save(out)
EOF
  done
}
for f in "${TRAIN_FAMILIES[@]}"; do fetch "$f" "$OUT/train"; done
for f in "${VAL_FAMILIES[@]}"; do fetch "$f" "$OUT/val"; done
ls "$OUT/train" "$OUT/val"
