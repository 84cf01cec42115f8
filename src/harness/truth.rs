//! The generator's `truth.jsonl`: one line per image.

use std::{collections::BTreeMap, path::Path};

use serde::Deserialize;

/// One generated image and the cards on it.
#[derive(Debug, Clone, Deserialize)]
pub struct TruthImage {
    /// File name inside the directory.
    pub image: String,
    /// Capture mode: scan, photo, hard, sheet.
    pub mode: String,
    /// `dev` or `holdout` (fonts and backgrounds never used in development).
    #[serde(default)]
    pub split: String,
    /// The cards printed on it.
    pub cards: Vec<TruthCard>,
}

/// One card side on an image.
#[derive(Debug, Clone, Deserialize)]
pub struct TruthCard {
    /// `front` or `back`.
    pub side: String,
    /// TL, TR, BR, BL of the upright card, in image pixels.
    #[serde(default)]
    pub corners: Vec<[f32; 2]>,
    /// Every API field, exactly as printed.
    pub card_info: BTreeMap<String, String>,
    /// The font each field was printed in (for error analysis).
    #[serde(default)]
    pub fonts: BTreeMap<String, String>,
}

/// Reads `truth.jsonl` from `dir`.
pub fn load(dir: &Path) -> Result<Vec<TruthImage>, String> {
    let path = dir.join("truth.jsonl");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))
        })
        .collect()
}
