//! Generates the idcard.v1 gRPC code and the descriptor set that server reflection serves.

use std::{env, path::PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // tonic-prost-build 0.14 does not emit this itself (grpc/grpc-rust#2511): without it a
    // changed .proto would not rebuild the generated code.
    println!("cargo:rerun-if-changed=proto");
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    tonic_prost_build::configure()
        .file_descriptor_set_path(out_dir.join("idcard_v1_descriptor.bin"))
        .compile_protos(&["proto/idcard/v1/idcard.proto"], &["proto"])?;
    Ok(())
}
