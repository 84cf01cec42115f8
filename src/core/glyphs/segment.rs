//! Cutting one printed line of Arabic-Indic digits into glyph boxes, left to right.
//!
//! The line is binarized with Otsu's threshold computed inside the line rectangle only (the
//! card's print density varies from field to field, and the faint security pattern is much
//! lighter than the ink, so a local two-class split keeps it out). Connected components are
//! then sorted into full-height glyphs, small glyphs (the Arabic-Indic zero is a small
//! diamond at mid-height, about half the height of the other digits) and specks.

use image::{GrayImage, Luma};
use imageproc::region_labelling::{connected_components, Connectivity};

/// A line rectangle on the card: left, top, width, height, pixels (may reach past the edges).
pub type LineRect = (i32, i32, i32, i32);

/// One glyph: its box in the crop's coordinates and the components it is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glyph {
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
    /// Labels of the connected components (in [`Segmentation::labels`]) that form it.
    pub parts: Vec<u32>,
}

impl Glyph {
    pub fn right(&self) -> u32 {
        self.left + self.width
    }
    pub fn bottom(&self) -> u32 {
        self.top + self.height
    }
}

/// A segmented line: the glyphs, left to right, and what the classifier needs to see them.
#[derive(Debug, Clone, Default)]
pub struct Segmentation {
    /// Where the crop sits on the card (left, top).
    pub origin: (u32, u32),
    pub width: u32,
    pub height: u32,
    /// Ink strength per crop pixel, 0 (paper) ..= 1 (ink), row-major.
    pub ink: Vec<f32>,
    /// Component label per crop pixel (0 = background), row-major.
    pub labels: Vec<u32>,
    pub glyphs: Vec<Glyph>,
    /// `gaps[i]` is the blank width between `glyphs[i]` and `glyphs[i + 1]`, pixels.
    pub gaps: Vec<i32>,
    /// Typical height of a full-height digit, pixels.
    pub digit_height: f32,
    /// Top and bottom of the band the full-height digits occupy (crop rows).
    pub band: (f32, f32),
}

/// Otsu's threshold over a set of gray values: the level that best splits ink from paper.
fn otsu(values: &[u8]) -> u8 {
    let mut hist = [0u64; 256];
    for &v in values {
        hist[v as usize] += 1;
    }
    let total = values.len() as f64;
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &c)| i as f64 * c as f64)
        .sum();
    let (mut w0, mut sum0) = (0.0f64, 0.0f64);
    let (mut best, mut best_var) = (0u8, -1.0f64);
    for (t, &c) in hist.iter().enumerate() {
        w0 += c as f64;
        sum0 += t as f64 * c as f64;
        let w1 = total - w0;
        if w0 == 0.0 || w1 == 0.0 {
            continue;
        }
        let m0 = sum0 / w0;
        let m1 = (sum_all - sum0) / w1;
        let var = w0 * w1 * (m0 - m1) * (m0 - m1);
        if var > best_var {
            best_var = var;
            best = t as u8;
        }
    }
    best
}

fn median_u8(values: &mut [u8]) -> f32 {
    if values.is_empty() {
        return 0.0;
    }
    let mid = values.len() / 2;
    *values.select_nth_unstable(mid).1 as f32
}

fn median_f32(values: &mut [f32]) -> f32 {
    if values.is_empty() {
        return 0.0;
    }
    let mid = values.len() / 2;
    *values.select_nth_unstable_by(mid, |a, b| a.total_cmp(b)).1
}

#[derive(Debug, Clone, Copy)]
struct Comp {
    x0: u32,
    y0: u32,
    x1: u32, // exclusive
    y1: u32, // exclusive
    area: u32,
}

impl Comp {
    fn w(&self) -> u32 {
        self.x1 - self.x0
    }
    fn h(&self) -> u32 {
        self.y1 - self.y0
    }
}

/// Clamps `rect` to the image; `None` when nothing is left.
fn clamp_rect(card: &GrayImage, rect: LineRect) -> Option<(u32, u32, u32, u32)> {
    let (l, t, w, h) = rect;
    let x0 = l.max(0) as i64;
    let y0 = t.max(0) as i64;
    let x1 = (l as i64 + w as i64).min(card.width() as i64);
    let y1 = (t as i64 + h as i64).min(card.height() as i64);
    (x1 - x0 >= 4 && y1 - y0 >= 4)
        .then(|| (x0 as u32, y0 as u32, (x1 - x0) as u32, (y1 - y0) as u32))
}

