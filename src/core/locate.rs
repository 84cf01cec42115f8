//! Stage 2: find each card in the image as four corners, and warp it to the canonical
//! upright size.
//!
//! A card is a convex, nearly rectangular outline of ID-1 aspect. We look for it twice,
//! with two cues that fail in different places: the outline of strong edges (works on a
//! card lying on a similar-coloured surface, if its border shows), and the largest bright
//! region (works when a textured table breaks the edge outline). Candidates are judged
//! the same way: area, aspect and how well they fill their bounding rectangle. A tight
//! scan where no outline is found is itself the card.

use image::{imageops, GrayImage, Luma};
use imageproc::{
    contours::{find_contours, BorderType},
    distance_transform::Norm,
    geometric_transformations::{warp_into, Border, Interpolation, Projection},
    geometry::{approximate_polygon_dp, contour_area, convex_hull, min_area_rect},
    point::Point as IPoint,
};

use super::reading::Point;

/// Working size of the search: the longer side, in pixels. Enough to see a card that
/// covers a quarter of the frame; small enough to stay fast.
const SEARCH_SIDE: u32 = 640;
/// Smallest card, as a fraction of the image area.
const MIN_AREA_FRACTION: f64 = 0.06;
/// ID-1 is 1.586; perspective and the rounded corners widen the accepted range.
const ASPECT_RANGE: (f64, f64) = (1.25, 2.05);
/// How fully the outline fills its minimum-area rectangle.
const MIN_RECTANGULARITY: f64 = 0.82;

/// A card's corners in image pixels: TL, TR, BR, BL, with TL->TR along a long side.
/// Whether the card is upside down is decided later, from its content.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quad {
    /// The corners.
    pub corners: [Point; 4],
    /// Whether an outline was found (false: the whole image was taken as the card).
    pub found: bool,
}

impl Quad {
    /// The whole image as the card, for tight scans and as the last resort.
    pub fn whole(width: u32, height: u32) -> Self {
        let (w, h) = (width as f32, height as f32);
        let p = |x, y| Point { x, y };
        let corners = if width >= height {
            [p(0.0, 0.0), p(w, 0.0), p(w, h), p(0.0, h)]
        } else {
            // Portrait: the long side is vertical; TL->TR runs down the right edge.
            [p(w, 0.0), p(w, h), p(0.0, h), p(0.0, 0.0)]
        };
        Self {
            corners,
            found: false,
        }
    }

    /// The same card turned half a turn: corners renamed.
    pub fn rotated_half(&self) -> Self {
        let c = self.corners;
        Self {
            corners: [c[2], c[3], c[0], c[1]],
            found: self.found,
        }
    }

    /// The quad grown outward by `along` of its long side and `across` of its short side.
    fn grown(&self, along: f32, across: f32) -> Self {
        let [tl, tr, br, bl] = self.corners;
        let mix = |a: Point, b: Point, t: f32| Point {
            x: a.x + (b.x - a.x) * t,
            y: a.y + (b.y - a.y) * t,
        };
        // Push each corner away from the opposite ones along both of its edges.
        let grow = |corner: Point, along_to: Point, across_to: Point| {
            let a = mix(corner, along_to, -along);
            Point {
                x: a.x + (corner.x - across_to.x) * across,
                y: a.y + (corner.y - across_to.y) * across,
            }
        };
        Self {
            corners: [
                grow(tl, tr, bl),
                grow(tr, tl, br),
                grow(br, bl, tr),
                grow(bl, br, tl),
            ],
            found: self.found,
        }
    }

    fn area(&self) -> f64 {
        let pts: Vec<IPoint<f64>> = self
            .corners
            .iter()
            .map(|p| IPoint::new(p.x as f64, p.y as f64))
            .collect();
        contour_area(&pts)
    }

    fn contains(&self, p: Point) -> bool {
        // Convex and ordered: inside when on the same side of every edge.
        let mut sign = 0.0f32;
        for i in 0..4 {
            let (a, b) = (self.corners[i], self.corners[(i + 1) % 4]);
            let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
            if cross.abs() < f32::EPSILON {
                continue;
            }
            if sign == 0.0 {
                sign = cross.signum();
            } else if cross.signum() != sign {
                return false;
            }
        }
        true
    }

    fn center(&self) -> Point {
        let (sx, sy) = self
            .corners
            .iter()
            .fold((0.0, 0.0), |(x, y), p| (x + p.x, y + p.y));
        Point {
            x: sx / 4.0,
            y: sy / 4.0,
        }
    }
}

