//! The first, simple reader: the whole image is taken as the card, turned upright by
//! trying the orientations its shape allows, its side told by the printed title or the
//! expiry label, and each field read in its nominal zone.
//!
//! It is real Tesseract on real pixels; the full pipeline (locating the card in a photo,
//! searching for each line) replaces it stage by stage.

use image::{imageops, GrayImage, RgbImage};

use super::{
    error::CoreError,
    fields::{
        national_id::{self, NationalIdFacts},
        parse,
        vocabulary::{self, Matched},
    },
    layout::{self, LineSpec},
    ocr::{Engine, EngineError, Recognized},
    reading::{BackFields, CardFields, CardReading, Field, FrontFields, Point, Side},
    text::fold_arabic,
};

/// The canonical card size the fields are read at (ID-1 aspect 1.586).
pub const CARD_WIDTH: u32 = 1000;
/// See [`CARD_WIDTH`].
pub const CARD_HEIGHT: u32 = 631;

/// Below this a side's printed label was not found: the image holds no card.
const MIN_SIDE_SCORE: f32 = 0.5;

impl From<EngineError> for CoreError {
    fn from(error: EngineError) -> Self {
        CoreError::Engine(error.to_string())
    }
}

/// Reads the card sides in an image.
pub fn read_cards(engine: &mut Engine, image: &RgbImage) -> Result<Vec<CardReading>, CoreError> {
    let gray = imageops::grayscale(image);
    if looks_blank(&gray) {
        return Err(CoreError::NoCardFound);
    }
    let rotations: &[u32] = if gray.height() > gray.width() {
        &[90, 270]
    } else {
        &[0, 180]
    };
    let mut best: Option<(u32, Side, f32, GrayImage)> = None;
    for &rotation in rotations {
        let card = upright_card(&gray, rotation);
        engine.set_image(&card)?;
        let (side, score) = tell_side(engine)?;
        if best
            .as_ref()
            .is_none_or(|(_, _, best_score, _)| score > *best_score)
        {
            best = Some((rotation, side, score, card));
        }
        if score >= 0.8 {
            break;
        }
    }
    let Some((rotation, side, side_score, card)) = best else {
        return Err(CoreError::NoCardFound);
    };
    if side_score < MIN_SIDE_SCORE {
        return Err(CoreError::NoCardFound);
    }
    engine.set_image(&card)?;
    let (fields, facts) = match side {
        Side::Front => read_front(engine)?,
        Side::Back => read_back(engine)?,
    };
    let filled: Vec<f32> = fields
        .named()
        .iter()
        .filter(|(_, f)| !f.value.is_empty())
        .map(|(_, f)| f.confidence)
        .collect();
    let field_mean = if filled.is_empty() {
        0.0
    } else {
        filled.iter().sum::<f32>() / filled.len() as f32
    };
    Ok(vec![CardReading {
        fields,
        confidence: (side_score * field_mean).clamp(0.0, 1.0),
        national_id: facts,
        corners: image_corners(image.width() as f32, image.height() as f32, rotation),
        rotation_degrees: rotation,
    }])
}

/// A near-uniform image (a blank page, a wall) holds no card: refuse it before OCR.
fn looks_blank(gray: &GrayImage) -> bool {
    let n = gray.len() as f64;
    let mean = gray.iter().map(|&p| f64::from(p)).sum::<f64>() / n;
    let variance = gray
        .iter()
        .map(|&p| (f64::from(p) - mean).powi(2))
        .sum::<f64>()
        / n;
    variance.sqrt() < 6.0
}

/// Rotates clockwise by `rotation` degrees and scales to the canonical card size.
fn upright_card(gray: &GrayImage, rotation: u32) -> GrayImage {
    let turned = match rotation {
        90 => imageops::rotate90(gray),
        180 => imageops::rotate180(gray),
        270 => imageops::rotate270(gray),
        _ => gray.clone(),
    };
    imageops::resize(
        &turned,
        CARD_WIDTH,
        CARD_HEIGHT,
        imageops::FilterType::Triangle,
    )
}

