//! The injected clock.

/// Tells the time. The core never reads a clock itself, so tests can set the time and move it.
pub trait Clock {
    /// Milliseconds since the Unix epoch.
    fn now_millis(&self) -> i64;

    /// Whole seconds since the Unix epoch, as JWT claims count.
    fn now_secs(&self) -> i64 {
        self.now_millis().div_euclid(1000)
    }
}
