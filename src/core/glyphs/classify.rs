//! Naming one glyph: a fixed-size picture of it plus where it sits in the line, fed to a
//! one-hidden-layer perceptron.
//!
//! The picture alone cannot tell the zero (a small diamond at mid-height) from a five or a
//! blot, nor a slash from a slanted one, once both are scaled to fill the square: the
//! glyph's height, width and vertical place relative to the line's digits go in too.

use std::io::{self, Read, Write};

use super::segment::{Glyph, Segmentation};

/// The classes, in the model's output order: the ten Arabic-Indic digits, then '/'.
pub const CLASSES: [char; 11] = ['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩', '/'];
/// Side of the square glyph picture, pixels.
pub const SIDE: usize = 20;
/// Geometry features appended to the picture.
pub const GEOMETRY: usize = 6;
/// Length of a feature vector.
pub const INPUTS: usize = SIDE * SIDE + GEOMETRY;

/// The feature vector of glyph `index` of a segmented line.
pub fn features(seg: &Segmentation, index: usize) -> Vec<f32> {
    let g = &seg.glyphs[index];
    let mut out = picture(seg, g);
    let hh = seg.digit_height.max(1.0);
    let (band_top, band_bot) = seg.band;
    let cy = g.top as f32 + g.height as f32 / 2.0;
    let geo = [
        g.height as f32 / hh,
        g.width as f32 / hh,
        (cy - (band_top + band_bot) / 2.0) / hh,
        (g.top as f32 - band_top) / hh,
        (g.bottom() as f32 - band_bot) / hh,
        g.width as f32 / g.height.max(1) as f32,
    ];
    out.extend(geo.iter().map(|v| v.clamp(-3.0, 3.0)));
    out
}

/// The glyph's ink, cropped to its box, scaled (aspect kept) to fit a `SIDE` square and
/// centred. Ink of other glyphs reaching into the box is masked out.
fn picture(seg: &Segmentation, g: &Glyph) -> Vec<f32> {
    let (bw, bh) = (g.width as usize, g.height as usize);
    let mut patch = vec![0.0f32; bw * bh];
    for y in 0..bh {
        for x in 0..bw {
            let i = (g.top as usize + y) * seg.width as usize + g.left as usize + x;
            let l = seg.labels[i];
            // Own components at full ink; unlabelled pixels keep their (anti-aliased) edge
            // ink; another glyph's pixels are blanked.
            patch[y * bw + x] = if l == 0 || g.parts.contains(&l) {
                seg.ink[i]
            } else {
                0.0
            };
        }
    }
    let at = |x: f32, y: f32| -> f32 {
        // Bilinear, zero outside the patch.
        let x0 = x.floor();
        let y0 = y.floor();
        let (fx, fy) = (x - x0, y - y0);
        let get = |xi: f32, yi: f32| -> f32 {
            if xi < 0.0 || yi < 0.0 || xi >= bw as f32 || yi >= bh as f32 {
                0.0
            } else {
                patch[yi as usize * bw + xi as usize]
            }
        };
        get(x0, y0) * (1.0 - fx) * (1.0 - fy)
            + get(x0 + 1.0, y0) * fx * (1.0 - fy)
            + get(x0, y0 + 1.0) * (1.0 - fx) * fy
            + get(x0 + 1.0, y0 + 1.0) * fx * fy
    };
    let longest = bw.max(bh).max(1) as f32;
    let scale = (SIDE as f32 - 2.0) / longest; // target pixels per source pixel
    let ox = (SIDE as f32 - bw as f32 * scale) / 2.0;
    let oy = (SIDE as f32 - bh as f32 * scale) / 2.0;
    // Shrinking averages several samples per target pixel, so thin strokes do not vanish.
    let k = ((1.0 / scale).ceil() as usize).clamp(1, 4);
    let mut out = vec![0.0f32; SIDE * SIDE];
    for ty in 0..SIDE {
        for tx in 0..SIDE {
            let mut acc = 0.0;
            for sy in 0..k {
                for sx in 0..k {
                    let px = tx as f32 + (sx as f32 + 0.5) / k as f32;
                    let py = ty as f32 + (sy as f32 + 0.5) / k as f32;
                    acc += at((px - ox) / scale - 0.5, (py - oy) / scale - 0.5);
                }
            }
            out[ty * SIDE + tx] = acc / (k * k) as f32;
        }
    }
    out
}

