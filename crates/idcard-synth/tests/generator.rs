//! End-to-end checks of the generator: determinism, truth schema, split discipline.

use std::sync::OnceLock;

use idcard_synth::fonts::family_matches;
use idcard_synth::identity::id_is_valid;
use idcard_synth::split::FontSplit;
use idcard_synth::{FontCatalog, Formats, Generator, Mode, SideChoice, Split};

/// Scanning the system fonts takes a moment: do it once for all tests.
fn catalog() -> &'static FontCatalog {
    static C: OnceLock<FontCatalog> = OnceLock::new();
    C.get_or_init(|| FontCatalog::system(FontSplit::builtin()))
}

/// Debug builds (the workspace CI) render about thirty times slower: fewer images there,
/// every mode still covered.
fn many(release: u64, debug: u64) -> u64 {
    if cfg!(debug_assertions) {
        debug
    } else {
        release
    }
}

fn generator(mode: Mode, split: Split, sides: SideChoice, seed: u64) -> Generator<'static> {
    Generator {
        catalog: catalog(),
        mode,
        split,
        sides,
        seed,
        formats: Formats::default(),
    }
}

#[test]
fn same_seed_same_bytes() {
    for mode in [Mode::Scan, Mode::Photo, Mode::Hard, Mode::Sheet] {
        let a = generator(mode, Split::Dev, SideChoice::Random, 42);
        let b = generator(mode, Split::Dev, SideChoice::Random, 42);
        for i in (0..many(2, 1)).map(|k| k * 3) {
            let (x, y) = (a.sample(i), b.sample(i));
            assert_eq!(x.file_name, y.file_name);
            assert!(x.bytes == y.bytes, "{mode:?} image {i} differs");
            assert_eq!(
                serde_json::to_string(&x.truth).unwrap(),
                serde_json::to_string(&y.truth).unwrap()
            );
        }
    }
    let other = generator(Mode::Scan, Split::Dev, SideChoice::Random, 43).sample(0);
    let first = generator(Mode::Scan, Split::Dev, SideChoice::Random, 42).sample(0);
    assert!(other.bytes != first.bytes);
}

const FRONT_KEYS: &[&str] = &[
    "id_number",
    "certificate_number",
    "first_name",
    "last_name",
    "birthday",
    "birthday_arabic",
    "address",
    "region",
];
const BACK_KEYS: &[&str] = &[
    "id_number",
    "issue_date",
    "issue_date_arabic",
    "expiry_date",
    "expiry_date_arabic",
    "gender",
    "gender_en",
    "degree",
    "religion",
    "religion_en",
    "husband_name",
    "jobs",
    "marriage",
    "marriage_en",
];

