//! Golden tests per stage on the committed generated fixtures (tests/fixtures/cards):
//! the locate stage finds each card's corners, and the orient stage tells its side and
//! which way up it lies. Tolerances come from measurement and are only ever tightened.

use std::path::PathBuf;

use idcard_ocr::{
    core::{decode, locate, orient, reader, ImageLimits, Side},
    harness::truth,
};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cards")
}

#[test]
fn locate_finds_card_corners() {
    let images = truth::load(&fixtures()).unwrap();
    let mut errors = Vec::new();
    for image in images.iter().filter(|i| i.mode != "sheet") {
        let bytes = std::fs::read(fixtures().join(&image.image)).unwrap();
        let rgb = decode::decode(&bytes, &ImageLimits::default()).unwrap();
        let gray = image::imageops::grayscale(&rgb);
        let quads = locate::locate(&gray, 2);
        let error = quads[0].corner_error(&image.cards[0].corners);
        errors.push((image.image.clone(), error));
    }
    let within: Vec<_> = errors
        .iter()
        .filter(|(_, e)| *e <= MAX_CORNER_ERROR)
        .collect();
    eprintln!("corner errors: {errors:?}");
    let rate = within.len() as f32 / errors.len() as f32;
    assert!(
        rate >= MIN_LOCATED_RATE,
        "corners within {MAX_CORNER_ERROR} of the card width on {:.0} % of fixtures: {errors:?}",
        rate * 100.0
    );
}

/// A corner may miss by this fraction of the card's width (rounded corners, blur).
const MAX_CORNER_ERROR: f32 = 0.06;
/// Measured on the fixtures, minus a margin.
const MIN_LOCATED_RATE: f32 = 0.88;

#[test]
fn orient_ranks_the_true_side_and_turn_first_on_scans_and_photos() {
    let images = truth::load(&fixtures()).unwrap();
    let (mut right, mut total) = (0, 0);
    for image in images
        .iter()
        .filter(|i| i.mode == "scan" || i.mode == "photo")
    {
        let bytes = std::fs::read(fixtures().join(&image.image)).unwrap();
        let rgb = decode::decode(&bytes, &ImageLimits::default()).unwrap();
        let gray = image::imageops::grayscale(&rgb);
        let quad = locate::locate(&gray, 1)[0];
        let card = locate::warp_card(&gray, &quad, reader::CARD_WIDTH, reader::CARD_HEIGHT);
        let best = orient::hypotheses(&card)[0];
        let side = if image.cards[0].side == "front" {
            Side::Front
        } else {
            Side::Back
        };
        total += 1;
        right += usize::from(best.side == side);
    }
    let rate = right as f32 / total as f32;
    assert!(
        rate >= 0.85,
        "side right from print alone on {right} of {total}"
    );
}

/// A sheet (front and back of one card on one scanned page) yields one outline per card,
/// each on its card, and the print on each tells its side.
#[test]
fn locate_finds_every_card_on_a_sheet() {
    let images = truth::load(&fixtures()).unwrap();
    let sheets: Vec<_> = images.iter().filter(|i| i.mode == "sheet").collect();
    assert!(!sheets.is_empty());
    let (mut cards, mut located, mut sided) = (0, 0, 0);
    let mut report = Vec::new();
    for image in sheets {
        let bytes = std::fs::read(fixtures().join(&image.image)).unwrap();
        let rgb = decode::decode(&bytes, &ImageLimits::default()).unwrap();
        let gray = image::imageops::grayscale(&rgb);
        let quads = locate::locate(&gray, 4);
        assert_eq!(
            quads.len(),
            image.cards.len(),
            "{}: {} outlines for {} cards",
            image.image,
            quads.len(),
            image.cards.len()
        );
        for card in &image.cards {
            cards += 1;
            let (quad, error) = quads
                .iter()
                .map(|q| (q, q.corner_error(&card.corners)))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap();
            let warped = locate::warp_card(&gray, quad, reader::CARD_WIDTH, reader::CARD_HEIGHT);
            let side = orient::hypotheses(&warped)[0].side;
            let truth = if card.side == "front" {
                Side::Front
            } else {
                Side::Back
            };
            located += usize::from(error <= MAX_CORNER_ERROR);
            sided += usize::from(side == truth);
            report.push((image.image.clone(), card.side.clone(), error, side));
        }
    }
    eprintln!("sheet cards: {report:?}");
    assert_eq!(located, cards, "corners: {report:?}");
    assert_eq!(sided, cards, "sides: {report:?}");
}

/// One fixture of `tests/fixtures/locate`: its truth and the outlines located in it.
fn located(name: &str) -> (truth::TruthImage, Vec<locate::Quad>) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/locate");
    let image = truth::load(&dir)
        .unwrap()
        .into_iter()
        .find(|i| i.image == name)
        .unwrap();
    let bytes = std::fs::read(dir.join(&image.image)).unwrap();
    let rgb = decode::decode(&bytes, &ImageLimits::default()).unwrap();
    let gray = image::imageops::grayscale(&rgb);
    let quads = locate::locate(&gray, 2);
    (image, quads)
}

/// A photo of one card on a table whose texture runs in card-sized strips (generated,
/// `idcard-synth --mode photo --seed 41`, image 84): the strips are no page of cards, and
/// the card's own outline is the one returned.
#[test]
fn a_textured_table_is_no_page_of_cards() {
    let (image, quads) = located("textured-table.jpg");
    assert_eq!(quads.len(), 1, "outlines: {quads:?}");
    let error = quads[0].corner_error(&image.cards[0].corners);
    assert!(error <= MAX_CORNER_ERROR, "corner error {error}");
}

/// A hard capture (generated, `idcard-synth --mode hard --seed 21`, image 66) whose glare
/// spills over the card's lower edge onto the table: the bright mask's outline took the
/// lit table in, a corner 13 % of the card's width too low, until the sides were snapped
/// to the card's edge in the full image.
#[test]
fn glare_over_the_edge_does_not_bend_the_outline() {
    let (image, quads) = located("glare-over-edge.jpg");
    assert_eq!(quads.len(), 1, "outlines: {quads:?}");
    let error = quads[0].corner_error(&image.cards[0].corners);
    assert!(error <= 0.01, "corner error {error}");
}
