//! The TIMESTAMP of a PASSWORD_VERIFIER answer: `EEE MMM d HH:mm:ss UTC yyyy` in English, e.g.
//! `Wed Nov 5 09:05:07 UTC 2026`. It is signed, so the server must accept exactly the string the client
//! produced, and checks it is close to its own clock.

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The string does not have the Cognito TIMESTAMP shape.
#[derive(Debug, PartialEq, Eq)]
pub struct InvalidTimestamp;

/// Parses a TIMESTAMP into seconds since the Unix epoch. The day of month may be zero-padded or not; the
/// weekday must be a valid English abbreviation but, like Java's parser that Cognito uses, is not
/// cross-checked against the date.
pub fn parse(text: &str) -> Result<i64, InvalidTimestamp> {
    let parts: Vec<&str> = text.split(' ').collect();
    let [dow, mon, day, time, zone, year] = parts.as_slice() else {
        return Err(InvalidTimestamp);
    };
    if !DAYS.contains(dow) || *zone != "UTC" {
        return Err(InvalidTimestamp);
    }
    let month = MONTHS
        .iter()
        .position(|m| m == mon)
        .ok_or(InvalidTimestamp)? as u32
        + 1;
    let day = digits(day, 1, 2)?;
    let year = digits(year, 4, 4)? as i64;
    let hms: Vec<&str> = time.split(':').collect();
    let [h, m, s] = hms.as_slice() else {
        return Err(InvalidTimestamp);
    };
    let (h, m, s) = (digits(h, 2, 2)?, digits(m, 2, 2)?, digits(s, 2, 2)?);
    if day == 0 || day > days_in_month(year, month) || h > 23 || m > 59 || s > 59 {
        return Err(InvalidTimestamp);
    }
    let days = days_from_civil(year, month, day);
    Ok(days * 86_400 + i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s))
}

/// Formats epoch seconds the way the official client does (day of month not padded).
#[cfg(test)]
pub fn format(epoch: i64) -> String {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    let dow = (days + 4).rem_euclid(7) as usize; // 1970-01-01 was a Thursday
    format!(
        "{} {} {} {:02}:{:02}:{:02} UTC {}",
        DAYS.get(dow).copied().unwrap_or("Sun"),
        MONTHS.get(mo as usize - 1).copied().unwrap_or("Jan"),
        d,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        y
    )
}

fn digits(text: &str, min: usize, max: usize) -> Result<u32, InvalidTimestamp> {
    if text.len() < min || text.len() > max || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(InvalidTimestamp);
    }
    text.parse().map_err(|_| InvalidTimestamp)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cognito_format() {
        // 2026-11-05T09:05:07Z
        assert_eq!(parse("Wed Nov 5 09:05:07 UTC 2026"), Ok(1_793_869_507));
        assert_eq!(parse("Wed Nov 05 09:05:07 UTC 2026"), Ok(1_793_869_507));
        assert_eq!(parse("Thu Jan 1 00:00:00 UTC 1970"), Ok(0));
        assert_eq!(parse("Thu Feb 29 23:59:59 UTC 2024"), Ok(1_709_251_199));
    }

    #[test]
    fn rejects_other_formats() {
        for bad in [
            "",
            "2026-11-05T09:05:07Z",
            "Wed Nov  5 09:05:07 UTC 2026",
            "Wed Nov 5 09:05:07 GMT 2026",
            "Wed Nov 5 9:05:07 UTC 2026",
            "Wed Nov 5 09:05 UTC 2026",
            "Wednesday Nov 5 09:05:07 UTC 2026",
            "Wed November 5 09:05:07 UTC 2026",
            "wed nov 5 09:05:07 UTC 2026",
            "Wed Nov 31 09:05:07 UTC 2026",
            "Wed Feb 29 09:05:07 UTC 2026",
            "Wed Nov 5 24:05:07 UTC 2026",
            "Wed Nov 5 09:05:07 UTC 26",
            "Wed Nov 5 09:05:07 UTC 2026 ",
            "Wed Nov 005 09:05:07 UTC 2026",
        ] {
            assert_eq!(parse(bad), Err(InvalidTimestamp), "{bad:?}");
        }
    }

    #[test]
    fn format_round_trips() {
        assert_eq!(format(1_793_869_507), "Thu Nov 5 09:05:07 UTC 2026");
        for t in [
            0i64,
            1_709_251_199,
            1_793_869_507,
            4_102_444_800,
            951_782_400,
        ] {
            assert_eq!(parse(&format(t)), Ok(t));
        }
    }
}
