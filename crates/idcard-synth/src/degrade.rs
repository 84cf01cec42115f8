//! What the camera or the scanner adds: surfaces under the card, uneven light, glare, blur
//! and sensor noise. Everything is seeded from the card's own generator.

use image::{Rgb, RgbImage};
use rand::Rng;

/// A smooth random field in [0, 1]: a coarse random grid, bilinearly interpolated.
struct Smooth {
    gw: usize,
    gh: usize,
    v: Vec<f32>,
    sx: f32,
    sy: f32,
}

impl Smooth {
    fn new<R: Rng>(rng: &mut R, w: u32, h: u32, cells: usize) -> Smooth {
        let gw = cells + 2;
        let gh = (cells * h as usize / w.max(1) as usize).max(1) + 2;
        let v = (0..gw * gh).map(|_| rng.gen::<f32>()).collect();
        Smooth {
            gw,
            gh,
            v,
            sx: (gw - 2) as f32 / w as f32,
            sy: (gh - 2) as f32 / h as f32,
        }
    }

    fn at(&self, x: f32, y: f32) -> f32 {
        let (gx, gy) = (x * self.sx, y * self.sy);
        let (x0, y0) = (gx as usize, gy as usize);
        let (x0, y0) = (x0.min(self.gw - 2), y0.min(self.gh - 2));
        let (fx, fy) = (gx - x0 as f32, gy - y0 as f32);
        // Smoothstep hides the grid.
        let (fx, fy) = (fx * fx * (3.0 - 2.0 * fx), fy * fy * (3.0 - 2.0 * fy));
        let g = |i: usize, j: usize| self.v[j * self.gw + i];
        let top = g(x0, y0) + (g(x0 + 1, y0) - g(x0, y0)) * fx;
        let bot = g(x0, y0 + 1) + (g(x0 + 1, y0 + 1) - g(x0, y0 + 1)) * fx;
        top + (bot - top) * fy
    }
}

/// Surfaces a card is photographed on.
pub const SURFACES: &[&str] = &["wood", "cloth", "hand", "desk", "paper"];

fn clamp8(v: f32) -> u8 {
    v.round().clamp(0.0, 255.0) as u8
}

