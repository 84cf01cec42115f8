//! Turns a coverage map into a captured-looking RGB line: paper with a faint security pattern,
//! coloured ink, rotation, blur, noise and JPEG, the degradations real card captures show.

use image::{ImageBuffer, Rgb, RgbImage};

use crate::canvas::Canvas;
use crate::rng::Rng;

/// A faint pattern behind the text, like the card's guilloche print.
#[derive(Clone, Debug)]
pub enum Stroke {
    /// y = y0 + amp * sin(x * freq + phase) + slope * x, all in pixels.
    Wave {
        y0: f32,
        amp: f32,
        freq: f32,
        phase: f32,
        slope: f32,
        width: f32,
        shade: [f32; 3],
    },
}

#[derive(Clone, Debug)]
pub struct Look {
    pub paper: [f32; 3],
    /// Paper colour change across the line (added at the right edge, linear).
    pub gradient: [f32; 3],
    pub ink: [f32; 3],
    /// Coverage exponent: below 1 darkens anti-aliased edges (heavier look), above 1 lightens.
    pub gamma: f32,
    pub strokes: Vec<Stroke>,
    pub rotate_deg: f32,
    pub blur_sigma: f32,
    pub noise_sigma: f32,
    pub jpeg_quality: Option<u8>,
}

impl Look {
    /// Black on white, nothing else: the clean evaluation look.
    pub fn clean() -> Self {
        Look {
            paper: [255.0; 3],
            gradient: [0.0; 3],
            ink: [0.0; 3],
            gamma: 1.0,
            strokes: Vec::new(),
            rotate_deg: 0.0,
            blur_sigma: 0.0,
            noise_sigma: 0.0,
            jpeg_quality: None,
        }
    }

    /// A random capture look for training and validation lines.
    pub fn random(rng: &mut Rng, w: usize, h: usize) -> Self {
        let low_contrast = rng.chance(0.2);
        let base = if low_contrast {
            rng.range(150.0, 225.0)
        } else {
            rng.range(195.0, 255.0)
        };
        let tint = |rng: &mut Rng, amt: f32| rng.range(-amt, amt);
        let paper = [
            base + tint(rng, 15.0),
            base + tint(rng, 15.0),
            base + tint(rng, 15.0),
        ];
        // Ink: black, grey, dark blue, dark green, brown; low contrast lifts it towards paper.
        let inks: [[f32; 3]; 5] = [
            [10.0, 10.0, 10.0],
            [60.0, 60.0, 65.0],
            [20.0, 30.0, 90.0],
            [20.0, 60.0, 35.0],
            [70.0, 45.0, 30.0],
        ];
        let mut ink = *rng.pick(&inks);
        let lift = if low_contrast {
            rng.range(40.0, 100.0)
        } else {
            rng.range(0.0, 40.0)
        };
        for c in &mut ink {
            *c = (*c + lift + rng.range(-10.0, 10.0))
                .min(base - 45.0)
                .max(0.0);
        }
        let gradient = if rng.chance(0.5) {
            let g = rng.range(-40.0, 40.0);
            [g + tint(rng, 8.0), g + tint(rng, 8.0), g + tint(rng, 8.0)]
        } else {
            [0.0; 3]
        };
        let mut strokes = Vec::new();
        if rng.chance(0.6) {
            for _ in 0..rng.int(1, 8) {
                let d = rng.range(15.0, 70.0) * if rng.chance(0.7) { -1.0 } else { 1.0 };
                strokes.push(Stroke::Wave {
                    y0: rng.range(0.0, h as f32),
                    amp: if rng.chance(0.3) {
                        0.0
                    } else {
                        rng.range(0.5, h as f32 * 0.5)
                    },
                    freq: rng.range(0.01, 0.25),
                    phase: rng.range(0.0, 6.3),
                    slope: rng.range(-0.3, 0.3) * h as f32 / w.max(1) as f32,
                    width: rng.range(0.4, 2.0),
                    shade: [
                        d + tint(rng, 10.0),
                        d + tint(rng, 10.0),
                        d + tint(rng, 10.0),
                    ],
                });
            }
        }
        Look {
            paper,
            gradient,
            ink,
            gamma: rng.range(0.7, 1.4),
            strokes,
            rotate_deg: if rng.chance(0.5) {
                rng.range(-1.5, 1.5)
            } else {
                0.0
            },
            blur_sigma: if rng.chance(0.6) {
                rng.range(0.3, 1.5)
            } else {
                0.0
            },
            noise_sigma: if rng.chance(0.5) {
                rng.range(1.0, 14.0)
            } else {
                0.0
            },
            jpeg_quality: rng.chance(0.6).then(|| rng.int(35, 95) as u8),
        }
    }
}

