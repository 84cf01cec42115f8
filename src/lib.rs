//! Reads Egyptian national ID cards.
//!
//! - [`core`]: the recognition core. Bytes in, card readings or a typed error out; no
//!   transport code in it.
//! - [`grpc`]: the `idcard.v1` gRPC service, a thin adapter over the core.
//! - [`access`] and [`usage`]: API keys, and the rates and quotas they are held to.
//! - [`api_json`]: the cloud API's JSON shape, printed by the CLI.
//! - [`pb`]: the code generated from `proto/idcard/v1/idcard.proto`.

pub mod access;
pub mod api_json;
pub mod core;
pub mod error_chain;
pub mod grpc;
pub mod harness;
pub mod metrics;
pub mod model_args;
pub mod usage;

/// Code generated from `proto/idcard/v1/idcard.proto`.
#[allow(missing_docs, unreachable_pub, clippy::all)]
pub mod pb {
    tonic::include_proto!("idcard.v1");

    /// The encoded descriptor set that server reflection serves.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        tonic::include_file_descriptor_set!("idcard_v1_descriptor");
}

/// Makes Tesseract's OpenMP run one thread per engine.
///
/// Debian's libtesseract uses OpenMP, whose runtime reads `OMP_THREAD_LIMIT` when it is
/// loaded, before `main`: so when the variable is unset we set it and re-execute
/// ourselves. One thread per engine halves single-call latency on a small machine and
/// stops the engines' threads fighting over the cores; parallelism comes from the pool.
pub fn ensure_single_threaded_openmp() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os("OMP_THREAD_LIMIT").is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let error = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("OMP_THREAD_LIMIT", "1")
        .exec();
    // exec only returns on failure: carry on with OpenMP's default rather than die.
    eprintln!("warning: could not re-execute with OMP_THREAD_LIMIT=1: {error}");
}