/// Fills a frame with a textured surface.
pub fn surface<R: Rng>(rng: &mut R, w: u32, h: u32, kind: &str) -> RgbImage {
    let coarse = Smooth::new(rng, w, h, 6);
    let fine = Smooth::new(rng, w, h, 40);
    let mut img = RgbImage::new(w, h);
    match kind {
        "wood" => {
            let base = [
                rng.gen_range(110.0..170.0),
                rng.gen_range(70.0..110.0),
                rng.gen_range(35.0..70.0),
            ];
            let freq = rng.gen_range(0.02..0.06);
            let warp = rng.gen_range(10.0..40.0);
            let vertical = rng.gen_bool(0.5);
            for (x, y, p) in img.enumerate_pixels_mut() {
                let (xf, yf) = (x as f32, y as f32);
                let along = if vertical { xf } else { yf };
                let grain = ((along + warp * coarse.at(xf, yf) * 6.0) * freq).sin();
                let k = 0.85 + 0.1 * grain + 0.15 * (fine.at(xf, yf) - 0.5);
                *p = Rgb(base.map(|c| clamp8(c * k)));
            }
        }
        "cloth" => {
            let base = [
                rng.gen_range(40.0..200.0),
                rng.gen_range(40.0..200.0),
                rng.gen_range(40.0..200.0),
            ];
            let period = rng.gen_range(3.0..7.0);
            for (x, y, p) in img.enumerate_pixels_mut() {
                let (xf, yf) = (x as f32, y as f32);
                let weave = (xf / period * std::f32::consts::PI).sin()
                    * (yf / period * std::f32::consts::PI).sin();
                let k = 0.9 + 0.06 * weave + 0.2 * (coarse.at(xf, yf) - 0.5);
                *p = Rgb(base.map(|c| clamp8(c * k)));
            }
        }
        "hand" => {
            // Skin tones: the card held in a hand fills the frame with skin and shadow.
            let base = [
                rng.gen_range(150.0..225.0),
                rng.gen_range(100.0..170.0),
                rng.gen_range(80.0..140.0),
            ];
            for (x, y, p) in img.enumerate_pixels_mut() {
                let (xf, yf) = (x as f32, y as f32);
                let k = 0.7 + 0.45 * coarse.at(xf, yf) + 0.05 * (fine.at(xf, yf) - 0.5);
                *p = Rgb(base.map(|c| clamp8(c * k)));
            }
        }
        "paper" => {
            let v = rng.gen_range(200.0..245.0);
            for (x, y, p) in img.enumerate_pixels_mut() {
                let (xf, yf) = (x as f32, y as f32);
                let k = 0.93 + 0.07 * coarse.at(xf, yf) + 0.03 * (fine.at(xf, yf) - 0.5);
                *p = Rgb([clamp8(v * k), clamp8(v * k), clamp8(v * k * 0.97)]);
            }
        }
        _ => {
            // "desk": a plain laminate, grey to dark.
            let v = rng.gen_range(40.0..160.0);
            let tint = [
                rng.gen_range(0.9..1.1),
                rng.gen_range(0.9..1.1),
                rng.gen_range(0.9..1.1),
            ];
            for (x, y, p) in img.enumerate_pixels_mut() {
                let (xf, yf) = (x as f32, y as f32);
                let k = 0.85 + 0.25 * coarse.at(xf, yf) + 0.06 * (fine.at(xf, yf) - 0.5);
                *p = Rgb(tint.map(|t| clamp8(v * k * t)));
            }
        }
    }
    img
}

/// A flatbed scanner's empty glass: near white, very faint unevenness.
pub fn scanner_white<R: Rng>(rng: &mut R, w: u32, h: u32) -> RgbImage {
    let coarse = Smooth::new(rng, w, h, 4);
    let v = rng.gen_range(238.0..254.0);
    let mut img = RgbImage::new(w, h);
    for (x, y, p) in img.enumerate_pixels_mut() {
        let k = 0.985 + 0.015 * coarse.at(x as f32, y as f32);
        *p = Rgb([clamp8(v * k), clamp8(v * k), clamp8(v * k)]);
    }
    img
}

/// Multiplies the frame by a linear light gradient and a vignette.
pub fn lighting<R: Rng>(img: &mut RgbImage, rng: &mut R, strength: f32) {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let a: f32 = rng.gen_range(0.0..std::f32::consts::TAU);
    let (dx, dy) = (a.cos(), a.sin());
    let lo = 1.0 - strength * rng.gen_range(0.3..1.0);
    let hi = 1.0 + strength * rng.gen_range(0.0..0.4);
    let vignette = strength * rng.gen_range(0.0..0.5);
    let warm = [
        1.0 + rng.gen_range(-0.04..0.06),
        1.0,
        1.0 + rng.gen_range(-0.08..0.03),
    ];
    for (x, y, p) in img.enumerate_pixels_mut() {
        let (u, v) = (x as f32 / w - 0.5, y as f32 / h - 0.5);
        let t = (u * dx + v * dy) / 0.71 * 0.5 + 0.5;
        let r2 = (u * u + v * v) * 2.0;
        let k = (lo + (hi - lo) * t) * (1.0 - vignette * r2);
        for c in 0..3 {
            p.0[c] = clamp8(p.0[c] as f32 * k * warm[c]);
        }
    }
}

