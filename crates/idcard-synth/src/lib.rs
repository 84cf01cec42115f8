//! Synthetic Egyptian national ID cards with known truth (issue 3).
//!
//! No real card may be used, so this crate draws cards that follow
//! `shared/docs/card-layout.md`: consistent identities ([`identity`]), the printed layout
//! ([`layout`]), shaped Arabic text ([`text`]), security print and pictures
//! ([`background`]), capture conditions ([`capture`], [`degrade`]) and the truth lines
//! ([`output`]). [`Generator`] chains them; the `idcard-synth` binary is its CLI.
#![forbid(unsafe_code)]
// Pixel and matrix kernels index several parallel arrays per channel; index loops read
// clearer there than zipped iterators.
#![allow(clippy::needless_range_loop)]

pub mod background;
pub mod capture;
pub mod card;
pub mod degrade;
pub mod fonts;
pub mod geometry;
pub mod identity;
pub mod layout;
pub mod output;
pub mod split;
pub mod text;
pub mod vocab;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use capture::{Formats, Mode};
pub use fonts::FontCatalog;
pub use identity::{BackInfo, FrontInfo, Identity};
pub use layout::Side;
pub use output::{CardInfo, TruthCard, TruthLine};
pub use split::Split;

/// Which sides the images show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SideChoice {
    Front,
    Back,
    /// Pairs: image 2k shows the front and image 2k+1 the back of the same person.
    Both,
    /// A random side per image.
    Random,
}

/// One encoded image with its truth.
pub struct Sample {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub truth: TruthLine,
}

/// Generates images; each one depends only on (seed, mode, split, side choice, index).
pub struct Generator<'c> {
    pub catalog: &'c FontCatalog,
    pub mode: Mode,
    pub split: Split,
    pub sides: SideChoice,
    pub seed: u64,
    /// How scans are encoded.
    pub formats: Formats,
}

/// FNV-1a, to fold the run's settings into the seed.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Generator<'_> {
    /// A ChaCha stream for one purpose and index: independent of everything generated
    /// before, so any image can be regenerated alone.
    fn rng(&self, purpose: u64, index: u64) -> ChaCha8Rng {
        let key = self.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ fnv(self.mode.name())
            ^ fnv(self.split.name()).rotate_left(17);
        let mut r = ChaCha8Rng::seed_from_u64(key);
        r.set_stream((purpose << 40) | index);
        r
    }

    /// The `index`-th image (0-based; files are numbered from 1).
    pub fn sample(&self, index: u64) -> Sample {
        let (person, side_fixed) = match self.sides {
            SideChoice::Front => (index, Some(Side::Front)),
            SideChoice::Back => (index, Some(Side::Back)),
            SideChoice::Both => (
                index / 2,
                Some(if index.is_multiple_of(2) {
                    Side::Front
                } else {
                    Side::Back
                }),
            ),
            SideChoice::Random => (index, None),
        };
        let id = Identity::generate(&mut self.rng(1, person));
        let mut rng = self.rng(2, index);
        let side = side_fixed.unwrap_or(if rng.gen_bool(0.5) {
            Side::Front
        } else {
            Side::Back
        });
        let cap = capture::capture(
            self.mode,
            side,
            &id,
            self.split,
            self.catalog,
            self.formats,
            &mut rng,
        );
        let ext = output::extension(cap.encoding);
        let file_name = format!("{}-{:04}.{ext}", self.mode.name(), index + 1);
        let bytes = output::encode(&cap.image, cap.encoding);
        let cards = cap
            .cards
            .into_iter()
            .map(|c| TruthCard {
                side: c.side,
                corners: output::round_corners(c.corners),
                card_info: match c.side {
                    Side::Front => CardInfo::Front(id.front_info()),
                    Side::Back => CardInfo::Back(id.back_info()),
                },
                fonts: {
                    let mut f = c.fonts;
                    f.insert("background".to_string(), c.background.to_string());
                    f
                },
            })
            .collect();
        let truth = TruthLine {
            image: file_name.clone(),
            mode: self.mode.name().to_string(),
            split: self.split.name().to_string(),
            width: cap.image.width(),
            height: cap.image.height(),
            cards,
        };
        Sample {
            file_name,
            bytes,
            truth,
        }
    }
}
