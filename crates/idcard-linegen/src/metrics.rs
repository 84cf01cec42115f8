//! Accuracy measures for recognized lines: exact match and character error rate.

/// Levenshtein distance between two character sequences.
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The comparison key: spaces dropped. The field parsers strip the spaces between digit
/// groups, so a missed or extra space is not an error a caller would see.
pub fn key(s: &str) -> Vec<char> {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Running totals over a set of lines.
#[derive(Default, Debug, Clone)]
pub struct Score {
    pub lines: usize,
    pub exact: usize,
    pub chars: usize,
    pub errors: usize,
}

impl Score {
    pub fn add(&mut self, truth: &str, got: &str) -> bool {
        let (t, g) = (key(truth), key(got));
        let d = edit_distance(&t, &g);
        self.lines += 1;
        self.chars += t.len();
        self.errors += d;
        self.exact += usize::from(d == 0);
        d == 0
    }

    pub fn exact_rate(&self) -> f64 {
        self.exact as f64 / self.lines.max(1) as f64
    }

    pub fn cer(&self) -> f64 {
        self.errors as f64 / self.chars.max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_and_score() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(edit_distance(&c("٢٩٠"), &c("٢٩٠")), 0);
        assert_eq!(edit_distance(&c("٢٩٠"), &c("٣٩")), 2);
        let mut s = Score::default();
        assert!(s.add("١٢ ٣٤", "١٢٣٤"));
        assert!(!s.add("١٢٣٤", "١٢٣"));
        assert_eq!((s.lines, s.exact, s.chars, s.errors), (2, 1, 8, 1));
    }
}
