//! Crops the Arabic word lines the reader finds on generated cards, each with the text the
//! generator printed there, as training lines for the Arabic model (training/train-arabic.sh).
//!
//! `cargo run --release --example dump_lines -- CARDS_DIR OUT_DIR [--digits]`
//!
//! With `--digits`, the digit lines instead (the national ID and the dates), labelled with
//! the printed Arabic-Indic digits, as training lines for the Tesseract digit model
//! (training/train-digits.sh `tune`); their fourth column is that model's own reading.
//!
//! The crops are the reader's own line boxes on its own straightened card, so the model
//! learns from exactly what it is later shown. Each crop is `OUT_DIR/<image>-<field>.png`
//! and a line of `OUT_DIR/lines.tsv`: file, field, printed text, stock reading, font.

use std::io::Write;

use idcard_ocr::core::{
    self,
    fields::digits,
    ocr::{Engine, Model, ModelPaths},
    reader::Trace,
};
use idcard_ocr::harness::truth;

/// Front lines and the truth field each one prints.
const FRONT: &[(&str, &str)] = &[
    ("first_name", "first_name"),
    ("last_name", "last_name"),
    ("address", "address"),
    ("region", "region"),
];

/// Digit lines and the truth field each one prints, per side.
const DIGITS_FRONT: &[(&str, &str)] =
    &[("id_number", "id_number"), ("birthday", "birthday_arabic")];
const DIGITS_BACK: &[(&str, &str)] = &[
    ("id_number", "id_number"),
    ("issue_date", "issue_date_arabic"),
    ("expiry_date", "expiry_date_arabic"),
];

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(cards), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: dump_lines CARDS_DIR OUT_DIR [--digits]");
        std::process::exit(2);
    };
    let (cards, out) = (
        std::path::PathBuf::from(cards),
        std::path::PathBuf::from(out),
    );
    let digits = args.next().as_deref() == Some("--digits");
    std::fs::create_dir_all(&out).expect("output directory");
    let mut paths = ModelPaths::debian_defaults(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    // The word lines are read with stock ara, whatever model ships: its reading only
    // filters out crops of a misplaced line, and the filter must not depend on the model
    // being trained.
    paths.words_model = paths.tessdata_dir.join("ara.traineddata");
    let mut engine = Engine::new(&paths).expect("models");
    let mut list = std::fs::File::create(out.join("lines.tsv")).expect("lines.tsv");
    for image in truth::load(&cards).expect("truth.jsonl") {
        let Ok(bytes) = std::fs::read(cards.join(&image.image)) else {
            continue;
        };
        let mut trace = Trace::default();
        if core::recognize_traced(&mut engine, &bytes, &Default::default(), &mut trace).is_err() {
            continue;
        }
        let stem = image
            .image
            .rsplit_once('.')
            .map_or(&*image.image, |(s, _)| s);
        for (index, card) in trace.cards.iter().enumerate() {
            let first = |name: &str| card.boxes.iter().find(|(n, _, _)| *n == name);
            let side = if first("first_name").is_some() {
                "front"
            } else if first("profession_1").is_some() {
                "back"
            } else {
                continue;
            };
            let Some(printed) = image.cards.iter().find(|c| c.side == side) else {
                continue;
            };
            let info = |field: &str| printed.card_info.get(field).cloned().unwrap_or_default();
            let mut lines: Vec<(&str, String)> = if digits {
                let fields = if side == "front" {
                    DIGITS_FRONT
                } else {
                    DIGITS_BACK
                };
                fields
                    .iter()
                    .map(|(line, field)| (*line, digits::to_arabic_indic(&info(field))))
                    .collect()
            } else {
                FRONT
                    .iter()
                    .filter(|_| side == "front")
                    .map(|(line, field)| (*line, info(field)))
                    .collect()
            };
            if side == "back" && !digits {
                // The job is printed on the first profession line and the qualification
                // on the second; a card without a job prints the qualification first.
                let (jobs, degree) = (info("jobs"), info("degree"));
                let (one, two) = if jobs.is_empty() {
                    (degree, String::new())
                } else {
                    (jobs, degree)
                };
                lines.push(("profession_1", one));
                lines.push(("profession_2", two));
                lines.push(("husband_name", info("husband_name")));
            }
            for (line, text) in lines {
                let Some((_, (left, top, width, height), read)) = first(line) else {
                    continue;
                };
                if text.is_empty() || *width < 8 || *height < 8 {
                    continue;
                }
                let (w, h) = card.image.dimensions();
                let left = (*left).clamp(0, w as i32 - 1) as u32;
                let top = (*top).clamp(0, h as i32 - 1) as u32;
                let width = (*width as u32).min(w - left);
                let height = (*height as u32).min(h - top);
                let crop =
                    image::imageops::crop_imm(&card.image, left, top, width, height).to_image();
                let read = if digits {
                    engine.set_image(&card.image);
                    engine
                        .read_line(
                            Model::DigitsTesseract,
                            (left as i32, top as i32, width as i32, height as i32),
                            None,
                        )
                        .expect("digit reading")
                        .text
                        .replace(' ', "")
                } else {
                    read.clone()
                };
                let name = format!("{stem}-c{index}-{line}.png");
                crop.save(out.join(&name)).expect("crop written");
                let clean = |s: &str| s.replace(['\t', '\n'], " ");
                let font = printed.fonts.get(line).map_or("", String::as_str);
                writeln!(
                    list,
                    "{name}\t{line}\t{}\t{}\t{font}",
                    clean(&text),
                    clean(&read)
                )
                .expect("lines.tsv written");
            }
        }
    }
}
