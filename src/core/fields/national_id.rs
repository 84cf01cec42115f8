//! The Egyptian national ID number: `C YY MM DD GG SSS G K` (see shared card-layout.md).

/// Weights of the check digit over the first 13 digits.
const WEIGHTS: [u32; 13] = [2, 7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/// A governorate of birth: code, English and Arabic names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Governorate {
    /// Two-digit code as printed in the number.
    pub code: &'static str,
    /// English name.
    pub english: &'static str,
    /// Arabic name.
    pub arabic: &'static str,
}

/// The governorate codes the number may carry.
pub const GOVERNORATES: &[Governorate] = &[
    gov("01", "Cairo", "القاهرة"),
    gov("02", "Alexandria", "الإسكندرية"),
    gov("03", "Port Said", "بورسعيد"),
    gov("04", "Suez", "السويس"),
    gov("11", "Damietta", "دمياط"),
    gov("12", "Dakahlia", "الدقهلية"),
    gov("13", "Sharqia", "الشرقية"),
    gov("14", "Qalyubia", "القليوبية"),
    gov("15", "Kafr El Sheikh", "كفر الشيخ"),
    gov("16", "Gharbia", "الغربية"),
    gov("17", "Monufia", "المنوفية"),
    gov("18", "Beheira", "البحيرة"),
    gov("19", "Ismailia", "الإسماعيلية"),
    gov("21", "Giza", "الجيزة"),
    gov("22", "Beni Suef", "بني سويف"),
    gov("23", "Fayoum", "الفيوم"),
    gov("24", "Minya", "المنيا"),
    gov("25", "Assiut", "أسيوط"),
    gov("26", "Sohag", "سوهاج"),
    gov("27", "Qena", "قنا"),
    gov("28", "Aswan", "أسوان"),
    gov("29", "Luxor", "الأقصر"),
    gov("31", "Red Sea", "البحر الأحمر"),
    gov("32", "New Valley", "الوادي الجديد"),
    gov("33", "Matrouh", "مطروح"),
    gov("34", "North Sinai", "شمال سيناء"),
    gov("35", "South Sinai", "جنوب سيناء"),
    gov("88", "Born abroad", "خارج الجمهورية"),
];

const fn gov(code: &'static str, english: &'static str, arabic: &'static str) -> Governorate {
    Governorate {
        code,
        english,
        arabic,
    }
}

/// A gender as the number and the card encode it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    /// Odd 13th digit; ذكر on the card.
    Male,
    /// Even 13th digit; أنثى on the card.
    Female,
}

impl Gender {
    /// The API's `gender_en` value.
    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "M",
            Gender::Female => "F",
        }
    }
}

/// What a 14-digit national ID says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalIdFacts {
    /// Whether the 14th digit matches the check digit.
    pub checksum_valid: bool,
    /// Birth date `yyyy/mm/dd`, if digits 1-7 form a real date.
    pub birth_date: Option<String>,
    /// The two-digit governorate code, as read.
    pub governorate_code: String,
    /// The governorate, if the code is known.
    pub governorate: Option<Governorate>,
    /// The gender from the 13th digit.
    pub gender: Gender,
}

/// The check digit for the first 13 digits, or `None` if they are not 13 ASCII digits.
pub fn check_digit(first13: &str) -> Option<u32> {
    if first13.len() != 13 || !first13.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first13
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(match 11 - sum % 11 {
        10 => 0,
        11 => 1,
        k => k,
    })
}

/// Whether a 14-digit ASCII number carries a correct check digit.
pub fn checksum_valid(id: &str) -> bool {
    id.len() == 14 && check_digit(&id[..13]).is_some_and(|k| id.as_bytes()[13] == b'0' + k as u8)
}

/// Whether a 14-digit number can be a national ID at all: its check digit holds, its
/// century digit is 2 or 3, its birth date is a real date and its governorate code exists.
/// A number that passes the checksum by chance but fails these is a misreading.
pub fn is_well_formed(id: &str) -> bool {
    analyze(id)
        .is_some_and(|f| f.checksum_valid && f.birth_date.is_some() && f.governorate.is_some())
}

/// Reads the facts of a 14-digit ASCII national ID; `None` if it is not 14 digits.
pub fn analyze(id: &str) -> Option<NationalIdFacts> {
    if id.len() != 14 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digit = |i: usize| u32::from(id.as_bytes()[i] - b'0');
    let number = |range: std::ops::Range<usize>| id[range].parse::<u32>().ok();
    let century = match digit(0) {
        2 => Some(1900),
        3 => Some(2000),
        _ => None,
    };
    let birth_date = century.and_then(|century| {
        let year = century + number(1..3)?;
        let month = number(3..5)?;
        let day = number(5..7)?;
        is_real_date(year, month, day).then(|| format!("{year:04}/{month:02}/{day:02}"))
    });
    let governorate_code = id[7..9].to_string();
    let governorate = GOVERNORATES
        .iter()
        .find(|g| g.code == governorate_code)
        .copied();
    Some(NationalIdFacts {
        checksum_valid: checksum_valid(id),
        birth_date,
        governorate_code,
        governorate,
        gender: if digit(12) % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        },
    })
}

/// Whether year/month/day is a date of the Gregorian calendar.
pub fn is_real_date(year: u32, month: u32, day: u32) -> bool {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a number with a correct check digit.
    fn with_check(first13: &str) -> String {
        format!("{first13}{}", check_digit(first13).unwrap())
    }

    #[test]
    fn check_digit_follows_the_published_rule() {
        // 2*2+9*7+8*6+0*5+6*4+2*3+6*2+0*7+1*6+2*5+3*4+4*3+1*2 = 199; 199 % 11 = 1;
        // 11 - 1 = 10, which becomes 0.
        assert_eq!(check_digit("2980626012341"), Some(0));
        // One more in the 13th digit (weight 2): 201 % 11 = 3; 11 - 3 = 8.
        assert_eq!(check_digit("2980626012342"), Some(8));
        let id = with_check("2980626012341");
        assert!(checksum_valid(&id));
        let mut wrong = id.into_bytes();
        wrong[13] = b'0' + (wrong[13] - b'0' + 1) % 10;
        assert!(!checksum_valid(std::str::from_utf8(&wrong).unwrap()));
    }

    #[test]
    fn derives_birth_date_governorate_and_gender() {
        // The 13th digit, 4, is even: a woman.
        let facts = analyze(&with_check("2880626012344")).unwrap();
        assert_eq!(facts.birth_date.as_deref(), Some("1988/06/26"));
        assert_eq!(facts.governorate.unwrap().english, "Cairo");
        assert_eq!(facts.gender, Gender::Female);
        assert!(facts.checksum_valid);
        let facts = analyze(&with_check("3050229882213")).unwrap();
        assert_eq!(facts.birth_date, None, "2005 is not a leap year");
        assert_eq!(facts.governorate.unwrap().code, "88");
        assert_eq!(facts.gender, Gender::Male);
    }

    #[test]
    fn well_formed_needs_more_than_the_checksum() {
        assert!(is_well_formed(&with_check("2880626012345")));
        // Century 1 does not exist, whatever the check digit says.
        assert!(!is_well_formed(&with_check("1350091916394")));
        // Governorate 99 does not exist.
        assert!(!is_well_formed(&with_check("2880626992345")));
    }

    #[test]
    fn refuses_non_numbers() {
        assert!(analyze("29806260123").is_none());
        assert!(analyze("2980626012345x").is_none());
        assert!(!checksum_valid("abc"));
    }
}
