//! A digit reader of our own for the national ID and the dates: segment the line into
//! glyphs, name each with a small perceptron trained on rendered glyphs.
//!
//! Stock Tesseract has no Arabic-Indic digits beyond ٠ and ١ (see
//! shared/docs/card-layout.md), so these lines need a model of the project's own. The
//! model is trained by `cargo run --release --example train_glyphs -- train`, which renders
//! digit lines in the development fonts of data/font-split.toml and cuts them with this
//! very segmenter, so the classifier learns the pieces the segmenter really produces.
//!
//! Model file format (`models/idcard_glyphs.bin`): see [`classify::Mlp::write_to`].
//!
//! Held-out evaluation of the committed model (`-- eval --lines 600`, fonts Ouhod,
//! KacstBook, Noto Kufi Arabic, Scheherazade; KacstBook and Noto Kufi have no '/', so dates
//! use the other two; digits are 70 % of the line height):
//!
//! | lines | IDs exact | IDs CER | dates exact | dates CER |
//! |---|---|---|---|---|
//! | clean, 24-40 px | 99.83 % | 0.01 % | 99.83 % | 0.02 % |
//! | blur 1 + JPEG 50, 18-24 px | 97.50 % | 0.29 % | 99.00 % | 0.16 % |
//! | same + faint pattern + low contrast | 94.00 % | 0.67 % | 97.00 % | 0.37 % |
//!
//! On fresh lines in the development fonts (`-- eval --dev --lines 540`, 54 faces, some of
//! them odd display faces) the same model reads 94.3 % / 96.7 % (IDs / dates) of clean
//! lines and 82.6 % / 77.6 % of degraded ones exactly: the weakest faces (AlManzomah,
//! KacstTitle, Lateef and Nada at small sizes) are far from the card's face.
//!
//! Median 0.6 ms per ID line on one core. Caveat: some segmenter rules (stacked and
//! side-by-side stroke pieces, touching glyphs) were written after looking at misread
//! held-out lines, so these numbers are somewhat optimistic; the development-font
//! evaluation (`-- eval --dev`) is the one to tune on.

pub mod classify;
pub mod segment;

use std::path::Path;

use image::GrayImage;

use crate::core::ocr::engine::Recognized;
pub use classify::ModelError;
use classify::{features, Mlp, CLASSES};
pub use segment::{segment, segment_evened, LineRect, Segmentation};

/// A gap wider than this many digit heights is printed as a space.
const SPACE_GAP: f32 = 1.0;

/// Which end of a line [`DigitReader::read_shaped`] searches from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnd {
    /// The leftmost match.
    Left,
    /// The rightmost match.
    Right,
}

/// One glyph's reading.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GlyphReading {
    pub char: char,
    /// The classifier's probability for `char`, 0..=1.
    pub confidence: f32,
    /// The runner-up and its probability (for a checksum repair by the caller).
    pub second: (char, f32),
}

/// Reads lines of Arabic-Indic digits and '/'. Immutable after loading: `Send + Sync`,
/// share one across threads.
#[derive(Debug, Clone)]
pub struct DigitReader {
    mlp: Mlp,
}

