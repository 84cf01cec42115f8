//! What real captures do to a card, applied to committed generated fixtures: a negative
//! scan, a finger over a corner, a card that fills the whole frame, heavy JPEG blocks,
//! slight blur. Each must still give the right side and national ID.

use std::{io::Cursor, path::PathBuf};

use idcard_ocr::{
    core::{
        self,
        ocr::{Engine, ModelPaths},
        CardFields, ImageLimits, Side,
    },
    harness::truth,
};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cards")
}

fn engine() -> Engine {
    Engine::new(&ModelPaths::debian_defaults(std::path::Path::new(env!(
        "CARGO_MANIFEST_DIR"
    ))))
    .expect("models load")
}

/// The fixture's pixels and its one card's truth (side, national ID, corners).
fn fixture(name: &str) -> (RgbImage, Side, String, Vec<[f32; 2]>) {
    let images = truth::load(&fixtures()).unwrap();
    let image = images.iter().find(|i| i.image == name).expect("fixture");
    let card = &image.cards[0];
    let side = if card.side == "front" {
        Side::Front
    } else {
        Side::Back
    };
    let id = card.card_info["id_number"].clone();
    let rgb = image::open(fixtures().join(name)).unwrap().to_rgb8();
    (rgb, side, id, card.corners.clone())
}

fn jpeg(image: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(image)
        .unwrap();
    out
}

fn png(image: &RgbImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(image.clone())
        .write_to(&mut out, ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// Reads `bytes` and checks the one card: its side and its national ID.
fn assert_reads(engine: &mut Engine, bytes: &[u8], side: Side, id: &str, what: &str) {
    let cards = core::recognize(engine, bytes, &ImageLimits::default())
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let card = &cards[0];
    assert_eq!(card.fields.side(), side, "{what}: side");
    let read = match &card.fields {
        CardFields::Front(f) => &f.id_number.value,
        CardFields::Back(b) => &b.id_number.value,
    };
    assert_eq!(read, id, "{what}: national ID");
}

#[test]
fn a_negative_scan_reads_like_the_positive() {
    let mut engine = engine();
    for name in ["scan-0001.jpg", "scan-0006.jpg"] {
        let (mut rgb, side, id, _) = fixture(name);
        image::imageops::invert(&mut rgb);
        assert_reads(
            &mut engine,
            &png(&rgb),
            side,
            &id,
            &format!("{name} inverted"),
        );
    }
}

#[test]
fn a_finger_over_a_corner_does_not_hide_the_card() {
    let mut engine = engine();
    let (mut rgb, side, id, corners) = fixture("photo-0003.jpg");
    // A skin-coloured disc a fifth of the card's width across, over its first corner.
    let [cx, cy] = corners[0];
    let width =
        ((corners[1][0] - corners[0][0]).powi(2) + (corners[1][1] - corners[0][1]).powi(2)).sqrt();
    let radius = width / 10.0;
    for (x, y, pixel) in rgb.enumerate_pixels_mut() {
        if (x as f32 - cx).powi(2) + (y as f32 - cy).powi(2) <= radius * radius {
            *pixel = Rgb([196, 140, 112]);
        }
    }
    assert_reads(
        &mut engine,
        &jpeg(&rgb, 90),
        side,
        &id,
        "finger over a corner",
    );
}

#[test]
fn a_card_that_fills_the_whole_frame_is_read() {
    let mut engine = engine();
    for name in ["scan-0003.jpg", "scan-0008.jpg"] {
        let (rgb, side, id, corners) = fixture(name);
        // Crop to the card's own extent: no background left around it.
        let xs = corners.iter().map(|c| c[0]);
        let ys = corners.iter().map(|c| c[1]);
        let (x0, x1) = (xs.clone().fold(f32::MAX, f32::min), xs.fold(0.0, f32::max));
        let (y0, y1) = (ys.clone().fold(f32::MAX, f32::min), ys.fold(0.0, f32::max));
        let cropped = image::imageops::crop_imm(
            &rgb,
            x0.max(0.0) as u32,
            y0.max(0.0) as u32,
            (x1 - x0) as u32,
            (y1 - y0) as u32,
        )
        .to_image();
        assert_reads(
            &mut engine,
            &jpeg(&cropped, 90),
            side,
            &id,
            &format!("{name} cropped"),
        );
    }
}

#[test]
fn heavy_jpeg_blocks_and_slight_blur_still_read() {
    let mut engine = engine();
    for name in ["scan-0001.jpg", "scan-0006.jpg"] {
        let (rgb, side, id, _) = fixture(name);
        assert_reads(
            &mut engine,
            &jpeg(&rgb, 25),
            side,
            &id,
            &format!("{name} at quality 25"),
        );
        let blurred = image::imageops::blur(&rgb, 1.2);
        assert_reads(
            &mut engine,
            &jpeg(&blurred, 85),
            side,
            &id,
            &format!("{name} blurred"),
        );
    }
}
