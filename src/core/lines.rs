//! Stage 5: find each printed line near its nominal zone.
//!
//! Real cards miss the nominal position by a few percent, so a fixed crop cuts lines or
//! takes half of a neighbour. Within a search window around the zone we build the row
//! profile of ink (pixels clearly darker than their neighbourhood, so that uneven light and
//! the faint background pattern do not count), take the band of rows that best covers the
//! zone, and return its rectangle with a margin.

use image::GrayImage;
use imageproc::integral_image::integral_image;

use super::layout::{PixelRect, Zone};

/// The card's ink: 1 where a pixel is clearly darker than its surroundings.
#[derive(Debug)]
pub struct InkMap {
    ink: Vec<u8>,
    /// How much darker than its surroundings each pixel is, 0 where it is not.
    depth: Vec<u8>,
    width: u32,
    height: u32,
}

impl InkMap {
    /// Marks pixels darker than the mean of their `2*RADIUS+1` square by a margin.
    pub fn new(card: &GrayImage) -> Self {
        const RADIUS: u32 = 14;
        const MARGIN: i64 = 18;
        let (width, height) = card.dimensions();
        let integral = integral_image::<_, u32>(card);
        // Read straight from the integral image's buffer (a row of width + 1 sums per
        // pixel row, plus a first row of zeros), not through a bounds-checked pixel
        // accessor per corner: this loop visits every pixel of the card.
        let (sums, stride) = (integral.as_raw(), width as usize + 1);
        let corner = |x: u32, y: u32| sums[y as usize * stride + x as usize];
        let pixels = card.as_raw();
        let mut ink = vec![0u8; (width * height) as usize];
        let mut depth = vec![0u8; (width * height) as usize];
        for y in 0..height {
            let (y0, y1) = (y.saturating_sub(RADIUS), (y + RADIUS).min(height - 1));
            for x in 0..width {
                let (x0, x1) = (x.saturating_sub(RADIUS), (x + RADIUS).min(width - 1));
                let area = i64::from((x1 - x0 + 1) * (y1 - y0 + 1));
                // The window [x0, x1] x [y0, y1]: its sum never exceeds 255 × the card's
                // pixels, far inside u32.
                let sum = corner(x1 + 1, y1 + 1) + corner(x0, y0)
                    - corner(x1 + 1, y0)
                    - corner(x0, y1 + 1);
                let sum = i64::from(sum);
                let value = i64::from(pixels[(y * width + x) as usize]);
                if value * area < sum - MARGIN * area {
                    ink[(y * width + x) as usize] = 1;
                    depth[(y * width + x) as usize] = ((sum / area - value).min(255)) as u8;
                }
            }
        }
        Self {
            ink,
            depth,
            width,
            height,
        }
    }