/// Contrast below which a crop is taken as blank paper (gray levels between paper and ink).
const MIN_CONTRAST: f32 = 24.0;

/// Segments the line in `rect` of `card` (dark ink on a light card).
pub fn segment(card: &GrayImage, rect: LineRect) -> Segmentation {
    segment_with(card, rect, false)
}

/// Like [`segment`], with the light along the line evened out first (see [`evened`]):
/// for a line whose digits fade at one end or in the middle, which one threshold for the
/// whole line drops.
pub fn segment_evened(card: &GrayImage, rect: LineRect) -> Segmentation {
    segment_with(card, rect, true)
}

fn segment_with(card: &GrayImage, rect: LineRect, even_the_light: bool) -> Segmentation {
    let Some((cx, cy, w, h)) = clamp_rect(card, rect) else {
        return Segmentation::default();
    };
    let mut values = Vec::with_capacity((w * h) as usize);
    for y in cy..cy + h {
        for x in cx..cx + w {
            values.push(card.get_pixel(x, y).0[0]);
        }
    }
    if even_the_light {
        values = evened(&values, w, h);
    }
    let t = otsu(&values);
    let (mut dark, mut light): (Vec<u8>, Vec<u8>) = values.iter().partition(|&&v| v <= t);
    let ink_level = median_u8(&mut dark);
    let paper = median_u8(&mut light);
    let mut seg = Segmentation {
        origin: (cx, cy),
        width: w,
        height: h,
        ..Segmentation::default()
    };
    if paper - ink_level < MIN_CONTRAST || dark.is_empty() {
        return seg;
    }
    // Ink strength relative to this line's own paper and ink, so faint and dark prints look
    // alike to the classifier.
    let span = paper - ink_level;
    seg.ink = values
        .iter()
        .map(|&v| ((paper - v as f32) / span).clamp(0.0, 1.0))
        .collect();
    let mask = GrayImage::from_fn(w, h, |x, y| {
        Luma([if values[(y * w + x) as usize] <= t {
            255
        } else {
            0
        }])
    });
    let labelled = connected_components(&mask, Connectivity::Eight, Luma([0u8]));
    seg.labels = labelled.pixels().map(|p| p.0[0]).collect();
    let n = seg.labels.iter().copied().max().unwrap_or(0) as usize;
    let mut comps = vec![
        Comp {
            x0: u32::MAX,
            y0: u32::MAX,
            x1: 0,
            y1: 0,
            area: 0
        };
        n + 1
    ];
    for (i, &l) in seg.labels.iter().enumerate() {
        if l == 0 {
            continue;
        }
        let (x, y) = (i as u32 % w, i as u32 / w);
        let c = &mut comps[l as usize];
        c.x0 = c.x0.min(x);
        c.y0 = c.y0.min(y);
        c.x1 = c.x1.max(x + 1);
        c.y1 = c.y1.max(y + 1);
        c.area += 1;
    }
    let (mut glyphs, digit_height, band) = group(&comps);
    split_touching(&mut glyphs, &seg.labels, w, digit_height);
    seg.gaps = glyphs
        .windows(2)
        .map(|p| p[1].left as i32 - p[0].right() as i32)
        .collect();
    seg.glyphs = glyphs;
    seg.digit_height = digit_height;
    seg.band = band;
    seg
}

/// The line's gray values with uneven light taken out: each column is rescaled between
/// the paper and the ink found near it (within about a line height either way), so a
/// digit printed or lit fainter than its neighbours keeps its contrast against its own
/// paper. A stretch with no ink near it (less contrast than [`MIN_CONTRAST`]) is paper.
/// On an evenly lit line this is one linear rescaling, which leaves Otsu's split as it was.
fn evened(values: &[u8], w: u32, h: u32) -> Vec<u8> {
    let (w, h) = (w as usize, h as usize);
    let mut darkest = vec![255u8; w];
    let mut lightest = vec![0u8; w];
    let mut column = Vec::with_capacity(h);
    for x in 0..w {
        column.clear();
        column.extend((0..h).map(|y| values[y * w + x]));
        column.sort_unstable();
        // Percentiles, so one speck or one bright pixel does not set the level.
        darkest[x] = column[column.len() / 20];
        lightest[x] = column[column.len() - 1 - column.len() / 20];
    }
    let reach = h.max(4);
    let mut out = vec![255u8; w * h];
    for x in 0..w {
        let window = x.saturating_sub(reach)..(x + reach + 1).min(w);
        let ink = darkest[window.clone()].iter().copied().min().unwrap_or(0);
        let paper = lightest[window].iter().copied().max().unwrap_or(255);
        let span = f32::from(paper) - f32::from(ink);
        if span < MIN_CONTRAST {
            continue;
        }
        for y in 0..h {
            let v = f32::from(values[y * w + x]);
            out[y * w + x] = ((v - f32::from(ink)) / span * 255.0).clamp(0.0, 255.0) as u8;
        }
    }
    out
}

