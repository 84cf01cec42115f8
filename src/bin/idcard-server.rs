//! `idcard-server`: the gRPC service. Configuration and wiring only; see the library.

use std::{net::SocketAddr, path::PathBuf, sync::Arc, time::Duration};

use clap::Parser;
use idcard_ocr::{
    access::{Keyring, KeysFile},
    core::{ocr::EnginePool, ImageLimits},
    grpc::{self, middleware::AccessControl, service::ServiceLimits, tls::TlsFiles, ServerConfig},
    metrics::{self, Metrics},
    model_args::ModelArgs,
    usage::{self, Store},
};

/// Reads Egyptian national ID cards over gRPC (idcard.v1.IdCardService).
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Address to serve gRPC on.
    #[arg(long, env = "IDCARD_LISTEN", default_value = "0.0.0.0:50051")]
    listen: SocketAddr,
    /// Address to serve Prometheus metrics on (GET /metrics); off when not given.
    #[arg(long, env = "IDCARD_METRICS_LISTEN")]
    metrics_listen: Option<SocketAddr>,
    /// Serve TLS with this PEM certificate chain (needs --tls-key); plaintext otherwise.
    #[arg(long, env = "IDCARD_TLS_CERT", value_name = "FILE")]
    tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(long, env = "IDCARD_TLS_KEY", value_name = "FILE")]
    tls_key: Option<PathBuf>,
    /// Mutual TLS: require every client to present a certificate signed by a CA in this PEM
    /// file (needs --tls-cert and --tls-key).
    #[arg(long, env = "IDCARD_TLS_CLIENT_CA", value_name = "FILE")]
    tls_client_ca: Option<PathBuf>,
    /// Tesseract engines in the pool (default: the number of cores).
    #[arg(long, env = "IDCARD_ENGINES")]
    engines: Option<usize>,
    #[command(flatten)]
    models: ModelArgs,
    /// Largest accepted upload, in bytes (5 MiB by default).
    #[arg(long, env = "IDCARD_MAX_UPLOAD_BYTES", default_value_t = 5 * 1024 * 1024)]
    max_upload_bytes: usize,
    /// Smallest accepted image side, in pixels.
    #[arg(long, env = "IDCARD_MIN_SIDE", default_value_t = 128)]
    min_side: u32,
    /// Largest accepted image side, in pixels.
    #[arg(long, env = "IDCARD_MAX_SIDE", default_value_t = 6000)]
    max_side: u32,
    /// Deadline of one call in seconds (a caller's shorter grpc-timeout wins).
    #[arg(long, env = "IDCARD_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    request_timeout_secs: u64,
    /// Calls in flight at once; more are refused with RESOURCE_EXHAUSTED.
    #[arg(long, env = "IDCARD_MAX_CONCURRENT_CALLS", default_value_t = 64)]
    max_concurrent_calls: usize,
    /// API keys (TOML; `idcard keys add` makes it). Without it every caller is let in.
    #[arg(long, env = "IDCARD_KEYS_FILE")]
    keys_file: Option<PathBuf>,
    /// Where quota usage is kept (SQLite file `usage.sqlite3`) when Redis is not used.
    #[arg(long, env = "IDCARD_STATE_DIR", default_value = "idcard-state")]
    state_dir: PathBuf,
    /// Keep rate buckets and quota counters in this Redis (redis://host:port/db), shared
    /// by every replica, instead of in the state directory.
    #[arg(long, env = "IDCARD_REDIS_URL")]
    redis_url: Option<String>,
    /// Prefix of this service's Redis keys.
    #[arg(long, env = "IDCARD_REDIS_PREFIX", default_value = "idcard")]
    redis_prefix: String,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    idcard_ocr::ensure_single_threaded_openmp();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        // Colour codes only for people at a terminal; log files and collectors get text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let args = Args::parse();
    match run(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "server stopped");
            eprintln!("idcard-server: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    // Before the slow model load: bad TLS settings are a configuration error too.
    let tls_files = TlsFiles::from_options(
        args.tls_cert.clone(),
        args.tls_key.clone(),
        args.tls_client_ca.clone(),
    )?;
    let tls = tls_files.as_ref().map(TlsFiles::load).transpose()?;
    match &tls_files {
        None => tracing::info!("TLS off: serving plaintext"),
        Some(files) if files.is_mutual() => {
            tracing::info!("mutual TLS on: clients must present a certificate")
        }
        Some(_) => tracing::info!("TLS on"),
    }
    let engines = args
        .engines
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let paths = args.models.paths();
    // Fail fast: a missing model is a configuration error, not a per-call one.
    let pool = Arc::new(EnginePool::start(&paths, engines)?);
    tracing::info!(engines, "engine pool ready");
    let metrics = Metrics::new(Some(Arc::clone(&pool)));
    let (shutdown_tx, shutdown_rx) = tokio::sync::watch::channel(false);
    if let Some(addr) = args.metrics_listen {
        let listener = metrics::bind(addr).await?;
        tracing::info!(%addr, "serving metrics");
        let mut rx = shutdown_rx.clone();
        let metrics = metrics.clone();
        tokio::spawn(async move {
            let _ = metrics
                .serve(listener, async move {
                    let _ = rx.changed().await;
                })
                .await;
        });
    }
    let access = access_control(&args).await?;
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    tracing::info!(addr = %listener.local_addr()?, "serving idcard.v1");
    let config = ServerConfig {
        limits: ServiceLimits {
            max_upload_bytes: args.max_upload_bytes,
            image: ImageLimits {
                min_side: args.min_side,
                max_side: args.max_side,
            },
        },
        request_timeout: Duration::from_secs(args.request_timeout_secs),
        max_concurrent_calls: args.max_concurrent_calls.max(1),
        access,
        tls,
    };
    let mut rx = shutdown_rx;
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("shutting down: finishing calls in flight");
        let _ = shutdown_tx.send(true);
    });
    grpc::serve(config, pool, metrics, listener, async move {
        let _ = rx.changed().await;
    })
    .await?;
    tracing::info!("stopped");
    Ok(())
}

/// The keys and usage store, or `None` (said loudly) when no keys file is given.
async fn access_control(
    args: &Args,
) -> Result<Option<AccessControl>, Box<dyn std::error::Error + Send + Sync>> {
    let Some(path) = &args.keys_file else {
        tracing::warn!("NO KEYS FILE: authentication is OFF and every caller is let in; pass --keys-file to require API keys");
        eprintln!(
            "idcard-server: WARNING: no --keys-file: authentication is OFF, every caller is let in"
        );
        return Ok(None);
    };
    let keyring = Arc::new(Keyring::load(KeysFile::new(path))?);
    if keyring.is_empty() {
        tracing::warn!(file = %path.display(), "the keys file lists no key: every call will be refused");
    }
    let store = match &args.redis_url {
        Some(url) => {
            let redis = usage::redis_store::RedisUsage::connect(url, &args.redis_prefix).await?;
            tracing::info!("rate buckets and quotas in redis");
            Store::Redis(redis)
        }
        None => {
            std::fs::create_dir_all(&args.state_dir)?;
            let file = args.state_dir.join("usage.sqlite3");
            let quotas = usage::sqlite::SqliteQuotas::open(&file)?;
            tracing::info!(file = %file.display(), "quotas in sqlite, rate buckets in memory");
            Store::Embedded {
                quotas,
                rates: Default::default(),
            }
        }
    };
    tracing::info!(file = %path.display(), keys = keyring.len(), "authentication on");
    Ok(Some(AccessControl { keyring, store }))
}

async fn wait_for_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("installing a SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
