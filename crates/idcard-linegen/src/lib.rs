//! Renders Arabic-Indic digit lines (national IDs, dates) and Latin card serials with their
//! ground truth, to train and evaluate the project's digit OCR model (issue 4).
//!
//! One call, [`generate`], makes one line: text, font, layout and capture look are all drawn
//! from a generator forked per line index, so a (seed, index) pair always gives the same line.
#![forbid(unsafe_code)]

pub mod canvas;
pub mod fonts;
pub mod layout;
pub mod look;
pub mod metrics;
pub mod rng;
pub mod text;

use image::RgbImage;

use canvas::Canvas;
use fonts::Face;
use layout::{Layout, Zero, DIGIT_H};
use look::Look;
use rng::Rng;

/// What kind of lines to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Training and validation: every variation and degradation, at random.
    Mixed,
    /// Evaluation (a): the font's own glyphs, black on white, 24-40 px high, nothing else.
    Clean,
    /// Evaluation (b): as clean but 18-24 px high, gaussian blur sigma 1 and JPEG quality 50.
    Degraded,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "mixed" => Some(Mode::Mixed),
            "clean" => Some(Mode::Clean),
            "degraded" => Some(Mode::Degraded),
            _ => None,
        }
    }
}

/// One rendered line.
pub struct Line {
    pub image: RgbImage,
    /// Ground truth in visual left-to-right order (Arabic-Indic digits, '/', spaces).
    pub text: String,
    pub font: String,
}

fn random_zero(rng: &mut Rng) -> Zero {
    let h = rng.range(0.25, 0.6);
    let y = rng.range(0.25, 0.55).max(h / 2.0 + 0.02);
    match rng.int(0, 3) {
        // The card's look gets half of the synthetic zeros.
        0 | 1 => Zero::Diamond {
            h,
            w: rng.range(0.6, 1.0),
            y,
        },
        2 => Zero::Dot {
            h: h * 0.8,
            w: rng.range(0.8, 1.1),
            y,
        },
        _ => Zero::Ring {
            h,
            w: rng.range(0.7, 1.0),
            y,
            stroke: rng.range(0.25, 0.5),
        },
    }
}

fn random_layout(rng: &mut Rng, n: usize, mode: Mode, recipe: u32) -> Layout {
    if mode != Mode::Mixed {
        // Evaluation lines show each font as it is: its own glyphs, spacing and weight.
        return Layout {
            tracking: rng.range(0.0, 0.12),
            advance_jitter: Vec::new(),
            glyph_scale: Vec::new(),
            glyph_dy: Vec::new(),
            space: rng.range(0.35, 0.8),
            zero: Zero::Font,
            morph: 0,
            glyph_sx: 1.0,
            shear: 0.0,
        };
    }
    let jitter = rng.chance(0.5);
    let amp = |rng: &mut Rng, a: f32| if jitter { rng.range(-a, a) } else { 0.0 };
    Layout {
        tracking: rng.range(-0.05, 0.35),
        advance_jitter: (0..n).map(|_| amp(rng, 0.04)).collect(),
        glyph_scale: (0..n).map(|_| 1.0 + amp(rng, 0.08)).collect(),
        glyph_dy: (0..n).map(|_| amp(rng, 0.04)).collect(),
        space: rng.range(0.3, 1.2),
        zero: if rng.chance(0.4) {
            random_zero(rng)
        } else {
            Zero::Font
        },
        // Mostly bolder (the card's face is bold), sometimes thinner.
        morph: *rng.pick(&[-1, 0, 0, 1, 1, 2, 2, 3, 4]),
        // Recipe 2 draws these last, so recipe 1 lines stay exactly as they were.
        glyph_sx: if recipe >= 2 && rng.chance(0.5) {
            rng.range(0.8, 1.3)
        } else {
            1.0
        },
        shear: if recipe >= 2 && rng.chance(0.3) {
            rng.range(-0.15, 0.15)
        } else {
            0.0
        },
    }
}

