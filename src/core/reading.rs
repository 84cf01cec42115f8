//! What the core returns: one reading per card side found, with confidences.

use super::fields::national_id::NationalIdFacts;

/// Which side of the card was read. Keys files name it too (`sides = ["front"]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Photo, name, address, national ID, birth date, serial.
    Front,
    /// Dates, profession, gender, religion, marital status.
    Back,
}

impl Side {
    /// The cloud API's `card_side` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Front => "front",
            Side::Back => "back",
        }
    }
}

/// One field's value in the API's format and how sure the reader is of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Field {
    /// The value; empty when the field was not found.
    pub value: String,
    /// From 0 (guess or not found) to 1 (certain).
    pub confidence: f32,
}

impl Field {
    /// A field with a value and a confidence clamped to 0..=1.
    pub fn new(value: impl Into<String>, confidence: f32) -> Self {
        let value = value.into();
        let confidence = if value.is_empty() {
            0.0
        } else {
            confidence.clamp(0.0, 1.0)
        };
        Self { value, confidence }
    }
}

/// Declares a struct of named fields plus an iterator over `(api_name, field)` pairs, so
/// the field names exist once and every layer (gRPC, JSON, harness) walks the same list.
macro_rules! card_fields {
    ($(#[$meta:meta])* $name:ident { $($(#[$field_meta:meta])* $field:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $name {
            $($(#[$field_meta])* pub $field: Field,)*
        }

        impl $name {
            /// Every field with its API name, in the contract's order.
            pub fn named(&self) -> Vec<(&'static str, &Field)> {
                vec![$((stringify!($field), &self.$field),)*]
            }
        }
    };
}

card_fields!(
    /// The fields of a front side, named as the cloud API names them.
    FrontFields {
        /// 14 ASCII digits.
        id_number,
        /// Two Latin capitals and seven digits.
        certificate_number,
        /// First name.
        first_name,
        /// Father, grandfather, family.
        last_name,
        /// yyyy/mm/dd, ASCII digits.
        birthday,
        /// yyyy/mm/dd, Arabic-Indic digits.
        birthday_arabic,
        /// Street or village.
        address,
        /// District - governorate.
        region,
    }
);

card_fields!(
    /// The fields of a back side, named as the cloud API names them.
    BackFields {
        /// 14 ASCII digits.
        id_number,
        /// yyyy/mm, ASCII digits.
        issue_date,
        /// yyyy/mm, Arabic-Indic digits.
        issue_date_arabic,
        /// yyyy/mm/dd, ASCII digits.
        expiry_date,
        /// yyyy/mm/dd, Arabic-Indic digits.
        expiry_date_arabic,
        /// ذكر or أنثى.
        gender,
        /// M or F.
        gender_en,
        /// Qualification or study status.
        degree,
        /// As printed.
        religion,
        /// Muslim, Christian, Judaism or empty.
        religion_en,
        /// Married women only.
        husband_name,
        /// Job or workplace.
        jobs,
        /// As printed.
        marriage,
        /// married, unmarried, widow or divorced.
        marriage_en,
    }
);

/// The fields of one side.
#[derive(Debug, Clone, PartialEq)]
pub enum CardFields {
    /// A front side.
    Front(FrontFields),
    /// A back side.
    Back(BackFields),
}

impl CardFields {
    /// The side these fields belong to.
    pub fn side(&self) -> Side {
        match self {
            CardFields::Front(_) => Side::Front,
            CardFields::Back(_) => Side::Back,
        }
    }

    /// Every field with its API name.
    pub fn named(&self) -> Vec<(&'static str, &Field)> {
        match self {
            CardFields::Front(front) => front.named(),
            CardFields::Back(back) => back.named(),
        }
    }
}

/// A point in image pixels.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// Pixels from the left.
    pub x: f32,
    /// Pixels from the top.
    pub y: f32,
}

/// The reading of one card side.
#[derive(Debug, Clone, PartialEq)]
pub struct CardReading {
    /// The fields of the side that was read.
    pub fields: CardFields,
    /// How sure the reader is of the whole result, 0..=1.
    pub confidence: f32,
    /// What the national ID number says about itself, when 14 digits were read.
    pub national_id: Option<NationalIdFacts>,
    /// The card's corners as it stands upright (TL, TR, BR, BL), in decoded-image pixels.
    pub corners: [Point; 4],
    /// Clockwise rotation applied to make the card upright: 0, 90, 180 or 270.
    pub rotation_degrees: u32,
}