/// Adds an elliptical specular glare spot centred at `c` (pixels).
pub fn glare<R: Rng>(img: &mut RgbImage, rng: &mut R, c: (f32, f32), radius: f32) {
    let strength = rng.gen_range(0.45..0.95);
    let (rx, ry) = (radius, radius * rng.gen_range(0.4..1.0));
    let rot: f32 = rng.gen_range(0.0..std::f32::consts::PI);
    let (cs, sn) = (rot.cos(), rot.sin());
    let (w, h) = (img.width() as i64, img.height() as i64);
    let reach = (rx.max(ry) * 3.0) as i64;
    for y in (c.1 as i64 - reach).max(0)..(c.1 as i64 + reach).min(h) {
        for x in (c.0 as i64 - reach).max(0)..(c.0 as i64 + reach).min(w) {
            let (dx, dy) = (x as f32 - c.0, y as f32 - c.1);
            let (u, v) = ((dx * cs + dy * sn) / rx, (-dx * sn + dy * cs) / ry);
            let g = strength * (-(u * u + v * v) / 2.0).exp();
            if g < 0.004 {
                continue;
            }
            let p = img.get_pixel_mut(x as u32, y as u32);
            for ch in 0..3 {
                let v = p.0[ch] as f32;
                p.0[ch] = clamp8(v + (255.0 - v) * g);
            }
        }
    }
}

/// Separable Gaussian blur.
pub fn blur(img: &mut RgbImage, sigma: f32) {
    if sigma < 0.2 {
        return;
    }
    let r = (sigma * 3.0).ceil() as i64;
    let kernel: Vec<f32> = (-r..=r)
        .map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp())
        .collect();
    let sum: f32 = kernel.iter().sum();
    let kernel: Vec<f32> = kernel.iter().map(|k| k / sum).collect();
    let (w, h) = (img.width() as i64, img.height() as i64);
    let src: Vec<f32> = img.as_raw().iter().map(|&v| v as f32).collect();
    let mut tmp = vec![0.0f32; src.len()];
    for y in 0..h {
        for x in 0..w {
            let mut acc = [0.0f32; 3];
            for (k, kv) in kernel.iter().enumerate() {
                let xx = (x + k as i64 - r).clamp(0, w - 1);
                let o = ((y * w + xx) * 3) as usize;
                for c in 0..3 {
                    acc[c] += src[o + c] * kv;
                }
            }
            let o = ((y * w + x) * 3) as usize;
            tmp[o..o + 3].copy_from_slice(&acc);
        }
    }
    let out = img.as_mut();
    for y in 0..h {
        for x in 0..w {
            let mut acc = [0.0f32; 3];
            for (k, kv) in kernel.iter().enumerate() {
                let yy = (y + k as i64 - r).clamp(0, h - 1);
                let o = ((yy * w + x) * 3) as usize;
                for c in 0..3 {
                    acc[c] += tmp[o + c] * kv;
                }
            }
            let o = ((y * w + x) * 3) as usize;
            for c in 0..3 {
                out[o + c] = clamp8(acc[c]);
            }
        }
    }
}

/// Sensor noise: a shared luminance part plus a weaker per-channel part, roughly Gaussian
/// (sum of four uniform bytes), `sigma` in grey levels.
pub fn noise<R: Rng>(img: &mut RgbImage, rng: &mut R, sigma: f32) {
    if sigma <= 0.0 {
        return;
    }
    let gauss = |rng: &mut R| -> f32 {
        let u: u32 = rng.gen();
        let s = (u & 0xff) + ((u >> 8) & 0xff) + ((u >> 16) & 0xff) + (u >> 24);
        (s as f32 - 510.0) / 147.8
    };
    for p in img.pixels_mut() {
        let l = gauss(rng) * sigma;
        for c in 0..3 {
            let n = l + gauss(rng) * sigma * 0.4;
            p.0[c] = clamp8(p.0[c] as f32 + n);
        }
    }
}