/// A perceptron with one ReLU hidden layer and a softmax output.
#[derive(Debug, Clone)]
pub struct Mlp {
    pub inputs: usize,
    pub hidden: usize,
    pub outputs: usize,
    /// `hidden x inputs`, row-major.
    pub w1: Vec<f32>,
    pub b1: Vec<f32>,
    /// `outputs x hidden`, row-major.
    pub w2: Vec<f32>,
    pub b2: Vec<f32>,
}

/// The model file's first bytes; the version is in the name so an old file fails loudly.
pub const MAGIC: &[u8; 8] = b"IDGLYPH1";

impl Mlp {
    /// Hidden activations (after ReLU) and output probabilities.
    pub fn forward(&self, x: &[f32]) -> (Vec<f32>, Vec<f32>) {
        let mut h = self.b1.clone();
        for (j, hj) in h.iter_mut().enumerate() {
            let row = &self.w1[j * self.inputs..(j + 1) * self.inputs];
            *hj += dot(row, x);
            *hj = hj.max(0.0);
        }
        let mut o = self.b2.clone();
        for (k, ok) in o.iter_mut().enumerate() {
            let row = &self.w2[k * self.hidden..(k + 1) * self.hidden];
            *ok += dot(row, &h);
        }
        softmax(&mut o);
        (h, o)
    }

    /// Writes the model file: magic, then `inputs hidden outputs` as little-endian u32,
    /// then `w1 b1 w2 b2` as little-endian f32.
    pub fn write_to(&self, mut w: impl Write) -> io::Result<()> {
        w.write_all(MAGIC)?;
        for n in [self.inputs, self.hidden, self.outputs] {
            w.write_all(&(n as u32).to_le_bytes())?;
        }
        for v in [&self.w1, &self.b1, &self.w2, &self.b2] {
            for x in v.iter() {
                w.write_all(&x.to_le_bytes())?;
            }
        }
        Ok(())
    }

    /// Reads a model file written by [`Mlp::write_to`], checking its shape.
    pub fn read_from(mut r: impl Read) -> Result<Self, ModelError> {
        let mut magic = [0u8; 8];
        r.read_exact(&mut magic)?;
        if &magic != MAGIC {
            return Err(ModelError::Format("not a glyph model (bad magic)"));
        }
        let mut dims = [0usize; 3];
        for d in &mut dims {
            let mut b = [0u8; 4];
            r.read_exact(&mut b)?;
            *d = u32::from_le_bytes(b) as usize;
        }
        let [inputs, hidden, outputs] = dims;
        if inputs != INPUTS || outputs != CLASSES.len() || hidden == 0 || hidden > 4096 {
            return Err(ModelError::Format(
                "glyph model shape does not match this reader",
            ));
        }
        let mut read = |n: usize| -> io::Result<Vec<f32>> {
            let mut bytes = vec![0u8; n * 4];
            r.read_exact(&mut bytes)?;
            Ok(bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect())
        };
        Ok(Mlp {
            inputs,
            hidden,
            outputs,
            w1: read(hidden * inputs)?,
            b1: read(hidden)?,
            w2: read(outputs * hidden)?,
            b2: read(outputs)?,
        })
    }
}

/// A dot product in eight independent lanes, which the compiler turns into SIMD (a
/// single running sum must stay sequential).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let ca = a.chunks_exact(8);
    let cb = b.chunks_exact(8);
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// In place, numerically stable.
pub fn softmax(v: &mut [f32]) {
    let m = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut s = 0.0;
    for x in v.iter_mut() {
        *x = (*x - m).exp();
        s += *x;
    }
    for x in v.iter_mut() {
        *x /= s;
    }
}

/// Why a model file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot read the glyph model: {0}")]
    Io(#[from] io::Error),
    #[error("{0}")]
    Format(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_round_trips() {
        let m = Mlp {
            inputs: INPUTS,
            hidden: 3,
            outputs: CLASSES.len(),
            w1: (0..3 * INPUTS).map(|i| i as f32 * 1e-3).collect(),
            b1: vec![0.1, 0.2, 0.3],
            w2: (0..3 * CLASSES.len()).map(|i| i as f32).collect(),
            b2: vec![0.5; CLASSES.len()],
        };
        let mut bytes = Vec::new();
        m.write_to(&mut bytes).unwrap();
        let back = Mlp::read_from(&bytes[..]).unwrap();
        assert_eq!(back.w1, m.w1);
        assert_eq!(back.b2, m.b2);
        let (_, p) = back.forward(&vec![0.5; INPUTS]);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        assert!(Mlp::read_from(&b"IDGLYPH0xxxx"[..]).is_err());
    }
}
