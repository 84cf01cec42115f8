//! `idcard`: read cards from the command line, in-process or through a server.

use std::{path::PathBuf, process::ExitCode, sync::Arc};

use clap::{Parser, Subcommand};
use idcard_ocr::{
    access::{
        keys::{self, NewKey, Quota},
        secret, KeysFile, QuotaPeriod, Side,
    },
    api_json,
    core::{self, ocr::EnginePool, ImageLimits, Reason},
    error_chain::error_chain,
    grpc::convert,
    harness,
    model_args::ModelArgs,
    pb,
};

/// Reads Egyptian national ID cards and prints the cloud API's JSON.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Reads each FILE (JPEG, PNG or PDF) and prints one JSON answer per file, in order.
    Recognize(RecognizeArgs),
    /// Scores the reader on a generated directory (images plus truth.jsonl from
    /// idcard-synth) and prints the accuracy and speed tables.
    Eval(EvalArgs),
    /// Manages the server's API keys file.
    #[command(subcommand)]
    Keys(KeysCommand),
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Adds a key to FILE (creating it) and prints its new secret, once, alone on the last
    /// line of stdout. Only a hash of the secret is stored.
    Add(KeysAddArgs),
    /// Lists the keys in FILE (never their secrets or hashes).
    List(KeysFileArg),
    /// Removes the key with ID from FILE. A running server drops it within a second.
    Remove(KeysRemoveArgs),
}

#[derive(Debug, clap::Args)]
struct KeysFileArg {
    /// The keys file.
    #[arg(long, env = "IDCARD_KEYS_FILE")]
    keys_file: PathBuf,
}

#[derive(Debug, clap::Args)]
struct KeysAddArgs {
    #[command(flatten)]
    file: KeysFileArg,
    /// The key's public id (1-64 of A-Z a-z 0-9 - _ .), sent as x-df-api-id.
    #[arg(long)]
    id: String,
    /// When the key stops working, RFC 3339 (2027-12-31T23:59:59Z).
    #[arg(long)]
    expires: Option<String>,
    /// Calls allowed per quota period.
    #[arg(long)]
    quota: Option<u64>,
    /// The quota's period, by the UTC calendar.
    #[arg(long, value_enum, requires = "quota")]
    quota_period: Option<QuotaPeriod>,
    /// Calls per second, sustained.
    #[arg(long)]
    rate: Option<f64>,
    /// Calls that may arrive at once (default: the rate, rounded up).
    #[arg(long, requires = "rate")]
    burst: Option<u32>,
    /// Card sides the key may read (default: both).
    #[arg(long, value_delimiter = ',', value_parser = parse_side)]
    sides: Option<Vec<Side>>,
}

#[derive(Debug, clap::Args)]
struct KeysRemoveArgs {
    #[command(flatten)]
    file: KeysFileArg,
    /// The key to remove.
    #[arg(long)]
    id: String,
}

fn parse_side(text: &str) -> Result<Side, String> {
    match text {
        "front" => Ok(Side::Front),
        "back" => Ok(Side::Back),
        other => Err(format!("{other:?} is not a side: front or back")),
    }
}

#[derive(Debug, clap::Args)]
struct EvalArgs {
    /// Directory written by idcard-synth.
    dir: PathBuf,
    /// Tesseract engines, each on its own thread (OpenMP runs single-threaded).
    #[arg(long, default_value_t = 1)]
    engines: usize,
    /// Read only the first N images.
    #[arg(long)]
    limit: Option<usize>,
    /// Also write the report as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write every field read wrong (image, field, truth, read, font) as JSON lines here.
    #[arg(long)]
    mismatches: Option<PathBuf>,
    #[command(flatten)]
    models: ModelArgs,
}

#[derive(Debug, clap::Args)]
struct RecognizeArgs {
    /// Images to read.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Send the images to this server (e.g. http://127.0.0.1:50051, or https://... for
    /// TLS) instead of reading them in-process.
    #[arg(long)]
    server: Option<String>,
    /// The API key's id, when the server requires keys (sent as x-df-api-id).
    #[arg(long, env = "IDCARD_API_ID", requires = "api_secret")]
    api_id: Option<String>,
    /// The API key's secret (sent as x-df-api-secret). Prefer the environment variable:
    /// a command line is visible to other users of the machine.
    #[arg(
        long,
        env = "IDCARD_API_SECRET",
        hide_env_values = true,
        requires = "api_id"
    )]
    api_secret: Option<String>,
    #[command(flatten)]
    tls: ClientTlsArgs,
    /// Indent the JSON for people.
    #[arg(long)]
    pretty: bool,
    /// Tesseract engines for in-process reading.
    #[arg(long, default_value_t = 1)]
    engines: usize,
    /// Write each straightened card with its line boxes drawn to this directory
    /// (in-process reading only).
    #[arg(long)]
    debug_dir: Option<PathBuf>,
    #[command(flatten)]
    models: ModelArgs,
}

