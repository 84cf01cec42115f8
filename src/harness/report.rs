//! Aggregates scores per mode and split, and prints them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{
    score::{group_of, is_wrong_valid_id, score_field},
    truth::TruthImage,
};
use crate::core::{CardReading, Reason};

/// What the core did with one image.
#[derive(Debug, Clone)]
pub struct ImageOutcome {
    /// The readings, or the reason of the failure.
    pub result: Result<Vec<CardReading>, Reason>,
    /// Time the core spent on it, in milliseconds (queue wait excluded).
    pub millis: f64,
}

/// Counts for one field.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FieldStats {
    /// Cards scored.
    pub n: usize,
    /// Exact after whitespace folding.
    pub exact: usize,
    /// Exact after Arabic letter folding.
    pub folded: usize,
    /// Character edits summed.
    pub edits: usize,
    /// Truth characters summed.
    pub truth_chars: usize,
}

impl FieldStats {
    fn rate(&self, count: usize) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            100.0 * count as f64 / self.n as f64
        }
    }
    /// Exact-match rate in percent.
    pub fn exact_rate(&self) -> f64 {
        self.rate(self.exact)
    }
    /// Folded-match rate in percent.
    pub fn folded_rate(&self) -> f64 {
        self.rate(self.folded)
    }
    /// Character error rate in percent.
    pub fn cer(&self) -> f64 {
        if self.truth_chars == 0 {
            0.0
        } else {
            100.0 * self.edits as f64 / self.truth_chars as f64
        }
    }
}

/// One field read wrong: what `idcard eval --mismatches` writes, for error analysis.
#[derive(Debug, Clone, Serialize)]
pub struct Mismatch {
    /// The image.
    pub image: String,
    /// `front` or `back`.
    pub side: String,
    /// The API field.
    pub field: String,
    /// What was printed.
    pub truth: String,
    /// What was read (empty when the card was not found).
    pub read: String,
    /// Whether the card was found at all.
    pub card_found: bool,
    /// The font it was printed in, when the generator says.
    pub font: String,
}

/// Everything measured on one mode and split.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GroupStats {
    /// Images read.
    pub images: usize,
    /// Card sides on them.
    pub cards: usize,
    /// Card sides found with the right side.
    pub side_correct: usize,
    /// Images answered DETECTION_FAILED.
    pub detection_failures: usize,
    /// Images answered with another error.
    pub other_errors: usize,
    /// National IDs returned checksum-valid but wrong. Must be zero.
    pub wrong_valid_ids: usize,
    /// Per field.
    pub fields: BTreeMap<String, FieldStats>,
    /// Per image, milliseconds in the core.
    pub latencies_ms: Vec<f64>,
    /// Every field not read exactly (after Arabic folding for names).
    #[serde(skip)]
    pub mismatches: Vec<Mismatch>,
}

impl GroupStats {
    fn add(&mut self, truth: &TruthImage, outcome: &ImageOutcome) {
        self.images += 1;
        self.latencies_ms.push(outcome.millis);
        let readings: &[CardReading] = match &outcome.result {
            Ok(readings) => readings,
            Err(Reason::DetectionFailed) => {
                self.detection_failures += 1;
                &[]
            }
            Err(_) => {
                self.other_errors += 1;
                &[]
            }
        };
        let mut used = vec![false; readings.len()];
        for card in &truth.cards {
            self.cards += 1;
            let found = readings
                .iter()
                .enumerate()
                .find(|(i, r)| !used[*i] && r.fields.side().as_str() == card.side)
                .map(|(i, r)| {
                    used[i] = true;
                    r
                });
            if found.is_some() {
                self.side_correct += 1;
            }
            let read_fields: BTreeMap<&str, &str> = found
                .map(|r| {
                    r.fields
                        .named()
                        .into_iter()
                        .map(|(k, f)| (k, f.value.as_str()))
                        .collect()
                })
                .unwrap_or_default();
            for (name, truth_value) in &card.card_info {
                let stats = self.fields.entry(name.clone()).or_default();
                stats.n += 1;
                let mismatch = |read: &str| Mismatch {
                    image: truth.image.clone(),
                    side: card.side.clone(),
                    field: name.clone(),
                    truth: truth_value.clone(),
                    read: read.to_owned(),
                    card_found: found.is_some(),
                    font: card.fonts.get(name).cloned().unwrap_or_default(),
                };
                // A card not found scores every field wrong, even fields empty in truth.
                let Some(read) =
                    found.map(|_| read_fields.get(name.as_str()).copied().unwrap_or(""))
                else {
                    stats.edits += truth_value.chars().count();
                    stats.truth_chars += truth_value.chars().count();
                    self.mismatches.push(mismatch(""));
                    continue;
                };
                let score = score_field(read, truth_value);
                let right = if group_of(name).contains("folded") {
                    score.folded
                } else {
                    score.exact
                };
                if !right {
                    self.mismatches.push(mismatch(read));
                }
                stats.exact += usize::from(score.exact);
                stats.folded += usize::from(score.folded);
                stats.edits += score.edits;
                stats.truth_chars += score.truth_chars;
                if name == "id_number" && is_wrong_valid_id(read, truth_value) {
                    self.wrong_valid_ids += 1;
                }
            }
        }
    }

