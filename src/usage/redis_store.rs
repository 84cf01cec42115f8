//! Rate buckets and quota counters in Redis, shared by every replica.
//!
//! Each check is one Lua script, so it is atomic across the fleet. The bucket script reads
//! Redis's own clock (`TIME`), so replicas with skewed clocks still share one bucket.
//! Durability is Redis's: run it with `appendonly yes` and `appendfsync always` if a
//! Redis crash must not forget counted calls.

use std::time::Duration;

use chrono::{DateTime, Utc};
use redis::{aio::ConnectionManager, Script};

use super::{PeriodWindow, QuotaDecision, RateDecision, UsageError};
use crate::access::keys::Rate;

/// A token bucket as a hash {tokens, ts}: refill by the time elapsed, take one if there.
/// Returns {1, 0} when allowed, {0, microseconds to wait} when not. The same arithmetic
/// as `bucket::Bucket::take`.
const TAKE_TOKEN: &str = r"
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local updated = tonumber(state[2]) or now
local elapsed = math.max(0, now - updated) / 1000000
tokens = math.min(burst, tokens + elapsed * rate)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) / rate * 1000000)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', string.format('%d', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {allowed, wait}
";

/// Counts a call unless `limit` are counted; the counter expires after its period.
/// Returns {1, used} when counted, {0, used} when the quota is used up.
const COUNT_CALL: &str = r"
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then
  return {0, used}
end
used = redis.call('INCR', KEYS[1])
redis.call('EXPIREAT', KEYS[1], ARGV[2])
return {1, used}
";

/// See the module documentation.
#[derive(Clone)]
pub struct RedisUsage {
    connection: ConnectionManager,
    prefix: String,
    take_token: Script,
    count_call: Script,
}

impl std::fmt::Debug for RedisUsage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisUsage")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl RedisUsage {
    /// Connects to `url` (`redis://host:port/db`); keys are named `prefix:...`.
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, UsageError> {
        let client = redis::Client::open(url)?;
        let connection = client.get_connection_manager().await?;
        Ok(Self {
            connection,
            prefix: prefix.to_owned(),
            take_token: Script::new(TAKE_TOKEN),
            count_call: Script::new(COUNT_CALL),
        })
    }

    /// Takes a token from `key_id`'s shared bucket.
    pub async fn take_token(&self, key_id: &str, rate: Rate) -> Result<RateDecision, UsageError> {
        let mut connection = self.connection.clone();
        let (allowed, wait_us): (i64, i64) = self
            .take_token
            .key(format!("{}:rate:{key_id}", self.prefix))
            .arg(rate.per_second)
            .arg(rate.burst)
            .invoke_async(&mut connection)
            .await?;
        Ok(if allowed == 1 {
            RateDecision::Allowed
        } else {
            RateDecision::Limited {
                retry_after: Duration::from_micros(wait_us.max(1) as u64),
            }
        })
    }

    /// Counts a call against `key_id`'s shared quota.
    pub async fn count_call(
        &self,
        key_id: &str,
        limit: u64,
        window: PeriodWindow,
    ) -> Result<QuotaDecision, UsageError> {
        let mut connection = self.connection.clone();
        // Kept a day past the period's end, for whoever inspects usage.
        let expire_at: DateTime<Utc> = window.ends_at + chrono::Duration::days(1);
        let (counted, used): (i64, i64) = self
            .count_call
            .key(format!("{}:quota:{key_id}:{}", self.prefix, window.label))
            .arg(limit)
            .arg(expire_at.timestamp())
            .invoke_async(&mut connection)
            .await?;
        let used = used.max(0) as u64;
        Ok(if counted == 1 {
            QuotaDecision::Counted { used }
        } else {
            QuotaDecision::Exhausted {
                used,
                resets_at: window.ends_at,
            }
        })
    }
}
