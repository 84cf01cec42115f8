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
}

impl PeriodWindow {
    /// The period of kind `period` that holds `now`.
    pub fn containing(period: QuotaPeriod, now: DateTime<Utc>) -> Self {
        let today = now.date_naive();
        let (label, next) = match period {
            QuotaPeriod::Day => (
                today.format("%Y-%m-%d").to_string(),
                today.succ_opt().expect("dates before year 262143"),
            ),
            QuotaPeriod::Month => {
                let (year, month) = if today.month() == 12 {
                    (today.year() + 1, 1)
                } else {
                    (today.year(), today.month() + 1)
                };
                (
                    today.format("%Y-%m").to_string(),
                    NaiveDate::from_ymd_opt(year, month, 1).expect("the first of a month exists"),
                )
            }
        };
        let ends_at = Utc.from_utc_datetime(&next.and_hms_opt(0, 0, 0).expect("midnight exists"));
        Self { label, ends_at }
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
        // A time given in +02:00 counts by its UTC day.
        let cairo = PeriodWindow::containing(QuotaPeriod::Day, at("2026-11-27T01:00:00+02:00"));
        assert_eq!(cairo.label, "2026-11-26");
    }
}
