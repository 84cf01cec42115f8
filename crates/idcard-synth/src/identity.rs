//! A consistent synthetic person: the national ID encodes the birth date, governorate and
//! gender with a valid check digit, gendered words agree, dates agree (card-layout.md).

use rand::seq::SliceRandom;
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::vocab::{to_arabic_digits, vocab};

/// Check-digit weights over the first 13 digits (card-layout.md, "The national ID number").
const WEIGHTS: [u32; 13] = [2, 7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/// Governorate code for people born abroad.
const ABROAD: u8 = 88;

/// The check digit for the first 13 digits of a national ID.
pub fn check_digit(first13: &[u8; 13]) -> u8 {
    let sum: u32 = first13
        .iter()
        .zip(WEIGHTS)
        .map(|(&d, w)| d as u32 * w)
        .sum();
    let k = 11 - (sum % 11);
    match k {
        10 => 0,
        11 => 1,
        k => k as u8,
    }
}

/// True when a 14-digit ASCII string has the right check digit.
pub fn id_is_valid(id: &str) -> bool {
    let d: Vec<u8> = id.bytes().map(|b| b.wrapping_sub(b'0')).collect();
    if d.len() != 14 || d.iter().any(|&x| x > 9) {
        return false;
    }
    let mut first = [0u8; 13];
    first.copy_from_slice(&d[..13]);
    check_digit(&first) == d[13]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Gender {
    Male,
    Female,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Religion {
    Muslim,
    Christian,
    Jewish,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marital {
    Unmarried,
    Married,
    Divorced,
    Widow,
}

/// A calendar date (proleptic Gregorian, no time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn ymd(&self) -> String {
        format!("{:04}/{:02}/{:02}", self.year, self.month, self.day)
    }
    pub fn ym(&self) -> String {
        format!("{:04}/{:02}", self.year, self.month)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

fn random_date<R: Rng>(rng: &mut R, y0: u16, y1: u16) -> Date {
    let year = rng.gen_range(y0..=y1);
    let month = rng.gen_range(1..=12);
    let day = rng.gen_range(1..=days_in_month(year, month));
    Date { year, month, day }
}

/// Everything printed on one card, front and back, in logical Unicode order.
#[derive(Debug, Clone)]
pub struct Identity {
    pub gender: Gender,
    pub birth: Date,
    pub birth_governorate: u8,
    pub id_number: String,
    pub first_name: String,
    pub last_name: String,
    pub address: String,
    pub region: String,
    pub certificate_number: String,
    pub issue: Date,
    pub expiry: Date,
    /// Profession line 1 and 2 as printed (either may be empty).
    pub profession: [String; 2],
    pub jobs: String,
    pub degree: String,
    pub religion: Religion,
    pub religion_printed: String,
    pub marital: Marital,
    pub marriage_printed: String,
    pub husband_name: String,
}

/// Front `card_info`, with the API's field names.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FrontInfo {
    pub id_number: String,
    pub certificate_number: String,
    pub first_name: String,
    pub last_name: String,
    pub birthday: String,
    pub birthday_arabic: String,
    pub address: String,
    pub region: String,
}

/// Back `card_info`, with the API's field names.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BackInfo {
    pub id_number: String,
    pub issue_date: String,
    pub issue_date_arabic: String,
    pub expiry_date: String,
    pub expiry_date_arabic: String,
    pub gender: String,
    pub gender_en: String,
    pub degree: String,
    pub religion: String,
    pub religion_en: String,
    pub husband_name: String,
    pub jobs: String,
    pub marriage: String,
    pub marriage_en: String,
}

impl Gender {
    pub fn arabic(self) -> &'static str {
        match self {
            Gender::Male => "ذكر",
            Gender::Female => "أنثى",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Gender::Male => "M",
            Gender::Female => "F",
        }
    }
}

impl Religion {
    pub fn en(self) -> &'static str {
        match self {
            Religion::Muslim => "Muslim",
            Religion::Christian => "Christian",
            Religion::Jewish => "Judaism",
            Religion::None => "",
        }
    }
}

impl Marital {
    pub fn en(self) -> &'static str {
        match self {
            Marital::Unmarried => "unmarried",
            Marital::Married => "married",
            Marital::Divorced => "divorced",
            Marital::Widow => "widow",
        }
    }
}

/// Student forms: a student's card prints only this word (card-layout.md).
pub fn student_word(g: Gender) -> &'static str {
    match g {
        Gender::Male => "طالب",
        Gender::Female => "طالبة",
    }
}

