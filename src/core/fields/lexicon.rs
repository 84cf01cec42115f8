//! Vocabularies a card prints from: job titles, qualifications, districts (closed), and
//! common names (open).
//!
//! The civil registry prints these from fixed lists, so a reading one or two letters off
//! an entry is that entry misread. A reading snaps to an entry only when that entry is
//! clearly the closest; anything else is returned as read, so a title missing from our
//! lists is never forced onto a neighbour. Names are an open vocabulary: the list of
//! common names only corrects a word Tesseract itself doubts, since snapping a rare name
//! onto a common one would be a silent error.
//!
//! The lists live in `data/lexicon/`, one entry per line (`#` starts a comment).

use std::sync::LazyLock;

use crate::core::text::fold_arabic;

/// Job titles (the API's `jobs`).
pub static JOBS: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::from_lines(include_str!("../../../data/lexicon/jobs.txt")));

/// Qualifications and study status (the API's `degree`).
pub static DEGREES: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::from_lines(include_str!("../../../data/lexicon/degrees.txt")));

/// Given and family names common on Egyptian cards: an open vocabulary, used only to
/// correct a name word Tesseract itself doubts (see [`crate::core::fields::parse::name_words`]).
pub static NAMES: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::from_lines(include_str!("../../../data/lexicon/names.txt")));

/// Words of street and village names that carry the article (الجمهورية, المحطة): an open
/// vocabulary, used only to correct an address word the reader doubts and whose
/// alternatives spell one entry.
pub static STREETS: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::from_lines(include_str!("../../../data/lexicon/streets.txt")));

/// Districts by governorate, `governorate|district، district، ...`.
static DISTRICTS: LazyLock<Vec<(String, Lexicon)>> = LazyLock::new(|| {
    entries(include_str!("../../../data/lexicon/districts.txt"))
        .filter_map(|line| line.split_once('|'))
        .map(|(governorate, districts)| {
            (
                fold_arabic(governorate),
                Lexicon::from_entries(districts.split('،').map(str::trim)),
            )
        })
        .collect()
});

/// Every listed region line, `district - governorate`, as the card prints it.
static REGION_LINES: LazyLock<Lexicon> = LazyLock::new(|| {
    let lines: Vec<String> = entries(include_str!("../../../data/lexicon/districts.txt"))
        .filter_map(|line| line.split_once('|'))
        .flat_map(|(governorate, districts)| {
            districts
                .split('،')
                .map(str::trim)
                .filter(|district| !district.is_empty())
                .map(move |district| format!("{district} - {governorate}"))
        })
        .collect();
    Lexicon::from_entries(lines.iter().map(String::as_str))
});

/// The listed region line a whole reading of the line is a misreading of, when one is
/// clearly the closest under `rule`: district and governorate weighed together, so a
/// listed district vouches for a governorate misread in a letter or two (المحلة الكبرى
/// - القربية) and a governorate for its district, and a missing dash costs nothing.
pub fn region_line(reading: &str, rule: SnapRule) -> Option<&'static str> {
    REGION_LINES.snap(reading, rule)
}

/// The districts of one governorate (as the governorate list spells it), if we list it.
pub fn districts_of(governorate: &str) -> Option<&'static Lexicon> {
    let folded = fold_arabic(governorate);
    DISTRICTS
        .iter()
        .find(|(name, _)| *name == folded)
        .map(|(_, lexicon)| lexicon)
}

/// How close a reading must come to an entry, and how much closer than to any other.
#[derive(Debug, Clone, Copy)]
pub struct SnapRule {
    /// Least similarity (normalized edit similarity of the folded, space-free forms).
    pub min_similarity: f64,
    /// Least lead of the best entry over the next distinct one.
    pub margin: f64,
}

/// A closed vocabulary.
#[derive(Debug, Clone)]
pub struct Lexicon {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    text: String,
    key: String,
    /// The folded words, to tell an entry's other-gender form (مهندس, مهندسة).
    words: Vec<String>,
}

impl Entry {
    /// Whether `other` is this entry with a feminine ending added or dropped on some of
    /// its words: the same title for the other gender.
    fn is_gender_form_of(&self, other: &Entry) -> bool {
        self.words.len() == other.words.len()
            && self.words.iter().zip(&other.words).all(|(a, b)| {
                a == b
                    || a.strip_suffix('ه') == Some(b.as_str())
                    || b.strip_suffix('ه') == Some(a.as_str())
            })
    }
}

impl Lexicon {
    /// One entry per non-empty line; `#` lines are comments.
    pub fn from_lines(text: &str) -> Self {
        Self::from_entries(entries(text))
    }

