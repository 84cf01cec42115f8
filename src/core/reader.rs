//! The pipeline that chains the stages: locate each card, straighten it, tell its side
//! and orientation from its print (confirmed by reading the side's printed label), find
//! each line near its nominal zone, read it with the model the layout table names, and
//! check and repair the fields with what the card's rules say.

use image::{imageops, GrayImage, RgbImage};

use super::{
    align::{self, Alignment},
    error::CoreError,
    fields::{
        crosscheck, digits, lexicon,
        national_id::{self, NationalIdFacts},
        parse,
        vocabulary::{self, Matched},
    },
    glyphs::LineEnd,
    layout::{self, LineSpec, PixelRect, Zone},
    lines::{self, InkMap},
    locate::{self, Quad},
    ocr::{Engine, EngineError, Model, Recognized},
    orient,
    reading::{BackFields, CardFields, CardReading, Field, FrontFields, Side},
    text::fold_arabic,
};

/// The canonical card size the fields are read at (ID-1 aspect 1.586).
pub const CARD_WIDTH: u32 = 1000;
/// See [`CARD_WIDTH`].
pub const CARD_HEIGHT: u32 = 631;

/// Below this a side's printed label was not found: the image holds no card.
const MIN_SIDE_SCORE: f32 = 0.65;

impl From<EngineError> for CoreError {
    fn from(error: EngineError) -> Self {
        CoreError::Engine(error.to_string())
    }
}

/// At most this many cards are read from one image: front and back on one page, or the
/// cards of two people (each further outline costs a reading, and locate answers more
/// than one only for a page of similar, separate card-shaped outlines).
const MAX_CARDS: usize = 4;

/// At most this many of the weaker cues' outlines are tried when nothing located was a
/// card (on the dev sets the first one tried was the card every time).
const MAX_SECOND_CHANCES: usize = 3;

/// A straightened card being read: the engine holds its image, the ink map finds lines.
struct CardContext<'a> {
    engine: &'a mut Engine,
    ink: InkMap,
    /// Moves the nominal zones onto this card.
    alignment: Alignment,
    /// The rectangles read, by line name, for the debug trace.
    boxes: Vec<(&'static str, PixelRect, String)>,
}

/// What the pipeline saw, for people debugging a misread: each straightened card and
/// the line rectangles it read.
#[derive(Debug, Default)]
pub struct Trace {
    /// One entry per card read.
    pub cards: Vec<TracedCard>,
}

