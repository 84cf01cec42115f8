//! Writing frames (JPEG, PNG, or a one-page PDF around the JPEG) and their truth lines.

use std::collections::BTreeMap;
use std::io::Write;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{ImageEncoder, RgbImage};
use serde::{Deserialize, Serialize};

use crate::capture::Encoding;
use crate::identity::{BackInfo, FrontInfo};
use crate::layout::Side;

/// One line of `truth.jsonl` (also what readers of a generated set parse it into).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TruthLine {
    pub image: String,
    pub mode: String,
    pub split: String,
    pub width: u32,
    pub height: u32,
    pub cards: Vec<TruthCard>,
}

/// One card in an image.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TruthCard {
    pub side: Side,
    /// TL, TR, BR, BL of the upright card, image pixels.
    pub corners: [[f64; 2]; 4],
    pub card_info: CardInfo,
    /// Field -> face that printed it (debugging; not part of the API).
    pub fonts: BTreeMap<String, String>,
}

/// The API's `card_info` for the side shown.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum CardInfo {
    Front(FrontInfo),
    Back(BackInfo),
}

/// File extension for an encoding.
pub fn extension(e: Encoding) -> &'static str {
    match e {
        Encoding::Jpeg(_) => "jpg",
        Encoding::Png => "png",
        Encoding::Pdf(_) => "pdf",
    }
}

fn jpeg(img: &RgbImage, q: u8) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, q)
        .encode_image(img)
        .expect("jpeg encoding to memory");
    out
}

/// Encodes a frame.
pub fn encode(img: &RgbImage, e: Encoding) -> Vec<u8> {
    match e {
        Encoding::Jpeg(q) => jpeg(img, q),
        Encoding::Png => {
            let mut out = Vec::new();
            PngEncoder::new(&mut out)
                .write_image(
                    img.as_raw(),
                    img.width(),
                    img.height(),
                    image::ExtendedColorType::Rgb8,
                )
                .expect("png encoding to memory");
            out
        }
        Encoding::Pdf(q) => pdf_with_jpeg(&jpeg(img, q), img.width(), img.height(), 200.0),
    }
}

/// A minimal single-page PDF showing one JPEG (DCTDecode) over the whole page, the page
/// sized as if scanned at `dpi`. Written by hand: five objects and an xref table.
pub fn pdf_with_jpeg(jpeg: &[u8], w: u32, h: u32, dpi: f64) -> Vec<u8> {
    let (pw, ph) = (w as f64 * 72.0 / dpi, h as f64 * 72.0 / dpi);
    let content = format!("q {pw:.2} 0 0 {ph:.2} 0 0 cm /Im0 Do Q\n");
    let mut out: Vec<u8> = Vec::new();
    let mut offsets = Vec::new();
    out.extend_from_slice(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
    let mut obj = |out: &mut Vec<u8>, body: &[u8]| {
        offsets.push(out.len());
        let n = offsets.len();
        writeln!(out, "{n} 0 obj").expect("vec write");
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    obj(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
    obj(&mut out, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    obj(
        &mut out,
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2} {ph:.2}] \
             /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>"
        )
        .as_bytes(),
    );
    obj(
        &mut out,
        format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        )
        .as_bytes(),
    );
    let mut img = format!(
        "<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceRGB \
         /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
        jpeg.len()
    )
    .into_bytes();
    img.extend_from_slice(jpeg);
    img.extend_from_slice(b"\nendstream");
    obj(&mut out, &img);
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).expect("vec write");
    for o in &offsets {
        writeln!(out, "{o:010} 00000 n ").expect("vec write");
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        offsets.len() + 1
    )
    .expect("vec write");
    out
}

/// Corners rounded to 0.01 px (keeps lines short and stable).
pub fn round_corners(c: [(f64, f64); 4]) -> [[f64; 2]; 4] {
    c.map(|(x, y)| [(x * 100.0).round() / 100.0, (y * 100.0).round() / 100.0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_opens_in_lopdf_with_the_jpeg_inside() {
        let img = RgbImage::from_pixel(40, 25, image::Rgb([200, 100, 50]));
        let jpeg = jpeg(&img, 90);
        let pdf = pdf_with_jpeg(&jpeg, 40, 25, 200.0);
        let doc = lopdf::Document::load_mem(&pdf).expect("valid pdf");
        let pages = doc.get_pages();
        assert_eq!(pages.len(), 1);
        let found = doc.objects.values().any(|o| {
            if let Ok(s) = o.as_stream() {
                let filter = s.dict.get(b"Filter").and_then(|f| f.as_name()).ok();
                filter == Some(&b"DCTDecode"[..]) && s.content == jpeg
            } else {
                false
            }
        });
        assert!(found, "no DCTDecode stream holding the JPEG");
    }
}
