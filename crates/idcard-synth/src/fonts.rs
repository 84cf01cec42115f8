//! Installed fonts: discovery, glyph coverage, and which of them each split may use.
//!
//! Fonts are read once per process and kept for its lifetime (rendering hundreds of cards a
//! minute cannot afford to re-read them). Coverage is checked per font and again per string,
//! because several Persian faces lack the Arabic-Indic digits U+0660..U+0669 and a missing
//! glyph would silently print a box.

use std::path::{Path, PathBuf};

use rustybuzz::ttf_parser::{self, name_id};

use crate::split::{FontSplit, Split};

/// Latin families allowed for the serial. Other faces (Noto Sans Adlam, ...) carry Latin only
/// as a courtesy; a card printer would not use them.
const LATIN_FAMILIES: &[&str] = &[
    "DejaVu Sans",
    "DejaVu Serif",
    "Liberation Sans",
    "Liberation Serif",
    "FreeSans",
    "FreeSerif",
    "Nimbus Sans",
    "Nimbus Roman",
    "Noto Sans",
    "Noto Serif",
];

/// Faces the split file allows but no card printer would use, found by looking at every
/// face's specimen (`examples/specimen.rs`): KacstTitleL is an outline (hollow) face,
/// Thabit is monospaced (wide gaps inside words), Nagham and KacstFarsi are slanted
/// calligraphic hands. Candidates for `excluded` in data/font-split.toml.
const UNUSABLE_ARABIC: &[&str] = &["KacstTitleL", "Thabit", "Nagham", "KacstFarsi"];

/// Letters every Arabic field font must have (the whole basic alphabet plus the forms our
/// vocabulary prints: hamza carriers, taa marbuta, alef maqsura).
const ARABIC_LETTERS: &str = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي";
const INDIC_DIGITS: &str = "٠١٢٣٤٥٦٧٨٩";

/// One usable face.
pub struct Font {
    pub family: String,
    pub style: String,
    pub path: PathBuf,
    pub face: rustybuzz::Face<'static>,
    pub bold: bool,
    pub upem: f32,
    pub arabic: bool,
    pub indic_digits: bool,
    /// Has '/', the date separator (several Arabic-only faces do not).
    pub slash: bool,
    pub latin: bool,
    /// Height of alef above the baseline, font units (how tall Arabic text looks).
    pub alef_height: f32,
    /// Height of the Arabic-Indic two, font units.
    pub digit_height: f32,
    /// Height of the Latin capital H, font units.
    pub cap_height: f32,
}

impl Font {
    /// "Family (Style)", the label written to the truth's `fonts`.
    pub fn label(&self) -> String {
        format!("{} ({})", self.family, self.style)
    }

    /// True when every non-space character of `text` has a glyph, '/' aside (it is taken
    /// from a fallback face when missing).
    pub fn covers(&self, text: &str) -> bool {
        text.chars()
            .filter(|c| !c.is_whitespace() && *c != '/')
            .all(|c| self.face.glyph_index(c).is_some())
    }
}

fn glyph_height(face: &ttf_parser::Face<'_>, c: char, full: bool) -> Option<f32> {
    let g = face.glyph_index(c)?;
    let b = face.glyph_bounding_box(g)?;
    let h = if full {
        b.y_max as f32 - b.y_min as f32
    } else {
        b.y_max as f32
    };
    (h > 0.0).then_some(h)
}

fn name(face: &ttf_parser::Face<'_>, id: u16) -> Option<String> {
    let names = face.names();
    let mut fallback = None;
    for n in names {
        if n.name_id != id {
            continue;
        }
        if let Some(s) = n.to_string() {
            // Prefer the English (US) record: family lists are written in English.
            if n.language_id == 0x409 || !n.is_unicode() && n.language_id == 0 {
                return Some(s);
            }
            fallback.get_or_insert(s);
        }
    }
    fallback
}

/// True when `family` is `entry` or a style of it ("Ouhod-Bold" belongs to "Ouhod").
pub fn family_matches(family: &str, entry: &str) -> bool {
    family == entry
        || family
            .strip_prefix(entry)
            .is_some_and(|rest| rest.starts_with(' ') || rest.starts_with('-'))
}

fn listed(family: &str, list: &[String]) -> bool {
    list.iter().any(|e| family_matches(family, e))
}

