//! Capture modes: how a rendered card ends up in an image (scanner, phone photo, bad photo,
//! a scanned A4 sheet with both sides), with the card corners tracked into frame pixels.

use std::collections::BTreeMap;
use std::f64::consts::PI;

use image::RgbImage;
use rand::seq::SliceRandom;
use rand::Rng;

use crate::card::render_card;
use crate::degrade::{
    blur, glare, grayscale, laminate_sheen, lighting, noise, scanner_white, shadow, surface,
    SURFACES,
};
use crate::fonts::FontCatalog;
use crate::geometry::{apply, homography, rect_corners, warp_over, Pt};
use crate::identity::Identity;
use crate::layout::{Side, ASPECT};
use crate::split::Split;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// A flatbed scan of the card alone.
    Scan,
    /// A phone photo of the card on a surface.
    Photo,
    /// A poor photo: small, blurred, glare, sometimes upside down, low JPEG quality.
    Hard,
    /// Both sides of one card on one A4 scan.
    Sheet,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Scan => "scan",
            Mode::Photo => "photo",
            Mode::Hard => "hard",
            Mode::Sheet => "sheet",
        }
    }
}

/// How the frame is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Jpeg(u8),
    Png,
    /// A one-page PDF holding the JPEG (DCTDecode) at this quality.
    Pdf(u8),
}

/// Shares of scans written as PNG and as PDF (the rest are JPEG).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Formats {
    pub png: f64,
    pub pdf: f64,
}

impl Default for Formats {
    fn default() -> Self {
        Formats { png: 0.2, pdf: 0.1 }
    }
}

/// One card in a frame.
pub struct PlacedCard {
    pub side: Side,
    /// TL, TR, BR, BL of the upright card, frame pixels.
    pub corners: [Pt; 4],
    pub fonts: BTreeMap<String, String>,
    pub background: &'static str,
}

/// A finished frame before encoding.
pub struct Capture {
    pub image: RgbImage,
    pub cards: Vec<PlacedCard>,
    pub encoding: Encoding,
}

struct Ctx<'a> {
    id: &'a Identity,
    split: Split,
    cat: &'a FontCatalog,
    formats: Formats,
}

/// Renders `side` at the size the quad `dst` needs and composites it into `frame`.
fn place<R: Rng>(
    frame: &mut RgbImage,
    ctx: &Ctx<'_>,
    side: Side,
    dst: [Pt; 4],
    sheen: bool,
    rng: &mut R,
) -> PlacedCard {
    let d = |a: Pt, b: Pt| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
    // Draw at the largest size the quad shows, so warping only ever shrinks a little.
    let need = d(dst[0], dst[1])
        .max(d(dst[3], dst[2]))
        .max(d(dst[0], dst[3]) * ASPECT as f64)
        .max(d(dst[1], dst[2]) * ASPECT as f64);
    let width = (need.ceil() as u32).max(200);
    let mut card = render_card(side, ctx.id, width, ctx.split, ctx.cat, rng);
    if sheen {
        laminate_sheen(&mut card.pixmap, rng);
    }
    let src = rect_corners(card.pixmap.width() as f64, card.pixmap.height() as f64);
    let fwd = homography(src, dst);
    warp_over(frame, &card.pixmap, &fwd);
    PlacedCard {
        side,
        corners: src.map(|p| apply(&fwd, p)),
        fonts: card.fonts,
        background: card.background,
    }
}

/// Corners of a `cw`-wide upright card rotated by `angle` about `c`.
fn rotated(c: Pt, cw: f64, angle: f64) -> [Pt; 4] {
    let ch = cw / ASPECT as f64;
    let (s, co) = angle.sin_cos();
    [
        (-cw / 2.0, -ch / 2.0),
        (cw / 2.0, -ch / 2.0),
        (cw / 2.0, ch / 2.0),
        (-cw / 2.0, ch / 2.0),
    ]
    .map(|(x, y)| (c.0 + x * co - y * s, c.1 + x * s + y * co))
}

fn bbox(q: &[Pt; 4]) -> (f64, f64, f64, f64) {
    let xs = q.iter().map(|p| p.0);
    let ys = q.iter().map(|p| p.1);
    (
        xs.clone().fold(f64::MAX, f64::min),
        ys.clone().fold(f64::MAX, f64::min),
        xs.fold(f64::MIN, f64::max),
        ys.fold(f64::MIN, f64::max),
    )
}