    /// The card's width and height, pixels.
    pub fn dimensions(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// How many ink pixels row `y` holds from `x0` to `x1`.
    fn row_ink(&self, y: u32, x0: u32, x1: u32) -> u32 {
        self.row_sum(&self.ink, y, x0, x1)
    }

    /// How dark the ink of row `y` is from `x0` to `x1`: its pixels' depths summed.
    fn row_depth(&self, y: u32, x0: u32, x1: u32) -> u32 {
        self.row_sum(&self.depth, y, x0, x1)
    }

    fn row_sum(&self, plane: &[u8], y: u32, x0: u32, x1: u32) -> u32 {
        let row = &plane[(y * self.width) as usize..((y + 1) * self.width) as usize];
        row[x0 as usize..x1 as usize]
            .iter()
            .map(|&v| u32::from(v))
            .sum()
    }

    fn column_has_ink(&self, x: u32, y0: u32, y1: u32) -> bool {
        (y0..y1).any(|y| self.ink[(y * self.width + x) as usize] == 1)
    }

    /// The rectangle (left, top, width, height) of the line printed in or near `zone`;
    /// the zone itself when no band of ink is found there.
    pub fn find_line(&self, zone: &Zone) -> PixelRect {
        let (w, h) = (self.width as f32, self.height as f32);
        let fallback = zone.pixels(self.width, self.height);
        let x0 = (zone.x0.clamp(0.0, 1.0) * w) as u32;
        let x1 = ((zone.x1.clamp(0.0, 1.0) * w) as u32).min(self.width);
        let nominal_top = zone.y0 * h;
        let nominal_bottom = zone.y1 * h;
        let slack = 0.03 * h;
        let y0 = (nominal_top - slack).max(0.0) as u32;
        let y1 = ((nominal_bottom + slack) as u32).min(self.height);
        if x1 <= x0 + 4 || y1 <= y0 + 4 {
            return fallback;
        }
        let span = (x1 - x0) as f32;
        let profile: Vec<f32> = (y0..y1)
            .map(|y| self.row_ink(y, x0, x1) as f32 / span)
            .collect();
        let peak = profile.iter().copied().fold(0.0, f32::max);
        if peak < 0.02 {
            return fallback;
        }
        let threshold = (0.18 * peak).max(0.01);
        // Bands of rows above the threshold, joined across small gaps (dots, diacritics).
        let max_gap = (0.012 * h).max(2.0) as usize;
        let mut bands: Vec<(usize, usize, f32)> = Vec::new();
        for (i, &value) in profile.iter().enumerate() {
            if value < threshold {
                continue;
            }
            match bands.last_mut() {
                Some((_, end, mass)) if i - *end <= max_gap + 1 => {
                    *end = i;
                    *mass += value;
                }
                _ => bands.push((i, i, value)),
            }
        }
        let bands = split_joined(bands, &profile, (MAX_LINE_HEIGHT * h) as usize);
        // The band that best covers the nominal zone, weighted by how dark its ink is, not
        // only how much there is: the background's fine print (a pale line of repeated
        // words) then weighs far less than a printed line beside it.
        let best = bands
            .iter()
            .filter(|(start, end, _)| end - start >= 3)
            .map(|&(start, end, _)| {
                let top = (y0 as usize + start) as f32;
                let bottom = (y0 as usize + end + 1) as f32;
                let overlap = (bottom.min(nominal_bottom) - top.max(nominal_top)).max(0.0);
                let coverage = overlap / (bottom - top);
                let rows = y0 + start as u32..y0 + end as u32 + 1;
                let darkness: f32 = rows
                    .map(|y| self.row_depth(y, x0, x1) as f32 / (span * 255.0))
                    .sum();
                (start, end, coverage * darkness.sqrt())
            })
            .max_by(|a, b| a.2.total_cmp(&b.2));
        let Some((start, end, score)) = best else {
            return fallback;
        };
        if score <= 0.0 {
            return fallback;
        }
        // Ascenders, dots and descenders fall below the threshold: grow the band around its
        // centre to at least the line pitch the zone implies, and by a quarter beyond itself.
        let band_top = (y0 as usize + start) as f32;
        let band_bottom = (y0 as usize + end + 1) as f32;
        let centre = (band_top + band_bottom) / 2.0;
        let half = ((band_bottom - band_top) * 0.75).max(0.4 * (nominal_bottom - nominal_top));
        let top = (centre - half).max(0.0) as u32;
        let bottom = ((centre + half) as u32).min(self.height);
        let pad = (((band_bottom - band_top) * 0.25) as u32).max(3);
        // Trim empty columns at both ends, keeping a margin.
        let left = (x0..x1)
            .find(|&x| self.column_has_ink(x, top, bottom))
            .unwrap_or(x0);
        let right = (x0..x1)
            .rev()
            .find(|&x| self.column_has_ink(x, top, bottom))
            .unwrap_or(x1);
        // Print that reaches the zone's edge may run on past it (a card printed or
        // straightened a little off, the last digit of a number): follow strokes that
        // cross the band's core, across gaps no wider than between two glyphs.
        let (core_top, core_bottom) = (band_top as u32, (band_bottom as u32).min(self.height));
        let core_height = core_bottom.saturating_sub(core_top);
        let stroke = |x: u32| {
            (core_top..core_bottom)
                .filter(|&y| self.ink[(y * self.width + x) as usize] == 1)
                .count() as u32
                >= (core_height / 4).max(3)
        };
        let glyph_gap = (core_height / 2).max(3);
        let reach = (EDGE_RUN_ON * w) as u32;
        let right = if right + glyph_gap >= x1 {
            let mut last = right;
            for x in x1..(x1 + reach).min(self.width) {
                if stroke(x) {
                    last = x;
                } else if x > last + glyph_gap {
                    break;
                }
            }
            last
        } else {
            right
        };
        let left = if left <= x0 + glyph_gap {
            let mut first = left;
            for x in (x0.saturating_sub(reach)..x0).rev() {
                if stroke(x) {
                    first = x;
                } else if x + glyph_gap < first {
                    break;
                }
            }
            first
        } else {
            left
        };
        let margin = pad * 2;
        let left = left.saturating_sub(margin).max(x0.saturating_sub(margin));
        let right = (right + margin).min(self.width);
        (
            left as i32,
            top as i32,
            (right.saturating_sub(left)).max(1) as i32,
            (bottom - top).max(1) as i32,
        )
    }
}

/// The gap between two words of a line `height` pixels tall (its rectangle about twice the
/// text's height): where [`InkMap::words_split_by`] with a divisor of 5 splits them.
pub fn word_gap(height: i32) -> i32 {
    (height / 5).max(3)
}

/// The margin [`InkMap::words_split_by`] gives each word of a line `height` pixels tall.
pub fn word_pad(height: i32) -> i32 {
    (height / 8).max(2)
}

/// The tallest band of rows one printed line gives, as a fraction of the card's height:
/// the card's largest text (the national ID) with its ascenders and descenders.
const MAX_LINE_HEIGHT: f32 = 0.09;

/// Ink this share of a line's deepest or deeper is print, not background pattern (see
/// [`InkMap::print_span`]).
const PRINT_DEPTH: f32 = 0.3;

/// A run of print columns this share of the heaviest run's print or more is part of the
/// line (see [`InkMap::print_span`]); a lighter one is a speck.
const MIN_RUN_SHARE: f32 = 0.1;

/// How far past its zone's side (a share of the card's width) a line's print is followed
/// (see [`InkMap::find_line`]).
const EDGE_RUN_ON: f32 = 0.06;

/// Below this share of its band's peak, a row between two lines is their gap.
const GAP_SHARE: f32 = 0.3;

/// Two lines printed close together join into one band across a gap that a descender
/// and the next line's ascenders bridge. A band taller than any line is cut at its
/// faintest row in its middle half, when that row holds little ink beside the band's peak;
/// each part is cut again while it is still too tall.
fn split_joined(
    bands: Vec<(usize, usize, f32)>,
    profile: &[f32],
    max_height: usize,
) -> Vec<(usize, usize, f32)> {
    let mass = |start: usize, end: usize| profile[start..=end].iter().sum::<f32>();
    let mut pending = bands;
    let mut out = Vec::new();
    while let Some((start, end, band_mass)) = pending.pop() {
        let height = end - start + 1;
        if height <= max_height.max(8) {
            out.push((start, end, band_mass));
            continue;
        }
        let peak = profile[start..=end].iter().copied().fold(0.0, f32::max);
        let (lo, hi) = (start + height / 4, end - height / 4);
        let faintest = (lo..=hi).min_by(|&a, &b| profile[a].total_cmp(&profile[b]));
        match faintest {
            Some(cut) if profile[cut] < GAP_SHARE * peak => {
                pending.push((start, cut - 1, mass(start, cut - 1)));
                pending.push((cut + 1, end, mass(cut + 1, end)));
            }
            _ => out.push((start, end, band_mass)),
        }
    }
    out.sort_by_key(|band| band.0);
    out
}

impl InkMap {
    /// Centres (card fractions) of the bands of text rows within a column and row range.
    pub fn row_bands(&self, column: (f32, f32), rows: (f32, f32)) -> Vec<f32> {
        let (w, h) = (self.width as f32, self.height as f32);
        let x0 = (column.0.clamp(0.0, 1.0) * w) as u32;
        let x1 = ((column.1.clamp(0.0, 1.0) * w) as u32).min(self.width);
        let y0 = (rows.0.clamp(0.0, 1.0) * h) as u32;
        let y1 = ((rows.1.clamp(0.0, 1.0) * h) as u32).min(self.height);
        if x1 <= x0 || y1 <= y0 {
            return Vec::new();
        }
        let span = (x1 - x0) as f32;
        let profile: Vec<f32> = (y0..y1)
            .map(|y| self.row_ink(y, x0, x1) as f32 / span)
            .collect();
        let peak = profile.iter().copied().fold(0.0, f32::max);
        let threshold = (0.15 * peak).max(0.01);
        let max_gap = (0.008 * h).max(2.0) as usize;
        let min_height = 0.015 * h;
        let mut bands: Vec<(usize, usize)> = Vec::new();
        for (i, value) in profile.iter().enumerate() {
            if *value < threshold {
                continue;
            }
            match bands.last_mut() {
                Some((_, end)) if i - *end <= max_gap + 1 => *end = i,
                _ => bands.push((i, i)),
            }
        }
        bands
            .into_iter()
            .filter(|(start, end)| (end - start) as f32 >= min_height)
            .map(|(start, end)| (y0 as f32 + (start + end) as f32 / 2.0) / h)
            .collect()
    }

