//! Rendering digit lines as a phone or a scanner would show them on a ~1000 px wide card.

use std::io::Cursor;

use idcard_ocr::core::glyphs::LineRect;
use idcard_synth::fonts::Font;
use idcard_synth::text::{draw_line, shape_line, Ink, Spacing};
use image::{GrayImage, Luma};
use imageproc::geometric_transformations::{rotate_about_center, Border, Interpolation};
use rand::Rng;
use tiny_skia::{Color, Paint, PathBuilder, Pixmap, Stroke, Transform};

/// How one line looks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    /// Height of the Arabic-Indic two, pixels.
    pub(crate) digit_px: f32,
    /// Blank above/below the digits inside the line rectangle, in digit heights.
    pub(crate) pad_v: (f32, f32),
    /// Blank left/right inside the line rectangle, in digit heights.
    pub(crate) pad_h: (f32, f32),
    pub(crate) paper: u8,
    pub(crate) ink: u8,
    /// Extra stroke, pixels (faux bold).
    pub(crate) embolden: f32,
    /// Extra space between glyphs, ems.
    pub(crate) tracking: f32,
    /// Faint guilloche curves behind the text.
    pub(crate) pattern: bool,
    pub(crate) rotate_deg: f32,
    /// Thin the strokes (a light print).
    pub(crate) thin: bool,
    pub(crate) blur: f32,
    pub(crate) noise: f32,
    pub(crate) jpeg: Option<u8>,
    /// Draw zeros this tall, in digit heights (the card's zero is a diamond about half a
    /// digit high; most fonts draw it smaller). `None`: the font's own zero.
    pub(crate) zero_height: Option<f32>,
}

impl Style {
    /// A clean print: dark ink on light paper, nothing else.
    pub(crate) fn clean(digit_px: f32) -> Style {
        Style {
            digit_px,
            pad_v: (0.2, 0.2),
            pad_h: (0.5, 0.5),
            paper: 235,
            ink: 25,
            embolden: 0.0,
            tracking: 0.0,
            pattern: false,
            rotate_deg: 0.0,
            thin: false,
            blur: 0.0,
            noise: 0.0,
            jpeg: None,
            zero_height: None,
        }
    }

    /// A random training style for a line `line_px` high.
    pub(crate) fn random<R: Rng>(rng: &mut R, line_px: f32) -> Style {
        let digit_px = line_px * rng.gen_range(0.6..0.8);
        let paper = rng.gen_range(170..=250u8);
        let contrast = rng.gen_range(60..=(paper as i32 - 5).min(230)) as u8;
        let heavy = rng.gen_bool(0.4);
        Style {
            digit_px,
            pad_v: (rng.gen_range(0.08..0.7), rng.gen_range(0.08..0.7)),
            pad_h: (rng.gen_range(0.1..1.5), rng.gen_range(0.1..1.5)),
            paper,
            ink: paper - contrast,
            embolden: if heavy {
                digit_px * rng.gen_range(0.03..0.09)
            } else {
                digit_px * rng.gen_range(0.0..0.03)
            },
            tracking: if rng.gen_bool(0.3) {
                0.0
            } else {
                rng.gen_range(-0.02..0.12)
            },
            pattern: rng.gen_bool(0.5),
            rotate_deg: rng.gen_range(-0.8..0.8),
            thin: !heavy && rng.gen_bool(0.15),
            blur: if rng.gen_bool(0.25) {
                0.0
            } else {
                rng.gen_range(0.0..1.6)
            },
            noise: if rng.gen_bool(0.5) {
                0.0
            } else {
                rng.gen_range(0.0..10.0)
            },
            jpeg: rng.gen_bool(0.6).then(|| rng.gen_range(35..=95)),
            zero_height: rng.gen_bool(0.35).then(|| rng.gen_range(0.35..0.6)),
        }
    }
}

/// A rendered line and where it is.
pub(crate) struct Line {
    pub(crate) image: GrayImage,
    pub(crate) rect: LineRect,
}

