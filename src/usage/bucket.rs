//! Token buckets in memory, for a single server.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use super::RateDecision;
use crate::access::keys::Rate;

/// One bucket: `tokens` at `updated`.
#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl Bucket {
    /// A full bucket.
    pub fn full(rate: Rate, now: Instant) -> Self {
        Self {
            tokens: f64::from(rate.burst),
            updated: now,
        }
    }

    /// Refills for the time since the last call, then takes one token if there is one.
    /// The same arithmetic as the Redis script in `redis_store`.
    pub fn take(&mut self, rate: Rate, now: Instant) -> RateDecision {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate.per_second).min(f64::from(rate.burst));
        self.updated = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            RateDecision::Allowed
        } else {
            RateDecision::Limited {
                retry_after: Duration::from_secs_f64((1.0 - self.tokens) / rate.per_second),
            }
        }
    }
}

/// A bucket per key id.
#[derive(Debug, Clone, Default)]
pub struct LocalBuckets {
    buckets: Arc<Mutex<HashMap<String, Bucket>>>,
}

impl LocalBuckets {
    /// Takes a token from `key_id`'s bucket (made full on first use).
    pub fn take(&self, key_id: &str, rate: Rate) -> RateDecision {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        buckets
            .entry(key_id.to_owned())
            .or_insert_with(|| Bucket::full(rate, now))
            .take(rate, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_rate() {
        let rate = Rate {
            per_second: 2.0,
            burst: 3,
        };
        let start = Instant::now();
        let mut bucket = Bucket::full(rate, start);
        for _ in 0..3 {
            assert_eq!(bucket.take(rate, start), RateDecision::Allowed);
        }
        let RateDecision::Limited { retry_after } = bucket.take(rate, start) else {
            panic!("the fourth call at once must wait");
        };
        assert!((retry_after.as_secs_f64() - 0.5).abs() < 1e-9);
        // Half a second later one token is back, and only one.
        let later = start + Duration::from_millis(500);
        assert_eq!(bucket.take(rate, later), RateDecision::Allowed);
        assert!(matches!(
            bucket.take(rate, later),
            RateDecision::Limited { .. }
        ));
        // A long pause refills to the burst, not beyond.
        let much_later = later + Duration::from_secs(60);
        let allowed = (0..10)
            .filter(|_| bucket.take(rate, much_later) == RateDecision::Allowed)
            .count();
        assert_eq!(allowed, 3);
    }
}
