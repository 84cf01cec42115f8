//! The generator is deterministic per (seed, index) and writes only the model's alphabet.
//! Needs the Arabic fonts of the development machine (fontconfig).

use std::path::PathBuf;

use idcard_linegen::fonts::{discover, Script, Split};
use idcard_linegen::{generate, Mode, LATEST_RECIPE};

fn split_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/font-split.toml")
}

#[test]
fn same_seed_same_lines_and_labels_use_the_alphabet() {
    let faces = discover(&split_file(), Script::Arabic, Split::Train).expect("train fonts");
    for mode in [Mode::Mixed, Mode::Clean, Mode::Degraded] {
        for i in 0..15 {
            let a = generate(&faces, 9, i, mode, LATEST_RECIPE);
            let b = generate(&faces, 9, i, mode, LATEST_RECIPE);
            assert_eq!(a.text, b.text);
            assert_eq!(
                a.image.as_raw(),
                b.image.as_raw(),
                "line {i} differs between runs"
            );
            assert!(a
                .text
                .chars()
                .all(|c| ('\u{660}'..='\u{669}').contains(&c) || c == '/' || c == ' '));
            let h = a.image.height();
            match mode {
                Mode::Mixed => assert!((18..=60).contains(&h)),
                Mode::Clean => assert!((24..=40).contains(&h)),
                Mode::Degraded => assert!((18..=24).contains(&h)),
            }
        }
    }
}

#[test]
fn held_out_fonts_never_train() {
    let train = discover(&split_file(), Script::Arabic, Split::Train).expect("train fonts");
    let val = discover(&split_file(), Script::Arabic, Split::Validation).expect("val fonts");
    let held = discover(&split_file(), Script::Arabic, Split::Holdout).expect("held-out fonts");
    for h in &held {
        assert!(
            train.iter().chain(&val).all(|f| f.family != h.family),
            "{h:?}"
        );
    }
    for v in &val {
        assert!(train.iter().all(|f| f.family != v.family), "{v:?}");
    }
}
