//! Plane projective geometry: homographies from four point pairs and warping a rendered card
//! into a frame with bilinear sampling (the card is drawn at about its final size, so no
//! mip-mapping is needed).

use image::RgbImage;
use tiny_skia::Pixmap;

/// A 3x3 matrix, row major.
pub type Mat3 = [f64; 9];

pub type Pt = (f64, f64);

/// Applies `m` to a point.
pub fn apply(m: &Mat3, p: Pt) -> Pt {
    let w = m[6] * p.0 + m[7] * p.1 + m[8];
    (
        (m[0] * p.0 + m[1] * p.1 + m[2]) / w,
        (m[3] * p.0 + m[4] * p.1 + m[5]) / w,
    )
}

/// The homography mapping each `src[i]` to `dst[i]`.
pub fn homography(src: [Pt; 4], dst: [Pt; 4]) -> Mat3 {
    // Eight equations in h0..h7 with h8 = 1.
    let mut a = [[0.0f64; 9]; 8];
    for i in 0..4 {
        let (x, y) = src[i];
        let (u, v) = dst[i];
        a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
    }
    for col in 0..8 {
        let piv = (col..8)
            .max_by(|&p, &q| a[p][col].abs().total_cmp(&a[q][col].abs()))
            .expect("rows");
        a.swap(col, piv);
        let d = a[col][col];
        assert!(d.abs() > 1e-12, "degenerate quadrilateral");
        for k in col..9 {
            a[col][k] /= d;
        }
        for r in 0..8 {
            if r != col {
                let f = a[r][col];
                if f != 0.0 {
                    for k in col..9 {
                        a[r][k] -= f * a[col][k];
                    }
                }
            }
        }
    }
    let mut m = [0.0; 9];
    for i in 0..8 {
        m[i] = a[i][8];
    }
    m[8] = 1.0;
    m
}

/// Inverse of a 3x3 matrix.
pub fn invert(m: &Mat3) -> Mat3 {
    let [a, b, c, d, e, f, g, h, i] = *m;
    let co = [
        e * i - f * h,
        -(d * i - f * g),
        d * h - e * g,
        -(b * i - c * h),
        a * i - c * g,
        -(a * h - b * g),
        b * f - c * e,
        -(a * f - c * d),
        a * e - b * d,
    ];
    let det = a * co[0] + b * co[1] + c * co[2];
    assert!(det.abs() > 1e-18, "singular matrix");
    // Adjugate = transpose of the cofactor matrix.
    [
        co[0] / det,
        co[3] / det,
        co[6] / det,
        co[1] / det,
        co[4] / det,
        co[7] / det,
        co[2] / det,
        co[5] / det,
        co[8] / det,
    ]
}

/// The four corners of a `w` x `h` source, in card order (TL, TR, BR, BL).
pub fn rect_corners(w: f64, h: f64) -> [Pt; 4] {
    [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)]
}

/// Composites `src` (premultiplied RGBA) over `dst` through `fwd` (source -> frame pixels).
pub fn warp_over(dst: &mut RgbImage, src: &Pixmap, fwd: &Mat3) {
    let inv = invert(fwd);
    let (sw, sh) = (src.width() as i64, src.height() as i64);
    let corners = rect_corners(sw as f64, sh as f64).map(|p| apply(fwd, p));
    let (dw, dh) = (dst.width() as i64, dst.height() as i64);
    let minx = corners.iter().map(|p| p.0).fold(f64::MAX, f64::min).floor() as i64 - 1;
    let maxx = corners.iter().map(|p| p.0).fold(f64::MIN, f64::max).ceil() as i64 + 1;
    let miny = corners.iter().map(|p| p.1).fold(f64::MAX, f64::min).floor() as i64 - 1;
    let maxy = corners.iter().map(|p| p.1).fold(f64::MIN, f64::max).ceil() as i64 + 1;
    let data = src.data();
    let texel = |x: i64, y: i64| -> [f32; 4] {
        if x < 0 || y < 0 || x >= sw || y >= sh {
            return [0.0; 4];
        }
        let o = ((y * sw + x) * 4) as usize;
        [
            data[o] as f32,
            data[o + 1] as f32,
            data[o + 2] as f32,
            data[o + 3] as f32,
        ]
    };
    for y in miny.max(0)..maxy.min(dh) {
        for x in minx.max(0)..maxx.min(dw) {
            let (u, v) = apply(&inv, (x as f64 + 0.5, y as f64 + 0.5));
            let (u, v) = (u - 0.5, v - 0.5);
            if u < -1.0 || v < -1.0 || u > sw as f64 || v > sh as f64 {
                continue;
            }
            let (x0, y0) = (u.floor() as i64, v.floor() as i64);
            let (fx, fy) = ((u - x0 as f64) as f32, (v - y0 as f64) as f32);
            let t00 = texel(x0, y0);
            let t10 = texel(x0 + 1, y0);
            let t01 = texel(x0, y0 + 1);
            let t11 = texel(x0 + 1, y0 + 1);
            let mut s = [0.0f32; 4];
            for k in 0..4 {
                let top = t00[k] + (t10[k] - t00[k]) * fx;
                let bot = t01[k] + (t11[k] - t01[k]) * fx;
                s[k] = top + (bot - top) * fy;
            }
            if s[3] <= 0.0 {
                continue;
            }
            let a = s[3] / 255.0;
            let px = dst.get_pixel_mut(x as u32, y as u32);
            for k in 0..3 {
                px.0[k] = (s[k] + px.0[k] as f32 * (1.0 - a))
                    .round()
                    .clamp(0.0, 255.0) as u8;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homography_maps_corners() {
        let src = rect_corners(100.0, 63.0);
        let dst = [(10.0, 20.0), (120.0, 15.0), (130.0, 90.0), (5.0, 95.0)];
        let m = homography(src, dst);
        for i in 0..4 {
            let p = apply(&m, src[i]);
            assert!((p.0 - dst[i].0).abs() < 1e-6 && (p.1 - dst[i].1).abs() < 1e-6);
        }
        let back = apply(&invert(&m), dst[2]);
        assert!((back.0 - 100.0).abs() < 1e-6 && (back.1 - 63.0).abs() < 1e-6);
    }
}
