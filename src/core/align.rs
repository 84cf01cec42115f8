//! Aligns the nominal layout to the card at hand before lines are searched.
//!
//! A located card is rarely cut exactly at its edges (rounded corners, a scan's content
//! extent, perspective), and the print itself sits a little off on every card. Both shift
//! and stretch the whole text block. We find the bands of text rows in the text column,
//! match them to the layout's nominal row centres (a one-dimensional iterative closest
//! point), fit `y' = scale * y + offset`, and shift x so the right-aligned text ends at its
//! nominal margin. Every zone is then moved the same way; the line search does the rest.

use super::{layout::Zone, lines::InkMap};

/// A mapping from nominal card fractions to this card's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alignment {
    /// Vertical stretch.
    pub scale_y: f32,
    /// Vertical shift, in card fractions.
    pub offset_y: f32,
    /// Horizontal shift, in card fractions.
    pub offset_x: f32,
}

impl Default for Alignment {
    fn default() -> Self {
        Self {
            scale_y: 1.0,
            offset_y: 0.0,
            offset_x: 0.0,
        }
    }
}

impl Alignment {
    /// A nominal zone moved onto this card. A side of the zone at the card's edge stays
    /// there: the shift is the print's, measured at the right margin, and the card ends
    /// where it ends. (The serial, printed from the card's left edge, lost its first
    /// letter on photos shifted right: its zone began past the letter, and the line
    /// search does not follow ink across the serial's wide letter spacing.)
    pub fn apply(&self, zone: &Zone) -> Zone {
        let moved = |x: f32| {
            if x <= 0.0 || x >= 1.0 {
                x
            } else {
                x + self.offset_x
            }
        };
        Zone {
            x0: moved(zone.x0),
            x1: moved(zone.x1),
            y0: zone.y0 * self.scale_y + self.offset_y,
            y1: zone.y1 * self.scale_y + self.offset_y,
        }
    }
}

/// Where a side's text rows and right margin are printed, nominally.
#[derive(Debug, Clone, Copy)]
pub struct TextBlock {
    /// The column the rows are measured in (x0, x1).
    pub column: (f32, f32),
    /// The rows searched (y0, y1): above the back's barcode, for instance.
    pub rows: (f32, f32),
    /// Nominal centres of the text rows, top to bottom.
    pub centres: &'static [f32],
    /// Where right-aligned text ends.
    pub right_margin: f32,
}

/// The front: title lines, name, rest of the name, two address lines, national ID.
pub const FRONT_BLOCK: TextBlock = TextBlock {
    column: (0.45, 0.99),
    rows: (0.0, 0.95),
    centres: &[0.08, 0.17, 0.31, 0.415, 0.535, 0.625, 0.83],
    right_margin: 0.94,
};

/// The back: ID and issue date, two profession lines, the status row, the husband's
/// name (married women only), the expiry line; the barcode below is left out.
pub const BACK_BLOCK: TextBlock = TextBlock {
    column: (0.30, 0.86),
    rows: (0.0, 0.56),
    centres: &[0.09, 0.165, 0.24, 0.33, 0.41, 0.475],
    right_margin: 0.815,
};

/// Fits the alignment of `block` on a card; the identity when too little is found.
/// What a shift of 0.06 of the card's height (or a stretch of 10 %) costs a fit, in rows
/// explained. Rows are evenly spaced, and a card whose rows sit a little apart from the
/// nominal ones is explained nearly as well one whole row up: that is a card located a
/// row's height off, rarer than a layout a little off. (Dev: 0.05, 0.3, 0.6 and 1.0
/// tried; 0.3 gained dates and names on hard photos and lost nothing; more gained on
/// scans and lost on hard photos.)
const ALIGN_PENALTY: f32 = 0.3;

