//! The words of one Tesseract reading, with where each stands on the card and, for a model
//! asked for them, the characters Tesseract weighed at each place.
//!
//! leptess gives no result or choice iterator, and keeps Tesseract's handle private (the
//! `TessBaseAPI` pointer inside tesseract-plumbing's `TessBaseApi` has no accessor), so
//! `GetIterator` cannot be called on the handles it owns. Tesseract writes the same
//! results as text instead: the TSV carries each word's box and confidence, and the hOCR,
//! with `lstm_choice_mode=2`, each character's alternatives from the LSTM's decoder.
//! Parsing those keeps this crate free of unsafe code. The box lets a field hand one word
//! to another reader (an address's house number to the digit reader) and drop a doubtful
//! word at a line's end; the alternatives let a name word be checked against the names a
//! card prints (see [`crate::core::fields::parse::name_words`]).

use quick_xml::events::Event;

use crate::core::layout::PixelRect;

/// One word Tesseract read.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// The word as read.
    pub text: String,
    /// Its box on the card image (left, top, width, height).
    pub rect: PixelRect,
    /// Tesseract's confidence in it, 0..=1.
    pub confidence: f32,
    /// The alternatives at each of its characters, in reading order, surest first; empty
    /// when the model was not asked for them or they do not line up with the text.
    pub choices: Vec<Vec<Choice>>,
}

/// One character Tesseract weighed at a place in a word.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The character (one unichar of the model, which may be more than one `char`).
    pub text: String,
    /// The decoder's score for it, 0..=1.
    pub confidence: f32,
}

/// Tesseract's TSV level for a word row.
const WORD_LEVEL: &str = "5";

/// The word rows of Tesseract's TSV output, in the order Tesseract wrote them (reading
/// order: right to left for Arabic). Rows it cannot parse are skipped, never guessed.
pub fn parse_tsv(tsv: &str) -> Vec<Word> {
    tsv.lines()
        .filter_map(|row| {
            // level page block paragraph line word left top width height conf text
            let cols: Vec<&str> = row.splitn(12, '\t').collect();
            if cols.len() != 12 || cols[0] != WORD_LEVEL {
                return None;
            }
            let number = |i: usize| cols[i].trim().parse::<i32>().ok();
            let text = cols[11].trim();
            let confidence = cols[10].trim().parse::<f32>().ok()?;
            if text.is_empty() || confidence < 0.0 {
                return None;
            }
            Some(Word {
                text: text.to_string(),
                rect: (number(6)?, number(7)?, number(8)?, number(9)?),
                confidence: (confidence / 100.0).clamp(0.0, 1.0),
                choices: Vec::new(),
            })
        })
        .collect()
}

/// Gives each word its characters' alternatives from the hOCR of the same reading (written
/// with `lstm_choice_mode=2`). The hOCR lists a word's places in image order (right to left
/// reading order reversed for Arabic), and may add a place for the space before the word:
/// a word takes the alternatives only when their surest characters spell its text in one
/// order or the other, so a mismatch leaves it without, never misaligned.
pub fn attach_choices(words: &mut [Word], hocr: &str) {
    let parsed = parse_hocr_choices(hocr);
    if parsed.len() != words.len() {
        return;
    }
    for (word, (text, places)) in words.iter_mut().zip(parsed) {
        if text != word.text {
            continue;
        }
        let mut places: Vec<Vec<Choice>> = places
            .into_iter()
            .filter(|place| place.first().is_some_and(|c| !c.text.trim().is_empty()))
            .collect();
        let spelled = |places: &[Vec<Choice>]| -> String {
            places.iter().map(|place| place[0].text.as_str()).collect()
        };
        if spelled(&places) != word.text {
            places.reverse();
        }
        if spelled(&places) == word.text {
            word.choices = places;
        }
    }
}

