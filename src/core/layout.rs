//! Where each field is printed, and how it is read: the one table of per-field settings.
//!
//! Zones are fractions of the upright card's width (x) and height (y), taken from
//! shared/docs/card-layout.md and widened by a margin, because real cards miss the nominal
//! place by a few percent.

use super::ocr::Model;

/// A rectangle in pixels: left, top, width, height.
pub type PixelRect = (i32, i32, i32, i32);

/// A rectangle in card fractions.
#[derive(Debug, Clone, Copy)]
pub struct Zone {
    /// Left edge.
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// Top edge.
    pub y0: f32,
    /// Bottom edge.
    pub y1: f32,
}

impl Zone {
    /// The zone in pixels of a `width` x `height` card: (left, top, width, height).
    pub fn pixels(&self, width: u32, height: u32) -> PixelRect {
        let (w, h) = (width as f32, height as f32);
        let left = (self.x0.clamp(0.0, 1.0) * w) as i32;
        let top = (self.y0.clamp(0.0, 1.0) * h) as i32;
        let right = (self.x1.clamp(0.0, 1.0) * w) as i32;
        let bottom = (self.y1.clamp(0.0, 1.0) * h) as i32;
        (left, top, (right - left).max(1), (bottom - top).max(1))
    }
}

/// How one printed line is read.
#[derive(Debug, Clone, Copy)]
pub struct LineSpec {
    /// What the line is (a field name, or a label used to tell the side).
    pub name: &'static str,
    /// Where it is printed.
    pub zone: Zone,
    /// Which model reads it.
    pub model: Model,
    /// Characters the model may produce, when restricted.
    pub whitelist: Option<&'static str>,
}

const fn line(name: &'static str, x0: f32, x1: f32, y0: f32, y1: f32, model: Model) -> LineSpec {
    LineSpec {
        name,
        zone: Zone { x0, x1, y0, y1 },
        model,
        whitelist: None,
    }
}

/// Digits and the date separator, in the digit model's script.
const DIGIT_CHARS: &str = "٠١٢٣٤٥٦٧٨٩/";

/// The front's lines.
pub const FRONT: &[LineSpec] = &[
    line("first_name", 0.58, 0.995, 0.25, 0.36, Model::Words),
    line("last_name", 0.42, 0.995, 0.34, 0.49, Model::Words),
    line("address", 0.36, 0.995, 0.48, 0.59, Model::Words),
    line("region", 0.36, 0.995, 0.57, 0.68, Model::Words),
    LineSpec {
        whitelist: Some(DIGIT_CHARS),
        ..line("id_number", 0.38, 0.995, 0.75, 0.91, Model::Digits)
    },
    LineSpec {
        whitelist: Some(DIGIT_CHARS),
        ..line("birthday", 0.01, 0.42, 0.70, 0.89, Model::Digits)
    },
    LineSpec {
        whitelist: Some("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
        ..line("certificate_number", 0.0, 0.40, 0.89, 1.0, Model::Latin)
    },
];

/// The back's lines. The profession lines become `jobs` or `degree` by their content.
pub const BACK: &[LineSpec] = &[
    LineSpec {
        whitelist: Some(DIGIT_CHARS),
        ..line("id_number", 0.42, 0.84, 0.03, 0.14, Model::Digits)
    },
    LineSpec {
        whitelist: Some(DIGIT_CHARS),
        ..line("issue_date", 0.23, 0.47, 0.03, 0.15, Model::Digits)
    },
    line("profession_1", 0.30, 0.84, 0.11, 0.22, Model::Words),
    line("profession_2", 0.30, 0.84, 0.19, 0.29, Model::Words),
    line("marriage", 0.32, 0.49, 0.27, 0.38, Model::Arabic),
    line("religion", 0.52, 0.70, 0.27, 0.38, Model::Arabic),
    line("gender", 0.69, 0.85, 0.27, 0.38, Model::Arabic),
    line("husband_name", 0.17, 0.85, 0.35, 0.47, Model::Words),
    LineSpec {
        whitelist: Some(DIGIT_CHARS),
        ..line("expiry_date", 0.27, 0.53, 0.42, 0.53, Model::Digits)
    },
];

/// The front's header, جمهورية مصر العربية, above the title: a second witness for a
/// front whose title is printed in a face Tesseract misreads.
pub const FRONT_HEADER: LineSpec = line("front_header", 0.42, 0.98, 0.02, 0.13, Model::Arabic);
/// The front's printed title, بطاقة تحقيق الشخصية, which tells a front from a back.
pub const FRONT_TITLE: LineSpec = line("front_title", 0.42, 0.98, 0.12, 0.22, Model::Arabic);
/// The back's row of gender, religion and marital status, read as one line.
pub const STATUS_ROW: LineSpec = line("status_row", 0.30, 0.86, 0.27, 0.38, Model::Arabic);
/// The back's whole top row: the issue date, then the national ID at its right end.
pub const BACK_ID_ROW: LineSpec = line("id_row", 0.18, 0.86, 0.03, 0.15, Model::Digits);
/// The back's whole expiry row: the date at its left end, then "البطاقة سارية حتى".
pub const EXPIRY_ROW: LineSpec = line("expiry_row", 0.15, 0.86, 0.42, 0.53, Model::Digits);
/// The back's "البطاقة سارية حتى" label beside the expiry date.
pub const BACK_LABEL: LineSpec = line("back_label", 0.44, 0.86, 0.41, 0.54, Model::Arabic);
