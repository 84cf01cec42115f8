//! Finds the installed fonts (through fontconfig's `fc-list`), keeps those that have every glyph
//! a line needs, and sorts them into the train / validation / held-out splits of
//! `data/font-split.toml`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use ab_glyph::{Font, FontArc};

/// Which fonts a run may use. Held-out fonts are for the final report only; validation fonts
/// (a fixed subset of the development fonts) are for choosing checkpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    Train,
    Validation,
    Holdout,
}

impl Split {
    pub fn parse(s: &str) -> Option<Split> {
        match s {
            "train" => Some(Split::Train),
            "val" | "validation" => Some(Split::Validation),
            "holdout" => Some(Split::Holdout),
            _ => None,
        }
    }
}

/// Which script's fonts and glyphs: the Arabic-Indic digit lines, or the Latin card serial.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    Arabic,
    Latin,
}

impl Script {
    fn table(self) -> &'static str {
        match self {
            Script::Arabic => "arabic",
            Script::Latin => "latin",
        }
    }

    /// The characters a face must have to be used at all. '/' is checked separately: many
    /// Arabic faces (all the Noto Arabic ones, several Kacst ones) have the digits but no
    /// slash, and dropping them would throw away much of the type variety we have; such a face
    /// draws only lines without a slash (IDs), never a fallback slash.
    pub fn required_chars(self) -> Vec<char> {
        match self {
            Script::Arabic => ('\u{660}'..='\u{669}').collect(),
            Script::Latin => ('A'..='Z').chain('0'..='9').collect(),
        }
    }
}

/// One usable font face.
#[derive(Clone)]
pub struct Face {
    pub family: String,
    pub style: String,
    pub path: PathBuf,
    pub font: FontArc,
    /// Whether the face has its own '/', so it may draw dates.
    pub has_slash: bool,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} ({})",
            self.family,
            self.style,
            self.path.display()
        )
    }
}

/// The families of the Latin serial study (issue 4): DejaVu Sans, Liberation Sans/Serif and
/// FreeSerif for development, FreeSans held out.
const LATIN_FAMILIES: &[&str] = &[
    "DejaVu Sans",
    "Liberation Sans",
    "Liberation Serif",
    "FreeSerif",
    "FreeSans",
];

struct SplitTable {
    holdout: Vec<String>,
    excluded: Vec<String>,
}

fn read_split(path: &Path, script: Script) -> Result<SplitTable, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("read {}: {e}", path.display()))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e| format!("parse {}: {e}", path.display()))?;
    let section = table
        .get(script.table())
        .and_then(|v| v.as_table())
        .ok_or_else(|| format!("no [{}] in {}", script.table(), path.display()))?;
    let list = |key: &str| -> Vec<String> {
        section
            .get(key)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    Ok(SplitTable {
        holdout: list("holdout"),
        excluded: list("excluded"),
    })
}

/// The validation fonts: a fixed handful of development families, with different looks (naskh,
/// kufi-like, monospace, a weight range), used only to choose checkpoints. Chosen by hand so the
/// Naskh faces closest to the card's (Noto Naskh, Amiri) stay in training.
const VALIDATION_FAMILIES: &[&str] = &[
    "AlYarmook",
    "DejaVu Sans Mono",
    "Homa",
    "Lateef",
    "Rasheeq",
    "Sharjah",
];

fn is_validation_family(family: &str) -> bool {
    VALIDATION_FAMILIES.contains(&family)
}

fn split_of(family: &str, table: &SplitTable, script: Script) -> Option<Split> {
    if table.excluded.iter().any(|f| f == family) {
        return None;
    }
    if table.holdout.iter().any(|f| f == family) {
        return Some(Split::Holdout);
    }
    if script == Script::Arabic && is_validation_family(family) {
        Some(Split::Validation)
    } else {
        Some(Split::Train)
    }
}

fn covers(font: &FontArc, chars: &[char]) -> bool {
    chars.iter().all(|&c| {
        let id = font.glyph_id(c);
        // A glyph id of 0 is .notdef; an outline-less glyph would render nothing.
        id.0 != 0 && font.outline(id).is_some()
    })
}

/// All usable faces of `split`, sorted by family, style and path so a seed means the same lines
/// on any machine with the same fonts.
pub fn discover(split_file: &Path, script: Script, split: Split) -> Result<Vec<Face>, String> {
    let table = read_split(split_file, script)?;
    let mut args = vec!["--format", "%{family[0]}\t%{style[0]}\t%{file}\t%{index}\n"];
    if script == Script::Arabic {
        args.insert(0, ":lang=ar");
    }
    let out = Command::new("fc-list")
        .args(&args)
        .output()
        .map_err(|e| format!("run fc-list: {e}"))?;
    let listing = String::from_utf8_lossy(&out.stdout);
    let mut seen = BTreeSet::new();
    let mut faces = Vec::new();
    for line in listing.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        let [family, style, file, index] = parts[..] else {
            continue;
        };
        if script == Script::Latin && !LATIN_FAMILIES.contains(&family) {
            continue;
        }
        // Oblique and italic faces: the card prints upright digits.
        let lower = style.to_lowercase();
        if lower.contains("italic") || lower.contains("oblique") || lower.contains("slanted") {
            continue;
        }
        if split_of(family, &table, script) != Some(split) {
            continue;
        }
        if !seen.insert((file.to_owned(), index.to_owned())) {
            continue;
        }
        let Ok(bytes) = std::fs::read(file) else {
            continue;
        };
        let index: u32 = index.parse().unwrap_or(0);
        let Ok(font) = ab_glyph::FontVec::try_from_vec_and_index(bytes, index).map(FontArc::new)
        else {
            continue;
        };
        if !covers(&font, &script.required_chars()) {
            continue;
        }
        let has_slash = covers(&font, &['/']);
        faces.push(Face {
            has_slash,
            family: family.to_owned(),
            style: style.to_owned(),
            path: PathBuf::from(file),
            font,
        });
    }
    faces.sort_by(|a, b| (&a.family, &a.style, &a.path).cmp(&(&b.family, &b.style, &b.path)));
    if faces.is_empty() {
        return Err(format!("no usable {script:?} fonts for {split:?}"));
    }
    Ok(faces)
}
