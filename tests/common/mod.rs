//! A real server on 127.0.0.1:0 for integration tests, and helpers to call it.
#![allow(dead_code, unreachable_pub)]

use std::{
    io::Cursor,
    net::SocketAddr,
    path::PathBuf,
    sync::{Arc, OnceLock},
    time::Duration,
};

use idcard_ocr::{
    core::{
        ocr::{EnginePool, ModelPaths},
        ImageLimits,
    },
    grpc::{service::ServiceLimits, ServerConfig},
    metrics::Metrics,
    pb::{
        self, id_card_service_client::IdCardServiceClient, recognize_id_card_request::Payload,
        RecognizeIdCardRequest,
    },
};
pub mod keys;

use image::{ImageFormat, Rgb, RgbImage};
use tokio::sync::oneshot;
use tonic::transport::Channel;

/// The models the tests read with: Debian's tessdata and the project's digit model
/// (`IDCARD_DIGITS_MODEL` overrides its path).
pub fn model_paths() -> ModelPaths {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut paths = ModelPaths::debian_defaults(&root);
    if let Some(path) = std::env::var_os("IDCARD_DIGITS_MODEL") {
        paths.digits_model = PathBuf::from(path);
    }
    paths
}

/// One engine pool for the whole test binary: loading models is the slow part.
pub fn shared_pool() -> Arc<EnginePool> {
    static POOL: OnceLock<Arc<EnginePool>> = OnceLock::new();
    Arc::clone(
        POOL.get_or_init(|| Arc::new(EnginePool::start(&model_paths(), 2).expect("models load"))),
    )
}

/// Settings close to production, with a small upload cap so size tests stay fast.
pub fn test_config() -> ServerConfig {
    ServerConfig {
        limits: ServiceLimits {
            max_upload_bytes: 2 * 1024 * 1024,
            image: ImageLimits::default(),
        },
        request_timeout: Duration::from_secs(30),
        max_concurrent_calls: 16,
        access: None,
        tls: None,
    }
}

/// A running server; dropped, it shuts down.
pub struct TestServer {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<()>>,
}

impl TestServer {
    pub async fn start(config: ServerConfig) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let pool = shared_pool();
        let metrics = Metrics::new(Some(Arc::clone(&pool)));
        let handle = tokio::spawn(async move {
            idcard_ocr::grpc::serve(config, pool, metrics, listener, async {
                let _ = rx.await;
            })
            .await
            .expect("server runs");
        });
        Self {
            addr,
            shutdown: Some(tx),
            handle: Some(handle),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub async fn channel(&self) -> Channel {
        Channel::from_shared(self.url())
            .unwrap()
            .connect()
            .await
            .unwrap()
    }

    /// A channel over TLS with `tls`, or the connection's error. Bounded by a connect
    /// timeout, so a refused handshake is an error, not a hang.
    pub async fn tls_channel(
        &self,
        tls: tonic::transport::ClientTlsConfig,
    ) -> Result<Channel, tonic::transport::Error> {
        Channel::from_shared(format!("https://{}", self.addr))
            .unwrap()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .tls_config(tls)?
            .connect()
            .await
    }

    pub async fn client(&self) -> IdCardServiceClient<Channel> {
        IdCardServiceClient::new(self.channel().await).max_decoding_message_size(16 << 20)
    }

    /// Stops accepting, lets calls finish, and waits for the server to end.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            handle.await.unwrap();
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub fn chunk(bytes: &[u8]) -> RecognizeIdCardRequest {
    RecognizeIdCardRequest {
        payload: Some(Payload::Chunk(bytes.to_vec())),
    }
}

pub fn config(filename: &str) -> RecognizeIdCardRequest {
    RecognizeIdCardRequest {
        payload: Some(Payload::Config(pb::RecognizeIdCardConfig {
            filename: filename.to_string(),
            content_type: String::new(),
        })),
    }
}

/// A plain image (no card on it) in the given format.
pub fn plain_image(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let image = RgbImage::from_pixel(width, height, Rgb([235, 235, 230]));
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// Noise-like texture: a photo of a wall rather than a blank page.
pub fn textured_image(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        let v = ((x * 7919 + y * 104_729) % 97) as u8 + 100;
        Rgb([v, v.wrapping_add(10), v])
    });
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// The reason, request id and `BadRequest` fields decoded from a status.
pub struct Decoded {
    pub reason: String,
    pub domain: String,
    pub request_id: String,
    pub bad_fields: Vec<String>,
}

pub fn decode(status: &tonic::Status) -> Decoded {
    use tonic_types::StatusExt;
    let details = status.get_error_details();
    let info = details.error_info().expect("every error carries ErrorInfo");
    Decoded {
        reason: info.reason.clone(),
        domain: info.domain.clone(),
        request_id: details
            .request_info()
            .map(|r| r.request_id.clone())
            .unwrap_or_default(),
        bad_fields: details
            .bad_request()
            .map(|b| b.field_violations.iter().map(|v| v.field.clone()).collect())
            .unwrap_or_default(),
    }
}

/// A committed generated card image.
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cards")
        .join(name)
}