/// The image's corners named as the upright card's TL, TR, BR, BL.
fn image_corners(w: f32, h: f32, rotation: u32) -> [Point; 4] {
    let p = |x, y| Point { x, y };
    let (tl, tr, br, bl) = (p(0.0, 0.0), p(w, 0.0), p(w, h), p(0.0, h));
    match rotation {
        90 => [bl, tl, tr, br],
        180 => [br, bl, tl, tr],
        270 => [tr, br, bl, tl],
        _ => [tl, tr, br, bl],
    }
}

/// Tells the side from the front's title or the back's expiry label: whichever is found
/// more surely, with how sure (0..=1).
fn tell_side(engine: &mut Engine) -> Result<(Side, f32), CoreError> {
    let front = keyword_score(
        &read(engine, &layout::FRONT_TITLE)?.text,
        &["بطاقة", "تحقيق", "الشخصية"],
    );
    let back = keyword_score(
        &read(engine, &layout::BACK_LABEL)?.text,
        &["البطاقة", "سارية", "حتى"],
    );
    Ok(if front >= back {
        (Side::Front, front)
    } else {
        (Side::Back, back)
    })
}

/// The mean, over `keywords`, of the best similarity of any read word to that keyword.
fn keyword_score(text: &str, keywords: &[&str]) -> f32 {
    let words: Vec<String> = fold_arabic(text).split(' ').map(str::to_string).collect();
    let total: f64 = keywords
        .iter()
        .map(|keyword| {
            let keyword = fold_arabic(keyword);
            words
                .iter()
                .map(|word| strsim::normalized_levenshtein(word, &keyword))
                .fold(0.0, f64::max)
        })
        .sum();
    (total / keywords.len() as f64) as f32
}

fn read(engine: &mut Engine, spec: &LineSpec) -> Result<Recognized, CoreError> {
    let rect = spec.zone.pixels(CARD_WIDTH, CARD_HEIGHT);
    Ok(engine.read_line(spec.model, rect, spec.whitelist)?)
}

