//! Stage 2: find each card in the image as four corners, and warp it to the canonical
//! upright size.
//!
//! A card is a convex, nearly rectangular outline of ID-1 aspect. We look for it twice,
//! with two cues that fail in different places: the outline of strong edges (works on a
//! card lying on a similar-coloured surface, if its border shows), and the largest bright
//! region (works when a textured table breaks the edge outline). Candidates are judged
//! the same way: area, aspect and how well they fill their bounding rectangle. A tight
//! scan where no outline is found is itself the card. When the reader rejects everything
//! located, [`second_chances`] offers what the weaker cues find (the content's extent,
//! the hue, faint edges), then the whole image. An outline of the card's body is traced
//! on a small copy and bent by glare or shadow; [`super::snap`] then moves its sides onto
//! the card's edge in the full image.

use image::{imageops, GrayImage, Luma, RgbImage};
use imageproc::{
    contours::{find_contours, BorderType},
    distance_transform::Norm,
    geometric_transformations::Projection,
    geometry::{approximate_polygon_dp, contour_area, convex_hull, min_area_rect},
    point::Point as IPoint,
};

use super::{reading::Point, snap, warp};

/// Working size of the search: the longer side, in pixels. Enough to see a card that
/// covers a quarter of the frame; small enough to stay fast.
const SEARCH_SIDE: u32 = 640;
/// Smallest card, as a fraction of the image area.
const MIN_AREA_FRACTION: f64 = 0.06;
/// Smallest card on a page of several, as a fraction of the image area: an ID-1 card
/// covers 7.4 % of an A4 page, half that of an A3 one.
const MIN_PAGE_CARD_FRACTION: f64 = 0.02;
/// How fully a page card's content fills its minimum-area rectangle: a card seen only by
/// its print has a ragged outline (the back's top row is short, its eagle lower).
const MIN_PAGE_CARD_RECTANGULARITY: f64 = 0.75;
/// The distances at which a page's content is grouped into cards, as fractions of the
/// search image's shorter side: 0 keeps apart cards whose bodies show, however close.
const PAGE_GROUPING: [f32; 7] = [0.0, 0.005, 0.01, 0.02, 0.03, 0.045, 0.06];
/// The cues that trace the card's body against what surrounds it (not its print).
const BODY_CUES: [&str; 2] = ["edges", "bright"];
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

    /// The largest distance between a corner and the `truth` corner (TL, TR, BR, BL, in
    /// image pixels) over the truth card's width, taking the quad either way round: which
    /// way up the card is is the next stage's. For scoring the stage against generated
    /// cards (`tests/stages.rs`, `examples/locate_eval`).
    pub fn corner_error(&self, truth: &[[f32; 2]]) -> f32 {
        let width =
            ((truth[1][0] - truth[0][0]).powi(2) + (truth[1][1] - truth[0][1]).powi(2)).sqrt();
        [*self, self.rotated_half()]
            .iter()
            .map(|quad| {
                quad.corners
                    .iter()
                    .zip(truth)
                    .map(|(p, t)| ((p.x - t[0]).powi(2) + (p.y - t[1]).powi(2)).sqrt())
                    .fold(0.0, f32::max)
            })
            .fold(f32::MAX, f32::min)
            / width
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

    /// The quad in an image `factor` times the size, as an outline found.
    fn scaled(&self, factor: f32) -> Self {
        Self {
            corners: self.corners.map(|p| Point {
                x: p.x * factor,
                y: p.y * factor,
            }),
            found: true,
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

/// The factor from image pixels to the search image's.
fn search_scale(width: u32, height: u32) -> f32 {
    (SEARCH_SIDE as f32 / width.max(height) as f32).min(1.0)
}

/// The image at the search size.
fn search_copy(gray: &GrayImage, scale: f32) -> GrayImage {
    let (width, height) = gray.dimensions();
    if scale < 1.0 {
        super::resample::triangle_resize(
            gray,
            ((width as f32 * scale).round() as u32).max(1),
            ((height as f32 * scale).round() as u32).max(1),
        )
    } else {
        gray.clone()
    }
}

/// Finds the cards in a grayscale image, largest first, at most `max_cards`. Never empty:
/// with no outline found, the whole image is the card.
pub fn locate(gray: &GrayImage, max_cards: usize) -> Vec<Quad> {
    let (width, height) = gray.dimensions();
    let scale = search_scale(width, height);
    let small = search_copy(gray, scale);
    let mut candidates = candidates(&small);
    candidates.sort_by(|a, b| b.quality.total_cmp(&a.quality));
    let mut chosen: Vec<(Quad, &'static str)> = Vec::new();
    for Candidate { quad, cue, .. } in candidates {
        if chosen.len() >= max_cards {
            break;
        }
        if chosen
            .iter()
            .any(|(c, _)| c.contains(quad.center()) || quad.contains(c.center()))
        {
            continue;
        }
        // A second card must be comparable in size to the first (two sides on one page);
        // smaller outlines are the card's own photo box or barcode.
        if let Some((first, _)) = chosen.first() {
            if quad.area() < 0.5 * first.area() {
                continue;
            }
        }
        chosen.push((quad, cue));
    }
    let mut quads: Vec<Quad> = chosen
        .into_iter()
        .map(|(quad, cue)| {
            let mut quad = quad.scaled(1.0 / scale);
            // An outline of the card's body, traced on the small copy, is moved onto the
            // body's edge in the full image; a print's extent has no edge to move onto.
            if BODY_CUES.contains(&cue) {
                quad.corners = snap::snap_to_edges(gray, quad.corners);
            }
            quad
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

/// Outlines to try when none that [`locate`] returned turned out to be a card: what the
/// weaker cues find, best first, then the whole image. A card nearly the colour of the
/// scanner's lid closes no outline of its own, and the strong cues then return its photo
/// box or barcode; a card whose gray matches the table's is told apart only by its hue.
/// The reader asks for these only after a rejection, so they cost nothing on the usual
/// path.
pub fn second_chances(image: &RgbImage, gray: &GrayImage, tried: &[Quad]) -> Vec<Quad> {
    let (width, height) = gray.dimensions();
    let scale = search_scale(width, height);
    let small = search_copy(gray, scale);
    let mut found: Vec<Candidate> = content_extent(&small, &unlike_border_raw(&small))
        .into_iter()
        .chain(colour_candidates(image, small.dimensions()))
        .chain(quads_in_mask(&faint_edge_mask(&small), "faint-edges"))
        .collect();
    found.sort_by(|a, b| b.quality.total_cmp(&a.quality));
    let mut quads: Vec<Quad> = Vec::new();
    for quad in found
        .into_iter()
        .map(|c| c.quad.scaled(1.0 / scale))
        .chain([Quad::whole(width, height)])
    {
        let new = |q: &Quad| !same_place(q, &quad);
        if tried.iter().all(new) && quads.iter().all(new) {
            quads.push(quad);
        }
    }
    quads
}

/// Whether two outlines are nearly the same (centres and areas within a few percent).
fn same_place(a: &Quad, b: &Quad) -> bool {
    let (ca, cb) = (a.center(), b.center());
    let span = a.area().max(b.area()).sqrt() as f32;
    ((ca.x - cb.x).powi(2) + (ca.y - cb.y).powi(2)).sqrt() < 0.05 * span
        && (a.area() / b.area().max(1.0) - 1.0).abs() < 0.1
}

/// Outlines of what differs in hue from the frame's border: a card printed on a tinted
/// background lying on a surface of the same brightness. Chromaticity (each channel over
/// their sum) does not change with the light's strength, so shading on the table does not
/// show; dark pixels, whose chromaticity is noise, count as the border's colour.
fn colour_candidates(image: &RgbImage, (width, height): (u32, u32)) -> Vec<Candidate> {
    let small = imageops::resize(image, width, height, imageops::FilterType::Triangle);
    let chroma = |p: &image::Rgb<u8>| {
        let sum = p.0.iter().map(|&v| f32::from(v)).sum::<f32>();
        (sum >= 120.0).then(|| p.0.map(|v| f32::from(v) / sum))
    };
    let mut border: [Vec<f32>; 3] = Default::default();
    for (x, y, p) in small.enumerate_pixels() {
        if let Some(c) = chroma(p).filter(|_| in_border(x, y, (width, height))) {
            for (channel, value) in border.iter_mut().zip(c) {
                channel.push(value);
            }
        }
    }
    if border[0].is_empty() {
        return Vec::new();
    }
    let reference = border.map(|mut values| {
        values.sort_by(f32::total_cmp);
        values[values.len() / 2]
    });
    // A hue step of 0.01 in two channels (a pale green card on a beige table) maps to
    // about 35 gray levels, well apart from the surface's own noise.
    let distance = GrayImage::from_fn(width, height, |x, y| {
        let d = chroma(small.get_pixel(x, y)).map_or(0.0, |c| {
            c.iter()
                .zip(reference)
                .map(|(a, b)| (a - b).powi(2))
                .sum::<f32>()
                .sqrt()
        });
        Luma([(d * 2500.0).min(255.0) as u8])
    });
    let blurred = super::blur::gaussian_blur(&distance, 2.0);
    // Above what the border itself shows: a card's tint varies across it (a hue gradient,
    // glare), so a split of the histogram (Otsu) would cut the card in two.
    let mut border_distance = border_pixels(&blurred);
    border_distance.sort_unstable();
    let level = border_distance[border_distance.len() * 9 / 10]
        .saturating_mul(2)
        .max(20);
    let mask =
        imageproc::contrast::threshold(&blurred, level, imageproc::contrast::ThresholdType::Binary);
    quads_in_mask(
        &imageproc::morphology::close(&mask, Norm::LInf, 6),
        "colour",
    )
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
    let edges = super::edges::canny(small, low, high);
    imageproc::morphology::dilate(&edges, Norm::LInf, 2)
}

/// The bright regions: a card is usually lighter than the surface it lies on.
fn bright_mask(small: &GrayImage) -> GrayImage {
    let blurred = super::blur::gaussian_blur(small, 2.0);
    let level = imageproc::contrast::otsu_level(&blurred);
    let mask =
        imageproc::contrast::threshold(&blurred, level, imageproc::contrast::ThresholdType::Binary);
    // Close the card's own dark print (text, photo, barcode) into the bright body.
    imageproc::morphology::close(&mask, Norm::LInf, 6)
}

/// The gray values of the frame's outer band (see [`in_border`]).
fn border_pixels(image: &GrayImage) -> Vec<u8> {
    image
        .enumerate_pixels()
        .filter(|&(x, y, _)| in_border(x, y, image.dimensions()))
        .map(|(_, _, p)| p[0])
        .collect()
}

/// Whether (x, y) lies in the frame's outer band: a fiftieth of the shorter side (at least
/// 2 pixels) along each edge.
fn in_border(x: u32, y: u32, (w, h): (u32, u32)) -> bool {
    let band = (w.min(h) / 50).max(2);
    x < band || y < band || x >= w - band || y >= h - band
}

/// The standard deviation of the frame's outer band, in gray levels.
fn border_spread(small: &GrayImage) -> f64 {
    let values: Vec<f64> = border_pixels(small).into_iter().map(f64::from).collect();
    let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len().max(1) as f64).sqrt()
}

/// What differs from the frame's border colour (`unlike`, from [`unlike_border_raw`]),
/// closed: on a scan, the card against the scanner's lid, however faint its own edge.
fn unlike_border_mask(unlike: &GrayImage) -> GrayImage {
    imageproc::morphology::close(unlike, Norm::LInf, 6)
}

/// [`unlike_border_mask`] before its closing: narrow gaps of lid (between two cards that
/// nearly touch) stay open.
fn unlike_border_raw(small: &GrayImage) -> GrayImage {
    let blurred = super::blur::gaussian_blur(small, 1.5);
    let (w, h) = blurred.dimensions();
    let mut border = border_pixels(&blurred);
    border.sort_unstable();
    let reference = i16::from(border[border.len() / 2]);
    GrayImage::from_fn(w, h, |x, y| {
        let differs = (i16::from(blurred.get_pixel(x, y)[0]) - reference).abs() > 10;
        Luma([if differs { 255 } else { 0 }])
    })
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
    /// Whether the image's own edges bound it on two sides or more.
    pub touches_frame: bool,
}

/// Every outline any cue finds in the (small) search image.
pub fn candidates(small: &GrayImage) -> Vec<Candidate> {
    let mut found = Vec::new();
    // Outlines of what merely differs from the border are not asked for here: on a
    // scan they are the card's own photo or print block, which looks card-shaped.
    for (cue, mask) in [("edges", edge_mask(small)), ("bright", bright_mask(small))] {
        found.extend(quads_in_mask(&mask, cue));
    }
    // What differs from the border's colour, for the two cues that need it.
    let unlike = std::cell::OnceCell::new();
    let unlike = || unlike.get_or_init(|| unlike_border_raw(small));
    // Several cards on one page: an outline around two of them is no card.
    let page = page_cards(small, unlike);
    if !page.is_empty() {
        found.retain(|c| {
            page.iter()
                .filter(|p| c.quad.contains(p.quad.center()))
                .count()
                < 2
        });
        found.extend(page);
    }
    // Weaker cues only when the strong ones find nothing: they also see the print and the
    // surface's texture. The content extent last: on a photo's table it is everything.
    // On a tight scan it is the card, and competes: a card nearly the lid's colour closes
    // no outline of its own, and the edges found are its photo box's and the print's.
    let tight = || mostly_uniform_border(small) && tight_scan(small, unlike());
    if found.is_empty() || tight() {
        found.extend(content_extent(small, unlike()));
    }
    // Only outlines bounded by the frame (the lit surface around the card): the card's
    // own faint edge may still close.
    if found.iter().all(|c| c.touches_frame) {
        found.extend(quads_in_mask(&faint_edge_mask(small), "faint-edges"));
    }
    found
}

/// How fully a card's body that differs from the lid fills its minimum-area rectangle;
/// print alone fills less (dev scans: bodies 0.98 and more, print 0.90 to 0.96).
const FILLED_BODY: f64 = 0.97;

/// On a scan whose card is nearly the lid's colour, no single outline closes: take the
/// extent of everything unlike the border at once (specks removed) as the card.
fn content_extent(small: &GrayImage, unlike: &GrayImage) -> Option<Candidate> {
    // Only a scan's lid is uniform; on a photo's textured surface "content" is everything.
    if border_spread(small) > 8.0 {
        return None;
    }
    let mask = imageproc::morphology::open(&unlike_border_mask(unlike), Norm::LInf, 2);
    let points: Vec<IPoint<i32>> = mask
        .enumerate_pixels()
        .filter(|(_, _, p)| p[0] > 0)
        .map(|(x, y, _)| IPoint::new(x as i32, y as i32))
        .collect();
    if points.len() < 100 {
        return None;
    }
    let hull = convex_hull(points.clone());
    // Everything on the lid at once is the card, however small: one card on an A4 page
    // covers 7.4 % of it, and its print alone less.
    let mut candidate = judge_sized(
        &hull,
        small.dimensions(),
        "content-extent",
        true,
        (MIN_PAGE_CARD_FRACTION, MIN_RECTANGULARITY),
    )?;
    // The print has no straight outline of its own, and the minimum-area rectangle of its
    // hull leans with whatever sticks out (the photo box's corner, the serial number): its
    // rows and columns give the card's turn (see [`print_turn`]).
    if candidate.rectangularity < FILLED_BODY {
        let [first, second, ..] = candidate.quad.corners;
        let leaning = (second.y - first.y).atan2(second.x - first.x).to_degrees();
        let turn = print_turn_near(&points, leaning);
        candidate.quad.corners = order_corners(turn.bounds(&points));
    }
    // The print stops short of the card's edges (the text margin is at 0.94 of the width,
    // the header at 0.04 of the height): grow the extent back to the card, or the first
    // letters of right-aligned lines sit on the warped card's very edge.
    candidate.quad = candidate.quad.grown(0.04, 0.03);
    Some(candidate)
}

/// On a scanned page, the cards it holds: the content (what is unlike the page) grouped
/// at growing distances, and of the groupings where every sizeable group is card-shaped,
/// the one with the most cards, and of those the widest (a card's serial number or date,
/// apart at a short distance, has joined its card by then). A group that is two cards
/// touching (stacked, or side by side) is cut along the emptiest line across its middle
/// when the two sides are cards of one size.
///
/// Only an answer of two cards or more, of similar size, that together hold nearly all
/// the content: one card does not pass, since its pieces (the photo, a block of lines,
/// the barcode) or halves are not all card-shaped and of one size.
fn page_cards<'a>(small: &GrayImage, unlike: impl FnOnce() -> &'a GrayImage) -> Vec<Candidate> {
    if !mostly_uniform_border(small) {
        return Vec::new();
    }
    let unlike = unlike();
    if tight_scan(small, unlike) {
        return Vec::new();
    }
    let mask = imageproc::morphology::open(unlike, Norm::LInf, 1);
    // Grouped on a half-size copy (each pixel the most of its four): four times less
    // work, and the pixels grouped are still every pixel of the mask.
    let (w, h) = mask.dimensions();
    let half = GrayImage::from_fn(w.div_ceil(2), h.div_ceil(2), |x, y| {
        let mut most = 0;
        for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            let (x, y) = ((2 * x + dx).min(w - 1), (2 * y + dy).min(h - 1));
            most = most.max(mask.get_pixel(x, y)[0]);
        }
        Luma([most])
    });
    let half_labels = labelled(&half);
    let content = without_frame_content(&mask, &half_labels);
    if content.len() < 100 {
        return Vec::new();
    }
    let short = w.min(h) as f32;
    let mut best = None;
    let mut splits = SplitCache::default();
    for step in PAGE_GROUPING {
        let radius = (step * short / 2.0).round() as u8;
        let labels = if radius == 0 {
            None
        } else {
            let grown = imageproc::morphology::dilate(&half, Norm::LInf, radius);
            Some(labelled(&grown))
        };
        let labels = labels.as_ref().unwrap_or(&half_labels);
        let grouping = group_content(labels, &content, (w, h), &mut splits);
        match grouping {
            Grouping::Merged => break,
            // The most cards, then the widest grouping: two cards that a wide grouping
            // joins can look like one larger card.
            Grouping::Cards(cards) => {
                if best
                    .as_ref()
                    .is_none_or(|b: &Vec<_>| cards.len() >= b.len())
                {
                    best = Some(cards);
                }
            }
            Grouping::NotCards => {}
        }
    }
    let Some(groups) = best else {
        return Vec::new();
    };
    let image_area = f64::from(small.width()) * f64::from(small.height());
    groups
        .into_iter()
        .map(|(mut candidate, group)| {
            let turn = precise_print_turn(&group);
            candidate.quad.corners = order_corners(turn.bounds(&group));
            // A card whose body differs from the page fills its outline; one seen only by
            // its print (or partly by its body) is grown back to its edges, as for the
            // content extent.
            let fill = group.len() as f64 / (candidate.area_fraction * image_area);
            if fill < 0.9 {
                candidate.quad = candidate.quad.grown(0.04, 0.03);
            }
            candidate
        })
        .collect()
}

/// Whether the frame has a card's proportions and what differs from its border fills most
/// of it: one card scanned tight. Two cards side by side or stacked fill at most about
/// half of such a frame (only four in a tight 2 x 2 block would fill it).
fn tight_scan(small: &GrayImage, unlike: &GrayImage) -> bool {
    let (w, h) = small.dimensions();
    let aspect = w.max(h) as f32 / w.min(h).max(1) as f32;
    if !(1.48..=1.72).contains(&aspect) {
        return false;
    }
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
    for (x, y, p) in unlike.enumerate_pixels() {
        if p[0] > 0 {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
    }
    x1 >= x0 && (x1 - x0 + 1) * (y1 - y0 + 1) * 10 >= w * h * 6
}

/// Whether the frame's border is mostly one colour, a page's (a scanner's dark edge along
/// one side of the page is allowed).
fn mostly_uniform_border(small: &GrayImage) -> bool {
    let mut border = border_pixels(small);
    border.sort_unstable();
    let median = i16::from(border[border.len() / 2]);
    let near = border
        .iter()
        .filter(|&&v| (i16::from(v) - median).abs() <= 8)
        .count();
    near * 10 >= border.len() * 7
}

/// The connected regions of a mask, numbered from 1 (0 is the background).
fn labelled(mask: &GrayImage) -> Labels {
    imageproc::region_labelling::connected_components(
        mask,
        imageproc::region_labelling::Connectivity::Eight,
        Luma([0u8]),
    )
}

type Labels = image::ImageBuffer<Luma<u32>, Vec<u32>>;

/// The pixels of `mask` without the regions (`labels`, at half size) that touch the
/// frame: a scanner's edge, the page's own edge or shadow; no whole card lies there.
fn without_frame_content(mask: &GrayImage, labels: &Labels) -> Vec<(u32, u32)> {
    let (w, h) = labels.dimensions();
    let mut touching = vec![false; labels.iter().copied().max().unwrap_or(0) as usize + 1];
    touching[0] = true;
    for (x, y, label) in labels.enumerate_pixels() {
        if x == 0 || y == 0 || x == w - 1 || y == h - 1 {
            touching[label[0] as usize] = true;
        }
    }
    mask.enumerate_pixels()
        .filter(|(x, y, p)| p[0] > 0 && !touching[labels.get_pixel(x / 2, y / 2)[0] as usize])
        .map(|(x, y, _)| (x, y))
        .collect()
}

/// What the content looks like grouped at one distance.
enum Grouping {
    /// Nearly all of it is one group that is not two cards: grouping wider only merges
    /// more.
    Merged,
    /// Two card-shaped groups or more, of similar size, holding nearly all of it; each
    /// with its pixels.
    Cards(Vec<(Candidate, Vec<IPoint<i32>>)>),
    /// Anything else.
    NotCards,
}

/// A group's cut into cards, by the group (its size and first and last pixel): most groups
/// stay the same over several grouping distances.
type SplitCache = std::collections::HashMap<[i64; 5], Vec<Vec<IPoint<i32>>>>;

/// Groups the `content` pixels by the region of `labels` (at half size) they fall in.
fn group_content(
    labels: &Labels,
    content: &[(u32, u32)],
    size: (u32, u32),
    splits: &mut SplitCache,
) -> Grouping {
    let label = |&(x, y): &(u32, u32)| labels.get_pixel(x / 2, y / 2)[0] as usize;
    let mut groups: Vec<Vec<IPoint<i32>>> =
        vec![Vec::new(); content.iter().map(label).max().unwrap_or(0) + 1];
    for point in content {
        groups[label(point)].push(IPoint::new(point.0 as i32, point.1 as i32));
    }
    groups.retain(|g| !g.is_empty());
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    // Specks, a stamp, a pen mark, or a card's piece not yet joined to it: too little to
    // be a card at this distance.
    let largest = groups[0].len();
    let mut left_out: usize = groups
        .iter()
        .filter(|g| g.len() < largest / 8)
        .map(Vec::len)
        .sum();
    let pieces: Vec<Vec<IPoint<i32>>> = groups
        .into_iter()
        .filter(|g| g.len() >= largest / 8)
        .flat_map(|g| {
            let (first, last) = (g[0], g[g.len() - 1]);
            let key = [
                g.len() as i64,
                first.x.into(),
                first.y.into(),
                last.x.into(),
                last.y.into(),
            ];
            splits
                .entry(key)
                .or_insert_with(|| split_cards(g, size))
                .clone()
        })
        .collect();
    if pieces.len() == 1 && pieces[0].len() * 10 >= content.len() * 9 {
        return Grouping::Merged;
    }
    let largest = pieces.iter().map(Vec::len).max().unwrap_or(0);
    let mut cards = Vec::new();
    for piece in pieces {
        if piece.len() < largest / 8 {
            left_out += piece.len();
            continue;
        }
        match page_card(&piece, size) {
            Some(candidate) => cards.push((candidate, piece)),
            None => return Grouping::NotCards,
        }
    }
    if cards.len() < 2 || left_out * 8 > content.len() {
        return Grouping::NotCards;
    }
    let (smallest, biggest) = cards.iter().fold((f64::MAX, 0.0f64), |(lo, hi), (c, _)| {
        (lo.min(c.area_fraction), hi.max(c.area_fraction))
    });
    if smallest < 0.5 * biggest {
        return Grouping::NotCards;
    }
    // Cards on one page are alike in shape as well as size. A photo's textured table
    // split into card-sized strips gives one passable strip and one shapeless one (dev:
    // a quality 0.06 of the other's, where the two cards of a sheet stay above 0.3).
    let (worst, best) = cards.iter().fold((f64::MAX, 0.0f64), |(lo, hi), (c, _)| {
        (lo.min(c.quality), hi.max(c.quality))
    });
    if worst < PAGE_CARD_QUALITY_SHARE * best {
        return Grouping::NotCards;
    }
    Grouping::Cards(cards)
}

/// The least quality a page's card may have, as a share of its best card's (see
/// [`group_content`]).
const PAGE_CARD_QUALITY_SHARE: f64 = 0.2;

/// A group of page content judged as one card.
fn page_card(points: &[IPoint<i32>], size: (u32, u32)) -> Option<Candidate> {
    judge_sized(
        &hull_of(points),
        size,
        "page-cards",
        true,
        (MIN_PAGE_CARD_FRACTION, MIN_PAGE_CARD_RECTANGULARITY),
    )
}

/// The convex hull of many pixels: only each row's first and last can be on it.
fn hull_of(points: &[IPoint<i32>]) -> Vec<IPoint<i32>> {
    let top = points.iter().map(|p| p.y).min().unwrap_or(0);
    let bottom = points.iter().map(|p| p.y).max().unwrap_or(0);
    let mut ends = vec![(i32::MAX, i32::MIN); (bottom - top + 1) as usize];
    for p in points {
        let row = &mut ends[(p.y - top) as usize];
        *row = (row.0.min(p.x), row.1.max(p.x));
    }
    let extremes: Vec<IPoint<i32>> = ends
        .iter()
        .enumerate()
        .filter(|(_, (lo, _))| *lo != i32::MAX)
        .flat_map(|(y, &(lo, hi))| {
            let y = y as i32 + top;
            [IPoint::new(lo, y), IPoint::new(hi, y)]
        })
        .collect();
    convex_hull(extremes)
}

/// Cuts a group that is several cards touching into the cards: along the emptiest line
/// across its middle, when both sides are cards of similar size; again within each side.
fn split_cards(points: Vec<IPoint<i32>>, size: (u32, u32)) -> Vec<Vec<IPoint<i32>>> {
    // Two cards are over 4 % of the search image even on an A3 page.
    if (points.len() as f64) < 0.005 * f64::from(size.0) * f64::from(size.1) {
        return vec![points];
    }
    let turn = print_turn(&points);
    for across in [false, true] {
        let along = |p: &IPoint<i32>| {
            let (u, v) = turn.apply(p);
            if across {
                v
            } else {
                u
            }
        };
        let (lo, hi) = points
            .iter()
            .map(along)
            .fold((f32::MAX, f32::MIN), |(lo, hi), a| (lo.min(a), hi.max(a)));
        let length = (hi - lo).ceil() as usize + 1;
        if length < 20 {
            continue;
        }
        let mut profile = vec![0u32; length];
        for p in &points {
            profile[(along(p) - lo) as usize] += 1;
        }
        let mut filled: Vec<u32> = profile.iter().copied().filter(|&n| n > 0).collect();
        filled.sort_unstable();
        let typical = filled[filled.len() / 2];
        // The middle fifth each way: two cards meet near the middle of their pair.
        let (from, to) = ((length * 3) / 10, (length * 7) / 10);
        // Between two cards' print the lines are empty; between two cards' bodies, whose
        // narrow gap the blur has half closed, they are the fewest.
        let fewest = profile[from..=to].iter().copied().min().unwrap_or(0);
        if fewest * 2 > typical {
            continue;
        }
        let empty = |n: u32| n * 20 <= typical || n * 2 <= fewest * 3;
        // The runs of (nearly) empty lines there, longest first: a card's own blank band
        // (between its address and its ID, say) may be longer than the gap between cards.
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut run_start = None;
        let flags = profile[from..=to].iter().map(|&n| empty(n));
        for (i, is_empty) in (from..).zip(flags.chain([false])) {
            match (is_empty, run_start) {
                (true, None) => run_start = Some(i),
                (false, Some(start)) => {
                    runs.push((start, i));
                    run_start = None;
                }
                _ => {}
            }
        }
        runs.sort_by_key(|(start, end)| std::cmp::Reverse(end - start));
        for (start, end) in runs.into_iter().take(3) {
            let cut = lo + (start + end) as f32 / 2.0;
            let (first, second): (Vec<IPoint<i32>>, Vec<IPoint<i32>>) =
                points.iter().partition(|p| along(p) < cut);
            let (Some(a), Some(b)) = (page_card(&first, size), page_card(&second, size)) else {
                continue;
            };
            // Each half a card on its own: ID-1's aspect, not merely the loose range, and
            // the two of one size, side for side (cards on one page are one format at one
            // resolution; a card seen by its print alone is a little smaller). A card's
            // eagle column beside the rest of it passes for a portrait card beside a
            // landscape one, but is 0.7 as wide.
            let card_like = |c: &Candidate| (1.35..=1.95).contains(&c.aspect);
            if card_like(&a) && card_like(&b) && same_size(&a.quad, &b.quad) {
                let mut cards = split_cards(first, size);
                cards.extend(split_cards(second, size));
                return cards;
            }
        }
    }
    vec![points]
}

/// Whether two quads' long sides are within 20 % of each other, and their short sides.
fn same_size(a: &Quad, b: &Quad) -> bool {
    let sides = |q: &Quad| {
        let [p, r, s, _] = q.corners;
        let (one, two) = ((r.x - p.x).hypot(r.y - p.y), (s.x - r.x).hypot(s.y - r.y));
        (one.max(two), one.min(two))
    };
    let ((a_long, a_short), (b_long, b_short)) = (sides(a), sides(b));
    let near = |x: f32, y: f32| x.min(y) >= 0.8 * x.max(y);
    near(a_long, b_long) && near(a_short, b_short)
}

/// A turn of the plane, as its sine and cosine.
#[derive(Debug, Clone, Copy)]
struct Turn {
    sin: f32,
    cos: f32,
}

impl Turn {
    fn degrees(degrees: f32) -> Self {
        let (sin, cos) = degrees.to_radians().sin_cos();
        Self { sin, cos }
    }

    /// The point's coordinates along the turned axes.
    fn apply(&self, p: &IPoint<i32>) -> (f32, f32) {
        let (x, y) = (p.x as f32, p.y as f32);
        (x * self.cos + y * self.sin, y * self.cos - x * self.sin)
    }

    /// The rectangle along the turned axes around `points`, in image coordinates.
    fn bounds(&self, points: &[IPoint<i32>]) -> [Point; 4] {
        let (mut u0, mut u1, mut v0, mut v1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for p in points {
            let (u, v) = self.apply(p);
            (u0, u1, v0, v1) = (u0.min(u), u1.max(u), v0.min(v), v1.max(v));
        }
        [(u0, v0), (u1, v0), (u1, v1), (u0, v1)].map(|(u, v)| Point {
            x: u * self.cos - v * self.sin,
            y: u * self.sin + v * self.cos,
        })
    }
}

/// The turn that lines up the rows and columns of `points` best, roughly (to a degree or
/// two): enough to find the line between two cards.
///
/// A card seen only by its print has no straight outline: the convex hull of a front's
/// print runs from the serial number (bottom left) to the ID (higher, bottom right), and
/// the minimum-area rectangle leans with that slope. The print's lines and blocks run
/// along the card's sides, so the turn that makes the row and column profiles sharpest is
/// the card's.
fn print_turn(points: &[IPoint<i32>]) -> Turn {
    // Wide bins first: their profiles stay sharp a degree or two either side of square.
    let profiles = Profiles::new(points, 4000);
    let coarse = profiles.sharpest(-45.0, 43.0, 2.0, 4.0);
    Turn::degrees(profiles.sharpest(coarse - 1.5, coarse + 1.5, 0.5, 2.0))
}

/// [`print_turn`] to a fraction of a degree, from every pixel: for a card's outline.
fn precise_print_turn(points: &[IPoint<i32>]) -> Turn {
    let rough = print_turn(points);
    let rough = rough.sin.atan2(rough.cos).to_degrees();
    let profiles = Profiles::new(points, 40_000);
    Turn::degrees(profiles.sharpest(rough - 1.0, rough + 1.0, 0.2, 1.0))
}

/// [`precise_print_turn`] within a few degrees of `degrees`, the turn of an outline that
/// may lean: a card's filled body, unlike its print alone, can look sharper turned far off
/// square, so the search stays near the outline.
fn print_turn_near(points: &[IPoint<i32>], degrees: f32) -> Turn {
    // The outline's long side may run either way: bring its turn within a quarter turn.
    let degrees = (degrees + 45.0).rem_euclid(90.0) - 45.0;
    let profiles = Profiles::new(points, 40_000);
    let rough = profiles.sharpest(degrees - 6.0, degrees + 6.0, 0.5, 2.0);
    Turn::degrees(profiles.sharpest(rough - 0.5, rough + 0.5, 0.1, 1.0))
}

/// Row and column profiles of a sample of points, under any turn.
struct Profiles {
    /// Points relative to their centre, each at a random place within its pixel: regular
    /// places on the pixel grid would make the grid's own directions (0 and 45 degrees)
    /// look sharp.
    sample: Vec<(f32, f32)>,
    /// Farthest any point lies from the centre, along any axis.
    reach: usize,
}

impl Profiles {
    /// At most about `most` points, drawn at random.
    fn new(points: &[IPoint<i32>], most: usize) -> Self {
        let keep = (most as f32 / points.len().max(1) as f32).min(1.0);
        let n = points.len().max(1) as f32;
        let (cx, cy) = points.iter().fold((0.0, 0.0), |(x, y), p| {
            (x + p.x as f32 / n, y + p.y as f32 / n)
        });
        // xorshift32: deterministic, so the same image always gives the same answer.
        let mut state = 0x9e37_79b9_u32;
        let mut random = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as f32 / u32::MAX as f32
        };
        let mut sample = Vec::new();
        for p in points {
            if random() < keep {
                let (dx, dy) = (random() - 0.5, random() - 0.5);
                sample.push((p.x as f32 - cx + dx, p.y as f32 - cy + dy));
            }
        }
        let reach = sample
            .iter()
            .map(|(x, y)| x.abs() + y.abs())
            .fold(0.0, f32::max) as usize
            + 2;
        Self { sample, reach }
    }

    /// How sharp the row and column profiles are under a turn of `degrees`: the energy of
    /// their steps, which lines and blocks seen square on make tallest.
    /// `bin` pixels wide.
    fn sharpness(&self, degrees: f32, bin: f32, rows: &mut [u32], columns: &mut [u32]) -> f64 {
        let (sin, cos) = degrees.to_radians().sin_cos();
        rows.fill(0);
        columns.fill(0);
        // Never negative: truncation is the floor.
        let reach = self.reach as f32 + 0.5;
        for &(x, y) in &self.sample {
            columns[((x * cos + y * sin + reach) / bin) as usize] += 1;
            rows[((y * cos - x * sin + reach) / bin) as usize] += 1;
        }
        let steps = |profile: &[u32]| {
            profile
                .windows(2)
                .map(|w| (f64::from(w[1]) - f64::from(w[0])).powi(2))
                .sum::<f64>()
        };
        steps(rows) + steps(columns)
    }

    /// The turn from `from` to `to` degrees, by `step`, that gives the sharpest profiles
    /// in bins of `bin` pixels.
    fn sharpest(&self, from: f32, to: f32, step: f32, bin: f32) -> f32 {
        let mut rows = vec![0u32; 2 * self.reach + 2];
        let mut columns = vec![0u32; 2 * self.reach + 2];
        let mut best = (from, f64::MIN);
        let count = ((to - from) / step).round() as i32;
        for i in 0..=count {
            let degrees = from + i as f32 * step;
            let score = self.sharpness(degrees, bin, &mut rows, &mut columns);
            if score > best.1 {
                best = (degrees, score);
            }
        }
        best.0
    }
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
    judge_sized(
        hull,
        size,
        cue,
        rectangle,
        (MIN_AREA_FRACTION, MIN_RECTANGULARITY),
    )
}

/// [`judge`] with its own smallest area (a fraction of the image's) and rectangularity.
fn judge_sized(
    hull: &[IPoint<i32>],
    size: (u32, u32),
    cue: &'static str,
    rectangle: bool,
    (min_area_fraction, min_rectangularity): (f64, f64),
) -> Option<Candidate> {
    let image_area = f64::from(size.0) * f64::from(size.1);
    let area = contour_area(hull);
    if area < min_area_fraction * image_area || area > 0.995 * image_area {
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
    if !(ASPECT_RANGE.0..=ASPECT_RANGE.1).contains(&aspect) || rectangularity < min_rectangularity {
        return None;
    }
    // Straight sides matter more than size: a card plus its shadow or a patch of table is
    // larger but less rectangular; ID-1's aspect is 1.586.
    let aspect_fit = 1.0 - ((aspect - 1.586).abs() / 0.5).min(1.0) * 0.5;
    let quality = rectangularity.powi(12)
        * aspect_fit
        * (area / image_area).powf(0.25)
        * frame_penalty(&rect, size);
    let touches_frame = frame_penalty(&rect, size) < 1.0;
    let corners = if rectangle {
        rect.map(|p| Point {
            x: p.x as f32,
            y: p.y as f32,
        })
    } else {
        four_corners(hull, &rect, size)
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
        touches_frame,
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
    match sides.iter().filter(|touching| **touching).count() {
        0 | 1 => 1.0,
        2 => 0.5,
        _ => 0.2,
    }
}

/// Four corners of a convex outline: the polygon simplification that leaves four
/// vertices, each then moved to where the straight parts of its two sides meet; the
/// minimum-area rectangle when no simplification leaves four, or when neither quad both
/// covers the outline and keeps its corners near the frame (a scan whose card nearly
/// fills it, its faint edge traced only in part: dev scans, 5 of 500 outlines).
///
/// Intersecting the sides, rather than keeping the simplification's vertices, finds the
/// corner a rounded card corner only implies, and the corner that glare or a finger hides.
fn four_corners(hull: &[IPoint<i32>], rect: &[IPoint<i32>; 4], size: (u32, u32)) -> [Point; 4] {
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
            // A side's longest hull edge may be a chord of a rounded corner, or of the frame
            // where a scan's card nearly fills it: its line then meets the next side far
            // outside the image, where no corner of a card whose print was seen can be.
            if covers(&refined) && within_frame(&refined, size) {
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

/// How far outside the image a refined corner may lie, as a fraction of the image's
/// longer side: a rounded corner's implied point, or one a finger hides at the frame.
const CORNER_OUTSIDE_FRAME: f32 = 0.03;

/// Whether every corner lies in the image or within [`CORNER_OUTSIDE_FRAME`] of it.
fn within_frame(q: &[Point; 4], (width, height): (u32, u32)) -> bool {
    let slack = CORNER_OUTSIDE_FRAME * width.max(height) as f32;
    q.iter().all(|p| {
        (-slack..=width as f32 + slack).contains(&p.x)
            && (-slack..=height as f32 + slack).contains(&p.y)
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
pub(crate) fn intersect((a, b): (Point, Point), (c, d): (Point, Point)) -> Option<Point> {
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
        Some(projection) => warp::warp_bilinear(gray, projection, &mut out),
        None => out = imageops::resize(gray, width, height, imageops::FilterType::Triangle),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A light card with dark print on a mid-gray table. The print keeps a margin from the
    /// card's edges, as a card's does (a row of print on the edge itself would be the
    /// card's edge to the snapping of sides).
    fn scene(width: u32, height: u32, card: (u32, u32, u32, u32)) -> GrayImage {
        let (x0, y0, cw, ch) = card;
        GrayImage::from_fn(width, height, |x, y| {
            let inside = x >= x0 && x < x0 + cw && y >= y0 && y < y0 + ch;
            let print = inside
                && (y - y0) % 40 < 8
                && (y - y0) >= 20
                && (x - x0) > cw / 3
                && (x - x0) < cw - 20;
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

    /// Whether a card prints ink at (fx, fy), fractions of its width and height: a front's
    /// photo, lines of text, the ID and the serial. Nothing marks the card's own edge.
    fn front_print(fx: f32, fy: f32) -> bool {
        let photo = (0.03..0.26).contains(&fx) && (0.08..0.52).contains(&fy);
        let lines = [
            (0.13, 0.19),
            (0.28, 0.34),
            (0.37, 0.45),
            (0.50, 0.56),
            (0.59, 0.65),
        ];
        let text = (0.45..0.93).contains(&fx) && lines.iter().any(|r| (r.0..r.1).contains(&fy));
        let id = (0.42..0.94).contains(&fx) && (0.78..0.88).contains(&fy);
        let serial = (0.03..0.33).contains(&fx) && (0.92..0.97).contains(&fy);
        photo || text || id || serial
    }

    /// A white page holding print-only cards of `width` pixels, each at its top-left
    /// corner; their corners, TL, TR, BR, BL.
    fn page(size: (u32, u32), width: u32, at: &[(u32, u32)]) -> (GrayImage, Vec<[(f32, f32); 4]>) {
        let height = (width as f32 / 1.586).round() as u32;
        let image = GrayImage::from_fn(size.0, size.1, |x, y| {
            let ink = at.iter().any(|&(x0, y0)| {
                x >= x0
                    && y >= y0
                    && x < x0 + width
                    && y < y0 + height
                    && front_print(
                        (x - x0) as f32 / width as f32,
                        (y - y0) as f32 / height as f32,
                    )
            });
            Luma([if ink { 40 } else { 238 }])
        });
        let corners = at
            .iter()
            .map(|&(x0, y0)| {
                let (x0, y0, w, h) = (x0 as f32, y0 as f32, width as f32, height as f32);
                [(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)]
            })
            .collect();
        (image, corners)
    }

    fn assert_found(quads: &[Quad], cards: &[[(f32, f32); 4]], width: f32) {
        assert_eq!(quads.len(), cards.len(), "{quads:?}");
        for card in cards {
            let near = quads.iter().any(|q| {
                [*q, q.rotated_half()].iter().any(|q| {
                    q.corners
                        .iter()
                        .zip(card)
                        .all(|(p, (x, y))| (p.x - x).hypot(p.y - y) < 0.06 * width)
                })
            });
            assert!(near, "{card:?} not among {quads:?}");
        }
    }

    #[test]
    fn finds_each_card_on_a_page() {
        // A4 at 150 dpi, front and back one above the other, and side by side.
        let (image, cards) = page((1240, 1754), 505, &[(360, 200), (380, 620)]);
        assert_found(&locate(&image, 4), &cards, 505.0);
        let (image, cards) = page((1240, 1754), 505, &[(80, 300), (650, 310)]);
        assert_found(&locate(&image, 4), &cards, 505.0);
    }

    #[test]
    fn cards_that_touch_are_cut_apart() {
        // Stacked with 4 px between them: the blank band inside each card (between its
        // text and its ID) is wider than the gap between the cards.
        let (image, cards) = page((1240, 1754), 505, &[(360, 200), (360, 522)]);
        assert_found(&locate(&image, 4), &cards, 505.0);
    }

    #[test]
    fn one_card_on_a_page_or_a_scan_stays_one() {
        let (image, cards) = page((1240, 1754), 505, &[(360, 200)]);
        assert_found(&locate(&image, 4), &cards, 505.0);
        // A tight scan: the card fills the frame.
        let (image, _) = page((1100, 720), 1040, &[(30, 30)]);
        assert_eq!(locate(&image, 4).len(), 1);
    }

    #[test]
    fn the_turn_near_a_leaning_outline_is_the_prints() {
        // Rows of print on an upright card, and the lean of an outline 4 degrees off.
        let points: Vec<IPoint<i32>> = (0..400)
            .flat_map(|y| (0..600).map(move |x| IPoint::new(x, y)))
            .filter(|p| p.y % 40 < 10 && (p.x > 200 || p.y < 80))
            .collect();
        for lean in [4.0, -4.0, 86.0] {
            let turn = print_turn_near(&points, lean);
            let degrees = turn.sin.atan2(turn.cos).to_degrees();
            assert!(degrees.abs() < 0.3, "{lean}: {degrees}");
        }
    }

    #[test]
    fn a_corner_far_outside_the_frame_is_no_card_corner() {
        let quad = |x: f32| [(20.0, 20.0), (x, 20.0), (x, 400.0), (20.0, 400.0)];
        let points = |q: [(f32, f32); 4]| q.map(|(x, y)| Point { x, y });
        assert!(within_frame(&points(quad(630.0)), (640, 430)));
        assert!(within_frame(&points(quad(655.0)), (640, 430)));
        assert!(!within_frame(&points(quad(707.0)), (640, 430)));
    }

    #[test]
    fn a_card_of_the_tables_gray_is_found_by_its_hue() {
        // A pale green card on a beige table, both of gray 214: no gray cue can see it.
        let (x0, y0, cw, ch) = (300, 250, 634, 400);
        let image = RgbImage::from_fn(1280, 960, |x, y| {
            let inside = x >= x0 && x < x0 + cw && y >= y0 && y < y0 + ch;
            let print = inside && (y - y0) % 40 < 8 && (x - x0) > cw / 3 && (x - x0) < cw - 20;
            image::Rgb(if print {
                [30, 30, 30]
            } else if inside {
                [200, 226, 196]
            } else {
                [226, 212, 190]
            })
        });
        let gray = imageops::grayscale(&image);
        let tried = locate(&gray, 2);
        assert!(
            !tried[0].found,
            "the gray cues alone see no card: {tried:?}"
        );
        let chances = second_chances(&image, &gray, &tried);
        let truth = [
            [x0 as f32, y0 as f32],
            [(x0 + cw) as f32, y0 as f32],
            [(x0 + cw) as f32, (y0 + ch) as f32],
            [x0 as f32, (y0 + ch) as f32],
        ];
        assert!(
            chances
                .first()
                .is_some_and(|q| q.corner_error(&truth) < 0.02),
            "{chances:?}"
        );
    }
}
