//! Wires the gRPC server: services, layers, limits, graceful shutdown.

use std::{future::Future, sync::Arc, time::Duration};

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::transport::Server;
use tower::ServiceBuilder;

use super::{
    middleware::{AccessControl, RequestIdLayer},
    service::ServiceLimits,
    IdCardServiceImpl,
};
use crate::{core::ocr::EnginePool, metrics::Metrics, pb};

/// What the server needs beyond the engine pool.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Upload and image rules.
    pub limits: ServiceLimits,
    /// Deadline of one call (a caller's shorter `grpc-timeout` wins).
    pub request_timeout: Duration,
    /// Calls in flight at once; more are refused with RESOURCE_EXHAUSTED.
    pub max_concurrent_calls: usize,
    /// API keys, rates and quotas; `None` lets every caller in.
    pub access: Option<AccessControl>,
    /// TLS, or mutual TLS when it names a client CA (see [`super::tls::TlsFiles`]);
    /// plaintext when `None`.
    pub tls: Option<tonic::transport::ServerTlsConfig>,
}

/// How often the keys file is checked for changes.
const KEYS_FILE_POLL: Duration = Duration::from_secs(1);

/// Serves `idcard.v1`, health and reflection on `listener` until `shutdown` resolves, then
/// lets calls in flight finish.
pub async fn serve(
    config: ServerConfig,
    pool: Arc<EnginePool>,
    metrics: Metrics,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut server = Server::builder();
    if let Some(tls) = config.tls {
        server = server.tls_config(tls)?;
    }
    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter
        .set_serving::<pb::id_card_service_server::IdCardServiceServer<IdCardServiceImpl>>()
        .await;
    // grpcurl 1.8 (the PyPI wrapper) speaks only v1alpha reflection; newer clients use v1.
    // The google.rpc types are registered too, so reflection clients can print the error
    // details instead of raw bytes.
    let reflection = || {
        tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_types::pb::FILE_DESCRIPTOR_SET)
    };
    let reflection_v1 = reflection().build_v1()?;
    let reflection_v1alpha = reflection().build_v1alpha()?;
    let service = IdCardServiceImpl::new(pool, config.limits, metrics.clone());
    // Just above our cap, so that one message holding a whole (allowed) image passes and a
    // larger one is refused by tonic before it is buffered; the upload assembler reports
    // that refusal as our size rule.
    let max_message = config.limits.max_upload_bytes + 64 * 1024;
    let idcard = pb::id_card_service_server::IdCardServiceServer::new(service)
        .max_decoding_message_size(max_message);

    let layers = ServiceBuilder::new()
        // Outermost, so that every answer, a shed one included, carries the request id.
        .layer(RequestIdLayer)
        // Shed instead of queueing when full: callers get RESOURCE_EXHAUSTED at once and
        // can retry elsewhere. One limit for all connections, because the layer's state is
        // shared by every clone that Server::layer makes.
        .load_shed()
        .concurrency_limit(config.max_concurrent_calls)
        // Inside the limit, so that checking keys (argon2 on a first call) is bounded too.
        .option_layer(config.access.as_ref().map(|access| access.layers(&metrics)))
        .into_inner();
    // Reloads the keys file while serving; stopped with the server.
    let watcher = config
        .access
        .as_ref()
        .map(|access| Arc::clone(&access.keyring).watch(KEYS_FILE_POLL));
    let _stop_watcher = AbortOnDrop(watcher);

    server
        // tonic's own timeout honours the caller's grpc-timeout and answers a clean
        // DEADLINE_EXCEEDED status; tower's TimeoutLayer would reset the HTTP/2 stream.
        .timeout(config.request_timeout)
        .layer(layers)
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(idcard)
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), shutdown)
        .await?;
    Ok(())
}

/// Aborts a background task when dropped.
struct AbortOnDrop(Option<tokio::task::JoinHandle<()>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(task) = self.0.take() {
            task.abort();
        }
    }
}