/// A soft shadow under a convex quad (the card lifted slightly off the surface): darkening
/// that fades over `radius` pixels around the quad moved by `offset`.
pub fn shadow(img: &mut RgbImage, quad: [(f64, f64); 4], offset: (f64, f64), radius: f64, k: f32) {
    let q = quad.map(|(x, y)| (x + offset.0, y + offset.1));
    let cx = q.iter().map(|p| p.0).sum::<f64>() / 4.0;
    let cy = q.iter().map(|p| p.1).sum::<f64>() / 4.0;
    // Unit edge normals pointing inwards (checked against the centroid).
    let edges: Vec<(f64, f64, f64)> = (0..4)
        .map(|i| {
            let (a, b) = (q[i], q[(i + 1) % 4]);
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let len = (dx * dx + dy * dy).sqrt().max(1e-9);
            let (mut nx, mut ny) = (-dy / len, dx / len);
            if (cx - a.0) * nx + (cy - a.1) * ny < 0.0 {
                nx = -nx;
                ny = -ny;
            }
            (nx, ny, -(a.0 * nx + a.1 * ny))
        })
        .collect();
    let (w, h) = (img.width() as i64, img.height() as i64);
    let x0 = (q.iter().map(|p| p.0).fold(f64::MAX, f64::min) - radius).max(0.0) as i64;
    let x1 = (q.iter().map(|p| p.0).fold(f64::MIN, f64::max) + radius).min(w as f64) as i64;
    let y0 = (q.iter().map(|p| p.1).fold(f64::MAX, f64::min) - radius).max(0.0) as i64;
    let y1 = (q.iter().map(|p| p.1).fold(f64::MIN, f64::max) + radius).min(h as f64) as i64;
    for y in y0..y1 {
        for x in x0..x1 {
            let (px, py) = (x as f64 + 0.5, y as f64 + 0.5);
            let d = edges
                .iter()
                .map(|(nx, ny, c)| px * nx + py * ny + c)
                .fold(f64::MAX, f64::min);
            let t = ((d + radius) / (2.0 * radius)).clamp(0.0, 1.0) as f32;
            let a = k * t * t * (3.0 - 2.0 * t);
            if a <= 0.0 {
                continue;
            }
            let p = img.get_pixel_mut(x as u32, y as u32);
            for c in 0..3 {
                p.0[c] = clamp8(p.0[c] as f32 * (1.0 - a));
            }
        }
    }
}

/// Many office scanners deliver grey images: BT.601 luma in all three channels.
pub fn grayscale(img: &mut RgbImage) {
    for p in img.pixels_mut() {
        let [r, g, b] = p.0;
        let y = clamp8(0.299 * r as f32 + 0.587 * g as f32 + 0.114 * b as f32);
        p.0 = [y, y, y];
    }
}

/// The laminate's holographic sheen, seen in photos under a lamp: a soft diagonal band of
/// shifting hue over the card (premultiplied RGBA, only where the card is).
pub fn laminate_sheen<R: Rng>(card: &mut tiny_skia::Pixmap, rng: &mut R) {
    let (w, h) = (card.width() as f32, card.height() as f32);
    let a: f32 = rng.gen_range(0.3..1.2);
    let (dx, dy) = (a.cos(), a.sin());
    let centre = rng.gen_range(0.2..0.8);
    let width = rng.gen_range(0.08..0.25);
    let strength = rng.gen_range(0.06..0.2);
    let hue0 = rng.gen_range(0.0..std::f32::consts::TAU);
    let data = card.data_mut();
    for y in 0..h as usize {
        for x in 0..w as usize {
            let o = (y * w as usize + x) * 4;
            let alpha = data[o + 3] as f32;
            if alpha == 0.0 {
                continue;
            }
            let t = (x as f32 / w * dx + y as f32 / h * dy) / (dx + dy);
            let g = strength * (-((t - centre) / width).powi(2)).exp();
            if g < 0.003 {
                continue;
            }
            let hue = hue0 + t * 12.0;
            for c in 0..3 {
                let tint = 0.5 + 0.5 * (hue + c as f32 * 2.094).cos();
                let v = data[o + c] as f32;
                data[o + c] = (v + (alpha * tint - v) * g).round().clamp(0.0, alpha) as u8;
            }
        }
    }
}
