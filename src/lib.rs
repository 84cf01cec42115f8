//! Reads Egyptian national ID cards.
//!
//! - [`core`]: the recognition core. Bytes in, card readings or a typed error out; no
//!   transport code in it.
//! - [`grpc`]: the `idcard.v1` gRPC service, a thin adapter over the core.
//! - [`api_json`]: the cloud API's JSON shape, printed by the CLI.
//! - [`pb`]: the code generated from `proto/idcard/v1/idcard.proto`.

//TMP pub mod api_json;
pub mod core;
//TMP pub mod grpc;
//TMP pub mod metrics;

/// Code generated from `proto/idcard/v1/idcard.proto`.
#[allow(missing_docs, unreachable_pub, clippy::all)]
pub mod pb {
    tonic::include_proto!("idcard.v1");

    /// The encoded descriptor set that server reflection serves.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        tonic::include_file_descriptor_set!("idcard_v1_descriptor");
}
