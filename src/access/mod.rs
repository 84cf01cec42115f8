//! Who may call, until when, how much and how fast: the keys file, secrets, and the live,
//! reloadable key set the server checks calls against.
//!
//! Transport-free: the gRPC layers in `grpc::middleware` and the `idcard keys` command both
//! build on it.

pub mod keyring;
pub mod keys;
pub mod secret;

pub use keyring::{Keyring, Verdict};
pub use keys::{ApiKey, KeysFile, KeysFileError, QuotaPeriod, Side};
