//! The UTC calendar day or month a quota counts in.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};

use crate::access::keys::QuotaPeriod;

/// One period: its label (the counter's name) and its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodWindow {
    /// `2026-11-26` for a day, `2026-11` for a month.
    pub label: String,
    /// The first instant of the next period.
    pub ends_at: DateTime<Utc>,
    /// The label of the period before (`2026-11-25`, `2026-10`). Counters older than it
    /// are over for every server sharing the store, even one whose clock runs a little
    /// behind, and may be dropped.
    pub previous: String,
}

impl PeriodWindow {
    /// The period of kind `period` that holds `now`.
    pub fn containing(period: QuotaPeriod, now: DateTime<Utc>) -> Self {
        let today = now.date_naive();
        let (label, next, previous) = match period {
            QuotaPeriod::Day => (
                today.format("%Y-%m-%d").to_string(),
                today.succ_opt().expect("dates before year 262143"),
                today
                    .pred_opt()
                    .expect("dates after year -262143")
                    .format("%Y-%m-%d")
                    .to_string(),
            ),
            QuotaPeriod::Month => {
                let (year, month) = if today.month() == 12 {
                    (today.year() + 1, 1)
                } else {
                    (today.year(), today.month() + 1)
                };
                let last_month = today
                    .with_day(1)
                    .and_then(|first| first.pred_opt())
                    .expect("the day before a month's first exists");
                (
                    today.format("%Y-%m").to_string(),
                    NaiveDate::from_ymd_opt(year, month, 1).expect("the first of a month exists"),
                    last_month.format("%Y-%m").to_string(),
                )
            }
        };
        let ends_at = Utc.from_utc_datetime(&next.and_hms_opt(0, 0, 0).expect("midnight exists"));
        Self {
            label,
            ends_at,
            previous,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn days_and_months_end_at_utc_midnight() {
        let day = PeriodWindow::containing(QuotaPeriod::Day, at("2026-11-26T23:59:59Z"));
        assert_eq!(day.label, "2026-11-26");
        assert_eq!(day.ends_at, at("2026-11-27T00:00:00Z"));
        let month = PeriodWindow::containing(QuotaPeriod::Month, at("2026-12-31T12:00:00Z"));
        assert_eq!(month.label, "2026-12");
        assert_eq!(month.ends_at, at("2027-01-01T00:00:00Z"));
        assert_eq!(day.previous, "2026-11-25");
        assert_eq!(month.previous, "2026-11");
        let january = PeriodWindow::containing(QuotaPeriod::Month, at("2027-01-15T00:00:00Z"));
        assert_eq!(january.previous, "2026-12");
        // A time given in +02:00 counts by its UTC day.
        let cairo = PeriodWindow::containing(QuotaPeriod::Day, at("2026-11-27T01:00:00+02:00"));
        assert_eq!(cairo.label, "2026-11-26");
    }
}
