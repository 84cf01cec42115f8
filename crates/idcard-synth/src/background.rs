//! Everything on the card that is not text: the card stock with its security print
//! (gradients, guilloche curves, waves, faint motifs), the photo box with a drawn silhouette
//! (never a face), the eagle-like emblem and the PDF417-like barcode block.

use rand::Rng;
use tiny_skia::{
    Color, FillRule, GradientStop, LinearGradient, Mask, Paint, Path, PathBuilder, Pixmap, Point,
    Rect, Shader, SpreadMode, Stroke, Transform,
};

use crate::layout::{BARCODE, EMBLEM, PHOTO};
use crate::split::{FontSplit, Split};

/// Every background style the generator draws.
pub const ALL_STYLES: &[&str] = &["rosette", "waves", "mesh", "plain", "waves-dense"];

/// The styles a split may use: held-out styles only for held-out cards, the rest otherwise.
pub fn styles(split_cfg: &FontSplit, split: Split) -> Vec<&'static str> {
    let held = &split_cfg.backgrounds.holdout;
    let out: Vec<&'static str> = ALL_STYLES
        .iter()
        .copied()
        .filter(|s| held.iter().any(|h| h == s) == (split == Split::Holdout))
        .collect();
    assert!(!out.is_empty(), "no background style for split {split:?}");
    out
}

fn rgba(r: u8, g: u8, b: u8, a: f32) -> Color {
    Color::from_rgba8(r, g, b, (a.clamp(0.0, 1.0) * 255.0) as u8)
}

fn paint(c: Color) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color(c);
    p.anti_alias = true;
    p
}

/// The card outline: a rectangle with ID-1 rounded corners (3.18 mm radius).
pub fn card_path(w: f32, h: f32) -> Path {
    let r = w * 3.18 / 85.6;
    let mut pb = PathBuilder::new();
    pb.move_to(r, 0.0);
    pb.line_to(w - r, 0.0);
    pb.quad_to(w, 0.0, w, r);
    pb.line_to(w, h - r);
    pb.quad_to(w, h, w - r, h);
    pb.line_to(r, h);
    pb.quad_to(0.0, h, 0.0, h - r);
    pb.line_to(0.0, r);
    pb.quad_to(0.0, 0.0, r, 0.0);
    pb.close();
    pb.finish().expect("card path")
}

/// Pale security-print colours: tints of green, blue, rose and sand as seen on the card.
fn pale<R: Rng>(rng: &mut R) -> (u8, u8, u8) {
    let base: [(u8, u8, u8); 6] = [
        (226, 240, 228),
        (224, 234, 244),
        (244, 230, 232),
        (242, 238, 222),
        (236, 236, 240),
        (232, 242, 238),
    ];
    let (r, g, b) = base[rng.gen_range(0..base.len())];
    let j = |v: u8, rng: &mut R| (v as i32 + rng.gen_range(-8..=8)).clamp(0, 255) as u8;
    (j(r, rng), j(g, rng), j(b, rng))
}

fn line_colour<R: Rng>(rng: &mut R) -> Color {
    let cols: [(u8, u8, u8); 5] = [
        (90, 150, 120),
        (110, 130, 180),
        (180, 120, 140),
        (150, 140, 90),
        (120, 120, 140),
    ];
    let (r, g, b) = cols[rng.gen_range(0..cols.len())];
    rgba(r, g, b, rng.gen_range(0.18..0.38))
}

