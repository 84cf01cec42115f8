//! `digits-eval`: reads rendered lines (a directory with `truth.tsv`, as `idcard-linegen
//! --format png` writes) with a Tesseract model in-process and reports exact-line rate,
//! character error rate and recognition time.
//!
//! ```text
//! digits-eval --model-dir DIR [--lang idcard_digits] [--psm 7] [--whitelist CHARS]
//!             [--serial-fix] [--no-invert] [--errors N] LINES_DIR...
//! ```
//! Spaces are ignored when comparing (the field parsers drop them). `--serial-fix` applies the
//! card serial's shape (2 letters then 7 digits) to the output before scoring.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use idcard_linegen::metrics::{key, Score};
use leptess::{LepTess, Variable};

struct Args {
    model_dir: String,
    lang: String,
    psm: String,
    whitelist: Option<String>,
    serial_fix: bool,
    no_invert: bool,
    show_errors: usize,
    dirs: Vec<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        model_dir: "models".into(),
        lang: "idcard_digits".into(),
        psm: "7".into(),
        whitelist: None,
        serial_fix: false,
        no_invert: false,
        show_errors: 0,
        dirs: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut val = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--model-dir" => a.model_dir = val()?,
            "--lang" => a.lang = val()?,
            "--psm" => a.psm = val()?,
            "--whitelist" => a.whitelist = Some(val()?),
            "--serial-fix" => a.serial_fix = true,
            "--no-invert" => a.no_invert = true,
            "--errors" => a.show_errors = val()?.parse().map_err(|_| "bad --errors")?,
            _ if flag.starts_with("--") => return Err(format!("unknown flag {flag}")),
            _ => a.dirs.push(PathBuf::from(flag)),
        }
    }
    if a.dirs.is_empty() {
        return Err("no line directories given".into());
    }
    Ok(a)
}

/// The card serial is two Latin capitals then seven digits: map look-alikes into the class
/// each position must hold (O/0, I/1, Z/2, S/5, B/8, G/6 ...).
fn serial_fix(s: &str) -> String {
    let chars: Vec<char> = key(s);
    if chars.len() != 9 {
        return chars.into_iter().collect();
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if i < 2 {
                match c {
                    '0' => 'O',
                    '1' => 'I',
                    '2' => 'Z',
                    '5' => 'S',
                    '8' => 'B',
                    '6' => 'G',
                    _ => c,
                }
            } else {
                match c {
                    'O' | 'D' | 'Q' => '0',
                    'I' | 'L' | 'J' => '1',
                    'Z' => '2',
                    'S' => '5',
                    'B' => '8',
                    'G' => '6',
                    'T' => '7',
                    _ => c,
                }
            }
        })
        .collect()
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        0.0
    } else {
        v[v.len() / 2]
    }
}

fn eval_dir(tess: &mut LepTess, a: &Args, dir: &Path) -> Result<(), String> {
    let truth = std::fs::read_to_string(dir.join("truth.tsv"))
        .map_err(|e| format!("read {}: {e}", dir.join("truth.tsv").display()))?;
    let mut score = Score::default();
    let mut fixed = Score::default();
    let mut id_ms = Vec::new();
    let mut all_ms = Vec::new();
    let mut shown = 0;
    for row in truth.lines() {
        let cols: Vec<&str> = row.split('\t').collect();
        let [name, text, font, ..] = cols[..] else {
            continue;
        };
        let png = std::fs::read(dir.join(name)).map_err(|e| format!("read {name}: {e}"))?;
        // Timed: decode into a Pix, recognize one line, fetch the text.
        let t0 = Instant::now();
        tess.set_image_from_mem(&png)
            .map_err(|e| format!("{name}: {e:?}"))?;
        tess.set_source_resolution(300);
        let got = tess.get_utf8_text().map_err(|e| format!("{name}: {e}"))?;
        let ms = t0.elapsed().as_secs_f64() * 1e3;
        all_ms.push(ms);
        if key(text).len() == 14 && !text.contains('/') {
            id_ms.push(ms);
        }
        let got = got.trim();
        let ok = score.add(text, got);
        if a.serial_fix {
            fixed.add(text, &serial_fix(got));
        }
        if !ok && shown < a.show_errors {
            shown += 1;
            println!("  miss {name} [{font}] truth={text} got={got}");
        }
    }
    let lat = if id_ms.is_empty() {
        &mut all_ms
    } else {
        &mut id_ms
    };
    let n_lat = lat.len();
    println!(
        "{}: lines={} exact={:.2}% cer={:.3}% median_ms={:.2} ({} {} lines)",
        dir.display(),
        score.lines,
        100.0 * score.exact_rate(),
        100.0 * score.cer(),
        median(lat),
        n_lat,
        if id_ms.is_empty() { "all" } else { "ID" }
    );
    if a.serial_fix {
        println!(
            "{}: with serial shape fix: exact={:.2}% cer={:.3}%",
            dir.display(),
            100.0 * fixed.exact_rate(),
            100.0 * fixed.cer()
        );
    }
    Ok(())
}

fn run(a: &Args) -> Result<(), String> {
    let mut tess = LepTess::new(Some(&a.model_dir), &a.lang)
        .map_err(|e| format!("load {} from {}: {e}", a.lang, a.model_dir))?;
    tess.set_variable(Variable::TesseditPagesegMode, &a.psm)
        .map_err(|_| "set psm")?;
    if a.no_invert {
        // Tesseract 5 re-reads a line inverted when its confidence is low; our lines are
        // always dark on light, so that second pass only costs time.
        tess.set_variable(Variable::TesseditDoInvert, "0")
            .map_err(|_| "set tessedit_do_invert")?;
    }
    if let Some(w) = &a.whitelist {
        tess.set_variable(Variable::TesseditCharWhitelist, w)
            .map_err(|_| "set whitelist")?;
    }
    for dir in &a.dirs {
        eval_dir(&mut tess, a, dir)?;
    }
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(|a| run(&a)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("digits-eval: {e}");
            ExitCode::FAILURE
        }
    }
}