/// Arabic faces must join letters; a face that maps the code points but has no contextual
/// forms would print disconnected letters no card shows.
fn joins(face: &rustybuzz::Face<'_>) -> bool {
    let shape = |s: &str| -> Vec<u32> {
        let mut b = rustybuzz::UnicodeBuffer::new();
        b.push_str(s);
        b.guess_segment_properties();
        rustybuzz::shape(face, &[], b)
            .glyph_infos()
            .iter()
            .map(|g| g.glyph_id)
            .collect()
    };
    let iso = shape("ب");
    let triple = shape("ببب");
    triple.len() == 3 && iso.len() == 1 && triple.iter().any(|&g| g != iso[0])
}

/// Persian faces draw U+0664..U+0666 with the Persian shapes of U+06F4..U+06F6; the card
/// prints the Arabic shapes, so such a face must not print digits. Detected when both code
/// points share a glyph or identical outlines.
fn persian_digit_shapes(face: &ttf_parser::Face<'_>) -> bool {
    #[derive(Default, PartialEq)]
    struct Points(Vec<f32>);
    impl ttf_parser::OutlineBuilder for Points {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.extend([0.0, x, y]);
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.extend([1.0, x, y]);
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0.extend([2.0, x1, y1, x, y]);
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0.extend([3.0, x1, y1, x2, y2, x, y]);
        }
        fn close(&mut self) {
            self.0.push(4.0);
        }
    }
    let outline = |g| {
        let mut p = Points::default();
        face.outline_glyph(g, &mut p);
        p
    };
    ['٤', '٥', '٦']
        .into_iter()
        .zip(['۴', '۵', '۶'])
        .any(|(a, p)| match (face.glyph_index(a), face.glyph_index(p)) {
            (Some(ga), Some(gp)) => ga == gp || outline(ga) == outline(gp),
            _ => false,
        })
}

/// Every usable face, with split bookkeeping.
pub struct FontCatalog {
    pub fonts: Vec<Font>,
    split: FontSplit,
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_files(&p, out);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("ttf" | "otf" | "TTF" | "OTF")
        ) {
            out.push(p);
        }
    }
}

impl FontCatalog {
    /// Scans `dirs` (sorted, so the catalogue and thus the output are reproducible).
    pub fn discover(dirs: &[PathBuf], split: FontSplit) -> FontCatalog {
        let mut files = Vec::new();
        for d in dirs {
            collect_files(d, &mut files);
        }
        FontCatalog::from_files(files, split)
    }

    /// Exactly the font files listed (sorted, so the catalogue does not depend on the
    /// list's order). What pins a set of cards to the faces it was made with, whatever
    /// else the machine has installed.
    pub fn from_files(mut files: Vec<PathBuf>, split: FontSplit) -> FontCatalog {
        files.sort();
        files.dedup();
        let mut fonts = Vec::new();
        for path in files {
            if let Some(f) = load(&path, &split) {
                fonts.push(f);
            }
        }
        FontCatalog { fonts, split }
    }

    /// The files of a font list: one path per line; blank lines and `#` comments are
    /// skipped. Every listed file must exist, or the catalogue would silently differ.
    pub fn read_list(list: &Path) -> std::io::Result<Vec<PathBuf>> {
        let text = std::fs::read_to_string(list)?;
        let files: Vec<PathBuf> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(PathBuf::from)
            .collect();
        if let Some(missing) = files.iter().find(|f| !f.is_file()) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!(
                    "font {} listed in {} is not installed",
                    missing.display(),
                    list.display()
                ),
            ));
        }
        Ok(files)
    }

    /// The files the catalogue was built from, in its order (what a font list records).
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.fonts.iter().map(|f| f.path.as_path())
    }

    /// The system font directories.
    pub fn system(split: FontSplit) -> FontCatalog {
        let dirs = ["/usr/share/fonts", "/usr/local/share/fonts"]
            .iter()
            .map(PathBuf::from)
            .collect::<Vec<_>>();
        FontCatalog::discover(&dirs, split)
    }

    pub fn split_config(&self) -> &FontSplit {
        &self.split
    }

    fn allowed(&self, family: &str, holdout: &[String], split: Split) -> bool {
        match split {
            Split::Holdout => listed(family, holdout),
            // Dev cards never use a held-out family of either script.
            Split::Dev => !self.split.all_holdout().any(|e| family_matches(family, e)),
        }
    }

    /// Arabic faces for `split` (indices into `fonts`).
    pub fn arabic(&self, split: Split) -> Vec<usize> {
        self.fonts
            .iter()
            .enumerate()
            .filter(|(_, f)| f.arabic && self.allowed(&f.family, &self.split.arabic.holdout, split))
            .map(|(i, _)| i)
            .collect()
    }

    /// Latin faces for the serial in `split`.
    pub fn latin(&self, split: Split) -> Vec<usize> {
        self.fonts
            .iter()
            .enumerate()
            .filter(|(_, f)| f.latin && self.allowed(&f.family, &self.split.latin.holdout, split))
            .map(|(i, _)| i)
            .collect()
    }
}