/// Paints the card stock and its security print on a transparent pixmap.
pub fn paint_card<R: Rng>(pm: &mut Pixmap, style: &str, rng: &mut R) {
    let (w, h) = (pm.width() as f32, pm.height() as f32);
    let outline = card_path(w, h);
    let mut mask = Mask::new(pm.width(), pm.height()).expect("mask");
    mask.fill_path(&outline, FillRule::Winding, true, Transform::identity());

    // Base gradient between two pale tints.
    let (r0, g0, b0) = pale(rng);
    let (r1, g1, b1) = pale(rng);
    let angle: f32 = rng.gen_range(0.0..std::f32::consts::PI);
    let (dx, dy) = (angle.cos() * w * 0.5, angle.sin() * h * 0.5);
    let shader = LinearGradient::new(
        Point::from_xy(w / 2.0 - dx, h / 2.0 - dy),
        Point::from_xy(w / 2.0 + dx, h / 2.0 + dy),
        vec![
            GradientStop::new(0.0, Color::from_rgba8(r0, g0, b0, 255)),
            GradientStop::new(1.0, Color::from_rgba8(r1, g1, b1, 255)),
        ],
        SpreadMode::Pad,
        Transform::identity(),
    )
    .unwrap_or(Shader::SolidColor(Color::from_rgba8(r0, g0, b0, 255)));
    let p = Paint {
        shader,
        anti_alias: true,
        ..Paint::default()
    };
    pm.fill_path(&outline, &p, FillRule::Winding, Transform::identity(), None);

    let lw = (w * 0.0009).max(0.6);
    match style {
        "rosette" => {
            for _ in 0..rng.gen_range(2..=4) {
                let c = (rng.gen_range(0.1..0.9) * w, rng.gen_range(0.1..0.9) * h);
                let r = rng.gen_range(0.15..0.35) * h;
                rosette(pm, &mask, c, r, lw, line_colour(rng), rng);
            }
            waves(pm, &mask, rng.gen_range(6..12), 0.4, lw, rng);
        }
        "waves" => waves(pm, &mask, rng.gen_range(18..34), 1.0, lw, rng),
        "mesh" => {
            waves(pm, &mask, rng.gen_range(12..22), 1.0, lw, rng);
            diagonal(pm, &mask, rng.gen_range(14..26), lw, rng);
        }
        "waves-dense" => {
            // Held out: many tight, amplitude-modulated waves no dev card has.
            waves(pm, &mask, rng.gen_range(70..110), 2.5, lw * 0.8, rng);
        }
        _ => {
            // "plain": speckled stock only.
            let c = line_colour(rng);
            for _ in 0..rng.gen_range(200..500) {
                let x = rng.gen_range(0.0..w);
                let y = rng.gen_range(0.0..h);
                let rr = rng.gen_range(0.3..1.2) * lw;
                // A path, not fill_rect: tiny-skia's anti-aliased rect filler asserts on
                // sub-pixel rects in debug builds.
                if let Some(p) = PathBuilder::from_circle(x, y, rr) {
                    pm.fill_path(
                        &p,
                        &paint(c),
                        FillRule::Winding,
                        Transform::identity(),
                        Some(&mask),
                    );
                }
            }
        }
    }
    motifs(pm, &mask, rng);
}

fn stroke_points(pm: &mut Pixmap, mask: &Mask, pts: &[(f32, f32)], lw: f32, c: Color) {
    let mut pb = PathBuilder::new();
    for (i, &(x, y)) in pts.iter().enumerate() {
        if i == 0 {
            pb.move_to(x, y);
        } else {
            pb.line_to(x, y);
        }
    }
    if let Some(path) = pb.finish() {
        let s = Stroke {
            width: lw,
            ..Stroke::default()
        };
        pm.stroke_path(&path, &paint(c), &s, Transform::identity(), Some(mask));
    }
}

/// A guilloche rosette: a hypotrochoid, the curve of banknote engraving lathes.
fn rosette<R: Rng>(
    pm: &mut Pixmap,
    mask: &Mask,
    c: (f32, f32),
    size: f32,
    lw: f32,
    col: Color,
    rng: &mut R,
) {
    let big = rng.gen_range(5..=11) as f32;
    let small = rng.gen_range(2..=4) as f32;
    let d = rng.gen_range(0.6..1.4) * small;
    let k = size / (big - small + d);
    let n = 900;
    let turns = small * std::f32::consts::TAU;
    let pts: Vec<(f32, f32)> = (0..=n)
        .map(|i| {
            let t = turns * i as f32 / n as f32;
            let x = (big - small) * t.cos() + d * ((big - small) / small * t).cos();
            let y = (big - small) * t.sin() - d * ((big - small) / small * t).sin();
            (c.0 + x * k, c.1 + y * k)
        })
        .collect();
    stroke_points(pm, mask, &pts, lw, col);
}

