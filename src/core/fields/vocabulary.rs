//! The card's printed vocabularies (gender, religion, marital status) and their `_en`
//! values, and a matcher that tolerates OCR noise without guessing.

use super::national_id::Gender;

/// One printed form and its English value.
#[derive(Debug, Clone, Copy)]
pub struct Term {
    /// As printed on the card.
    pub arabic: &'static str,
    /// The API's `_en` value.
    pub english: &'static str,
    /// The gender the form implies, if it is gendered.
    pub gender: Option<Gender>,
}

const fn term(arabic: &'static str, english: &'static str, gender: Option<Gender>) -> Term {
    Term {
        arabic,
        english,
        gender,
    }
}

const M: Option<Gender> = Some(Gender::Male);
const F: Option<Gender> = Some(Gender::Female);

/// ذكر / أنثى.
pub const GENDERS: &[Term] = &[term("ذكر", "M", M), term("أنثى", "F", F)];

/// Religions in both genders; `ي` is often printed as `ى`.
pub const RELIGIONS: &[Term] = &[
    term("مسلم", "Muslim", M),
    term("مسلمة", "Muslim", F),
    term("مسيحي", "Christian", M),
    term("مسيحى", "Christian", M),
    term("مسيحية", "Christian", F),
    term("يهودي", "Judaism", M),
    term("يهودى", "Judaism", M),
    term("يهودية", "Judaism", F),
];

/// Marital statuses in both genders.
pub const MARITAL_STATUSES: &[Term] = &[
    term("أعزب", "unmarried", M),
    term("عزباء", "unmarried", F),
    term("آنسة", "unmarried", F),
    term("أنسة", "unmarried", F),
    term("متزوج", "married", M),
    term("متزوجة", "married", F),
    term("مطلق", "divorced", M),
    term("مطلقة", "divorced", F),
    term("أرمل", "widow", M),
    term("أرملة", "widow", F),
];

/// A vocabulary match and how sure it is.
#[derive(Debug, Clone, Copy)]
pub struct Matched {
    /// The term matched.
    pub term: Term,
    /// 1 for an exact match, lower for a fuzzy one.
    pub confidence: f32,
}

/// Finds the term `read` stands for: the nearest by edit distance over folded letters,
/// accepted only when it is near enough and clearly nearer than any term with another
/// English value (the margin), so noise is never turned into a confident answer.
pub fn match_term(read: &str, terms: &[Term]) -> Option<Matched> {
    let read = crate::core::text::fold_arabic(read);
    if read.is_empty() {
        return None;
    }
    let mut scored: Vec<(usize, Term)> = terms
        .iter()
        .map(|t| {
            (
                strsim::levenshtein(&read, &crate::core::text::fold_arabic(t.arabic)),
                *t,
            )
        })
        .collect();
    scored.sort_by_key(|(distance, _)| *distance);
    let (best, term) = scored[0];
    let runner_up = scored
        .iter()
        .find(|(_, t)| t.english != term.english)
        .map_or(usize::MAX, |(d, _)| *d);
    let allowed = (term.arabic.chars().count() / 3).max(1);
    if best > allowed || runner_up <= best {
        return None;
    }
    Some(Matched {
        term,
        confidence: 1.0 - best as f32 / (allowed as f32 + 1.0),
    })
}

/// The term `read` is nearest to by a looser rule than [`match_term`]: up to two edits
/// (and no more than half the term's letters), with every term of another meaning at
/// least two edits further. Alone this is too loose to trust; [`agreed_term`] takes it
/// only when two independent readings of the same place agree.
fn loose_match(read: &str, terms: &[Term]) -> Option<Term> {
    let read = crate::core::text::fold_arabic(read);
    if read.chars().count() < 2 {
        return None;
    }
    let distance = |t: &Term| strsim::levenshtein(&read, &crate::core::text::fold_arabic(t.arabic));
    let term = *terms.iter().min_by_key(|t| distance(t))?;
    let best = distance(&term);
    let runner_up = terms
        .iter()
        .filter(|t| t.english != term.english)
        .map(distance)
        .min()
        .unwrap_or(usize::MAX);
    let allowed = (term.arabic.chars().count() / 2).min(LOOSE_EDITS);
    (best <= allowed && runner_up >= best + LOOSE_MARGIN).then_some(term)
}

/// At most this many edits for a loose match, and at least this many more to any term of
/// another meaning.
const LOOSE_EDITS: usize = 2;
const LOOSE_MARGIN: usize = 2;