/// TLS towards an `https://` server.
#[derive(Debug, clap::Args)]
struct ClientTlsArgs {
    /// Trust the server certificate only if this PEM CA signed it (needed for https://:
    /// this build carries no system roots).
    #[arg(long, value_name = "FILE")]
    tls_ca: Option<PathBuf>,
    /// Client certificate (PEM) for a server that requires mutual TLS; needs --tls-key.
    #[arg(long, value_name = "FILE")]
    tls_cert: Option<PathBuf>,
    /// Private key (PEM) of --tls-cert.
    #[arg(long, value_name = "FILE")]
    tls_key: Option<PathBuf>,
    /// Check the server certificate against this name instead of the URL's host.
    #[arg(long, value_name = "NAME")]
    tls_domain: Option<String>,
}

/// Size of the pieces an image is streamed in.
const CHUNK_BYTES: usize = 64 * 1024;

fn main() -> ExitCode {
    idcard_ocr::ensure_single_threaded_openmp();
    let cli = Cli::parse();
    match cli.command {
        Command::Recognize(args) => recognize(args),
        Command::Eval(args) => eval(args),
        Command::Keys(command) => match run_keys(command) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("idcard: {error}");
                ExitCode::FAILURE
            }
        },
    }
}

fn run_keys(command: KeysCommand) -> Result<(), String> {
    match command {
        KeysCommand::Add(args) => {
            keys::check_id(&args.id)?;
            let expires = args
                .expires
                .as_deref()
                .map(keys::parse_instant)
                .transpose()?;
            let quota = match args.quota {
                Some(0) => return Err("--quota must be at least 1".into()),
                Some(calls) => Some(Quota {
                    calls,
                    period: args.quota_period.unwrap_or_default(),
                }),
                None => None,
            };
            let rate = args
                .rate
                .map(|rate| keys::rate_from(rate, args.burst))
                .transpose()?;
            let new_secret = secret::generate();
            let key = NewKey {
                id: args.id.clone(),
                secret_hash: secret::hash(&new_secret),
                created: chrono::Utc::now(),
                expires,
                sides: args.sides,
                quota,
                rate,
            };
            let file = KeysFile::new(&args.file.keys_file);
            file.add(&key).map_err(|e| e.to_string())?;
            println!(
                "added key {:?} to {}; its secret follows, shown this once:",
                args.id,
                args.file.keys_file.display()
            );
            println!("{new_secret}");
            Ok(())
        }
        KeysCommand::List(args) => {
            let listed = KeysFile::new(&args.keys_file)
                .load()
                .map_err(|e| e.to_string())?;
            println!(
                "{:<24} {:<21} {:<16} {:<18} sides",
                "id", "expires", "quota", "rate"
            );
            for key in listed {
                let expires = key.expires.map_or("never".to_string(), |t| {
                    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                });
                let quota = key
                    .quota
                    .map_or("none".to_string(), |q| format!("{}/{}", q.calls, q.period));
                let rate = key.rate.map_or("none".to_string(), |r| {
                    format!("{}/s burst {}", r.per_second, r.burst)
                });
                let sides = key.sides.map_or("front,back".to_string(), |sides| {
                    let mut names: Vec<_> = sides.iter().map(|s| s.as_str()).collect();
                    names.sort_unstable_by_key(|name| *name != "front");
                    names.join(",")
                });
                println!(
                    "{:<24} {expires:<21} {quota:<16} {rate:<18} {sides}",
                    key.id
                );
            }
            Ok(())
        }
        KeysCommand::Remove(args) => {
            KeysFile::new(&args.file.keys_file)
                .remove(&args.id)
                .map_err(|e| e.to_string())?;
            println!(
                "removed key {:?} from {}",
                args.id,
                args.file.keys_file.display()
            );
            Ok(())
        }
    }
}

