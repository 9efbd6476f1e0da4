//! [`Uint`], the SRP values as they cross the API: non-negative integers of any size, held as bytes.
//!
//! It carries no arithmetic: every computation with these values happens in the fixed-size Montgomery
//! representation (`mont`), and a `Uint` only parses, prints, compares and encodes them (`padHex`).

/// A non-negative integer as its minimal big-endian bytes (zero is one zero byte).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Uint(Vec<u8>);

impl Uint {
    /// The integer whose big-endian bytes these are; leading zero bytes carry no meaning.
    #[must_use]
    pub fn from_be_bytes(bytes: &[u8]) -> Self {
        let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
        match bytes.get(start..) {
            Some(rest) if !rest.is_empty() => Self(rest.to_vec()),
            _ => Self(vec![0]),
        }
    }

    /// Reads hex, the way Cognito's SALT and SRP_B are meant: leading zeros carry no meaning and odd lengths are
    /// fine. `None` for empty input or a non-hex character.
    #[must_use]
    pub fn from_hex(hex: &str) -> Option<Self> {
        if hex.is_empty() {
            return None;
        }
        let mut bytes = Vec::with_capacity(hex.len() / 2 + 1);
        // An odd length gets an implicit leading zero nibble.
        let mut pending: Option<u8> = if hex.len() % 2 == 1 { Some(0) } else { None };
        for c in hex.bytes() {
            let nibble = char::from(c).to_digit(16)? as u8;
            match pending.take() {
                Some(high) => bytes.push(high << 4 | nibble),
                None => pending = Some(nibble),
            }
        }
        Some(Self::from_be_bytes(&bytes))
    }

    /// The minimal big-endian bytes (one zero byte for zero).
    #[must_use]
    pub fn to_be_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Lowercase hex without leading zeros ("0" for zero).
    #[must_use]
    pub fn to_hex(&self) -> String {
        let hex = super::hex::encode(&self.0);
        match hex.strip_prefix('0') {
            Some(rest) if !rest.is_empty() => rest.to_owned(),
            _ => hex,
        }
    }

    /// Whether this is zero.
    #[must_use]
    pub fn is_zero(&self) -> bool {
        self.0 == [0]
    }
}

impl From<u8> for Uint {
    fn from(v: u8) -> Self {
        Self(vec![v])
    }
}

impl std::fmt::LowerHex for Uint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl std::fmt::Debug for Uint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "0x{:x}", self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_without_leading_zeros() {
        for (input, out) in [("0", "0"), ("000", "0"), ("1", "1"), ("0001", "1"), ("abc", "abc"), ("0ABC", "abc"), ("10", "10")] {
            assert_eq!(Uint::from_hex(input).unwrap().to_hex(), out, "{input}");
        }
        assert_eq!(Uint::from_hex("00f0").unwrap().to_be_bytes(), [0xf0]);
        assert_eq!(Uint::from_hex("123").unwrap().to_be_bytes(), [1, 0x23]);
        assert!(Uint::from_hex("0").unwrap().is_zero());
        assert_eq!(Uint::from_be_bytes(&[]), Uint::from(0));
        assert_eq!(Uint::from_be_bytes(&[0, 0, 7]), Uint::from(7));
    }
}