/// The words of an hOCR page, each with its text and the alternatives at each of its
/// places, in the order the hOCR writes them. Markup it does not expect is skipped.
fn parse_hocr_choices(hocr: &str) -> Vec<(String, Vec<Vec<Choice>>)> {
    let mut reader = quick_xml::Reader::from_str(hocr);
    let mut words: Vec<(String, Vec<Vec<Choice>>)> = Vec::new();
    // Spans open since the current word's own, and where the next text belongs.
    let mut depth_in_word: Option<usize> = None;
    let mut text_goes_to = TextGoesTo::Nowhere;
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        let text = match event {
            Event::Start(tag) if tag.name().0 == "span" => {
                let attribute = |name: &str| {
                    tag.try_get_attribute(name).ok().flatten().and_then(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .ok()
                            .map(|v| v.into_owned())
                    })
                };
                text_goes_to = TextGoesTo::Nowhere;
                match depth_in_word.as_mut() {
                    None if attribute("class").as_deref() == Some("ocrx_word") => {
                        depth_in_word = Some(1);
                        text_goes_to = TextGoesTo::Word;
                        words.push((String::new(), Vec::new()));
                    }
                    None => {}
                    Some(depth) => {
                        *depth += 1;
                        let id = attribute("id").unwrap_or_default();
                        let places = words.last_mut().map(|(_, places)| places);
                        if let Some(places) = places.filter(|_| id.starts_with("lstm_choices")) {
                            places.push(Vec::new());
                        } else if id.starts_with("choice") {
                            let score: Option<f32> = attribute("title")
                                .and_then(|t| t.strip_prefix("x_confs ")?.trim().parse().ok());
                            let place = words.last_mut().and_then(|(_, p)| p.last_mut());
                            if let (Some(score), Some(place)) = (score, place) {
                                place.push(Choice {
                                    text: String::new(),
                                    confidence: (score / 100.0).clamp(0.0, 1.0),
                                });
                                text_goes_to = TextGoesTo::Choice;
                            }
                        }
                    }
                }
                continue;
            }
            Event::End(tag) if tag.name().0 == "span" => {
                text_goes_to = TextGoesTo::Nowhere;
                if let Some(depth) = depth_in_word.as_mut() {
                    *depth -= 1;
                    if *depth == 0 {
                        depth_in_word = None;
                    }
                }
                continue;
            }
            Event::Text(text) => text.xml10_content().trim().to_string(),
            // Tesseract escapes quotes and the like as entities, read as separate events.
            Event::GeneralRef(reference) => match reference.resolve_char_ref() {
                Ok(Some(c)) => c.to_string(),
                _ => match reference.as_ref() {
                    "amp" => "&".into(),
                    "lt" => "<".into(),
                    "gt" => ">".into(),
                    "quot" => "\"".into(),
                    "apos" => "'".into(),
                    _ => continue,
                },
            },
            _ => continue,
        };
        let Some((word, places)) = words.last_mut() else {
            continue;
        };
        match text_goes_to {
            TextGoesTo::Word => word.push_str(&text),
            TextGoesTo::Choice => {
                if let Some(choice) = places.last_mut().and_then(|p| p.last_mut()) {
                    choice.text.push_str(&text);
                }
            }
            TextGoesTo::Nowhere => {}
        }
    }
    words
}

/// Where the hOCR's next text belongs.
#[derive(Clone, Copy)]
enum TextGoesTo {
    /// The word's own text, before its first inner span.
    Word,
    /// The choice whose span was just opened.
    Choice,
    /// Layout whitespace.
    Nowhere,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_word_rows_and_skips_the_rest() {
        let tsv = "1\t1\t0\t0\t0\t0\t0\t0\t1000\t631\t-1\t\n\
                   4\t1\t1\t1\t1\t0\t404\t319\t511\t62\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t830\t325\t70\t50\t41.5\t10\n\
                   5\t1\t1\t1\t1\t2\t700\t322\t120\t55\t96.0\tشارع\n\
                   5\t1\t1\t1\t1\t3\t1\t2\t3\t4\t-1\t\n\
                   5\t1\t1\t1\t1\t4\tx\t2\t3\t4\t90\tbad\n";
        let words = parse_tsv(tsv);
        assert_eq!(
            words,
            vec![
                Word {
                    text: "10".into(),
                    rect: (830, 325, 70, 50),
                    confidence: 0.415,
                    choices: Vec::new(),
                },
                Word {
                    text: "شارع".into(),
                    rect: (700, 322, 120, 55),
                    confidence: 0.96,
                    choices: Vec::new(),
                },
            ]
        );
    }

