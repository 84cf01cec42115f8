//! Text rendering: bidi ordering (unicode-bidi), shaping (rustybuzz) and rasterization of the
//! glyph outlines (tiny-skia), straight at the output resolution.
//!
//! Dates are written in logical order ("١٩٨٨/٠٦/٢٦"); in a right-to-left paragraph the
//! Arabic-Indic digits and the slashes between them form one Arabic-number run that the
//! bidi algorithm lays out left to right, which is how the card prints them.

use rustybuzz::ttf_parser::OutlineBuilder;
use rustybuzz::{Direction, UnicodeBuffer};
use tiny_skia::{
    Color, FillRule, LineCap, LineJoin, Mask, Paint, PathBuilder, Pixmap, Rect, Stroke, Transform,
};
use unicode_bidi::{BidiInfo, Level};

use crate::fonts::Font;

/// One positioned glyph, in ems, x from the line's left end, y up.
#[derive(Debug, Clone, Copy)]
struct Placed {
    glyph: u16,
    x: f32,
    y: f32,
    /// Drawn from the fallback face (a character the main face lacks, e.g. '/').
    fallback: bool,
}

/// A shaped line in ems (multiply by the font size in pixels).
pub struct ShapedLine<'f> {
    glyphs: Vec<Placed>,
    main: &'f Font,
    fallback: Option<&'f Font>,
    /// Advance width in ems.
    pub width: f32,
}

/// Spacing tweaks, in ems.
#[derive(Debug, Clone, Copy, Default)]
pub struct Spacing {
    /// Extra space after each glyph of left-to-right runs (digits, Latin). Arabic letters
    /// are never tracked: spacing joined letters would break the joins.
    pub tracking: f32,
    /// Extra space added to every space character.
    pub word: f32,
}

/// Splits `s` into maximal pieces that `font` covers or does not cover (spaces go with
/// either), in logical order.
fn coverage_pieces<'s>(font: &Font, s: &'s str) -> Vec<(&'s str, bool)> {
    let mut out: Vec<(&'s str, bool)> = Vec::new();
    let mut start = 0;
    let mut cur: Option<bool> = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            continue;
        }
        let has = font.face.glyph_index(c).is_some();
        match cur {
            Some(h) if h != has => {
                out.push((&s[start..i], h));
                start = i;
                cur = Some(has);
            }
            None => cur = Some(has),
            _ => {}
        }
    }
    out.push((&s[start..], cur.unwrap_or(true)));
    out
}

/// Shapes `text` as one line of a paragraph of the given direction. Characters `main`
/// lacks are taken from `fallback` (dates in Noto Naskh Arabic need a '/' from elsewhere).
pub fn shape_line<'f>(
    main: &'f Font,
    fallback: Option<&'f Font>,
    text: &str,
    rtl: bool,
    spacing: Spacing,
) -> ShapedLine<'f> {
    let base = if rtl { Level::rtl() } else { Level::ltr() };
    let info = BidiInfo::new(text, Some(base));
    let mut glyphs = Vec::new();
    let mut x = 0.0f32;
    for para in &info.paragraphs {
        let (levels, runs) = info.visual_runs(para, para.range.clone());
        for run in runs {
            let ltr_run = levels[run.start].is_ltr();
            let mut pieces = coverage_pieces(main, &text[run.clone()]);
            // Pieces of a right-to-left run are laid out right to left.
            if !ltr_run {
                pieces.reverse();
            }
            for (sub, covered) in pieces {
                let (font, is_fb) = match (covered, fallback) {
                    (false, Some(f)) => (f, true),
                    _ => (main, false),
                };
                let em = font.upem;
                let mut buf = UnicodeBuffer::new();
                buf.push_str(sub);
                buf.guess_segment_properties();
                buf.set_direction(if ltr_run {
                    Direction::LeftToRight
                } else {
                    Direction::RightToLeft
                });
                let out = rustybuzz::shape(&font.face, &[], buf);
                for (gi, gp) in out.glyph_infos().iter().zip(out.glyph_positions()) {
                    glyphs.push(Placed {
                        glyph: gi.glyph_id as u16,
                        x: x + gp.x_offset as f32 / em,
                        y: gp.y_offset as f32 / em,
                        fallback: is_fb,
                    });
                    x += gp.x_advance as f32 / em;
                    let c = sub[gi.cluster as usize..].chars().next().unwrap_or(' ');
                    if c == ' ' {
                        x += spacing.word;
                    } else if ltr_run {
                        x += spacing.tracking;
                    }
                }
            }
        }
    }
    // Tracking after the last glyph is not part of the ink.
    if spacing.tracking > 0.0 {
        if let Some(last) = text.chars().last() {
            if !last.is_whitespace() && glyphs.len() > 1 && !is_rtl_char(last) {
                x -= spacing.tracking;
            }
        }
    }
    ShapedLine {
        glyphs,
        main,
        fallback,
        width: x,
    }
}