/// Pads the tight ink box and scales it to the final line height (and a horizontal stretch).
fn frame(ink: &Canvas, rng: &mut Rng, mode: Mode) -> Canvas {
    let (line_h, stretch, pads) = match mode {
        Mode::Mixed => (
            rng.int(18, 60) as f32,
            if rng.chance(0.5) {
                rng.range(0.8, 1.25)
            } else {
                1.0
            },
            [
                rng.range(0.05, 0.8),
                rng.range(0.05, 0.8),
                rng.range(0.03, 0.4),
                rng.range(0.03, 0.4),
            ],
        ),
        Mode::Clean => (rng.int(24, 40) as f32, 1.0, [0.3, 0.3, 0.2, 0.2]),
        Mode::Degraded => (rng.int(18, 24) as f32, 1.0, [0.3, 0.3, 0.2, 0.2]),
    };
    let [l, r, t, b] = pads.map(|p| (p * DIGIT_H) as i64);
    let padded = ink.crop(-l, -t, ink.w + (l + r) as usize, ink.h + (t + b) as usize);
    let k = line_h / padded.h as f32;
    let w = ((padded.w as f32 * k * stretch).round() as usize).max(4);
    padded.resize(w, line_h as usize)
}

fn look_for(mode: Mode, rng: &mut Rng, w: usize, h: usize) -> Look {
    match mode {
        Mode::Mixed => Look::random(rng, w, h),
        Mode::Clean => Look::clean(),
        Mode::Degraded => Look {
            blur_sigma: 1.0,
            jpeg_quality: Some(50),
            ..Look::clean()
        },
    }
}

/// Which generation recipe: 1 is what the first model was trained on; 2 adds per-glyph width
/// changes, shear and low-resolution captures (upscaled). Kept selectable so every shipped
/// model's data can be rendered again.
pub const LATEST_RECIPE: u32 = 2;

/// Renders line number `index` of a run with `seed`, in one of `faces`.
pub fn generate(faces: &[Face], seed: u64, index: u64, mode: Mode, recipe: u32) -> Line {
    let mut rng = Rng::fork(seed, index);
    loop {
        let face = rng.pick(faces);
        let ascii = text::line(&mut rng);
        if ascii.contains('/') && !face.has_slash {
            continue;
        }
        let text = text::to_arabic_indic(&ascii);
        let lay = random_layout(&mut rng, text.chars().count(), mode, recipe);
        let Some(ink) = layout::render(face, &text, &lay) else {
            continue;
        };
        let mut cov = frame(&ink, &mut rng, mode);
        if recipe >= 2 && mode == Mode::Mixed && rng.chance(0.15) {
            // A low-resolution capture, upscaled: soft, blocky strokes.
            let f = rng.range(0.45, 0.8);
            let small = cov.resize(
                ((cov.w as f32 * f) as usize).max(2),
                ((cov.h as f32 * f) as usize).max(2),
            );
            cov = small.upscale(cov.w, cov.h);
        }
        let look = look_for(mode, &mut rng, cov.w, cov.h);
        let image = look::apply(&cov, &look, &mut rng);
        return Line {
            image,
            text,
            font: format!("{} {}", face.family, face.style),
        };
    }
}

/// A Latin card serial (2 capitals + 7 digits, e.g. AB1234567), rendered like the digit lines.
pub fn generate_serial(faces: &[Face], seed: u64, index: u64, mode: Mode) -> Line {
    let mut rng = Rng::fork(seed, index);
    let face = rng.pick(faces);
    let mut text = String::new();
    for _ in 0..2 {
        text.push((b'A' + rng.int(0, 25) as u8) as char);
    }
    for _ in 0..7 {
        text.push((b'0' + rng.int(0, 9) as u8) as char);
    }
    let lay = random_layout(&mut rng, text.len(), mode, 1);
    let ink = layout::render(face, &text, &lay).expect("serial glyphs render");
    let cov = frame(&ink, &mut rng, mode);
    let look = look_for(mode, &mut rng, cov.w, cov.h);
    let image = look::apply(&cov, &look, &mut rng);
    Line {
        image,
        text,
        font: format!("{} {}", face.family, face.style),
    }
}