    fn from_entries<'a>(entries: impl Iterator<Item = &'a str>) -> Self {
        Self {
            entries: entries
                .filter(|e| !e.is_empty())
                .map(|text| Entry {
                    text: text.to_string(),
                    key: key(text),
                    words: fold_arabic(text).split(' ').map(str::to_string).collect(),
                })
                .collect(),
        }
    }

    /// The entry `reading` is a misreading of, when one is clearly closest under `rule`.
    pub fn snap(&self, reading: &str, rule: SnapRule) -> Option<&str> {
        self.snap_scored(reading, rule).map(|(text, _)| text)
    }

    /// Like [`Lexicon::snap`], with the entry's similarity to the reading, to choose
    /// between two lexicons.
    pub fn snap_scored(&self, reading: &str, rule: SnapRule) -> Option<(&str, f64)> {
        let reading = key(reading);
        if reading.is_empty() {
            return None;
        }
        let scored: Vec<(f64, &Entry)> = self
            .entries
            .iter()
            .map(|entry| (strsim::normalized_levenshtein(&reading, &entry.key), entry))
            .collect();
        // A tie (a name and its feminine form, كامل and كاملة for كاملل) goes to the
        // shorter entry: of a card's name words only a woman's first name is feminine,
        // and the lexicons that know the card's gender choose the form afterwards.
        let best = scored.iter().copied().reduce(|best, next| {
            let closer = next.0 > best.0;
            let shorter_tie = next.0 == best.0 && next.1.key.len() < best.1.key.len();
            if closer || shorter_tie {
                next
            } else {
                best
            }
        });
        // The lead is over the next entry that is neither the same text folded nor the
        // same title for the other gender: the card's own gender picks between those,
        // and the closer spelling is the one read.
        let second = best.map_or(0.0, |(_, top)| {
            scored
                .iter()
                .filter(|(_, e)| e.key != top.key && !e.is_gender_form_of(top))
                .map(|(s, _)| *s)
                .fold(0.0, f64::max)
        });
        let (top, entry) = best?;
        (top >= rule.min_similarity && top - second >= rule.margin)
            .then_some((entry.text.as_str(), top))
    }

    /// The one entry that a word's alternatives spell (one alternative per place, in
    /// reading order, the first being what was read), taking the alternative read at all
    /// but at most `max_changes` places, when exactly one entry does: the decoder weighed
    /// every letter of it. An empty alternative says the place may hold nothing (a
    /// character read twice, a mark read as one). The fewest changes win.
    pub fn spelled_by(&self, places: &[Vec<String>], max_changes: usize) -> Option<&str> {
        let places: Vec<Vec<String>> = places
            .iter()
            .map(|place| place.iter().map(|c| key(c)).collect())
            .collect();
        (0..=max_changes).find_map(|changes| {
            let mut spelled = self
                .entries
                .iter()
                .filter(|entry| spells(&places, &entry.key, changes));
            let first = spelled.next()?;
            spelled
                .all(|other| other.key == first.key)
                .then_some(first.text.as_str())
        })
    }

    /// The spelling of the entry `text` in the given gender: its other-gender form when
    /// the list has one and `text` is the other gender (مترجم for a man, مترجمة for a
    /// woman), else `text`'s own. `None` when `text` is no entry. The feminine form is
    /// the one with the added ending.
    pub fn gender_form(&self, text: &str, feminine: bool) -> Option<&str> {
        let reading = key(text);
        let entry = self.entries.iter().find(|e| e.key == reading)?;
        let other = self
            .entries
            .iter()
            .find(|o| o.key != entry.key && o.is_gender_form_of(entry));
        Some(match other {
            Some(other) if (other.key.len() > entry.key.len()) == feminine => &other.text,
            _ => &entry.text,
        })
    }

    /// Whether `reading` is an entry (after folding).
    pub fn contains(&self, reading: &str) -> bool {
        let reading = key(reading);
        self.entries.iter().any(|e| e.key == reading)
    }
}

/// The comparison form: letter variants folded, spaces dropped (OCR splits and joins
/// words: عبد الستار, عبدالستار).
fn key(text: &str) -> String {
    // The dash of a region line is punctuation, read or not.
    fold_arabic(text)
        .chars()
        .filter(|c| *c != ' ' && *c != '-')
        .collect()
}

/// Whether one alternative from each place spells `key` (both folded), with exactly
/// `changes` places taking another than their first.
fn spells(places: &[Vec<String>], key: &str, changes: usize) -> bool {
    let Some((place, rest)) = places.split_first() else {
        return key.is_empty() && changes == 0;
    };
    place.iter().enumerate().any(|(rank, alternative)| {
        let changes = match (rank, changes) {
            (0, changes) => changes,
            (_, 0) => return false,
            (_, changes) => changes - 1,
        };
        key.strip_prefix(alternative.as_str())
            .is_some_and(|key| spells(rest, key, changes))
    })
}

