//! Prometheus metrics a mesh operator scrapes, served on a small HTTP listener.

use std::{net::SocketAddr, sync::Arc};

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

use crate::core::ocr::EnginePool;

/// The service's metrics. Cheap to clone.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    /// Calls by method, gRPC code and reason.
    pub calls: IntCounterVec,
    /// Call latency by method.
    pub call_seconds: HistogramVec,
    /// Image bytes received.
    pub received_bytes: IntCounter,
    /// Time jobs waited for a free engine.
    pub queue_wait_seconds: HistogramVec,
    pool_size: IntGauge,
    pool_busy: IntGauge,
    pool_queued: IntGauge,
    pool: Option<Arc<EnginePool>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

const LATENCY_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

impl Metrics {
    /// Registers every metric; `pool` is read at scrape time for occupancy.
    pub fn new(pool: Option<Arc<EnginePool>>) -> Self {
        let registry =
            Registry::new_custom(Some("idcard".into()), None).expect("static prefix is valid");
        let calls = IntCounterVec::new(
            Opts::new("calls_total", "gRPC calls by method, code and reason"),
            &["method", "code", "reason"],
        )
        .expect("static metric");
        let call_seconds = HistogramVec::new(
            HistogramOpts::new("call_duration_seconds", "gRPC call latency")
                .buckets(LATENCY_BUCKETS.to_vec()),
            &["method"],
        )
        .expect("static metric");
        let received_bytes =
            IntCounter::new("received_bytes_total", "image bytes received").expect("static metric");
        let queue_wait_seconds = HistogramVec::new(
            HistogramOpts::new(
                "engine_queue_wait_seconds",
                "time a job waited for a free engine",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &[],
        )
        .expect("static metric");
        let pool_size = IntGauge::new("engine_pool_size", "Tesseract engines in the pool")
            .expect("static metric");
        let pool_busy =
            IntGauge::new("engine_pool_busy", "engines running a job").expect("static metric");
        let pool_queued = IntGauge::new("engine_pool_queued", "jobs waiting for an engine")
            .expect("static metric");
        for collector in [
            Box::new(calls.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(call_seconds.clone()),
            Box::new(received_bytes.clone()),
            Box::new(queue_wait_seconds.clone()),
            Box::new(pool_size.clone()),
            Box::new(pool_busy.clone()),
            Box::new(pool_queued.clone()),
        ] {
            registry
                .register(collector)
                .expect("metric names are unique");
        }
        Self {
            registry,
            calls,
            call_seconds,
            received_bytes,
            queue_wait_seconds,
            pool_size,
            pool_busy,
            pool_queued,
            pool,
        }
    }

    /// The metrics in Prometheus text format.
    pub fn render(&self) -> String {
        if let Some(pool) = &self.pool {
            let stats = pool.stats();
            self.pool_size.set(stats.size as i64);
            self.pool_busy.set(stats.busy as i64);
            self.pool_queued.set(stats.queued as i64);
        }
        let mut out = Vec::new();
        // Encoding into a Vec cannot fail for well-formed metric families.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// Serves `GET /metrics` on `addr` until `shutdown` resolves.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let app = axum::Router::new().route(
            "/metrics",
            axum::routing::get(move || {
                let metrics = self.clone();
                async move {
                    (
                        [(http::header::CONTENT_TYPE, "text/plain; version=0.0.4")],
                        metrics.render(),
                    )
                }
            }),
        );
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
    }
}

/// Binds the metrics listener.
pub async fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await
}