/// Sorts components into glyphs. `comps[0]` is the background and is skipped.
fn group(comps: &[Comp]) -> (Vec<Glyph>, f32, (f32, f32)) {
    let real: Vec<(u32, Comp)> = comps
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, c)| c.area >= 2)
        .map(|(i, c)| (i as u32, *c))
        .collect();
    if real.is_empty() {
        return (Vec::new(), 0.0, (0.0, 0.0));
    }
    // The digit height: the median of the components at least half as tall as the tallest
    // ordinary one (the 90th percentile, so one stray tall mark does not set the scale).
    // Only marks of a digit's size count: noise specks can outnumber the digits.
    let mut areas: Vec<u32> = real.iter().map(|(_, c)| c.area).collect();
    areas.sort_unstable_by(|a, b| b.cmp(a));
    let ref_area = areas[areas.len().min(5) / 2] as f32;
    let mut hs: Vec<f32> = real
        .iter()
        .filter(|(_, c)| c.area as f32 >= 0.1 * ref_area)
        .map(|(_, c)| c.h() as f32)
        .collect();
    hs.sort_by(|a, b| a.total_cmp(b));
    let p90 = hs[((hs.len() - 1) as f32 * 0.9).round() as usize];
    let mut tall_h: Vec<f32> = hs.iter().copied().filter(|&h| h >= 0.5 * p90).collect();
    let big_h = median_f32(&mut tall_h).max(1.0);
    let tall: Vec<&(u32, Comp)> = real
        .iter()
        .filter(|(_, c)| c.h() as f32 >= 0.6 * big_h && (c.w() as f32) < 3.0 * big_h)
        .collect();
    let mut tops: Vec<f32> = tall.iter().map(|(_, c)| c.y0 as f32).collect();
    let mut bots: Vec<f32> = tall.iter().map(|(_, c)| c.y1 as f32).collect();
    let band = (median_f32(&mut tops), median_f32(&mut bots));
    let hh = (band.1 - band.0).max(1.0);
    let lo = band.0 - 0.35 * hh;
    let hi = band.1 + 0.35 * hh;

    // Components mostly inside the band; marks of neighbouring lines are dropped.
    let inside = |c: &Comp| {
        let top = (c.y0 as f32).max(lo);
        let bot = (c.y1 as f32).min(hi);
        bot - top >= 0.6 * c.h() as f32
    };
    // Pieces of glyphs: everything in the band except long thin marks, which are lines of
    // the security pattern (a long, low or sparse mark is no digit).
    let mut pieces: Vec<(Glyph, u32)> = Vec::new();
    for &(l, c) in &real {
        if !inside(&c) {
            continue;
        }
        let sparse = (c.area as f32) < 0.15 * (c.w() * c.h()) as f32;
        let long_low = c.w() as f32 > 1.2 * hh && (c.h() as f32) < 0.3 * hh;
        if (c.w() as f32 > 1.8 * hh && sparse) || long_low {
            continue;
        }
        let g = Glyph {
            left: c.x0,
            top: c.y0,
            width: c.w(),
            height: c.h(),
            parts: vec![l],
        };
        pieces.push((g, c.area));
    }
    // Pieces stacked one above the other are one glyph broken by a light or thin print
    // (a four whose hook came loose). Side-by-side glyphs overlap in height, so a kerned
    // pair whose boxes overlap is not merged.
    let stacked = |a: &Glyph, b: &Glyph| {
        let ox = a.right().min(b.right()) as i64 - a.left.max(b.left) as i64;
        let oy = a.bottom().min(b.bottom()) as i64 - a.top.max(b.top) as i64;
        ox as f32 >= 0.6 * a.width.min(b.width) as f32
            && (oy as f32) <= 0.3 * a.height.min(b.height) as f32
    };
    let mut merged = true;
    while merged {
        merged = false;
        'outer: for i in 0..pieces.len() {
            for j in i + 1..pieces.len() {
                if stacked(&pieces[i].0, &pieces[j].0) {
                    let (b, area) = pieces.swap_remove(j);
                    absorb(&mut pieces[i].0, &b);
                    pieces[i].1 += area;
                    merged = true;
                    break 'outer;
                }
            }
        }
    }
    // Small pieces side by side that together stand as tall as a digit are one glyph
    // whose strokes came apart (a six drawn as a bar and a short stem, at a small size).
    // Two zeros never add up to a digit's height, so they stay apart.
    let is_small = |g: &Glyph| (g.height as f32) < 0.55 * hh;
    let mut merged = true;
    while merged {
        merged = false;
        'pairs: for i in 0..pieces.len() {
            for j in i + 1..pieces.len() {
                let (a, b) = (&pieces[i].0, &pieces[j].0);
                if !is_small(a) || !is_small(b) {
                    continue;
                }
                let gap = (a.left as i64 - b.right() as i64).max(b.left as i64 - a.right() as i64);
                let height = a.bottom().max(b.bottom()) - a.top.min(b.top);
                if (gap as f32) <= 0.12 * hh && height as f32 >= 0.55 * hh {
                    let (b, area) = pieces.swap_remove(j);
                    absorb(&mut pieces[i].0, &b);
                    pieces[i].1 += area;
                    merged = true;
                    break 'pairs;
                }
            }
        }
    }
    let (tall, small): (Vec<_>, Vec<_>) = pieces.into_iter().partition(|(g, _)| !is_small(g));
    let mut glyphs: Vec<Glyph> = tall.into_iter().map(|(g, _)| g).collect();

    // Small marks: fragments of a glyph above them, the zero, or specks.
    let mut zeros = Vec::new();
    for (piece, area) in small {
        let cw = piece.width as f32;
        let ch = piece.height as f32;
        let cy = piece.top as f32 + ch / 2.0;
        let compact = area as f32 >= 0.3 * cw * ch && cw <= 1.6 * ch && ch <= 1.8 * cw;
        let zero_like = compact
            // Some faces draw the zero as a dot a seventh of a digit high.
            && cw.max(ch) >= (0.1 * hh).max(2.0)
            && area >= 3
            && cy > band.0 + 0.33 * hh
            && cy < band.1 + 0.05 * hh;
        let host = glyphs.iter_mut().find(|g| {
            let overlap = g.right().min(piece.right()) as i64 - g.left.max(piece.left) as i64;
            if zero_like {
                // A zero can sit under a neighbour's overhang (a slash leaning over it):
                // only a mark well inside a glyph's box is part of that glyph.
                let mid = piece.left as f32 + cw / 2.0;
                overlap as f32 >= 0.9 * cw
                    && mid > g.left as f32 + 0.2 * g.width as f32
                    && mid < g.right() as f32 - 0.2 * g.width as f32
            } else {
                overlap as f32 >= 0.5 * cw
            }
        });
        match host {
            Some(g) => absorb(g, &piece),
            None if zero_like => zeros.push(piece),
            None => {
                // A loose stroke in the top or bottom of the band right beside a glyph is
                // part of it: some faces draw the six's bar apart from its stem.
                let off_mid = cy < band.0 + 0.35 * hh || cy > band.1 - 0.3 * hh;
                let gap = |g: &Glyph| {
                    (g.left as i64 - piece.right() as i64)
                        .max(piece.left as i64 - g.right() as i64)
                        .max(0)
                };
                let near = glyphs
                    .iter_mut()
                    .min_by_key(|g| gap(g))
                    .filter(|g| off_mid && (gap(g) as f32) <= 0.15 * hh);
                if let Some(g) = near {
                    absorb(g, &piece);
                }
            }
        }
    }
    // A zero broken in two by a light print: pieces overlapping horizontally.
    zeros.sort_by_key(|g| g.left);
    let mut zs: Vec<Glyph> = Vec::new();
    for z in zeros {
        if let Some(last) = zs.last_mut() {
            let overlap = last.right().min(z.right()) as i64 - z.left.max(last.left) as i64;
            if overlap as f32 > 0.5 * last.width.min(z.width) as f32 {
                absorb(last, &z);
                continue;
            }
        }
        zs.push(z);
    }
    glyphs.extend(zs);
    glyphs.sort_by_key(|g| g.left);
    (glyphs, hh, band)
}