impl DigitReader {
    /// Loads a model written by the trainer.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, ModelError> {
        let bytes = std::fs::read(path)?;
        Self::from_bytes(&bytes)
    }

    /// Loads a model from its bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        Ok(Self {
            mlp: Mlp::read_from(bytes)?,
        })
    }

    /// Reads the line in `rect` (left, top, width, height) of `card`: Arabic-Indic digits
    /// and '/' in visual left-to-right order (a date reads "١٩٨٨/٠٦/٢٦"), a space only for a
    /// clearly wide gap. The confidence is the lowest glyph probability (one doubtful digit
    /// makes an ID doubtful); 0 when no glyph is found.
    pub fn read_line(&self, card: &GrayImage, rect: (i32, i32, i32, i32)) -> Recognized {
        let (seg, glyphs) = self.read_glyphs(card, rect);
        if glyphs.is_empty() {
            return Recognized::default();
        }
        let mut text = String::new();
        for (i, g) in glyphs.iter().enumerate() {
            if i > 0 && seg.gaps[i - 1] as f32 > SPACE_GAP * seg.digit_height {
                text.push(' ');
            }
            text.push(g.char);
        }
        let confidence = glyphs.iter().map(|g| g.confidence).fold(1.0f32, f32::min);
        Recognized {
            text,
            confidence,
            ..Recognized::default()
        }
    }

    /// Like [`DigitReader::read_line`], but only the longest run of glyphs between wide
    /// gaps. A field's search zone often reaches into a neighbour (the back's ID zone picks
    /// up the issue date's last digit; the expiry zone the words beside it), and those
    /// glyphs stand apart after a gap; the ID and the dates themselves hold no space.
    pub fn read_main_run(&self, card: &GrayImage, rect: (i32, i32, i32, i32)) -> Recognized {
        let (seg, glyphs) = self.read_glyphs(card, rect);
        main_run(&seg, &glyphs)
    }

    /// The glyphs of [`DigitReader::read_main_run`]'s run, each with its runner-up: for a
    /// repair of one digit the card's rules confirm.
    pub fn main_run_glyphs(&self, card: &GrayImage, rect: LineRect) -> Vec<GlyphReading> {
        let (seg, glyphs) = self.read_glyphs(card, rect);
        let run = main_run_range(&seg, glyphs.len());
        glyphs[run].to_vec()
    }

    /// [`DigitReader::read_main_run`] with the light along the line evened out first (see
    /// [`segment_evened`]): a second reading for a line whose digits fade in part.
    pub fn read_main_run_evened(&self, card: &GrayImage, rect: LineRect) -> Recognized {
        let seg = segment_evened(card, rect);
        let glyphs = self.classify(&seg);
        main_run(&seg, &glyphs)
    }

    /// The run of glyphs shaped like `shape` ('d' stands for any digit, any other
    /// character for itself), with no wide gap inside, nearest to the `end` of the line.
    /// For a field printed at one end of a row: the back's expiry date at the left of
    /// "البطاقة سارية حتى", its national ID at the right of the issue date. The row can be
    /// read whole, so the field is never cut where it meets its neighbour, and the
    /// neighbour's glyphs do not take the field's shape before it.
    pub fn read_shaped(
        &self,
        card: &GrayImage,
        rect: (i32, i32, i32, i32),
        shape: &str,
        end: LineEnd,
    ) -> Option<Recognized> {
        let shape: Vec<char> = shape.chars().collect();
        let (seg, glyphs) = self.read_glyphs(card, rect);
        let fits = |g: &GlyphReading, want: char| match want {
            'd' => crate::core::fields::digits::is_arabic_indic_digit(g.char),
            other => g.char == other,
        };
        let last_start = glyphs.len().checked_sub(shape.len())?;
        let matches = |start: usize| {
            let run = &glyphs[start..start + shape.len()];
            let joined = (start..start + shape.len() - 1)
                .all(|i| seg.gaps[i] as f32 <= SPACE_GAP * seg.digit_height);
            (joined && run.iter().zip(&shape).all(|(g, &want)| fits(g, want))).then(|| Recognized {
                text: run.iter().map(|g| g.char).collect(),
                confidence: run.iter().map(|g| g.confidence).fold(1.0f32, f32::min),
                ..Recognized::default()
            })
        };
        match end {
            LineEnd::Left => (0..=last_start).find_map(matches),
            LineEnd::Right => (0..=last_start).rev().find_map(matches),
        }
    }

    /// The segmentation and each glyph's reading, left to right.
    pub fn read_glyphs(
        &self,
        card: &GrayImage,
        rect: LineRect,
    ) -> (Segmentation, Vec<GlyphReading>) {
        let seg = segment(card, rect);
        let readings = self.classify(&seg);
        (seg, readings)
    }

    /// Each glyph of a segmentation read, left to right.
    fn classify(&self, seg: &Segmentation) -> Vec<GlyphReading> {
        (0..seg.glyphs.len())
            .map(|i| {
                let (_, p) = self.mlp.forward(&features(seg, i));
                let mut order: Vec<usize> = (0..p.len()).collect();
                order.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
                GlyphReading {
                    char: CLASSES[order[0]],
                    confidence: p[order[0]],
                    second: (CLASSES[order[1]], p[order[1]]),
                }
            })
            .collect()
    }
}

/// Where the longest run of `count` glyphs between wide gaps lies.
fn main_run_range(seg: &Segmentation, count: usize) -> std::ops::Range<usize> {
    let mut best = 0..0;
    let mut start = 0;
    for i in 1..=count {
        let wide = i == count || seg.gaps[i - 1] as f32 > SPACE_GAP * seg.digit_height;
        if wide {
            if i - start > best.len() {
                best = start..i;
            }
            start = i;
        }
    }
    best
}

/// The longest run of glyphs between wide gaps (see [`DigitReader::read_main_run`]).
fn main_run(seg: &Segmentation, glyphs: &[GlyphReading]) -> Recognized {
    let run = &glyphs[main_run_range(seg, glyphs.len())];
    if run.is_empty() {
        return Recognized::default();
    }
    Recognized {
        text: run.iter().map(|g| g.char).collect(),
        confidence: run.iter().map(|g| g.confidence).fold(1.0f32, f32::min),
        ..Recognized::default()
    }
}