fn gaussian_blur(img: &mut [f32], w: usize, h: usize, sigma: f32) {
    if sigma <= 0.05 {
        return;
    }
    let r = (sigma * 3.0).ceil() as i64;
    let k: Vec<f32> = (-r..=r)
        .map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp())
        .collect();
    let sum: f32 = k.iter().sum();
    let k: Vec<f32> = k.iter().map(|v| v / sum).collect();
    let clamp = |v: i64, n: usize| v.clamp(0, n as i64 - 1) as usize;
    let mut tmp = vec![0.0; img.len()];
    for y in 0..h {
        for x in 0..w {
            for c in 0..3 {
                tmp[(y * w + x) * 3 + c] = k
                    .iter()
                    .enumerate()
                    .map(|(i, kv)| kv * img[(y * w + clamp(x as i64 + i as i64 - r, w)) * 3 + c])
                    .sum();
            }
        }
    }
    for y in 0..h {
        for x in 0..w {
            for c in 0..3 {
                img[(y * w + x) * 3 + c] = k
                    .iter()
                    .enumerate()
                    .map(|(i, kv)| kv * tmp[(clamp(y as i64 + i as i64 - r, h) * w + x) * 3 + c])
                    .sum();
            }
        }
    }
}

fn jpeg_roundtrip(img: RgbImage, quality: u8) -> RgbImage {
    let mut buf = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, quality);
    if img.write_with_encoder(enc).is_err() {
        return img;
    }
    image::load_from_memory_with_format(&buf, image::ImageFormat::Jpeg)
        .map(|d| d.to_rgb8())
        .unwrap_or(img)
}

/// Composes the line: `cov` is the text coverage at final size.
pub fn apply(cov: &Canvas, look: &Look, rng: &mut Rng) -> RgbImage {
    let cov = if look.rotate_deg != 0.0 {
        cov.rotate(look.rotate_deg)
    } else {
        cov.clone()
    };
    let (w, h) = (cov.w, cov.h);
    let mut img = vec![0.0f32; w * h * 3];
    for y in 0..h {
        for x in 0..w {
            let t = x as f32 / w.max(1) as f32;
            let mut bg: [f32; 3] = std::array::from_fn(|c| look.paper[c] + look.gradient[c] * t);
            for s in &look.strokes {
                let Stroke::Wave {
                    y0,
                    amp,
                    freq,
                    phase,
                    slope,
                    width,
                    shade,
                } = s;
                let yc = y0 + amp * (x as f32 * freq + phase).sin() + slope * x as f32;
                let d = (y as f32 - yc).abs();
                let a = (1.0 - (d - width / 2.0).max(0.0)).clamp(0.0, 1.0);
                for c in 0..3 {
                    bg[c] += shade[c] * a;
                }
            }
            let a = cov.get(x, y).clamp(0.0, 1.0).powf(look.gamma);
            for c in 0..3 {
                img[(y * w + x) * 3 + c] = bg[c] * (1.0 - a) + look.ink[c] * a;
            }
        }
    }
    gaussian_blur(&mut img, w, h, look.blur_sigma);
    if look.noise_sigma > 0.0 {
        for v in img.iter_mut() {
            *v += rng.gauss() * look.noise_sigma;
        }
    }
    let out: RgbImage = ImageBuffer::from_fn(w as u32, h as u32, |x, y| {
        let i = (y as usize * w + x as usize) * 3;
        Rgb([0, 1, 2].map(|c| img[i + c].round().clamp(0.0, 255.0) as u8))
    });
    match look.jpeg_quality {
        Some(q) => jpeg_roundtrip(out, q),
        None => out,
    }
}