/// Cuts glyphs that touch their neighbours (faces with no side bearing, like Noto Kufi, or
/// a heavy blur) at the emptiest columns near where a typical glyph width would end.
fn split_touching(glyphs: &mut Vec<Glyph>, labels: &[u32], crop_w: u32, hh: f32) {
    let tall: Vec<f32> = glyphs
        .iter()
        .filter(|g| g.height as f32 >= 0.55 * hh)
        .map(|g| g.width as f32)
        .collect();
    if tall.len() < 3 {
        return;
    }
    let mut ws = tall.clone();
    ws.sort_by(|a, b| a.total_cmp(b));
    // The upper quartile: narrow ones (the one) should not make every glyph look wide.
    // Capped, because in a line of touching glyphs the pairs themselves are the wide ones.
    let typical = ws[(ws.len() - 1) * 3 / 4].clamp(0.3 * hh, 0.7 * hh);
    let mut out = Vec::with_capacity(glyphs.len() + 2);
    for g in glyphs.drain(..) {
        let w = g.width as f32;
        if w <= 1.6 * typical || w <= 0.9 * hh {
            out.push(g);
            continue;
        }
        let k = ((w / typical).round() as u32).clamp(2, 16);
        // Ink per column and per pixel row range of this glyph's own components.
        let own = |x: u32, y: u32| g.parts.contains(&labels[(y * crop_w + x) as usize]);
        let cols: Vec<u32> = (g.left..g.right())
            .map(|x| (g.top..g.bottom()).filter(|&y| own(x, y)).count() as u32)
            .collect();
        let mut cuts = vec![0u32];
        for i in 1..k {
            let expect = (w * i as f32 / k as f32) as i64;
            let reach = (0.3 * w / k as f32).max(1.0) as i64;
            let lo = (expect - reach).max(*cuts.last().unwrap_or(&0) as i64 + 1);
            let hi = (expect + reach).min(g.width as i64 - 1);
            if lo >= hi {
                continue;
            }
            let best = (lo..=hi)
                .min_by_key(|&c| (cols[c as usize], (c - expect).abs()))
                .unwrap_or(expect);
            cuts.push(best as u32);
        }
        cuts.push(g.width);
        for c in cuts.windows(2) {
            let (x0, x1) = (g.left + c[0], g.left + c[1]);
            let rows: Vec<u32> = (g.top..g.bottom())
                .filter(|&y| (x0..x1).any(|x| own(x, y)))
                .collect();
            let (Some(&top), Some(&bot)) = (rows.first(), rows.last()) else {
                continue;
            };
            out.push(Glyph {
                left: x0,
                top,
                width: x1 - x0,
                height: bot + 1 - top,
                parts: g.parts.clone(),
            });
        }
    }
    *glyphs = out;
}

