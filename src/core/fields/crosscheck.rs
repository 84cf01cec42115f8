//! What one field says about another: the national ID encodes the birth date, the
//! validity is seven years. Used to choose between readings and to repair a single misread
//! digit only when an independent reading confirms the repair: never to invent a value.

use super::national_id::checksum_valid;

/// Years a card is valid.
pub const VALIDITY_YEARS: u32 = 7;

/// Repairs a national ID that fails its checksum with the printed birth date (`yyyy/mm/dd`,
/// read separately on the front): when writing the printed date into the ID's date digits
/// changes exactly one digit and makes the checksum hold, two independent readings agree
/// on the repair. Anything else is left as read.
pub fn repair_id_with_birth_date(id: &str, printed_birthday: &str) -> Option<String> {
    if id.len() != 14 || checksum_valid(id) {
        return None;
    }
    let candidate = format!("{}{}", id_date_digits(printed_birthday)?, &id[7..]);
    (differing_places(&candidate, id) == 1 && checksum_valid(&candidate)).then_some(candidate)
}

/// The ID's first seven digits (century, year, month, day) for a printed birth date
/// `yyyy/mm/dd`; `None` outside the two centuries the number can encode.
fn id_date_digits(printed_birthday: &str) -> Option<String> {
    let digits: String = printed_birthday
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    if digits.len() != 8 {
        return None;
    }
    let century = match &digits[..2] {
        "19" => '2',
        "20" => '3',
        _ => return None,
    };
    Some(format!("{century}{}", &digits[2..]))
}

/// Completes a national ID read with its left part lost or with a stray glyph before it
/// (a digit faded under uneven light, the card's edge read as a ١): when the reading
/// (`read`, ASCII digits) ends in the printed birth date's last [`MIN_DATE_ANCHOR`] or
/// more digits followed by exactly seven more, the ID is the printed date's seven digits
/// and those seven. The date digits agree with two independent readings; the last seven
/// are the reader's, and only a holding check digit and a known governorate make the
/// number an answer.
pub fn complete_id_with_birth_date(read: &str, printed_birthday: &str) -> Option<String> {
    let date = id_date_digits(printed_birthday)?;
    if read.len() < 7 + MIN_DATE_ANCHOR || !read.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (head, tail) = read.split_at(read.len() - 7);
    let anchored = if head.len() >= date.len() {
        head.ends_with(&date)
    } else {
        date.ends_with(head)
    };
    let id = format!("{date}{tail}");
    (anchored && super::national_id::is_well_formed(&id)).then_some(id)
}

/// The fewest date digits that must be read right before a reading's last seven for
/// [`complete_id_with_birth_date`] to trust where the date ends.
const MIN_DATE_ANCHOR: usize = 3;

/// One digit of a national ID as the glyph reader read it: the digit (ASCII), how sure it
/// was, and the digit it ranked second, if a digit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReadDigit {
    pub digit: char,
    pub confidence: f32,
    pub runner_up: Option<char>,
}

/// Repairs a national ID read as `digits` (14, failing its checksum) with the reader's
/// own runner-up at one doubtful place (read below [`RUNNER_UP_DOUBT`]): when exactly one
/// such swap gives a well-formed number that the card's witness (`agrees`: the printed
/// birth date or gender) confirms, the reader's second choice, the check digit and the
/// card agree on it. A weak `witness` allows the swap only when that glyph is the one
/// doubtful glyph. Anything else is left as read.
pub fn repair_id_with_runner_up(
    digits: &[ReadDigit],
    witness: Witness,
    agrees: impl Fn(&str) -> bool,
) -> Option<String> {
    let read: String = digits.iter().map(|d| d.digit).collect();
    if digits.len() != 14 || !read.bytes().all(|b| b.is_ascii_digit()) || checksum_valid(&read) {
        return None;
    }
    // With a second doubtful glyph, a second misreading may hide behind the check digit,
    // which lets some pairs of errors pass (dev: 5 read as 2 and 7 read as 1, the 1
    // swapped back, on a back). A weak witness (the back's gender, which half of all
    // numbers pass) then allows no more than the one doubtful glyph swapped; the printed
    // birth date, which pins seven digits, may allow more.
    let doubtful = digits
        .iter()
        .filter(|d| d.confidence < RUNNER_UP_DOUBT)
        .count();
    if witness == Witness::Weak && doubtful > 1 {
        return None;
    }
    let mut repairs = digits.iter().enumerate().filter_map(|(i, d)| {
        let runner_up = d.runner_up.filter(|_| d.confidence < RUNNER_UP_DOUBT)?;
        let mut candidate: Vec<char> = read.chars().collect();
        candidate[i] = runner_up;
        let candidate: String = candidate.into_iter().collect();
        (super::national_id::is_well_formed(&candidate) && agrees(&candidate)).then_some(candidate)
    });
    let repaired = repairs.next()?;
    repairs.next().is_none().then_some(repaired)
}

