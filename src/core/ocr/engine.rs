//! One Tesseract engine: the three models a card needs, loaded once, reused for every job.

use std::{
    ffi::CString,
    path::{Path, PathBuf},
};

use image::GrayImage;
use leptess::tesseract::TessApi;

use super::words::{attach_choices, parse_tsv, Word};
use crate::core::glyphs::{DigitReader, LineEnd};

/// Which trained model reads a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// Stock `ara` (Debian's tesseract-ocr-ara): the card's printed labels and the status
    /// row's closed vocabularies.
    Arabic,
    /// The project's `ara` fine-tuned on the card's word lines
    /// (`models/idcard_ara.traineddata`, training/train-arabic.sh): names, address,
    /// region, professions. It also gives the characters it weighed at each place of a
    /// word (see [`Word::choices`]): those lines print words from lists (names, titles,
    /// districts), and a misread word is checked against them.
    Words,
    /// Stock `eng`: the Latin card serial.
    Latin,
    /// Debian's Arabic script model (tesseract-ocr-script-arab), trained on every language
    /// written in Arabic script: the third opinion on a name, address, profession or
    /// region word that neither the word model nor stock `ara` read as a listed one.
    ArabicScript,
    /// The project's own glyph reader (`models/idcard_glyphs.bin`, see
    /// [`crate::core::glyphs`]): Arabic-Indic digits of the ID and the dates.
    Digits,
    /// The project's Tesseract LSTM for the same lines (`models/idcard_digits.traineddata`):
    /// the second opinion when the glyph reader's answer breaks the card's rules.
    DigitsTesseract,
    /// The same LSTM tuned further on digit lines cropped from generated phone photos and
    /// poor captures (`models/idcard_digits_cards.traineddata`): the third opinion, asked
    /// when the second's answer breaks the rules too. It reads blurred lines far better
    /// but drops an end digit of some clean faces the second reads whole.
    DigitsCards,
}

/// Where the models live.
#[derive(Debug, Clone)]
pub struct ModelPaths {
    /// The directory holding `ara.traineddata`, `eng.traineddata` and `Arabic.traineddata`.
    pub tessdata_dir: PathBuf,
    /// The project's digit model file, `idcard_glyphs.bin`.
    pub digits_model: PathBuf,
    /// The project's Tesseract digit model, `idcard_digits.traineddata`.
    pub tesseract_digits_model: PathBuf,
    /// The same model tuned on card captures, `idcard_digits_cards.traineddata`.
    pub card_digits_model: PathBuf,
    /// The project's Arabic word model, `idcard_ara.traineddata`.
    pub words_model: PathBuf,
}

impl ModelPaths {
    /// Debian's tessdata and the digit model in `models/` of the given project root.
    pub fn debian_defaults(project_root: &Path) -> Self {
        Self {
            tessdata_dir: PathBuf::from("/usr/share/tesseract-ocr/5/tessdata"),
            digits_model: project_root.join("models/idcard_glyphs.bin"),
            tesseract_digits_model: project_root.join("models/idcard_digits.traineddata"),
            card_digits_model: project_root.join("models/idcard_digits_cards.traineddata"),
            words_model: project_root.join("models/idcard_ara.traineddata"),
        }
    }

    /// Checks that every model file exists, naming the first missing one.
    pub fn verify(&self) -> Result<(), EngineError> {
        for file in [
            self.tessdata_dir.join("ara.traineddata"),
            self.tessdata_dir.join("eng.traineddata"),
            self.tessdata_dir.join("Arabic.traineddata"),
            self.digits_model.clone(),
            self.tesseract_digits_model.clone(),
            self.card_digits_model.clone(),
            self.words_model.clone(),
        ] {
            if !file.is_file() {
                return Err(EngineError::MissingModel(file));
            }
        }
        Ok(())
    }
}

/// Why an engine could not be made or used. Only the operator sees these.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A model file is not where the configuration says.
    #[error("model file not found: {0}")]
    MissingModel(PathBuf),
    /// Tesseract refused to load a model.
    #[error("tesseract could not load the {0:?} model from {1}")]
    Init(Model, PathBuf),
    /// The digit model file is not a model we wrote.
    #[error("the digit model {0} is unreadable: {1}")]
    DigitModel(PathBuf, String),
    /// Tesseract refused an image or a setting.
    #[error("tesseract rejected {0}")]
    Rejected(&'static str),
}