/// A perspective quad: the rotated card with each corner moved 2-7 % of the card width,
/// shrunk until it fits and placed at random in the frame.
fn perspective_quad<R: Rng>(rng: &mut R, fw: f64, fh: f64, mut cw: f64, angle: f64) -> [Pt; 4] {
    let moves: Vec<(f64, f64)> = (0..4)
        .map(|_| {
            let m = rng.gen_range(0.02..0.07);
            let a = rng.gen_range(0.0..2.0 * PI);
            (m * a.cos(), m * a.sin())
        })
        .collect();
    loop {
        let mut q = rotated((0.0, 0.0), cw, angle);
        for (p, m) in q.iter_mut().zip(&moves) {
            p.0 += m.0 * cw;
            p.1 += m.1 * cw;
        }
        let (x0, y0, x1, y1) = bbox(&q);
        let margin = 0.01 * fw.min(fh);
        if x1 - x0 <= fw - 2.0 * margin && y1 - y0 <= fh - 2.0 * margin {
            let ox = rng.gen_range(margin - x0..=fw - margin - x1);
            let oy = rng.gen_range(margin - y0..=fh - margin - y1);
            return q.map(|(x, y)| (x + ox, y + oy));
        }
        cw *= 0.96;
    }
}

fn jpeg_q<R: Rng>(rng: &mut R, lo: u8, hi: u8) -> u8 {
    rng.gen_range(lo..=hi)
}

/// Produces one frame for `mode` showing `side` (both sides for `Sheet`).
pub fn capture<R: Rng>(
    mode: Mode,
    side: Side,
    id: &Identity,
    split: Split,
    cat: &FontCatalog,
    formats: Formats,
    rng: &mut R,
) -> Capture {
    let ctx = Ctx {
        id,
        split,
        cat,
        formats,
    };
    match mode {
        Mode::Scan => scan(&ctx, side, rng),
        Mode::Photo => photo(&ctx, side, rng, false),
        Mode::Hard => photo(&ctx, side, rng, true),
        Mode::Sheet => sheet(&ctx, rng),
    }
}

fn scan<R: Rng>(ctx: &Ctx<'_>, side: Side, rng: &mut R) -> Capture {
    let fw = rng.gen_range(900..=1600u32) as f64;
    let margin = rng.gen_range(0.015..0.05) * fw;
    let angle = rng.gen_range(-2.0f64..2.0).to_radians();
    let (s, c) = (angle.sin().abs(), angle.cos());
    let avail = fw - 2.0 * margin;
    let cw = avail / (c + s / ASPECT as f64);
    let ch = cw / ASPECT as f64;
    let fh = (cw * s + ch * c + 2.0 * margin).round();
    let shift = (
        rng.gen_range(-0.4..0.4) * margin,
        rng.gen_range(-0.4..0.4) * margin,
    );
    let q = rotated((fw / 2.0 + shift.0, fh / 2.0 + shift.1), cw, angle);
    let mut frame = scanner_white(rng, fw as u32, fh as u32);
    let card = place(&mut frame, ctx, side, q, false, rng);
    blur(&mut frame, rng.gen_range(0.0..0.6));
    let sigma = rng.gen_range(0.5..2.0);
    noise(&mut frame, rng, sigma);
    if rng.gen_bool(0.15) {
        grayscale(&mut frame);
    }
    let pick: f64 = rng.gen();
    let q = jpeg_q(rng, 80, 95);
    let encoding = if pick < ctx.formats.pdf {
        Encoding::Pdf(q)
    } else if pick < ctx.formats.pdf + ctx.formats.png {
        Encoding::Png
    } else {
        Encoding::Jpeg(q)
    };
    Capture {
        image: frame,
        cards: vec![card],
        encoding,
    }
}

