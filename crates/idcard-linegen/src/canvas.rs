//! A float coverage map (0 = paper, 1 = full ink) and the few operations the renderer needs.

#[derive(Clone, Debug)]
pub struct Canvas {
    pub w: usize,
    pub h: usize,
    pub px: Vec<f32>,
}

impl Canvas {
    pub fn new(w: usize, h: usize) -> Self {
        Canvas {
            w,
            h,
            px: vec![0.0; w * h],
        }
    }

    pub fn get(&self, x: usize, y: usize) -> f32 {
        self.px[y * self.w + x]
    }

    /// Adds ink, keeping the maximum so overlapping glyphs do not get darker than full ink.
    pub fn ink(&mut self, x: i64, y: i64, c: f32) {
        if x >= 0 && y >= 0 && (x as usize) < self.w && (y as usize) < self.h {
            let p = &mut self.px[y as usize * self.w + x as usize];
            *p = p.max(c.clamp(0.0, 1.0));
        }
    }

    /// Bounding box (x0, y0, x1, y1), exclusive ends, of pixels above `t`.
    pub fn ink_bounds(&self, t: f32) -> Option<(usize, usize, usize, usize)> {
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        for y in 0..self.h {
            for x in 0..self.w {
                if self.get(x, y) > t {
                    x0 = x0.min(x);
                    y0 = y0.min(y);
                    x1 = x1.max(x + 1);
                    y1 = y1.max(y + 1);
                }
            }
        }
        (x0 != usize::MAX).then_some((x0, y0, x1, y1))
    }

    /// Grey-level dilation (r > 0) or erosion (r < 0) with a (2|r|+1)^2 square, separably.
    /// Real prints vary in stroke weight far more than fonts do: a thin face printed bold, a
    /// bold face worn thin.
    pub fn morph(&mut self, r: i64) {
        if r == 0 {
            return;
        }
        let grow = r > 0;
        let r = r.unsigned_abs() as usize;
        let pick = |a: f32, b: f32| if grow { a.max(b) } else { a.min(b) };
        let mut tmp = self.px.clone();
        for y in 0..self.h {
            for x in 0..self.w {
                let mut v = self.get(x, y);
                for xx in x.saturating_sub(r)..(x + r + 1).min(self.w) {
                    v = pick(v, self.get(xx, y));
                }
                tmp[y * self.w + x] = v;
            }
        }
        for y in 0..self.h {
            for x in 0..self.w {
                let mut v = tmp[y * self.w + x];
                for yy in y.saturating_sub(r)..(y + r + 1).min(self.h) {
                    v = pick(v, tmp[yy * self.w + x]);
                }
                self.px[y * self.w + x] = v;
            }
        }
    }

    /// A sub-rectangle, padded with paper where it leaves the canvas.
    pub fn crop(&self, x0: i64, y0: i64, w: usize, h: usize) -> Canvas {
        let mut out = Canvas::new(w, h);
        for y in 0..h {
            for x in 0..w {
                let (sx, sy) = (x0 + x as i64, y0 + y as i64);
                if sx >= 0 && sy >= 0 && (sx as usize) < self.w && (sy as usize) < self.h {
                    out.px[y * w + x] = self.get(sx as usize, sy as usize);
                }
            }
        }
        out
    }

    /// Area-averaging resize: each output pixel is the mean of the source area it covers, so
    /// downscaling from the high-resolution layout gives honest anti-aliasing.
    pub fn resize(&self, nw: usize, nh: usize) -> Canvas {
        let mut out = Canvas::new(nw, nh);
        let sx = self.w as f32 / nw as f32;
        let sy = self.h as f32 / nh as f32;
        for oy in 0..nh {
            let (fy0, fy1) = (oy as f32 * sy, (oy + 1) as f32 * sy);
            for ox in 0..nw {
                let (fx0, fx1) = (ox as f32 * sx, (ox + 1) as f32 * sx);
                let (mut acc, mut area) = (0.0, 0.0);
                let mut y = fy0.floor() as usize;
                while (y as f32) < fy1 && y < self.h {
                    let wy = (fy1.min(y as f32 + 1.0) - fy0.max(y as f32)).max(0.0);
                    let mut x = fx0.floor() as usize;
                    while (x as f32) < fx1 && x < self.w {
                        let wx = (fx1.min(x as f32 + 1.0) - fx0.max(x as f32)).max(0.0);
                        acc += self.get(x, y) * wx * wy;
                        area += wx * wy;
                        x += 1;
                    }
                    y += 1;
                }
                out.px[oy * nw + ox] = if area > 0.0 { acc / area } else { 0.0 };
            }
        }
        out
    }

    /// Bilinear sample, paper outside.
    pub fn sample(&self, x: f32, y: f32) -> f32 {
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = (x - x0, y - y0);
        let at = |xx: f32, yy: f32| {
            if xx < 0.0 || yy < 0.0 || xx >= self.w as f32 || yy >= self.h as f32 {
                0.0
            } else {
                self.get(xx as usize, yy as usize)
            }
        };
        let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1.0, y0) * fx;
        let bot = at(x0, y0 + 1.0) * (1.0 - fx) + at(x0 + 1.0, y0 + 1.0) * fx;
        top * (1.0 - fy) + bot * fy
    }

    /// Rotation about the centre by `deg` degrees (slightly skewed captures).
    pub fn rotate(&self, deg: f32) -> Canvas {
        let (s, c) = deg.to_radians().sin_cos();
        let (cx, cy) = (self.w as f32 / 2.0, self.h as f32 / 2.0);
        let mut out = Canvas::new(self.w, self.h);
        for y in 0..self.h {
            for x in 0..self.w {
                let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
                let sx = c * dx + s * dy + cx - 0.5;
                let sy = -s * dx + c * dy + cy - 0.5;
                out.px[y * self.w + x] = self.sample(sx, sy);
            }
        }
        out
    }

    /// Horizontal shear about row `y0`: a pixel `d` rows above it moves `k * d` to the right.
    pub fn shear(&self, k: f32, y0: f32) -> Canvas {
        let mut out = Canvas::new(self.w, self.h);
        for y in 0..self.h {
            let dx = k * (y0 - y as f32);
            for x in 0..self.w {
                out.px[y * self.w + x] = self.sample(x as f32 - dx, y as f32);
            }
        }
        out
    }

    /// Bilinear upscale to `nw` x `nh`.
    pub fn upscale(&self, nw: usize, nh: usize) -> Canvas {
        let mut out = Canvas::new(nw, nh);
        let (sx, sy) = (self.w as f32 / nw as f32, self.h as f32 / nh as f32);
        for y in 0..nh {
            for x in 0..nw {
                let fx = ((x as f32 + 0.5) * sx - 0.5).clamp(0.0, self.w as f32 - 1.0);
                let fy = ((y as f32 + 0.5) * sy - 0.5).clamp(0.0, self.h as f32 - 1.0);
                out.px[y * nw + x] = self.sample(fx, fy);
            }
        }
        out
    }
}
