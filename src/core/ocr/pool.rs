//! A fixed set of worker threads, each owning one pre-loaded [`Engine`], fed by a channel.
//!
//! A Tesseract handle may move between threads but never be shared, and loading one takes
//! far longer than reading a line: so engines are made once, at start-up, and each stays
//! on its own thread for life. Jobs never run on an async runtime's threads; the caller
//! decides how to wait for the answer (a oneshot channel in the server, a plain channel
//! in the CLI).

use std::{
    panic::{catch_unwind, AssertUnwindSafe},
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    thread,
    time::{Duration, Instant},
};

use super::engine::{Engine, EngineError, ModelPaths};

type Job = Box<dyn FnOnce(&mut Engine, Duration) + Send + 'static>;

/// The pool was shut down: no worker will take the job.
#[derive(Debug, thiserror::Error)]
#[error("the engine pool is shut down")]
pub struct PoolClosed;

/// A moment's view of the pool, for metrics.
#[derive(Debug, Clone, Copy)]
pub struct PoolStats {
    /// Number of engines.
    pub size: usize,
    /// Engines running a job now.
    pub busy: usize,
    /// Jobs waiting for an engine.
    pub queued: usize,
}

#[derive(Debug, Default)]
struct Counters {
    busy: AtomicUsize,
    queued: AtomicUsize,
}

/// A pool of engines on dedicated threads.
#[derive(Debug, Clone)]
pub struct EnginePool {
    sender: crossbeam_channel::Sender<(Instant, Job)>,
    counters: Arc<Counters>,
    size: usize,
}

impl EnginePool {
    /// Loads `size` engines (failing fast if any model is missing) and starts a thread for
    /// each.
    pub fn start(paths: &ModelPaths, size: usize) -> Result<Self, EngineError> {
        let size = size.max(1);
        let engines = (0..size)
            .map(|_| Engine::new(paths))
            .collect::<Result<Vec<_>, _>>()?;
        let (sender, receiver) = crossbeam_channel::unbounded::<(Instant, Job)>();
        let counters = Arc::new(Counters::default());
        for (index, mut engine) in engines.into_iter().enumerate() {
            let receiver = receiver.clone();
            let counters = Arc::clone(&counters);
            thread::Builder::new()
                .name(format!("ocr-engine-{index}"))
                .spawn(move || {
                    // Ends when every sender is dropped (the pool and its clones).
                    for (queued_at, job) in receiver.iter() {
                        counters.queued.fetch_sub(1, Ordering::Relaxed);
                        counters.busy.fetch_add(1, Ordering::Relaxed);
                        let waited = queued_at.elapsed();
                        // A panicking job must not take the worker down with it; its
                        // caller sees its answer channel closed and reports an internal
                        // error.
                        let outcome = catch_unwind(AssertUnwindSafe(|| job(&mut engine, waited)));
                        counters.busy.fetch_sub(1, Ordering::Relaxed);
                        if outcome.is_err() {
                            tracing::error!(worker = index, "recognition job panicked");
                        }
                    }
                })
                .map_err(|_| EngineError::Rejected("a worker thread"))?;
        }
        Ok(Self {
            sender,
            counters,
            size,
        })
    }

    /// Queues a job; it runs on the next free engine and learns how long it waited.
    pub fn execute(
        &self,
        job: impl FnOnce(&mut Engine, Duration) + Send + 'static,
    ) -> Result<(), PoolClosed> {
        self.counters.queued.fetch_add(1, Ordering::Relaxed);
        self.sender
            .send((Instant::now(), Box::new(job)))
            .map_err(|_| {
                self.counters.queued.fetch_sub(1, Ordering::Relaxed);
                PoolClosed
            })
    }

    /// Runs a job and blocks the calling thread until it is done. For the CLI and tools;
    /// async callers use [`EnginePool::execute`] with their own channel.
    pub fn run<R: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Engine) -> R + Send + 'static,
    ) -> Result<R, PoolClosed> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.execute(move |engine, _| {
            let _ = tx.send(job(engine));
        })?;
        rx.recv().map_err(|_| PoolClosed)
    }

    /// The pool's size and load now.
    pub fn stats(&self) -> PoolStats {
        PoolStats {
            size: self.size,
            busy: self.counters.busy.load(Ordering::Relaxed),
            queued: self.counters.queued.load(Ordering::Relaxed),
        }
    }
}
