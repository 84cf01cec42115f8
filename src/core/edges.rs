//! Canny edges for the locate stage, pixel for pixel what `imageproc::edges::canny` finds,
//! in half its time.
//!
//! imageproc computes the Sobel gradients with its generic kernel filter (a bounds-clamped
//! lookup per tap) and the gradient direction with `atan2` per pixel; on a 640-pixel search
//! image that was the largest single cost of locating a card (a seventh of a phone photo's
//! instructions). Here both gradients come from one pass over three rows, and the direction
//! is binned by comparing the gradients against tan 22.5° and tan 67.5° (by angle, as
//! imageproc does, only for the few gradients that lie next to a bound). The tests check
//! the result against imageproc's on varied images, and the binning against imageproc's for
//! every gradient a grayscale image can have.

use image::GrayImage;

/// The Gaussian blur imageproc's Canny applies first.
const SIGMA: f32 = 1.4;

/// Edge pixels (255) of `image`: gradients of at least `high`, and those of at least `low`
/// connected to them.
pub fn canny(image: &GrayImage, low: f32, high: f32) -> GrayImage {
    let (width, height) = (image.width() as usize, image.height() as usize);
    let blurred = super::blur::gaussian_blur(image, SIGMA);
    let (gx, gy) = sobel(blurred.as_raw(), width, height);
    let magnitude: Vec<f32> = gx
        .iter()
        .zip(&gy)
        .map(|(&h, &v)| f32::from(h).hypot(f32::from(v)))
        .collect();
    let thinned = thin(&magnitude, &gx, &gy, width, height);
    let edges = hysteresis(&thinned, width, height, low, high);
    GrayImage::from_raw(width as u32, height as u32, edges).expect("one byte per pixel")
}

/// Horizontal and vertical Sobel gradients, the image's edge rows and columns repeated
/// outward.
fn sobel(pixels: &[u8], width: usize, height: usize) -> (Vec<i16>, Vec<i16>) {
    let mut gx = vec![0i16; width * height];
    let mut gy = vec![0i16; width * height];
    let row = |y: usize| &pixels[y * width..(y + 1) * width];
    for y in 0..height {
        let (above, here, below) = (
            row(y.saturating_sub(1)),
            row(y),
            row((y + 1).min(height - 1)),
        );
        for x in 0..width {
            let (left, right) = (x.saturating_sub(1), (x + 1).min(width - 1));
            let at = |line: &[u8], i: usize| i32::from(line[i]);
            let horizontal = (at(above, right) - at(above, left))
                + 2 * (at(here, right) - at(here, left))
                + (at(below, right) - at(below, left));
            let vertical = (at(below, left) + 2 * at(below, x) + at(below, right))
                - (at(above, left) + 2 * at(above, x) + at(above, right));
            // At most 4 × 255 either way: an i16 holds it.
            gx[y * width + x] = horizontal as i16;
            gy[y * width + x] = vertical as i16;
        }
    }
    (gx, gy)
}

/// The gradient direction, folded into [0°, 180°) and binned to the nearest of 0°, 45°,
/// 90° and 135°.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Across,
    Rising,
    Along,
    Falling,
}

/// tan 22.5° and tan 67.5°: the bins' bounds as slopes.
const TAN_22_5: f64 = 0.414_213_562_373_095_03;
const TAN_67_5: f64 = 2.414_213_562_373_095;

fn direction(gx: i16, gy: i16) -> Direction {
    // The opposite gradient has the same direction: make gy non-negative.
    let (run, rise) = if gy < 0 { (-gx, -gy) } else { (gx, gy) };
    let (across, rise) = (f64::from(run).abs(), f64::from(rise));
    // No integer gradient lies on a bound (the slopes are irrational), but a few lie so
    // near one that `atan2` in f32 rounds them across it: those are binned as imageproc
    // bins them, by angle.
    let (lower, upper) = (rise - TAN_22_5 * across, rise - TAN_67_5 * across);
    if lower.abs() < NEAR_BOUND || upper.abs() < NEAR_BOUND {
        return direction_by_angle(gx, gy);
    }
    if lower < 0.0 || rise == 0.0 {
        Direction::Across
    } else if upper >= 0.0 {
        Direction::Along
    } else if run > 0 {
        Direction::Rising
    } else {
        Direction::Falling
    }
}

/// How near a bound (in gradient units) a gradient is binned by angle. The largest
/// rounding of the angle moves a Sobel gradient by well under a thousandth.
const NEAR_BOUND: f64 = 0.01;

