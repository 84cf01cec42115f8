//! Renders one side of a card at a given pixel width: background, pictures, and every text
//! field at its nominal place with per-card and per-field jitter, fonts, sizes and inks.

use std::collections::BTreeMap;

use rand::seq::SliceRandom;
use rand::Rng;
use tiny_skia::{Color, FillRule, Mask, PathBuilder, Pixmap, Rect, Transform};

use crate::background::{paint_barcode, paint_card, paint_emblem, paint_photo, styles};
use crate::fonts::{Font, FontCatalog};
use crate::identity::Identity;
use crate::layout::{
    Align, FieldBox, Kind, Side, Tone, ASPECT, BACK, EXPIRY_WORDS, FRONT, HEADER_COUNTRY,
    HEADER_TITLE,
};
use crate::split::Split;
use crate::text::{draw_line, draw_line_masked, shape_line, Ink, Spacing};
use crate::vocab::to_arabic_digits;

/// A rendered side: premultiplied RGBA, transparent outside the rounded card outline.
pub struct RenderedCard {
    pub pixmap: Pixmap,
    /// Field name -> "Family (Style)" of the face that printed it.
    pub fonts: BTreeMap<String, String>,
    pub background: &'static str,
}

/// Card height in pixels for a card `width` pixels wide.
pub fn card_height(width: u32) -> u32 {
    (width as f32 / ASPECT).round() as u32
}

/// The printed text of a field (logical order), empty when the card leaves it blank.
fn field_text(name: &str, id: &Identity) -> String {
    match name {
        "header_country" => HEADER_COUNTRY.to_string(),
        "header_title" => HEADER_TITLE.to_string(),
        "first_name" => id.first_name.clone(),
        "last_name" => id.last_name.clone(),
        "address" => id.address.clone(),
        "region" => id.region.clone(),
        "id_number" => to_arabic_digits(&id.id_number),
        "birthday" => to_arabic_digits(&id.birth.ymd()),
        "certificate_number" => id.certificate_number.clone(),
        "issue_date" => to_arabic_digits(&id.issue.ym()),
        "profession_1" => id.profession[0].clone(),
        "profession_2" => id.profession[1].clone(),
        "marriage" => id.marriage_printed.clone(),
        "religion" => id.religion_printed.clone(),
        "gender" => id.gender.arabic().to_string(),
        "husband_name" => id.husband_name.clone(),
        "expiry" => format!("{EXPIRY_WORDS} {}", to_arabic_digits(&id.expiry.ymd())),
        // The layout table and this match must agree; a typo must not print nothing.
        other => unreachable!("no text for layout field {other}"),
    }
}

/// Per-card choices shared by all fields unless a field overrides them.
struct CardStyle {
    words: usize,
    digits: usize,
    header: usize,
    latin: usize,
    /// A digit face that has '/', lending it to faces that lack it.
    slash: usize,
    ink: (u8, u8, u8),
    ink_alpha: f32,
    scale: f32,
}

fn pools(cat: &FontCatalog, split: Split) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
    let arabic = cat.arabic(split);
    let digits: Vec<usize> = arabic
        .iter()
        .copied()
        .filter(|&i| cat.fonts[i].indic_digits)
        .collect();
    let latin = cat.latin(split);
    (arabic, digits, latin)
}

/// Picks a face from `pool` that covers `text`, preferring `preferred`.
fn choose_font<R: Rng>(
    cat: &FontCatalog,
    pool: &[usize],
    preferred: usize,
    text: &str,
    rng: &mut R,
) -> usize {
    if cat.fonts[preferred].covers(text) {
        return preferred;
    }
    let ok: Vec<usize> = pool
        .iter()
        .copied()
        .filter(|&i| cat.fonts[i].covers(text))
        .collect();
    *ok.choose(rng).unwrap_or(&preferred)
}