/// Horizontal sine lines across the card; `freq` scales how many bumps a line has.
fn waves<R: Rng>(pm: &mut Pixmap, mask: &Mask, n: usize, freq: f32, lw: f32, rng: &mut R) {
    let (w, h) = (pm.width() as f32, pm.height() as f32);
    let col = line_colour(rng);
    let amp = rng.gen_range(0.01..0.035) * h;
    let period = w / (rng.gen_range(1.5..4.0) * freq);
    let phase_step = rng.gen_range(0.05..0.4);
    let modulate = rng.gen_range(0.0..0.6);
    let steps = 160;
    for i in 0..n {
        let y0 = h * (i as f32 + 0.5) / n as f32;
        let ph = i as f32 * phase_step;
        let pts: Vec<(f32, f32)> = (0..=steps)
            .map(|s| {
                let x = w * s as f32 / steps as f32;
                let a = amp * (1.0 + modulate * (x / w * 3.0 + ph).sin());
                (x, y0 + a * (x / period * std::f32::consts::TAU + ph).sin())
            })
            .collect();
        stroke_points(pm, mask, &pts, lw, col);
    }
}

fn diagonal<R: Rng>(pm: &mut Pixmap, mask: &Mask, n: usize, lw: f32, rng: &mut R) {
    let (w, h) = (pm.width() as f32, pm.height() as f32);
    let col = line_colour(rng);
    let slope = rng.gen_range(0.4..1.2);
    for i in 0..n {
        let x0 = -h * slope + (w + h * slope) * i as f32 / n as f32;
        let pts: Vec<(f32, f32)> = (0..=60)
            .map(|s| {
                let t = s as f32 / 60.0;
                let y = h * t;
                (x0 + y * slope + 0.01 * w * (t * 12.0).sin(), y)
            })
            .collect();
        stroke_points(pm, mask, &pts, lw, col);
    }
}

/// Faint motifs: pyramids and a sun disc, printed very light under the text.
fn motifs<R: Rng>(pm: &mut Pixmap, mask: &Mask, rng: &mut R) {
    let (w, h) = (pm.width() as f32, pm.height() as f32);
    let col = rgba(150, 130, 90, rng.gen_range(0.05..0.12));
    let base_y = rng.gen_range(0.55..0.75) * h;
    let mut x = rng.gen_range(0.3..0.6) * w;
    for _ in 0..3 {
        let half = rng.gen_range(0.05..0.1) * w;
        let top = base_y - half * rng.gen_range(0.8..1.1);
        let mut pb = PathBuilder::new();
        pb.move_to(x - half, base_y);
        pb.line_to(x, top);
        pb.line_to(x + half, base_y);
        pb.close();
        if let Some(p) = pb.finish() {
            pm.fill_path(
                &p,
                &paint(col),
                FillRule::Winding,
                Transform::identity(),
                Some(mask),
            );
        }
        x += half * rng.gen_range(1.1..1.6);
    }
    let sun = rgba(200, 160, 80, rng.gen_range(0.04..0.1));
    if let Some(p) = PathBuilder::from_circle(
        rng.gen_range(0.3..0.9) * w,
        rng.gen_range(0.2..0.8) * h,
        rng.gen_range(0.06..0.14) * w,
    ) {
        pm.fill_path(
            &p,
            &paint(sun),
            FillRule::Winding,
            Transform::identity(),
            Some(mask),
        );
    }
}

fn frac_rect(w: f32, h: f32, b: (f32, f32, f32, f32)) -> Rect {
    Rect::from_ltrb(b.0 * w, b.2 * h, b.1 * w, b.3 * h).expect("box")
}

