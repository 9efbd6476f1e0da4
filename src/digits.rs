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

/// Appends `n` as lowercase hexadecimal without leading zeros, as `format!("{n:x}")` writes it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub fn push_hex(out: &mut String, n: u64) {
    if n >= 16 {
        push_hex(out, n / 16);
    }
    let d = (n % 16) as u8;
    out.push(char::from(if d < 10 { b'0' + d } else { b'a' + d - 10 }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_std_formatting() {
        let unsigned = [0, 1, 9, 10, 99, 100, 12_345, 4_294_967_295, 4_294_967_296, u64::MAX - 1, u64::MAX];
        for n in unsigned {
            assert_eq!(u64_text(n), n.to_string());
            let mut hex = String::new();
            push_hex(&mut hex, n);
            assert_eq!(hex, format!("{n:x}"));
        }
        let signed = [0, 1, -1, 9, -10, 86_400, -86_400, 1_700_000_000_000, i64::MIN, i64::MIN + 1, i64::MAX];
        for n in signed {
            assert_eq!(i64_text(n), n.to_string());
        }
    }
}