fn spec(specs: &'static [LineSpec], name: &str) -> &'static LineSpec {
    specs
        .iter()
        .find(|s| s.name == name)
        .expect("every line the reader asks for is in the layout table")
}

fn arabic_field(
    engine: &mut Engine,
    specs: &'static [LineSpec],
    name: &str,
) -> Result<Field, CoreError> {
    let read = read(engine, spec(specs, name))?;
    Ok(Field::new(parse::arabic_text(&read.text), read.confidence))
}

/// Reads the national ID and checks it; a number failing its checksum is returned as
/// read, with a lowered confidence, never "fixed" into another valid number.
fn id_field(
    engine: &mut Engine,
    specs: &'static [LineSpec],
) -> Result<(Field, Option<NationalIdFacts>), CoreError> {
    let read = read(engine, spec(specs, "id_number"))?;
    let Some(id) = parse::national_id(&read.text) else {
        return Ok((Field::default(), None));
    };
    let facts = national_id::analyze(&id);
    let trusted = facts
        .as_ref()
        .is_some_and(|f| f.checksum_valid && f.birth_date.is_some());
    let confidence = if trusted {
        read.confidence
    } else {
        read.confidence * 0.3
    };
    Ok((Field::new(id, confidence), facts))
}

fn date_fields(
    engine: &mut Engine,
    specs: &'static [LineSpec],
    name: &str,
    with_day: bool,
) -> Result<(Field, Field), CoreError> {
    let read = read(engine, spec(specs, name))?;
    Ok(match parse::date(&read.text, with_day) {
        Some((ascii, arabic)) => (
            Field::new(ascii, read.confidence),
            Field::new(arabic, read.confidence),
        ),
        None => (Field::default(), Field::default()),
    })
}

fn read_front(engine: &mut Engine) -> Result<(CardFields, Option<NationalIdFacts>), CoreError> {
    let specs = layout::FRONT;
    let (id_number, facts) = id_field(engine, specs)?;
    let (mut birthday, mut birthday_arabic) = date_fields(engine, specs, "birthday", true)?;
    let derived = facts
        .as_ref()
        .filter(|f| f.checksum_valid)
        .and_then(|f| f.birth_date.clone());
    match (&derived, birthday.value.is_empty()) {
        // The printed date is unreadable: take the number's, and say it was derived.
        (Some(date), true) => {
            birthday = Field::new(date.clone(), 0.5);
            birthday_arabic = Field::new(super::fields::digits::to_arabic_indic(date), 0.5);
        }
        // Two independent readings agree: both are surer.
        (Some(date), false) if *date == birthday.value => {
            birthday.confidence = birthday.confidence.max(0.95);
            birthday_arabic.confidence = birthday.confidence;
        }
        _ => {}
    }
    let serial_read = read(engine, spec(specs, "certificate_number"))?;
    let certificate_number = parse::serial(&serial_read.text)
        .map(|s| Field::new(s, serial_read.confidence))
        .unwrap_or_default();
    let front = FrontFields {
        id_number,
        certificate_number,
        first_name: arabic_field(engine, specs, "first_name")?,
        last_name: arabic_field(engine, specs, "last_name")?,
        birthday,
        birthday_arabic,
        address: arabic_field(engine, specs, "address")?,
        region: arabic_field(engine, specs, "region")?,
    };
    Ok((CardFields::Front(front), facts))
}

fn vocab_fields(
    engine: &mut Engine,
    name: &str,
    terms: &[vocabulary::Term],
) -> Result<(Field, Field), CoreError> {
    let read = read(engine, spec(layout::BACK, name))?;
    Ok(match vocabulary::match_term(&read.text, terms) {
        Some(Matched { term, confidence }) => {
            let confidence = confidence * read.confidence.max(0.5);
            (
                Field::new(term.arabic, confidence),
                Field::new(term.english, confidence),
            )
        }
        None => (Field::default(), Field::default()),
    })
}

fn read_back(engine: &mut Engine) -> Result<(CardFields, Option<NationalIdFacts>), CoreError> {
    let specs = layout::BACK;
    let (id_number, facts) = id_field(engine, specs)?;
    let (issue_date, issue_date_arabic) = date_fields(engine, specs, "issue_date", false)?;
    let (expiry_date, expiry_date_arabic) = date_fields(engine, specs, "expiry_date", true)?;
    let (gender, gender_en) = vocab_fields(engine, "gender", vocabulary::GENDERS)?;
    let (religion, religion_en) = vocab_fields(engine, "religion", vocabulary::RELIGIONS)?;
    let (marriage, marriage_en) = vocab_fields(engine, "marriage", vocabulary::MARITAL_STATUSES)?;
    let mut jobs = Field::default();
    let mut degree = Field::default();
    for line in ["profession_1", "profession_2"] {
        let field = arabic_field(engine, specs, line)?;
        if field.value.is_empty() {
            continue;
        }
        let slot = if parse::is_degree_line(&field.value) {
            &mut degree
        } else {
            &mut jobs
        };
        if slot.value.is_empty() {
            *slot = field;
        }
    }
    let husband = arabic_field(engine, specs, "husband_name")?;
    // Only married women's cards print a husband's name; elsewhere the zone holds pattern.
    let husband_name = if gender_en.value == "F" && husband.confidence >= 0.5 {
        husband
    } else {
        Field::default()
    };
    let back = BackFields {
        id_number,
        issue_date,
        issue_date_arabic,
        expiry_date,
        expiry_date_arabic,
        gender,
        gender_en,
        degree,
        religion,
        religion_en,
        husband_name,
        jobs,
        marriage,
        marriage_en,
    };
    Ok((CardFields::Back(back), facts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corners_follow_rotation() {
        let c = image_corners(100.0, 50.0, 180);
        assert_eq!((c[0].x, c[0].y), (100.0, 50.0));
        let c = image_corners(50.0, 100.0, 90);
        assert_eq!((c[0].x, c[0].y), (0.0, 100.0));
        assert_eq!((c[1].x, c[1].y), (0.0, 0.0));
    }

    #[test]
    fn blank_images_are_blank() {
        assert!(looks_blank(&GrayImage::from_pixel(
            300,
            200,
            image::Luma([240])
        )));
        let stripes = GrayImage::from_fn(300, 200, |x, _| {
            image::Luma([if x % 20 < 10 { 0 } else { 255 }])
        });
        assert!(!looks_blank(&stripes));
    }

    #[test]
    fn keyword_score_tolerates_noise() {
        assert!(keyword_score("بطاقه تحقيق الشخصيه", &["بطاقة", "تحقيق", "الشخصية"]) > 0.9);
        assert!(keyword_score("", &["بطاقة"]) < 0.1);
    }
}
