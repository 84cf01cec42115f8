//! Scores the locate stage alone (no OCR) on a generated directory: per image, how many
//! outlines it returns, how many truth cards one of them matches (every corner within 6 %
//! of the card's width), and how many it returns that match none. Fast enough to run on
//! hundreds of images while tuning.
//! `cargo run --release --example locate_eval -- DIR [MAX_CARDS] [-v]`

use std::path::PathBuf;

use idcard_ocr::{
    core::{decode, locate, ImageLimits},
    harness::truth,
};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(
        args.first()
            .expect("usage: locate_eval DIR [MAX_CARDS] [-v]"),
    );
    let max_cards: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(4);
    let verbose = args.iter().any(|a| a == "-v");
    let images = truth::load(&dir).expect("truth.jsonl");
    let (mut cards, mut matched, mut extra, mut exact_count) = (0, 0, 0, 0);
    let mut millis = Vec::new();
    for image in &images {
        let bytes = std::fs::read(dir.join(&image.image)).expect("readable image");
        let rgb = decode::decode(&bytes, &ImageLimits::default()).expect("decodable image");
        let gray = image::imageops::grayscale(&rgb);
        let start = std::time::Instant::now();
        let quads = locate::locate(&gray, max_cards);
        millis.push(start.elapsed().as_secs_f64() * 1000.0);
        let mut used = vec![false; quads.len()];
        let mut errors = Vec::new();
        for card in &image.cards {
            cards += 1;
            let best = quads
                .iter()
                .enumerate()
                .filter(|(i, _)| !used[*i])
                .map(|(i, q)| (i, q.corner_error(&card.corners)))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            match best {
                Some((i, e)) if e <= 0.06 => {
                    used[i] = true;
                    matched += 1;
                    errors.push(e);
                }
                Some((_, e)) => errors.push(e),
                None => errors.push(f32::NAN),
            }
        }
        let unmatched = used.iter().filter(|u| !**u).count();
        extra += unmatched;
        exact_count += usize::from(quads.len() == image.cards.len());
        if verbose {
            let errors: Vec<String> = errors.iter().map(|e| format!("{e:.3}")).collect();
            println!(
                "{} truth {} found {} unmatched {} errors [{}]",
                image.image,
                image.cards.len(),
                quads.len(),
                unmatched,
                errors.join(", ")
            );
        }
    }
    millis.sort_by(f64::total_cmp);
    println!(
        "{}: {} images, {} cards; located {} ({:.1} %); extra outlines {}; right count on {} images; locate p50 {:.1} ms, max {:.1} ms",
        dir.display(),
        images.len(),
        cards,
        matched,
        100.0 * matched as f64 / cards.max(1) as f64,
        extra,
        exact_count,
        millis[millis.len() / 2],
        millis[millis.len() - 1],
    );
}
