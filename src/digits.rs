//! Integers written as text by hand. `to_string`, `format!` and `write!` on integers bring in core's integer
//! formatting: one `Display` function per integer type plus the padding code behind them (`pad_integral`),
//! about 2 KB of wasm for the dozen places this crate writes a number.

/// Appends `n` in decimal, exactly as `n.to_string()` writes it.
pub fn push_u64(out: &mut String, n: u64) {
    if n >= 10 {
        push_u64(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// Appends `n` in decimal, with a `-` when negative, exactly as `n.to_string()` writes it.
pub fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, n.unsigned_abs());
}

/// `n` in decimal, as `n.to_string()` writes it.
#[must_use]
pub fn u64_text(n: u64) -> String {
    let mut out = String::new();
    push_u64(&mut out, n);
    out
}

/// `n` in decimal, as `n.to_string()` writes it.
#[must_use]
pub fn i64_text(n: i64) -> String {
    let mut out = String::new();
    push_i64(&mut out, n);
    out
}

/// A sign and the decimal digits after it, as `str::parse` reads integers: an optional `+` or `-`, then at
/// least one ASCII digit and nothing else. One function for every integer type this crate reads, where each
/// `parse::<T>` was its own copy of core's parsing code. `None` when malformed or above `u64::MAX`.
#[inline(never)]
fn sign_and_magnitude(text: &str) -> Option<(bool, u64)> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for c in digits.bytes() {
        let d = c.checked_sub(b'0').filter(|d| *d < 10)?;
        n = n.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    Some((negative, n))
}

/// `text.parse::<i64>().ok()`.
#[must_use]
pub fn parse_i64(text: &str) -> Option<i64> {
    match sign_and_magnitude(text)? {
        (true, n) => 0_i64.checked_sub_unsigned(n),
        (false, n) => i64::try_from(n).ok(),
    }
}

/// `text.parse::<u64>().ok()`: like std, a `-` sign is refused even before zero.
#[must_use]
pub fn parse_u64(text: &str) -> Option<u64> {
    match sign_and_magnitude(text)? {
        (true, _) => None,
        (false, n) => Some(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_std_formatting() {
        let unsigned = [0, 1, 9, 10, 99, 100, 12_345, 4_294_967_295, 4_294_967_296, u64::MAX - 1, u64::MAX];
        for n in unsigned {
            assert_eq!(u64_text(n), n.to_string());
        }
        let signed = [0, 1, -1, 9, -10, 86_400, -86_400, 1_700_000_000_000, i64::MIN, i64::MIN + 1, i64::MAX];
        for n in signed {
            assert_eq!(i64_text(n), n.to_string());
        }
    }

    #[test]
    fn parses_like_std() {
        let cases = [
            "", "+", "-", "0", "-0", "+0", "00012", "7", "-7", "+7", " 7", "7 ", "1_000", "1.0", "1e3", "0x10", "--1",
            "+-1", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "18446744073709551615", "18446744073709551616", "99999999999999999999999", "٣", "2147483648", "-2147483649",
        ];
        for text in cases {
            assert_eq!(parse_i64(text), text.parse::<i64>().ok(), "i64 {text:?}");
            assert_eq!(parse_u64(text), text.parse::<u64>().ok(), "u64 {text:?}");
            assert_eq!(parse_i64(text).and_then(|n| i32::try_from(n).ok()), text.parse::<i32>().ok(), "i32 {text:?}");
            assert_eq!(parse_u64(text).and_then(|n| usize::try_from(n).ok()), text.parse::<usize>().ok(), "usize {text:?}");
        }
    }
}
