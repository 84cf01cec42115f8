//! Places the glyphs of one line left to right on a high-resolution coverage canvas.
//!
//! Digits and '/' need no shaping, so we lay them out ourselves: that gives us the exact visual
//! order for the labels and lets us vary what real prints vary (spacing, per-glyph size and
//! position, stroke weight, the shape of the zero).

use ab_glyph::{point, Font, PxScale, ScaleFont};

use crate::canvas::Canvas;
use crate::fonts::Face;

/// Height, in canvas pixels, of a full-height digit at layout resolution. High enough that
/// stroke morphology has fine steps, low enough to keep rendering cheap.
pub const DIGIT_H: f32 = 64.0;

/// How the zero is drawn. The card's face draws it as a small diamond about half the digit
/// height; other faces use a dot or a small ring. Fonts disagree, so we also draw it ourselves.
#[derive(Clone, Copy, Debug)]
pub enum Zero {
    /// The font's own U+0660.
    Font,
    /// Synthetic shapes: `h` is the height as a fraction of the digit height, `w` the width as a
    /// fraction of `h`, `y` the centre's height above the baseline as a fraction of digit height.
    Diamond {
        h: f32,
        w: f32,
        y: f32,
    },
    Dot {
        h: f32,
        w: f32,
        y: f32,
    },
    Ring {
        h: f32,
        w: f32,
        y: f32,
        stroke: f32,
    },
}

/// Everything about a line's geometry that varies from line to line.
#[derive(Clone, Debug)]
pub struct Layout {
    /// Extra space after each glyph, as a fraction of the digit height (negative: tighter).
    pub tracking: f32,
    /// Per-glyph random extra advance, fraction of digit height (uniform in +-).
    pub advance_jitter: Vec<f32>,
    /// Per-glyph scale factors and vertical offsets (fraction of digit height).
    pub glyph_scale: Vec<f32>,
    pub glyph_dy: Vec<f32>,
    /// Width of a space, as a fraction of the digit height.
    pub space: f32,
    pub zero: Zero,
    /// Stroke growth (+) or thinning (-) in layout pixels.
    pub morph: i64,
    /// Glyph width over height factor (wide or narrow digits of the same height).
    pub glyph_sx: f32,
    /// Horizontal shear: x moves by `shear` times the height above the baseline (slanted
    /// prints, perspective).
    pub shear: f32,
}

/// The height of the font's full-size digits at a scale of 100 px, from the bounds of a few
/// tall digits: fonts differ wildly in how large their digits are relative to the em.
fn digit_height_at_100(font: &impl Font) -> f32 {
    let scale = PxScale::from(100.0);
    ['\u{661}', '\u{662}', '\u{663}', '1', '2', '3']
        .iter()
        .filter_map(|&c| {
            let id = font.glyph_id(c);
            if id.0 == 0 {
                return None;
            }
            let g = id.with_scale_and_position(scale, point(0.0, 0.0));
            font.outline_glyph(g).map(|o| o.px_bounds().height())
        })
        .fold(0.0f32, f32::max)
        .max(1.0)
}

fn draw_zero(canvas: &mut Canvas, cx: f32, baseline: f32, zero: Zero) {
    let (hf, wf, yf) = match zero {
        Zero::Font => return,
        Zero::Diamond { h, w, y } | Zero::Dot { h, w, y } | Zero::Ring { h, w, y, .. } => (h, w, y),
    };
    let ry = hf * DIGIT_H / 2.0;
    let rx = ry * wf;
    let cy = baseline - yf * DIGIT_H;
    // 4x4 supersampling is plenty at layout resolution.
    const SS: usize = 4;
    for py in (cy - ry - 2.0) as i64..=(cy + ry + 2.0) as i64 {
        for px in (cx - rx - 2.0) as i64..=(cx + rx + 2.0) as i64 {
            let mut hits = 0;
            for sy in 0..SS {
                for sx in 0..SS {
                    let x = (px as f32 + (sx as f32 + 0.5) / SS as f32 - cx) / rx;
                    let y = (py as f32 + (sy as f32 + 0.5) / SS as f32 - cy) / ry;
                    let inside = match zero {
                        Zero::Diamond { .. } => x.abs() + y.abs() <= 1.0,
                        Zero::Dot { .. } => x * x + y * y <= 1.0,
                        Zero::Ring { stroke, .. } => {
                            let r = (x * x + y * y).sqrt();
                            r <= 1.0 && r >= 1.0 - stroke
                        }
                        Zero::Font => false,
                    };
                    hits += inside as usize;
                }
            }
            if hits > 0 {
                canvas.ink(px, py, hits as f32 / (SS * SS) as f32);
            }
        }
    }
}

/// Renders `text` (Arabic-Indic digits, '/', spaces) with `face`; the result is the tight ink
/// box plus whatever the caller pads. Returns None if nothing was drawn.
pub fn render(face: &Face, text: &str, lay: &Layout) -> Option<Canvas> {
    let font = &face.font;
    let px = 100.0 * DIGIT_H / digit_height_at_100(font);
    let n = text.chars().count();
    // Generous canvas: 2 digit heights of width per glyph, 3 of height.
    let mut canvas = Canvas::new(
        (n as f32 * DIGIT_H * 2.5 + 4.0 * DIGIT_H) as usize,
        (DIGIT_H * 3.0) as usize,
    );
    let baseline = DIGIT_H * 2.0;
    let mut x = DIGIT_H;
    let one_adv = font
        .as_scaled(PxScale::from(px))
        .h_advance(font.glyph_id('\u{661}'));
    for (i, ch) in text.chars().enumerate() {
        let jitter = lay.advance_jitter.get(i).copied().unwrap_or(0.0) * DIGIT_H;
        if ch == ' ' {
            x += lay.space * DIGIT_H + jitter;
            continue;
        }
        let gs = lay.glyph_scale.get(i).copied().unwrap_or(1.0);
        let dy = lay.glyph_dy.get(i).copied().unwrap_or(0.0) * DIGIT_H;
        let scale = PxScale {
            x: px * gs * lay.glyph_sx,
            y: px * gs,
        };
        let id = font.glyph_id(ch);
        let mut adv = font.as_scaled(scale).h_advance(id);
        if ch == '\u{660}' && !matches!(lay.zero, Zero::Font) {
            // Tabular digits: the synthetic zero takes the advance of a one (or its own, if
            // the font's zero is wider), centred in it.
            adv = adv.max(one_adv * gs).max(DIGIT_H * 0.35);
            draw_zero(&mut canvas, x + adv / 2.0, baseline + dy, lay.zero);
        } else {
            let g = id.with_scale_and_position(scale, point(x, baseline + dy));
            if let Some(o) = font.outline_glyph(g) {
                let b = o.px_bounds();
                o.draw(|gx, gy, c| {
                    canvas.ink(b.min.x as i64 + gx as i64, b.min.y as i64 + gy as i64, c)
                });
                // Some fonts give digits a zero or tiny advance; never let glyphs pile up.
                adv = adv.max(b.max.x - x + DIGIT_H * 0.04);
            }
        }
        x += adv + lay.tracking * DIGIT_H + jitter;
    }
    canvas.morph(lay.morph);
    if lay.shear != 0.0 {
        canvas = canvas.shear(lay.shear, baseline);
    }
    let (x0, y0, x1, y1) = canvas.ink_bounds(0.08)?;
    Some(canvas.crop(x0 as i64, y0 as i64, x1 - x0, y1 - y0))
}
