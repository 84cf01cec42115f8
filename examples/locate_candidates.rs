//! Prints every card outline the locate stage considers for an image, for tuning.
//! `cargo run --release --example locate_candidates -- IMAGE`

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: locate_candidates IMAGE");
    let bytes = std::fs::read(&path).expect("readable image");
    let image =
        idcard_ocr::core::decode::decode(&bytes, &Default::default()).expect("decodable image");
    let gray = image::imageops::grayscale(&image);
    let scale = 640.0 / gray.width().max(gray.height()) as f32;
    let small = image::imageops::resize(
        &gray,
        ((gray.width() as f32 * scale).round() as u32).max(1),
        ((gray.height() as f32 * scale).round() as u32).max(1),
        image::imageops::FilterType::Triangle,
    );
    println!("chosen: {:?}", idcard_ocr::core::locate::locate(&gray, 2));
    for c in idcard_ocr::core::locate::candidates(&small) {
        let corners: Vec<(i32, i32)> = c
            .quad
            .corners
            .iter()
            .map(|p| ((p.x / scale) as i32, (p.y / scale) as i32))
            .collect();
        println!(
            "{:14} quality {:.3} area {:.2} aspect {:.2} rect {:.3} {:?}",
            c.cue, c.quality, c.area_fraction, c.aspect, c.rectangularity, corners
        );
    }
}
