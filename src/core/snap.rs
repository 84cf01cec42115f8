//! Moves each side of a located card onto the straight edge nearest it, in the
//! full-resolution image.
//!
//! The outlines [`super::locate`] finds come from masks on a small search copy, and a mask
//! follows whatever is bright or edged: glare that spills over the card's edge onto the
//! table, a shadow along one side, a finger. The quad's corners are then off by a tenth of
//! the card, and every line box after them. The card's own edge is still there along most
//! of each side, and it is the one long straight step in brightness near the side. So each
//! side is searched again, in the full image, for the straight line along which the image
//! steps most consistently from the card to its surroundings; the new corners are where
//! the new sides meet.

use image::GrayImage;

use super::{locate::intersect, reading::Point};

/// How far a side may move, as a fraction of the card's shorter side: glare that spills
/// onto the table bends an outline's corner by up to about this much (dev hard photos;
/// 0.12 left two of them a third of the way back).
const REACH: f32 = 0.2;
/// Places sampled along each side. The ends (a rounded corner, the next side's shadow) are
/// left out.
const SAMPLES: usize = 32;
const SAMPLED_SPAN: (f32, f32) = (0.06, 0.94);
/// The smallest mean step (gray levels across four pixels) a line must show to be taken
/// for the card's edge: a card on a page of nearly its colour shows none, and its side is
/// kept as found.
const MIN_EDGE_STEP: f32 = 8.0;
/// Larger steps at one place count no more than this times the card's rim contrast: the
/// black and white of a barcode or a row of print along part of a side must not outweigh
/// the card's own edge, which steps by about the rim contrast all along.
const STEP_CAP_FACTOR: f32 = 1.5;

/// How far (pixels) a side may move without having to beat its place as found.
const NEAR: f32 = 3.0;
/// How much more a line farther than [`NEAR`] must step than the best line near the side
/// as found.
const FAR_MARGIN: f32 = 1.3;

/// The smallest difference in brightness between the card's rim and its surroundings
/// (median over the outline, gray levels) for the sides to be searched: a card on a
/// scanner's lid or a page of nearly its colour has an edge too faint to tell from its
/// own print, and its outline there comes from other cues (dev scans and sheets).
const MIN_RIM_CONTRAST: f32 = 20.0;

/// The quad with each side moved to the strongest straight edge within reach, or as given
/// when a side finds none or the result is no longer a plausible card.
pub fn snap_to_edges(gray: &GrayImage, corners: [Point; 4]) -> [Point; 4] {
    let centre = Point {
        x: corners.iter().map(|p| p.x).sum::<f32>() / 4.0,
        y: corners.iter().map(|p| p.y).sum::<f32>() / 4.0,
    };
    let short = (0..4)
        .map(|k| distance(corners[k], corners[(k + 1) % 4]))
        .fold(f32::MAX, f32::min);
    let reach = (REACH * short).max(3.0).round();
    let Some(profiles) = (0..4)
        .map(|k| SideProfiles::sample(gray, corners[k], corners[(k + 1) % 4], centre, reach))
        .collect::<Option<Vec<_>>>()
    else {
        return corners;
    };
    // One polarity for the whole card: the rim is brighter (or darker) than what lies
    // beyond it all round, which tells the card's edge from the photo box's or the
    // barcode's, whose steps run the other way.
    let mut rims: Vec<f32> = profiles
        .iter()
        .flat_map(SideProfiles::rim_contrasts)
        .collect();
    rims.sort_by(f32::total_cmp);
    let rim = rims[rims.len() / 2];
    if rim.abs() < MIN_RIM_CONTRAST {
        return corners;
    }
    let sides: Vec<(Point, Point)> = profiles
        .iter()
        .map(|side| side.best_line(rim).unwrap_or((side.a, side.b)))
        .collect();
    let mut snapped = corners;
    for k in 0..4 {
        match intersect(sides[(k + 3) % 4], sides[k]) {
            Some(p) => snapped[k] = p,
            None => return corners,
        }
    }
    if plausible(&corners, &snapped, reach) {
        snapped
    } else {
        corners
    }
}

