//! Field-by-field comparison of a reading with the truth.

use crate::core::{fields::national_id::checksum_valid, text};

/// How one field compares.
#[derive(Debug, Clone, Copy, Default)]
pub struct FieldScore {
    /// Equal after folding whitespace.
    pub exact: bool,
    /// Equal after also folding Arabic letter variants.
    pub folded: bool,
    /// Character edits from the read value to the truth.
    pub edits: usize,
    /// Characters in the truth.
    pub truth_chars: usize,
}

/// Compares one value with the truth.
pub fn score_field(read: &str, truth: &str) -> FieldScore {
    let (read_ws, truth_ws) = (text::fold_whitespace(read), text::fold_whitespace(truth));
    FieldScore {
        exact: read_ws == truth_ws,
        folded: text::fold_arabic(read) == text::fold_arabic(truth),
        edits: strsim::levenshtein(&read_ws, &truth_ws),
        truth_chars: truth_ws.chars().count(),
    }
}

/// A national ID returned with a valid checksum that is not the card's: the one error the
/// reader must never make.
pub fn is_wrong_valid_id(read: &str, truth: &str) -> bool {
    !read.is_empty() && read != truth && checksum_valid(read)
}

/// Which field group a field belongs to in the summary table.
pub fn group_of(field: &str) -> &'static str {
    match field {
        "id_number" => "national ID",
        "birthday" | "birthday_arabic" | "issue_date" | "issue_date_arabic" | "expiry_date"
        | "expiry_date_arabic" => "dates",
        "first_name" | "last_name" | "address" | "region" | "husband_name" | "jobs" | "degree" => {
            "names, address (folded)"
        }
        "certificate_number" => "serial",
        _ => "vocabulary",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_before_comparing() {
        let s = score_field("احمد  محمد", "أحمد محمد");
        assert!(!s.exact && s.folded);
        assert_eq!(score_field("abc", "abd").edits, 1);
        assert!(score_field(" x ", "x").exact);
    }

    #[test]
    fn flags_only_wrong_valid_ids() {
        // 29806260123410 has a correct check digit; 29806260123411 does not.
        assert!(!is_wrong_valid_id("29806260123410", "29806260123410"));
        assert!(!is_wrong_valid_id("29806260123411", "29806260123410"));
        assert!(!is_wrong_valid_id("", "29806260123410"));
        assert!(is_wrong_valid_id("29806260123410", "29806260123428"));
    }
}
