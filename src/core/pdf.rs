//! Extracts the page image of a single-page scanned PDF, with no system library.
//!
//! Scanners write one image per page: JPEG (`DCTDecode`), Flate with PNG predictors, or
//! CCITT Group 4 for black-and-white. We take the largest image of the only page. The
//! image's size is checked from its dictionary before anything is inflated, and inflation
//! is capped at the size the dictionary promises, so a small hostile PDF cannot make us
//! allocate gigabytes.

use std::io::Read;

use image::{DynamicImage, GrayImage, RgbImage};
use lopdf::{Dictionary, Document, Object};

use super::{error::CoreError, limits::ImageLimits};

/// What a PDF page yields.
#[derive(Debug)]
pub enum PageImage {
    /// A JPEG stream, to be decoded like any uploaded JPEG.
    Jpeg(Vec<u8>),
    /// Pixels already decoded from Flate or CCITT data.
    Pixels(DynamicImage),
}

const CORRUPT: CoreError = CoreError::CorruptImage { format: "PDF" };

/// Extracts the scanned image of a one-page PDF.
pub fn page_image(bytes: &[u8], limits: &ImageLimits) -> Result<PageImage, CoreError> {
    let doc = Document::load_mem(bytes).map_err(|_| CORRUPT)?;
    let pages = doc.get_pages();
    let page_id = match pages.len() {
        0 => {
            return Err(CoreError::UnusablePdf {
                why: "it has no page",
            })
        }
        1 => *pages.values().next().ok_or(CORRUPT)?,
        _ => {
            return Err(CoreError::UnusablePdf {
                why: "it has more than one page; send one scanned page",
            })
        }
    };
    let images = doc.get_page_images(page_id).map_err(|_| CORRUPT)?;
    let image = images
        .into_iter()
        .max_by_key(|image| image.width.saturating_mul(image.height))
        .ok_or(CoreError::UnusablePdf {
            why: "its page holds no image; send a scanned page, not a text document",
        })?;
    let (width, height) = (image.width.max(0) as u64, image.height.max(0) as u64);
    limits.check(width, height)?;
    let (width, height) = (width as u32, height as u32);
    let parms = decode_parms(&doc, image.origin_dict);
    let filters = image.filters.unwrap_or_default();
    let bits = image.bits_per_component.unwrap_or(8);
    match filters.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["DCTDecode"] => Ok(PageImage::Jpeg(image.content.to_vec())),
        ["CCITTFaxDecode"] => ccitt_g4(image.content, width, height, parms).map(PageImage::Pixels),
        ["FlateDecode"] => {
            let expected = raw_len(width, height, bits, 4)?;
            let predictor = parms.and_then(|p| int(p, b"Predictor")).unwrap_or(1);
            // PNG predictors add one tag byte per row.
            let cap = expected + u64::from(height) + 1;
            let mut raw = Vec::new();
            flate2::read::ZlibDecoder::new(image.content)
                .take(cap)
                .read_to_end(&mut raw)
                .map_err(|_| CORRUPT)?;
            if predictor >= 10 {
                let colors = parms.and_then(|p| int(p, b"Colors")).unwrap_or(1);
                let comps = colors.clamp(1, 4) as usize;
                raw = unpredict_png(&raw, width as usize, comps, bits as usize)?;
            }
            raw_pixels(raw, width, height, bits).map(PageImage::Pixels)
        }
        [] => raw_pixels(image.content.to_vec(), width, height, bits).map(PageImage::Pixels),
        _ => Err(CoreError::UnusablePdf {
            why: "its page image uses a compression we do not read (JPEG, Flate and CCITT G4 are read)",
        }),
    }
}

/// The image's `DecodeParms` dictionary, following a reference or taking the first of an
/// array.
fn decode_parms<'a>(doc: &'a Document, dict: &'a Dictionary) -> Option<&'a Dictionary> {
    let mut object = dict.get(b"DecodeParms").ok()?;
    if let Object::Array(items) = object {
        object = items.first()?;
    }
    if let Object::Reference(id) = object {
        object = doc.get_object(*id).ok()?;
    }
    object.as_dict().ok()
}

fn int(dict: &Dictionary, key: &[u8]) -> Option<i64> {
    dict.get(key).ok()?.as_i64().ok()
}

/// The largest raw byte count an image of this size can have.
fn raw_len(width: u32, height: u32, bits: i64, max_components: u64) -> Result<u64, CoreError> {
    if !matches!(bits, 1 | 8) {
        return Err(CoreError::UnusablePdf {
            why: "its page image has a bit depth other than 1 or 8",
        });
    }
    let row = (u64::from(width) * max_components * bits as u64).div_ceil(8);
    Ok(row * u64::from(height))
}