/// Brightness across one side: at each sampled place along it, the gray values at whole
/// pixel offsets along its outward normal, from `-reach - GAP` to `reach + GAP`.
struct SideProfiles {
    a: Point,
    b: Point,
    normal: Point,
    reach: f32,
    places: Vec<f32>,
    values: Vec<Vec<f32>>,
}

/// How far either side of an offset its step looks, in pixels: a blurred edge spreads
/// over a few.
const GAP: usize = 2;

impl SideProfiles {
    fn sample(gray: &GrayImage, a: Point, b: Point, centre: Point, reach: f32) -> Option<Self> {
        let length = distance(a, b);
        if length < 8.0 {
            return None;
        }
        let along = Point {
            x: (b.x - a.x) / length,
            y: (b.y - a.y) / length,
        };
        let mut normal = Point {
            x: -along.y,
            y: along.x,
        };
        let middle = Point {
            x: (a.x + b.x) / 2.0,
            y: (a.y + b.y) / 2.0,
        };
        if (middle.x - centre.x) * normal.x + (middle.y - centre.y) * normal.y < 0.0 {
            normal = Point {
                x: -normal.x,
                y: -normal.y,
            };
        }
        let places: Vec<f32> = (0..SAMPLES)
            .map(|i| {
                SAMPLED_SPAN.0 + (SAMPLED_SPAN.1 - SAMPLED_SPAN.0) * i as f32 / (SAMPLES - 1) as f32
            })
            .collect();
        let span = reach as usize + GAP;
        let values = places
            .iter()
            .map(|&t| {
                let base = Point {
                    x: a.x + (b.x - a.x) * t,
                    y: a.y + (b.y - a.y) * t,
                };
                (0..=2 * span)
                    .map(|i| {
                        let offset = i as f32 - span as f32;
                        // Two taps along the side smooth out noise and JPEG blocks.
                        [-1.0f32, 1.0]
                            .iter()
                            .map(|&s| {
                                sample(
                                    gray,
                                    base.x + normal.x * offset + along.x * s,
                                    base.y + normal.y * offset + along.y * s,
                                )
                            })
                            .sum::<f32>()
                            / 2.0
                    })
                    .collect()
            })
            .collect();
        Some(Self {
            a,
            b,
            normal,
            reach,
            places,
            values,
        })
    }

    /// Per place, the mean brightness just inside the side minus just outside it.
    fn rim_contrasts(&self) -> impl Iterator<Item = f32> + '_ {
        let span = self.reach as usize + GAP;
        let band = (self.reach as usize / 2).max(2);
        self.values.iter().map(move |v| {
            let inside = v[span - band..span - 1].iter().sum::<f32>() / (band - 1) as f32;
            let outside = v[span + 2..span + band + 1].iter().sum::<f32>() / (band - 1) as f32;
            inside - outside
        })
    }

    /// The side moved to the line, within reach of the old one at both ends, along which
    /// the image steps most (capped, see [`STEP_CAP_FACTOR`]) the way the card's `rim` does;
    /// `None` when no line steps by [`MIN_EDGE_STEP`] on average.
    fn best_line(&self, rim: f32) -> Option<(Point, Point)> {
        let polarity = rim.signum();
        let offsets = 2 * self.reach as usize + 1;
        // steps[place][i]: the step at offset i - reach, inside minus outside, polarised.
        let mut steps: Vec<Vec<f32>> = self
            .values
            .iter()
            .map(|v| {
                (0..offsets)
                    .map(|i| {
                        // Centred on offset i - reach (index i + GAP): the nearer pair
                        // weighs double, so a sharp edge peaks where it is, not anywhere
                        // within the gap.
                        let c = i + GAP;
                        polarity * (2.0 * (v[c - 1] - v[c + 1]) + v[c - GAP] - v[c + GAP]) / 3.0
                    })
                    .collect()
            })
            .collect();
        let cap = STEP_CAP_FACTOR * rim.abs();
        for s in &mut steps {
            for v in s.iter_mut() {
                *v = v.min(cap);
            }
        }
        let reach = self.reach;
        let score = |steps: &[Vec<f32>], start: f32, end: f32| -> f32 {
            self.places
                .iter()
                .zip(steps)
                .map(|(&t, s)| interpolate(s, start + (end - start) * t + reach).unwrap_or(0.0))
                .sum::<f32>()
                / self.places.len() as f32
        };
        // Coarse over the whole reach, then finer around the best. A step's ridge is only a
        // few pixels wide, narrower than the coarse grid: the coarse pass scores each line
        // by the strongest step within half a grid step of it.
        let coarse = (reach / 10.0).max(1.0).round();
        let spread: Vec<Vec<f32>> = steps
            .iter()
            .map(|s| running_max(s, coarse as usize / 2))
            .collect();
        let (s0, e0, _) = grid_search(|a, b| score(&spread, a, b), (0.0, 0.0), reach, coarse);
        let (s1, e1, _) = grid_search(|a, b| score(&steps, a, b), (s0, e0), coarse, 1.0);
        let far = grid_search(|a, b| score(&steps, a, b), (s1, e1), 1.0, 0.25);
        // The outline is usually right to a few pixels: a line far from it must step
        // clearly more than the best line near it, or a straight run of print along
        // most of the side could take the card's edge's place.
        let near = grid_search(|a, b| score(&steps, a, b), (0.0, 0.0), NEAR, 0.5);
        let (start, end, score) = if far.2 > FAR_MARGIN * near.2 {
            far
        } else {
            near
        };
        if score < MIN_EDGE_STEP {
            return None;
        }
        let moved = |p: Point, offset: f32| Point {
            x: p.x + self.normal.x * offset,
            y: p.y + self.normal.y * offset,
        };
        Some((moved(self.a, start), moved(self.b, end)))
    }
}

