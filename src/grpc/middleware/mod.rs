//! Tower layers of the gRPC server, one concern a file.

pub mod access;
pub mod authenticate;
pub mod expiry;
pub mod gate;
pub mod permission;
pub mod quota;
pub mod rate_limit;
pub mod request_id;

pub use access::AccessControl;
pub use authenticate::Caller;
pub use request_id::{RequestId, RequestIdLayer};