fn eval(args: EvalArgs) -> ExitCode {
    let pool = match EnginePool::start(&args.models.paths(), args.engines) {
        Ok(pool) => pool,
        Err(error) => {
            eprintln!("idcard: {error}");
            return ExitCode::FAILURE;
        }
    };
    let options = harness::EvalOptions { limit: args.limit };
    let report = match harness::evaluate(&args.dir, &pool, &options) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("idcard: {error}");
            return ExitCode::FAILURE;
        }
    };
    print!("{}", report.to_markdown());
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&report).unwrap_or_default();
        if let Err(error) = std::fs::write(path, json) {
            eprintln!("idcard: cannot write {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
    }
    if let Some(path) = &args.mismatches {
        let lines: String = report
            .groups
            .values()
            .flat_map(|group| &group.mismatches)
            .filter_map(|m| serde_json::to_string(m).ok())
            .map(|line| line + "\n")
            .collect();
        if let Err(error) = std::fs::write(path, lines) {
            eprintln!("idcard: cannot write {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

fn recognize(args: RecognizeArgs) -> ExitCode {
    let answers: Result<Vec<serde_json::Value>, String> = match &args.server {
        Some(url) => remote(url, &args.tls, &args.files, credentials(&args)),
        None => local(&args),
    };
    let answers = match answers {
        Ok(answers) => answers,
        Err(error) => {
            eprintln!("idcard: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut all_ok = true;
    for answer in &answers {
        all_ok &= answer["status"] == "OK";
        let text = if args.pretty {
            serde_json::to_string_pretty(answer)
        } else {
            serde_json::to_string(answer)
        };
        println!("{}", text.unwrap_or_default());
    }
    if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn read_file(path: &PathBuf) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|error| format!("cannot read {}: {error}", path.display()))
}

fn local(args: &RecognizeArgs) -> Result<Vec<serde_json::Value>, String> {
    let paths = args.models.paths();
    let pool = Arc::new(EnginePool::start(&paths, args.engines).map_err(|e| e.to_string())?);
    let mut answers = Vec::new();
    for path in &args.files {
        let bytes = read_file(path)?;
        let request_id = uuid::Uuid::new_v4().to_string();
        let (result, trace) = pool
            .run(move |engine| {
                let mut trace = core::reader::Trace::default();
                let result =
                    core::recognize_traced(engine, &bytes, &ImageLimits::default(), &mut trace);
                (result, trace)
            })
            .map_err(|e| e.to_string())?;
        if let Some(dir) = &args.debug_dir {
            write_trace(dir, path, &trace)?;
        }
        answers.push(match result {
            Ok(readings) => api_json::success(&pb::RecognizeIdCardResponse {
                request_id,
                results: readings.iter().map(convert::card_result).collect(),
            }),
            Err(error) => {
                let reason = error.reason();
                let message = match reason {
                    Reason::InternalError => "internal error".to_string(),
                    _ => error.to_string(),
                };
                api_json::failure(&request_id, reason.as_str(), &message)
            }
        });
    }
    Ok(answers)
}

/// Writes each traced card as `<file stem>-card<N>.png` with its line boxes in red.
fn write_trace(
    dir: &std::path::Path,
    source: &std::path::Path,
    trace: &core::reader::Trace,
) -> Result<(), String> {
    use imageproc::{drawing::draw_hollow_rect_mut, rect::Rect};
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    for (index, card) in trace.cards.iter().enumerate() {
        let mut picture = image::DynamicImage::ImageLuma8(card.image.clone()).into_rgb8();
        for (name, (left, top, width, height), text) in &card.boxes {
            eprintln!("  {name} at ({left}, {top}, {width}x{height}): {text}");
            let rect =
                Rect::at(*left, *top).of_size((*width).max(1) as u32, (*height).max(1) as u32);
            draw_hollow_rect_mut(&mut picture, rect, image::Rgb([220, 30, 30]));
        }
        eprintln!("{stem} card {}: {}", index + 1, card.note);
        let out = dir.join(format!("{stem}-card{}.png", index + 1));
        picture
            .save(&out)
            .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    }
    Ok(())
}

/// The key to send, as gRPC metadata, when one was given.
fn credentials(args: &RecognizeArgs) -> Option<(String, String)> {
    args.api_id.clone().zip(args.api_secret.clone())
}

/// The server's endpoint: TLS for `https://` URLs (with a client certificate when one is
/// given), plaintext for `http://`. TLS flags on an `http://` URL are an error rather than
/// silently ignored.
fn endpoint(url: &str, tls: &ClientTlsArgs) -> Result<tonic::transport::Endpoint, String> {
    use tonic::transport::{Certificate, ClientTlsConfig, Endpoint, Identity};
    let endpoint =
        Endpoint::from_shared(url.to_string()).map_err(|e| format!("bad server URL {url}: {e}"))?;
    let any_tls_flag = tls.tls_ca.is_some()
        || tls.tls_cert.is_some()
        || tls.tls_key.is_some()
        || tls.tls_domain.is_some();
    if endpoint.uri().scheme_str() != Some("https") {
        if any_tls_flag {
            return Err(format!(
                "TLS options need an https:// server URL, not {url}"
            ));
        }
        return Ok(endpoint);
    }
    let ca = tls
        .tls_ca
        .as_ref()
        .ok_or("an https:// server needs --tls-ca FILE (the CA that signed its certificate)")?;
    let mut config = ClientTlsConfig::new().ca_certificate(Certificate::from_pem(read_file(ca)?));
    match (&tls.tls_cert, &tls.tls_key) {
        (Some(cert), Some(key)) => {
            config = config.identity(Identity::from_pem(read_file(cert)?, read_file(key)?));
        }
        (None, None) => {}
        _ => return Err("--tls-cert and --tls-key go together".to_string()),
    }
    if let Some(domain) = &tls.tls_domain {
        config = config.domain_name(domain.clone());
    }
    endpoint
        .tls_config(config)
        .map_err(|e| format!("bad TLS settings: {e}"))
}

fn remote(
    url: &str,
    tls: &ClientTlsArgs,
    files: &[PathBuf],
    credentials: Option<(String, String)>,
) -> Result<Vec<serde_json::Value>, String> {
    let credentials = credentials
        .map(|(id, secret)| -> Result<_, String> {
            let value = |text: String, what: &str| {
                tonic::metadata::MetadataValue::try_from(text)
                    .map_err(|_| format!("the API key's {what} is not printable ASCII"))
            };
            Ok((value(id, "id")?, value(secret, "secret")?))
        })
        .transpose()?;
    let endpoint = endpoint(url, tls)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let channel = endpoint
            .connect()
            .await
            .map_err(|e| format!("cannot connect to {url}: {}", error_chain(&e)))?;
        let mut client = pb::id_card_service_client::IdCardServiceClient::new(channel)
            .max_decoding_message_size(16 * 1024 * 1024);
        let mut answers = Vec::new();
        for path in files {
            let bytes = read_file(path)?;
            let filename = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut messages = vec![pb::RecognizeIdCardRequest {
                payload: Some(pb::recognize_id_card_request::Payload::Config(
                    pb::RecognizeIdCardConfig {
                        filename,
                        content_type: String::new(),
                    },
                )),
            }];
            messages.extend(
                bytes
                    .chunks(CHUNK_BYTES)
                    .map(|chunk| pb::RecognizeIdCardRequest {
                        payload: Some(pb::recognize_id_card_request::Payload::Chunk(
                            chunk.to_vec(),
                        )),
                    }),
            );
            let mut request = tonic::Request::new(tokio_stream::iter(messages));
            if let Some((id, secret)) = &credentials {
                request.metadata_mut().insert("x-df-api-id", id.clone());
                request
                    .metadata_mut()
                    .insert("x-df-api-secret", secret.clone());
            }
            let answer = match client.recognize_id_card(request).await {
                Ok(response) => api_json::success(response.get_ref()),
                Err(status) => status_json(&status),
            };
            answers.push(answer);
        }
        Ok(answers)
    })
}

/// A gRPC error as the cloud API's error JSON, from its `ErrorInfo` and `RequestInfo`.
fn status_json(status: &tonic::Status) -> serde_json::Value {
    use tonic_types::StatusExt;
    let details = status.get_error_details();
    let reason = details
        .error_info()
        .map(|info| info.reason.clone())
        .unwrap_or_else(|| fallback_reason(status.code()).to_string());
    let request_id = details
        .request_info()
        .map(|info| info.request_id.clone())
        .or_else(|| {
            status
                .metadata()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
        .unwrap_or_default();
    api_json::failure(&request_id, &reason, status.message())
}

/// The reason for a status that carries no `ErrorInfo` (shed load, transport failures).
fn fallback_reason(code: tonic::Code) -> &'static str {
    match code {
        tonic::Code::InvalidArgument => "INVALID_ARGUMENT",
        tonic::Code::Unauthenticated => "UNAUTHORIZED",
        tonic::Code::PermissionDenied => "NO_PERMISSION",
        tonic::Code::ResourceExhausted => "RATE_LIMIT_EXCEEDED",
        tonic::Code::NotFound | tonic::Code::Unimplemented => "NOT_FOUND",
        _ => "INTERNAL_ERROR",
    }
}