    /// The rightmost inked column (card fraction) within a column and row range, ignoring
    /// columns with only a speck of ink.
    pub fn right_edge(&self, column: (f32, f32), rows: (f32, f32)) -> Option<f32> {
        let (w, h) = (self.width as f32, self.height as f32);
        let x0 = (column.0.clamp(0.0, 1.0) * w) as u32;
        let x1 = ((column.1.clamp(0.0, 1.0) * w) as u32).min(self.width);
        let y0 = (rows.0.clamp(0.0, 1.0) * h) as u32;
        let y1 = ((rows.1.clamp(0.0, 1.0) * h) as u32).min(self.height);
        let min_ink = ((y1.saturating_sub(y0)) / 60).max(3);
        (x0..x1)
            .rev()
            .find(|&x| {
                (y0..y1)
                    .filter(|&y| self.ink[(y * self.width + x) as usize] == 1)
                    .count() as u32
                    >= min_ink
            })
            .map(|x| x as f32 / w)
    }

    /// The words of a line, left to right: runs of inked columns separated by a gap of at
    /// least `1 / divisor` of the line rectangle's height (5: a word gap, the rectangle
    /// being about twice the text height; a larger divisor splits at narrower spaces, and
    /// inside some words), each padded a little.
    pub fn words_split_by(&self, line: PixelRect, divisor: i32) -> Vec<PixelRect> {
        let (left, top, width, height) = line;
        let (x0, x1) = (
            left.max(0) as u32,
            ((left + width).max(0) as u32).min(self.width),
        );
        let (y0, y1) = (
            top.max(0) as u32,
            ((top + height).max(0) as u32).min(self.height),
        );
        let min_gap = (height / divisor.max(1)).max(3) as u32;
        let pad = word_pad(height);
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for x in x0..x1 {
            if !self.column_has_ink(x, y0, y1) {
                continue;
            }
            match runs.last_mut() {
                Some((_, end)) if x - *end <= min_gap => *end = x,
                _ => runs.push((x, x)),
            }
        }
        runs.into_iter()
            .filter(|(start, end)| end > start)
            .map(|(start, end)| {
                let l = (start as i32 - pad).max(0);
                (
                    l,
                    top,
                    (end as i32 + pad + 1).min(self.width as i32) - l,
                    height,
                )
            })
            .collect()
    }