/// Draws `text` (digits and '/', left to right) in `font`. `None` when nothing was drawn.
pub(crate) fn render<R: Rng>(font: &Font, text: &str, s: &Style, rng: &mut R) -> Option<Line> {
    let size = s.digit_px * font.upem / font.digit_height.max(1.0);
    let shaped = shape_line(
        font,
        None,
        text,
        false,
        Spacing {
            tracking: s.tracking,
            word: 0.0,
        },
    );
    let dh = s.digit_px;
    let margin = (dh * 2.0).ceil() + 8.0;
    // Room for zeros drawn larger than the font's.
    let w = (shaped.width * size * 1.4 + 2.0 * margin).ceil() as u32;
    let h = (dh * 2.2 + 2.0 * margin).ceil() as u32;
    let mut pm = Pixmap::new(w, h)?;
    pm.fill(Color::from_rgba8(s.paper, s.paper, s.paper, 255));
    if s.pattern {
        pattern(&mut pm, s, rng);
    }
    let baseline = margin + dh * 1.3;
    let ink = Ink {
        color: Color::from_rgba8(s.ink, s.ink, s.ink, 255),
        embolden: s.embolden,
    };
    let bounds = match s.zero_height {
        None => draw_line(&mut pm, &shaped, size, margin, baseline, ink)?,
        Some(t) => draw_big_zeros(
            &mut pm,
            font,
            text,
            size,
            (margin, baseline),
            s.tracking,
            t,
            ink,
        )?,
    };
    let mut img = GrayImage::from_fn(w, h, |x, y| {
        Luma([pm.pixel(x, y).map(|p| p.red()).unwrap_or(s.paper)])
    });
    if s.rotate_deg.abs() > 0.05 {
        img = rotate_about_center(
            &img,
            s.rotate_deg.to_radians(),
            Interpolation::Bilinear,
            Border::Constant(Luma([s.paper])),
        );
    }
    if s.thin {
        img = thin(&img);
    }
    if s.blur > 0.2 {
        img = imageproc::filter::gaussian_blur_f32(&img, s.blur);
    }
    if s.noise > 0.5 {
        noise(&mut img, s.noise, rng);
    }
    if let Some(q) = s.jpeg {
        img = jpeg(&img, q);
    }
    // The ink's box after the rotation (about the image centre, as imageproc turns it).
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let (sin, cos) = s.rotate_deg.to_radians().sin_cos();
    let corners = [
        (bounds.left(), bounds.top()),
        (bounds.right(), bounds.top()),
        (bounds.left(), bounds.bottom()),
        (bounds.right(), bounds.bottom()),
    ]
    .map(|(x, y)| {
        let (dx, dy) = (x - cx, y - cy);
        (cx + dx * cos - dy * sin, cy + dx * sin + dy * cos)
    });
    let fold = |f: fn(f32, f32) -> f32, pick: fn(&(f32, f32)) -> f32, init: f32| {
        corners.iter().map(pick).fold(init, f)
    };
    let top = fold(f32::min, |c| c.1, f32::MAX) - s.pad_v.0 * dh;
    let bot = fold(f32::max, |c| c.1, f32::MIN) + s.pad_v.1 * dh;
    let left = fold(f32::min, |c| c.0, f32::MAX) - s.pad_h.0 * dh;
    let right = fold(f32::max, |c| c.0, f32::MIN) + s.pad_h.1 * dh;
    let rect = (
        left.floor() as i32,
        top.floor() as i32,
        (right - left).ceil() as i32,
        (bot - top).ceil() as i32,
    );
    Some(Line { image: img, rect })
}

/// Draws `text` glyph by glyph (digits do not join, so this equals a line), zeros scaled
/// about their centre to `zero_t` digit heights.
#[allow(clippy::too_many_arguments)]
fn draw_big_zeros(
    pm: &mut Pixmap,
    font: &Font,
    text: &str,
    size: f32,
    (left, baseline): (f32, f32),
    tracking: f32,
    zero_t: f32,
    ink: Ink,
) -> Option<tiny_skia::Rect> {
    let zb = font
        .face
        .glyph_index('٠')
        .and_then(|g| font.face.glyph_bounding_box(g))?;
    let (z_h, z_cy) = (
        (zb.y_max - zb.y_min) as f32,
        (zb.y_max as f32 + zb.y_min as f32) / 2.0,
    );
    let scale = (zero_t * font.digit_height / z_h.max(1.0)).clamp(1.0, 3.0);
    let spacing = Spacing {
        tracking,
        word: 0.0,
    };
    let mut x = left;
    let mut all: Option<tiny_skia::Rect> = None;
    for c in text.chars() {
        let one = shape_line(font, None, &c.to_string(), false, spacing);
        let (sz, base) = if c == '٠' {
            let k = z_cy / font.upem;
            (size * scale, baseline - k * size + k * size * scale)
        } else {
            (size, baseline)
        };
        if let Some(r) = draw_line(pm, &one, sz, x, base, ink) {
            all = Some(match all {
                None => r,
                Some(a) => tiny_skia::Rect::from_ltrb(
                    a.left().min(r.left()),
                    a.top().min(r.top()),
                    a.right().max(r.right()),
                    a.bottom().max(r.bottom()),
                )?,
            });
        }
        x += one.width * sz;
    }
    all
}

