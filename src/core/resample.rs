//! Resizing a grayscale image with a triangle filter: pixel for pixel what
//! `image::imageops::resize(.., FilterType::Triangle)` gives, in a fraction of its time.
//!
//! `image` resamples every pixel type through four f32 channels, so a grayscale image
//! costs four times its work; the locate stage's search copy of a phone photo spent a
//! tenth of the whole read there. This is the same two passes (vertical, then horizontal)
//! with the same weights and the same order of sums, on the one channel. The tests check
//! the result against `image`'s.

use image::GrayImage;

/// `gray` resized to `width` x `height` (each at least 1) with a triangle filter.
pub fn triangle_resize(gray: &GrayImage, width: u32, height: u32) -> GrayImage {
    let (source_width, source_height) = gray.dimensions();
    if source_width == 0 || source_height == 0 || (width, height) == gray.dimensions() {
        return image::imageops::resize(gray, width, height, image::imageops::FilterType::Triangle);
    }
    let (source_width, new_width) = (source_width as usize, width as usize);
    // Vertical pass into f32 rows of the source's width, as `image` keeps them.
    let mut columns_done = vec![0f32; source_width * height as usize];
    for (out_row, taps) in (0..height).map(|y| (y as usize, taps(source_height, height, y))) {
        let row = &mut columns_done[out_row * source_width..(out_row + 1) * source_width];
        for (i, weight) in taps.weights.iter().enumerate() {
            let line = (taps.first + i) * source_width;
            let line = &gray.as_raw()[line..line + source_width];
            for (sum, &pixel) in row.iter_mut().zip(line) {
                *sum += f32::from(pixel) * weight;
            }
        }
    }
    // Horizontal pass, rounded to bytes.
    let across: Vec<Taps> = (0..width).map(|x| taps(gray.width(), width, x)).collect();
    let mut out = Vec::with_capacity(new_width * height as usize);
    for row in columns_done.chunks_exact(source_width) {
        for taps in &across {
            let mut sum = 0.0f32;
            for (i, weight) in taps.weights.iter().enumerate() {
                sum += row[taps.first + i] * weight;
            }
            // `image` clamps, then rounds to nearest.
            out.push(sum.clamp(0.0, 255.0).round() as u8);
        }
    }
    GrayImage::from_raw(width, height, out).expect("one byte per pixel")
}

/// The source pixels one output pixel takes, from `first` on, and their weights.
struct Taps {
    first: usize,
    weights: Vec<f32>,
}

/// The taps of output pixel `index` when `size` pixels become `new_size`, computed as
/// `image` computes them.
fn taps(size: u32, new_size: u32, index: u32) -> Taps {
    const SUPPORT: f32 = 1.0;
    let ratio = size as f32 / new_size as f32;
    let stretch = if ratio < 1.0 { 1.0 } else { ratio };
    let reach = SUPPORT * stretch;
    let centre = (index as f32 + 0.5) * ratio;
    let first = ((centre - reach).floor() as i64).clamp(0, i64::from(size) - 1);
    let end = ((centre + reach).ceil() as i64).clamp(first + 1, i64::from(size));
    // The kernel takes a pixel's centre as 0.
    let centre = centre - 0.5;
    let mut weights: Vec<f32> = (first..end)
        .map(|i| triangle((i as f32 - centre) / stretch))
        .collect();
    let mut total = 0.0;
    for weight in &weights {
        total += weight;
    }
    for weight in &mut weights {
        *weight /= total;
    }
    Taps {
        first: first as usize,
        weights,
    }
}

fn triangle(x: f32) -> f32 {
    if x.abs() < 1.0 {
        1.0 - x.abs()
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use image::{imageops, Luma};

    use super::*;

    #[test]
    fn resizes_as_image_does() {
        let source = GrayImage::from_fn(301, 217, |x, y| {
            Luma([((x * 7 + y * 13) % 251 + (x * y) % 5) as u8])
        });
        for (width, height) in [
            (150, 108),
            (127, 91),
            (64, 200),
            (301, 100),
            (400, 300),
            (1, 1),
        ] {
            assert_eq!(
                triangle_resize(&source, width, height),
                imageops::resize(&source, width, height, imageops::FilterType::Triangle),
                "{width}x{height}"
            );
        }
    }
}