    /// `line` (a rectangle from [`InkMap::find_line`]) narrowed to the columns its text
    /// prints in, with a margin. The card's background pattern is ink too, a shade lighter
    /// than print: a short word at one end of a wide zone would otherwise come with the
    /// pattern's lines across the rest, and Tesseract reads a short word on a wide
    /// rectangle worse than on a tight one (it drops or invents letters at the ends).
    /// Print is told by its depth: ink at least [`PRINT_DEPTH`] of the line's deepest
    /// (its 90th percentile), in the middle half of the rows, where the line's own letters
    /// are and a neighbour's ascenders are not. The print's columns are joined into runs
    /// across gaps narrower than the rectangle's height, and the span covers every run
    /// with [`MIN_RUN_SHARE`] of the heaviest run's print or more. Rows are left as found:
    /// trimming them too changed as many readings for the worse as for the better (dev).
    /// `line` itself when no print is found.
    pub fn print_span(&self, line: PixelRect) -> PixelRect {
        let (left, top, width, height) = line;
        let Some((x0, strength)) = self.print_strength(line) else {
            return line;
        };
        let max_gap = height.max(4) as usize;
        let mut runs: Vec<(usize, usize, u32)> = Vec::new();
        for (i, &n) in strength.iter().enumerate() {
            if n == 0 {
                continue;
            }
            match runs.last_mut() {
                Some((_, end, mass)) if i - *end <= max_gap => {
                    *end = i;
                    *mass += n;
                }
                _ => runs.push((i, i, n)),
            }
        }
        // A faded word keeps some print pixels: every run of a tenth of the heaviest's mass
        // or more counts, so that a word in a glare or a shadow stays in.
        let Some(heaviest) = runs.iter().map(|run| run.2).max() else {
            return line;
        };
        let counted = runs
            .iter()
            .filter(|run| run.2 as f32 >= MIN_RUN_SHARE * heaviest as f32);
        let start = counted.clone().map(|run| run.0).min().unwrap_or(0);
        let end = counted.map(|run| run.1).max().unwrap_or(0);
        let margin = height / 3;
        let new_left = (x0 as i32 + start as i32 - margin).max(left);
        let new_right = (x0 as i32 + end as i32 + 1 + margin).min(left + width);
        (new_left, top, new_right - new_left, height)
    }

