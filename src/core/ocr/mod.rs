//! OCR engines: the Tesseract models we load, and the pool of engines that runs jobs.

pub mod engine;
pub mod pool;
pub mod words;

pub use engine::{Engine, EngineError, Model, ModelPaths, Recognized};
pub use pool::{EnginePool, PoolClosed, PoolStats};
pub use words::Word;
