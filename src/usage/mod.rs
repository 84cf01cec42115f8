//! How much and how fast each key calls: token buckets for rates, counters for quotas.
//!
//! Two stores with one interface:
//! - [`Store::Embedded`]: quotas in a SQLite file (one server), rate buckets in memory;
//! - [`Store::Redis`]: both in Redis, so that every replica of a fleet shares them.

pub mod bucket;
pub mod period;
pub mod redis_store;
pub mod sqlite;

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::access::keys::{Quota, Rate};

pub use period::PeriodWindow;

/// Whether a call fits the key's rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RateDecision {
    /// It fits; a token was taken.
    Allowed,
    /// It does not; a token will be there after `retry_after`.
    Limited {
        /// When to retry.
        retry_after: Duration,
    },
}

/// Whether a call fits the key's quota.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum QuotaDecision {
    /// It fits and was counted: `used` calls so far in this period, this one included.
    Counted {
        /// Calls counted in the period.
        used: u64,
    },
    /// The quota is used up; nothing was counted.
    Exhausted {
        /// Calls counted in the period.
        used: u64,
        /// When the period ends and the quota is whole again.
        resets_at: DateTime<Utc>,
    },
}

/// A store failed: the call is refused (fail closed), the cause logged.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    /// The SQLite file.
    #[error("usage database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Redis.
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    /// A blocking task panicked or was cancelled.
    #[error("usage store task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// See the module documentation.
#[derive(Debug, Clone)]
pub enum Store {
    /// One server: SQLite quotas and in-memory buckets.
    Embedded {
        /// Quota counters.
        quotas: sqlite::SqliteQuotas,
        /// Rate buckets.
        rates: bucket::LocalBuckets,
    },
    /// A fleet: everything in Redis.
    Redis(redis_store::RedisUsage),
}

impl Store {
    /// Takes one token from `key_id`'s bucket.
    pub async fn take_token(&self, key_id: &str, rate: Rate) -> Result<RateDecision, UsageError> {
        match self {
            Store::Embedded { rates, .. } => Ok(rates.take(key_id, rate)),
            Store::Redis(redis) => redis.take_token(key_id, rate).await,
        }
    }

    /// Counts one call against `key_id`'s quota, unless it is used up.
    pub async fn count_call(
        &self,
        key_id: &str,
        quota: Quota,
        now: DateTime<Utc>,
    ) -> Result<QuotaDecision, UsageError> {
        let window = PeriodWindow::containing(quota.period, now);
        match self {
            Store::Embedded { quotas, .. } => quotas.count(key_id, quota.calls, window).await,
            Store::Redis(redis) => redis.count_call(key_id, quota.calls, window).await,
        }
    }
}
