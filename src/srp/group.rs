//! The SRP group Cognito uses: RFC 3526's 3072-bit MODP prime with generator 2.
//!
//! Not RFC 5054's 3072-bit group parameters as the `srp` crate has them: Cognito pairs the same prime with g = 2
//! and derives its own multiplier k, so nothing here can be borrowed from a generic SRP implementation.

use std::sync::OnceLock;

use super::hex::hash_padded;
use super::mont::N_HEX;
use super::Uint;

/// The group's parameters, computed once: `k` costs a hash of N and every sign-in needs it.
pub struct Group {
    /// The safe prime N.
    pub n: Uint,
    /// The generator, 2.
    pub g: Uint,
    /// k = H(padHex(N) ‖ padHex(g)); g is padded to "02", not to N's width as RFC 5054 would.
    pub k: Uint,
}

/// The one group Cognito uses.
pub fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        // N_HEX is a compile-time constant; parsing it cannot fail.
        let n = Uint::from_hex(N_HEX).unwrap_or_else(|| Uint::from(0));
        let g = Uint::from(2);
        let k = Uint::from_be_bytes(&hash_padded(&[n.to_be_bytes(), g.to_be_bytes()]));
        Group { n, g, k }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_is_the_3072_bit_prime() {
        use num_bigint::BigUint;
        let bytes = group().n.to_be_bytes();
        assert_eq!((bytes.len(), bytes[0] >> 7), (384, 1), "3072 bits");
        let n = BigUint::from_bytes_be(bytes);
        // Fermat check with base 3: holds for a prime, and almost never for a mistyped constant.
        let one = BigUint::from(1u8);
        assert_eq!(BigUint::from(3u8).modpow(&(&n - &one), &n), one, "N is not prime");
    }

    #[test]
    fn k_matches_cognito() {
        // The value amazon-cognito-identity-js computes for k (hexHash('00' + N + '02')).
        assert_eq!(
            format!("{:x}", group().k),
            "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
        );
    }
}