/// Text read from one rectangle.
#[derive(Debug, Clone, Default)]
pub struct Recognized {
    /// The text, trimmed.
    pub text: String,
    /// Tesseract's mean word confidence, 0..=1.
    pub confidence: f32,
    /// Tesseract's words with their boxes, in reading order; empty for the glyph reader.
    pub words: Vec<Word>,
}

/// The three models: two Tesseract handles and the glyph digit reader, plus the card they
/// read. `Send`, not `Sync`: one thread at a time.
pub struct Engine {
    arabic: Handle,
    words: Handle,
    latin: Handle,
    digits: DigitReader,
    digits_tesseract: Handle,
    digits_cards: Handle,
    arabic_script: Handle,
    /// The current card. The digit reader works on these pixels directly; a Tesseract
    /// model is handed a copy when it first reads (see [`Handle`]).
    card: GrayImage,
}

/// One loaded Tesseract model, and whether it holds the current card yet. Tesseract copies
/// the whole image into each model it is given to; most cards are read by two or three of
/// the six, and the side check sets a card that is set again, evenly lit, before the
/// fields: so a model is handed the card only when it is first asked to read it.
struct Handle {
    api: TessApi,
    holds_card: bool,
}

impl Handle {
    fn new(api: TessApi) -> Self {
        Self {
            api,
            holds_card: false,
        }
    }

    /// The model, holding `card`.
    fn with_card(&mut self, card: &GrayImage) -> Result<&mut TessApi, EngineError> {
        if !self.holds_card {
            let (width, height) = (card.width() as i32, card.height() as i32);
            self.api
                .raw
                .set_image(card.as_raw(), width, height, 1, width)
                .map_err(|_| EngineError::Rejected("the image"))?;
            // The canonical card is about 300 dpi at its working width; saying so keeps
            // Tesseract from guessing (and warning) per call.
            self.api.set_source_resolution(300);
            self.holds_card = true;
        }
        Ok(&mut self.api)
    }

    /// One line-mode reading of `rect` in `image`, an image of its own (a sharpened or
    /// resized crop of the card), with no whitelist; the card is set again at the model's
    /// next reading of it.
    fn read_own_image(
        &mut self,
        image: &GrayImage,
        rect: crate::core::layout::PixelRect,
    ) -> Result<Recognized, EngineError> {
        self.holds_card = false;
        let (width, height) = (image.width() as i32, image.height() as i32);
        self.api
            .raw
            .set_image(image.as_raw(), width, height, 1, width)
            .map_err(|_| EngineError::Rejected("the image"))?;
        self.api.set_source_resolution(300);
        set(&mut self.api, "tessedit_char_whitelist", "")?;
        recognize(&mut self.api, rect, "7", false)
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}

impl Engine {
    /// Loads the models. Slow (tens of milliseconds): do it once per engine, at start-up.
    pub fn new(paths: &ModelPaths) -> Result<Self, EngineError> {
        paths.verify()?;
        let load = |model: Model, dir: &Path, lang: &str| {
            let dir_str = dir
                .to_str()
                .ok_or(EngineError::Init(model, dir.to_path_buf()))?;
            TessApi::new(Some(dir_str), lang)
                .map_err(|_| EngineError::Init(model, dir.to_path_buf()))
        };
        let digits = DigitReader::load(&paths.digits_model)
            .map_err(|e| EngineError::DigitModel(paths.digits_model.clone(), e.to_string()))?;
        // A model of the project's own is a file: Tesseract wants its directory and name.
        let load_file = |model: Model, file: &Path| {
            let dir = file.parent().unwrap_or(Path::new("."));
            let lang = file
                .file_stem()
                .and_then(|s| s.to_str())
                .ok_or(EngineError::Init(model, file.to_path_buf()))?;
            load(model, dir, lang)
        };
        let mut engine = Self {
            arabic: Handle::new(load(Model::Arabic, &paths.tessdata_dir, "ara")?),
            words: Handle::new(load_file(Model::Words, &paths.words_model)?),
            latin: Handle::new(load(Model::Latin, &paths.tessdata_dir, "eng")?),
            digits,
            digits_tesseract: Handle::new(load_file(
                Model::DigitsTesseract,
                &paths.tesseract_digits_model,
            )?),
            digits_cards: Handle::new(load_file(Model::DigitsCards, &paths.card_digits_model)?),
            arabic_script: Handle::new(load(Model::ArabicScript, &paths.tessdata_dir, "Arabic")?),
            card: GrayImage::new(1, 1),
        };
        // Keep Tesseract from writing debug files or chatter to stderr.
        for handle in engine.handles() {
            set(&mut handle.api, "debug_file", "/dev/null")?;
        }
        // 2 = the word model's alternatives from its decoder, one place per character.
        set(&mut engine.words.api, "lstm_choice_mode", "2")?;
        Ok(engine)
    }

