//! The recognition core: bytes in, card readings or a typed error out.
//!
//! No transport code lives here (no tonic, no tokio): the server and the CLI are thin
//! layers over [`recognize`].

pub mod align;
pub mod blur;
pub mod decode;
pub mod edges;
pub mod error;
pub mod fields;
pub mod format;
pub mod glyphs;
pub mod layout;
pub mod limits;
pub mod lines;
pub mod locate;
pub mod ocr;
pub mod orient;
pub mod pdf;
pub mod reader;
pub mod reading;
pub mod resample;
pub mod sharpen;
pub mod snap;
pub mod text;
pub mod warp;

pub use error::{CoreError, Reason};
pub use limits::ImageLimits;
pub use reading::{CardFields, CardReading, Field, Side};

/// Reads every card side in an image: decode, then read. Runs on the engine's thread.
pub fn recognize(
    engine: &mut ocr::Engine,
    bytes: &[u8],
    limits: &ImageLimits,
) -> Result<Vec<CardReading>, CoreError> {
    let image = decode::decode(bytes, limits)?;
    reader::read_cards(engine, &image)
}

/// [`recognize`], also recording each straightened card and its line boxes.
pub fn recognize_traced(
    engine: &mut ocr::Engine,
    bytes: &[u8],
    limits: &ImageLimits,
    trace: &mut reader::Trace,
) -> Result<Vec<CardReading>, CoreError> {
    let image = decode::decode(bytes, limits)?;
    reader::read_cards_traced(engine, &image, Some(trace))
}