/// The term that at least two of `readings` (each another model's or another crop's
/// reading of one status word's place, any of whose words may be the term) loosely
/// match with the same meaning, and no reading loosely matches with another. A face
/// whose letters one model misreads (initial م read ص) is often misread differently by
/// the next, and two readings two edits off the same term are no coincidence in a
/// vocabulary whose meanings are four or more edits apart. The first agreeing reading's
/// form is returned: its gender is the reader's to check.
pub fn agreed_term(readings: &[&str], terms: &[Term]) -> Option<Term> {
    let found: Vec<Term> = readings
        .iter()
        .filter_map(|reading| {
            reading
                .split_whitespace()
                .find_map(|word| loose_match(word, terms))
        })
        .collect();
    let first = *found.first()?;
    let all_agree = found.iter().all(|t| t.english == first.english);
    (found.len() >= 2 && all_agree).then_some(first)
}

/// The form of `term` (same meaning) printed for a holder of `gender`, when the
/// vocabulary has one: the card prints the holder's religion and marital status in the
/// holder's gender (مسلمة on a woman's card).
pub fn in_gender(term: Term, terms: &[Term], gender: Gender) -> Term {
    if term.gender.is_none() || term.gender == Some(gender) {
        return term;
    }
    terms
        .iter()
        .find(|t| t.english == term.english && t.gender == Some(gender))
        .copied()
        .unwrap_or(term)
}

/// Of the printed forms that mean what `matched` means (same English value and gender),
/// the one nearest to what was read, so a card printing مسيحى is answered مسيحى.
pub fn closest_spelling(read: &str, terms: &[Term], matched: Term) -> &'static str {
    terms
        .iter()
        .filter(|t| t.english == matched.english && t.gender == matched.gender)
        .min_by_key(|t| strsim::levenshtein(read, t.arabic))
        .map_or(matched.arabic, |t| t.arabic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_exact_and_noisy_forms() {
        assert_eq!(
            match_term("مسلمة", RELIGIONS).unwrap().term.english,
            "Muslim"
        );
        assert_eq!(
            match_term("مسيحى", RELIGIONS).unwrap().term.english,
            "Christian"
        );
        assert_eq!(
            match_term("متزوجه", MARITAL_STATUSES).unwrap().term.english,
            "married"
        );
        assert_eq!(match_term("انثى", GENDERS).unwrap().term.english, "F");
    }

    #[test]
    fn keeps_the_printed_spelling() {
        let matched = match_term("مسيحى", RELIGIONS).unwrap().term;
        assert_eq!(closest_spelling("مسيحى", RELIGIONS, matched), "مسيحى");
        let matched = match_term("أنسة", MARITAL_STATUSES).unwrap().term;
        assert_eq!(closest_spelling("أنسة", MARITAL_STATUSES, matched), "أنسة");
    }

    #[test]
    fn two_readings_two_edits_off_one_term_agree() {
        // A face's مسلم, read by two models with its initial م as ص: one edit and two
        // edits off مسلم, three or more further from every other meaning.
        let term = agreed_term(&["صسلم", "صلم"], RELIGIONS).unwrap();
        assert_eq!(term.english, "Muslim");
        // One such reading alone is no answer, nor are two that disagree.
        assert!(agreed_term(&["صلم"], RELIGIONS).is_none());
        assert!(agreed_term(&["صلم", "ميحي"], RELIGIONS).is_none());
        // Two edits off مسلم but only three off مسيحي: too near another meaning to count.
        assert!(agreed_term(&["مسار", "صلم"], RELIGIONS).is_none());
        // Debris far from every term matches nothing, however often it is read.
        assert!(agreed_term(&["ليسانس تر", "ليسانس تر"], RELIGIONS).is_none());
    }

    #[test]
    fn a_term_takes_the_holders_gender() {
        let muslim = match_term("مسلم", RELIGIONS).unwrap().term;
        assert_eq!(in_gender(muslim, RELIGIONS, Gender::Female).arabic, "مسلمة");
        assert_eq!(in_gender(muslim, RELIGIONS, Gender::Male).arabic, "مسلم");
        let married = match_term("متزوجة", MARITAL_STATUSES).unwrap().term;
        assert_eq!(
            in_gender(married, MARITAL_STATUSES, Gender::Male).arabic,
            "متزوج"
        );
    }

    #[test]
    fn refuses_noise() {
        assert!(match_term("", GENDERS).is_none());
        assert!(match_term("بكالوريوس", MARITAL_STATUSES).is_none());
    }
}