/// Finds the cards in a grayscale image, largest first, at most `max_cards`. Never empty:
/// with no outline found, the whole image is the card.
pub fn locate(gray: &GrayImage, max_cards: usize) -> Vec<Quad> {
    let (width, height) = gray.dimensions();
    let scale = (SEARCH_SIDE as f32 / width.max(height) as f32).min(1.0);
    let small = if scale < 1.0 {
        imageops::resize(
            gray,
            ((width as f32 * scale).round() as u32).max(1),
            ((height as f32 * scale).round() as u32).max(1),
            imageops::FilterType::Triangle,
        )
    } else {
        gray.clone()
    };
    let mut candidates = candidates(&small);
    candidates.sort_by(|a, b| b.quality.total_cmp(&a.quality));
    let mut chosen: Vec<Quad> = Vec::new();
    for Candidate { quad, .. } in candidates {
        if chosen.len() >= max_cards {
            break;
        }
        if chosen
            .iter()
            .any(|c| c.contains(quad.center()) || quad.contains(c.center()))
        {
            continue;
        }
        // A second card must be comparable in size to the first (two sides on one page);
        // smaller outlines are the card's own photo box or barcode.
        if let Some(first) = chosen.first() {
            if quad.area() < 0.5 * first.area() {
                continue;
            }
        }
        chosen.push(quad);
    }
    let inv = 1.0 / scale;
    let mut quads: Vec<Quad> = chosen
        .into_iter()
        .map(|q| Quad {
            corners: q.corners.map(|p| Point {
                x: p.x * inv,
                y: p.y * inv,
            }),
            found: true,
        })
        .collect();
    if quads.is_empty() {
        quads.push(Quad::whole(width, height));
    }
    // Reading order: top to bottom, then left to right.
    quads.sort_by(|a, b| {
        let (ca, cb) = (a.center(), b.center());
        (ca.y / 50.0)
            .floor()
            .total_cmp(&(cb.y / 50.0).floor())
            .then(ca.x.total_cmp(&cb.x))
    });
    quads
}

/// Strong edges, thickened so that a card's border closes into one outline.
fn edge_mask(small: &GrayImage) -> GrayImage {
    edge_mask_with(small, 20.0, 50.0)
}

/// Edges down to a weaker gradient, for a card barely lighter than its surface.
fn faint_edge_mask(small: &GrayImage) -> GrayImage {
    edge_mask_with(small, 8.0, 24.0)
}

fn edge_mask_with(small: &GrayImage, low: f32, high: f32) -> GrayImage {
    let edges = imageproc::edges::canny(small, low, high);
    imageproc::morphology::dilate(&edges, Norm::LInf, 2)
}

/// The bright regions: a card is usually lighter than the surface it lies on.
fn bright_mask(small: &GrayImage) -> GrayImage {
    let blurred = imageproc::filter::gaussian_blur_f32(small, 2.0);
    let level = imageproc::contrast::otsu_level(&blurred);
    let mask =
        imageproc::contrast::threshold(&blurred, level, imageproc::contrast::ThresholdType::Binary);
    // Close the card's own dark print (text, photo, barcode) into the bright body.
    imageproc::morphology::close(&mask, Norm::LInf, 6)
}

/// The standard deviation of the frame's outer band, in gray levels.
fn border_spread(small: &GrayImage) -> f64 {
    let (w, h) = small.dimensions();
    let band = (w.min(h) / 50).max(2);
    let values: Vec<f64> = small
        .enumerate_pixels()
        .filter(|(x, y, _)| *x < band || *y < band || *x >= w - band || *y >= h - band)
        .map(|(_, _, p)| f64::from(p[0]))
        .collect();
    let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len().max(1) as f64).sqrt()
}

/// What differs from the frame's border colour: on a scan, the card against the scanner's
/// lid, however faint the card's own edge.
fn unlike_border_mask(small: &GrayImage) -> GrayImage {
    let blurred = imageproc::filter::gaussian_blur_f32(small, 1.5);
    let (w, h) = blurred.dimensions();
    let band = (w.min(h) / 50).max(2);
    let mut border: Vec<u8> = blurred
        .enumerate_pixels()
        .filter(|(x, y, _)| *x < band || *y < band || *x >= w - band || *y >= h - band)
        .map(|(_, _, p)| p[0])
        .collect();
    border.sort_unstable();
    let reference = i16::from(border[border.len() / 2]);
    let mask = GrayImage::from_fn(w, h, |x, y| {
        let differs = (i16::from(blurred.get_pixel(x, y)[0]) - reference).abs() > 10;
        Luma([if differs { 255 } else { 0 }])
    });
    imageproc::morphology::close(&mask, Norm::LInf, 6)
}

