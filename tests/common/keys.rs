//! Keys files and key-carrying calls for the access tests.
#![allow(dead_code, unreachable_pub)]

use std::{path::PathBuf, sync::Arc};

use idcard_ocr::{
    access::{
        keys::{NewKey, Quota, Rate},
        secret, Keyring, KeysFile, QuotaPeriod, Side,
    },
    grpc::middleware::AccessControl,
    pb::RecognizeIdCardRequest,
    usage::{self, Store},
};

/// A fresh directory under the system's temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "idcard-{name}-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A key with no limits; fill in what a test needs.
pub fn key(id: &str) -> NewKey {
    NewKey {
        id: id.into(),
        secret_hash: String::new(),
        created: chrono::Utc::now(),
        expires: None,
        sides: None,
        quota: None,
        rate: None,
    }
}

pub fn with_quota(mut key: NewKey, calls: u64) -> NewKey {
    key.quota = Some(Quota {
        calls,
        period: QuotaPeriod::Day,
    });
    key
}

pub fn with_rate(mut key: NewKey, per_second: f64, burst: u32) -> NewKey {
    key.rate = Some(Rate { per_second, burst });
    key
}

pub fn with_sides(mut key: NewKey, sides: &[Side]) -> NewKey {
    key.sides = Some(sides.to_vec());
    key
}

/// Adds `key` to the file with a new secret, and returns the secret.
pub fn add_key(file: &KeysFile, mut key: NewKey) -> String {
    let new_secret = secret::generate();
    key.secret_hash = secret::hash(&new_secret);
    file.add(&key).unwrap();
    new_secret
}

/// Access control over `file`, with quotas in `state_dir`.
pub fn embedded_access(file: &KeysFile, state_dir: &std::path::Path) -> AccessControl {
    AccessControl {
        keyring: Arc::new(Keyring::load(file.clone()).unwrap()),
        store: Store::Embedded {
            quotas: usage::sqlite::SqliteQuotas::open(&state_dir.join("usage.sqlite3")).unwrap(),
            rates: Default::default(),
        },
    }
}

/// A request carrying the cloud API's two headers.
pub fn signed<T>(message: T, id: &str, secret: &str) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request
        .metadata_mut()
        .insert("x-df-api-id", id.parse().unwrap());
    request
        .metadata_mut()
        .insert("x-df-api-secret", secret.parse().unwrap());
    request
}

/// A body that passes every access check and then fails fast on the image rules: it
/// proves a call got through the gates without the cost of reading a card.
pub fn cheap_body() -> tokio_stream::Iter<std::vec::IntoIter<RecognizeIdCardRequest>> {
    tokio_stream::iter(vec![super::chunk(b"GIF89a not a card")])
}