fn religion_word<R: Rng>(rng: &mut R, r: Religion, g: Gender) -> String {
    let female = g == Gender::Female;
    // ي is often printed as ى at the end of a word (card-layout.md).
    let alef_maqsura = rng.gen_bool(0.3);
    let w = match (r, female) {
        (Religion::Muslim, false) => "مسلم",
        (Religion::Muslim, true) => "مسلمة",
        (Religion::Christian, false) if alef_maqsura => "مسيحى",
        (Religion::Christian, false) => "مسيحي",
        (Religion::Christian, true) => "مسيحية",
        (Religion::Jewish, false) if alef_maqsura => "يهودى",
        (Religion::Jewish, false) => "يهودي",
        (Religion::Jewish, true) => "يهودية",
        (Religion::None, _) => "-",
    };
    w.to_string()
}

fn marital_word<R: Rng>(rng: &mut R, m: Marital, g: Gender) -> String {
    let w = match (m, g) {
        (Marital::Unmarried, Gender::Male) => "أعزب",
        (Marital::Unmarried, Gender::Female) => {
            *["آنسة", "أنسة", "عزباء"].choose(rng).expect("non-empty")
        }
        (Marital::Married, Gender::Male) => "متزوج",
        (Marital::Married, Gender::Female) => "متزوجة",
        (Marital::Divorced, Gender::Male) => "مطلق",
        (Marital::Divorced, Gender::Female) => "مطلقة",
        (Marital::Widow, Gender::Male) => "أرمل",
        (Marital::Widow, Gender::Female) => "أرملة",
    };
    w.to_string()
}

fn pick<'a, R: Rng>(rng: &mut R, list: &'a [String]) -> &'a str {
    list.choose(rng).expect("non-empty list").as_str()
}

/// A man's full name: first, father, grandfather and (often) a family name.
fn male_full_name<R: Rng>(rng: &mut R, words: usize) -> Vec<String> {
    let v = vocab();
    let mut out = Vec::new();
    for i in 0..words {
        let last = i + 1 == words;
        if last && words >= 3 && rng.gen_bool(0.6) {
            out.push(pick(rng, &v.family_names).to_string());
        } else {
            out.push(pick(rng, &v.male_names).to_string());
        }
    }
    out
}

/// Card reference date: no generated card is issued after this.
const LATEST_ISSUE_YEAR: u16 = 2026;

impl Identity {
    /// Draws one consistent identity.
    pub fn generate<R: Rng>(rng: &mut R) -> Identity {
        let v = vocab();
        let gender = if rng.gen_bool(0.5) {
            Gender::Male
        } else {
            Gender::Female
        };

        // Issue date first: a card is at most 7 years old (still valid) most of the time.
        let issue = {
            let mut d = random_date(rng, 2014, LATEST_ISSUE_YEAR);
            if d.year == LATEST_ISSUE_YEAR && d.month > 10 {
                d.month = rng.gen_range(1..=10);
                d.day = d.day.min(days_in_month(d.year, d.month));
            }
            d
        };
        // Applicants are at least 16 at issue.
        let student = rng.gen_bool(0.15);
        let birth = if student {
            random_date(rng, issue.year - 23, issue.year - 16)
        } else {
            random_date(rng, 1945.max(issue.year - 75), issue.year - 18)
        };
        let expiry = {
            let year = issue.year + 7;
            Date {
                year,
                month: issue.month,
                day: issue.day.min(days_in_month(year, issue.month)),
            }
        };

        let birth_governorate = if rng.gen_bool(0.03) {
            ABROAD
        } else {
            v.governorates.choose(rng).expect("governorates").code
        };
        let id_number = make_id(rng, birth, birth_governorate, gender);

        // Name: first name, then father + grandfather (+ family), 2-4 words.
        let first_name = match gender {
            Gender::Male => pick(rng, &v.male_names),
            Gender::Female => pick(rng, &v.female_names),
        }
        .to_string();
        let rest_words = *[2usize, 3, 3, 3, 4].choose(rng).expect("non-empty");
        let last_name = male_full_name(rng, rest_words).join(" ");

        // Residence: usually the birth governorate.
        let home = if birth_governorate != ABROAD && rng.gen_bool(0.75) {
            v.governorates
                .iter()
                .find(|g| g.code == birth_governorate)
                .expect("known code")
        } else {
            v.governorates.choose(rng).expect("governorates")
        };
        let district = pick(rng, &home.districts);
        let region = format!("{district} - {}", home.name);
        let address = make_address(rng);

        let certificate_number = {
            let a = rng.gen_range(b'A'..=b'Z') as char;
            let b = rng.gen_range(b'A'..=b'Z') as char;
            format!("{a}{b}{:07}", rng.gen_range(0..10_000_000u32))
        };

        let religion = match rng.gen_range(0..1000) {
            0..=879 => Religion::Muslim,
            880..=994 => Religion::Christian,
            995..=996 => Religion::Jewish,
            _ => Religion::None,
        };
        let religion_printed = religion_word(rng, religion, gender);

        let age = issue.year - birth.year;
        let marital = if student || age < 20 {
            Marital::Unmarried
        } else {
            match rng.gen_range(0..100) {
                0..=29 => Marital::Unmarried,
                30..=84 => Marital::Married,
                85..=92 => Marital::Divorced,
                _ => Marital::Widow,
            }
        };
        let marriage_printed = marital_word(rng, marital, gender);
        let husband_name = if gender == Gender::Female && marital == Marital::Married {
            let n = *[3usize, 4].choose(rng).expect("non-empty");
            male_full_name(rng, n).join(" ")
        } else {
            String::new()
        };

        let (profession, jobs, degree) = make_profession(rng, gender, student);

        Identity {
            gender,
            birth,
            birth_governorate,
            id_number,
            first_name,
            last_name,
            address,
            region,
            certificate_number,
            issue,
            expiry,
            profession,
            jobs,
            degree,
            religion,
            religion_printed,
            marital,
            marriage_printed,
            husband_name,
        }
    }