/// The best of the lines whose end offsets lie on a grid of `step` within `half` of
/// `around`: (start, end, score).
fn grid_search(
    score: impl Fn(f32, f32) -> f32,
    around: (f32, f32),
    half: f32,
    step: f32,
) -> (f32, f32, f32) {
    let n = (half / step).round() as i32;
    let mut best = (around.0, around.1, f32::MIN);
    for i in -n..=n {
        for j in -n..=n {
            let (start, end) = (around.0 + i as f32 * step, around.1 + j as f32 * step);
            let s = score(start, end);
            if s > best.2 {
                best = (start, end, s);
            }
        }
    }
    best
}

/// Each value replaced by the largest within `half` places of it.
fn running_max(values: &[f32], half: usize) -> Vec<f32> {
    (0..values.len())
        .map(|i| {
            values[i.saturating_sub(half)..(i + half + 1).min(values.len())]
                .iter()
                .copied()
                .fold(f32::MIN, f32::max)
        })
        .collect()
}

/// The profile `values` at a fractional index; `None` outside it.
fn interpolate(values: &[f32], at: f32) -> Option<f32> {
    if at < 0.0 || at > (values.len() - 1) as f32 {
        return None;
    }
    let i = at.floor() as usize;
    let f = at - i as f32;
    let next = values.get(i + 1).copied().unwrap_or(values[i]);
    Some(values[i] * (1.0 - f) + next * f)
}

/// Bilinear gray value at `(x, y)`, the nearest edge pixel's outside the image.
fn sample(gray: &GrayImage, x: f32, y: f32) -> f32 {
    let (w, h) = gray.dimensions();
    let x = x.clamp(0.0, (w - 1) as f32);
    let y = y.clamp(0.0, (h - 1) as f32);
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let p = |x, y| f32::from(gray.get_pixel(x, y).0[0]);
    let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
    let bottom = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
    top * (1.0 - fy) + bottom * fy
}

/// Whether the snapped quad is still the card: each corner moved no more than two reaches
/// (a side moves at most one at each end; where two sides meet at a slant their crossing
/// moves more, and a crossing far away means the sides were not the card's), and the
/// corners keep their order.
fn plausible(before: &[Point; 4], after: &[Point; 4], reach: f32) -> bool {
    let near = before
        .iter()
        .zip(after)
        .all(|(p, q)| distance(*p, *q) <= 2.0 * reach);
    let convex_same_way = (0..4).all(|k| {
        let (p, q, r) = (after[k], after[(k + 1) % 4], after[(k + 2) % 4]);
        let (o, s, t) = (before[k], before[(k + 1) % 4], before[(k + 2) % 4]);
        let cross =
            |p: Point, q: Point, r: Point| (q.x - p.x) * (r.y - q.y) - (q.y - p.y) * (r.x - q.x);
        cross(p, q, r).signum() == cross(o, s, t).signum()
    });
    near && convex_same_way
}