/// Another number a checksum-valid reading `digits` could as well be: two doubtful
/// glyphs (read below [`RUNNER_UP_DOUBT`]) both swapped for their runners-up, giving a
/// well-formed number the card's witness (`agrees`) confirms too. The check digit cannot
/// tell such a pair: where two places' weights sum to 11 (the third and fourth digits,
/// the ninth and tenth), the same misreading at both leaves the sum unchanged modulo 11,
/// and a face that draws two digits alike misreads them alike (dev: a face's ٤٤ read ٢٢
/// in the governorate and the sequence, at 0.60 and 0.66). `None` when the reading is
/// the only such number.
pub fn rival_by_runner_up_pair(
    digits: &[ReadDigit],
    agrees: impl Fn(&str) -> bool,
) -> Option<String> {
    let read: Vec<char> = digits.iter().map(|d| d.digit).collect();
    if read.len() != 14 || !read.iter().all(char::is_ascii_digit) {
        return None;
    }
    let doubtful: Vec<(usize, char)> = digits
        .iter()
        .enumerate()
        .filter(|(_, d)| d.confidence < RUNNER_UP_DOUBT)
        .filter_map(|(i, d)| d.runner_up.map(|r| (i, r)))
        .collect();
    doubtful.iter().enumerate().find_map(|(n, &(i, first))| {
        doubtful[n + 1..].iter().find_map(|&(j, second)| {
            let mut candidate = read.clone();
            candidate[i] = first;
            candidate[j] = second;
            let candidate: String = candidate.into_iter().collect();
            (super::national_id::is_well_formed(&candidate) && agrees(&candidate))
                .then_some(candidate)
        })
    })
}

/// A national ID two readers agree on but for one or two places, where each of those
/// places takes one reader's digit or the other's. `readings` are whole readings of the
/// line (any text): each one's last 14 digits, when it has at least 14, is its number
/// (a stray mark before the number reads as a leading digit). Two readers misread
/// differently (the glyph reader takes a face's ٤ for ٢ where Tesseract's model does not,
/// and the other way round elsewhere): where they disagree, one of them is usually right.
/// The combination is taken when it is the only one, over every pair of readings, that is
/// well-formed and that the card's witness (`agrees`) confirms (the caller also refuses it
/// when Tesseract read a whole number far from it, see [`contradicts`]). Neither reading
/// itself is a candidate: each already failed.
pub fn fuse_two_readings(readings: &[String], agrees: impl Fn(&str) -> bool) -> Option<String> {
    let numbers: Vec<Vec<u8>> = readings
        .iter()
        .filter_map(|read| {
            let digits = super::digits::ascii_digits(read);
            let start = digits.len().checked_sub(14)?;
            Some(digits.as_bytes()[start..].to_vec())
        })
        .collect();
    let mut found: Vec<String> = Vec::new();
    for (i, a) in numbers.iter().enumerate() {
        for b in &numbers[i + 1..] {
            let differing: Vec<usize> = (0..14).filter(|&k| a[k] != b[k]).collect();
            if differing.is_empty() || differing.len() > MAX_FUSED_PLACES {
                continue;
            }
            // Every mix of the two at the differing places but the two readings themselves.
            for mask in 1..(1u32 << differing.len()) - 1 {
                let mut candidate = a.clone();
                for (bit, &place) in differing.iter().enumerate() {
                    if mask & (1 << bit) != 0 {
                        candidate[place] = b[place];
                    }
                }
                let candidate = String::from_utf8(candidate).unwrap_or_default();
                if super::national_id::is_well_formed(&candidate)
                    && agrees(&candidate)
                    && !found.contains(&candidate)
                {
                    found.push(candidate);
                }
            }
        }
    }
    match found.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    }
}

/// The most places at which two readings may differ for [`fuse_two_readings`]: with more,
/// the mixes are many, and one passing the check digit by luck is likely.
const MAX_FUSED_PLACES: usize = 2;

