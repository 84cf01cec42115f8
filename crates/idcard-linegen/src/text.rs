//! The strings printed on the card in Arabic-Indic digits: national IDs and dates.
//!
//! Strings are produced in ASCII digits first (easy to validate) and converted with
//! [`to_arabic_indic`]. Labels are in visual left-to-right order, which for these digit runs is
//! also the reading order (dates read year first, left to right: see card-layout.md).

use crate::rng::Rng;

/// Governorate codes from card-layout.md.
const GOVERNORATES: &[u32] = &[
    1, 2, 3, 4, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 29, 31, 32, 33,
    34, 35, 88,
];

/// Check digit of the first 13 digits (weights 2,7,6,5,4,3,2,7,6,5,4,3,2; K = 11 - sum mod 11,
/// 10 -> 0, 11 -> 1), the rule public implementations agree on.
pub fn check_digit(first13: &[u8]) -> u8 {
    const W: [u32; 13] = [2, 7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let sum: u32 = first13.iter().zip(W).map(|(&d, w)| d as u32 * w).sum();
    match 11 - sum % 11 {
        10 => 0,
        11 => 1,
        k => k as u8,
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A plausible 14-digit national ID in ASCII digits.
pub fn national_id(rng: &mut Rng) -> String {
    let year = rng.int(1930, 2012) as u32;
    let month = rng.int(1, 12) as u32;
    let day = rng.int(1, days_in_month(year, month) as i64) as u32;
    let century = if year >= 2000 { 3 } else { 2 };
    let gov = *rng.pick(GOVERNORATES);
    let seq = rng.int(0, 9999) as u32;
    let s = format!(
        "{century}{:02}{month:02}{day:02}{gov:02}{seq:04}",
        year % 100
    );
    let digits: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
    format!("{s}{}", check_digit(&digits))
}

/// A date as printed: yyyy/mm/dd or (issue dates) yyyy/mm.
pub fn date(rng: &mut Rng, with_day: bool) -> String {
    let year = rng.int(1930, 2035) as u32;
    let month = rng.int(1, 12) as u32;
    if with_day {
        let day = rng.int(1, days_in_month(year, month) as i64) as u32;
        format!("{year}/{month:02}/{day:02}")
    } else {
        format!("{year}/{month:02}")
    }
}

/// Random digit runs: cover digit pairs and repeats (e.g. 00, 777) that real IDs make rare.
fn digit_run(rng: &mut Rng) -> String {
    let n = rng.int(4, 14);
    let mut s = String::new();
    while (s.len() as i64) < n {
        let d = (b'0' + rng.int(0, 9) as u8) as char;
        let reps = if rng.chance(0.15) { rng.int(2, 3) } else { 1 };
        for _ in 0..reps {
            s.push(d);
        }
    }
    s.truncate(n as usize);
    s
}

/// Splits an ID into groups the way some prints and scans space it (C YYMMDD GG SSSG K, or
/// random splits).
fn space_groups(rng: &mut Rng, s: &str) -> String {
    let cuts: Vec<usize> = if rng.chance(0.5) && s.len() == 14 {
        vec![1, 7, 9, 13]
    } else {
        let mut c: Vec<usize> = (0..rng.int(1, 3))
            .map(|_| rng.int(1, s.len() as i64 - 1) as usize)
            .collect();
        c.sort_unstable();
        c.dedup();
        c
    };
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if cuts.contains(&i) {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// One training/eval line in ASCII digits: an ID (sometimes grouped), a date, or a digit run.
pub fn line(rng: &mut Rng) -> String {
    let r = rng.f32();
    let s = if r < 0.45 {
        let id = national_id(rng);
        if rng.chance(0.2) {
            space_groups(rng, &id)
        } else {
            id
        }
    } else if r < 0.70 {
        date(rng, true)
    } else if r < 0.80 {
        date(rng, false)
    } else {
        let run = digit_run(rng);
        if rng.chance(0.3) {
            space_groups(rng, &run)
        } else {
            run
        }
    };
    // Dates are sometimes printed with spaces around the slashes.
    if s.contains('/') && rng.chance(0.15) {
        s.replace('/', " / ")
    } else {
        s
    }
}

/// ASCII digits to Arabic-Indic (U+0660..U+0669); everything else is kept.
pub fn to_arabic_indic(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x0660 + (c as u32 - '0' as u32)).unwrap(),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_valid_shape_and_checksum() {
        let mut rng = Rng::new(7);
        for _ in 0..500 {
            let id = national_id(&mut rng);
            assert_eq!(id.len(), 14);
            assert!(id.starts_with('2') || id.starts_with('3'));
            let d: Vec<u8> = id.bytes().map(|b| b - b'0').collect();
            assert_eq!(check_digit(&d[..13]), d[13]);
        }
    }

    #[test]
    fn converts_to_arabic_indic() {
        assert_eq!(to_arabic_indic("1988/06/26"), "١٩٨٨/٠٦/٢٦");
    }
}
