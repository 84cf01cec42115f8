//! Stages 3 and 4: which way up the straightened card is, and which side it shows, from
//! the card's own content rather than an EXIF tag.
//!
//! Two print features are large, dark and font-independent: the back's barcode, filling
//! the bottom third, and the front's photo, top left. Each hypothesis (front or back,
//! upright or upside down) gets a score from how much ink lies where that feature should
//! be versus where it would be under the other hypotheses. Unless the best is plain (see
//! `reader::SURE_PRINT`), the reader confirms it by reading the side's printed label.

use image::GrayImage;

use super::reading::Side;

/// A way the card might lie, with how strongly its print supports it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hypothesis {
    /// The side shown.
    pub side: Side,
    /// Whether the straightened card must still be turned half a turn.
    pub upside_down: bool,
    /// Support from the print, 0..=1.
    pub score: f32,
}

/// Fraction of ink (pixels well below the card's typical brightness) in a region given
/// in card fractions.
fn ink(card: &GrayImage, threshold: u8, x0: f32, x1: f32, y0: f32, y1: f32) -> f32 {
    let (w, h) = (card.width() as f32, card.height() as f32);
    let (xa, xb) = ((x0 * w) as u32, ((x1 * w) as u32).min(card.width()));
    let (ya, yb) = ((y0 * h) as u32, ((y1 * h) as u32).min(card.height()));
    let mut dark = 0u32;
    let mut total = 0u32;
    for y in (ya..yb).step_by(2) {
        for x in (xa..xb).step_by(2) {
            total += 1;
            dark += u32::from(card.get_pixel(x, y)[0] < threshold);
        }
    }
    if total == 0 {
        0.0
    } else {
        dark as f32 / total as f32
    }
}

/// Ranks the four hypotheses for a straightened card, best first.
pub fn hypotheses(card: &GrayImage) -> Vec<Hypothesis> {
    // Ink is what is clearly darker than the card's own background, whatever the light.
    let mut histogram = [0u32; 256];
    for p in card.pixels() {
        histogram[p[0] as usize] += 1;
    }
    let total: u32 = histogram.iter().sum();
    let mut seen = 0;
    let mut median = 255u8;
    for (value, count) in histogram.iter().enumerate() {
        seen += count;
        if seen * 2 >= total {
            median = value as u8;
            break;
        }
    }
    // Halfway between the card's background and its darkest print, so blur and low
    // contrast (which pull the print towards the background) do not hide the ink.
    let mut seen = 0;
    let mut dark = 0u8;
    for (value, count) in histogram.iter().enumerate() {
        seen += count;
        if seen * 50 >= total {
            dark = value as u8;
            break;
        }
    }
    let threshold = ((u16::from(median) + u16::from(dark)) / 2) as u8;
    let barcode_bottom = ink(card, threshold, 0.05, 0.95, 0.62, 0.95);
    let barcode_top = ink(card, threshold, 0.05, 0.95, 0.05, 0.38);
    let photo_top_left = ink(card, threshold, 0.04, 0.25, 0.10, 0.50);
    let photo_bottom_right = ink(card, threshold, 0.75, 0.96, 0.50, 0.90);
    // A barcode is about half ink; text rows a tenth. Scores saturate well before that.
    let support = |here: f32, there: f32| ((here - there) * 3.0).clamp(0.0, 1.0);
    let mut ranked = vec![
        Hypothesis {
            side: Side::Back,
            upside_down: false,
            score: support(barcode_bottom, barcode_top),
        },
        Hypothesis {
            side: Side::Back,
            upside_down: true,
            score: support(barcode_top, barcode_bottom),
        },
        Hypothesis {
            side: Side::Front,
            upside_down: false,
            score: support(photo_top_left, photo_bottom_right)
                * (1.0 - support(barcode_bottom.max(barcode_top), 0.15)),
        },
        Hypothesis {
            side: Side::Front,
            upside_down: true,
            score: support(photo_bottom_right, photo_top_left)
                * (1.0 - support(barcode_bottom.max(barcode_top), 0.15)),
        },
    ];
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score));
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    fn card(barcode_bottom: bool, photo_top_left: bool) -> GrayImage {
        GrayImage::from_fn(1000, 631, |x, y| {
            let (fx, fy) = (x as f32 / 1000.0, y as f32 / 631.0);
            let bar =
                barcode_bottom && fy > 0.65 && fy < 0.93 && fx > 0.05 && fx < 0.95 && x % 6 < 3;
            let photo = photo_top_left
                && fx > 0.04
                && fx < 0.25
                && fy > 0.12
                && fy < 0.5
                && (fx - 0.145).abs() < 0.07;
            Luma([if bar || photo { 20 } else { 230 }])
        })
    }

    #[test]
    fn barcode_below_is_an_upright_back() {
        let best = hypotheses(&card(true, false))[0];
        assert_eq!((best.side, best.upside_down), (Side::Back, false));
        let turned = image::imageops::rotate180(&card(true, false));
        let best = hypotheses(&turned)[0];
        assert_eq!((best.side, best.upside_down), (Side::Back, true));
    }

    #[test]
    fn photo_top_left_is_an_upright_front() {
        let best = hypotheses(&card(false, true))[0];
        assert_eq!((best.side, best.upside_down), (Side::Front, false));
        let turned = image::imageops::rotate180(&card(false, true));
        assert!(hypotheses(&turned)[0].upside_down);
    }
}