/// Renders `side` of the card of `id` at `width` pixels.
pub fn render_card<R: Rng>(
    side: Side,
    id: &Identity,
    width: u32,
    split: Split,
    cat: &FontCatalog,
    rng: &mut R,
) -> RenderedCard {
    let height = card_height(width);
    let mut pm = Pixmap::new(width, height).expect("card size");
    let (w, h) = (width as f32, height as f32);

    let bg_styles = styles(cat.split_config(), split);
    let background = *bg_styles.choose(rng).expect("styles");
    paint_card(&mut pm, background, rng);

    let (arabic, digits, latin) = pools(cat, split);
    let slash: Vec<usize> = digits
        .iter()
        .copied()
        .filter(|&i| cat.fonts[i].slash)
        .collect();
    assert!(
        !arabic.is_empty() && !slash.is_empty() && !latin.is_empty(),
        "no usable fonts for split {split:?}"
    );
    let inks = [
        (20u8, 20u8, 25u8),
        (35, 30, 30),
        (25, 30, 50),
        (45, 40, 35),
        (8, 8, 8),
    ];
    let style = CardStyle {
        words: *arabic.choose(rng).expect("fonts"),
        digits: *digits.choose(rng).expect("fonts"),
        header: *arabic.choose(rng).expect("fonts"),
        latin: *latin.choose(rng).expect("fonts"),
        slash: *slash.choose(rng).expect("fonts"),
        ink: *inks.choose(rng).expect("inks"),
        ink_alpha: rng.gen_range(0.82..1.0),
        scale: rng.gen_range(0.88..1.08),
    };

    if rng.gen_bool(0.5) {
        microtext(&mut pm, &cat.fonts[style.header], rng);
    }

    // The whole text block moves together (print offset), +-1.5 % of the card.
    let block = (
        rng.gen_range(-0.015..0.015) * w,
        rng.gen_range(-0.015..0.015) * h,
    );
    match side {
        Side::Front => paint_photo(&mut pm, block.0, block.1, rng),
        Side::Back => {
            paint_emblem(&mut pm, block.0, block.1, rng);
            paint_barcode(&mut pm, block.0, block.1, rng);
        }
    }

    let table = match side {
        Side::Front => FRONT,
        Side::Back => BACK,
    };
    let mut fonts = BTreeMap::new();
    for fbx in table {
        let text = field_text(fbx.name, id);
        if text.is_empty() {
            continue;
        }
        let (pool, card_pick) = match fbx.kind {
            Kind::Words => (&arabic, style.words),
            Kind::Header => (&arabic, style.header),
            Kind::Digits | Kind::WordsAndDigits => (&digits, style.digits),
            Kind::Latin => (&latin, style.latin),
        };
        // A quarter of the fields use a face of their own: real cards mix a Naskh for names
        // with a different face for digits, and the reader must not learn one pairing.
        let preferred = if rng.gen_bool(0.25) {
            *pool.choose(rng).expect("fonts")
        } else {
            card_pick
        };
        let fi = choose_font(cat, pool, preferred, &text, rng);
        let font = &cat.fonts[fi];
        // A face without '/' borrows it from the card's digit face (which has one).
        let fallback = &cat.fonts[style.slash];
        let faces = Faces {
            main: font,
            fallback,
        };
        draw_field(&mut pm, fbx, &text, faces, &style, block, rng);
        fonts.insert(fbx.name.to_string(), font.label());
    }
    RenderedCard {
        pixmap: pm,
        fonts,
        background,
    }
}

/// Security microprint: a few faint lines of the country's name repeated in tiny type
/// across the card (kept between 10 % and 90 % of the height, clear of the rounded corners).
fn microtext<R: Rng>(pm: &mut Pixmap, font: &Font, rng: &mut R) {
    let (w, h) = (pm.width() as f32, pm.height() as f32);
    let text = [HEADER_COUNTRY; 12].join(" ");
    let line = shape_line(font, None, &text, true, Spacing::default());
    let size = h * rng.gen_range(0.012..0.02) * font.upem / font.alef_height;
    let ink = Ink {
        color: Color::from_rgba8(
            rng.gen_range(60..140),
            rng.gen_range(90..150),
            rng.gen_range(90..160),
            rng.gen_range(25..60),
        ),
        embolden: 0.0,
    };
    // Clip to the card's straight middle so no ink lands beyond the rounded corners.
    let mut mask = Mask::new(pm.width(), pm.height()).expect("size");
    if let Some(r) = Rect::from_ltrb(w * 0.04, 0.0, w * 0.96, h) {
        mask.fill_path(
            &PathBuilder::from_rect(r),
            FillRule::Winding,
            false,
            Transform::identity(),
        );
    }
    for _ in 0..rng.gen_range(1..=3) {
        let y = h * rng.gen_range(0.1..0.9);
        let left = w * rng.gen_range(0.04..0.1);
        draw_line_masked(pm, &line, size, left, y, ink, Some(&mask));
    }
}

