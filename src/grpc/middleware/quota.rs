//! Counts each admitted call against the key's quota for the UTC day or month, and
//! refuses calls beyond it with OUT_OF_QUOTA and a QuotaFailure naming the quota.
//!
//! Last in the stack, so that only calls every other rule admitted are counted. The count
//! is durable before the call runs (see `usage::sqlite`).

use http::request::Parts;

use super::{gate::Check, Caller};
use crate::{
    grpc::AccessError,
    usage::{QuotaDecision, Store},
};

/// See the module documentation.
#[derive(Debug, Clone)]
pub struct CountQuota {
    store: Store,
}

impl CountQuota {
    /// Counts calls in `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

impl Check for CountQuota {
    async fn check(&self, request: &mut Parts) -> Result<(), AccessError> {
        let Some(Caller(key)) = request.extensions.get::<Caller>() else {
            return Ok(());
        };
        let Some(quota) = key.quota else {
            return Ok(());
        };
        match self
            .store
            .count_call(&key.id, quota, chrono::Utc::now())
            .await
        {
            Ok(QuotaDecision::Counted { .. }) => Ok(()),
            Ok(QuotaDecision::Exhausted { resets_at, .. }) => Err(AccessError::QuotaExhausted {
                key_id: key.id.clone(),
                limit: quota.calls,
                period: quota.period.as_str(),
                resets_at: resets_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            }),
            Err(error) => {
                tracing::error!(%error, "quota store failed; refusing the call");
                Err(AccessError::UsageStoreUnavailable)
            }
        }
    }
}
