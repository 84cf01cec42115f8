//! The accuracy harness: runs the core over a generated directory (images plus
//! `truth.jsonl`) and scores every field, the side, detection and speed.
//!
//! It scores what the core returns against what the generator printed, nothing else: no
//! field is skipped because it is hard, and an image the reader fails on counts every one
//! of its fields as wrong.

pub mod report;
pub mod run;
pub mod score;
pub mod truth;

pub use report::Report;
pub use run::{evaluate, EvalOptions};