pub fn align(ink: &InkMap, block: &TextBlock) -> Alignment {
    let bands = ink.row_bands(block.column, block.rows);
    if bands.is_empty() {
        return Alignment::default();
    }
    // Rows are evenly spaced, so nearest-neighbour matching from the nominal place can lock
    // onto the neighbouring row. First the shift that best explains all rows at once...
    let support = |scale: f32, offset: f32| -> f32 {
        block
            .centres
            .iter()
            .map(|&nominal| {
                let predicted = nominal * scale + offset;
                let d = bands
                    .iter()
                    .map(|b| (b - predicted).abs())
                    .fold(f32::MAX, f32::min);
                (-(d / 0.012).powi(2)).exp()
            })
            .sum()
    };
    let mut fit = Alignment::default();
    let mut best = f32::MIN;
    for scale_step in -4..=4 {
        let scale = 1.0 + scale_step as f32 * 0.02;
        for offset_step in -14..=14 {
            let offset = offset_step as f32 * 0.005;
            let score = support(scale, offset)
                - ALIGN_PENALTY * (offset.abs() / 0.06 + (scale - 1.0).abs() / 0.1);
            if score > best {
                best = score;
                fit = Alignment {
                    scale_y: scale,
                    offset_y: offset,
                    offset_x: 0.0,
                };
            }
        }
    }
    // ...then a least-squares fit on the rows it pairs up.
    let pairs: Vec<(f32, f32)> = block
        .centres
        .iter()
        .filter_map(|&nominal| {
            let predicted = nominal * fit.scale_y + fit.offset_y;
            bands
                .iter()
                .map(|&band| (band, (band - predicted).abs()))
                .filter(|(_, distance)| *distance < 0.02)
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(band, _)| (nominal, band))
        })
        .collect();
    if pairs.len() >= 3 {
        fit = least_squares(&pairs);
    } else if pairs.is_empty() {
        return Alignment::default();
    }
    fit.scale_y = fit.scale_y.clamp(0.9, 1.1);
    fit.offset_y = fit.offset_y.clamp(-0.06, 0.06);
    if let Some(edge) = ink.right_edge(block.column, (block.rows.0 + 0.2, block.rows.1.min(0.72))) {
        fit.offset_x = (edge - block.right_margin).clamp(-0.04, 0.04);
    }
    fit
}

fn least_squares(pairs: &[(f32, f32)]) -> Alignment {
    let n = pairs.len() as f32;
    let (sx, sy) = pairs
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / n, sy / n);
    let (mut cov, mut var) = (0.0, 0.0);
    for (x, y) in pairs {
        cov += (x - mx) * (y - my);
        var += (x - mx) * (x - mx);
    }
    let scale = if var > 1e-6 {
        (cov / var).clamp(0.9, 1.1)
    } else {
        1.0
    };
    Alignment {
        scale_y: scale,
        offset_y: my - scale * mx,
        offset_x: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_squares_recovers_shift_and_stretch() {
        let pairs: Vec<(f32, f32)> = [0.1, 0.3, 0.5]
            .iter()
            .map(|&x| (x, 1.05 * x + 0.02))
            .collect();
        let fit = least_squares(&pairs);
        assert!(
            (fit.scale_y - 1.05).abs() < 1e-3 && (fit.offset_y - 0.02).abs() < 1e-3,
            "{fit:?}"
        );
    }

    /// A back with its text rows at `rows` (card fractions).
    fn back_with_rows(rows: &[f32]) -> InkMap {
        use image::{GrayImage, Luma};
        let card = GrayImage::from_fn(1000, 631, |x, y| {
            let fy = y as f32 / 631.0;
            let fx = x as f32 / 1000.0;
            let text = rows.iter().any(|r| (fy - r).abs() < 0.02)
                && (0.4..0.815).contains(&fx)
                && x % 6 < 3;
            Luma([if text { 20 } else { 235 }])
        });
        InkMap::new(&card)
    }

    #[test]
    fn rows_a_little_apart_are_not_taken_for_rows_one_up() {
        // A back whose profession rows sit a little low and whose first profession line
        // was not found (dev, a hard photo): one row up, four of the five rows match
        // nearly exactly, but that is a card located a whole row off.
        let rows = [0.0975, 0.262, 0.352, 0.415, 0.487];
        let fit = align(&back_with_rows(&rows), &BACK_BLOCK);
        assert!(fit.offset_y.abs() < 0.03, "{fit:?}");
    }

    #[test]
    fn a_shifted_card_is_found_shifted() {
        // Text rows of the back, all printed 4 % lower than nominal.
        let rows: Vec<f32> = BACK_BLOCK.centres.iter().map(|c| c + 0.04).collect();
        let fit = align(&back_with_rows(&rows), &BACK_BLOCK);
        assert!(
            (fit.offset_y - 0.04).abs() < 0.012 && (fit.scale_y - 1.0).abs() < 0.03,
            "{fit:?}"
        );
        assert!(fit.offset_x.abs() < 0.01, "{fit:?}");
    }

    #[test]
    fn a_zone_at_the_card_edge_keeps_that_side_when_the_print_is_shifted() {
        let shifted = Alignment {
            offset_x: 0.03,
            ..Alignment::default()
        };
        let serial = shifted.apply(&Zone {
            x0: 0.0,
            x1: 0.40,
            y0: 0.89,
            y1: 1.0,
        });
        assert!(
            serial.x0 == 0.0 && (serial.x1 - 0.43).abs() < 1e-6,
            "{serial:?}"
        );
        let to_the_right = shifted.apply(&Zone {
            x0: 0.6,
            x1: 1.0,
            y0: 0.1,
            y1: 0.2,
        });
        assert!((to_the_right.x0 - 0.63).abs() < 1e-6 && to_the_right.x1 == 1.0);
    }
}