/// imageproc's binning: the angle in degrees, in f32.
fn direction_by_angle(gx: i16, gy: i16) -> Direction {
    let mut angle = f32::from(gy).atan2(f32::from(gx)) * (180f32 / std::f32::consts::PI);
    if angle < 0.0 {
        angle += 180.0;
    }
    if !(22.5..157.5).contains(&angle) {
        Direction::Across
    } else if angle < 67.5 {
        Direction::Rising
    } else if angle < 112.5 {
        Direction::Along
    } else {
        Direction::Falling
    }
}

/// Non-maximum suppression: a pixel keeps its magnitude only where neither neighbour along
/// its gradient is stronger. The border stays zero.
fn thin(magnitude: &[f32], gx: &[i16], gy: &[i16], width: usize, height: usize) -> Vec<f32> {
    let mut out = vec![0.0f32; width * height];
    for y in 1..height.saturating_sub(1) {
        for x in 1..width.saturating_sub(1) {
            let i = y * width + x;
            let (a, b) = match direction(gx[i], gy[i]) {
                Direction::Across => (i - 1, i + 1),
                Direction::Rising => (i + width + 1, i - width - 1),
                Direction::Along => (i - width, i + width),
                Direction::Falling => (i + width - 1, i - width + 1),
            };
            let here = magnitude[i];
            if here >= magnitude[a] && here >= magnitude[b] {
                out[i] = here;
            }
        }
    }
    out
}

/// Pixels of at least `high`, grown through pixels of at least `low`. Growth follows the
/// six neighbours imageproc follows (not the two above-right and above), so that the
/// result is the same pixel for pixel.
fn hysteresis(thinned: &[f32], width: usize, height: usize, low: f32, high: f32) -> Vec<u8> {
    let mut out = vec![0u8; width * height];
    let mut stack = Vec::new();
    for y in 1..height.saturating_sub(1) {
        for x in 1..width.saturating_sub(1) {
            let i = y * width + x;
            if thinned[i] < high || out[i] != 0 {
                continue;
            }
            out[i] = 255;
            stack.push((x, y));
            while let Some((x, y)) = stack.pop() {
                let neighbours = [
                    (x + 1, y),
                    (x + 1, y + 1),
                    (x, y + 1),
                    (x.wrapping_sub(1), y.wrapping_sub(1)),
                    (x.wrapping_sub(1), y),
                    (x.wrapping_sub(1), y + 1),
                ];
                for (nx, ny) in neighbours {
                    if nx >= width || ny >= height {
                        continue;
                    }
                    let n = ny * width + nx;
                    if thinned[n] >= low && out[n] == 0 {
                        out[n] = 255;
                        stack.push((nx, ny));
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use image::Luma;

    use super::*;

    #[test]
    fn bins_every_sobel_gradient_as_atan2_does() {
        for gx in -1020i16..=1020 {
            for gy in -1020i16..=1020 {
                assert_eq!(
                    direction(gx, gy),
                    direction_by_angle(gx, gy),
                    "gradient ({gx}, {gy})"
                );
            }
        }
    }

    /// A deterministic scene: shapes, a gradient and noise.
    fn scene(width: u32, height: u32, seed: u32) -> GrayImage {
        let mut state = seed.wrapping_mul(2_654_435_761).max(1);
        GrayImage::from_fn(width, height, |x, y| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let noise = (state % 41) as i32 - 20;
            let card = (x > width / 5 && x < width * 4 / 5 && y > height / 4 && y < height * 3 / 4)
                as i32
                * 90;
            let disc = ((x as i32 - 30).pow(2) + (y as i32 - 25).pow(2) < 300) as i32 * 60;
            let ramp = (x * 60 / width) as i32;
            Luma([(60 + card + disc + ramp + noise).clamp(0, 255) as u8])
        })
    }

    #[test]
    fn finds_what_imageproc_finds() {
        for (seed, (width, height)) in [(1, (160, 120)), (2, (97, 61)), (3, (3, 3)), (4, (200, 2))]
        {
            let image = scene(width, height, seed);
            for (low, high) in [(20.0, 50.0), (8.0, 24.0)] {
                assert_eq!(
                    canny(&image, low, high),
                    imageproc::edges::canny(&image, low, high),
                    "scene {seed}, thresholds {low}/{high}"
                );
            }
        }
    }
}
