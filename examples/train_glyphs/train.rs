//! Plain stochastic gradient descent for the glyph perceptron (one sample at a time: no
//! gradient buffers, and it converges well on a few hundred thousand glyphs on one core).

use idcard_ocr::core::glyphs::classify::{Mlp, CLASSES, INPUTS};
use rand::seq::SliceRandom;
use rand::Rng;

/// Labelled feature vectors, `INPUTS` floats each.
#[derive(Default)]
pub(crate) struct Samples {
    pub(crate) x: Vec<f32>,
    pub(crate) y: Vec<u8>,
}

impl Samples {
    pub(crate) fn len(&self) -> usize {
        self.y.len()
    }
    pub(crate) fn push(&mut self, x: &[f32], y: u8) {
        self.x.extend_from_slice(x);
        self.y.push(y);
    }
    pub(crate) fn row(&self, i: usize) -> &[f32] {
        &self.x[i * INPUTS..(i + 1) * INPUTS]
    }
}

/// He-initialised weights.
pub(crate) fn init<R: Rng>(hidden: usize, rng: &mut R) -> Mlp {
    let mut gauss = |scale: f32| {
        let u1: f32 = rng.gen_range(1e-6..1.0);
        let u2: f32 = rng.gen();
        (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos() * scale
    };
    let s1 = (2.0 / INPUTS as f32).sqrt();
    let s2 = (2.0 / hidden as f32).sqrt();
    Mlp {
        inputs: INPUTS,
        hidden,
        outputs: CLASSES.len(),
        w1: (0..hidden * INPUTS).map(|_| gauss(s1)).collect(),
        b1: vec![0.0; hidden],
        w2: (0..CLASSES.len() * hidden).map(|_| gauss(s2)).collect(),
        b2: vec![0.0; CLASSES.len()],
    }
}

/// Trains `m` for `epochs` passes, the learning rate decaying linearly to a tenth.
pub(crate) fn sgd<R: Rng>(m: &mut Mlp, data: &Samples, epochs: usize, lr0: f32, rng: &mut R) {
    let mut order: Vec<usize> = (0..data.len()).collect();
    let total = (epochs * data.len()) as f32;
    let mut step = 0usize;
    let mut dh = vec![0.0f32; m.hidden];
    for epoch in 0..epochs {
        order.shuffle(rng);
        let mut loss = 0.0f64;
        for &i in &order {
            let lr = lr0 * (1.0 - 0.9 * step as f32 / total);
            step += 1;
            let x = data.row(i);
            let (h, mut p) = m.forward(x);
            let y = data.y[i] as usize;
            loss -= (p[y].max(1e-7) as f64).ln();
            p[y] -= 1.0; // dL/dlogits
            for v in dh.iter_mut() {
                *v = 0.0;
            }
            for (k, &g) in p.iter().enumerate() {
                let row = &mut m.w2[k * m.hidden..(k + 1) * m.hidden];
                for j in 0..m.hidden {
                    dh[j] += row[j] * g;
                    row[j] -= lr * g * h[j];
                }
                m.b2[k] -= lr * g;
            }
            for j in 0..m.hidden {
                if h[j] <= 0.0 || dh[j] == 0.0 {
                    continue;
                }
                let g = lr * dh[j];
                let row = &mut m.w1[j * INPUTS..(j + 1) * INPUTS];
                for (w, &v) in row.iter_mut().zip(x) {
                    *w -= g * v;
                }
                m.b1[j] -= g;
            }
        }
        eprintln!(
            "  epoch {}: mean loss {:.4}",
            epoch + 1,
            loss / data.len().max(1) as f64
        );
    }
}

/// Share of samples whose top class is right.
pub(crate) fn accuracy(m: &Mlp, data: &Samples) -> f32 {
    let ok = (0..data.len())
        .filter(|&i| {
            let (_, p) = m.forward(data.row(i));
            let best = (0..p.len())
                .max_by(|&a, &b| p[a].total_cmp(&p[b]))
                .unwrap_or(0);
            best == data.y[i] as usize
        })
        .count();
    ok as f32 / data.len().max(1) as f32
}