    /// Every Tesseract model.
    fn handles(&mut self) -> [&mut Handle; 6] {
        [
            &mut self.arabic,
            &mut self.words,
            &mut self.latin,
            &mut self.digits_tesseract,
            &mut self.digits_cards,
            &mut self.arabic_script,
        ]
    }

    /// Makes `image` the card every model reads. Called once per card (or per way up
    /// tried); fields are then read by rectangle, so the image is not copied per field.
    pub fn set_image(&mut self, image: &GrayImage) {
        self.card.clone_from(image);
        for handle in self.handles() {
            handle.holds_card = false;
        }
    }

    /// The run of digit glyphs in `rect` shaped like `shape` nearest to `end` (see
    /// [`DigitReader::read_shaped`]).
    pub fn read_shaped(
        &self,
        rect: crate::core::layout::PixelRect,
        shape: &str,
        end: LineEnd,
    ) -> Option<Recognized> {
        let rect = clip(rect, self.card.width() as i32, self.card.height() as i32)?;
        self.digits.read_shaped(&self.card, rect, shape, end)
    }

    /// Every digit glyph in `rect`, with a space at each wide gap (see
    /// [`DigitReader::read_line`]); `Model::Digits` keeps only the longest run.
    pub fn read_all_digits(&self, rect: crate::core::layout::PixelRect) -> Recognized {
        match clip(rect, self.card.width() as i32, self.card.height() as i32) {
            Some(rect) => self.digits.read_line(&self.card, rect),
            None => Recognized::default(),
        }
    }

    /// The glyphs of the glyph reader's main run in `rect`, each with its runner-up.
    pub fn read_digit_glyphs(
        &self,
        rect: crate::core::layout::PixelRect,
    ) -> Vec<crate::core::glyphs::GlyphReading> {
        match clip(rect, self.card.width() as i32, self.card.height() as i32) {
            Some(rect) => self.digits.main_run_glyphs(&self.card, rect),
            None => Vec::new(),
        }
    }

    /// The glyph reader's main run in `rect` with the light along the line evened out
    /// first: a second reading for digits that fade in part of the line.
    pub fn read_digits_evened(&self, rect: crate::core::layout::PixelRect) -> Recognized {
        match clip(rect, self.card.width() as i32, self.card.height() as i32) {
            Some(rect) => self.digits.read_main_run_evened(&self.card, rect),
            None => Recognized::default(),
        }
    }

    /// One Tesseract line-mode reading of `rect` with `model`, without the second,
    /// raw-line reading that [`Engine::read_line`] adds for a doubtful Arabic line: for a
    /// caller that only looks for known words and asks again when they are not there.
    pub fn read_line_once(
        &mut self,
        model: Model,
        rect: crate::core::layout::PixelRect,
    ) -> Result<Recognized, EngineError> {
        self.read_line_with(model, rect, None, false)
    }

    /// Reads one rectangle of the current image as a single text line with `model`,
    /// restricted to `whitelist` when one is given.
    pub fn read_line(
        &mut self,
        model: Model,
        rect: crate::core::layout::PixelRect,
        whitelist: Option<&str>,
    ) -> Result<Recognized, EngineError> {
        self.read_line_with(model, rect, whitelist, true)
    }

