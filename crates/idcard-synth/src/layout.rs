//! Where each line is printed: the nominal boxes of card-layout.md, as fractions of the
//! card's width (x) and height (y) on the upright card.

/// Card aspect ratio (ID-1: 85.60 x 53.98 mm).
pub const ASPECT: f32 = 85.60 / 53.98;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Front,
    Back,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::Front => "front",
            Side::Back => "back",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// What a line holds: decides the font pool and how its size is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Arabic words (names, address, vocabulary).
    Words,
    /// Arabic-Indic digits (national ID, dates); sized by the digit height.
    Digits,
    /// Arabic words followed by a date (the expiry line): needs both coverages.
    WordsAndDigits,
    /// Latin capitals and digits (the serial).
    Latin,
    /// The green headers.
    Header,
}

/// How the line is inked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Body,
    Faint,
    Green,
}

/// One printed line.
#[derive(Debug, Clone, Copy)]
pub struct FieldBox {
    /// Key used for the text lookup and the truth's `fonts`.
    pub name: &'static str,
    pub x0: f32,
    pub x1: f32,
    pub y0: f32,
    pub y1: f32,
    pub align: Align,
    pub kind: Kind,
    pub tone: Tone,
    /// Height of the reference glyph (alef, digit two, capital H) as a fraction of the box
    /// height, before per-card variation.
    pub glyph_frac: f32,
}

const fn fb(
    name: &'static str,
    (x0, x1): (f32, f32),
    (y0, y1): (f32, f32),
    align: Align,
    kind: Kind,
    tone: Tone,
    glyph_frac: f32,
) -> FieldBox {
    FieldBox {
        name,
        x0,
        x1,
        y0,
        y1,
        align,
        kind,
        tone,
        glyph_frac,
    }
}

use Align::*;
use Kind::*;
use Tone::*;

/// Front of the card (card-layout.md, "Front"). The birth date and the ID boxes are a
/// little narrower than the document's so that the two never touch.
#[rustfmt::skip]
pub const FRONT: &[FieldBox] = &[
    fb("header_country", (0.50, 0.94), (0.04, 0.12), Center, Header, Green, 0.62),
    fb("header_title", (0.50, 0.94), (0.13, 0.21), Center, Header, Green, 0.55),
    fb("first_name", (0.62, 0.94), (0.27, 0.35), Right, Words, Body, 0.62),
    fb("last_name", (0.45, 0.94), (0.35, 0.48), Right, Words, Body, 0.45),
    fb("address", (0.39, 0.94), (0.49, 0.58), Right, Words, Body, 0.50),
    fb("region", (0.39, 0.94), (0.58, 0.67), Right, Words, Body, 0.50),
    fb("id_number", (0.42, 0.95), (0.77, 0.89), Center, Digits, Body, 0.55),
    fb("birthday", (0.03, 0.38), (0.75, 0.84), Center, Digits, Faint, 0.50),
    fb("certificate_number", (0.02, 0.36), (0.91, 0.99), Left, Latin, Body, 0.55),
];

/// The photo box on the front.
pub const PHOTO: (f32, f32, f32, f32) = (0.02, 0.27, 0.06, 0.55);

/// Back of the card (card-layout.md, "Back").
#[rustfmt::skip]
pub const BACK: &[FieldBox] = &[
    fb("id_number", (0.45, 0.81), (0.06, 0.12), Center, Digits, Body, 0.60),
    fb("issue_date", (0.26, 0.45), (0.06, 0.13), Center, Digits, Body, 0.52),
    fb("profession_1", (0.33, 0.81), (0.12, 0.21), Right, Words, Body, 0.50),
    fb("profession_2", (0.33, 0.81), (0.20, 0.28), Right, Words, Body, 0.52),
    fb("marriage", (0.35, 0.46), (0.29, 0.37), Right, Words, Body, 0.52),
    fb("religion", (0.55, 0.67), (0.29, 0.37), Right, Words, Body, 0.52),
    fb("gender", (0.72, 0.82), (0.29, 0.37), Right, Words, Body, 0.52),
    fb("husband_name", (0.20, 0.82), (0.365, 0.44), Right, Words, Body, 0.55),
    fb("expiry", (0.30, 0.80), (0.445, 0.52), Right, WordsAndDigits, Body, 0.52),
];

/// Eagle emblem and barcode block on the back.
pub const EMBLEM: (f32, f32, f32, f32) = (0.04, 0.22, 0.06, 0.44);
pub const BARCODE: (f32, f32, f32, f32) = (0.05, 0.95, 0.62, 0.94);

/// The words before the expiry date.
pub const EXPIRY_WORDS: &str = "البطاقة سارية حتى";
pub const HEADER_COUNTRY: &str = "جمهورية مصر العربية";
pub const HEADER_TITLE: &str = "بطاقة تحقيق الشخصية";
