//! The development / held-out split of fonts and background styles, read from the
//! repository's `data/font-split.toml` (compiled in, so the binary needs no data path).

use serde::Deserialize;

/// Which side of the split a card is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Split {
    Dev,
    Holdout,
}

impl Split {
    pub fn name(self) -> &'static str {
        match self {
            Split::Dev => "dev",
            Split::Holdout => "holdout",
        }
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct FamilyLists {
    #[serde(default)]
    pub holdout: Vec<String>,
    #[serde(default)]
    pub excluded: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct FontSplit {
    pub arabic: FamilyLists,
    pub latin: FamilyLists,
    pub backgrounds: FamilyLists,
}

impl FontSplit {
    /// The split shipped with the repository.
    pub fn builtin() -> FontSplit {
        toml::from_str(include_str!("../../../data/font-split.toml"))
            .expect("data/font-split.toml parses")
    }

    /// Every held-out family of any script: dev cards must never use one of them.
    pub fn all_holdout(&self) -> impl Iterator<Item = &String> {
        self.arabic.holdout.iter().chain(self.latin.holdout.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_split_parses() {
        let s = FontSplit::builtin();
        assert!(s.arabic.holdout.iter().any(|f| f == "Noto Kufi Arabic"));
        assert!(s.latin.holdout.iter().any(|f| f == "FreeSans"));
        assert_eq!(s.backgrounds.holdout, vec!["waves-dense".to_string()]);
    }
}
