//! The model-location flags shared by `idcard-server` and `idcard`.

use std::path::PathBuf;

use crate::core::ocr::ModelPaths;

/// Where the models are: the same flags and environment variables for the server and the CLI.
#[derive(Debug, Clone, clap::Args)]
pub struct ModelArgs {
    /// Directory holding Tesseract's ara and eng models.
    #[arg(
        long,
        env = "IDCARD_TESSDATA_DIR",
        default_value = "/usr/share/tesseract-ocr/5/tessdata"
    )]
    pub tessdata_dir: PathBuf,
    /// The project's digit model (the glyph reader's weights).
    #[arg(
        long,
        env = "IDCARD_DIGITS_MODEL",
        default_value = "models/idcard_glyphs.bin"
    )]
    pub digits_model: PathBuf,
    /// The project's Tesseract digit model, asked when the digit reader's answer breaks
    /// the card's rules.
    #[arg(
        long,
        env = "IDCARD_TESSERACT_DIGITS_MODEL",
        default_value = "models/idcard_digits.traineddata"
    )]
    pub tesseract_digits_model: PathBuf,
    /// The same Tesseract digit model tuned on card captures, asked when the first one's
    /// answer breaks the card's rules too.
    #[arg(
        long,
        env = "IDCARD_CARD_DIGITS_MODEL",
        default_value = "models/idcard_digits_cards.traineddata"
    )]
    pub card_digits_model: PathBuf,
    /// The project's Arabic model for the card's word lines (names, address, professions).
    #[arg(
        long,
        env = "IDCARD_WORDS_MODEL",
        default_value = "models/idcard_ara.traineddata"
    )]
    pub words_model: PathBuf,
}

impl ModelArgs {
    /// The paths the engines load.
    pub fn paths(&self) -> ModelPaths {
        ModelPaths {
            tessdata_dir: self.tessdata_dir.clone(),
            digits_model: self.digits_model.clone(),
            tesseract_digits_model: self.tesseract_digits_model.clone(),
            card_digits_model: self.card_digits_model.clone(),
            words_model: self.words_model.clone(),
        }
    }
}