/// Turns unpacked raw samples into an image, inferring gray, RGB or CMYK from the length.
fn raw_pixels(raw: Vec<u8>, width: u32, height: u32, bits: i64) -> Result<DynamicImage, CoreError> {
    let pixels = width as usize * height as usize;
    if bits == 1 {
        let row = (width as usize).div_ceil(8);
        if raw.len() < row * height as usize {
            return Err(CORRUPT);
        }
        let gray = GrayImage::from_fn(width, height, |x, y| {
            let byte = raw[y as usize * row + x as usize / 8];
            let bit = (byte >> (7 - x % 8)) & 1;
            image::Luma([if bit == 1 { 255 } else { 0 }])
        });
        return Ok(DynamicImage::ImageLuma8(gray));
    }
    match raw.len() / pixels.max(1) {
        1 => {
            GrayImage::from_raw(width, height, raw[..pixels].to_vec()).map(DynamicImage::ImageLuma8)
        }
        3 => RgbImage::from_raw(width, height, raw[..pixels * 3].to_vec())
            .map(DynamicImage::ImageRgb8),
        4 => {
            let rgb = raw[..pixels * 4]
                .chunks_exact(4)
                .flat_map(|cmyk| {
                    let k = 255 - u16::from(cmyk[3]);
                    cmyk[..3]
                        .iter()
                        .map(move |&c| ((255 - u16::from(c)) * k / 255) as u8)
                        .collect::<Vec<_>>()
                })
                .collect();
            RgbImage::from_raw(width, height, rgb).map(DynamicImage::ImageRgb8)
        }
        _ => None,
    }
    .ok_or(CORRUPT)
}

/// Undoes PNG row predictors (PDF `Predictor` >= 10).
fn unpredict_png(
    data: &[u8],
    width: usize,
    comps: usize,
    bits: usize,
) -> Result<Vec<u8>, CoreError> {
    let bpp = (comps * bits).div_ceil(8).max(1);
    let row_len = (width * comps * bits).div_ceil(8);
    let mut out: Vec<u8> = Vec::with_capacity(data.len());
    let mut prev = vec![0u8; row_len];
    for chunk in data.chunks(row_len + 1) {
        if chunk.len() < row_len + 1 {
            break;
        }
        let (tag, row) = (chunk[0], &chunk[1..]);
        let mut cur = vec![0u8; row_len];
        for i in 0..row_len {
            let left = if i >= bpp { cur[i - bpp] } else { 0 };
            let up = prev[i];
            let up_left = if i >= bpp { prev[i - bpp] } else { 0 };
            let predicted = match tag {
                0 => 0,
                1 => left,
                2 => up,
                3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
                4 => paeth(left, up, up_left),
                _ => return Err(CORRUPT),
            };
            cur[i] = row[i].wrapping_add(predicted);
        }
        out.extend_from_slice(&cur);
        prev = cur;
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// Decodes CCITT Group 4 (`K < 0`), the compression of black-and-white scans.
fn ccitt_g4(
    data: &[u8],
    width: u32,
    height: u32,
    parms: Option<&Dictionary>,
) -> Result<DynamicImage, CoreError> {
    let k = parms.and_then(|p| int(p, b"K")).unwrap_or(0);
    if k >= 0 {
        return Err(CoreError::UnusablePdf {
            why: "its page image uses CCITT Group 3; Group 4 is read",
        });
    }
    let columns = parms
        .and_then(|p| int(p, b"Columns"))
        .unwrap_or(i64::from(width));
    if columns != i64::from(width) {
        return Err(CORRUPT);
    }
    let mut pixels = Vec::with_capacity(width as usize * height as usize);
    fax::decoder::decode_g4(data.iter().copied(), width, Some(height), |transitions| {
        pixels.extend(
            fax::decoder::pels(transitions, width).map(|color| match color {
                fax::Color::Black => 0u8,
                fax::Color::White => 255u8,
            }),
        );
    })
    .ok_or(CORRUPT)?;
    // A short stream leaves the rest of the page white rather than failing the scan.
    pixels.resize(width as usize * height as usize, 255);
    GrayImage::from_raw(width, height, pixels)
        .map(DynamicImage::ImageLuma8)
        .ok_or(CORRUPT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undoes_png_up_predictor() {
        // Two rows of 3 gray pixels; the second row is stored as the difference to the first.
        let data = [2, 10, 20, 30, 2, 1, 1, 1];
        assert_eq!(
            unpredict_png(&data, 3, 1, 8).unwrap(),
            vec![10, 20, 30, 11, 21, 31]
        );
    }

    #[test]
    fn refuses_garbage() {
        assert!(matches!(
            page_image(b"%PDF-1.4 garbage", &ImageLimits::default()),
            Err(CoreError::CorruptImage { .. })
        ));
    }
}
