//! Tower layers of the gRPC server, one concern a file.

pub mod request_id;

pub use request_id::{RequestId, RequestIdLayer};
