//! The `idcard.v1` gRPC service: a thin adapter that assembles the upload, hands it to the
//! core on the engine pool, and converts the answer or the error.

pub mod convert;
pub mod error;
pub mod middleware;
pub mod server;
pub mod service;
pub mod tls;
pub mod upload;

pub use error::{AccessError, ApiError};
pub use server::{serve, ServerConfig};
pub use service::IdCardServiceImpl;

/// The `ErrorInfo.domain` of every error this service returns.
pub const ERROR_DOMAIN: &str = "idcard.v1";