/// A few faint thin curves, the card's security print.
fn pattern<R: Rng>(pm: &mut Pixmap, s: &Style, rng: &mut R) {
    let (w, h) = (pm.width() as f32, pm.height() as f32);
    let faint = ((s.paper - s.ink) as f32 * rng.gen_range(0.12..0.35)) as u8;
    let g = s.paper - faint;
    let mut paint = Paint::default();
    paint.set_color(Color::from_rgba8(g, g, g, 255));
    paint.anti_alias = true;
    let stroke = Stroke {
        width: rng.gen_range(0.5..1.3),
        ..Stroke::default()
    };
    for _ in 0..rng.gen_range(2..7) {
        let mut pb = PathBuilder::new();
        let y0 = rng.gen_range(0.0..h);
        pb.move_to(-5.0, y0);
        pb.cubic_to(
            w * 0.33,
            rng.gen_range(-h..2.0 * h),
            w * 0.66,
            rng.gen_range(-h..2.0 * h),
            w + 5.0,
            rng.gen_range(0.0..h),
        );
        if let Some(p) = pb.finish() {
            pm.stroke_path(&p, &paint, &stroke, Transform::identity(), None);
        }
    }
}

/// Half-way to a 3x3 maximum filter: strokes lose about half a pixel.
fn thin(img: &GrayImage) -> GrayImage {
    let (w, h) = img.dimensions();
    GrayImage::from_fn(w, h, |x, y| {
        let mut m = 0u8;
        for dy in -1i32..=1 {
            for dx in -1i32..=1 {
                let xx = (x as i32 + dx).clamp(0, w as i32 - 1) as u32;
                let yy = (y as i32 + dy).clamp(0, h as i32 - 1) as u32;
                m = m.max(img.get_pixel(xx, yy).0[0]);
            }
        }
        let v = img.get_pixel(x, y).0[0];
        Luma([((v as u16 + m as u16) / 2) as u8])
    })
}

fn noise<R: Rng>(img: &mut GrayImage, sigma: f32, rng: &mut R) {
    for p in img.pixels_mut() {
        // Box-Muller.
        let u1: f32 = rng.gen_range(1e-6..1.0);
        let u2: f32 = rng.gen();
        let n = (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos();
        p.0[0] = (p.0[0] as f32 + n * sigma).clamp(0.0, 255.0) as u8;
    }
}

/// A JPEG round trip at `quality`.
pub(crate) fn jpeg(img: &GrayImage, quality: u8) -> GrayImage {
    let mut buf = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(Cursor::new(&mut buf), quality);
    if img.write_with_encoder(enc).is_err() {
        return img.clone();
    }
    image::load_from_memory(&buf)
        .map(|i| i.to_luma8())
        .unwrap_or_else(|_| img.clone())
}

/// A random 14-digit national ID (century 2 or 3, a plausible date, any governorate).
pub(crate) fn random_id<R: Rng>(rng: &mut R) -> String {
    let digits: String = std::iter::once(if rng.gen_bool(0.8) { '2' } else { '3' })
        .chain((0..13).map(|_| char::from(b'0' + rng.gen_range(0..10u8))))
        .collect();
    to_indic(&digits)
}

/// A random yyyy/mm/dd date, or yyyy/mm (the issue date) a time in five.
pub(crate) fn random_date<R: Rng>(rng: &mut R) -> String {
    let y = rng.gen_range(1930..2040);
    let m = rng.gen_range(1..=12);
    let d = rng.gen_range(1..=31);
    let s = if rng.gen_bool(0.2) {
        format!("{y}/{m:02}")
    } else {
        format!("{y}/{m:02}/{d:02}")
    };
    to_indic(&s)
}

/// Random digits and slashes, so every class is seen in every neighbourhood.
pub(crate) fn random_mix<R: Rng>(rng: &mut R) -> String {
    let n = rng.gen_range(4..16);
    let s: String = (0..n)
        .map(|i| {
            if i > 0 && i < n - 1 && rng.gen_bool(0.15) {
                '/'
            } else if rng.gen_bool(0.2) {
                '0'
            } else {
                char::from(b'0' + rng.gen_range(0..10u8))
            }
        })
        .collect();
    to_indic(&s)
}

/// Latin digits to Arabic-Indic; other characters pass.
pub(crate) fn to_indic(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x0660 + (c as u32 - '0' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}
