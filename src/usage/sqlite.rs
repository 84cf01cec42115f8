//! Quota counters in a SQLite file: one row per key and period, the periods that are over
//! dropped as a key's next one starts.
//!
//! Each call is counted in its own transaction with `synchronous = FULL` in WAL mode, so a
//! call counted (and admitted) is on disk before the call runs: a crash loses none.

use std::{
    path::Path,
    sync::{Arc, Mutex},
    time::Duration,
};

use rusqlite::{params, Connection, OptionalExtension};

use super::{PeriodWindow, QuotaDecision, UsageError};

/// See the module documentation.
#[derive(Debug, Clone)]
pub struct SqliteQuotas {
    connection: Arc<Mutex<Connection>>,
}

impl SqliteQuotas {
    /// Opens (creating) the database at `path`.
    pub fn open(path: &Path) -> Result<Self, UsageError> {
        let connection = Connection::open(path)?;
        let mode: String =
            connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        tracing::debug!(mode, "usage database journal");
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.busy_timeout(Duration::from_secs(5))?;
        connection.execute_batch(
            "CREATE TABLE IF NOT EXISTS quota_usage (
                 key_id TEXT NOT NULL,
                 period TEXT NOT NULL,
                 calls  INTEGER NOT NULL,
                 PRIMARY KEY (key_id, period)
             ) WITHOUT ROWID;",
        )?;
        Ok(Self {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    /// Counts a call for `key_id` in `window` if fewer than `limit` are counted.
    pub async fn count(
        &self,
        key_id: &str,
        limit: u64,
        window: PeriodWindow,
    ) -> Result<QuotaDecision, UsageError> {
        let connection = Arc::clone(&self.connection);
        let key_id = key_id.to_owned();
        tokio::task::spawn_blocking(move || {
            let connection = connection.lock().unwrap_or_else(|e| e.into_inner());
            count_in(&connection, &key_id, limit, window)
        })
        .await?
    }
}

fn count_in(
    connection: &Connection,
    key_id: &str,
    limit: u64,
    window: PeriodWindow,
) -> Result<QuotaDecision, UsageError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    // One statement: the check and the increment cannot be split by another server
    // sharing the file. No row comes back when the quota is used up.
    let counted: Option<i64> = connection
        .query_row(
            "INSERT INTO quota_usage (key_id, period, calls) VALUES (?1, ?2, 1)
             ON CONFLICT (key_id, period) DO UPDATE SET calls = calls + 1 WHERE calls < ?3
             RETURNING calls",
            params![key_id, window.label, limit],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(used) = counted {
        if used == 1 {
            // The key's first call of a new period: its counters of periods that are over
            // for every server go, so the file keeps a few rows per key, not one per day.
            // Day and month labels differ in length, and sort by date within a length.
            connection.execute(
                "DELETE FROM quota_usage
                 WHERE key_id = ?1 AND length(period) = length(?2) AND period < ?2",
                params![key_id, window.previous],
            )?;
        }
        return Ok(QuotaDecision::Counted { used: used as u64 });
    }
    let used: i64 = connection.query_row(
        "SELECT calls FROM quota_usage WHERE key_id = ?1 AND period = ?2",
        params![key_id, window.label],
        |row| row.get(0),
    )?;
    Ok(QuotaDecision::Exhausted {
        used: used as u64,
        resets_at: window.ends_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::keys::QuotaPeriod;

    /// A fresh directory for one test's database, `idcard-<name>-<pid>` under the system's
    /// temporary directory, and the database's path in it (no file there yet).
    fn fresh_database(name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("idcard-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("usage.sqlite3");
        let _ = std::fs::remove_file(&path);
        (dir, path)
    }

    #[tokio::test]
    async fn counts_up_to_the_limit_and_survives_reopening() {
        let (dir, path) = fresh_database("usage");
        let now = chrono::Utc::now();
        let window = || PeriodWindow::containing(QuotaPeriod::Day, now);
        let store = SqliteQuotas::open(&path).unwrap();
        for expected in 1..=2 {
            assert_eq!(
                store.count("k", 2, window()).await.unwrap(),
                QuotaDecision::Counted { used: expected }
            );
        }
        assert!(matches!(
            store.count("k", 2, window()).await.unwrap(),
            QuotaDecision::Exhausted { used: 2, .. }
        ));
        // Another key and another period count apart.
        assert_eq!(
            store.count("other", 2, window()).await.unwrap(),
            QuotaDecision::Counted { used: 1 }
        );
        let next_month = PeriodWindow::containing(QuotaPeriod::Month, now);
        assert_eq!(
            store.count("k", 2, next_month).await.unwrap(),
            QuotaDecision::Counted { used: 1 }
        );
        drop(store);
        let reopened = SqliteQuotas::open(&path).unwrap();
        assert!(matches!(
            reopened.count("k", 2, window()).await.unwrap(),
            QuotaDecision::Exhausted { used: 2, .. }
        ));
        // A raised limit admits again.
        assert_eq!(
            reopened.count("k", 3, window()).await.unwrap(),
            QuotaDecision::Counted { used: 3 }
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn drops_a_keys_counters_of_periods_long_over() {
        let (dir, path) = fresh_database("prune");
        let store = SqliteQuotas::open(&path).unwrap();
        let now = chrono::Utc::now();
        let day = |days_ago: i64| {
            PeriodWindow::containing(QuotaPeriod::Day, now - chrono::Duration::days(days_ago))
        };
        let month = PeriodWindow::containing(QuotaPeriod::Month, now);
        for window in [day(3), day(1), month.clone(), day(0)] {
            store.count("k", 10, window).await.unwrap();
        }
        store.count("other", 10, day(3)).await.unwrap();
        let periods = |key: &str| -> Vec<String> {
            let connection = store.connection.lock().unwrap();
            let mut statement = connection
                .prepare("SELECT period FROM quota_usage WHERE key_id = ?1 ORDER BY period")
                .unwrap();
            let rows = statement.query_map([key], |row| row.get(0)).unwrap();
            rows.map(Result::unwrap).collect()
        };
        // Three days ago is over everywhere; yesterday is kept for a server whose clock
        // is behind; the month counter is of another kind; another key is its own.
        let mut expected = vec![day(1).label, day(0).label, month.label];
        expected.sort();
        assert_eq!(periods("k"), expected);
        assert_eq!(periods("other"), vec![day(3).label]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
