//! The repository's fixture set (tests/fixtures/cards, made by scripts/make-fixtures.sh)
//! must match its truth and stay what the generator makes.

use std::path::PathBuf;

use idcard_synth::identity::id_is_valid;
use idcard_synth::split::FontSplit;
use idcard_synth::{CardInfo, FontCatalog, Formats, Generator, Mode, SideChoice, Split, TruthLine};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/cards")
}

fn lines() -> Option<Vec<TruthLine>> {
    let text = std::fs::read_to_string(dir().join("truth.jsonl")).ok()?;
    Some(
        text.lines()
            .map(|l| serde_json::from_str(l).expect("truth line parses"))
            .collect(),
    )
}

#[test]
fn fixture_truth_matches_the_files() {
    let Some(lines) = lines() else {
        eprintln!("no fixtures: skipped");
        return;
    };
    assert!(lines.len() >= 30);
    for t in &lines {
        let bytes = std::fs::read(dir().join(&t.image)).expect("image listed in truth exists");
        if t.image.ends_with(".pdf") {
            assert!(bytes.starts_with(b"%PDF-"));
        } else {
            // Header only: decoding whole frames is slow in debug builds.
            let dims = image::ImageReader::new(std::io::Cursor::new(&bytes))
                .with_guessed_format()
                .expect("readable")
                .into_dimensions()
                .expect("image header");
            assert_eq!(dims, (t.width, t.height), "{}", t.image);
        }
        for c in &t.cards {
            let id = match &c.card_info {
                CardInfo::Front(f) => &f.id_number,
                CardInfo::Back(b) => &b.id_number,
            };
            assert!(id_is_valid(id), "{}", t.image);
        }
    }
}

/// Golden check: the first fixture is regenerated bit for bit with the script's settings.
/// If this fails after a deliberate change to the generator, run scripts/make-fixtures.sh.
#[test]
fn first_fixture_regenerates_identically() {
    let Some(lines) = lines() else {
        eprintln!("no fixtures: skipped");
        return;
    };
    assert_eq!(lines[0].image, "scan-0001.jpg");
    // The faces the fixtures were drawn from, whatever else this machine has installed.
    let list = dir().join("../card-fonts.txt");
    let files = FontCatalog::read_list(&list)
        .unwrap_or_else(|e| panic!("{e}: scripts/setup.sh --test installs the fixtures' fonts"));
    let cat = FontCatalog::from_files(files, FontSplit::builtin());
    let g = Generator {
        catalog: &cat,
        mode: Mode::Scan,
        split: Split::Dev,
        sides: SideChoice::Both,
        seed: 301,
        formats: Formats { png: 0.0, pdf: 0.3 },
    };
    let s = g.sample(0);
    let want = std::fs::read(dir().join("scan-0001.jpg")).unwrap();
    assert!(
        s.bytes == want,
        "generator output drifted from tests/fixtures/cards: rerun scripts/make-fixtures.sh"
    );
    assert_eq!(
        serde_json::to_string(&s.truth).unwrap(),
        serde_json::to_string(&lines[0]).unwrap()
    );
}