/// One straightened card and its line boxes.
#[derive(Debug)]
pub struct TracedCard {
    /// The upright card as read.
    pub image: GrayImage,
    /// Line name, rectangle (left, top, width, height) and the raw text read there.
    pub boxes: Vec<(&'static str, PixelRect, String)>,
    /// What was decided about the card, in words.
    pub note: String,
}

/// Reads the card sides in an image.
pub fn read_cards(engine: &mut Engine, image: &RgbImage) -> Result<Vec<CardReading>, CoreError> {
    read_cards_traced(engine, image, None)
}

/// Reads the card sides in an image, recording what it saw into `trace` when given.
pub fn read_cards_traced(
    engine: &mut Engine,
    image: &RgbImage,
    mut trace: Option<&mut Trace>,
) -> Result<Vec<CardReading>, CoreError> {
    let gray = imageops::grayscale(image);
    if looks_blank(&gray) {
        return Err(CoreError::NoCardFound);
    }
    let mut readings = Vec::new();
    let located = locate::locate(&gray, MAX_CARDS);
    for quad in &located {
        if let Some(reading) = read_card(engine, &gray, quad, trace.as_deref_mut())? {
            readings.push(reading);
        }
    }
    if readings.is_empty() {
        // Nothing located was a card (the best outline was the card's own photo box, or
        // the card's gray matched the table's): the weaker cues' outlines, one at a time,
        // until one is. A few only: on a busy image without a card, faint edges close
        // many outlines, and each costs a reading of the side's label.
        for quad in locate::second_chances(image, &gray, &located)
            .into_iter()
            .take(MAX_SECOND_CHANCES)
        {
            if let Some(reading) = read_card(engine, &gray, &quad, trace.as_deref_mut())? {
                readings.push(reading);
                break;
            }
        }
    }
    if readings.is_empty() {
        return Err(CoreError::NoCardFound);
    }
    Ok(readings)
}

/// Reads one located card; `None` when it turns out not to be a card.
fn read_card(
    engine: &mut Engine,
    gray: &GrayImage,
    quad: &Quad,
    trace: Option<&mut Trace>,
) -> Result<Option<CardReading>, CoreError> {
    let mut card = locate::warp_card(gray, quad, CARD_WIDTH, CARD_HEIGHT);
    // A negative scan prints light on dark: turn it back so ink is dark everywhere below.
    if median(&card) < 100 {
        imageops::invert(&mut card);
    }
    let ranked = orient::hypotheses(&card);
    let turned = |hypothesis: &orient::Hypothesis| {
        if hypothesis.upside_down {
            imageops::rotate180(&card)
        } else {
            card.clone()
        }
    };
    let mut accepted = None;
    if quad.found && print_is_plain(&ranked) {
        // Reading the label would only confirm the print (see SURE_PRINT), and it is the
        // costliest line of most cards.
        accepted = Some((ranked[0], ranked[0].score, turned(&ranked[0])));
    } else {
        for hypothesis in &ranked {
            let upright = turned(hypothesis);
            engine.set_image(&upright);
            let label = label_score(engine, &InkMap::new(&upright), hypothesis.side)?;
            if label >= MIN_SIDE_SCORE {
                accepted = Some((*hypothesis, label.max(hypothesis.score), upright));
                break;
            }
        }
    }
    // The printed label may be unreadable (blur, glare) on a card that is plainly there:
    // a found outline with strong print evidence is still a card.
    let (hypothesis, side_confidence, upright) = match accepted {
        Some(found) => found,
        None if quad.found && ranked[0].score >= 0.6 => {
            let best = ranked[0];
            (best, best.score * 0.8, turned(&best))
        }
        None => {
            if let Some(trace) = trace {
                trace.cards.push(TracedCard {
                    image: card,
                    boxes: Vec::new(),
                    note: format!("not a card: outline {:?}, print evidence {ranked:?}", quad),
                });
            }
            return Ok(None);
        }
    };
    // Fields are read on an evenly lit copy; the side was told on the original, whose
    // large dark areas (photo, barcode) the flattening would grey out.
    let mut upright = upright;
    flatten_light(&mut upright);
    engine.set_image(&upright);
    let placed = if hypothesis.upside_down {
        quad.rotated_half()
    } else {
        *quad
    };
    let ink = InkMap::new(&upright);
    let block = match hypothesis.side {
        Side::Front => &align::FRONT_BLOCK,
        Side::Back => &align::BACK_BLOCK,
    };
    let alignment = align::align(&ink, block);
    let mut context = CardContext {
        engine,
        ink,
        alignment,
        boxes: Vec::new(),
    };
    let (fields, facts) = match hypothesis.side {
        Side::Front => read_front(&mut context)?,
        Side::Back => read_back(&mut context)?,
    };
    if let Some(trace) = trace {
        trace.cards.push(TracedCard {
            image: upright,
            boxes: std::mem::take(&mut context.boxes),
            note: format!(
                "{hypothesis:?}, outline found {}, {alignment:?}",
                quad.found
            ),
        });
    }
    let filled: Vec<f32> = fields
        .named()
        .iter()
        .filter(|(_, f)| !f.value.is_empty())
        .map(|(_, f)| f.confidence)
        .collect();
    let field_mean = if filled.is_empty() {
        0.0
    } else {
        filled.iter().sum::<f32>() / filled.len() as f32
    };
    Ok(Some(CardReading {
        fields,
        confidence: (side_confidence * field_mean).clamp(0.0, 1.0),
        national_id: facts,
        corners: placed.corners,
        rotation_degrees: rotation_of(&placed),
    }))
}

/// Divides out the slow changes of brightness (a lighting gradient, glare, the laminate's
/// sheen, a tinted background) so the print stands on an even white for Tesseract.
fn flatten_light(card: &mut GrayImage) {
    // Wider than any stroke, narrower than the light's changes.
    let background = imageproc::filter::box_filter(card, 24, 24);
    for (pixel, light) in card.pixels_mut().zip(background.pixels()) {
        let light = u32::from(light[0]).max(1);
        let flat = (u32::from(pixel[0]) * 235 / light).min(255);
        pixel[0] = flat as u8;
    }
}

fn median(gray: &GrayImage) -> u8 {
    let mut histogram = [0u32; 256];
    for p in gray.pixels() {
        histogram[p[0] as usize] += 1;
    }
    let half = gray.len() as u32 / 2;
    let mut seen = 0;
    for (value, count) in histogram.iter().enumerate() {
        seen += count;
        if seen >= half {
            return value as u8;
        }
    }
    255
}

/// The clockwise turn (0, 90, 180, 270) that makes the placed card upright.
fn rotation_of(quad: &Quad) -> u32 {
    let [tl, tr, _, _] = quad.corners;
    let angle = (tr.y - tl.y).atan2(tr.x - tl.x).to_degrees();
    let quarter = ((angle / 90.0).round() as i32).rem_euclid(4) as u32;
    (360 - quarter * 90) % 360
}

/// The words of the back's "البطاقة سارية حتى" (card valid until), beside the expiry date.
const BACK_LABEL_WORDS: &[&str] = &["البطاقة", "سارية", "حتى"];

/// How many of the status row's three vocabularies (gender, religion, marital status)
/// have a word in `text`.
fn status_vocabularies_in(text: &str) -> usize {
    [
        vocabulary::GENDERS,
        vocabulary::RELIGIONS,
        vocabulary::MARITAL_STATUSES,
    ]
    .iter()
    .filter(|terms| {
        text.split_whitespace()
            .any(|word| vocabulary::match_term(word, terms).is_some())
    })
    .count()
}

/// [`status_vocabularies_in`], counting also a word that holds a long term whole inside
/// it: the status row read as one line runs its words together (أنثى مسلمة read as one
/// word). A term of five letters or more is in no name.
fn status_vocabularies_in_joined(text: &str) -> usize {
    [
        vocabulary::GENDERS,
        vocabulary::RELIGIONS,
        vocabulary::MARITAL_STATUSES,
    ]
    .iter()
    .filter(|terms| {
        text.split_whitespace().any(|word| {
            vocabulary::match_term(word, terms).is_some()
                || terms
                    .iter()
                    .any(|t| t.arabic.chars().count() >= 5 && word.contains(t.arabic))
        })
    })
    .count()
}

/// How surely the side's printed label is on the card as the engine now holds it.
fn label_score(engine: &mut Engine, ink: &InkMap, side: Side) -> Result<f32, CoreError> {
    let (label, keywords): (&LineSpec, &[&str]) = match side {
        Side::Front => (&layout::FRONT_TITLE, &["بطاقة", "تحقيق", "الشخصية"]),
        Side::Back => (&layout::BACK_LABEL, BACK_LABEL_WORDS),
    };
    let rect = ink.find_line(&label.zone);
    // One pass finds the words on most cards; a second way of reading only when not.
    let quick = keyword_score(&engine.read_line_once(label.model, rect)?.text, keywords);
    if quick >= MIN_SIDE_SCORE {
        return Ok(quick);
    }
    let read = engine.read_line(label.model, rect, label.whitelist)?;
    let score = keyword_score(&read.text, keywords).max(quick);
    if score >= MIN_SIDE_SCORE {
        return Ok(score);
    }
    let score = match side {
        Side::Back => {
            // The row of gender, religion and marital status is on every back, in closed
            // vocabularies: two of the three found there witness a back whose label is
            // printed in a face Tesseract misreads.
            let row = &layout::STATUS_ROW;
            let read = engine.read_line_once(row.model, ink.find_line(&row.zone))?;
            score.max(status_vocabularies_in(&read.text) as f32 / 3.0)
        }
        Side::Front => {
            let header = &layout::FRONT_HEADER;
            let rect = ink.find_line(&header.zone);
            let read = engine.read_line(header.model, rect, header.whitelist)?;
            score.max(keyword_score(&read.text, &["جمهورية", "مصر", "العربية"]))
        }
    };
    if score >= MIN_SIDE_SCORE {
        return Ok(score);
    }
    // Last, the side's national ID where that side prints it, read by our own digit
    // reader (which no Arabic face defeats): a number that passes every rule of the ID
    // is there only on this side, this way up.
    let specs = match side {
        Side::Front => layout::FRONT,
        Side::Back => layout::BACK,
    };
    let id_rect = ink.find_line(&spec(specs, "id_number").zone);
    let id = engine.read_all_digits(id_rect);
    Ok(if well_formed_id(&id.text).is_some() {
        score.max(ID_WITNESS_SCORE)
    } else {
        score
    })
}

/// Print evidence (photo box or barcode, see [`orient`]) at least this strong for the best
/// way up, on a card whose outline was found, tells the side and the way up without the
/// printed label. A found outline with evidence of 0.6 is a card even when its label is
/// unreadable (see [`read_card`]); the label is read only to choose between ways up.
const SURE_PRINT: f32 = 0.95;

/// Below this the runner-up way up is no rival to a [`SURE_PRINT`] best.
const RIVAL_PRINT: f32 = 0.3;

/// Whether the best hypothesis is plain enough to need no label (see [`SURE_PRINT`]).
fn print_is_plain(ranked: &[orient::Hypothesis]) -> bool {
    let runner_up = ranked.get(1).map_or(0.0, |h| h.score);
    ranked
        .first()
        .is_some_and(|best| best.score >= SURE_PRINT && runner_up < RIVAL_PRINT)
}

/// How surely a well-formed national ID in its place tells the side.
const ID_WITNESS_SCORE: f32 = 0.9;

/// A near-uniform image (a blank page, a wall) holds no card: refuse it before OCR.
fn looks_blank(gray: &GrayImage) -> bool {
    let n = gray.len() as f64;
    let mean = gray.iter().map(|&p| f64::from(p)).sum::<f64>() / n;
    let variance = gray
        .iter()
        .map(|&p| (f64::from(p) - mean).powi(2))
        .sum::<f64>()
        / n;
    variance.sqrt() < 6.0
}

/// The mean, over `keywords`, of the best similarity of any read word to that keyword.
fn keyword_score(text: &str, keywords: &[&str]) -> f32 {
    let words: Vec<String> = fold_arabic(text).split(' ').map(str::to_string).collect();
    let total: f64 = keywords
        .iter()
        .map(|keyword| {
            let keyword = fold_arabic(keyword);
            words
                .iter()
                .map(|word| strsim::normalized_levenshtein(word, &keyword))
                .fold(0.0, f64::max)
        })
        .sum();
    (total / keywords.len() as f64) as f32
}

fn read(context: &mut CardContext<'_>, spec: &LineSpec) -> Result<Recognized, CoreError> {
    Ok(read_at(context, spec)?.0)
}

/// Reads a line and says where it was found, for a second reading of the same place.
fn read_at(
    context: &mut CardContext<'_>,
    spec: &LineSpec,
) -> Result<(Recognized, PixelRect), CoreError> {
    let rect = context.ink.find_line(&context.alignment.apply(&spec.zone));
    // A word line, and a status word, is read on its print alone (see
    // `InkMap::print_span`). The serial is not: on dev poor captures its Latin model lost
    // more than it gained.
    let rect = if matches!(spec.model, Model::Words | Model::Arabic) {
        context.ink.print_span(rect)
    } else {
        rect
    };
    let recognized = context.engine.read_line(spec.model, rect, spec.whitelist)?;
    context
        .boxes
        .push((spec.name, rect, recognized.text.clone()));
    Ok((recognized, rect))
}

/// The Tesseract digit models asked in turn about an ID or date line whose glyph reading
/// breaks the card's rules, each only when the one before failed too: the shipped model,
/// then the one tuned on card captures (see [`Model::DigitsCards`]), which reads blurred
/// lines better but drops an end digit of some clean faces the first reads whole.
const TESSERACT_DIGIT_MODELS: [Model; 2] = [Model::DigitsTesseract, Model::DigitsCards];

/// `model`'s reading of the digit line in `rect`, traced as `name`.
fn opinion_of(
    context: &mut CardContext<'_>,
    model: Model,
    name: &'static str,
    rect: PixelRect,
) -> Result<Recognized, CoreError> {
    let recognized = context.engine.read_line(model, rect, None)?;
    context.boxes.push((name, rect, recognized.text.clone()));
    Ok(recognized)
}

/// [`opinion_of`], the line sharpened first by `mask` (see [`ID_SHARPENINGS`]).
fn sharpened_opinion_of(
    context: &mut CardContext<'_>,
    model: Model,
    name: &'static str,
    rect: PixelRect,
    mask: crate::core::sharpen::UnsharpMask,
) -> Result<Recognized, CoreError> {
    let recognized = context.engine.read_line_sharpened(model, rect, mask)?;
    context.boxes.push((name, rect, recognized.text.clone()));
    Ok(recognized)
}

fn spec(specs: &'static [LineSpec], name: &str) -> &'static LineSpec {
    specs
        .iter()
        .find(|s| s.name == name)
        .expect("every line the reader asks for is in the layout table")
}

/// When a name word that is no listed name is corrected towards the list of common names.
/// The closest listed name is taken below 0.8 (dev: 0.6, 0.8 and 0.95 tried; 0.8 gained
/// most). The one listed name the word's alternatives spell is taken below 0.9 with at
/// most two places changed (dev: every word or below 0.9; one, two or any number of changes).
const NAME_DOUBT: parse::NameDoubt = parse::NameDoubt {
    spelled: 0.9,
    changes: 2,
    closest: 0.8,
};

/// The least weight the decoder gave an alternative for it to count in a word printed from
/// a list (dev, on names: 0.05 and 0.2 tried).
const CHOICE_FLOOR: f32 = 0.05;

/// Below this weight the character read at a place of a word printed from a list may be
/// nothing at all, as may a character read twice in a row.
const PLACE_MAY_BE_EMPTY: f32 = 0.5;

/// A person's name line: the first name, the rest of the name, the husband's name.
fn name_field(
    context: &mut CardContext<'_>,
    specs: &'static [LineSpec],
    name: &str,
) -> Result<Field, CoreError> {
    let (read, rect) = read_at(context, spec(specs, name))?;
    let text = parse::name_text(&read.text);
    let word_read = |word: &str| {
        read.words
            .iter()
            .find(|w| parse::arabic_text(&w.text) == word)
    };
    let confidence_of = |word: &str| word_read(word).map(|w| w.confidence);
    let evidence_of = |word: &str| word_read(word).map(|w| word_evidence(w, word));
    // The line's confidence is the median of the words kept: a stray mark read as a digit
    // or a lone letter (dropped above), or one word Tesseract scores 0 for a mark touching
    // it, would otherwise sink a well-read name below the floors that decide, for
    // instance, whether a husband's name is printed at all.
    let mut kept: Vec<f32> = text.split(' ').filter_map(confidence_of).collect();
    kept.sort_by(f32::total_cmp);
    let confidence = kept.get(kept.len() / 2).copied().unwrap_or(read.confidence);
    let named = parse::name_words(&text, evidence_of, NAME_DOUBT);
    let named = if named.split(' ').all(|w| lexicon::NAMES.contains(w)) {
        named
    } else {
        let read_rects = places_to_ask(&text, &read);
        words_from_other_models(
            context,
            rect,
            &named,
            &read_rects,
            |w| !lexicon::NAMES.contains(w),
            takes_name,
        )?
    };
    Ok(Field::new(parse::without_name_debris(&named), confidence))
}

/// The other models asked, in turn, for a line or a word the word model read as nothing
/// listed: the word model again in line mode alone (its first reading may have come from
/// raw-line mode, which drops letters of a short word on a wide rectangle, or been swayed
/// by its neighbours); stock `ara`; Debian's Arabic script model. Each misreads other faces
/// and letters, and a listed entry (a name, a title, a district) is rarely what a
/// misreading spells, so only their listed entries count.
const OTHER_OPINIONS: [Model; 3] = [Model::Words, Model::Arabic, Model::ArabicScript];

/// The readings asked for a word the word model read as no listed one, in turn: a model
/// on the word's place, at the card's sampling or resized by a scale. First the
/// [`OTHER_OPINIONS`], alone on the word; last the word model, then stock `ara`, on the
/// word's place resized (see `Engine::read_line_scaled`). Dev, 1,600 cards: the word model
/// at half scale made 7 names and addresses right, at 0.7 one more, at 1.5 three more,
/// stock `ara` at 0.5 and 1.5 three more; none made one wrong.
const OTHER_READINGS: [(Model, Option<f32>); 8] = [
    (OTHER_OPINIONS[0], None),
    (OTHER_OPINIONS[1], None),
    (OTHER_OPINIONS[2], None),
    (Model::Words, Some(0.5)),
    (Model::Words, Some(0.7)),
    (Model::Words, Some(1.5)),
    (Model::Arabic, Some(0.5)),
    (Model::Arabic, Some(1.5)),
];

/// A line's words (`words`, after the lists' corrections) with each `doubtful` word
/// replaced by the other readings of its place (see [`OTHER_READINGS`]) when `takes` it.
/// Each doubtful word whose box the word model gave (`read_rects`) is read alone, across
/// the line's height (`line`): a word costs a fraction of the line, and the reading needs
/// no matching to the word model's words. The next reading is asked only for the words
/// still doubtful.
fn words_from_other_models(
    context: &mut CardContext<'_>,
    line: PixelRect,
    words: &str,
    read_rects: &[Option<PixelRect>],
    doubtful: impl Fn(&str) -> bool,
    takes: impl Fn(&str, &str) -> bool,
) -> Result<String, CoreError> {
    let mut ours: Vec<String> = words.split(' ').map(str::to_string).collect();
    for (model, scale) in OTHER_READINGS {
        for (word, rect) in ours.iter_mut().zip(read_rects) {
            let Some(rect) = rect.filter(|_| doubtful(word)) else {
                continue;
            };
            let place = word_place(rect, line);
            let other = match scale {
                None => context.engine.read_line_once(model, place)?,
                Some(scale) => context.engine.read_line_scaled(model, place, scale)?,
            };
            let other = parse::name_text(&other.text);
            if !other.contains(' ') && takes(word, &other) {
                *word = other;
            }
        }
    }
    Ok(ours.join(" "))
}

/// For each word of `words` (as cleaned from `read`), the word model's box of it when the
/// other models may be asked about it (see [`words_from_other_models`]): read, and read
/// below [`SURE_WORD`].
fn places_to_ask(words: &str, read: &Recognized) -> Vec<Option<PixelRect>> {
    words
        .split(' ')
        .map(|word| {
            read.words
                .iter()
                .find(|w| parse::arabic_text(&w.text) == word)
                .filter(|w| w.confidence < SURE_WORD)
                .map(|w| w.rect)
        })
        .collect()
}

/// A word the word model read at this confidence or more is not asked of the other models
/// (see [`words_from_other_models`]): an unlisted name read that surely is most often a
/// name missing from the list, and each word asked costs up to three readings. (Dev:
/// it kept 34 of 35 corrections and took 12 ms off the benchmark photo.)
const SURE_WORD: f32 = 0.9;

/// The place of a word (`word`, its box) in its line (`line`): the line's height, the
/// word's width with a margin of a third of the line's height each side.
fn word_place(word: PixelRect, line: PixelRect) -> PixelRect {
    let margin = line.3 / 3;
    (word.0 - margin, line.1, word.2 + 2 * margin, line.3)
}

/// Whether another model's `theirs` replaces `ours` in a name: a listed name for an
/// unlisted word.
fn takes_name(ours: &str, theirs: &str) -> bool {
    !lexicon::NAMES.contains(ours) && lexicon::NAMES.contains(theirs)
}

/// Whether another model's `theirs` replaces `ours` in an address: a listed name for a word
/// that may be a person's name, or a listed street word for a word with the article.
fn takes_address_word(ours: &str, theirs: &str) -> bool {
    (parse::may_name_a_person(ours) && takes_name(ours, theirs))
        || (parse::may_name_a_street(ours)
            && !lexicon::STREETS.contains(ours)
            && lexicon::STREETS.contains(theirs))
}

/// Whether an address word is one [`takes_address_word`] may replace.
fn doubtful_address_word(word: &str) -> bool {
    (parse::may_name_a_person(word) && !lexicon::NAMES.contains(word))
        || (parse::may_name_a_street(word) && !lexicon::STREETS.contains(word))
}

/// What the reader knows of `read`, a word it read, for the word `cleaned` made of it: its
/// confidence, and the alternatives at its places when cleaning changed none of its
/// letters (else they would not line up).
fn word_evidence(read: &crate::core::ocr::Word, cleaned: &str) -> parse::WordEvidence {
    parse::WordEvidence {
        confidence: read.confidence,
        places: if read.text == cleaned {
            listed_places(&read.choices)
        } else {
            Vec::new()
        },
    }
}

/// The alternatives at each place of a word printed from a list (a name, a title) that
/// the decoder gave some weight, with an empty one where the place may hold nothing.
fn listed_places(choices: &[Vec<crate::core::ocr::words::Choice>]) -> Vec<Vec<String>> {
    let top = |i: usize| choices.get(i).and_then(|p| p.first());
    choices
        .iter()
        .enumerate()
        .map(|(i, place)| {
            let mut alternatives: Vec<String> = place
                .iter()
                .enumerate()
                .filter(|(rank, c)| *rank == 0 || c.confidence >= CHOICE_FLOOR)
                .map(|(_, c)| c.text.clone())
                .collect();
            let read = top(i);
            let read_twice = read.is_some_and(|read| {
                [i.checked_sub(1), Some(i + 1)]
                    .into_iter()
                    .flatten()
                    .filter_map(top)
                    .any(|neighbour| neighbour.text == read.text)
            });
            let weak = read.is_some_and(|read| read.confidence < PLACE_MAY_BE_EMPTY);
            if read_twice || weak {
                alternatives.push(String::new());
            }
            alternatives
        })
        .collect()
}

/// What the card prints elsewhere that the national ID encodes too: the weaker readers
/// asked when the glyph reader fails count only when their number agrees with it.
enum IdWitness {
    /// The front's printed birth date, `yyyy/mm/dd` (empty when unread).
    BirthDate(String),
    /// The back's printed gender, when read, and the year its card was issued, when the
    /// issue and expiry dates agree on it.
    Back {
        gender: Option<national_id::Gender>,
        issued: Option<u32>,
    },
}

impl IdWitness {
    /// Whether the card read its main witness: the printed birth date, or the back's
    /// gender.
    fn was_read(&self) -> bool {
        match self {
            IdWitness::BirthDate(date) => !date.is_empty(),
            IdWitness::Back { gender, .. } => gender.is_some(),
        }
    }

    /// Whether the card read anything a number must agree with: the printed birth date,
    /// or on the back the gender or the year of issue.
    fn witnesses_anything(&self) -> bool {
        self.was_read()
            || matches!(
                self,
                IdWitness::Back {
                    issued: Some(_),
                    ..
                }
            )
    }

    /// Whether a number agrees with the card (an unread witness contradicts nothing).
    /// The glyph reader misreads a digit of the printed date now and then in some faces
    /// (a 5 for a 2), and the number is then the better witness: its date must match the
    /// printed one give or take one digit. A number off it in two digits or more is a
    /// misreading whose check digit held by luck. On the back, the number's holder must
    /// also have been of an age to hold a card when it was issued.
    fn agrees(&self, id: &str) -> bool {
        match self {
            IdWitness::BirthDate(date) => {
                date.is_empty() || crosscheck::birth_date_nearly_agrees(id, date)
            }
            IdWitness::Back { gender, issued } => {
                gender.is_none_or(|printed| {
                    national_id::analyze(id).is_some_and(|facts| facts.gender == printed)
                }) && issued.is_none_or(|year| crosscheck::plausible_age_at_issue(id, year))
            }
        }
    }

    /// The whole number a run of digits (ASCII) makes with the witness, where the run
    /// holds only the number's right part (see [`crosscheck::complete_id_with_birth_date`]).
    fn completes(&self, run: &str) -> Option<String> {
        match self {
            IdWitness::BirthDate(date) => crosscheck::complete_id_with_birth_date(run, date),
            IdWitness::Back { .. } => None,
        }
    }

    /// How much of the number the witness pins down.
    fn strength(&self) -> crosscheck::Witness {
        match self {
            Self::BirthDate(_) => crosscheck::Witness::Strong,
            Self::Back { .. } => crosscheck::Witness::Weak,
        }
    }

    /// The lowest confidence at which Tesseract's reading of the number is considered.
    /// Where the card gave a witness, none: every well-formed reading it confirmed on the
    /// dev sets was right (37 of 37, five of them below 0.45). Where it gave none, each
    /// unsure reading is one more chance of a lucky check digit. On the back, the year of
    /// issue is a witness too when the gender is unread (a blur that hides the gender word
    /// leaves the two dates' digits legible): it refuses a holder too young or too old,
    /// which the gender's parity, refusing half of all numbers, hardly outweighs.
    fn tesseract_floor(&self) -> f32 {
        if self.witnesses_anything() {
            0.0
        } else {
            TESSERACT_ID_MIN_CONFIDENCE
        }
    }
}

/// Reads the national ID and checks it; a number failing its checksum is returned as
/// read, with a lowered confidence, never "fixed" into another valid number. Readings
/// other than the glyph reader's count only when `witness` agrees.
fn id_field(
    context: &mut CardContext<'_>,
    specs: &'static [LineSpec],
    row: Option<&'static LineSpec>,
    witness: &IdWitness,
) -> Result<(Field, Option<NationalIdFacts>), CoreError> {
    let (zone_read, rect) = read_at(context, spec(specs, "id_number"))?;
    // Readings in order of trust, the card's rules deciding between them: the glyph
    // reader first; when its number is not a well-formed ID, Tesseract's reading of the
    // same line; then, where a neighbour shares the row, the row's rightmost 14 digits.
    // Each weaker reading is one more chance of a check digit holding by luck (1 in 11):
    // its number must also agree with the card's witness.
    let mut readings = vec![Reading::Glyphs(zone_read)];
    let accepted = |reading: &Reading| {
        let read = reading.recognized();
        well_formed_id(&read.text)
            .filter(|id| match reading {
                Reading::Glyphs(_) => true,
                Reading::Weaker(_) => witness.agrees(id),
                Reading::Doubtful(_) => false,
            })
            .map(|id| (id, read.confidence))
    };
    // Whether no reading so far is accepted: each fallback asks only then.
    let unresolved = |readings: &[Reading]| readings.iter().all(|r| accepted(r).is_none());
    if unresolved(&readings) {
        // A wide gap inside the number (a spaced font, a blur) splits it into runs, of
        // which the zone reading keeps the longest: read every glyph and join them.
        let every = context.engine.read_all_digits(rect);
        context
            .boxes
            .push(("id_number (all glyphs)", rect, every.text.clone()));
        readings.push(Reading::fallback_glyphs(every, witness));
    }
    if unresolved(&readings) {
        // Uneven light fades part of the number below the line's one threshold.
        let evened = context.engine.read_digits_evened(rect);
        context
            .boxes
            .push(("id_number (evened)", rect, evened.text.clone()));
        readings.push(Reading::fallback_glyphs(evened, witness));
    }
    let mut tesseract_readings = Vec::new();
    let names = ["id_number (tesseract)", "id_number (tesseract, cards)"];
    for (model, name) in TESSERACT_DIGIT_MODELS.into_iter().zip(names) {
        if !unresolved(&readings) {
            break;
        }
        let opinion = opinion_of(context, model, name, rect)?;
        tesseract_readings.push(opinion.text.clone());
        // The weaker reader, asked where the glyph reader failed, often on a poorly
        // straightened card.
        if opinion.confidence >= witness.tesseract_floor() {
            readings.push(Reading::Weaker(opinion));
        }
    }
    // The repairs below build a number from the glyph reader's digits and the witness,
    // which the same reader read in the same face: a face whose ٥ it takes for ٢ fools
    // both alike. Tesseract misreads otherwise; a whole number of its own that differs
    // from a repaired one in several digits says the repair rests on a misread face.
    let contradicted = |id: &str| {
        tesseract_readings
            .iter()
            .any(|read| crosscheck::contradicts(read, id))
    };
    if let Some(row) = row.filter(|_| unresolved(&readings)) {
        let row_rect = context.ink.find_line(&context.alignment.apply(&row.zone));
        if let Some(found) = context
            .engine
            .read_shaped(row_rect, "dddddddddddddd", LineEnd::Right)
        {
            context.boxes.push((row.name, row_rect, found.text.clone()));
            // A doubtful glyph disqualifies this one.
            if found.confidence >= ROW_ID_MIN_CONFIDENCE {
                readings.push(Reading::Weaker(found));
            }
        }
    }
    if unresolved(&readings) {
        // Only a well-formed number read with every glyph sure counts.
        let found = read_nearby_bands(context, spec(specs, "id_number"), rect, |read| {
            read.confidence >= ROW_ID_MIN_CONFIDENCE && well_formed_id(&read.text).is_some()
        })?;
        readings.extend(found.map(Reading::Weaker));
    }
    // A blur runs a small face's digits into one another and every reader loses one:
    // Tesseract's models read the line again with its strokes sharpened.
    let sharpened = [
        "id_number (tesseract, sharpened)",
        "id_number (tesseract, cards, sharpened)",
    ];
    for mask in ID_SHARPENINGS {
        if unresolved(&readings) {
            let glyphs = context.engine.read_digits_sharpened(rect, mask);
            context
                .boxes
                .push(("id_number (sharpened)", rect, glyphs.text.clone()));
            readings.push(Reading::Weaker(glyphs));
        }
        for (model, name) in TESSERACT_DIGIT_MODELS.into_iter().zip(sharpened) {
            if !unresolved(&readings) {
                break;
            }
            let opinion = sharpened_opinion_of(context, model, name, rect, mask)?;
            if opinion.confidence >= witness.tesseract_floor() {
                readings.push(Reading::Weaker(opinion));
            }
        }
    }
    if let Some((id, confidence)) = readings.iter().find_map(accepted) {
        // A doubtful glyph reading can pass the check digit with two digits misread alike
        // (٥ read ٢ twice in one face): Tesseract, which misreads otherwise, is asked, and
        // its own well-formed number, confirmed by the card's witness, is taken instead.
        // A glyph reading the witness contradicts is as doubtful, however sure its glyphs
        // (١ for ٦ twice in one face gave a holder of 114). When Tesseract was already
        // asked, its readings were no accepted number.
        let doubtful = confidence < DOUBTFUL_GLYPH_ID || !witness.agrees(&id);
        let id = if doubtful && tesseract_readings.is_empty() {
            let opinion = opinion_of(context, Model::DigitsTesseract, names[0], rect)?;
            well_formed_id(&opinion.text)
                .filter(|other| *other != id && witness.agrees(other))
                .unwrap_or(id)
        } else {
            id
        };
        if let Some(rival) = rival_of_glyph_reading(context, rect, &id, witness) {
            // Tesseract misreads a face otherwise than the glyph reader: one of its models
            // nearer the rival says the pair may be misread alike, and no number is
            // returned rather than a valid-looking wrong one. (Dev, 500 new cards: 8
            // rivals; both models sided with the 7 right readings, one with the rival of
            // the wrong one.)
            for (model, name) in TESSERACT_DIGIT_MODELS.into_iter().zip(names) {
                let opinion = opinion_of(context, model, name, rect)?;
                if crosscheck::leans_to(&opinion.text, &rival, &id) {
                    return Ok((Field::default(), None));
                }
            }
        }
        let facts = national_id::analyze(&id);
        return Ok((Field::new(id, confidence), facts));
    }
    // No reading holds a whole number: one may still hold its last seven digits after a
    // part of the date the card prints elsewhere.
    if let Some((id, confidence)) = readings.iter().find_map(|reading| {
        let read = reading.recognized();
        digit_runs(&read.text)
            .find_map(|run| witness.completes(&run))
            .filter(|id| !contradicted(id))
            .map(|id| (id, read.confidence))
    }) {
        let facts = national_id::analyze(&id);
        return Ok((Field::new(id, confidence * 0.8), facts));
    }
    // One doubtful glyph of the zone's number swapped for its runner-up, when the check
    // digit and the card's witness confirm exactly one such swap.
    if witness.was_read() {
        let read_digits = read_id_digits(context, rect);
        if let Some(id) =
            crosscheck::repair_id_with_runner_up(&read_digits, witness.strength(), |id| {
                witness.agrees(id)
            })
            .filter(|id| !contradicted(id))
        {
            let facts = national_id::analyze(&id);
            return Ok((Field::new(id, 0.5), facts));
        }
    }
    // Two readers that misread different places: where they disagree, one of them is
    // usually right. Only with a witness the card read, and only when no other reader
    // read a whole number far from the mix.
    if witness.witnesses_anything() {
        let texts: Vec<String> = readings
            .iter()
            .map(|reading| reading.recognized().text.clone())
            .chain(tesseract_readings.iter().cloned())
            .collect();
        if let Some(id) = crosscheck::fuse_two_readings(&texts, |id| witness.agrees(id))
            .filter(|id| !contradicted(id))
        {
            let facts = national_id::analyze(&id);
            return Ok((Field::new(id, 0.5), facts));
        }
    }
    // No reading is accepted: return the first 14-digit one as read, flagged.
    let Some((id, read)) = readings.iter().find_map(|reading| {
        let read = reading.recognized();
        parse::national_id(&read.text).map(|id| (id, read))
    }) else {
        return Ok((Field::default(), None));
    };
    // A number whose check digit holds but that cannot be an ID (century 1, a 31st of
    // February, an unknown governorate) or that the witness contradicts is certainly
    // misread: no answer beats a confident wrong one. A number that merely fails its
    // checksum is returned as read, flagged by a low confidence and
    // `checksum_valid: false`, never "fixed" into another.
    if national_id::checksum_valid(&id) {
        return Ok((Field::default(), None));
    }
    let facts = national_id::analyze(&id);
    Ok((Field::new(id, read.confidence * 0.3), facts))
}

/// The glyph reader's digits of the ID line's main run, each with its runner-up.
fn read_id_digits(context: &CardContext<'_>, rect: PixelRect) -> Vec<crosscheck::ReadDigit> {
    context
        .engine
        .read_digit_glyphs(rect)
        .iter()
        .map(|g| crosscheck::ReadDigit {
            digit: digits::ascii_digit(g.char),
            confidence: g.confidence,
            runner_up: Some(digits::ascii_digit(g.second.0)).filter(char::is_ascii_digit),
        })
        .collect()
}

/// The other number an accepted `id` could be, when it is the glyph reader's own main
/// run and two of its doubtful glyphs swapped for their runners-up give one the check
/// digit and `witness` accept as well (see [`crosscheck::rival_by_runner_up_pair`]).
fn rival_of_glyph_reading(
    context: &CardContext<'_>,
    rect: PixelRect,
    id: &str,
    witness: &IdWitness,
) -> Option<String> {
    let read_digits = read_id_digits(context, rect);
    let read: String = read_digits.iter().map(|d| d.digit).collect();
    (read == id)
        .then(|| crosscheck::rival_by_runner_up_pair(&read_digits, |other| witness.agrees(other)))
        .flatten()
}

/// A reading's digits (ASCII) as runs to try whole: all of them joined, then the last
/// word's alone (a stray glyph before a gap).
fn digit_runs(text: &str) -> impl Iterator<Item = String> + '_ {
    [
        digits::ascii_digits(text),
        digits::ascii_digits(text.split_whitespace().last().unwrap_or("")),
    ]
    .into_iter()
}

/// The sharpenings of a national ID line that no reading resolved, strongest first, in
/// canonical card pixels (a digit's stroke is about four wide). Dev and validation faces,
/// hard captures: σ 2 twice over made 6 IDs right, σ 2 once over 4 (2 of them others),
/// σ 1 and σ 3 fewer; none made one wrong. The glyph reader, asked first on each, made
/// one more right.
const ID_SHARPENINGS: [crate::core::sharpen::UnsharpMask; 2] = [
    crate::core::sharpen::UnsharpMask {
        sigma: 2.0,
        amount: 2.0,
    },
    crate::core::sharpen::UnsharpMask {
        sigma: 2.0,
        amount: 1.0,
    },
];

/// Below this confidence a glyph reading of the national ID that passes its check digit is
/// checked against Tesseract's (see [`id_field`]). Dev, 1,266 IDs: the one wrong number
/// the glyph reader returned valid was read at 0.38; under 0.5, Tesseract read 17 others
/// either the same or as no well-formed number, and never a different valid one.
const DOUBTFUL_GLYPH_ID: f32 = 0.5;

/// One reading of the national ID's line, by how far it is trusted.
enum Reading {
    /// The glyph reader's, which the check digit alone decides.
    Glyphs(Recognized),
    /// A weaker reader's (Tesseract, a shared row, a nearby band), which must also agree
    /// with what the card prints elsewhere.
    Weaker(Recognized),
    /// A reading never taken whole (see [`Reading::fallback_glyphs`]); its digits may
    /// still complete a number from the printed birth date.
    Doubtful(Recognized),
}

impl Reading {
    /// The glyph reader's reading again, of every glyph or on evened light: trusted as
    /// the first only when its least sure glyph is not in doubt. The check digit cannot
    /// tell every pair of misread digits (a 5 read as 2 in the second place and a 1 for
    /// a 7 leave the sum on 0 or 10, both check digit 1), and the back's witness, the
    /// gender's parity, passes half of all numbers: there a doubtful second try is never
    /// taken (dev: one read at 0.34 came out well-formed and wrong; one right one is now
    /// left flagged); on the front the printed birth date must confirm it.
    fn fallback_glyphs(read: Recognized, witness: &IdWitness) -> Self {
        if read.confidence >= FALLBACK_GLYPHS_MIN_CONFIDENCE {
            Self::Glyphs(read)
        } else if witness.strength() == crosscheck::Witness::Strong {
            Self::Weaker(read)
        } else {
            Self::Doubtful(read)
        }
    }

