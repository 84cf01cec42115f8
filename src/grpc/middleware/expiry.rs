//! Refuses keys past their expiry with KEY_EXPIRED.

use http::request::Parts;

use super::{gate::Check, Caller};
use crate::grpc::AccessError;

/// See the module documentation.
#[derive(Debug, Clone, Default)]
pub struct CheckExpiry;

impl Check for CheckExpiry {
    async fn check(&self, request: &mut Parts) -> Result<(), AccessError> {
        let Some(Caller(key)) = request.extensions.get::<Caller>() else {
            return Ok(()); // An open service: authentication let it through.
        };
        match key.expires {
            Some(expires) if key.expired_at(chrono::Utc::now()) => Err(AccessError::Expired {
                expired_at: expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            }),
            _ => Ok(()),
        }
    }
}