    /// The p-th percentile latency in milliseconds.
    pub fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.latencies_ms.clone();
        sorted.sort_by(f64::total_cmp);
        if sorted.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
        sorted[rank.min(sorted.len() - 1)]
    }

    /// Side accuracy in percent.
    pub fn side_rate(&self) -> f64 {
        if self.cards == 0 {
            0.0
        } else {
            100.0 * self.side_correct as f64 / self.cards as f64
        }
    }

    /// Exact (or, for names, folded) rate over every field of a summary group.
    pub fn group_rate(&self, group: &str) -> Option<f64> {
        let (mut hits, mut n) = (0, 0);
        for (name, stats) in &self.fields {
            if group_of(name) == group {
                n += stats.n;
                hits += if group.contains("folded") {
                    stats.folded
                } else {
                    stats.exact
                };
            }
        }
        (n > 0).then(|| 100.0 * hits as f64 / n as f64)
    }
}

/// The whole evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Keyed by `mode/split`.
    pub groups: BTreeMap<String, GroupStats>,
    /// Engines in the pool.
    pub engines: usize,
    /// Wall-clock seconds for the whole run.
    pub wall_seconds: f64,
    /// Images per second over the whole run.
    pub images_per_second: f64,
}

const SUMMARY_GROUPS: &[&str] = &[
    "national ID",
    "dates",
    "names, address (folded)",
    "serial",
    "vocabulary",
];

impl Report {
    /// Scores every image.
    pub fn build(pairs: &[(TruthImage, ImageOutcome)], engines: usize, wall_seconds: f64) -> Self {
        let mut groups: BTreeMap<String, GroupStats> = BTreeMap::new();
        for (truth, outcome) in pairs {
            let split = if truth.split.is_empty() {
                "dev"
            } else {
                &truth.split
            };
            groups
                .entry(format!("{}/{}", truth.mode, split))
                .or_default()
                .add(truth, outcome);
        }
        Self {
            groups,
            engines,
            wall_seconds,
            images_per_second: if wall_seconds > 0.0 {
                pairs.len() as f64 / wall_seconds
            } else {
                0.0
            },
        }
    }

    /// The report as Markdown tables: a summary, then every field of every group.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        out.push_str("| mode/split | images | national ID exact | dates exact | names, address exact (folded) | serial exact | vocabulary exact | side | detection failures | wrong valid IDs | p50 ms | p90 ms | p99 ms |\n");
        out.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        let pct = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.1} %"));
        for (name, g) in &self.groups {
            let rates: Vec<String> = SUMMARY_GROUPS
                .iter()
                .map(|s| pct(g.group_rate(s)))
                .collect();
            out.push_str(&format!(
                "| {name} | {} | {} | {:.1} % | {} | {} | {:.0} | {:.0} | {:.0} |\n",
                g.images,
                rates.join(" | "),
                g.side_rate(),
                g.detection_failures,
                g.wrong_valid_ids,
                g.percentile(50.0),
                g.percentile(90.0),
                g.percentile(99.0),
            ));
        }
        out.push_str(&format!(
            "\n{} engines, {:.1} s wall, {:.2} images/s\n",
            self.engines, self.wall_seconds, self.images_per_second
        ));
        for (name, g) in &self.groups {
            out.push_str(&format!(
                "\n### {name}\n\n| field | n | exact | folded | CER |\n|---|---|---|---|---|\n"
            ));
            for (field, s) in &g.fields {
                out.push_str(&format!(
                    "| {field} | {} | {:.1} % | {:.1} % | {:.2} % |\n",
                    s.n,
                    s.exact_rate(),
                    s.folded_rate(),
                    s.cer()
                ));
            }
            if g.other_errors > 0 {
                out.push_str(&format!("\nother errors: {}\n", g.other_errors));
            }
        }
        out
    }
}
