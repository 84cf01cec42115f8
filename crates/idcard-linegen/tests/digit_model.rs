//! The shipped digit model (models/idcard_digits.traineddata) reads the committed held-out
//! fixture lines (tests/fixtures/digit-lines, fonts never used in training) at least as well
//! as it did when it was shipped.
//!
//! The floors are the rates measured on these exact files with the shipped model (see
//! models/README.md) minus a small margin for Tesseract build differences; never lower them to
//! make a new model pass: a worse model is a regression.

use std::path::PathBuf;

use idcard_linegen::metrics::Score;
use leptess::{LepTess, Variable};

/// Measured when the model was shipped (models/README.md): clean 50/50 lines exact, degraded
/// 48/50, CER 0.17 % over all 100. Margin: two lines of each half, CER 0.4 %.
const CLEAN_EXACT_FLOOR: f64 = 0.96;
const DEGRADED_EXACT_FLOOR: f64 = 0.92;
const CER_CEILING: f64 = 0.004;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn shipped_model_reads_held_out_fixture_lines() {
    let root = workspace();
    let models = root.join("models");
    let fixtures = root.join("tests/fixtures/digit-lines");
    let mut tess = LepTess::new(Some(models.to_str().unwrap()), "idcard_digits")
        .expect("load models/idcard_digits.traineddata");
    // One text line per image.
    tess.set_variable(Variable::TesseditPagesegMode, "7")
        .unwrap();
    let truth = std::fs::read_to_string(fixtures.join("truth.tsv")).expect("truth.tsv");
    let (mut clean, mut degraded, mut all) = (Score::default(), Score::default(), Score::default());
    for row in truth.lines().filter(|r| !r.starts_with('#')) {
        let cols: Vec<&str> = row.split('\t').collect();
        let (name, text) = (cols[0], cols[1]);
        tess.set_image(fixtures.join(name))
            .expect("read fixture png");
        tess.set_source_resolution(300);
        let got = tess.get_utf8_text().expect("utf8 text");
        let got = got.trim();
        if name.starts_with("clean") {
            clean.add(text, got);
        } else {
            degraded.add(text, got);
        }
        all.add(text, got);
    }
    eprintln!(
        "clean {}/{} degraded {}/{} cer {:.4}",
        clean.exact,
        clean.lines,
        degraded.exact,
        degraded.lines,
        all.cer()
    );
    assert!(
        clean.lines >= 40 && degraded.lines >= 40,
        "fixture set is incomplete"
    );
    assert!(
        clean.exact_rate() >= CLEAN_EXACT_FLOOR,
        "clean exact {:.3}",
        clean.exact_rate()
    );
    assert!(
        degraded.exact_rate() >= DEGRADED_EXACT_FLOOR,
        "degraded exact {:.3}",
        degraded.exact_rate()
    );
    assert!(all.cer() <= CER_CEILING, "cer {:.4}", all.cer());
}