fn entries(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// A word's places for tests, each given as the string of its alternatives, surest first.
#[cfg(test)]
pub(crate) fn places(alternatives: &[&str]) -> Vec<Vec<String>> {
    alternatives
        .iter()
        .map(|place| place.chars().map(String::from).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: SnapRule = SnapRule {
        min_similarity: 0.7,
        margin: 0.1,
    };

    #[test]
    fn snaps_a_misread_title_and_keeps_an_unknown_one() {
        assert_eq!(JOBS.snap("فقي بهرباء", RULE), Some("فني كهرباء"));
        assert_eq!(JOBS.snap("ربة متزل", RULE), Some("ربة منزل"));
        assert_eq!(DEGREES.snap("ليساس آداب", RULE), Some("ليسانس آداب"));
        // Nothing on the list is close: kept as read by the caller.
        assert_eq!(JOBS.snap("غواص", RULE), None);
        assert_eq!(JOBS.snap("", RULE), None);
    }

    #[test]
    fn an_exact_entry_beats_its_other_gender() {
        assert_eq!(JOBS.snap("مهندسة", RULE), Some("مهندسة"));
        assert_eq!(JOBS.snap("مهندس", RULE), Some("مهندس"));
    }

    #[test]
    fn a_name_is_spelled_by_the_alternatives_of_its_places() {
        // جيال, with ل weighed where ي was read.
        assert_eq!(
            NAMES.spelled_by(&places(&["ج", "يل", "ا", "ل"]), 1),
            Some("جلال")
        );
        assert_eq!(NAMES.spelled_by(&places(&["ج", "يل", "ا", "ل"]), 0), None);
        // ممراد, its first place maybe empty: with it left out, مراد.
        let mut stutter = places(&["مه", "م", "ر", "ا", "د"]);
        assert_eq!(NAMES.spelled_by(&stutter, 1), None);
        stutter[0].push(String::new());
        assert_eq!(NAMES.spelled_by(&stutter, 1), Some("مراد"));
        // Nothing listed is spelled: the caller keeps what was read.
        assert_eq!(NAMES.spelled_by(&places(&["ق", "ق", "ق"]), 2), None);
        assert_eq!(NAMES.spelled_by(&[], 2), None);
    }

    #[test]
    fn two_names_spelled_alike_are_no_answer() {
        // سامن read, ي and ح weighed at its last place: سامي and سامح, one change each.
        assert_eq!(NAMES.spelled_by(&places(&["س", "ا", "م", "نيح"]), 2), None);
        // حسيز read, ن weighed at its last place and its ي maybe nothing: حسين takes one
        // change, حسن two; the fewest win.
        let mut read = places(&["ح", "س", "ي", "زن"]);
        read[2].push(String::new());
        assert_eq!(NAMES.spelled_by(&read, 2), Some("حسين"));
    }

    #[test]
    fn a_title_takes_its_holders_gender() {
        assert_eq!(JOBS.gender_form("مترجم", true), Some("مترجمة"));
        assert_eq!(JOBS.gender_form("مترجمة", false), Some("مترجم"));
        assert_eq!(JOBS.gender_form("مترجمة", true), Some("مترجمة"));
        assert_eq!(DEGREES.gender_form("طالب", true), Some("طالبة"));
        // No other form listed: as it is.
        assert_eq!(JOBS.gender_form("ربة منزل", false), Some("ربة منزل"));
        assert_eq!(JOBS.gender_form("غواص", true), None);
    }

    #[test]
    fn districts_belong_to_their_governorate() {
        let cairo = districts_of("القاهرة").expect("Cairo is listed");
        assert_eq!(cairo.snap("مدينة نصز", RULE), Some("مدينة نصر"));
        assert!(!cairo.contains("فايد"));
        assert!(districts_of("الإسماعيلية").unwrap().contains("فايد"));
        assert!(districts_of("أطلانطس").is_none());
    }

    #[test]
    fn a_region_line_snaps_whole() {
        // A listed district vouches for its governorate read a letter off.
        assert_eq!(
            region_line("المحلة الكبرى - القربية", RULE),
            Some("المحلة الكبرى - الغربية")
        );
        // The dash read or not.
        assert_eq!(
            region_line("العور القليويهة", RULE),
            Some("العبور - القليوبية")
        );
        // Two districts of one governorate as near: no answer.
        assert_eq!(region_line("شرع بن - جنوب سيناء", RULE), None);
        assert_eq!(region_line("شارع لبناري", RULE), None);
    }
}
