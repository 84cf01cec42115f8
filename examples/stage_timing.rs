//! Times each stage on one image, for speed work.
//! `OMP_THREAD_LIMIT=1 cargo run --release --example stage_timing -- IMAGE`

use std::time::Instant;

use idcard_ocr::core::{
    decode, layout,
    lines::InkMap,
    locate,
    ocr::{Engine, ModelPaths},
    orient, reader,
};

fn main() {
    let path = std::env::args().nth(1).expect("usage: stage_timing IMAGE");
    let bytes = std::fs::read(&path).expect("readable");
    let mut paths = ModelPaths::debian_defaults(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    if let Some(p) = std::env::var_os("IDCARD_DIGITS_MODEL") {
        paths.digits_model = p.into();
    }
    let mut engine = Engine::new(&paths).expect("models");
    for round in 0..3 {
        let t = Instant::now();
        let rgb = decode::decode(&bytes, &Default::default()).unwrap();
        let t_decode = t.elapsed();
        let gray = image::imageops::grayscale(&rgb);
        let t = Instant::now();
        let quads = locate::locate(&gray, 2);
        let t_locate = t.elapsed();
        let t = Instant::now();
        let card = locate::warp_card(&gray, &quads[0], reader::CARD_WIDTH, reader::CARD_HEIGHT);
        let t_warp = t.elapsed();
        let t = Instant::now();
        let hyps = orient::hypotheses(&card);
        let t_orient = t.elapsed();
        let t = Instant::now();
        let ink = InkMap::new(&card);
        let t_ink = t.elapsed();
        engine.set_image(&card);
        let mut ocr = Vec::new();
        for spec in layout::FRONT
            .iter()
            .chain([&layout::FRONT_TITLE, &layout::BACK_LABEL])
        {
            let t = Instant::now();
            let rect = ink.find_line(&spec.zone);
            let _ = engine.read_line(spec.model, rect, spec.whitelist).unwrap();
            ocr.push((spec.name, t.elapsed().as_millis()));
        }
        let t = Instant::now();
        let _ = idcard_ocr::core::recognize(&mut engine, &bytes, &Default::default());
        println!(
            "round {round}: decode {:?} locate {:?} warp {:?} orient {:?} ink {:?} ocr {:?} | whole {:?} | {:?}",
            t_decode, t_locate, t_warp, t_orient, t_ink, ocr, t.elapsed(), hyps[0]
        );
    }
}
