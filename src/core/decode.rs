//! Stage 1: bytes to pixels. JPEG (with its EXIF orientation applied), PNG, or the page
//! image of a PDF scan, into one working colour space (8-bit RGB).
//!
//! Dimensions are read from the header and checked before any pixel is decoded, so a
//! decompression bomb is refused without allocating it.

use std::io::Cursor;

use image::{
    codecs::{jpeg::JpegDecoder, png::PngDecoder},
    DynamicImage, ImageDecoder, Limits, RgbImage,
};

use super::{
    error::CoreError,
    format::{sniff, InputFormat},
    limits::ImageLimits,
    pdf::{self, PageImage},
};

/// Decodes an uploaded image into RGB pixels, upright as its EXIF tag says.
pub fn decode(bytes: &[u8], limits: &ImageLimits) -> Result<RgbImage, CoreError> {
    let image = match sniff(bytes)? {
        InputFormat::Jpeg => decode_jpeg(bytes, limits)?,
        InputFormat::Png => decode_png(bytes, limits)?,
        InputFormat::Pdf => match pdf::page_image(bytes, limits)? {
            PageImage::Jpeg(jpeg) => decode_jpeg(&jpeg, limits)?,
            PageImage::Pixels(pixels) => pixels,
        },
    };
    Ok(image.into_rgb8())
}

fn decoder_limits(limits: &ImageLimits) -> Limits {
    let mut decoder_limits = Limits::default();
    decoder_limits.max_image_width = Some(limits.max_side);
    decoder_limits.max_image_height = Some(limits.max_side);
    decoder_limits.max_alloc = Some(limits.max_alloc_bytes());
    decoder_limits
}

fn decode_jpeg(bytes: &[u8], limits: &ImageLimits) -> Result<DynamicImage, CoreError> {
    const CORRUPT: CoreError = CoreError::CorruptImage { format: "JPEG" };
    // The decoder fills a truncated scan with gray instead of failing; a cut-off upload
    // must be refused, not read as a damaged card.
    if !jpeg_is_complete(bytes) {
        return Err(CORRUPT);
    }
    let decoder = JpegDecoder::new(Cursor::new(bytes)).map_err(|_| CORRUPT)?;
    decode_checked(decoder, limits, "JPEG")
}

/// Checks the header's dimensions, caps the decoder's allocations, decodes, and applies
/// the EXIF orientation.
fn decode_checked(
    mut decoder: impl ImageDecoder,
    limits: &ImageLimits,
    format: &'static str,
) -> Result<DynamicImage, CoreError> {
    let corrupt = || CoreError::CorruptImage { format };
    let (width, height) = decoder.dimensions();
    limits.check(width.into(), height.into())?;
    decoder
        .set_limits(decoder_limits(limits))
        .map_err(|_| corrupt())?;
    // A missing or broken EXIF block is common and harmless: keep the image as stored.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| corrupt())?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Whether an end-of-image marker follows the last start-of-scan marker. Entropy-coded
/// data cannot hold either marker (0xFF is always stuffed), so this finds truncation.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let marker = |code: u8| move |w: &[u8]| w[0] == 0xFF && w[1] == code;
    let Some(last_scan) = bytes.windows(2).rposition(marker(0xDA)) else {
        return false;
    };
    bytes[last_scan..].windows(2).any(marker(0xD9))
}

fn decode_png(bytes: &[u8], limits: &ImageLimits) -> Result<DynamicImage, CoreError> {
    const CORRUPT: CoreError = CoreError::CorruptImage { format: "PNG" };
    let decoder = PngDecoder::new(Cursor::new(bytes)).map_err(|_| CORRUPT)?;
    decode_checked(decoder, limits, "PNG")
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat, Rgb};

    fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
        let image = RgbImage::from_pixel(width, height, Rgb([200, 100, 50]));
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn decodes_png_and_jpeg() {
        let limits = ImageLimits::default();
        assert_eq!(
            decode(&encoded(300, 200, ImageFormat::Png), &limits)
                .unwrap()
                .dimensions(),
            (300, 200)
        );
        assert_eq!(
            decode(&encoded(300, 200, ImageFormat::Jpeg), &limits)
                .unwrap()
                .dimensions(),
            (300, 200)
        );
    }

    #[test]
    fn refuses_too_small_before_decoding() {
        let error = decode(
            &encoded(100, 300, ImageFormat::Png),
            &ImageLimits::default(),
        )
        .unwrap_err();
        assert!(
            matches!(
                error,
                CoreError::BadDimensions {
                    width: 100,
                    height: 300,
                    ..
                }
            ),
            "{error:?}"
        );
    }

    #[test]
    fn refuses_truncated_jpeg() {
        let jpeg = encoded(300, 200, ImageFormat::Jpeg);
        let error = decode(&jpeg[..jpeg.len() - 40], &ImageLimits::default()).unwrap_err();
        assert!(
            matches!(error, CoreError::CorruptImage { format: "JPEG" }),
            "{error:?}"
        );
    }

    #[test]
    fn refuses_truncated_image() {
        let png = encoded(300, 200, ImageFormat::Png);
        let error = decode(&png[..png.len() / 2], &ImageLimits::default()).unwrap_err();
        assert!(
            matches!(error, CoreError::CorruptImage { format: "PNG" }),
            "{error:?}"
        );
    }

    #[test]
    fn refuses_a_decompression_bomb_by_its_header() {
        // A PNG header claiming 100000 x 100000 pixels followed by nothing: refused from the
        // header alone, without allocating 30 GB.
        let mut png = encoded(200, 200, ImageFormat::Png);
        png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        // Keep the header chunk's CRC right so the refusal is about the size alone.
        let mut crc = flate2::Crc::new();
        crc.update(&png[12..29]);
        png[29..33].copy_from_slice(&crc.sum().to_be_bytes());
        let error = decode(&png, &ImageLimits::default()).unwrap_err();
        assert!(
            matches!(
                error,
                CoreError::BadDimensions {
                    width: 100_000,
                    height: 100_000,
                    ..
                }
            ),
            "{error:?}"
        );
    }
}
