//! Text normalization shared by the matcher, the readers and the accuracy harness.

/// Collapses runs of whitespace to one space and trims the ends.
pub fn fold_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Folds the Arabic letter variants that OCR and printing confuse: alef forms to bare
/// alef, alef maqsura to yeh, teh marbuta to heh; drops tatweel and diacritics; folds
/// whitespace. Used to compare, never to change what a field returns.
pub fn fold_arabic(text: &str) -> String {
    let folded: String = text
        .chars()
        .filter_map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ى' => Some('ي'),
            'ة' => Some('ه'),
            '\u{0640}' => None,                           // tatweel
            '\u{064B}'..='\u{0652}' | '\u{0670}' => None, // harakat, superscript alef
            '\u{200C}'..='\u{200F}' | '\u{061C}' => None, // joiners and direction marks
            _ => Some(c),
        })
        .collect();
    fold_whitespace(&folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_letter_variants() {
        assert_eq!(fold_arabic("أحمد  إبراهيم"), "احمد ابراهيم");
        assert_eq!(fold_arabic("مُصْطَفَى"), "مصطفي");
        assert_eq!(fold_arabic("فاطمة"), "فاطمه");
        assert_eq!(fold_arabic("محـــمد"), "محمد");
    }
}