fn absorb(into: &mut Glyph, g: &Glyph) {
    let x0 = into.left.min(g.left);
    let y0 = into.top.min(g.top);
    let x1 = into.right().max(g.right());
    let y1 = into.bottom().max(g.bottom());
    into.left = x0;
    into.top = y0;
    into.width = x1 - x0;
    into.height = y1 - y0;
    into.parts.extend_from_slice(&g.parts);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A light card with dark rectangles standing in for glyphs: (x, y, w, h).
    fn card_with(boxes: &[(u32, u32, u32, u32)]) -> GrayImage {
        let mut img = GrayImage::from_pixel(300, 60, Luma([225]));
        for &(x, y, w, h) in boxes {
            for yy in y..y + h {
                for xx in x..x + w {
                    img.put_pixel(xx, yy, Luma([30]));
                }
            }
        }
        img
    }

    #[test]
    fn glyphs_come_left_to_right_with_gaps() {
        let img = card_with(&[(40, 15, 6, 24), (20, 15, 8, 24), (60, 15, 10, 24)]);
        let s = segment(&img, (0, 0, 300, 60));
        let lefts: Vec<u32> = s.glyphs.iter().map(|g| g.left).collect();
        assert_eq!(lefts, vec![20, 40, 60]);
        assert_eq!(s.gaps, vec![12, 14]);
        assert!((s.digit_height - 24.0).abs() < 1.0);
    }

    #[test]
    fn small_zero_at_mid_height_is_kept_and_specks_are_dropped() {
        // digit, zero (half height, mid band), digit, a 1-pixel speck, a speck high above.
        let img = card_with(&[
            (20, 15, 8, 24),
            (36, 23, 7, 8),
            (50, 15, 8, 24),
            (66, 27, 1, 1),
            (80, 2, 2, 2),
            (90, 15, 8, 24),
        ]);
        let s = segment(&img, (0, 0, 300, 60));
        let lefts: Vec<u32> = s.glyphs.iter().map(|g| g.left).collect();
        assert_eq!(lefts, vec![20, 36, 50, 90]);
        assert_eq!(s.glyphs[1].height, 8);
    }

    #[test]
    fn dot_zero_of_a_seventh_of_a_digit_is_kept() {
        let img = card_with(&[(20, 15, 8, 24), (34, 26, 4, 4), (44, 15, 8, 24)]);
        let s = segment(&img, (0, 0, 300, 60));
        assert_eq!(s.glyphs.len(), 3);
        assert_eq!(s.glyphs[1].height, 4);
    }

    #[test]
    fn broken_glyph_is_merged() {
        // The top and bottom halves of one stroke, split by a light gap.
        let img = card_with(&[(20, 15, 8, 11), (20, 28, 8, 11), (40, 15, 8, 24)]);
        let s = segment(&img, (0, 0, 300, 60));
        assert_eq!(s.glyphs.len(), 2);
        assert_eq!((s.glyphs[0].top, s.glyphs[0].height), (15, 24));
    }

    #[test]
    fn touching_glyphs_are_cut_at_the_neck() {
        // Two glyphs joined by a 2-pixel bridge, then three free ones.
        let img = card_with(&[
            (20, 15, 14, 24),
            (34, 25, 2, 2),
            (36, 15, 14, 24),
            (60, 15, 14, 24),
            (80, 15, 14, 24),
            (100, 15, 14, 24),
        ]);
        let s = segment(&img, (0, 0, 300, 60));
        let lefts: Vec<u32> = s.glyphs.iter().map(|g| g.left).collect();
        assert_eq!(lefts, vec![20, 35, 60, 80, 100]);
    }

    #[test]
    fn strokes_drawn_apart_make_one_glyph() {
        // A six drawn as a top bar and a short stem that do not touch.
        let img = card_with(&[
            (20, 15, 8, 24),
            (40, 15, 8, 3),
            (46, 20, 3, 12),
            (60, 15, 8, 24),
        ]);
        let s = segment(&img, (0, 0, 300, 60));
        assert_eq!(s.glyphs.len(), 3);
        assert_eq!((s.glyphs[1].left, s.glyphs[1].width), (40, 9));
    }

    #[test]
    fn thin_long_background_line_is_dropped() {
        let mut img = card_with(&[(20, 15, 8, 24), (40, 15, 8, 24), (60, 15, 8, 24)]);
        // A curve right of the digits, as the card's guilloche draws (not touching them).
        for x in 75..300 {
            let y = (30.0 + 20.0 * (x as f32 / 40.0).sin()) as u32;
            img.put_pixel(x, y, Luma([60]));
            img.put_pixel(x, y + 1, Luma([60]));
        }
        let s = segment(&img, (0, 0, 300, 60));
        assert_eq!(s.glyphs.len(), 3);
    }

    #[test]
    fn blank_or_outside_rect_gives_nothing() {
        let img = card_with(&[]);
        assert!(segment(&img, (0, 0, 300, 60)).glyphs.is_empty());
        assert!(segment(&img, (400, 0, 50, 60)).glyphs.is_empty());
    }

    #[test]
    fn evening_the_light_keeps_a_faint_digit_on_a_dark_line() {
        // Three bars: two dark, one faint; the faint one falls below Otsu's one split of
        // the whole line but stands out against its own paper.
        let img = GrayImage::from_fn(300, 60, |x, y| {
            let bar =
                (15..45).contains(&y) && [40, 140, 240].iter().any(|&l| (l..l + 12).contains(&x));
            Luma([match (bar, x) {
                (true, 140..=151) => 175,
                (true, _) => 20,
                _ => 210,
            }])
        });
        assert_eq!(segment(&img, (0, 0, 300, 60)).glyphs.len(), 2);
        assert_eq!(segment_evened(&img, (0, 0, 300, 60)).glyphs.len(), 3);
    }
}