/// The photo box with a drawn head-and-shoulders silhouette.
pub fn paint_photo<R: Rng>(pm: &mut Pixmap, dx: f32, dy: f32, rng: &mut R) {
    let (w, h) = (pm.width() as f32, pm.height() as f32);
    let r = frac_rect(w, h, PHOTO);
    let r = Rect::from_xywh(r.x() + dx, r.y() + dy, r.width(), r.height()).expect("photo");
    let bg = rng.gen_range(190..235u8);
    let back = Color::from_rgba8(bg, bg, (bg as u16 + 8).min(255) as u8, 255);
    pm.fill_rect(r, &paint(back), Transform::identity(), None);
    let tone = rng.gen_range(60..150u8);
    let body = Color::from_rgba8(tone, tone, tone.saturating_add(5), 255);
    let (cx, cw, ch) = (
        r.x() + r.width() * rng.gen_range(0.45..0.55),
        r.width(),
        r.height(),
    );
    let head_cy = r.y() + ch * rng.gen_range(0.36..0.42);
    let head_rx = cw * rng.gen_range(0.2..0.25);
    let head_ry = head_rx * rng.gen_range(1.2..1.4);
    if let Some(p) = PathBuilder::from_oval(
        Rect::from_xywh(
            cx - head_rx,
            head_cy - head_ry,
            head_rx * 2.0,
            head_ry * 2.0,
        )
        .expect("head"),
    ) {
        pm.fill_path(
            &p,
            &paint(body),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
    let mut pb = PathBuilder::new();
    let neck_y = head_cy + head_ry * 0.9;
    let sh_y = neck_y + ch * 0.1;
    pb.move_to(cx - head_rx * 0.45, neck_y - 2.0);
    pb.line_to(cx + head_rx * 0.45, neck_y - 2.0);
    pb.line_to(cx + head_rx * 0.5, sh_y - ch * 0.04);
    pb.cubic_to(
        r.right() - cw * 0.02,
        sh_y,
        r.right(),
        sh_y + ch * 0.05,
        r.right(),
        r.bottom(),
    );
    pb.line_to(r.left(), r.bottom());
    pb.cubic_to(
        r.left(),
        sh_y + ch * 0.05,
        r.left() + cw * 0.02,
        sh_y,
        cx - head_rx * 0.5,
        sh_y - ch * 0.04,
    );
    pb.close();
    if let Some(p) = pb.finish() {
        pm.fill_path(
            &p,
            &paint(body),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
    let s = Stroke {
        width: (w * 0.001).max(0.7),
        ..Stroke::default()
    };
    let edge = PathBuilder::from_rect(r);
    pm.stroke_path(
        &edge,
        &paint(rgba(90, 90, 90, 0.5)),
        &s,
        Transform::identity(),
        None,
    );
}

/// An eagle-like emblem (after the Eagle of Saladin): raised wings with feathered edges,
/// head turned to one side with a beak, a banded shield on the chest, a fanned tail and a
/// scroll underneath.
pub fn paint_emblem<R: Rng>(pm: &mut Pixmap, dx: f32, dy: f32, rng: &mut R) {
    let (w, h) = (pm.width() as f32, pm.height() as f32);
    let r = frac_rect(w, h, EMBLEM);
    let (cx, cy) = (r.x() + r.width() / 2.0 + dx, r.y() + r.height() / 2.0 + dy);
    let s = r.width().min(r.height()) / 2.0;
    let gold = rgba(
        rng.gen_range(150..200),
        rng.gen_range(115..150),
        rng.gen_range(40..80),
        rng.gen_range(0.6..0.9),
    );
    let dark = rgba(90, 70, 30, 0.7);
    let poly = |pts: &[(f32, f32)]| -> Option<Path> {
        let mut pb = PathBuilder::new();
        pb.move_to(cx + pts[0].0 * s, cy + pts[0].1 * s);
        for &(x, y) in &pts[1..] {
            pb.line_to(cx + x * s, cy + y * s);
        }
        pb.close();
        pb.finish()
    };
    let fill = |pm: &mut Pixmap, path: Option<Path>, c: Color| {
        if let Some(p) = path {
            pm.fill_path(
                &p,
                &paint(c),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
    };
    let outline = |pm: &mut Pixmap, path: Option<Path>| {
        if let Some(p) = path {
            let st = Stroke {
                width: (s * 0.025).max(0.6),
                ..Stroke::default()
            };
            pm.stroke_path(&p, &paint(dark), &st, Transform::identity(), None);
        }
    };
    // Wings: up and out from the shoulders, five feather tips along the lower edge.
    for side in [-1.0f32, 1.0] {
        let mut pts = vec![
            (side * 0.12, -0.3),
            (side * 0.45, -0.78),
            (side * 0.95, -0.92),
        ];
        for k in 0..5 {
            let t = k as f32 / 4.0;
            let (x, y) = (0.95 - 0.7 * t, -0.92 + 0.95 * t);
            pts.push((side * x, y));
            pts.push((side * (x - 0.05), y + 0.05));
        }
        pts.push((side * 0.18, 0.1));
        let p = poly(&pts);
        fill(pm, p.clone(), gold);
        outline(pm, p);
    }
    // Tail: a fan of feathers.
    let tail = poly(&[
        (-0.1, 0.3),
        (-0.35, 0.72),
        (-0.12, 0.66),
        (0.0, 0.75),
        (0.12, 0.66),
        (0.35, 0.72),
        (0.1, 0.3),
    ]);
    fill(pm, tail.clone(), gold);
    outline(pm, tail);
    // Body.
    let body = poly(&[
        (-0.22, -0.35),
        (0.22, -0.35),
        (0.27, 0.1),
        (0.15, 0.4),
        (-0.15, 0.4),
        (-0.27, 0.1),
    ]);
    fill(pm, body.clone(), gold);
    outline(pm, body);
    // Head turned to the viewer's left, with a beak.
    let turn = if rng.gen_bool(0.8) { -1.0 } else { 1.0 };
    let head = PathBuilder::from_circle(cx + turn * 0.05 * s, cy - 0.5 * s, 0.14 * s);
    fill(pm, head.clone(), gold);
    outline(pm, head);
    fill(
        pm,
        poly(&[
            (turn * 0.15, -0.55),
            (turn * 0.3, -0.47),
            (turn * 0.15, -0.43),
        ]),
        dark,
    );
    // Shield: red, white, black bands, pointed at the bottom.
    let bands = [
        rgba(190, 50, 50, 0.75),
        rgba(250, 250, 250, 0.85),
        rgba(30, 30, 30, 0.75),
    ];
    for (i, c) in bands.iter().enumerate() {
        let (y0, y1) = (-0.22 + i as f32 * 0.14, -0.08 + i as f32 * 0.14);
        let pts = if i == 2 {
            vec![
                (-0.15, y0),
                (0.15, y0),
                (0.15, y1),
                (0.0, y1 + 0.1),
                (-0.15, y1),
            ]
        } else {
            vec![(-0.15, y0), (0.15, y0), (0.15, y1), (-0.15, y1)]
        };
        fill(pm, poly(&pts), *c);
    }
    // Scroll under the talons.
    let scroll = poly(&[
        (-0.55, 0.78),
        (0.55, 0.78),
        (0.62, 0.86),
        (0.55, 0.94),
        (-0.55, 0.94),
        (-0.62, 0.86),
    ]);
    fill(pm, scroll.clone(), gold);
    outline(pm, scroll);
}

/// A PDF417-like block: start pattern, rows of 17-module codewords, stop pattern.
pub fn paint_barcode<R: Rng>(pm: &mut Pixmap, dx: f32, dy: f32, rng: &mut R) {
    let (w, h) = (pm.width() as f32, pm.height() as f32);
    let r = frac_rect(w, h, BARCODE);
    let cols = rng.gen_range(6..=10);
    let rows = rng.gen_range(10..=18);
    // start (17) + left indicator + data + right indicator + stop (18)
    let modules = 17 + 17 * (cols + 2) + 18;
    let mw = r.width() / modules as f32;
    let rh = r.height() / rows as f32;
    let ink = rgba(20, 20, 25, rng.gen_range(0.85..1.0));
    let p = paint(ink);
    for row in 0..rows {
        let y = r.y() + dy + row as f32 * rh;
        let mut pattern: Vec<u8> = vec![8, 1, 1, 1, 1, 1, 1, 3];
        for _ in 0..cols + 2 {
            pattern.extend(codeword(rng));
        }
        pattern.extend([7, 1, 1, 3, 1, 1, 1, 2, 1]);
        let mut x = r.x() + dx;
        for (i, &m) in pattern.iter().enumerate() {
            let bw = m as f32 * mw;
            if i % 2 == 0 {
                if let Some(b) = Rect::from_xywh(x, y, bw, rh + 0.5) {
                    pm.fill_rect(b, &p, Transform::identity(), None);
                }
            }
            x += bw;
        }
    }
}

/// Four bars and four spaces, each 1-6 modules, 17 modules in all (a PDF417 codeword).
fn codeword<R: Rng>(rng: &mut R) -> [u8; 8] {
    let mut w = [1u8; 8];
    let mut left = 17 - 8;
    while left > 0 {
        let i = rng.gen_range(0..8);
        if w[i] < 6 {
            w[i] += 1;
            left -= 1;
        }
    }
    w
}
