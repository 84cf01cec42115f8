//! Word lists the identities are drawn from (files under `data/`, compiled in).
//!
//! The lists are plain text so that anyone can extend them without touching code; ASCII
//! digits in them (e.g. "6 أكتوبر") are turned into Arabic-Indic digits because that is how
//! the card prints them.

use std::sync::OnceLock;

/// One governorate with its code in the national ID and its districts.
#[derive(Debug, Clone)]
pub struct Governorate {
    pub code: u8,
    pub name: String,
    pub districts: Vec<String>,
}

/// A job title in its masculine and feminine printed forms.
#[derive(Debug, Clone)]
pub struct Job {
    pub male: String,
    pub female: String,
}

/// Every list the identity generator needs.
#[derive(Debug)]
pub struct Vocab {
    pub male_names: Vec<String>,
    pub female_names: Vec<String>,
    pub family_names: Vec<String>,
    pub streets: Vec<String>,
    pub jobs: Vec<Job>,
    pub degrees: Vec<String>,
    pub governorates: Vec<Governorate>,
}

/// Replaces ASCII digits with Arabic-Indic ones (U+0660..U+0669).
pub fn to_arabic_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(0x0660 + d).expect("valid digit"),
            None => c,
        })
        .collect()
}

fn lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in text.lines() {
        let l = l.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let l = to_arabic_digits(l);
        // Keep file order (determinism) but drop duplicates.
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

fn parse_jobs(text: &str) -> Vec<Job> {
    lines(text)
        .iter()
        .filter_map(|l| {
            let (m, f) = l.split_once('|')?;
            Some(Job {
                male: m.trim().to_string(),
                female: f.trim().to_string(),
            })
        })
        .collect()
}

fn parse_governorates(text: &str) -> Vec<Governorate> {
    lines(text)
        .iter()
        .filter_map(|l| {
            let mut parts = l.split('|');
            let code = parts.next()?.trim();
            // The code went through to_arabic_digits; read it back as a number.
            let code: String = code
                .chars()
                .map(|c| match c as u32 {
                    0x0660..=0x0669 => char::from_u32(c as u32 - 0x0660 + '0' as u32).unwrap(),
                    _ => c,
                })
                .collect();
            let name = parts.next()?.trim().to_string();
            let districts = parts
                .next()?
                .split('،')
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty())
                .collect();
            Some(Governorate {
                code: code.parse().ok()?,
                name,
                districts,
            })
        })
        .collect()
}

/// The compiled-in vocabulary, parsed once.
pub fn vocab() -> &'static Vocab {
    static V: OnceLock<Vocab> = OnceLock::new();
    V.get_or_init(|| Vocab {
        male_names: lines(include_str!("../data/male_names.txt")),
        female_names: lines(include_str!("../data/female_names.txt")),
        family_names: lines(include_str!("../data/family_names.txt")),
        streets: lines(include_str!("../data/streets.txt")),
        jobs: parse_jobs(include_str!("../data/jobs.txt")),
        degrees: lines(include_str!("../data/degrees.txt")),
        governorates: parse_governorates(include_str!("../data/districts.txt")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sizeable() {
        let v = vocab();
        assert!(v.male_names.len() >= 200, "{}", v.male_names.len());
        assert!(v.female_names.len() >= 180, "{}", v.female_names.len());
        assert!(v.family_names.len() >= 100);
        assert!(v.streets.len() >= 80);
        assert!(v.jobs.len() >= 50);
        assert_eq!(v.governorates.len(), 27);
        assert!(v.governorates.iter().all(|g| g.districts.len() >= 5));
        // First names are one word on the card.
        assert!(v.male_names.iter().all(|n| !n.contains(' ')));
        assert!(v.female_names.iter().all(|n| !n.contains(' ')));
    }

    #[test]
    fn no_ascii_digits_survive() {
        let v = vocab();
        for g in &v.governorates {
            for d in &g.districts {
                assert!(!d.chars().any(|c| c.is_ascii_digit()), "{d}");
            }
        }
    }
}
