#!/usr/bin/env python3
"""Packs line crops (examples/dump_lines.rs) into Tesseract .lstmf training files.

    training/lines-to-lstmf.py LINES_DIR OUT_DIR [--keep FIELD,...] [--max-cer X] [--chunk N]
                               [--tight] [--augment SEED] [--digits]

Reads LINES_DIR/lines.tsv (file, field, printed text, stock reading, font), writes multi-page TIFF
chunks of N lines with one WordStr box per page, turns each into an .lstmf with
`tesseract CHUNK CHUNK --psm 13 lstm.train`, and lists them in OUT_DIR/list.txt.

The label is the text in visual order, left to right as the pixels run: Tesseract's trainer
aligns the label with the image from the left and applies no bidi itself (lstmtrainer.cpp;
a probe of the stock model on logical-order labels gave a far higher error). Arabic-Indic
digit runs stay left to right inside the right-to-left line.

With --tight, each line's box is the text line Tesseract itself finds in the crop (stock
ara, page segmentation mode 7), not the whole crop: in line mode the recognizer is shown
that tight line, while in raw-line mode (13) it is shown the whole rectangle. Training on
both kinds keeps blank background at the ends from being read as letters.

A crop whose stock reading is further than --max-cer (character error rate) from the
printed text is most likely a line the reader placed wrong; it is left out, since its label
would teach the model a wrong text.

With --digits, the crops are digit lines (`dump_lines --digits`) for the digit model: the
label keeps its Arabic-Indic digits in printed order (a number and a date read left to right
as they run), and a crop whose reading (the digit model's own) is longer than the printed
text is left out, since the reader's rectangle then holds a neighbour's digits as well.
"""

import argparse
import io
import os
import random
import subprocess
import sys
import unicodedata

from PIL import Image, ImageFilter, ImageOps


ARABIC_INDIC_TO_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def visual_order(text):
    """The right-to-left line laid out left to right, digit runs kept in their order."""
    reversed_text = text[::-1]
    out, run = [], []
    for ch in reversed_text:
        if unicodedata.category(ch) == "Nd" or (run and ch in "/.,:"):
            run.append(ch)
            continue
        if run:
            out.extend(_close_run(run))
            run = []
        out.append(ch)
    if run:
        out.extend(_close_run(run))
    return "".join(out)


def _close_run(run):
    # A separator caught at the run's end belongs outside it.
    tail = []
    while run and unicodedata.category(run[-1]) != "Nd":
        tail.append(run.pop())
    return run[::-1] + tail


def tesseract_lines(base):
    """The line stock Tesseract finds on each page of BASE.tif (mode 7): page -> x0, y0, x1, y1."""
    subprocess.run(
        ["tesseract", base + ".tif", base + ".lines", "--psm", "7", "-l", "ara", "tsv"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    found = {}
    for row in open(base + ".lines.tsv", encoding="utf-8"):
        cols = row.rstrip("\n").split("\t")
        if cols[0] != "4":
            continue
        page, left, top, width, height = (int(c) for c in cols[1:2] + cols[6:10])
        x0, y0, x1, y1 = found.get(page - 1, (left, top, left + width, top + height))
        found[page - 1] = (min(x0, left), min(y0, top), max(x1, left + width),
                           max(y1, top + height))
    return found


def box_file_lines(pages, labels, found):
    """One WordStr line and its end-of-line tab per page: the box FOUND holds for the page,
    else the whole page (lstm.train stops on a page without a box)."""
    lines = []
    for page, (image, label) in enumerate(zip(pages, labels)):
        width, height = image.size
        x0, y0, x1, y1 = found.get(page, (0, 0, width, height))
        # Box files count y from the bottom.
        lines.append(f"WordStr {x0} {height - y1} {x1} {height - y0} {page} #{label}")
        lines.append(f"\t {x1} {height - y1} {x1 + 1} {height - y0} {page}")
    return lines


def augmented(image, rng):
    """The line as another face and capture might print it: wider or narrower, bolder or
    lighter strokes, softer, with another contrast. For the model to learn letters, not the
    training faces' exact shapes (the reader meets faces it never trained on)."""
    width, height = image.size
    image = image.resize((max(8, round(width * rng.uniform(0.8, 1.2))), height), Image.BILINEAR)
    stroke = rng.random()
    if stroke < 0.3:
        image = image.filter(ImageFilter.MinFilter(3))  # dark ink on light: bolder
    elif stroke < 0.5:
        image = image.filter(ImageFilter.MaxFilter(3))  # lighter
    if rng.random() < 0.3:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.2)))
    if rng.random() < 0.5:
        gamma = rng.uniform(0.6, 1.6)
        image = image.point(lambda v: round(255 * (v / 255) ** gamma))
    if rng.random() < 0.3:
        image = ImageOps.autocontrast(image, cutoff=1)
    return image


