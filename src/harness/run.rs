//! Runs the core over a generated directory with a pool of engines.

use std::{path::Path, sync::mpsc, time::Instant};

use super::{
    report::{ImageOutcome, Report},
    truth::{self, TruthImage},
};
use crate::core::{self, ocr::EnginePool, CardReading, CoreError, ImageLimits};

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// Read at most this many images (all when `None`).
    pub limit: Option<usize>,
}

/// Reads every image of `dir` on `pool` and scores it against `truth.jsonl`.
pub fn evaluate(dir: &Path, pool: &EnginePool, options: &EvalOptions) -> Result<Report, String> {
    let mut images = truth::load(dir)?;
    if let Some(limit) = options.limit {
        images.truncate(limit);
    }
    let started = Instant::now();
    let (tx, rx) = mpsc::channel::<(usize, Result<Vec<CardReading>, CoreError>, f64)>();
    for (index, image) in images.iter().enumerate() {
        let path = dir.join(&image.image);
        let tx = tx.clone();
        pool.execute(move |engine, _waited| {
            let begun = Instant::now();
            let result = std::fs::read(&path)
                .map_err(|e| CoreError::Engine(format!("cannot read {}: {e}", path.display())))
                .and_then(|bytes| core::recognize(engine, &bytes, &ImageLimits::default()));
            let _ = tx.send((index, result, begun.elapsed().as_secs_f64() * 1000.0));
        })
        .map_err(|e| e.to_string())?;
    }
    drop(tx);
    let mut outcomes: Vec<Option<ImageOutcome>> = vec![None; images.len()];
    for (index, result, millis) in rx {
        outcomes[index] = Some(ImageOutcome {
            result: result.map_err(|e| e.reason()),
            millis,
        });
    }
    let wall_seconds = started.elapsed().as_secs_f64();
    let pairs: Vec<(TruthImage, ImageOutcome)> = images
        .into_iter()
        .zip(outcomes)
        .map(|(truth, outcome)| (truth, outcome.expect("every job answers")))
        .collect();
    Ok(Report::build(&pairs, pool.stats().size, wall_seconds))
}
