//! Refuses calls beyond a key's rate with RATE_LIMIT_EXCEEDED and a RetryInfo saying when
//! a call will fit. Buckets live in the usage store: in memory for one server, in Redis
//! for a fleet.

use http::request::Parts;

use super::{gate::Check, Caller};
use crate::{
    grpc::AccessError,
    usage::{RateDecision, Store},
};

/// See the module documentation.
#[derive(Debug, Clone)]
pub struct RateLimit {
    store: Store,
}

impl RateLimit {
    /// Limits rates with buckets in `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

impl Check for RateLimit {
    async fn check(&self, request: &mut Parts) -> Result<(), AccessError> {
        let Some(Caller(key)) = request.extensions.get::<Caller>() else {
            return Ok(());
        };
        let Some(rate) = key.rate else {
            return Ok(());
        };
        match self.store.take_token(&key.id, rate).await {
            Ok(RateDecision::Allowed) => Ok(()),
            Ok(RateDecision::Limited { retry_after }) => Err(AccessError::RateLimited {
                per_second: rate.per_second,
                burst: rate.burst,
                retry_after,
            }),
            Err(error) => {
                tracing::error!(%error, "rate limit store failed; refusing the call");
                Err(AccessError::UsageStoreUnavailable)
            }
        }
    }
}
