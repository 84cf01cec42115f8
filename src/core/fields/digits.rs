//! Conversions between Arabic-Indic (U+0660..U+0669), Eastern Arabic-Indic (Persian,
//! U+06F0..U+06F9) and ASCII digits.

/// Whether `c` is an Arabic-Indic digit (U+0660..U+0669), as the card prints digits.
pub fn is_arabic_indic_digit(c: char) -> bool {
    ('\u{0660}'..='\u{0669}').contains(&c)
}

/// Replaces Arabic-Indic and Persian digits with ASCII digits; other characters stay.
pub fn to_ascii(text: &str) -> String {
    text.chars().map(ascii_digit).collect()
}

/// The digits of `text` in any of the three scripts, as ASCII, in order; everything else
/// dropped.
pub fn ascii_digits(text: &str) -> String {
    text.chars()
        .map(ascii_digit)
        .filter(char::is_ascii_digit)
        .collect()
}

/// An Arabic-Indic or Persian digit as its ASCII digit; any other character as itself.
pub fn ascii_digit(c: char) -> char {
    match c {
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        _ => c,
    }
}

/// Replaces ASCII digits with Arabic-Indic digits, as the card prints them.
pub fn to_arabic_indic(text: &str) -> String {
    text.chars().map(arabic_indic_digit).collect()
}

/// An ASCII digit as the Arabic-Indic digit the card prints; any other character as
/// itself.
pub fn arabic_indic_digit(c: char) -> char {
    match c {
        '0'..='9' => char::from_u32(0x0660 + (c as u32 - '0' as u32)).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_dates() {
        assert_eq!(to_ascii("١٩٨٨/٠٦/٢٦"), "1988/06/26");
        assert_eq!(to_ascii("۱۹۸۸"), "1988");
        assert_eq!(to_arabic_indic("1988/06/26"), "١٩٨٨/٠٦/٢٦");
    }
}