def augmented_more(image, rng):
    """[`augmented`] and further what another capture does to a line: a slight rotation or
    slant, the line box a little higher or lower than the text, noise and JPEG blocks.
    The reader meets faces and captures it never trained on; the second altered copy of a
    line is meant to teach it letters under any of these (--augment-recipe 2)."""
    image = augmented(image, rng)
    width, height = image.size
    background = _percentile(image, 0.75)
    if rng.random() < 0.4:
        slant = rng.uniform(-0.25, 0.25)
        image = image.transform(
            (width, height),
            Image.AFFINE,
            (1, slant, -slant * height / 2, 0, 1, 0),
            Image.BILINEAR,
            fillcolor=background,
        )
    if rng.random() < 0.4:
        image = image.rotate(rng.uniform(-1.5, 1.5), Image.BILINEAR, fillcolor=background)
    if rng.random() < 0.4:
        # The line box off the text by up to a tenth of its height, at the top or bottom.
        shift = round(height * rng.uniform(-0.1, 0.1))
        canvas = Image.new("L", (width, height), background)
        canvas.paste(image, (0, shift))
        image = canvas
    if rng.random() < 0.3:
        sigma = rng.uniform(4, 14)
        noise = Image.effect_noise((width, height), sigma)
        image = Image.blend(image, noise, 0.5).point(lambda v: min(255, max(0, 2 * v - 128)))
    if rng.random() < 0.3:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=rng.randint(25, 70))
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    return image


def _percentile(image, share):
    """The grey level below which `share` of the image's pixels lie."""
    histogram = image.histogram()
    wanted, seen = share * sum(histogram), 0
    for level, count in enumerate(histogram):
        seen += count
        if seen > wanted:
            return level
    return 255


def cer(truth, read):
    """Levenshtein distance over the truth's length."""
    if not truth:
        return 0.0 if not read else 1.0
    previous = list(range(len(read) + 1))
    for i, a in enumerate(truth, 1):
        current = [i]
        for j, b in enumerate(read, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1] / len(truth)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("lines")
    parser.add_argument("out")
    parser.add_argument("--keep", default="")
    parser.add_argument("--max-cer", type=float, default=0.6)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--logical", action="store_true", help="labels in logical order (probe)")
    parser.add_argument("--tight", action="store_true", help="box = the line Tesseract finds")
    parser.add_argument("--families", default="", help="only lines in these font families")
    parser.add_argument("--not-families", default="", help="no lines in these font families")
    parser.add_argument("--augment", type=int, help="alter each line at random, with this seed")
    parser.add_argument(
        "--augment-recipe", type=int, default=1, help="1: face and contrast; 2: also capture"
    )
    parser.add_argument("--digits", action="store_true", help="digit lines for the digit model")
    args = parser.parse_args()
    rng = random.Random(args.augment)
    keep = set(filter(None, args.keep.split(",")))
    only = [f for f in args.families.split(",") if f]
    never = [f for f in args.not_families.split(",") if f]
    os.makedirs(args.out, exist_ok=True)
    rows = []
    for row in open(os.path.join(args.lines, "lines.tsv"), encoding="utf-8"):
        name, field, text, read, font = (row.rstrip("\n").split("\t") + [""] * 5)[:5]
        if keep and field not in keep:
            continue
        if only and not any(font.startswith(f + " (") for f in only):
            continue
        if any(font.startswith(f + " (") for f in never):
            continue
        if cer(text, read) > args.max_cer:
            continue
        if args.digits and len(read) > len(text):
            continue
        rows.append((name, text))
    print(f"{len(rows)} lines kept", file=sys.stderr)
    listed = []
    for start in range(0, len(rows), args.chunk):
        base = os.path.join(args.out, f"chunk{start // args.chunk:04d}")
        pages, labels = [], []
        for name, text in rows[start:start + args.chunk]:
            page = Image.open(os.path.join(args.lines, name)).convert("L")
            alter = augmented if args.augment_recipe == 1 else augmented_more
            pages.append(page if args.augment is None else alter(page, rng))
            # Stock ara's character set holds ASCII digits but only two Arabic-Indic ones:
            # a house number is labelled in ASCII (the reader reads it with its digit models).
            if args.digits:
                labels.append(text)
                continue
            text = text.translate(ARABIC_INDIC_TO_ASCII)
            labels.append(text if args.logical else visual_order(text))
        pages[0].save(base + ".tif", save_all=True, append_images=pages[1:], compression="tiff_lzw")
        found = tesseract_lines(base) if args.tight else {}
        boxes = box_file_lines(pages, labels, found)
        with open(base + ".box", "w", encoding="utf-8") as f:
            f.write("\n".join(boxes) + "\n")
        subprocess.run(
            ["tesseract", base + ".tif", base, "--psm", "13", "lstm.train"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        listed.append(base + ".lstmf")
    with open(os.path.join(args.out, "list.txt"), "w") as f:
        f.write("\n".join(listed) + "\n")


if __name__ == "__main__":
    main()
