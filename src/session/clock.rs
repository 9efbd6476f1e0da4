//! The injected clock, and the arithmetic that moves times between the local clock and Cognito's.

/// Tells the time. The core never reads a clock itself, so tests can set the time and move it.
pub trait Clock {
    /// Milliseconds since the Unix epoch.
    fn now_millis(&self) -> i64;

    /// Whole seconds since the Unix epoch, as JWT claims count.
    fn now_secs(&self) -> i64 {
        self.now_millis().div_euclid(1000)
    }
}

/// The largest clock drift (local clock minus Cognito's, in seconds) taken as real: 400 days. A browser whose
/// clock is off by more than that cannot have received the tokens over HTTPS at all, since TLS certificates are
/// valid for at most 398 days and the browser refuses one outside its validity period; so a larger value is not
/// a measurement but an entry another script or library wrote (or a token's `iat` that is garbage). Such a value
/// counts as no drift, as an absent one does: taken as it is, it would make the session never need refreshing or
/// need it on every call, and its arithmetic could overflow.
pub const MAX_DRIFT_SECS: i64 = 400 * 86_400;

/// The drift of a session whose tokens were issued (`iat`) at `issued_at` on Cognito's clock and received at
/// `now_secs` locally, as the official client computes it; beyond [`MAX_DRIFT_SECS`] it counts as none.
#[must_use]
pub fn drift(now_secs: i64, issued_at: i64) -> i64 {
    bounded_drift(now_secs.saturating_sub(issued_at))
}

/// The drift stored under `clockDrift` (whole seconds, as the official client writes it): absent, malformed or
/// beyond [`MAX_DRIFT_SECS`] counts as none.
#[must_use]
pub fn drift_from_stored(text: Option<&str>) -> i64 {
    text.and_then(|t| crate::digits::parse_i64(t.trim())).map_or(0, bounded_drift)
}

fn bounded_drift(drift: i64) -> i64 {
    if drift.unsigned_abs() <= MAX_DRIFT_SECS.unsigned_abs() {
        drift
    } else {
        0
    }
}

/// The refresh margin actually used for tokens that live `lifetime_secs` (`exp − iat`): at most half their
/// lifetime, and never negative. A margin as long as the lifetime (an app's `refreshMarginSeconds` of 3600 with
/// one-hour tokens, or 600 with Cognito's five-minute minimum) makes tokens need refreshing the moment they are
/// issued, so every call refreshed again: a refresh loop against Cognito.
#[must_use]
pub fn capped_margin(margin_secs: i64, lifetime_secs: i64) -> i64 {
    margin_secs.min(lifetime_secs / 2).max(0)
}

/// Whether a time `expires_at` on Cognito's clock falls within `margin_secs` of local time `now_secs`, given the
/// local clock runs `drift_secs` ahead of Cognito's. Saturating: token claims and stored drift come from outside
/// and must not overflow (a panic would end the SDK for the page).
#[must_use]
pub fn expires_within(now_secs: i64, drift_secs: i64, margin_secs: i64, expires_at: i64) -> bool {
    now_secs.saturating_sub(drift_secs).saturating_add(margin_secs) >= expires_at
}

/// A time `at_secs` on Cognito's clock as milliseconds on the local one (drift `drift_secs`), saturating.
#[must_use]
pub fn local_millis(at_secs: i64, drift_secs: i64) -> i64 {
    at_secs.saturating_add(drift_secs).saturating_mul(1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_drift_is_bounded() {
        let cases = [
            (Some("5"), 5),
            (Some(" -3600\n"), -3600),
            (Some("34560000"), MAX_DRIFT_SECS),
            (Some("-34560000"), -MAX_DRIFT_SECS),
            (Some("34560001"), 0),
            (Some("-34560001"), 0),
            (Some("9223372036854775807"), 0),
            (Some("-9223372036854775808"), 0),
            (Some("99999999999999999999"), 0),
            (Some("1.5"), 0),
            (Some(""), 0),
            (None, 0),
        ];
        for (text, expected) in cases {
            assert_eq!(drift_from_stored(text), expected, "{text:?}");
        }
        assert_eq!(drift(1000, 400), 600);
        assert_eq!(drift(i64::MAX, i64::MIN), 0);
        assert_eq!(drift(0, MAX_DRIFT_SECS + 1), 0);
    }

    #[test]
    fn margins_are_capped_at_half_the_lifetime() {
        assert_eq!(capped_margin(60, 3600), 60);
        assert_eq!(capped_margin(3600, 3600), 1800);
        assert_eq!(capped_margin(600, 300), 150);
        assert_eq!(capped_margin(60, 0), 0);
        assert_eq!(capped_margin(60, -50), 0);
    }

    #[test]
    fn time_arithmetic_saturates() {
        assert!(expires_within(i64::MAX, i64::MIN, i64::MAX, i64::MAX));
        assert!(!expires_within(i64::MIN, i64::MAX, 0, i64::MIN + 1));
        assert_eq!(local_millis(i64::MAX, 1), i64::MAX);
        assert_eq!(local_millis(i64::MIN, -1), i64::MIN);
        assert_eq!(local_millis(100, 5), 105_000);
    }
}
