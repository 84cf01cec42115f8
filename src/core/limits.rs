//! The input rules that protect the service from oversized or hostile images.

/// Size rules for one image.
#[derive(Debug, Clone, Copy)]
pub struct ImageLimits {
    /// Smallest allowed width and height, in pixels.
    pub min_side: u32,
    /// Largest allowed width and height, in pixels.
    pub max_side: u32,
}

impl Default for ImageLimits {
    /// The cloud API's rules: 128x128 to 6000x6000 pixels.
    fn default() -> Self {
        Self {
            min_side: 128,
            max_side: 6000,
        }
    }
}

impl ImageLimits {
    /// Checks dimensions read from a header, before any pixel is decoded.
    pub fn check(&self, width: u64, height: u64) -> Result<(), super::CoreError> {
        let ok = |side: u64| side >= u64::from(self.min_side) && side <= u64::from(self.max_side);
        if ok(width) && ok(height) {
            Ok(())
        } else {
            Err(super::CoreError::BadDimensions {
                width,
                height,
                min: self.min_side,
                max: self.max_side,
            })
        }
    }

    /// The most bytes a decoder may allocate for an image within these limits (RGBA, 8 bit),
    /// a second guard behind the header check.
    pub fn max_alloc_bytes(&self) -> u64 {
        u64::from(self.max_side) * u64::from(self.max_side) * 4
    }
}
