//! The words of one Tesseract reading, with where each stands on the card.
//!
//! leptess gives no result iterator, but Tesseract's TSV output carries the same word
//! boxes and confidences as text; parsing it keeps this crate free of unsafe code. The
//! box lets a field hand one word to another reader (an address's house number to the
//! digit reader) and drop a doubtful word at a line's end.

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
            })
        })
        .collect()
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
                    confidence: 0.415
                },
                Word {
                    text: "شارع".into(),
                    rect: (700, 322, 120, 55),
                    confidence: 0.96
                },
            ]
        );
    }
}