/// A possible card outline in the search image.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Which cue found it.
    pub cue: &'static str,
    /// Its corners.
    pub quad: Quad,
    /// Area over the image's area.
    pub area_fraction: f64,
    /// Long side over short side of its minimum-area rectangle.
    pub aspect: f64,
    /// Its area over its minimum-area rectangle's area.
    pub rectangularity: f64,
    /// How card-like: the ranking key.
    pub quality: f64,
}

/// Every outline any cue finds in the (small) search image.
pub fn candidates(small: &GrayImage) -> Vec<Candidate> {
    let mut found = Vec::new();
    // Outlines of what merely differs from the border are not asked for here: on a
    // scan they are the card's own photo or print block, which looks card-shaped.
    for (cue, mask) in [("edges", edge_mask(small)), ("bright", bright_mask(small))] {
        found.extend(quads_in_mask(&mask, cue));
    }
    // Weaker cues only when the strong ones find nothing: they also see the print and the
    // surface's texture. The content extent last: on a photo's table it is everything.
    if found.is_empty() {
        found.extend(content_extent(small));
    }
    if found.is_empty() {
        found.extend(quads_in_mask(&faint_edge_mask(small), "faint-edges"));
    }
    found
}

/// On a scan whose card is nearly the lid's colour, no single outline closes: take the
/// extent of everything unlike the border at once (specks removed) as the card.
fn content_extent(small: &GrayImage) -> Option<Candidate> {
    // Only a scan's lid is uniform; on a photo's textured surface "content" is everything.
    if border_spread(small) > 8.0 {
        return None;
    }
    let mask = imageproc::morphology::open(&unlike_border_mask(small), Norm::LInf, 2);
    let points: Vec<IPoint<i32>> = mask
        .enumerate_pixels()
        .filter(|(_, _, p)| p[0] > 0)
        .map(|(x, y, _)| IPoint::new(x as i32, y as i32))
        .collect();
    if points.len() < 100 {
        return None;
    }
    let hull = convex_hull(points);
    let mut candidate = judge(&hull, small.dimensions(), "content-extent", true)?;
    // The print stops short of the card's edges (the text margin is at 0.94 of the width,
    // the header at 0.04 of the height): grow the extent back to the card, or the first
    // letters of right-aligned lines sit on the warped card's very edge.
    candidate.quad = candidate.quad.grown(0.04, 0.03);
    Some(candidate)
}

fn quads_in_mask(mask: &GrayImage, cue: &'static str) -> Vec<Candidate> {
    find_contours::<i32>(mask)
        .into_iter()
        .filter(|c| c.border_type == BorderType::Outer && c.points.len() >= 16)
        .filter_map(|c| judge(&convex_hull(c.points), mask.dimensions(), cue, false))
        .collect()
}

/// Judges a convex outline as a card: size, aspect, straightness. `rectangle` takes the
/// minimum-area rectangle's corners instead of the outline's own.
fn judge(
    hull: &[IPoint<i32>],
    size: (u32, u32),
    cue: &'static str,
    rectangle: bool,
) -> Option<Candidate> {
    let image_area = f64::from(size.0) * f64::from(size.1);
    let area = contour_area(hull);
    if area < MIN_AREA_FRACTION * image_area || area > 0.995 * image_area {
        return None;
    }
    let rect = min_area_rect(hull);
    let side =
        |a: IPoint<i32>, b: IPoint<i32>| f64::from((a.x - b.x).pow(2) + (a.y - b.y).pow(2)).sqrt();
    let (s1, s2) = (side(rect[0], rect[1]), side(rect[1], rect[2]));
    let (long, short) = (s1.max(s2), s1.min(s2));
    if short < 1.0 {
        return None;
    }
    let aspect = long / short;
    let rectangularity = area / (long * short);
    if !(ASPECT_RANGE.0..=ASPECT_RANGE.1).contains(&aspect) || rectangularity < MIN_RECTANGULARITY {
        return None;
    }
    // Straight sides matter more than size: a card plus its shadow or a patch of table is
    // larger but less rectangular; ID-1's aspect is 1.586.
    let aspect_fit = 1.0 - ((aspect - 1.586).abs() / 0.5).min(1.0) * 0.5;
    let quality = rectangularity.powi(12)
        * aspect_fit
        * (area / image_area).powf(0.25)
        * frame_penalty(&rect, size);
    let corners = if rectangle {
        rect.map(|p| Point {
            x: p.x as f32,
            y: p.y as f32,
        })
    } else {
        four_corners(hull, &rect)
    };
    Some(Candidate {
        cue,
        quad: Quad {
            corners: order_corners(corners),
            found: true,
        },
        area_fraction: area / image_area,
        aspect,
        rectangularity,
        quality,
    })
}