/// How much of the number the card's witness pins down (see
/// [`repair_id_with_runner_up`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Witness {
    /// The printed birth date: seven digits.
    Strong,
    /// The printed gender: one digit's parity.
    Weak,
}

/// Below this probability a digit's runner-up may replace it in
/// [`repair_id_with_runner_up`].
pub const RUNNER_UP_DOUBT: f32 = 0.9;

/// Whether a national ID's birth date is the printed one (`yyyy/mm/dd`) give or take one
/// digit. A reader misreads a digit of the printed date now and then; a number off it in
/// two digits or more is the number misread.
pub fn birth_date_nearly_agrees(id: &str, printed_birthday: &str) -> bool {
    super::national_id::analyze(id)
        .and_then(|facts| facts.birth_date)
        .is_some_and(|date| differing_places(&date, printed_birthday) <= 1)
}

/// The youngest a holder is, in calendar years, in the year a card is issued: the card is
/// compulsory from 16, and an issue date gives no day, so one year of slack.
const MIN_AGE_AT_ISSUE: u32 = 15;

/// The oldest a holder plausibly is in the year a card is issued. Older holders exist, but
/// so rarely that a number saying so is far likelier a misread digit.
const MAX_AGE_AT_ISSUE: u32 = 100;

/// Whether a national ID's birth year leaves its holder a plausible age in `issue_year`.
pub fn plausible_age_at_issue(id: &str, issue_year: u32) -> bool {
    super::national_id::analyze(id)
        .and_then(|facts| facts.birth_date)
        .and_then(|date| date.get(..4)?.parse::<u32>().ok())
        // Issued before the birth year: an age of 0, never plausible.
        .is_some_and(|born| {
            (MIN_AGE_AT_ISSUE..=MAX_AGE_AT_ISSUE).contains(&issue_year.saturating_sub(born))
        })
}

/// At how many places two strings differ, every place beyond the shorter one included.
fn differing_places(a: &str, b: &str) -> usize {
    let same = a.chars().zip(b.chars()).filter(|(x, y)| x == y).count();
    a.chars().count().max(b.chars().count()) - same
}

/// The expiry's year and month implied by an issue date `yyyy/mm`.
pub fn expiry_month_of(issue: &str) -> Option<String> {
    let (year, month) = issue.split_once('/')?;
    let year: u32 = year.parse().ok()?;
    Some(format!("{:04}/{month}", year + VALIDITY_YEARS))
}

/// The issue date `yyyy/mm` implied by an expiry `yyyy/mm/dd`.
pub fn issue_of(expiry: &str) -> Option<String> {
    let mut parts = expiry.split('/');
    let year: u32 = parts.next()?.parse().ok()?;
    let month = parts.next()?;
    Some(format!("{:04}/{month}", year.checked_sub(VALIDITY_YEARS)?))
}

/// Whether an issue date `yyyy/mm` can be a real card's: the current card is issued since
/// 2009 (2000 leaves room for older stock), and never after `this_year`. A reading outside
/// is a misread digit (2056 for 2026), never a date to build the expiry on.
pub fn is_plausible_issue(issue: &str, this_year: u32) -> bool {
    let Some((year, month)) = issue.split_once('/') else {
        return false;
    };
    let (Ok(year), Ok(month)) = (year.parse::<u32>(), month.parse::<u32>()) else {
        return false;
    };
    (2000..=this_year).contains(&year) && (1..=12).contains(&month)
}

/// The year of issue, when the issue date `yyyy/mm` is plausible and the expiry, read
/// apart, falls seven years later: the two readings witness each other's year even where
/// a month is misread in one of them.
pub fn witnessed_issue_year(issue: &str, expiry: &str, this_year: u32) -> Option<u32> {
    let year: u32 = issue.get(..4)?.parse().ok()?;
    let expiry_year: u32 = expiry.get(..4)?.parse().ok()?;
    (is_plausible_issue(issue, this_year) && expiry_year == year + VALIDITY_YEARS).then_some(year)
}

/// The expiry `yyyy/mm/dd` that an issue date `yyyy/mm` and the printed day (`dd`, ASCII)
/// make, when that day exists in the expiry's month.
pub fn expiry_from(issue: &str, day: &str) -> Option<String> {
    let month_of_expiry = expiry_month_of(issue)?;
    let (year, month) = month_of_expiry.split_once('/')?;
    let (year, month): (u32, u32) = (year.parse().ok()?, month.parse().ok()?);
    let day_number: u32 = day.parse().ok()?;
    (day.len() == 2 && super::national_id::is_real_date(year, month, day_number))
        .then(|| format!("{month_of_expiry}/{day}"))
}