fn photo<R: Rng>(ctx: &Ctx<'_>, side: Side, rng: &mut R, hard: bool) -> Capture {
    let sizes: &[(u32, u32)] = if hard {
        &[(1280, 960), (1024, 768), (1600, 1200)]
    } else {
        &[(1280, 960), (1600, 1200)]
    };
    let (mut fw, mut fh) = *sizes.choose(rng).expect("sizes");
    let portrait = rng.gen_bool(0.25);
    if portrait {
        std::mem::swap(&mut fw, &mut fh);
    }
    // Portrait frames hold the card turned 90 degrees, either way.
    let mut angle = if portrait {
        *[-PI / 2.0, PI / 2.0].choose(rng).expect("angles")
    } else {
        0.0
    };
    let cw = if hard {
        angle += rng.gen_range(-12.0f64..12.0).to_radians();
        if rng.gen_bool(0.3) {
            angle += PI;
        }
        rng.gen_range(500.0..750.0)
    } else {
        angle += rng.gen_range(-6.0f64..6.0).to_radians();
        // The card's long side spans 45-85 % of the frame side it lies along.
        let along = if portrait { fh } else { fw } as f64;
        rng.gen_range(0.45..0.85) * along
    };
    let q = perspective_quad(rng, fw as f64, fh as f64, cw, angle);
    let kind = *SURFACES.choose(rng).expect("surfaces");
    let mut frame = surface(rng, fw, fh, kind);
    let lift = (
        rng.gen_range(-0.02..0.02) * cw,
        rng.gen_range(0.0..0.03) * cw,
    );
    shadow(
        &mut frame,
        q,
        lift,
        rng.gen_range(0.01..0.04) * cw,
        rng.gen_range(0.2..0.5),
    );
    // Under a lamp the laminate often shows a rainbow sheen.
    let sheen = rng.gen_bool(0.35);
    let card = place(&mut frame, ctx, side, q, sheen, rng);
    lighting(&mut frame, rng, if hard { 0.5 } else { 0.35 });
    if hard || rng.gen_bool(0.15) {
        let (a, b) = (rng.gen_range(0.1..0.9), rng.gen_range(0.1..0.9));
        let top = lerp(q[0], q[1], a);
        let bot = lerp(q[3], q[2], a);
        let c = lerp(top, bot, b);
        let r = rng.gen_range(0.06..0.18) * cw;
        glare(&mut frame, rng, (c.0 as f32, c.1 as f32), r as f32);
    }
    let (sigma, n, q_lo, q_hi) = if hard {
        (rng.gen_range(0.8..1.6), rng.gen_range(3.0..8.0), 35, 60)
    } else {
        (rng.gen_range(0.0..1.0), rng.gen_range(2.0..6.0), 60, 90)
    };
    blur(&mut frame, sigma);
    noise(&mut frame, rng, n);
    Capture {
        image: frame,
        cards: vec![card],
        encoding: Encoding::Jpeg(jpeg_q(rng, q_lo, q_hi)),
    }
}

fn lerp(a: Pt, b: Pt, t: f64) -> Pt {
    (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
}

fn sheet<R: Rng>(ctx: &Ctx<'_>, rng: &mut R) -> Capture {
    // An A4 page scanned at 150-200 dpi; the card at its true size (85.6 mm).
    let dpi = rng.gen_range(150.0..200.0);
    let (fw, fh) = ((8.27 * dpi) as u32, (11.69 * dpi) as u32);
    let cw = 85.6 / 25.4 * dpi * rng.gen_range(0.98..1.02);
    let ch = cw / ASPECT as f64;
    let mut frame = scanner_white(rng, fw, fh);
    let (fwf, fhf) = (fw as f64, fh as f64);
    let centres: [Pt; 2] = if rng.gen_bool(0.7) {
        // One above the other, in the upper half of the page.
        let x = fwf / 2.0 + rng.gen_range(-0.15..0.15) * fwf;
        let y0 = rng.gen_range(0.08..0.15) * fhf + ch / 2.0;
        let y1 = y0 + ch + rng.gen_range(0.03..0.12) * fhf;
        [(x, y0), (x + rng.gen_range(-0.03..0.03) * fwf, y1)]
    } else {
        // Side by side at the top.
        let gap = (fwf - 2.0 * cw) / 3.0;
        let y = rng.gen_range(0.06..0.2) * fhf + ch / 2.0;
        [
            (gap + cw / 2.0, y),
            (2.0 * gap + 1.5 * cw, y + rng.gen_range(-0.01..0.01) * fhf),
        ]
    };
    let order = if rng.gen_bool(0.8) {
        [Side::Front, Side::Back]
    } else {
        [Side::Back, Side::Front]
    };
    let mut cards = Vec::new();
    for (side, c) in order.into_iter().zip(centres) {
        let angle = rng.gen_range(-2.0f64..2.0).to_radians();
        let q = rotated(c, cw, angle);
        cards.push(place(&mut frame, ctx, side, q, false, rng));
    }
    blur(&mut frame, rng.gen_range(0.0..0.6));
    let sigma = rng.gen_range(0.5..2.0);
    noise(&mut frame, rng, sigma);
    if rng.gen_bool(0.15) {
        grayscale(&mut frame);
    }
    Capture {
        image: frame,
        cards,
        encoding: Encoding::Jpeg(jpeg_q(rng, 75, 92)),
    }
}