/// A region bounded by the image's own edges on two sides or more is usually the surface
/// around the card, not the card: it ranks below outlines that close inside the frame.
fn frame_penalty(rect: &[IPoint<i32>; 4], (width, height): (u32, u32)) -> f64 {
    let (w, h) = (width as i32 - 2, height as i32 - 2);
    let sides = [
        rect.iter().any(|p| p.x <= 1),
        rect.iter().any(|p| p.y <= 1),
        rect.iter().any(|p| p.x >= w),
        rect.iter().any(|p| p.y >= h),
    ];
    if sides.iter().filter(|touching| **touching).count() >= 2 {
        0.5
    } else {
        1.0
    }
}

/// Four corners of a convex outline: the polygon simplification that leaves four
/// vertices, each then moved to where the straight parts of its two sides meet; the
/// minimum-area rectangle when no simplification leaves four.
///
/// Intersecting the sides, rather than keeping the simplification's vertices, finds the
/// corner a rounded card corner only implies, and the corner that glare or a finger hides.
fn four_corners(hull: &[IPoint<i32>], rect: &[IPoint<i32>; 4]) -> [Point; 4] {
    let perimeter = imageproc::geometry::arc_length(hull, true);
    for step in 1..=12 {
        let epsilon = perimeter * 0.01 * f64::from(step);
        let poly = approximate_polygon_dp(hull, epsilon, true);
        if poly.len() == 4 {
            let rough = [0, 1, 2, 3].map(|i| Point {
                x: poly[i].x as f32,
                y: poly[i].y as f32,
            });
            let refined = refine_by_sides(hull, &poly, rough, perimeter as f32);
            // A quad that does not cover the outline (a vertex sat on a notch of one side
            // instead of a corner) is no answer: fall back to the rectangle.
            let hull_area = contour_area(hull);
            let covers = |q: &[Point; 4]| {
                let area = quad_area(q);
                area >= 0.93 * hull_area && area <= 1.15 * hull_area
            };
            if covers(&refined) {
                return refined;
            }
            if covers(&rough) {
                return rough;
            }
            break;
        }
        if poly.len() < 4 {
            break;
        }
    }
    rect.map(|p| Point {
        x: p.x as f32,
        y: p.y as f32,
    })
}

fn quad_area(q: &[Point; 4]) -> f64 {
    let pts: Vec<IPoint<f64>> = q
        .iter()
        .map(|p| IPoint::new(f64::from(p.x), f64::from(p.y)))
        .collect();
    contour_area(&pts)
}

/// Moves each rough corner to the intersection of the longest hull edges on its two sides.
fn refine_by_sides(
    hull: &[IPoint<i32>],
    poly: &[IPoint<i32>],
    rough: [Point; 4],
    perimeter: f32,
) -> [Point; 4] {
    let Some(indices) = poly
        .iter()
        .map(|p| hull.iter().position(|h| h == p))
        .collect::<Option<Vec<usize>>>()
    else {
        return rough;
    };
    let n = hull.len();
    // The longest hull edge between consecutive corners: that side's straight part.
    let side_line = |from: usize, to: usize| -> Option<(Point, Point)> {
        let mut best: Option<(f32, Point, Point)> = None;
        let mut j = from;
        while j != to {
            let (a, b) = (hull[j], hull[(j + 1) % n]);
            let length = (((b.x - a.x).pow(2) + (b.y - a.y).pow(2)) as f32).sqrt();
            if best.is_none_or(|(l, _, _)| length > l) {
                best = Some((
                    length,
                    Point {
                        x: a.x as f32,
                        y: a.y as f32,
                    },
                    Point {
                        x: b.x as f32,
                        y: b.y as f32,
                    },
                ));
            }
            j = (j + 1) % n;
        }
        best.map(|(_, a, b)| (a, b))
    };
    let sides: Vec<Option<(Point, Point)>> = (0..4)
        .map(|k| side_line(indices[k], indices[(k + 1) % 4]))
        .collect();
    let mut corners = rough;
    for k in 0..4 {
        let (Some(before), Some(after)) = (sides[(k + 3) % 4], sides[k]) else {
            continue;
        };
        if let Some(p) = intersect(before, after) {
            let moved = ((p.x - rough[k].x).powi(2) + (p.y - rough[k].y).powi(2)).sqrt();
            // A far intersection means the sides were not the card's: keep the vertex.
            if moved < 0.08 * perimeter {
                corners[k] = p;
            }
        }
    }
    corners
}