    /// Whether the columns of `piece` hold print by `line`'s measure (see
    /// [`InkMap::print_span`]), not only the background pattern's lighter ink.
    pub fn holds_print(&self, line: PixelRect, piece: PixelRect) -> bool {
        let Some((x0, strength)) = self.print_strength(line) else {
            return true;
        };
        let from = (piece.0 - x0 as i32).max(0) as usize;
        let to = ((piece.0 + piece.2 - x0 as i32).max(0) as usize).min(strength.len());
        strength
            .get(from..to)
            .is_some_and(|columns| columns.iter().any(|&n| n > 0))
    }

    /// The first column of `line` and, for each of its columns, how many pixels of its
    /// middle half of rows are print: ink at least [`PRINT_DEPTH`] of the line's deepest
    /// (its 90th percentile); 0 for a column with fewer than two. `None` when the line
    /// holds too little ink to tell.
    fn print_strength(&self, line: PixelRect) -> Option<(u32, Vec<u32>)> {
        let (left, top, width, height) = line;
        let x0 = left.max(0) as u32;
        let x1 = ((left + width).max(0) as u32).min(self.width);
        let y0 = (top + height / 4).max(0) as u32;
        let y1 = ((top + 3 * height / 4).max(0) as u32).min(self.height);
        if x1 <= x0 + 4 || y1 <= y0 + 2 {
            return None;
        }
        let at = |x: u32, y: u32| self.depth[(y * self.width + x) as usize];
        let mut depths: Vec<u8> = (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .map(|(x, y)| at(x, y))
            .filter(|&d| d > 0)
            .collect();
        if depths.len() < 8 {
            return None;
        }
        let rank = depths.len() * 9 / 10;
        let (_, deep, _) = depths.select_nth_unstable(rank);
        let floor = (f32::from(*deep) * PRINT_DEPTH) as u8;
        let strength = (x0..x1)
            .map(|x| (y0..y1).filter(|&y| at(x, y) > floor).count() as u32)
            .map(|n| if n >= 2 { n } else { 0 })
            .collect();
        Some((x0, strength))
    }

    /// How far `rect` can grow to the left, up to `max` pixels, before it takes in the
    /// next word: ink standing off from the rectangle's own by a word gap (a fifth of its
    /// height, as [`InkMap::words_split_by`] splits words) or more. A margin given a word
    /// for a reader stops halfway across that gap, short of the next word's last stroke,
    /// which a digit reader takes for a ١; ink closer than a word gap is the word's own (a
    /// digit its box cut off) and does not stop it.
    pub fn room_left_of(&self, rect: PixelRect, max: i32) -> i32 {
        let (left, top, width, height) = rect;
        let y0 = top.max(0) as u32;
        let y1 = ((top + height).max(0) as u32).min(self.height);
        let inked =
            |x: i32| x >= 0 && (x as u32) < self.width && self.column_has_ink(x as u32, y0, y1);
        // The word's own ink starts here, or the box is cut inside it.
        let Some(own) = (left..left + width).find(|&x| inked(x)) else {
            return max;
        };
        // Ink running on past the box's first column means the box is cut inside the
        // word; ink that starts right at it is a box drawn tight to the word.
        if own == left && inked(left - 1) {
            return max;
        }
        let word_gap = word_gap(height);
        // Ink beyond the margin's reach still stops it halfway: a reader's own threshold
        // finds a faint edge of a stroke the ink map does not.
        let Some(next) = (1..=3 * max).map(|step| left - step).find(|&x| inked(x)) else {
            return max;
        };
        let gap = own - next - 1;
        if gap < word_gap {
            return max;
        }
        (left - (next + 1 + gap / 2)).clamp(0, max)
    }

    /// Whether the ink in `word` belongs to a vertical rule, such as the card's edge in a
    /// photo: ink in its columns runs on above and below the line, where a glyph's stops.
    pub fn is_vertical_rule(&self, word: PixelRect) -> bool {
        let (left, top, width, height) = word;
        let x0 = left.max(0) as u32;
        let x1 = ((left + width).max(0) as u32).min(self.width);
        // Three line heights each way: stacked text lines leave gaps between them there.
        let y0 = (top - 3 * height).max(0) as u32;
        let y1 = ((top + 4 * height).max(0) as u32).min(self.height);
        if x1 <= x0 || y1 <= y0 {
            return false;
        }
        let inked = (y0..y1)
            .filter(|&y| (x0..x1).any(|x| self.ink[(y * self.width + x) as usize] == 1))
            .count();
        inked as f32 >= 0.95 * (y1 - y0) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    #[test]
    fn room_on_the_left_stops_short_of_the_next_word() {
        // A word at columns 44..60, the next word's last stroke at 30..32 and a digit of
        // the word 3 columns off its rest at 37..41; rows 10..30, a line 24 high.
        let card = |digit: bool| {
            GrayImage::from_fn(100, 40, move |x, y| {
                let inked = (10..30).contains(&y)
                    && ((44..60).contains(&x)
                        || (30..32).contains(&x)
                        || (digit && (37..41).contains(&x)));
                Luma([if inked { 20 } else { 235 }])
            })
        };
        let ink = InkMap::new(&card(false));
        // The gap 32..44 is a word gap: from a box 2 columns left of the word's ink the
        // margin stops halfway across it (at 38).
        assert_eq!(ink.room_left_of((42, 8, 18, 24), 20), 4);
        assert_eq!(ink.room_left_of((42, 8, 18, 24), 3), 3);
        // A box already past halfway does not grow; one cut inside the word grows freely.
        assert_eq!(ink.room_left_of((36, 8, 24, 24), 20), 0);
        assert_eq!(ink.room_left_of((50, 8, 10, 24), 20), 20);
        // A box drawn tight to the word's first column still stops short of the next word.
        assert_eq!(ink.room_left_of((44, 8, 16, 24), 20), 6);
        // A digit a digit gap off the rest is the word's own: the box grows to take it.
        let ink = InkMap::new(&card(true));
        assert_eq!(ink.room_left_of((42, 8, 18, 24), 20), 20);
    }

    #[test]
    fn finds_a_line_shifted_from_its_zone() {
        // A text-like band at rows 120..150, while the zone says 100..140.
        let card = GrayImage::from_fn(1000, 631, |x, y| {
            Luma([
                if (120..150).contains(&y) && (500..900).contains(&x) && x % 7 < 3 {
                    20
                } else {
                    235
                },
            ])
        });
        let map = InkMap::new(&card);
        let zone = Zone {
            x0: 0.4,
            x1: 0.95,
            y0: 100.0 / 631.0,
            y1: 140.0 / 631.0,
        };
        let (_, top, _, height) = map.find_line(&zone);
        assert!((105..=120).contains(&top), "top {top}");
        assert!(
            top + height >= 150 && top + height <= 165,
            "bottom {}",
            top + height
        );
    }

    #[test]
    fn separates_two_lines_joined_by_a_thin_bridge() {
        // Two lines, rows 200..240 and 244..284, a tall letter every 100 columns bridging
        // the gap between them; the zone asks for the lower one.
        let card = GrayImage::from_fn(1000, 631, |x, y| {
            let body = ((200..240).contains(&y) || (244..284).contains(&y)) && x % 7 < 3;
            let bridge = (238..246).contains(&y) && x % 100 < 3;
            let inked = (400..900).contains(&x) && (body || bridge);
            Luma([if inked { 20 } else { 235 }])
        });
        let map = InkMap::new(&card);
        let zone = Zone {
            x0: 0.4,
            x1: 0.95,
            y0: 245.0 / 631.0,
            y1: 300.0 / 631.0,
        };
        let (_, top, _, height) = map.find_line(&zone);
        // Unsplit, the band would start at the upper line's top (200) and grow above it;
        // split, only the usual margin above the lower line reaches into the gap.
        assert!(top >= 225, "top {top} takes in the upper line");
        assert!(top + height >= 284, "bottom {}", top + height);
    }

    #[test]
    fn splits_a_line_into_words_at_word_gaps() {
        // Two words: columns 100..300 and 360..420, a 60 px gap between them.
        let card = GrayImage::from_fn(1000, 631, |x, y| {
            let inked = (100..300).contains(&x) || (360..420).contains(&x);
            Luma([if inked && (200..230).contains(&y) && x % 5 < 3 {
                20
            } else {
                235
            }])
        });
        let map = InkMap::new(&card);
        let words = map.words_split_by((50, 190, 450, 50), 5);
        assert_eq!(words.len(), 2, "{words:?}");
        let (left, _, width, _) = words[1];
        assert!((350..=360).contains(&left), "left {left}");
        assert!(
            (420..=430).contains(&(left + width)),
            "right {}",
            left + width
        );
    }

    #[test]
    fn narrows_a_short_word_to_its_print_past_the_background_pattern() {
        // A short dark word at columns 850..950 of a line at rows 200..240, with light
        // pattern lines crossing the whole zone; and a faded word (columns 700..800) on
        // a second card.
        let pattern = |x: u32, y: u32| (x + 2 * y) % 40 < 2;
        let word = |x: u32, y: u32| (200..240).contains(&y) && x % 6 < 3;
        let card = GrayImage::from_fn(1000, 631, |x, y| {
            Luma([if (850..950).contains(&x) && word(x, y) {
                30
            } else if pattern(x, y) {
                200
            } else {
                235
            }])
        });
        let (left, _, width, _) = InkMap::new(&card).print_span((560, 190, 430, 60));
        assert!((820..=850).contains(&left), "left {left}");
        assert!(
            (950..=980).contains(&(left + width)),
            "right {}",
            left + width
        );

        let faded = GrayImage::from_fn(1000, 631, |x, y| {
            Luma([if (850..950).contains(&x) && word(x, y) {
                30
            } else if (700..800).contains(&x) && word(x, y) {
                150
            } else if pattern(x, y) {
                200
            } else {
                235
            }])
        });
        let (left, _, _, _) = InkMap::new(&faded).print_span((560, 190, 430, 60));
        assert!(
            (670..=700).contains(&left),
            "left {left}: the faded word is cut off"
        );
    }

    #[test]
    fn a_pattern_line_holds_no_print_where_a_digit_does() {
        // Print (gray 20) at columns 100..140, a pale pattern stroke (gray 200) at
        // 160..164, on paper at 235; rows 40..70 of a line at 30..80.
        let card = GrayImage::from_fn(300, 120, |x, y| {
            let value = match x {
                _ if !(40..70).contains(&y) => 235,
                100..140 => 20,
                160..164 => 200,
                _ => 235,
            };
            Luma([value])
        });
        let ink = InkMap::new(&card);
        let line = (90, 30, 90, 50);
        assert!(ink.holds_print(line, (96, 30, 48, 50)));
        assert!(!ink.holds_print(line, (154, 30, 16, 50)));
    }

    #[test]
    fn follows_print_past_the_zone_edge_but_not_across_a_wide_gap() {
        // Digit-like strokes every 12 columns from 400 to 870 on rows 100..130; the zone
        // ends at 840. A mark at 960, past a wide gap, is not the line's.
        let card = GrayImage::from_fn(1000, 631, |x, y| {
            let digits = (400..870).contains(&x) && x % 12 < 4;
            let mark = (960..964).contains(&x);
            Luma([if (100..130).contains(&y) && (digits || mark) {
                20
            } else {
                235
            }])
        });
        let zone = Zone {
            x0: 0.42,
            x1: 0.84,
            y0: 90.0 / 631.0,
            y1: 140.0 / 631.0,
        };
        let (left, _, width, _) = InkMap::new(&card).find_line(&zone);
        let right = left + width;
        assert!((864..930).contains(&right), "right {right}");
    }

    #[test]
    fn empty_zone_falls_back_to_the_zone() {
        let card = GrayImage::from_pixel(1000, 631, Luma([235]));
        let map = InkMap::new(&card);
        let zone = Zone {
            x0: 0.4,
            x1: 0.95,
            y0: 0.2,
            y1: 0.3,
        };
        assert_eq!(map.find_line(&zone), zone.pixels(1000, 631));
    }
}