    /// The hOCR Tesseract 5.3 writes with `lstm_choice_mode=2`, cut to two words: the
    /// first with a place for the space before it, both in image order.
    const HOCR: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<html><body><div class='ocr_page'><span class='ocr_line' id='line_1_1'>
<span class='ocrx_word' id='word_1_1' title='bbox 20 6 80 53; x_wconf 81'>جيال
 <span class='ocrx_cinfo' id='lstm_choices_1_1_1'>
  <span class='ocrx_cinfo' id='choice_1_1_1' title='x_confs 93.0'> </span>
  <span class='ocrx_cinfo' id='choice_1_1_2' title='x_confs 0'>&#39;</span></span>
 <span class='ocrx_cinfo' id='lstm_choices_1_1_2'>
  <span class='ocrx_cinfo' id='choice_1_1_3' title='x_confs 92.5'>ل</span></span>
 <span class='ocrx_cinfo' id='lstm_choices_1_1_3'>
  <span class='ocrx_cinfo' id='choice_1_1_4' title='x_confs 90.1'>ا</span>
  <span class='ocrx_cinfo' id='choice_1_1_5' title='x_confs 18.9'>ز</span></span>
 <span class='ocrx_cinfo' id='lstm_choices_1_1_4'>
  <span class='ocrx_cinfo' id='choice_1_1_6' title='x_confs 91.5'>ي</span>
  <span class='ocrx_cinfo' id='choice_1_1_7' title='x_confs 53.2'>ل</span></span>
 <span class='ocrx_cinfo' id='lstm_choices_1_1_5'>
  <span class='ocrx_cinfo' id='choice_1_1_8' title='x_confs 92.2'>ج</span></span>
</span>
<span class='ocrx_word' id='word_1_2' title='bbox 90 6 120 53; x_wconf 88'>&amp;
 <span class='ocrx_cinfo' id='lstm_choices_1_2_1'>
  <span class='ocrx_cinfo' id='choice_1_2_1' title='x_confs 88'>&amp;</span></span>
</span>
</span></div></body></html>";

    fn word(text: &str) -> Word {
        Word {
            text: text.into(),
            rect: (0, 0, 1, 1),
            confidence: 0.8,
            choices: Vec::new(),
        }
    }

    #[test]
    fn alternatives_are_given_in_reading_order_without_the_space() {
        let mut words = vec![word("جيال"), word("&")];
        attach_choices(&mut words, HOCR);
        let places: Vec<Vec<&str>> = words[0]
            .choices
            .iter()
            .map(|place| place.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(
            places,
            vec![vec!["ج"], vec!["ي", "ل"], vec!["ا", "ز"], vec!["ل"]]
        );
        assert!((words[0].choices[1][1].confidence - 0.532).abs() < 1e-6);
        assert_eq!(words[1].choices.len(), 1);
        assert_eq!(words[1].choices[0][0].text, "&");
    }

    #[test]
    fn alternatives_that_do_not_spell_the_word_are_left_out() {
        let mut words = vec![word("جلال"), word("&")];
        attach_choices(&mut words, HOCR);
        assert!(words[0].choices.is_empty(), "the surest choices spell جيال");
        assert_eq!(words[1].choices.len(), 1);
        let mut one = vec![word("جيال")];
        attach_choices(&mut one, HOCR);
        assert!(one[0].choices.is_empty(), "two words in the hOCR, one read");
    }
}
