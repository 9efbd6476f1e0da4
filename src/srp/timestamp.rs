//! The TIMESTAMP Cognito signs: `EEE MMM d HH:mm:ss UTC yyyy` in English, day of month not zero-padded.
//!
//! Formatted by hand from a time passed in: the core never reads a clock, and a locale-aware formatter would be
//! both larger and wrong outside English locales.

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Formats seconds since the Unix epoch, e.g. `Wed Nov 5 09:05:07 UTC 2025`.
#[must_use]
pub fn format_timestamp(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs_of_day = unix_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday (index 4).
    let weekday = DAYS.get((days + 4).rem_euclid(7) as usize).copied().unwrap_or_default();
    let month_name = MONTHS.get((month as usize).wrapping_sub(1)).copied().unwrap_or_default();
    // Numbers written with `digits`, not `write!`, which would bring in core's integer formatting.
    let mut out = String::with_capacity(28);
    for part in [weekday, " ", month_name, " "] {
        out.push_str(part);
    }
    crate::digits::push_u64(&mut out, day.into());
    for (sep, v) in [(" ", secs_of_day / 3600), (":", secs_of_day % 3600 / 60), (":", secs_of_day % 60)] {
        out.push_str(sep);
        if v < 10 {
            out.push('0');
        }
        crate::digits::push_i64(&mut out, v);
    }
    out.push_str(" UTC ");
    crate::digits::push_i64(&mut out, year);
    out
}

/// Gregorian (year, month 1–12, day 1–31) for a count of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_of_month_is_not_padded() {
        assert_eq!(format_timestamp(1_762_333_507), "Wed Nov 5 09:05:07 UTC 2025");
    }

    #[test]
    fn epoch_and_leap_day() {
        assert_eq!(format_timestamp(0), "Thu Jan 1 00:00:00 UTC 1970");
        assert_eq!(format_timestamp(951_782_400), "Tue Feb 29 00:00:00 UTC 2000");
        assert_eq!(format_timestamp(4_102_444_799), "Thu Dec 31 23:59:59 UTC 2099");
    }
}
