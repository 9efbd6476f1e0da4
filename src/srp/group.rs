//! The SRP group Cognito uses: RFC 3526's 3072-bit MODP prime with generator 2.
//!
//! Not RFC 5054's 3072-bit group parameters as the `srp` crate has them: Cognito pairs the same prime with g = 2
//! and derives its own multiplier k, so nothing here can be borrowed from a generic SRP implementation.

use std::sync::OnceLock;

use super::hex::hash_padded;
use super::Uint;

/// RFC 3526 group 15 (3072-bit MODP prime), the `N` of Cognito's SRP.
const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1",
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245",
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D",
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D",
    "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9",
    "DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64",
    "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B",
    "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31",
    "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

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
