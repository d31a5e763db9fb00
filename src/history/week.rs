//! ISO 8601 weeks (`2026-W47`): parsing the `--week` flag, the week of a date, and "the last
//! full week" that `sample` and `review` default to.

use std::fmt;

use jiff::civil::{Date, ISOWeekDate, Weekday};

/// An ISO week: weeks start on Monday; week 1 is the week holding the year's first Thursday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    year: i16,
    week: i8,
}

impl IsoWeek {
    /// Parses `YYYY-Www` (e.g. `2026-W47`); the error says what to write instead.
    pub fn parse(text: &str) -> Result<IsoWeek, String> {
        let bad = || {
            format!("{text:?}: not an ISO week; write it as YYYY-Www, e.g. 2026-W47 (weeks 01-52, or 53 in long years)")
        };
        let (year, week) = text.trim().split_once("-W").ok_or_else(bad)?;
        if year.len() != 4 || week.len() != 2 {
            return Err(bad());
        }
        let year: i16 = year.parse().map_err(|_| bad())?;
        let week: i8 = week.parse().map_err(|_| bad())?;
        ISOWeekDate::new(year, week, Weekday::Monday).map_err(|_| {
            if week == 53 {
                format!("{text:?}: {year} has only 52 ISO weeks")
            } else {
                bad()
            }
        })?;
        Ok(IsoWeek { year, week })
    }

    /// The week holding `date`.
    pub fn of(date: Date) -> IsoWeek {
        let iso = date.iso_week_date();
        IsoWeek {
            year: iso.year(),
            week: iso.week(),
        }
    }

    /// The last full week before `date`: the week before the one holding it.
    pub fn last_full_before(date: Date) -> IsoWeek {
        IsoWeek::of(
            IsoWeek::of(date)
                .monday()
                .saturating_sub(jiff::Span::new().days(7)),
        )
    }

    /// Its Monday.
    pub fn monday(self) -> Date {
        self.day(Weekday::Monday)
    }

    /// Its Sunday.
    pub fn sunday(self) -> Date {
        self.day(Weekday::Sunday)
    }

    fn day(self, weekday: Weekday) -> Date {
        // Constructed only from valid weeks (parse checks, `of` derives from a real date).
        ISOWeekDate::new(self.year, self.week, weekday)
            .map(ISOWeekDate::date)
            .unwrap_or(Date::MIN)
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.week)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn weeks_parse_and_print_round_trip() {
        let week = IsoWeek::parse("2026-W47").unwrap();
        assert_eq!(week.to_string(), "2026-W47");
        assert_eq!(week.monday(), date(2026, 11, 16));
        assert_eq!(week.sunday(), date(2026, 11, 22));
    }

    #[test]
    fn a_week_belongs_to_its_iso_year() {
        // 2027-01-01 is a Friday: it belongs to the last week of 2026.
        assert_eq!(IsoWeek::of(date(2027, 1, 1)).to_string(), "2026-W53");
        assert_eq!(IsoWeek::of(date(2024, 12, 30)).to_string(), "2025-W01");
    }

    #[test]
    fn the_last_full_week_is_the_previous_one() {
        // Wednesday of W48 → W47; Monday of W48 → W47 too; across the year boundary.
        assert_eq!(
            IsoWeek::last_full_before(date(2026, 11, 25)).to_string(),
            "2026-W47"
        );
        assert_eq!(
            IsoWeek::last_full_before(date(2026, 11, 23)).to_string(),
            "2026-W47"
        );
        assert_eq!(
            IsoWeek::last_full_before(date(2025, 1, 2)).to_string(),
            "2024-W52"
        );
    }

    #[test]
    fn bad_weeks_are_refused() {
        for text in [
            "2026-47", "2026-W7", "2026-W00", "2026-W54", "26-W10", "2026-Wxx",
        ] {
            assert!(IsoWeek::parse(text).is_err(), "{text}");
        }
        assert!(IsoWeek::parse("2025-W53").unwrap_err().contains("only 52"));
        assert!(IsoWeek::parse("2026-W53").is_ok());
    }
}