/// Whether another reader's reading of the national ID line (`read`, any digits) stands
/// nearer `rival` than `id`, in edits: its vote for the other of two numbers the check
/// digit cannot tell apart (see [`rival_by_runner_up_pair`]).
pub fn leans_to(read: &str, rival: &str, id: &str) -> bool {
    let digits = super::digits::ascii_digits(read);
    strsim::levenshtein(&digits, rival) < strsim::levenshtein(&digits, id)
}

/// Whether another reader's reading of the national ID line (`read`, any digits) is a
/// whole number of its own that differs from `id` in more than [`MAX_OTHER_READER_EDITS`]
/// digits. A reading too short or too long to be one number (a blurred line read in
/// pieces) contradicts nothing.
pub fn contradicts(read: &str, id: &str) -> bool {
    let digits = super::digits::ascii_digits(read);
    (13..=15).contains(&digits.len()) && strsim::levenshtein(&digits, id) > MAX_OTHER_READER_EDITS
}

/// Edits another reader's number may be from a repaired ID and still support it: a
/// digit it misreads itself, and one more it drops or adds.
const MAX_OTHER_READER_EDITS: usize = 2;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::fields::national_id::{self, check_digit};

    fn valid(first13: &str) -> String {
        format!("{first13}{}", check_digit(first13).unwrap())
    }

    #[test]
    fn repairs_one_date_digit_confirmed_by_the_printed_date() {
        let id = valid("2880626012345");
        let mut misread = id.clone().into_bytes();
        misread[4] = b'9'; // month 06 read as 09
        let misread = String::from_utf8(misread).unwrap();
        assert_eq!(
            repair_id_with_birth_date(&misread, "1988/06/26").as_deref(),
            Some(id.as_str())
        );
    }

    #[test]
    fn leaves_what_it_cannot_confirm() {
        let id = valid("2880626012345");
        assert_eq!(
            repair_id_with_birth_date(&id, "1988/06/26"),
            None,
            "already valid"
        );
        let mut two_wrong = id.clone().into_bytes();
        two_wrong[4] = b'9';
        two_wrong[10] = b'0' + (two_wrong[10] - b'0' + 1) % 10;
        let two_wrong = String::from_utf8(two_wrong).unwrap();
        assert_eq!(repair_id_with_birth_date(&two_wrong, "1988/06/26"), None);
    }

    #[test]
    fn completes_a_number_whose_left_part_faded_from_the_printed_date() {
        let id = valid("2880626012345");
        // The first four digits lost; "0626" anchors the last seven.
        assert_eq!(
            complete_id_with_birth_date(&id[4..], "1988/06/26").as_deref(),
            Some(id.as_str())
        );
        // A stray glyph before the whole number (the card's edge read as a 1).
        assert_eq!(
            complete_id_with_birth_date(&format!("1{id}"), "1988/06/26").as_deref(),
            Some(id.as_str())
        );
    }

    #[test]
    fn completes_nothing_the_date_does_not_anchor() {
        let id = valid("2880626012345");
        // Only two date digits before the last seven: too little to place the date.
        assert_eq!(complete_id_with_birth_date(&id[5..], "1988/06/26"), None);
        // The digits before the last seven are not the printed date's.
        assert_eq!(complete_id_with_birth_date(&id[4..], "1988/07/26"), None);
        // A misread digit among the last seven fails the check digit.
        let mut misread = id[4..].to_string().into_bytes();
        misread[6] = b'0' + (misread[6] - b'0' + 1) % 10;
        let misread = String::from_utf8(misread).unwrap();
        assert_eq!(complete_id_with_birth_date(&misread, "1988/06/26"), None);
        assert_eq!(complete_id_with_birth_date(&id[4..], ""), None);
    }

    fn read_as(id: &str) -> Vec<ReadDigit> {
        id.chars()
            .map(|digit| ReadDigit {
                digit,
                confidence: 0.99,
                runner_up: None,
            })
            .collect()
    }

    #[test]
    fn repairs_one_doubtful_digit_with_its_runner_up() {
        let id = valid("2880626012345");
        let mut digits = read_as(&id);
        // The 12th digit read 8, doubtfully, with the right one second.
        let right = digits[11].digit;
        assert_ne!(right, '8', "the misread digit differs from the printed one");
        digits[11] = ReadDigit {
            digit: '8',
            confidence: 0.5,
            runner_up: Some(right),
        };
        assert_eq!(
            repair_id_with_runner_up(&digits, Witness::Strong, |_| true).as_deref(),
            Some(id.as_str())
        );
        assert_eq!(
            repair_id_with_runner_up(&digits, Witness::Strong, |_| false),
            None,
            "witness"
        );
        // A sure digit is never swapped.
        digits[11].confidence = 0.95;
        assert_eq!(
            repair_id_with_runner_up(&digits, Witness::Strong, |_| true),
            None
        );
        // A second doubtful glyph: the printed birth date may still confirm a swap, the
        // gender's parity may not.
        digits[11].confidence = 0.5;
        digits[2].confidence = 0.6;
        assert_eq!(
            repair_id_with_runner_up(&digits, Witness::Strong, |_| true).as_deref(),
            Some(id.as_str())
        );
        assert_eq!(
            repair_id_with_runner_up(&digits, Witness::Weak, |_| true),
            None
        );
        // Nothing to repair in a number whose check digit holds.
        assert_eq!(
            repair_id_with_runner_up(&read_as(&id), Witness::Strong, |_| true),
            None
        );
    }

    #[test]
    fn a_pair_misread_alike_where_the_weights_sum_to_eleven_has_a_rival() {
        // Governorate 04 and sequence 4185: the ninth and tenth digits weigh 6 and 5, so
        // ٤٤ read as ٢٢ leaves the check digit holding.
        let printed = valid("3011229044185");
        let misread = format!("{}22{}", &printed[..8], &printed[10..]);
        assert!(
            national_id::checksum_valid(&misread),
            "the pair hides from the check"
        );
        let mut digits = read_as(&misread);
        for place in [8, 9] {
            digits[place] = ReadDigit {
                digit: '2',
                confidence: 0.6,
                runner_up: Some('4'),
            };
        }
        assert_eq!(
            rival_by_runner_up_pair(&digits, |_| true).as_deref(),
            Some(printed.as_str())
        );
        assert_eq!(rival_by_runner_up_pair(&digits, |_| false), None, "witness");
        // One sure glyph of the two: no rival.
        digits[9].confidence = 0.95;
        assert_eq!(rival_by_runner_up_pair(&digits, |_| true), None);
        // A reader that read the pair as printed leans to the rival; one that read the
        // same pair misread does not.
        let printed_arabic = crate::core::fields::digits::to_arabic_indic(&printed);
        assert!(leans_to(&printed_arabic, &printed, &misread));
        assert!(!leans_to(&misread, &printed, &misread));
    }

    #[test]
    fn a_birth_date_one_digit_off_still_agrees() {
        let id = valid("2880626012345");
        assert!(birth_date_nearly_agrees(&id, "1988/06/26"));
        assert!(
            birth_date_nearly_agrees(&id, "1988/06/28"),
            "one digit misread"
        );
        assert!(
            !birth_date_nearly_agrees(&id, "1958/06/21"),
            "two digits off"
        );
        assert!(
            !birth_date_nearly_agrees("1880626012345", "1988/06/26"),
            "no date"
        );
    }

    #[test]
    fn a_holder_is_15_to_100_in_the_year_of_issue() {
        // Born 1961/10/23 (check digit 1); born 1911/10/23 (check digit 1).
        let (born_1961, born_1911) = ("26110232695461", "21110232195461");
        assert!(plausible_age_at_issue(born_1961, 2025));
        assert!(!plausible_age_at_issue(born_1911, 2025));
        assert!(plausible_age_at_issue(born_1911, 2011));
        assert!(!plausible_age_at_issue(born_1961, 1975));
        assert!(plausible_age_at_issue(born_1961, 1976));
        assert!(!plausible_age_at_issue(born_1961, 1950));
        assert!(!plausible_age_at_issue("not a number", 2025));
    }

    #[test]
    fn two_readings_misread_at_different_places_are_fused() {
        let truth = valid("2870427322382");
        // The glyph reader read the fifth digit ٤ as ٢ (with a stray mark before the
        // number); Tesseract read the first digit ٢ as ٤.
        let mut glyphs = truth.clone().into_bytes();
        glyphs[4] = b'2';
        let glyphs = format!("8{}", String::from_utf8(glyphs).unwrap());
        let mut tesseract = truth.clone().into_bytes();
        tesseract[0] = b'4';
        let tesseract = format!("8 {}", String::from_utf8(tesseract).unwrap());
        assert!(!national_id::is_well_formed(&glyphs[1..]));
        let readings = [glyphs.clone(), tesseract.clone()];
        assert_eq!(fuse_two_readings(&readings, |_| true), Some(truth.clone()));
        // The witness refuses it: nothing.
        assert_eq!(fuse_two_readings(&readings, |id| id != truth), None);
        // A reading of 13 digits is no number to fuse.
        assert_eq!(
            fuse_two_readings(&[glyphs.clone(), truth[1..].to_string()], |_| true),
            None
        );
        // Three differing places are too many.
        let mut far = tesseract.clone().into_bytes();
        far[10] = if far[10] == b'9' { b'0' } else { far[10] + 1 };
        let far = String::from_utf8(far).unwrap();
        assert_eq!(fuse_two_readings(&[glyphs, far], |_| true), None);
    }

    #[test]
    fn two_well_formed_mixes_are_no_answer() {
        // a and b differ from a valid number at one place each; their mixes are that
        // number and the one with both changes. When both are well-formed, neither is
        // taken.
        let base = valid("2880626012345");
        let with = |changes: &[(usize, u8)]| {
            let mut digits = base.clone().into_bytes();
            for &(place, digit) in changes {
                digits[place] = digit;
            }
            String::from_utf8(digits).unwrap()
        };
        let (x, y) = (b'0'..=b'9')
            .flat_map(|x| (b'0'..=b'9').map(move |y| (x, y)))
            .find(|&(x, y)| {
                x != base.as_bytes()[9]
                    && y != base.as_bytes()[10]
                    && national_id::is_well_formed(&with(&[(9, x), (10, y)]))
            })
            .expect("some two changes keep the check digit");
        let (a, b) = (with(&[(9, x)]), with(&[(10, y)]));
        assert_eq!(fuse_two_readings(&[a.clone(), b.clone()], |_| true), None);
        // With the witness refusing one of the mixes, the other is the answer.
        assert_eq!(
            fuse_two_readings(&[a, b], |id| id != base),
            Some(with(&[(9, x), (10, y)]))
        );
    }

    #[test]
    fn the_issue_year_is_witnessed_by_an_expiry_seven_years_on() {
        assert_eq!(
            witnessed_issue_year("2022/01", "2029/01/27", 2026),
            Some(2022)
        );
        // A month misread in either date leaves the year witnessed.
        assert_eq!(
            witnessed_issue_year("2022/01", "2029/04/27", 2026),
            Some(2022)
        );
        assert_eq!(witnessed_issue_year("2022/01", "2028/01/27", 2026), None);
        // A year no card can have, or a date not read, witnesses nothing.
        assert_eq!(witnessed_issue_year("2052/01", "2059/01/27", 2026), None);
        assert_eq!(witnessed_issue_year("2022/01", "", 2026), None);
        assert_eq!(witnessed_issue_year("", "2029/01/27", 2026), None);
    }

    #[test]
    fn the_expiry_follows_a_plausible_issue_date_and_the_printed_day() {
        assert!(is_plausible_issue("2016/06", 2026));
        assert!(!is_plausible_issue("2056/10", 2026));
        assert!(!is_plausible_issue("2016/13", 2026));
        assert_eq!(expiry_from("2016/06", "27").as_deref(), Some("2023/06/27"));
        assert_eq!(expiry_from("2016/06", "31"), None);
        assert_eq!(expiry_from("2016/06", "7"), None);
    }

    #[test]
    fn validity_is_seven_years() {
        assert_eq!(expiry_month_of("2016/06").as_deref(), Some("2023/06"));
        assert_eq!(issue_of("2023/06/06").as_deref(), Some("2016/06"));
    }

    #[test]
    fn another_readers_whole_number_contradicts_a_repair_far_from_it() {
        // The glyph reader took every ٥ for ٢ (30002023266221), and a runner-up swap made
        // that a valid number; Tesseract read the line as ٣٠٠٠٥٠٢٣٥٦٦٥٢ (one digit lost).
        assert!(contradicts("٣٠٠٠٥٠٢٣٥٦٦٥٢", "30002023266421"));
        // One misread and one lost digit still support the number.
        assert!(!contradicts("٣٠٠٠٥٠٢٣٥٦٦٥٢", "30005023566521"));
        // A line read in pieces is no number of its own.
        assert!(!contradicts("٣٠٠ ٥٠٢", "30002023266421"));
        assert!(!contradicts("", "30002023266421"));
    }
}