    /// The glyph reader's main run in `rect` with the line sharpened first by `mask` (see
    /// [`Engine::read_line_sharpened`]).
    pub fn read_digits_sharpened(
        &self,
        rect: crate::core::layout::PixelRect,
        mask: crate::core::sharpen::UnsharpMask,
    ) -> Recognized {
        // The mask reads a few pixels beyond the line, so its ends sharpen like its middle.
        let margin = (mask.sigma * 3.0).ceil() as i32;
        match self.sharpened_crop(rect, mask, margin) {
            Some((sharp, line)) => self.digits.read_main_run(&sharp, line),
            None => Recognized::default(),
        }
    }

    /// One Tesseract line-mode reading of `rect` with `model`, its strokes sharpened first
    /// by `mask`: a blur that runs a small face's digits together loses glyphs that the
    /// sharpened line keeps apart. The model is handed the sharpened crop alone, and the
    /// card again at its next reading.
    pub fn read_line_sharpened(
        &mut self,
        model: Model,
        rect: crate::core::layout::PixelRect,
        mask: crate::core::sharpen::UnsharpMask,
    ) -> Result<Recognized, EngineError> {
        let Some((sharp, line)) = self.sharpened_crop(rect, mask, 0) else {
            return Ok(Recognized::default());
        };
        let Some((handle, _)) = self.tesseract_and_card(model) else {
            return Ok(self.read_digits_sharpened(rect, mask));
        };
        handle.read_own_image(&sharp, line)
    }

    /// One Tesseract line-mode reading of `rect` with `model`, the crop resized by `scale`
    /// first. Tesseract's models read a word differently at another sampling of the same
    /// print: on dev scans the word model dropped the first letter of some short names
    /// (صفية read فية) at the card's scale and read them whole at half of it. The model is
    /// handed the resized crop alone, and the card again at its next reading.
    pub fn read_line_scaled(
        &mut self,
        model: Model,
        rect: crate::core::layout::PixelRect,
        scale: f32,
    ) -> Result<Recognized, EngineError> {
        let (card_width, card_height) = (self.card.width() as i32, self.card.height() as i32);
        let Some((left, top, width, height)) = clip(rect, card_width, card_height) else {
            return Ok(Recognized::default());
        };
        let crop = image::imageops::crop_imm(
            &self.card,
            left as u32,
            top as u32,
            width as u32,
            height as u32,
        )
        .to_image();
        let scaled_width = ((width as f32 * scale).round() as u32).max(4);
        let scaled_height = ((height as f32 * scale).round() as u32).max(4);
        let scaled = crate::core::resample::triangle_resize(&crop, scaled_width, scaled_height);
        let Some((handle, _)) = self.tesseract_and_card(model) else {
            return Ok(self.digits.read_main_run(&self.card, rect));
        };
        let whole = (0, 0, scaled_width as i32, scaled_height as i32);
        handle.read_own_image(&scaled, whole)
    }

    /// `rect` of the card (clipped to it) and `margin` pixels around it, sharpened by
    /// `mask`, with where `rect` lies in it; `None` when too little of `rect` is on the card.
    fn sharpened_crop(
        &self,
        rect: crate::core::layout::PixelRect,
        mask: crate::core::sharpen::UnsharpMask,
        margin: i32,
    ) -> Option<(GrayImage, crate::core::layout::PixelRect)> {
        let (card_width, card_height) = (self.card.width() as i32, self.card.height() as i32);
        let (left, top, width, height) = clip(rect, card_width, card_height)?;
        let (x, y, w, h) = clip(
            (
                left - margin,
                top - margin,
                width + 2 * margin,
                height + 2 * margin,
            ),
            card_width,
            card_height,
        )?;
        let crop = image::imageops::crop_imm(&self.card, x as u32, y as u32, w as u32, h as u32)
            .to_image();
        Some((mask.apply(&crop), (left - x, top - y, width, height)))
    }

    /// The Tesseract handle of `model`, and the card it reads; `None` for the glyph reader.
    fn tesseract_and_card(&mut self, model: Model) -> Option<(&mut Handle, &GrayImage)> {
        let handle = match model {
            Model::Arabic => &mut self.arabic,
            Model::Words => &mut self.words,
            Model::Latin => &mut self.latin,
            Model::ArabicScript => &mut self.arabic_script,
            Model::DigitsTesseract => &mut self.digits_tesseract,
            Model::DigitsCards => &mut self.digits_cards,
            Model::Digits => return None,
        };
        Some((handle, &self.card))
    }