fn is_rtl_char(c: char) -> bool {
    ('\u{0600}'..='\u{06FF}').contains(&c) && !('\u{0660}'..='\u{0669}').contains(&c)
}

struct PathSink<'a> {
    pb: &'a mut PathBuilder,
    ox: f32,
    oy: f32,
    s: f32,
}

impl OutlineBuilder for PathSink<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.pb.move_to(self.ox + x * self.s, self.oy - y * self.s);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.pb.line_to(self.ox + x * self.s, self.oy - y * self.s);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.pb.quad_to(
            self.ox + x1 * self.s,
            self.oy - y1 * self.s,
            self.ox + x * self.s,
            self.oy - y * self.s,
        );
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.pb.cubic_to(
            self.ox + x1 * self.s,
            self.oy - y1 * self.s,
            self.ox + x2 * self.s,
            self.oy - y2 * self.s,
            self.ox + x * self.s,
            self.oy - y * self.s,
        );
    }
    fn close(&mut self) {
        self.pb.close();
    }
}

/// How to paint a line.
#[derive(Debug, Clone, Copy)]
pub struct Ink {
    pub color: Color,
    /// Extra stroke around the outlines, pixels (faux bold for faces without a bold cut).
    pub embolden: f32,
}

/// Draws a shaped line with its left end at `left` and its baseline at `baseline` (pixels)
/// at `size` pixels per em. Returns the ink's bounding box, if any ink was drawn.
pub fn draw_line(
    pixmap: &mut Pixmap,
    line: &ShapedLine<'_>,
    size: f32,
    left: f32,
    baseline: f32,
    ink: Ink,
) -> Option<Rect> {
    draw_line_masked(pixmap, line, size, left, baseline, ink, None)
}

/// [`draw_line`] drawing only where `mask` is set.
pub fn draw_line_masked(
    pixmap: &mut Pixmap,
    line: &ShapedLine<'_>,
    size: f32,
    left: f32,
    baseline: f32,
    ink: Ink,
    mask: Option<&Mask>,
) -> Option<Rect> {
    let mut pb = PathBuilder::new();
    for g in &line.glyphs {
        let font = match (g.fallback, line.fallback) {
            (true, Some(f)) => f,
            _ => line.main,
        };
        let mut sink = PathSink {
            pb: &mut pb,
            ox: left + g.x * size,
            oy: baseline - g.y * size,
            s: size / font.upem,
        };
        font.face
            .outline_glyph(rustybuzz::ttf_parser::GlyphId(g.glyph), &mut sink);
    }
    let path = pb.finish()?;
    let mut paint = Paint::default();
    paint.set_color(ink.color);
    paint.anti_alias = true;
    pixmap.fill_path(
        &path,
        &paint,
        FillRule::Winding,
        Transform::identity(),
        None,
    );
    if ink.embolden > 0.05 {
        let stroke = Stroke {
            width: ink.embolden,
            line_cap: LineCap::Round,
            line_join: LineJoin::Round,
            ..Stroke::default()
        };
        pixmap.stroke_path(&path, &paint, &stroke, Transform::identity(), mask);
    }
    Some(path.bounds())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::FontCatalog;
    use crate::split::{FontSplit, Split};

    fn glyphs_of(font: &Font, s: &str) -> Vec<u16> {
        s.chars()
            .map(|c| font.face.glyph_index(c).expect("glyph").0)
            .collect()
    }

    /// Dates must come out year first, left to right, even inside a right-to-left line, and
    /// the expiry date must stand left of the words.
    #[test]
    fn dates_read_left_to_right() {
        let cat = FontCatalog::system(FontSplit::builtin());
        let i = cat
            .arabic(Split::Dev)
            .into_iter()
            .find(|&i| cat.fonts[i].indic_digits && cat.fonts[i].slash)
            .expect("a digit face");
        let f = &cat.fonts[i];
        let date = "١٩٨٨/٠٦/٢٦";
        let line = shape_line(f, None, date, true, Spacing::default());
        let got: Vec<u16> = line.glyphs.iter().map(|g| g.glyph).collect();
        assert_eq!(got, glyphs_of(f, date));
        // x grows along the logical order.
        assert!(line.glyphs.windows(2).all(|w| w[0].x < w[1].x));

        let expiry = format!("حتى {date}");
        let line = shape_line(f, None, &expiry, true, Spacing::default());
        let got: Vec<u16> = line.glyphs.iter().map(|g| g.glyph).collect();
        assert_eq!(&got[..date.chars().count()], &glyphs_of(f, date)[..]);
    }
}