/// The faces printing one field: its own and the one lending a missing '/'.
struct Faces<'f> {
    main: &'f Font,
    fallback: &'f Font,
}

fn draw_field<R: Rng>(
    pm: &mut Pixmap,
    fbx: &FieldBox,
    text: &str,
    faces: Faces<'_>,
    style: &CardStyle,
    block: (f32, f32),
    rng: &mut R,
) {
    let Faces {
        main: font,
        fallback,
    } = faces;
    let (w, h) = (pm.width() as f32, pm.height() as f32);
    // Each field also moves on its own, +-0.5 % of the card.
    let jx = block.0 + rng.gen_range(-0.005..0.005) * w;
    let jy = block.1 + rng.gen_range(-0.005..0.005) * h;
    let (x0, x1) = (fbx.x0 * w + jx, fbx.x1 * w + jx);
    let (y0, y1) = (fbx.y0 * h + jy, fbx.y1 * h + jy);

    let ref_units = match fbx.kind {
        Kind::Digits => font.digit_height,
        Kind::Latin => font.cap_height,
        _ => font.alef_height,
    };
    let mut glyph_px = fbx.glyph_frac * (y1 - y0) * style.scale * rng.gen_range(0.94..1.06);
    let mut size = glyph_px * font.upem / ref_units;

    let spacing = match fbx.kind {
        Kind::Digits | Kind::Latin | Kind::WordsAndDigits => Spacing {
            tracking: rng.gen_range(-0.02..0.18),
            word: rng.gen_range(0.0..0.3),
        },
        _ => Spacing {
            tracking: 0.0,
            word: rng.gen_range(-0.05..0.35),
        },
    };
    let rtl = fbx.kind != Kind::Latin;
    let line = shape_line(font, Some(fallback), text, rtl, spacing);
    // Stay inside the nominal box: neighbouring boxes (birth date, ID) nearly touch.
    let max_w = (x1 - x0) * 0.97;
    let mut width = line.width * size;
    if width > max_w {
        let k = max_w / width;
        size *= k;
        glyph_px *= k;
        width = max_w;
    }
    let left = match fbx.align {
        Align::Right => x1 - width,
        Align::Center => (x0 + x1) / 2.0 - width / 2.0,
        Align::Left => x0,
    };
    let baseline = (y0 + y1) / 2.0 + glyph_px / 2.0;

    let (r, g, b, a) = match fbx.tone {
        Tone::Body => {
            let v = rng.gen_range(-6i16..=6);
            let c = |x: u8| (x as i16 + v).clamp(0, 255) as u8;
            (
                c(style.ink.0),
                c(style.ink.1),
                c(style.ink.2),
                style.ink_alpha,
            )
        }
        Tone::Faint => {
            let v = rng.gen_range(70..130u8);
            (v, v, v.saturating_add(5), rng.gen_range(0.6..0.85))
        }
        Tone::Green => (
            rng.gen_range(10..60),
            rng.gen_range(90..140),
            rng.gen_range(40..80),
            rng.gen_range(0.85..1.0),
        ),
    };
    let embolden = if font.bold {
        size * rng.gen_range(0.0..0.015)
    } else {
        size * rng.gen_range(0.02..0.045)
    };
    let ink = Ink {
        color: Color::from_rgba8(r, g, b, (a * 255.0) as u8),
        embolden,
    };
    draw_line(pm, &line, size, left, baseline, ink);
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn every_layout_field_has_text() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let id = Identity::generate(&mut rng);
        for f in FRONT.iter().chain(BACK) {
            let t = field_text(f.name, &id);
            let optional = matches!(f.name, "profession_2" | "husband_name");
            assert!(optional || !t.is_empty(), "{}", f.name);
        }
    }
}