/// Where the lines through two segments cross; `None` when nearly parallel.
fn intersect((a, b): (Point, Point), (c, d): (Point, Point)) -> Option<Point> {
    let (r, s) = ((b.x - a.x, b.y - a.y), (d.x - c.x, d.y - c.y));
    let denominator = r.0 * s.1 - r.1 * s.0;
    if denominator.abs() < 1e-3 * (r.0.hypot(r.1) * s.0.hypot(s.1)).max(1.0) {
        return None;
    }
    let t = ((c.x - a.x) * s.1 - (c.y - a.y) * s.0) / denominator;
    Some(Point {
        x: a.x + t * r.0,
        y: a.y + t * r.1,
    })
}

/// Orders corners clockwise (on screen) starting so that the first edge is a long side,
/// and of the two long sides the upper (or, for an upright long side, the right) one.
fn order_corners(corners: [Point; 4]) -> [Point; 4] {
    let cx = corners.iter().map(|p| p.x).sum::<f32>() / 4.0;
    let cy = corners.iter().map(|p| p.y).sum::<f32>() / 4.0;
    let mut sorted = corners;
    sorted.sort_by(|a, b| {
        (a.y - cy)
            .atan2(a.x - cx)
            .total_cmp(&(b.y - cy).atan2(b.x - cx))
    });
    let len = |a: Point, b: Point| ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
    let start = if len(sorted[0], sorted[1]) + len(sorted[2], sorted[3])
        >= len(sorted[1], sorted[2]) + len(sorted[3], sorted[0])
    {
        0
    } else {
        1
    };
    let a = [0, 1, 2, 3].map(|i| sorted[(start + i) % 4]);
    let b = [0, 1, 2, 3].map(|i| sorted[(start + 2 + i) % 4]);
    let top = |q: &[Point; 4]| (q[0].y + q[1].y) / 2.0;
    let right = |q: &[Point; 4]| (q[0].x + q[1].x) / 2.0;
    let a_first = if (top(&a) - top(&b)).abs() > 1.0 {
        top(&a) < top(&b)
    } else {
        right(&a) > right(&b)
    };
    if a_first {
        a
    } else {
        b
    }
}

/// Warps the quad to a `width` x `height` upright card.
pub fn warp_card(gray: &GrayImage, quad: &Quad, width: u32, height: u32) -> GrayImage {
    let from = quad.corners.map(|p| (p.x, p.y));
    let (w, h) = (width as f32, height as f32);
    let to = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
    let mut out = GrayImage::from_pixel(width, height, Luma([255]));
    match Projection::from_control_points(from, to) {
        Some(projection) => warp_into(
            gray,
            projection,
            Interpolation::Bilinear,
            Border::Constant(Luma([255])),
            &mut out,
        ),
        None => out = imageops::resize(gray, width, height, imageops::FilterType::Triangle),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A light card with dark print on a mid-gray table.
    fn scene(width: u32, height: u32, card: (u32, u32, u32, u32)) -> GrayImage {
        let (x0, y0, cw, ch) = card;
        GrayImage::from_fn(width, height, |x, y| {
            let inside = x >= x0 && x < x0 + cw && y >= y0 && y < y0 + ch;
            let print = inside && (y - y0) % 40 < 8 && (x - x0) > cw / 3 && (x - x0) < cw - 20;
            Luma([if print {
                30
            } else if inside {
                235
            } else {
                110
            }])
        })
    }

    #[test]
    fn finds_a_card_on_a_table() {
        let image = scene(1280, 960, (300, 250, 634, 400));
        let quads = locate(&image, 2);
        assert_eq!(quads.len(), 1);
        assert!(quads[0].found);
        let expected = [
            (300.0, 250.0),
            (934.0, 250.0),
            (934.0, 650.0),
            (300.0, 650.0),
        ];
        for (corner, (ex, ey)) in quads[0].corners.iter().zip(expected) {
            assert!(
                (corner.x - ex).abs() < 8.0 && (corner.y - ey).abs() < 8.0,
                "{:?}",
                quads[0].corners
            );
        }
    }

    #[test]
    fn a_blank_frame_is_the_card_itself() {
        let image = GrayImage::from_pixel(800, 500, Luma([200]));
        let quads = locate(&image, 2);
        assert_eq!(quads.len(), 1);
        assert!(!quads[0].found);
    }
}
