//! The straightening warp of a located card, pixel for pixel what imageproc's
//! `warp_into` makes with bilinear interpolation and a white border, in about half its
//! time.
//!
//! imageproc samples each output pixel through its generic pixel interface (four
//! bounds-checked `get_pixel_or_extend` calls, three clamped blends through closures) and
//! calls libm's `floorf` twice. On a phone photo that was a sixth of all the instructions
//! of reading a card (177 M of 1,121 M, more than the locate stage's search); here it is
//! 96 M. The same arithmetic runs on the raw buffer, the bounds checked once per pixel,
//! the four neighbours read directly when they all lie inside. The tests check the result
//! against imageproc's, byte for byte.

use image::GrayImage;
use imageproc::geometric_transformations::Projection;

/// The gray a pixel takes where its pre-image falls outside the source.
const BORDER: u8 = 255;

/// Fills `out` with `image` seen through `projection` (source to output), bilinearly
/// interpolated, white outside the source.
pub fn warp_bilinear(image: &GrayImage, projection: Projection, out: &mut GrayImage) {
    let inverse = projection.invert();
    let (width, height) = (image.width() as i64, image.height() as i64);
    let source = image.as_raw();
    let at = |x: i64, y: i64| -> u8 {
        if x < 0 || x >= width || y < 0 || y >= height {
            BORDER
        } else {
            source[(y * width + x) as usize]
        }
    };
    let out_width = out.width() as usize;
    if out_width == 0 {
        return;
    }
    for (y, row) in out.as_mut().chunks_mut(out_width).enumerate() {
        for (x, pixel) in row.iter_mut().enumerate() {
            // The same expressions, in the same order, as imageproc's: the same floats.
            let (px, py) = inverse * (x as f32, y as f32);
            let (left, top) = (floor(px), floor(py));
            let right_weight = px - left as f32;
            let bottom_weight = py - top as f32;
            let (tl, tr, bl, br) = if left >= 0 && left + 1 < width && top >= 0 && top + 1 < height
            {
                let i = (top * width + left) as usize;
                let j = i + width as usize;
                (source[i], source[i + 1], source[j], source[j + 1])
            } else {
                (
                    at(left, top),
                    at(left + 1, top),
                    at(left, top + 1),
                    at(left + 1, top + 1),
                )
            };
            let mix = |u: u8, v: u8, weight: f32| {
                clamp((1f32 - weight) * f32::from(u) + weight * f32::from(v))
            };
            let upper = mix(tl, tr, right_weight);
            let lower = mix(bl, br, right_weight);
            *pixel = mix(upper, lower, bottom_weight);
        }
    }
}

/// `x.floor() as i64` without the call into libm that `floor` costs on baseline x86-64:
/// truncation, one down for a negative fraction. NaN gives 0 and the far ranges saturate,
/// as with `floor`.
fn floor(x: f32) -> i64 {
    let truncated = x as i64;
    if (truncated as f32) > x {
        truncated.saturating_sub(1)
    } else {
        truncated
    }
}

/// imageproc's `Clamp<f32> for u8`: truncation inside the range, NaN to white.
fn clamp(x: f32) -> u8 {
    if x < 255.0 {
        if x > 0.0 {
            x as u8
        } else {
            0
        }
    } else {
        255
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;
    use imageproc::geometric_transformations::{warp_into, Border, Interpolation};

    /// A gray image of a fixed pseudo-random texture with smooth and sharp parts.
    fn texture(width: u32, height: u32, seed: u32) -> GrayImage {
        GrayImage::from_fn(width, height, |x, y| {
            let h = (x.wrapping_mul(73_856_093) ^ y.wrapping_mul(19_349_663) ^ seed)
                .wrapping_mul(2_654_435_761);
            let smooth = ((x as f32 / 17.0).sin() * 60.0 + (y as f32 / 11.0).cos() * 50.0) as i32;
            Luma([(128 + smooth + (h >> 27) as i32).clamp(0, 255) as u8])
        })
    }

    #[test]
    fn floor_is_floor() {
        for x in [
            0.0f32,
            -0.0,
            0.5,
            -0.5,
            1.0,
            -1.0,
            2.999,
            -2.999,
            1e9,
            -1e9,
            8_388_607.5,
            -8_388_607.5,
            f32::MIN_POSITIVE,
            -f32::MIN_POSITIVE,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ] {
            assert_eq!(floor(x), x.floor() as i64, "{x}");
        }
    }

    #[test]
    fn the_warp_is_imageprocs_pixel_for_pixel() {
        let quads: [[(f32, f32); 4]; 5] = [
            // A card turned and in perspective, well inside the photo.
            [
                (212.4, 130.7),
                (905.2, 88.1),
                (950.9, 560.3),
                (180.2, 600.8),
            ],
            // Corners outside the image (a card cut by the frame).
            [
                (-40.0, -25.5),
                (700.3, 10.0),
                (690.0, 500.2),
                (-12.7, 520.0),
            ],
            // Upside down (the half turn the reader asks for).
            [
                (950.9, 560.3),
                (180.2, 600.8),
                (212.4, 130.7),
                (905.2, 88.1),
            ],
            // The whole image: an affine map.
            [(0.0, 0.0), (1024.0, 0.0), (1024.0, 640.0), (0.0, 640.0)],
            // Portrait: the long side runs down.
            [(900.0, 20.0), (940.0, 620.0), (500.0, 630.0), (470.0, 30.0)],
        ];
        for (k, quad) in quads.iter().enumerate() {
            let image = texture(1024, 640, k as u32);
            let to = [(0.0, 0.0), (500.0, 0.0), (500.0, 315.0), (0.0, 315.0)];
            let projection = Projection::from_control_points(*quad, to).unwrap();
            let mut theirs = GrayImage::from_pixel(500, 315, Luma([255]));
            warp_into(
                &image,
                projection,
                Interpolation::Bilinear,
                Border::Constant(Luma([255])),
                &mut theirs,
            );
            let mut ours = GrayImage::from_pixel(500, 315, Luma([0]));
            warp_bilinear(&image, projection, &mut ours);
            assert!(ours == theirs, "quad {k} differs");
        }
    }
}