fn load(path: &Path, split: &FontSplit) -> Option<Font> {
    let data = std::fs::read(path).ok()?;
    // Cheap pre-check before keeping the bytes for the process lifetime.
    let (family, style, arabic_ok, latin_ok) = {
        let face = ttf_parser::Face::parse(&data, 0).ok()?;
        if face.is_italic() || face.is_oblique() {
            return None;
        }
        let family =
            name(&face, name_id::TYPOGRAPHIC_FAMILY).or_else(|| name(&face, name_id::FAMILY))?;
        let style = name(&face, name_id::TYPOGRAPHIC_SUBFAMILY)
            .or_else(|| name(&face, name_id::SUBFAMILY))
            .unwrap_or_default();
        let lower = style.to_lowercase();
        if ["italic", "oblique", "slanted"]
            .iter()
            .any(|s| lower.contains(s))
        {
            return None;
        }
        // Light faces are too thin for the card's bold print.
        if face.weight().to_number() < 400 {
            return None;
        }
        let arabic_ok = !listed(&family, &split.arabic.excluded)
            && !UNUSABLE_ARABIC.iter().any(|u| family_matches(&family, u))
            && !family.contains("Mono")
            && ARABIC_LETTERS
                .chars()
                .all(|c| face.glyph_index(c).is_some());
        let latin_ok = LATIN_FAMILIES.contains(&family.as_str())
            && !listed(&family, &split.latin.excluded)
            && ('A'..='Z')
                .chain('0'..='9')
                .all(|c| face.glyph_index(c).is_some());
        (family, style, arabic_ok, latin_ok)
    };
    if !arabic_ok && !latin_ok {
        return None;
    }
    let data: &'static [u8] = Box::leak(data.into_boxed_slice());
    let face = rustybuzz::Face::from_slice(data, 0)?;
    let arabic = arabic_ok && joins(&face);
    if !arabic && !latin_ok {
        return None;
    }
    let indic_digits =
        INDIC_DIGITS.chars().all(|c| face.glyph_index(c).is_some()) && !persian_digit_shapes(&face);
    let slash = face.glyph_index('/').is_some();
    let upem = face.units_per_em() as f32;
    let alef_height = glyph_height(&face, 'ا', false).unwrap_or(upem * 0.6);
    let digit_height = glyph_height(&face, '٢', true).unwrap_or(upem * 0.5);
    let cap_height = glyph_height(&face, 'H', false).unwrap_or(upem * 0.7);
    let bold = face.weight().to_number() >= 600 || style.to_lowercase().contains("bold");
    Some(Font {
        family,
        style,
        path: path.to_path_buf(),
        face,
        bold,
        upem,
        arabic,
        indic_digits,
        slash,
        latin: latin_ok,
        alef_height,
        digit_height,
        cap_height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_font_list_skips_comments_and_refuses_a_missing_file() {
        let dir = std::env::temp_dir().join(format!("idcard-font-list-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let present = dir.join("present.ttf");
        std::fs::write(&present, b"not parsed here").unwrap();
        let list = dir.join("fonts.txt");
        std::fs::write(&list, format!("# pinned\n\n  {}  \n", present.display())).unwrap();
        assert_eq!(
            FontCatalog::read_list(&list).unwrap(),
            vec![present.clone()]
        );

        let missing = dir.join("missing.ttf");
        std::fs::write(
            &list,
            format!("{}\n{}\n", present.display(), missing.display()),
        )
        .unwrap();
        let err = FontCatalog::read_list(&list).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
        assert!(err.to_string().contains("missing.ttf"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn family_matching() {
        assert!(family_matches("Ouhod-Bold", "Ouhod"));
        assert!(family_matches("Noto Kufi Arabic", "Noto Kufi Arabic"));
        assert!(!family_matches("AlHor", "Hor"));
        assert!(!family_matches("Amiri", "Amiri Quran"));
    }
}