    /// [`Engine::read_line`], with the raw-line second reading of a doubtful Arabic line
    /// only when `second_reading` is set.
    fn read_line_with(
        &mut self,
        model: Model,
        rect: crate::core::layout::PixelRect,
        whitelist: Option<&str>,
        second_reading: bool,
    ) -> Result<Recognized, EngineError> {
        // A rectangle outside the image makes leptonica hand Tesseract a null image, which
        // it does not survive: clip to the card, and read nothing from an empty rectangle.
        let Some(rect) = clip(rect, self.card.width() as i32, self.card.height() as i32) else {
            return Ok(Recognized::default());
        };
        let Some((handle, card)) = self.tesseract_and_card(model) else {
            // The longest run between wide gaps: an ID or a date holds no space, and the
            // glyphs a search zone catches from a neighbour stand apart.
            return Ok(self.digits.read_main_run(&self.card, rect));
        };
        let api = handle.with_card(card)?;
        set(api, "tessedit_char_whitelist", whitelist.unwrap_or(""))?;
        let with_choices = model == Model::Words;
        // 7 = treat the rectangle as one text line.
        let line = recognize(api, rect, "7", with_choices)?;
        if !second_reading
            || !matches!(model, Model::Arabic | Model::Words)
            || (!line.text.is_empty() && line.confidence >= LOW_CONFIDENCE)
        {
            return Ok(line);
        }
        // Tesseract's line mode sometimes returns nothing for a short Arabic word far to
        // one end of a wide rectangle (a one-word profession, a short first name), or reads
        // a display face poorly; raw-line mode (13), which skips the layout analysis, is
        // asked too, and the surer reading kept.
        let raw = recognize(api, rect, "13", with_choices)?;
        Ok(
            if line.text.is_empty() || raw.confidence > line.confidence {
                raw
            } else {
                line
            },
        )
    }
}

/// Below this mean word confidence an Arabic line is read a second way.
const LOW_CONFIDENCE: f32 = 0.6;

/// One Tesseract reading of `rect` in page segmentation mode `psm`, with each word's
/// character alternatives when `with_choices` (the model must have `lstm_choice_mode` set).
fn recognize(
    api: &mut TessApi,
    rect: crate::core::layout::PixelRect,
    psm: &str,
    with_choices: bool,
) -> Result<Recognized, EngineError> {
    set(api, "tessedit_pageseg_mode", psm)?;
    let (left, top, width, height) = rect;
    api.set_rectangle(left, top, width, height);
    let text = api
        .get_utf8_text()
        .map_err(|_| EngineError::Rejected("a recognition result as UTF-8"))?;
    let confidence = (api.mean_text_conf().clamp(0, 100) as f32) / 100.0;
    // The TSV is written from the same recognition result, not a second recognition.
    let mut words = api
        .get_tsv_text(0)
        .map(|tsv| parse_tsv(&tsv))
        .unwrap_or_default();
    if with_choices {
        if let Ok(hocr) = api.get_hocr_text(0) {
            attach_choices(&mut words, &hocr);
        }
    }
    Ok(Recognized {
        text: text.trim().to_string(),
        confidence,
        words,
    })
}

/// `rect` clipped to a `width` x `height` image; `None` when too little of it is inside.
fn clip(
    rect: crate::core::layout::PixelRect,
    width: i32,
    height: i32,
) -> Option<crate::core::layout::PixelRect> {
    let (left, top, w, h) = rect;
    let (x0, y0) = (left.clamp(0, width), top.clamp(0, height));
    let (x1, y1) = ((left + w).clamp(0, width), (top + h).clamp(0, height));
    (x1 - x0 >= 4 && y1 - y0 >= 4).then_some((x0, y0, x1 - x0, y1 - y0))
}

fn set(api: &mut TessApi, name: &str, value: &str) -> Result<(), EngineError> {
    let name_c = CString::new(name).map_err(|_| EngineError::Rejected("a variable name"))?;
    let value_c = CString::new(value).map_err(|_| EngineError::Rejected("a variable value"))?;
    api.raw
        .set_variable(&name_c, &value_c)
        .map_err(|_| EngineError::Rejected("a variable"))
}
