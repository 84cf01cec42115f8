//! Unsharp masking: a blurred line's strokes pulled apart again.
//!
//! A photo's blur runs a small face's digits into one another, and a reader then sees
//! fewer glyphs than are printed. Adding back what a Gaussian blur takes away steepens
//! each stroke's edges and reopens the light gaps between strokes.

use image::GrayImage;

use super::blur::gaussian_blur;

/// An unsharp mask: the detail an image loses to a Gaussian blur of standard deviation
/// `sigma` pixels, added back `amount` times over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnsharpMask {
    pub sigma: f32,
    pub amount: f32,
}

impl UnsharpMask {
    /// `gray` sharpened by this mask.
    pub fn apply(self, gray: &GrayImage) -> GrayImage {
        unsharp_mask(gray, self.sigma, self.amount)
    }
}

/// `gray` with its detail (the image less its blur of standard deviation `sigma`) added
/// back `amount` times over, clamped to bytes.
pub fn unsharp_mask(gray: &GrayImage, sigma: f32, amount: f32) -> GrayImage {
    let blurred = gaussian_blur(gray, sigma);
    let mut out = gray.clone();
    for (pixel, soft) in out.iter_mut().zip(blurred.iter()) {
        let (sharp, soft) = (f32::from(*pixel), f32::from(*soft));
        *pixel = (sharp + amount * (sharp - soft)).round().clamp(0.0, 255.0) as u8;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_image_is_unchanged() {
        let flat = GrayImage::from_pixel(20, 10, image::Luma([128]));
        assert_eq!(unsharp_mask(&flat, 2.0, 2.0), flat);
    }

    #[test]
    fn a_soft_edge_is_steepened() {
        // A ramp from dark to light over eight columns: sharpening darkens its dark side
        // and lightens its light side.
        let ramp = GrayImage::from_fn(24, 4, |x, _| {
            image::Luma([(x.saturating_sub(8) * 30).min(240) as u8])
        });
        let sharp = unsharp_mask(&ramp, 2.0, 2.0);
        let (dark, light) = (9, 15);
        assert!(sharp.get_pixel(dark, 0)[0] < ramp.get_pixel(dark, 0)[0]);
        assert!(sharp.get_pixel(light, 0)[0] > ramp.get_pixel(light, 0)[0]);
    }
}