fn distance(a: Point, b: Point) -> f32 {
    (a.x - b.x).hypot(a.y - b.y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    const CARD: [(f32, f32); 4] = [
        (300.0, 200.0),
        (934.0, 230.0),
        (920.0, 630.0),
        (286.0, 600.0),
    ];

    /// Whether (x, y) lies inside the convex polygon `corners` (clockwise on screen).
    fn inside(corners: &[(f32, f32); 4], x: f32, y: f32) -> bool {
        (0..4).all(|k| {
            let (a, b) = (corners[k], corners[(k + 1) % 4]);
            (b.0 - a.0) * (y - a.1) - (b.1 - a.1) * (x - a.0) >= 0.0
        })
    }

    /// A slightly turned light card on a darker table, with a dark barcode band near one
    /// long side, and `table` and `card` as the two grays.
    fn scene(table: u8, card: u8) -> GrayImage {
        GrayImage::from_fn(1280, 960, |x, y| {
            let (x, y) = (x as f32 + 0.5, y as f32 + 0.5);
            if !inside(&CARD, x, y) {
                return Luma([table]);
            }
            // Bars 6 px wide, dark or light at random, in a band across the lower part.
            let in_band = y > 540.0 + (x - 300.0) * 0.047 && y < 580.0 + (x - 300.0) * 0.047;
            let stripe = (x as u32 / 6).wrapping_mul(2_654_435_761);
            let bar = in_band && (stripe >> 16).is_multiple_of(2);
            Luma([if bar { 20 } else { card }])
        })
    }

    fn points(corners: [(f32, f32); 4]) -> [Point; 4] {
        corners.map(|(x, y)| Point { x, y })
    }

    fn assert_near(found: [Point; 4], truth: [(f32, f32); 4], tolerance: f32) {
        for (p, t) in found.iter().zip(truth) {
            assert!(
                (p.x - t.0).abs() <= tolerance && (p.y - t.1).abs() <= tolerance,
                "{found:?} vs {truth:?}"
            );
        }
    }

    #[test]
    fn a_side_pushed_out_by_glare_comes_back_to_the_edge() {
        let image = scene(90, 225);
        // The outline's bottom side sits a tenth of the card below the card at one end,
        // as when glare spills over the edge onto the table.
        let off = [
            CARD[0],
            CARD[1],
            (CARD[2].0, CARD[2].1 + 40.0),
            (CARD[3].0, CARD[3].1 + 10.0),
        ];
        assert_near(snap_to_edges(&image, points(off)), CARD, 2.0);
    }

    #[test]
    fn every_side_moves_inward_or_outward_onto_the_edge() {
        let image = scene(90, 225);
        let off = [
            (290.0, 192.0),
            (944.0, 238.0),
            (915.0, 618.0),
            (292.0, 610.0),
        ];
        assert_near(snap_to_edges(&image, points(off)), CARD, 2.0);
    }

    #[test]
    fn a_card_darker_than_a_white_desk_is_snapped_too() {
        let image = scene(245, 170);
        let off = [CARD[0], CARD[1], (CARD[2].0, CARD[2].1 - 30.0), CARD[3]];
        assert_near(snap_to_edges(&image, points(off)), CARD, 2.0);
    }

    #[test]
    fn a_card_of_the_surfaces_own_gray_is_left_as_found() {
        // The barcode's steps are the only ones: no rim, no move.
        let image = scene(222, 225);
        let off = [CARD[0], CARD[1], (CARD[2].0, CARD[2].1 + 20.0), CARD[3]];
        assert_eq!(snap_to_edges(&image, points(off)), points(off));
    }

    #[test]
    fn a_barcode_inside_the_card_does_not_pull_its_side() {
        // The bottom side is right; the barcode's bars 20 to 60 px above it step harder.
        let image = scene(150, 200);
        assert_near(snap_to_edges(&image, points(CARD)), CARD, 2.0);
    }
}
