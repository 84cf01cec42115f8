//! The committed digit-glyph model reads committed lines rendered in held-out fonts
//! (tests/fixtures/glyph-lines/, written by `cargo run --release --example train_glyphs --
//! fixtures`; fonts the model never saw in training).

use std::path::Path;

use idcard_ocr::core::glyphs::DigitReader;

/// Share of fixture lines that must be read exactly: the held-out evaluation's rate minus
/// a margin (see the report in src/core/glyphs/mod.rs).
const MIN_EXACT: f64 = 0.9;

#[test]
fn committed_model_reads_held_out_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let reader = DigitReader::load(root.join("models/idcard_glyphs.bin")).expect("load the model");
    let dir = root.join("tests/fixtures/glyph-lines");
    let truth = std::fs::read_to_string(dir.join("truth.tsv")).expect("read truth.tsv");
    let (mut n, mut exact) = (0usize, 0usize);
    for line in truth
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 6, "bad truth line {line:?}");
        let rect: Vec<i32> = f[1..5]
            .iter()
            .map(|v| v.parse().expect("a number"))
            .collect();
        let img = image::open(dir.join(f[0]))
            .expect("open a fixture")
            .to_luma8();
        let got = reader.read_line(&img, (rect[0], rect[1], rect[2], rect[3]));
        n += 1;
        if got.text == f[5] {
            exact += 1;
            assert!(got.confidence > 0.0 && got.confidence <= 1.0);
        } else {
            eprintln!(
                "{}: expected {} read {} ({:.2})",
                f[0], f[5], got.text, got.confidence
            );
        }
    }
    assert!(n >= 10, "too few fixtures: {n}");
    let rate = exact as f64 / n as f64;
    assert!(rate >= MIN_EXACT, "read {exact}/{n} lines exactly");
}

#[test]
fn blank_line_reads_nothing_with_zero_confidence() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let reader = DigitReader::load(root.join("models/idcard_glyphs.bin")).expect("load the model");
    let img = image::GrayImage::from_pixel(200, 60, image::Luma([230]));
    let got = reader.read_line(&img, (10, 10, 150, 40));
    assert_eq!(got.text, "");
    assert_eq!(got.confidence, 0.0);
}

#[test]
fn missing_or_foreign_model_is_an_error() {
    assert!(DigitReader::load("/nonexistent/idcard_glyphs.bin").is_err());
    assert!(DigitReader::from_bytes(b"not a model").is_err());
}

/// A zone reaching into a neighbouring field: a stray group of digits stands left of the
/// ID after a wide gap. `read_line` keeps it after a space; `read_main_run` drops it.
#[test]
fn main_run_drops_a_neighbours_glyphs_beyond_a_wide_gap() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let reader = DigitReader::load(root.join("models/idcard_glyphs.bin")).expect("load the model");
    let dir = root.join("tests/fixtures/glyph-lines");
    let truth = std::fs::read_to_string(dir.join("truth.tsv")).expect("read truth.tsv");
    let row = truth
        .lines()
        .find(|l| l.starts_with("clean-00.png"))
        .expect("clean-00 in truth.tsv");
    let f: Vec<&str> = row.split('\t').collect();
    let (l, t, w, h): (i32, i32, i32, i32) = (
        f[1].parse().unwrap(),
        f[2].parse().unwrap(),
        f[3].parse().unwrap(),
        f[4].parse().unwrap(),
    );
    let src = image::open(dir.join(f[0])).expect("open").to_luma8();
    const SHIFT: u32 = 140;
    let paper = *src.get_pixel(0, 0);
    let mut img = image::GrayImage::from_pixel(src.width() + SHIFT, src.height(), paper);
    image::imageops::replace(&mut img, &src, SHIFT as i64, 0);
    // The first 50 columns of the line (three digits or so), 90 px left of it.
    let piece = image::imageops::crop_imm(&src, l as u32, t as u32, 50, h as u32).to_image();
    image::imageops::replace(&mut img, &piece, (l as u32 + SHIFT - 140) as i64, t as i64);
    let rect = (l + SHIFT as i32 - 150, t, w + 150, h);
    let line = reader.read_line(&img, rect);
    assert!(line.text.contains(' '), "{}", line.text);
    assert!(line.text.ends_with(f[5]), "{}", line.text);
    assert_eq!(reader.read_main_run(&img, rect).text, f[5]);
}