    pub fn front_info(&self) -> FrontInfo {
        FrontInfo {
            id_number: self.id_number.clone(),
            certificate_number: self.certificate_number.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            birthday: self.birth.ymd(),
            birthday_arabic: to_arabic_digits(&self.birth.ymd()),
            address: self.address.clone(),
            region: self.region.clone(),
        }
    }

    pub fn back_info(&self) -> BackInfo {
        BackInfo {
            id_number: self.id_number.clone(),
            issue_date: self.issue.ym(),
            issue_date_arabic: to_arabic_digits(&self.issue.ym()),
            expiry_date: self.expiry.ymd(),
            expiry_date_arabic: to_arabic_digits(&self.expiry.ymd()),
            gender: self.gender.arabic().to_string(),
            gender_en: self.gender.en().to_string(),
            degree: self.degree.clone(),
            religion: self.religion_printed.clone(),
            religion_en: self.religion.en().to_string(),
            husband_name: self.husband_name.clone(),
            jobs: self.jobs.clone(),
            marriage: self.marriage_printed.clone(),
            marriage_en: self.marital.en().to_string(),
        }
    }
}

fn make_id<R: Rng>(rng: &mut R, birth: Date, gov: u8, gender: Gender) -> String {
    let century = if birth.year >= 2000 { 3 } else { 2 };
    let seq: u32 = rng.gen_range(0..1000);
    // 13th digit: odd for a man, even for a woman.
    let g = match gender {
        Gender::Male => 2 * rng.gen_range(0..5) + 1,
        Gender::Female => 2 * rng.gen_range(0..5),
    };
    let s = format!(
        "{century}{:02}{:02}{:02}{gov:02}{seq:03}{g}",
        birth.year % 100,
        birth.month,
        birth.day
    );
    let mut first = [0u8; 13];
    for (i, b) in s.bytes().enumerate() {
        first[i] = b - b'0';
    }
    format!("{s}{}", check_digit(&first))
}

fn make_address<R: Rng>(rng: &mut R) -> String {
    let v = vocab();
    let street = pick(rng, &v.streets);
    let num = to_arabic_digits(&rng.gen_range(1..=250u32).to_string());
    match rng.gen_range(0..10) {
        0..=3 => format!("{num} شارع {street}"),
        4..=5 => format!("{num} ش {street}"),
        6 => format!("شارع {street}"),
        7 => format!("{num} ش {street} متفرع من شارع {}", pick(rng, &v.streets)),
        8 => format!("عزبة {}", pick(rng, &v.family_names)),
        _ => format!("قرية {}", pick(rng, &v.male_names)),
    }
}