    fn recognized(&self) -> &Recognized {
        match self {
            Self::Glyphs(read) | Self::Weaker(read) | Self::Doubtful(read) => read,
        }
    }
}

/// See [`Reading::fallback_glyphs`].
const FALLBACK_GLYPHS_MIN_CONFIDENCE: f32 = 0.5;

/// A digit line read in another band of rows near its zone, when the line finder took the
/// wrong one: on a card located loosely, the card's top edge or its shadow is a band of
/// ink that covers the back's top row better than the digits below it. Each other band
/// is read with the glyph reader, top first, and the first reading `accept` takes is
/// returned. (Tried for the issue date too: no dev card gained, so it is not asked.)
fn read_nearby_bands(
    context: &mut CardContext<'_>,
    line: &LineSpec,
    tried: PixelRect,
    accept: impl Fn(&Recognized) -> bool,
) -> Result<Option<Recognized>, CoreError> {
    let zone = context.alignment.apply(&line.zone);
    let half_height = (zone.y1 - zone.y0) / 2.0;
    for rect in bands_near(&context.ink, &zone, (0.04, 0.06), half_height) {
        // The band the line finder already read.
        if (rect.1 + rect.3 / 2 - (tried.1 + tried.3 / 2)).abs() < tried.3 / 3 {
            continue;
        }
        let read = context.engine.read_line(Model::Digits, rect, None)?;
        context.boxes.push((line.name, rect, read.text.clone()));
        if accept(&read) {
            return Ok(Some(read));
        }
    }
    Ok(None)
}

/// A rectangle around each band of ink rows in `zone`'s columns, from `slack.0` above
/// the zone to `slack.1` below it (card fractions), top first: `half_height` above and
/// below the band's centre, across the zone's width. Where a line may sit when the line
/// finder took a neighbouring band (the card's edge or its shadow) instead.
fn bands_near(ink: &InkMap, zone: &Zone, slack: (f32, f32), half_height: f32) -> Vec<PixelRect> {
    let (width, height) = ink.dimensions();
    ink.row_bands((zone.x0, zone.x1), (zone.y0 - slack.0, zone.y1 + slack.1))
        .into_iter()
        .map(|centre| {
            Zone {
                y0: centre - half_height,
                y1: centre + half_height,
                ..*zone
            }
            .pixels(width, height)
        })
        .collect()
}

/// The lowest confidence at which Tesseract's digit reading of the ID is considered when
/// the card offers no witness. (On 860 dev cards, before the witness existed, it answered
/// 25 times; the one wrong answer, valid by chance, came at 0.39, and two right ones below
/// 0.45.)
const TESSERACT_ID_MIN_CONFIDENCE: f32 = 0.45;

/// The lowest glyph probability at which the row's reading of the ID is considered.
const ROW_ID_MIN_CONFIDENCE: f32 = 0.6;

/// The well-formed national ID a reading holds (see [`parse::national_id_candidates`]),
/// never one of several.
fn well_formed_id(text: &str) -> Option<String> {
    let mut valid = parse::national_id_candidates(text)
        .into_iter()
        .filter(|id| national_id::is_well_formed(id));
    let first = valid.next()?;
    valid.next().is_none().then_some(first)
}

fn date_fields(
    context: &mut CardContext<'_>,
    specs: &'static [LineSpec],
    name: &str,
    with_day: bool,
) -> Result<(Field, Field), CoreError> {
    date_fields_and_readings(context, specs, name, with_day)
        .map(|(ascii, arabic, _)| (ascii, arabic))
}

/// [`date_fields`], with the text of every reading tried: a reading that is no date may
/// still hold a part of one that another field's date completes.
fn date_fields_and_readings(
    context: &mut CardContext<'_>,
    specs: &'static [LineSpec],
    name: &str,
    with_day: bool,
) -> Result<(Field, Field, Vec<String>), CoreError> {
    // The card prints every part at full width (١٩٨٨/٠٦/٢٦); a reading with a short part
    // parses, but is likely cut or missing a digit. Readings are tried in turn until one
    // has the full shape; else the first that parses is kept.
    let shape = if with_day { "dddd/dd/dd" } else { "dddd/dd" };
    let full = |text: &str| parse::date(text, with_day).is_some() && parse::has_shape(text, shape);
    let (zone_read, rect) = read_at(context, spec(specs, name))?;
    let mut readings = vec![zone_read];
    let shared_row = match name {
        "expiry_date" => Some(&layout::EXPIRY_ROW),
        "issue_date" => Some(&layout::BACK_ID_ROW),
        _ => None,
    };
    let row = shared_row.map(|shared_row| {
        let rect = context
            .ink
            .find_line(&context.alignment.apply(&shared_row.zone));
        (shared_row.name, rect)
    });
    if let Some((row_name, row)) = row {
        // The zone may cut the date where it meets its neighbour (the expiry's label, the
        // issue date's national ID), and a digit cut in half still reads (٧ as ١): the
        // whole row's leftmost date-shaped run, which sees every digit whole, comes first.
        if let Some(found) = context.engine.read_shaped(row, shape, LineEnd::Left) {
            context.boxes.push((row_name, row, found.text.clone()));
            readings.insert(0, found);
        }
    }
    if let Some((_, row)) = row.filter(|_| name == "expiry_date") {
        if !readings.iter().any(|r| full(&r.text)) {
            readings.extend(expiry_left_of_label(context, row, shape)?);
        }
    }
    // The glyph reader has no good date: ask the Tesseract digit models in turn.
    let names = ["date (tesseract)", "date (tesseract, cards)"];
    for (model, name) in TESSERACT_DIGIT_MODELS.into_iter().zip(names) {
        if readings.iter().any(|r| full(&r.text)) {
            break;
        }
        readings.push(opinion_of(context, model, name, rect)?);
    }
    // A blur runs the date's digits together (see [`ID_SHARPENINGS`]): the same models
    // read it sharpened.
    let names = [
        "date (tesseract, sharpened)",
        "date (tesseract, cards, sharpened)",
    ];
    for (model, name) in TESSERACT_DIGIT_MODELS.into_iter().zip(names) {
        if readings.iter().any(|r| full(&r.text)) {
            break;
        }
        readings.push(sharpened_opinion_of(
            context,
            model,
            name,
            rect,
            ID_SHARPENINGS[0],
        )?);
    }
    let chosen = readings.iter().find(|r| full(&r.text)).or_else(|| {
        readings
            .iter()
            .find(|r| parse::date(&r.text, with_day).is_some())
    });
    let (ascii, arabic) =
        match chosen.and_then(|r| parse::date(&r.text, with_day).map(|d| (d, r.confidence))) {
            Some(((ascii, arabic), confidence)) => (
                Field::new(ascii, confidence),
                Field::new(arabic, confidence),
            ),
            None => (Field::default(), Field::default()),
        };
    let texts = readings.into_iter().map(|r| r.text).collect();
    Ok((ascii, arabic, texts))
}

fn read_front(
    context: &mut CardContext<'_>,
) -> Result<(CardFields, Option<NationalIdFacts>), CoreError> {
    let specs = layout::FRONT;
    let (mut birthday, mut birthday_arabic) = date_fields(context, specs, "birthday", true)?;
    let witness = IdWitness::BirthDate(birthday.value.clone());
    let (mut id_number, mut facts) = id_field(context, specs, None, &witness)?;
    // The ID failed its checksum, and the printed birth date fixes it with one digit.
    if let Some(repaired) = crosscheck::repair_id_with_birth_date(&id_number.value, &birthday.value)
    {
        id_number = Field::new(
            repaired.clone(),
            (id_number.confidence / 0.3).min(1.0) * 0.8,
        );
        facts = national_id::analyze(&repaired);
    }
    let derived = facts
        .as_ref()
        .filter(|f| f.checksum_valid)
        .and_then(|f| f.birth_date.clone());
    match (&derived, birthday.value.is_empty()) {
        // The printed date is unreadable: take the number's, and say it was derived.
        (Some(date), true) => {
            birthday = Field::new(date.clone(), 0.5);
            birthday_arabic = Field::new(super::fields::digits::to_arabic_indic(date), 0.5);
        }
        // Two independent readings agree: both are surer.
        (Some(date), false) if *date == birthday.value => {
            birthday.confidence = birthday.confidence.max(0.95);
            birthday_arabic.confidence = birthday.confidence;
        }
        // They disagree: the number, whose check digit holds, is the better witness.
        (Some(date), false) => {
            birthday = Field::new(date.clone(), 0.6);
            birthday_arabic = Field::new(super::fields::digits::to_arabic_indic(date), 0.6);
        }
        _ => {}
    }
    let certificate_number = serial_field(context)?;
    let front = FrontFields {
        id_number,
        certificate_number,
        first_name: name_field(context, specs, "first_name")?,
        last_name: name_field(context, specs, "last_name")?,
        birthday,
        birthday_arabic,
        address: address_field(context)?,
        region: region_field(context)?,
    };
    Ok((CardFields::Front(front), facts))
}

/// The first address line often starts (at its right end) with a house number in
/// Arabic-Indic digits, which the stock Arabic model cannot read. When the line's first
/// word reads confidently as one to four digits, it is read with the digit reader and the
/// rest of the line with the Arabic model.
fn address_field(context: &mut CardContext<'_>) -> Result<Field, CoreError> {
    let spec = spec(layout::FRONT, "address");
    let (read, line) = read_at(context, spec)?;
    // The house number, when there is one, is the line's first (rightmost) word, printed
    // in Arabic-Indic digits the Arabic model cannot read: Tesseract still finds the word,
    // and the digit readers read it. A word of letters read as digits is refused by the
    // digit readers' confidence, or by the word model itself when it read the first word
    // as a kind of place (عزبة read as digits by the digit readers).
    let candidates = if parse::opens_with_address_kind(&read.text) {
        Vec::new()
    } else {
        house_number_candidates(&context.ink, line, &read.words)
    };
    let words_model_number = words_model_house_number(&read);
    let confirming = words_model_number
        .as_ref()
        .filter(|(_, confidence)| *confidence >= AGREED_NUMBER_CONFIDENCE)
        .map(|(number, _)| number.as_str());
    for word in candidates {
        let Some((digits, number)) =
            read_house_number(context.engine, &context.ink, word, confirming)?
        else {
            continue;
        };
        let (left, top, _, height) = line;
        let rest_rect = (left, top, (word.0 - left).max(1), height);
        // The rest is read again without the number, which the Arabic model misreads
        // and which unsettles its reading of the first word.
        let rest = context.engine.read_line(spec.model, rest_rect, None)?;
        context
            .boxes
            .push(("address_number", word, number.text.clone()));
        context
            .boxes
            .push(("address", rest_rect, rest.text.clone()));
        // The rest read alone is usually the better reading, but now and then Tesseract
        // loses the end of a blurred last word in the shorter box (التسعين read الت)
        // that it read whole in the line: then the line's own words left of the number
        // are kept, when it was far surer of them (see [`SURER_WHOLE_LINE`]).
        let whole_words = words_left_of(&read, word);
        let (reading, reading_rect, words) =
            if read.confidence > rest.confidence + SURER_WHOLE_LINE && !whole_words.is_empty() {
                (&read, line, whole_words)
            } else {
                (&rest, rest_rect, parse::arabic_text(&rest.text))
            };
        if !words.is_empty() {
            let text = parse::address_words(&format!("{digits} {words}"));
            let text = address_names(&text, reading);
            return Ok(Field::new(
                address_from_other_models(context, reading_rect, &text, reading)?,
                reading.confidence.min(number.confidence),
            ));
        }
        break;
    }
    // No house number was found: digits in the Arabic model's reading are its guesses at
    // Arabic-Indic digits, which it cannot read; the words alone are better.
    let words = words_without_numbers(&read);
    // The word model alone: where the digit readers read no number, a line that opens with
    // one is wrong without it, and the word model's number, right or wrong, costs nothing
    // but the field's confidence, which it caps.
    let (text, confidence) =
        match words_model_number.filter(|(_, sure)| *sure >= WORDS_MODEL_NUMBER_ALONE) {
            Some((number, sure)) => (
                parse::address_words(&format!("{number} {words}")),
                read.confidence.min(sure),
            ),
            None => (parse::address_words(&words), read.confidence),
        };
    let text = address_names(&text, &read);
    Ok(Field::new(
        address_from_other_models(context, line, &text, &read)?,
        confidence,
    ))
}

/// How much surer of the whole address line than of its rest alone Tesseract must be for
/// the line's words to be kept (see [`address_field`]). Dev and validation, 1,600 cards:
/// 0.2 made 4 addresses right and none wrong; 0.1 made 6 right and 2 wrong; any surer
/// reading (0) made 12 right and 24 wrong.
const SURER_WHOLE_LINE: f32 = 0.2;

/// The Arabic words `read` holds left of the house number's box `number`, without the
/// digits it guessed at: right of the number stand only marks of the card's edge.
fn words_left_of(read: &Recognized, number: PixelRect) -> String {
    let left_of_number: Vec<&str> = read
        .words
        .iter()
        .filter(|w| w.rect.0 + w.rect.2 <= number.0 + number.2 / 2)
        .map(|w| w.text.as_str())
        .collect();
    without_digit_words(&parse::arabic_text(&left_of_number.join(" ")))
}

/// The Arabic words of a reading, without the digits it guessed at (the word model cannot
/// read Arabic-Indic digits).
fn words_without_numbers(read: &Recognized) -> String {
    without_digit_words(&parse::arabic_text(&read.text))
}

fn without_digit_words(text: &str) -> String {
    text.split(' ')
        .filter(|w| !w.chars().all(super::fields::digits::is_arabic_indic_digit))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The house number as the word model read the line's first (rightmost) word, in
/// Arabic-Indic digits, when that word is a number, with the word model's confidence in
/// it. The word model learned house numbers (in ASCII digits, its character set's) from
/// the card lines it was tuned on, but misreads about half of those the digit readers
/// cannot read (dev photos): it confirms a digit reader's doubtful reading (see
/// [`read_house_number`]), and stands alone only when sure (see
/// [`WORDS_MODEL_NUMBER_ALONE`]).
fn words_model_house_number(read: &Recognized) -> Option<(String, f32)> {
    let first = read.words.iter().max_by_key(|w| w.rect.0 + w.rect.2)?;
    let ascii_number = first.text.chars().all(|c| c.is_ascii_digit());
    (ascii_number && !first.text.starts_with('0'))
        .then(|| digits::to_arabic_indic(&first.text))
        .and_then(|number| parse::house_number(&number))
        .map(|number| (number, first.confidence))
}

/// The word model's confidence from which its house number is taken when no digit reader
/// read one: the digit readers fail on some faces' digits (PakType's) that the word
/// model, tuned on card lines, reads. Its numbers at 0.85 or more were all right on dev
/// (8 of 8), and 7 of 23 below that; but an address whose number is dropped is wrong as
/// well. Dev and validation, 1,600 cards: taking them from 0.5 rather than 0.85 made 4
/// addresses right and none wrong; from 0 the same 4.
const WORDS_MODEL_NUMBER_ALONE: f32 = 0.5;

/// An address (`text`, read as `read` in `rect`, the house number excepted) with its
/// doubtful words checked against the other models' readings (see
/// [`words_from_other_models`]).
fn address_from_other_models(
    context: &mut CardContext<'_>,
    rect: PixelRect,
    text: &str,
    read: &Recognized,
) -> Result<String, CoreError> {
    // The house number, which the other models cannot read, stays out of the comparison.
    let (number, words) = match text.split_once(' ') {
        Some((first, rest)) if first.chars().all(digits::is_arabic_indic_digit) => {
            (Some(first), rest)
        }
        _ => (None, text),
    };
    if !words.split(' ').any(doubtful_address_word) {
        return Ok(text.to_string());
    }
    let read_rects = places_to_ask(words, read);
    let words = words_from_other_models(
        context,
        rect,
        words,
        &read_rects,
        doubtful_address_word,
        takes_address_word,
    )?;
    Ok(match number {
        Some(number) => format!("{number} {words}"),
        None => words,
    })
}

/// The region line, `district - governorate`: the district checked against its
/// governorate's listed ones, by the word model's alternatives, then by the other
/// models' readings (see [`OTHER_OPINIONS`]); a line none of them makes listed is
/// snapped whole to the listed line it is clearly closest to, if any (see
/// [`lexicon::region_line`]).
fn region_field(context: &mut CardContext<'_>) -> Result<Field, CoreError> {
    let (read, rect) = read_at(context, spec(layout::FRONT, "region"))?;
    let text = parse::region_text(&read.text);
    let text = district_by_alternatives(&text, &read).unwrap_or(text);
    if text.is_empty() || is_listed_region(&text) {
        return Ok(Field::new(text, read.confidence));
    }
    // The other readings are only taken with our governorate (`listed_region`): with
    // none read, asking them would cost two reads for nothing.
    let governorate_read = text
        .split_once(" - ")
        .is_some_and(|(_, governorate)| lexicon::districts_of(governorate).is_some());
    let listed = if governorate_read {
        listed_by_other_models(context, rect, |other| {
            listed_region(&parse::region_text(other), &text)
        })?
    } else {
        None
    };
    let listed =
        listed.or_else(|| lexicon::region_line(&text, parse::LEXICON_RULE).map(str::to_string));
    Ok(Field::new(listed.unwrap_or(text), read.confidence))
}

/// Whether `text` is a listed district of a listed governorate.
fn is_listed_region(text: &str) -> bool {
    text.split_once(" - ")
        .is_some_and(|(district, governorate)| {
            lexicon::districts_of(governorate).is_some_and(|listed| listed.contains(district))
        })
}

/// The first of the other models' readings of the whole line `rect` (see
/// [`OTHER_OPINIONS`]) that `listed` turns into a listed entry; the next model is asked
/// only while none has.
fn listed_by_other_models<T>(
    context: &mut CardContext<'_>,
    rect: PixelRect,
    listed: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, CoreError> {
    for model in OTHER_OPINIONS {
        let other = context.engine.read_line_once(model, rect)?;
        if let Some(found) = listed(&other.text) {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// `theirs`, another reading of the region line `ours`, when it names the same
/// governorate and one of its listed districts.
fn listed_region(theirs: &str, ours: &str) -> Option<String> {
    let (district, governorate) = theirs.split_once(" - ")?;
    let (_, our_governorate) = ours.split_once(" - ")?;
    (governorate == our_governorate
        && lexicon::districts_of(governorate).is_some_and(|listed| listed.contains(district)))
    .then(|| theirs.to_string())
}

/// The region line (`district - governorate`) with a district that is none of its
/// governorate's listed ones replaced by the one listed district its words' alternatives
/// spell (see [`crate::core::fields::lexicon::Lexicon::spelled_by`]), when one does.
fn district_by_alternatives(region: &str, read: &Recognized) -> Option<String> {
    let (district, governorate) = region.split_once(" - ")?;
    let districts = lexicon::districts_of(governorate)?;
    if districts.contains(district) {
        return None;
    }
    let mut places = Vec::new();
    for word in district.split(' ') {
        let read_word = read.words.iter().find(|w| w.text == word)?;
        places.extend(listed_places(&read_word.choices));
    }
    let spelled = districts.spelled_by(&places, DISTRICT_CHANGES)?;
    Some(format!("{spelled} - {governorate}"))
}

/// At most this many places of a district may take another alternative than the one read.
const DISTRICT_CHANGES: usize = 2;

/// An address with the words that may be a person's name (شارع محمد فريد) or a street's
/// word with the article (شارع الجمهورية) corrected as names are, but only to the one
/// listed word their alternatives spell: street and village names are an open
/// vocabulary, and the closest listed word would be a guess.
fn address_names(text: &str, read: &Recognized) -> String {
    let evidence_where = |may_be: fn(&str) -> bool| {
        move |word: &str| {
            may_be(word)
                .then(|| {
                    read.words
                        .iter()
                        .find(|w| w.text == word)
                        .map(|w| word_evidence(w, word))
                })
                .flatten()
        }
    };
    let names = parse::name_words(
        text,
        evidence_where(parse::may_name_a_person),
        ADDRESS_NAME_DOUBT,
    );
    parse::listed_words(
        &names,
        &lexicon::STREETS,
        evidence_where(parse::may_name_a_street),
        ADDRESS_NAME_DOUBT,
    )
}

/// When an address word is corrected to a listed name: as a name line's, but never to the
/// closest name.
const ADDRESS_NAME_DOUBT: parse::NameDoubt = parse::NameDoubt {
    closest: 0.0,
    ..NAME_DOUBT
};

/// Reads a house number in `word` with both digit readers, and keeps the surer reading
/// that is a number at all, or a doubtful one the word model's reading of the line
/// (`words_model_number`) confirms. The glyph reader is sure of clean prints but loses a digit
/// where two strokes touch; Tesseract's digit model holds such words together. Each
/// reader has its own floor, as their confidences are not on one scale; a word of letters
/// falls below both.
fn read_house_number(
    engine: &mut Engine,
    ink: &InkMap,
    word: PixelRect,
    words_model_number: Option<&str>,
) -> Result<Option<(String, Recognized)>, CoreError> {
    let glyphs = engine.read_line(Model::Digits, word, None)?;
    // Tesseract's confidence stays below this on the words it reads right, so a surer
    // glyph reading wins regardless: save the Tesseract call.
    if glyphs.confidence >= SURE_GLYPH_NUMBER {
        return Ok(parse::house_number(&glyphs.text).map(|digits| (digits, glyphs)));
    }
    // Tesseract's line mode finds nothing in a word boxed to its ink (a two-digit number
    // 44 pixels wide): it is given a margin of a sixth of the line's height each side,
    // short of the next word's last stroke (a third took it in, read as a ١): on the left,
    // where the next word stands, no further than halfway to its ink.
    let roomy = widened_short_of_next_word(ink, word, word.3 / 6);
    let tesseract = engine.read_line(Model::DigitsTesseract, roomy, None)?;
    // The two readers read the same number: each is evidence for the other, as far down as
    // a floor that keeps letters out (a word of letters read as digits reads differently).
    let agreed = parse::house_number(&glyphs.text)
        .filter(|number| parse::house_number(&tesseract.text).as_ref() == Some(number))
        .filter(|_| glyphs.confidence.min(tesseract.confidence) >= AGREED_NUMBER_CONFIDENCE);
    if let Some(number) = agreed {
        return Ok(Some((number, glyphs)));
    }
    // The word model read the line's first word as this number: a digit reader that
    // reads the same counts as agreement too, each reader misreading digits differently.
    for reading in [&glyphs, &tesseract] {
        let number = parse::house_number(&reading.text);
        if number.is_some()
            && number.as_deref() == words_model_number
            && reading.confidence >= AGREED_NUMBER_CONFIDENCE
        {
            return Ok(number.map(|number| (number, reading.clone())));
        }
    }
    Ok([
        (glyphs, GLYPH_NUMBER_CONFIDENCE),
        (tesseract, TESSERACT_NUMBER_CONFIDENCE),
    ]
    .into_iter()
    .filter(|(reading, floor)| reading.confidence >= *floor)
    .filter_map(|(reading, _)| parse::house_number(&reading.text).map(|d| (d, reading)))
    .max_by(|a, b| a.1.confidence.total_cmp(&b.1.confidence)))
}

/// A glyph reading this sure is taken without asking Tesseract (whose confidence on a
/// house number stayed under 0.95 on every dev card).
const SURE_GLYPH_NUMBER: f32 = 0.95;
/// The glyph reader's least glyph confidence below which a word is not a house number.
const GLYPH_NUMBER_CONFIDENCE: f32 = 0.9;
/// Tesseract's digit-model confidence below which a word is not a house number.
const TESSERACT_NUMBER_CONFIDENCE: f32 = 0.85;
/// Below this confidence (either reader's) a number both readers read is no house number.
const AGREED_NUMBER_CONFIDENCE: f32 = 0.3;

/// Where an address line's house number may stand, surest first. Tesseract finds the
/// line's words but may drop a number it cannot read, or box it short of its last digit:
/// so first any ink right of Tesseract's first (rightmost) word, then that word a little
/// wider (on the left only halfway to the next word's ink: a tight face sets ش a few
/// pixels off the number, and its last stroke read as a leading ١), then that word
/// widened to the ink it touches. The card's edge, caught when a photo's card was located
/// loosely, is no word.
fn house_number_candidates(
    ink: &InkMap,
    line: PixelRect,
    words: &[crate::core::ocr::Word],
) -> Vec<PixelRect> {
    // A narrow mark standing off from the rest at the line's right end, or ink that runs
    // on above and below the line, is the card's edge or its shadow, which Tesseract reads
    // as a word of its own: not the first word.
    let mut by_right_edge: Vec<&crate::core::ocr::Word> = words.iter().collect();
    by_right_edge.sort_by_key(|w| std::cmp::Reverse(w.rect.0 + w.rect.2));
    let stray = |i: usize| {
        let (left, _, width, _) = by_right_edge[i].rect;
        let next_right = by_right_edge
            .get(i + 1)
            .map_or(i32::MIN, |w| w.rect.0 + w.rect.2);
        (width <= line.3 / 2 && left - next_right > line.3 / 2)
            || ink.is_vertical_rule((left, line.1, width, line.3))
    };
    let Some(first) = (0..by_right_edge.len())
        .find(|&i| !stray(i))
        .map(|i| by_right_edge[i])
    else {
        return Vec::new();
    };
    let (first_left, _, first_width, _) = first.rect;
    let first_right = first_left + first_width;
    let pieces: Vec<PixelRect> = ink
        .words_split_by(line, 12)
        .into_iter()
        .filter(|&piece| !ink.is_vertical_rule(piece))
        .collect();
    // Ink right of the first word belongs to the line only while it follows on at a word
    // gap; the card's edge or its shadow stands further off. A line of the background
    // pattern crossing there is ink but no print (it read as a ٤ or a ١).
    let max_gap = line.3 / 2;
    let mut right_of_first: Vec<PixelRect> = Vec::new();
    let mut reached = first_right;
    for &piece in pieces
        .iter()
        .filter(|&&(left, ..)| left >= first_right - 1)
        .filter(|&&piece| ink.holds_print(line, piece))
    {
        if piece.0 - reached > max_gap {
            break;
        }
        reached = piece.0 + piece.2;
        right_of_first.push(piece);
    }
    let touching_first: Vec<PixelRect> = pieces
        .iter()
        .copied()
        .filter(|&(left, _, width, _)| left < first_right && left + width > first_left)
        .chain(std::iter::once((first_left, line.1, first_width, line.3)))
        .collect();
    let widened_first =
        widened_short_of_next_word(ink, (first_left, line.1, first_width, line.3), line.3 / 6);
    // Print that follows a first word Tesseract read as digits closer than a word gap
    // (past the pad each piece carries) is that number's last digit, cut off by its box
    // (٤٣ read ٤, the ٣'s last stroke then read as a ١): the two are read together.
    let follows_on = right_of_first.first().is_some_and(|piece| {
        piece.0 + lines::word_pad(line.3) - first_right < lines::word_gap(line.3)
    });
    let number_and_rest = (follows_on && first.text.chars().any(|c| c.is_numeric()))
        .then(|| {
            let mut pieces = right_of_first.clone();
            pieces.push(first.rect);
            span(&pieces, line)
        })
        .flatten();
    [
        number_and_rest,
        span(&right_of_first, line),
        Some(widened_first),
        span(&touching_first, line),
        rightmost_ink_word(ink, line),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// `word` widened by `pad` each side, on the left (where an Arabic line's next word
/// stands) no further than halfway to that word's ink (see [`InkMap::room_left_of`]).
fn widened_short_of_next_word(ink: &InkMap, word: PixelRect, pad: i32) -> PixelRect {
    let (left, top, width, height) = word;
    let left_pad = ink.room_left_of(word, pad);
    (left - left_pad, top, width + left_pad + pad, height)
}

/// The line's rightmost word of ink, split at word gaps, past a narrow mark standing off
/// at the end (the card's edge or its shadow): where Tesseract joined the house number to
/// the word after it, its first word holds both, and the digit readers read the word's
/// letters as digits too.
fn rightmost_ink_word(ink: &InkMap, line: PixelRect) -> Option<PixelRect> {
    let words: Vec<PixelRect> = ink
        .words_split_by(line, 5)
        .into_iter()
        .filter(|&word| !ink.is_vertical_rule(word))
        .collect();
    let stray_at_end = match words.as_slice() {
        [.., before, last] => last.2 <= line.3 / 2 && last.0 - (before.0 + before.2) > line.3 / 2,
        _ => false,
    };
    let words = if stray_at_end {
        &words[..words.len() - 1]
    } else {
        &words[..]
    };
    words.last().copied()
}

/// The columns `rects` cover together, over the whole height of `line`.
fn span(rects: &[PixelRect], line: PixelRect) -> Option<PixelRect> {
    let left = rects.iter().map(|r| r.0).min()?;
    let right = rects.iter().map(|r| r.0 + r.2).max()?;
    Some((left, line.1, right - left, line.3))
}

/// The expiry date read between the expiry row's left end and its label, found by Tesseract's
/// word boxes. Where no wide gap parts the date from "البطاقة سارية حتى" (a small face, a
/// blur), the glyph reader reads the label's letters as digits that join the date; and a
/// short label leaves the date right of its nominal zone.
fn expiry_left_of_label(
    context: &mut CardContext<'_>,
    row: PixelRect,
    shape: &str,
) -> Result<Option<Recognized>, CoreError> {
    let label = context.engine.read_line_once(Model::Arabic, row)?;
    let label_left = label
        .words
        .iter()
        .filter(|word| keyword_score(&word.text, BACK_LABEL_WORDS) * 3.0 >= 0.7)
        .map(|word| word.rect.0)
        .min();
    let Some(label_left) = label_left else {
        return Ok(None);
    };
    // A few pixels short of the label, so none of its ink is read as a digit.
    let width = label_left - row.0 - 4;
    if width < row.3 {
        return Ok(None);
    }
    let rect = (row.0, row.1, width, row.3);
    if let Some(found) = context.engine.read_shaped(rect, shape, LineEnd::Right) {
        context
            .boxes
            .push(("expiry (left of label)", rect, found.text.clone()));
        return Ok(Some(found));
    }
    // The glyph reader lost a glyph (a small zero in a blur): the Tesseract digit model
    // reads the same bounded rectangle.
    opinion_of(
        context,
        Model::DigitsTesseract,
        "expiry (left of label, tesseract)",
        rect,
    )
    .map(Some)
}

/// The day of the expiry date, read from the whole expiry row glyph by glyph, when the
/// date itself did not read whole (a small zero lost in its year or month): the day of
/// the row's first whole date, else the two digits after the month that the issue date
/// (`issue`, `yyyy/mm`) gives the expiry.
fn printed_expiry_day(
    context: &mut CardContext<'_>,
    issue: &str,
) -> Result<Option<String>, CoreError> {
    let row = context
        .ink
        .find_line(&context.alignment.apply(&layout::EXPIRY_ROW.zone));
    let read = context.engine.read_all_digits(row);
    context
        .boxes
        .push(("expiry day (row)", row, read.text.clone()));
    let month = issue.split_once('/').map(|(_, month)| month);
    let day_in = |text: &str| {
        parse::day_of_first_date(text)
            .or_else(|| month.and_then(|month| parse::day_after_month(text, month)))
    };
    if let Some(day) = day_in(&read.text) {
        return Ok(Some(day));
    }
    // The Tesseract digit model holds together glyphs the glyph reader splits or loses.
    let opinion = opinion_of(
        context,
        Model::DigitsTesseract,
        "expiry day (row, tesseract)",
        row,
    )?;
    Ok(day_in(&opinion.text))
}

/// The card serial. Its line is small and sits at the card's bottom edge: on a card
/// located loosely, the edge or its shadow forms a band of ink beside it that the line
/// finder can take instead. When the found line reads as no serial, every band of rows
/// near the zone is read in turn, top first, and the first that is a serial kept.
fn serial_field(context: &mut CardContext<'_>) -> Result<Field, CoreError> {
    let spec = spec(layout::FRONT, "certificate_number");
    let read = read(context, spec)?;
    if let Some(serial) = parse::serial(&read.text) {
        return Ok(Field::new(serial, read.confidence));
    }
    let zone = context.alignment.apply(&spec.zone);
    for rect in bands_near(&context.ink, &zone, (0.03, 0.03), SERIAL_LINE_HEIGHT / 2.0) {
        let read = context.engine.read_line(spec.model, rect, spec.whitelist)?;
        context
            .boxes
            .push(("certificate_number (band)", rect, read.text.clone()));
        if let Some(serial) = parse::serial(&read.text) {
            return Ok(Field::new(serial, read.confidence * 0.9));
        }
    }
    Ok(Field::default())
}

/// The serial line's height with a margin, as a fraction of the card's height.
const SERIAL_LINE_HEIGHT: f32 = 0.075;

/// Below this confidence a profession reading that matches no listed title is dropped.
const UNLISTED_PROFESSION_CONFIDENCE: f32 = 0.6;

/// Reads the row that prints gender, religion and marital status (right to left) as one
/// line, which Tesseract reads far better than three short words, and matches its words
/// against each vocabulary; a vocabulary no word matches is read again in its own zone.
fn status_row(context: &mut CardContext<'_>) -> Result<[(Field, Field); 3], CoreError> {
    let row = read(context, &layout::STATUS_ROW)?;
    let words: Vec<&str> = row.text.split_whitespace().collect();
    let mut out: [(Field, Field); 3] = Default::default();
    let vocabularies = [
        ("gender", vocabulary::GENDERS),
        ("religion", vocabulary::RELIGIONS),
        ("marriage", vocabulary::MARITAL_STATUSES),
    ];
    for (slot, (name, terms)) in out.iter_mut().zip(vocabularies) {
        let best = words
            .iter()
            .filter_map(|word| vocabulary::match_term(word, terms).map(|m| (m, word)))
            .max_by(|a, b| a.0.confidence.total_cmp(&b.0.confidence));
        let found = match best {
            Some((matched, word)) => Some((
                matched,
                row.confidence,
                vocabulary::closest_spelling(word, terms, matched.term),
            )),
            None => {
                let (alone, rect) = read_at(context, spec(layout::BACK, name))?;
                match vocabulary::match_term(&alone.text, terms) {
                    Some(m) => {
                        let spelling = vocabulary::closest_spelling(&alone.text, terms, m.term);
                        Some((m, alone.confidence, spelling))
                    }
                    None => status_word_by_other_models(context, rect, &alone.text, terms)?,
                }
            }
        };
        if let Some((Matched { term, confidence }, read_confidence, spelling)) = found {
            let confidence = confidence * read_confidence.max(0.5);
            *slot = (
                Field::new(spelling, confidence),
                Field::new(term.english, confidence),
            );
        }
    }
    Ok(out)
}

/// Stock `ara` is the status row's own model; the others are asked about a word's zone
/// when neither the row nor the zone alone read as a term.
const STATUS_OTHER_OPINIONS: [(Model, &str); 2] = [
    (Model::Words, "status word (words model)"),
    (Model::ArabicScript, "status word (script model)"),
];

/// The first term one of the other models reads in a status word's zone `rect` (any of
/// its words, matched as the row's words are), at a second opinion's confidence. Each
/// model misreads other faces: on dev and unseen-face backs the row and the zone alone,
/// both read by stock `ara`, left the religion unread on a tenth of the cards. When no
/// reading matches a term, two readings (stock `ara`'s `alone` among them) that loosely
/// agree on one give it, at a lower confidence (see [`vocabulary::agreed_term`]).
fn status_word_by_other_models(
    context: &mut CardContext<'_>,
    rect: PixelRect,
    alone: &str,
    terms: &[vocabulary::Term],
) -> Result<Option<(Matched, f32, &'static str)>, CoreError> {
    let mut readings = vec![parse::arabic_text(alone)];
    let mut confidences = vec![];
    for (model, name) in STATUS_OTHER_OPINIONS {
        let other = context.engine.read_line_once(model, rect)?;
        context.boxes.push((name, rect, other.text.clone()));
        let text = parse::arabic_text(&other.text);
        let best = text
            .split_whitespace()
            .filter_map(|word| vocabulary::match_term(word, terms).map(|m| (m, word)))
            .max_by(|a, b| a.0.confidence.total_cmp(&b.0.confidence));
        if let Some((matched, word)) = best {
            let spelling = vocabulary::closest_spelling(word, terms, matched.term);
            return Ok(Some((matched, other.confidence * SECOND_OPINION, spelling)));
        }
        readings.push(text);
        confidences.push(other.confidence);
    }
    let readings: Vec<&str> = readings.iter().map(String::as_str).collect();
    Ok(vocabulary::agreed_term(&readings, terms).map(|term| {
        let confidence = confidences.iter().copied().fold(0.0, f32::max);
        let matched = Matched {
            term,
            confidence: AGREED_TERM,
        };
        (matched, confidence * SECOND_OPINION, term.arabic)
    }))
}

/// A term two readings loosely agree on is surer than noise but less than a match.
const AGREED_TERM: f32 = 0.6;

/// How much a status word read only by a second model is trusted, against the row's own.
const SECOND_OPINION: f32 = 0.8;

fn read_back(
    context: &mut CardContext<'_>,
) -> Result<(CardFields, Option<NationalIdFacts>), CoreError> {
    let specs = layout::BACK;
    let [(mut gender, mut gender_en), (mut religion, religion_en), (mut marriage, marriage_en)] =
        status_row(context)?;
    let printed_gender = vocabulary::GENDERS
        .iter()
        .find(|t| !gender_en.value.is_empty() && t.english == gender_en.value)
        .and_then(|t| t.gender);
    let (mut issue_date, mut issue_date_arabic) = date_fields(context, specs, "issue_date", false)?;
    let (mut expiry_date, mut expiry_date_arabic, expiry_readings) =
        date_fields_and_readings(context, specs, "expiry_date", true)?;
    // The card is valid seven years. An issue date no card can have (a misread year after
    // this one) is no witness; an unreadable one follows from the expiry (not the other
    // way round: the issue date has no day). A plausible issue date fixes the expiry's
    // year and month: an expiry that was not read, or that disagrees and was read less
    // surely, is rebuilt from it and the printed day; a surer expiry instead gives the
    // issue date. Agreeing dates are surer.
    let this_year = u32::try_from(chrono::Datelike::year(&chrono::Utc::now())).unwrap_or(0);
    let issue_plausible = crosscheck::is_plausible_issue(&issue_date.value, this_year);
    let agree = crosscheck::expiry_month_of(&issue_date.value)
        .is_some_and(|month| expiry_date.value.starts_with(&month));
    // Before either date is rebuilt from the other: the year both readings agree on.
    let issued = crosscheck::witnessed_issue_year(&issue_date.value, &expiry_date.value, this_year);
    if agree && issue_plausible {
        for field in [
            &mut issue_date,
            &mut issue_date_arabic,
            &mut expiry_date,
            &mut expiry_date_arabic,
        ] {
            field.confidence = (field.confidence * 1.2).min(1.0);
        }
    } else if issue_plausible
        && (expiry_date.value.is_empty() || issue_date.confidence > expiry_date.confidence)
    {
        let day = match expiry_date.value.rsplit_once('/') {
            Some((_, day)) => Some(day.to_string()),
            None => printed_expiry_day(context, &issue_date.value)?.or_else(|| {
                // No reading of the row found the day; one of the date's own zone may
                // hold the expected year whole and the day after its lost month.
                let year_month = crosscheck::expiry_month_of(&issue_date.value)?;
                expiry_readings
                    .iter()
                    .find_map(|text| parse::day_after_year(text, &year_month))
            }),
        };
        if let Some(expiry) = day.and_then(|day| crosscheck::expiry_from(&issue_date.value, &day)) {
            let confidence = issue_date.confidence * 0.6;
            expiry_date_arabic =
                Field::new(super::fields::digits::to_arabic_indic(&expiry), confidence);
            expiry_date = Field::new(expiry, confidence);
        }
    } else if let Some(issue) = crosscheck::issue_of(&expiry_date.value)
        .filter(|issue| crosscheck::is_plausible_issue(issue, this_year))
    {
        issue_date = Field::new(issue.clone(), 0.5);
        issue_date_arabic = Field::new(super::fields::digits::to_arabic_indic(&issue), 0.5);
    } else if !issue_date.value.is_empty() {
        issue_date = Field::default();
        issue_date_arabic = Field::default();
    }
    let witness = IdWitness::Back {
        gender: printed_gender,
        issued,
    };
    let (id_number, facts) = id_field(context, specs, Some(&layout::BACK_ID_ROW), &witness)?;
    // The number's 13th digit encodes the gender. When the number passes every rule it
    // fills an unreadable printed gender and wins a disagreement, saying so in the
    // confidence, as the front's birth date does.
    let id_gender = facts
        .as_ref()
        .filter(|_| national_id::is_well_formed(&id_number.value))
        .and_then(|f| {
            vocabulary::GENDERS
                .iter()
                .find(|t| t.gender == Some(f.gender))
        });
    if let Some(term) = id_gender {
        let confidence = if gender_en.value.is_empty() {
            Some(0.5)
        } else if gender_en.value != term.english {
            Some(0.6)
        } else {
            gender.confidence = gender.confidence.max(0.95);
            gender_en.confidence = gender.confidence;
            None
        };
        if let Some(confidence) = confidence {
            gender = Field::new(term.arabic, confidence);
            gender_en = Field::new(term.english, confidence);
        }
    }
    // The card prints the religion and the marital status in the holder's gender: when
    // the printed gender and the number agree on it, a form of the other gender (a
    // letter lost or added at the end, مسلم for مسلمة) takes the holder's.
    let sure_gender = id_gender
        .and_then(|term| term.gender)
        .filter(|gender| printed_gender == Some(*gender));
    if let Some(holder) = sure_gender {
        for (field, terms) in [
            (&mut religion, vocabulary::RELIGIONS),
            (&mut marriage, vocabulary::MARITAL_STATUSES),
        ] {
            let read = terms.iter().find(|t| t.arabic == field.value).copied();
            if let Some(term) = read.filter(|t| t.gender.is_some_and(|g| g != holder)) {
                let form = vocabulary::in_gender(term, terms, holder);
                field.value = vocabulary::closest_spelling(&field.value, terms, form).to_string();
            }
        }
    }
    let feminine = match gender_en.value.as_str() {
        "F" => Some(true),
        "M" => Some(false),
        _ => None,
    };
    let mut jobs = Field::default();
    let mut degree = Field::default();
    for line in ["profession_1", "profession_2"] {
        let (read, rect) = read_at(context, spec(specs, line))?;
        let text = parse::profession_text(&read.text);
        if text.is_empty() {
            continue;
        }
        // A reading too far from every title for the closest to be clear may still be one
        // title spelled by the alternatives the reader weighed.
        let places: Vec<Vec<String>> = read
            .words
            .iter()
            .flat_map(|word| listed_places(&word.choices))
            .collect();
        let mut entry = parse::profession_entry(&text, feminine)
            .or_else(|| parse::profession_spelled_by(&places, feminine));
        // The other models' reading counts only as a listed title (see OTHER_OPINIONS).
        if entry.is_none() {
            entry = listed_by_other_models(context, rect, |other| {
                parse::profession_entry(&parse::profession_text(other), feminine)
            })?;
        }
        let (field, is_degree) = match entry {
            Some((entry, is_degree)) => (Field::new(entry, read.confidence), is_degree),
            // No title on our lists, and Tesseract doubts it: the background or a
            // neighbouring row read as a line, not a title printed there.
            None if read.confidence < UNLISTED_PROFESSION_CONFIDENCE => continue,
            None => {
                let is_degree = parse::is_degree_line(&text);
                (Field::new(text, read.confidence), is_degree)
            }
        };
        let slot = if is_degree { &mut degree } else { &mut jobs };
        if slot.value.is_empty() {
            *slot = field;
        }
    }
    let husband = name_field(context, specs, "husband_name")?;
    // Only married women's cards print a husband's name (card-layout.md); an unread
    // status leaves the question open. Elsewhere the zone holds the background, or the
    // line finder reaches the expiry label below or the status row above: none is a name.
    let is_label = keyword_score(&husband.value, BACK_LABEL_WORDS) >= 0.5
        || status_vocabularies_in_joined(&husband.value) >= 2;
    let plausible = husband.value.split(' ').count() >= 2 && husband.confidence >= 0.5;
    let may_be_married = matches!(marriage_en.value.as_str(), "married" | "");
    let husband_name = if gender_en.value != "M" && may_be_married && plausible && !is_label {
        husband
    } else {
        Field::default()
    };
    let back = BackFields {
        id_number,
        issue_date,
        issue_date_arabic,
        expiry_date,
        expiry_date_arabic,
        gender,
        gender_en,
        degree,
        religion,
        religion_en,
        husband_name,
        jobs,
        marriage,
        marriage_en,
    };
    Ok((CardFields::Back(back), facts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::reading::Point;

    #[test]
    fn a_status_row_read_with_its_words_run_together_is_no_husband_name() {
        assert_eq!(status_vocabularies_in("أنقفىمسلمة أنسة"), 1);
        assert_eq!(status_vocabularies_in_joined("أنقفىمسلمة أنسة"), 2);
        // A name holds at most a word near one term (أنس, near آنسة), never two
        // vocabularies.
        assert!(status_vocabularies_in_joined("رشاد يسن أنس حسني") < 2);
        assert_eq!(status_vocabularies_in_joined("عبدالعزيز مالك زهران"), 0);
    }

    #[test]
    fn a_digit_cut_off_a_numeric_first_word_is_read_with_it() {
        // A line at rows 20..72 (52 high): a street word at 100..180 and a number's two
        // digits at 200..220 and 229..240, its box cut at 222.
        let card = GrayImage::from_fn(300, 100, |x, y| {
            let inked = (30..60).contains(&y)
                && ((100..180).contains(&x) || (200..220).contains(&x) || (229..240).contains(&x));
            image::Luma([if inked { 20 } else { 235 }])
        });
        let ink = InkMap::new(&card);
        let line = (90, 20, 160, 52);
        let word = |text: &str, rect: PixelRect| crate::core::ocr::Word {
            text: text.to_owned(),
            rect,
            confidence: 0.9,
            choices: Vec::new(),
        };
        let words = [
            word("4", (200, 30, 22, 30)),
            word("شارع", (100, 30, 80, 30)),
        ];
        let candidates = house_number_candidates(&ink, line, &words);
        let (left, _, width, _) = candidates[0];
        assert!(left <= 200 && left + width >= 240, "{:?}", candidates[0]);
        // A first word of letters is never joined to what follows it.
        let words = [
            word("ش", (200, 30, 22, 30)),
            word("شارع", (100, 30, 80, 30)),
        ];
        let (left, ..) = house_number_candidates(&ink, line, &words)[0];
        assert!(left > 220, "{left}");
    }

    #[test]
    fn rotation_follows_the_top_edge() {
        let quad = |c: [(f32, f32); 4]| Quad {
            corners: c.map(|(x, y)| Point { x, y }),
            found: true,
        };
        assert_eq!(
            rotation_of(&quad([
                (0.0, 0.0),
                (100.0, 0.0),
                (100.0, 60.0),
                (0.0, 60.0)
            ])),
            0
        );
        assert_eq!(
            rotation_of(&quad([
                (100.0, 60.0),
                (0.0, 60.0),
                (0.0, 0.0),
                (100.0, 0.0)
            ])),
            180
        );
        // Top edge running down the image: the card lies turned a quarter clockwise.
        assert_eq!(
            rotation_of(&quad([
                (60.0, 0.0),
                (60.0, 100.0),
                (0.0, 100.0),
                (0.0, 0.0)
            ])),
            270
        );
    }

    #[test]
    fn blank_images_are_blank() {
        assert!(looks_blank(&GrayImage::from_pixel(
            300,
            200,
            image::Luma([240])
        )));
        let stripes = GrayImage::from_fn(300, 200, |x, _| {
            image::Luma([if x % 20 < 10 { 0 } else { 255 }])
        });
        assert!(!looks_blank(&stripes));
    }

    #[test]
    fn keyword_score_tolerates_noise() {
        assert!(keyword_score("بطاقه تحقيق الشخصيه", &["بطاقة", "تحقيق", "الشخصية"]) > 0.9);
        assert!(keyword_score("", &["بطاقة"]) < 0.1);
    }
}
