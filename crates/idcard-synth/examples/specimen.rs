//! Renders one specimen line per usable Arabic face of a split into a PNG, to review the
//! font pool by eye: `cargo run --release -p idcard-synth --example specimen -- dev out.png`.

use idcard_synth::split::FontSplit;
use idcard_synth::text::{draw_line, shape_line, Ink, Spacing};
use idcard_synth::{FontCatalog, Split};
use tiny_skia::{Color, Pixmap};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let split = if args.get(1).map(String::as_str) == Some("holdout") {
        Split::Holdout
    } else {
        Split::Dev
    };
    let out = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| "specimen.png".into());
    let cat = FontCatalog::system(FontSplit::builtin());
    let faces = cat.arabic(split);
    let latin = cat.latin(split);
    let slash = &cat.fonts[latin[0]];
    let row = 56.0;
    let mut pm = Pixmap::new(1400, (row * (faces.len() + 1) as f32) as u32).unwrap();
    pm.fill(Color::WHITE);
    let label_font = &cat.fonts[latin[0]];
    for (n, &i) in faces.iter().enumerate() {
        let f = &cat.fonts[i];
        let y = row * (n as f32 + 1.0);
        let ink = Ink {
            color: Color::BLACK,
            embolden: 0.0,
        };
        let label = shape_line(label_font, None, &f.label(), false, Spacing::default());
        draw_line(&mut pm, &label, 16.0, 10.0, y - 10.0, ink);
        let text = "بطاقة تحقيق الشخصية محمد ١٩٨٨/٠٦/٢٦ ٠١٢٣٤٥٦٧٨٩";
        let line = shape_line(f, Some(slash), text, true, Spacing::default());
        let size = 26.0 * f.upem / f.alef_height;
        draw_line(&mut pm, &line, size, 300.0, y - 8.0, ink);
    }
    // Opaque white page: premultiplied and straight RGBA coincide.
    image::RgbaImage::from_raw(pm.width(), pm.height(), pm.data().to_vec())
        .unwrap()
        .save(&out)
        .unwrap();
    println!("{} faces -> {out}", faces.len());
}