/// Returns the two printed profession lines, then `jobs` and `degree` as the API maps them.
fn make_profession<R: Rng>(rng: &mut R, g: Gender, student: bool) -> ([String; 2], String, String) {
    let v = vocab();
    if student {
        let w = student_word(g).to_string();
        return ([w.clone(), String::new()], String::new(), w);
    }
    if g == Gender::Female && rng.gen_bool(0.25) {
        let job = "ربة منزل".to_string();
        let degree = if rng.gen_bool(0.5) {
            pick(rng, &v.degrees).to_string()
        } else {
            String::new()
        };
        return ([job.clone(), degree.clone()], job, degree);
    }
    // Some jobs have no feminine form on the list ("-"): draw again.
    let j = loop {
        let j = v.jobs.choose(rng).expect("jobs");
        if g == Gender::Male || j.female != "-" {
            break j;
        }
    };
    let job = match g {
        Gender::Male => j.male.clone(),
        Gender::Female => j.female.clone(),
    };
    match rng.gen_range(0..10) {
        // Job and qualification on two lines.
        0..=5 => {
            let degree = pick(rng, &v.degrees).to_string();
            ([job.clone(), degree.clone()], job, degree)
        }
        // Job only.
        6..=8 => ([job.clone(), String::new()], job, String::new()),
        // Qualification only.
        _ => {
            let degree = pick(rng, &v.degrees).to_string();
            ([degree.clone(), String::new()], String::new(), degree)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn known_check_digits() {
        // 13 digits summing (weighted) to 0 mod 11 -> K = 11 -> 1.
        assert_eq!(check_digit(&[0; 13]), 1);
        // 2*2 + 9*7 + 1*4 + 1*2 + 1*6 = 79; 79 mod 11 = 2; K = 9.
        assert_eq!(check_digit(&[2, 9, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0]), 9);
        // 6*2 = 12; 12 mod 11 = 1; K = 10 -> 0.
        assert_eq!(check_digit(&[6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 0);
    }

    #[test]
    fn identities_are_consistent() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..2000 {
            let p = Identity::generate(&mut rng);
            assert!(id_is_valid(&p.id_number), "{}", p.id_number);
            let id = p.id_number.as_bytes();
            let century = if p.birth.year >= 2000 { b'3' } else { b'2' };
            assert_eq!(id[0], century);
            assert_eq!(&p.id_number[1..7], &p.birth.ymd().replace('/', "")[2..]);
            assert_eq!(
                p.id_number[7..9].parse::<u8>().unwrap(),
                p.birth_governorate
            );
            let g = (id[12] - b'0') % 2 == 1;
            assert_eq!(g, p.gender == Gender::Male);
            assert_eq!(p.expiry.year, p.issue.year + 7);
            assert_eq!(p.expiry.month, p.issue.month);
            assert!(p.issue.year - p.birth.year >= 16);
            let f = p.front_info();
            let b = p.back_info();
            assert_eq!(f.birthday, p.birth.ymd());
            assert_eq!(f.birthday_arabic, to_arabic_digits(&f.birthday));
            assert!(!p.first_name.contains(' '));
            let n = p.last_name.split(' ').count();
            assert!((2..=4).contains(&n));
            assert!(p.region.contains(" - "));
            assert_eq!(b.gender_en == "M", p.gender == Gender::Male);
            let female = p.gender == Gender::Female;
            match b.religion.as_str() {
                "مسلم" | "مسيحي" | "مسيحى" | "يهودي" | "يهودى" => {
                    assert!(!female)
                }
                "مسلمة" | "مسيحية" | "يهودية" => assert!(female),
                "-" => assert_eq!(b.religion_en, ""),
                other => panic!("religion {other}"),
            }
            match b.marriage.as_str() {
                "أعزب" | "متزوج" | "مطلق" | "أرمل" => assert!(!female),
                "آنسة" | "أنسة" | "عزباء" | "متزوجة" | "مطلقة" | "أرملة" =>
                {
                    assert!(female)
                }
                other => panic!("marriage {other}"),
            }
            assert_eq!(
                !b.husband_name.is_empty(),
                female && b.marriage_en == "married"
            );
            assert_ne!(b.jobs, "-");
            if b.degree == "طالب" || b.degree == "طالبة" {
                assert_eq!(b.jobs, "");
                assert_eq!(b.degree, student_word(p.gender));
            }
            let c = f.certificate_number.as_bytes();
            assert_eq!(c.len(), 9);
            assert!(c[..2].iter().all(|b| b.is_ascii_uppercase()));
            assert!(c[2..].iter().all(|b| b.is_ascii_digit()));
        }
    }
}