fn keys(v: &serde_json::Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn truth_line_schema() {
    for (mode, n) in [
        (Mode::Scan, 4),
        (Mode::Photo, 3),
        (Mode::Hard, 3),
        (Mode::Sheet, 1),
    ] {
        let g = generator(mode, Split::Dev, SideChoice::Both, 5);
        for i in 0..n {
            let s = g.sample(i);
            let line = serde_json::to_string(&s.truth).unwrap();
            assert!(line.starts_with(&format!("{{\"image\":\"{}\",", s.file_name)));
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            // serde_json without preserve_order sorts keys: compare as sets.
            let mut top = keys(&v);
            top.sort();
            assert_eq!(top, ["cards", "height", "image", "mode", "split", "width"]);
            assert_eq!(v["mode"], mode.name());
            assert_eq!(v["split"], "dev");
            let (w, h) = (v["width"].as_f64().unwrap(), v["height"].as_f64().unwrap());
            let cards = v["cards"].as_array().unwrap();
            assert_eq!(cards.len(), if mode == Mode::Sheet { 2 } else { 1 });
            for c in cards {
                let mut ck = keys(c);
                ck.sort();
                assert_eq!(ck, ["card_info", "corners", "fonts", "side"]);
                let corners = c["corners"].as_array().unwrap();
                assert_eq!(corners.len(), 4);
                for p in corners {
                    let (x, y) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
                    assert!(x >= -1.0 && y >= -1.0 && x <= w + 1.0 && y <= h + 1.0);
                }
                // Corners go round the card clockwise on screen: never a mirrored card.
                let p = |i: usize| {
                    (
                        corners[i][0].as_f64().unwrap(),
                        corners[i][1].as_f64().unwrap(),
                    )
                };
                let (tl, tr, bl) = (p(0), p(1), p(3));
                let cross = (tr.0 - tl.0) * (bl.1 - tl.1) - (tr.1 - tl.1) * (bl.0 - tl.0);
                assert!(cross > 0.0, "mirrored corners in {}", s.file_name);
                let info = &c["card_info"];
                let mut got = keys(info);
                got.sort();
                let mut want: Vec<String> = match c["side"].as_str().unwrap() {
                    "front" => FRONT_KEYS,
                    "back" => BACK_KEYS,
                    other => panic!("side {other}"),
                }
                .iter()
                .map(|s| s.to_string())
                .collect();
                want.sort();
                assert_eq!(got, want);
                assert!(id_is_valid(info["id_number"].as_str().unwrap()));
            }
            // The image really has the stated size.
            if s.file_name.ends_with(".jpg") || s.file_name.ends_with(".png") {
                // Header only: decoding whole frames is slow in debug builds.
                let (iw, ih) = image::ImageReader::new(std::io::Cursor::new(&s.bytes))
                    .with_guessed_format()
                    .unwrap()
                    .into_dimensions()
                    .unwrap();
                assert_eq!((iw as f64, ih as f64), (w, h));
            } else {
                assert!(s.bytes.starts_with(b"%PDF-1.4"));
            }
        }
    }
}

#[test]
fn both_sides_share_one_person() {
    let g = generator(Mode::Scan, Split::Dev, SideChoice::Both, 9);
    let (f, b) = (g.sample(4).truth, g.sample(5).truth);
    let fi = serde_json::to_value(&f.cards[0]).unwrap();
    let bi = serde_json::to_value(&b.cards[0]).unwrap();
    assert_eq!(fi["side"], "front");
    assert_eq!(bi["side"], "back");
    assert_eq!(fi["card_info"]["id_number"], bi["card_info"]["id_number"]);
}

#[test]
fn holdout_cards_use_only_holdout_faces_and_dev_never_does() {
    let split = FontSplit::builtin();
    let held: Vec<String> = split.all_holdout().cloned().collect();
    let is_held = |label: &str| {
        let family = label.split(" (").next().unwrap();
        held.iter().any(|h| family_matches(family, h))
    };
    for (s, want_held) in [(Split::Holdout, true), (Split::Dev, false)] {
        let g = generator(Mode::Scan, s, SideChoice::Random, 3);
        for i in 0..many(6, 2) {
            let t = g.sample(i).truth;
            for c in &t.cards {
                for (field, label) in &c.fonts {
                    if field == "background" {
                        assert_eq!(label == "waves-dense", want_held, "{label}");
                    } else {
                        assert_eq!(is_held(label), want_held, "{field}: {label}");
                    }
                }
            }
        }
    }
}

#[test]
fn truth_lines_parse_back_into_the_types() {
    use idcard_synth::{CardInfo, TruthLine};
    let g = generator(Mode::Sheet, Split::Dev, SideChoice::Random, 8);
    let s = g.sample(0);
    let line = serde_json::to_string(&s.truth).unwrap();
    let back: TruthLine = serde_json::from_str(&line).unwrap();
    assert_eq!(serde_json::to_string(&back).unwrap(), line);
    assert!(
        matches!(back.cards[0].card_info, CardInfo::Front(_))
            != matches!(back.cards[1].card_info, CardInfo::Front(_))
    );
}
