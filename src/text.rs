//! Small string helpers written over bytes, where the `str` method would compile core's pattern searchers.

/// The part of `text` after its last `sep`, or all of `text` when there is none: `text.rsplit(sep).next()`
/// for an ASCII separator, without the reverse `char` searcher (`SplitInternal::next_back`, `memrchr`) that
/// `rsplit` brings in.
#[must_use]
pub fn after_last(text: &str, sep: u8) -> &str {
    text.as_bytes().iter().rposition(|b| *b == sep).and_then(|at| text.get(at + 1..)).unwrap_or(text)
}

/// `text.split_once(sep)` for an ASCII separator, over bytes: `str::split_once` and `str::split` with a `char`
/// compile core's forward `char` searcher (`CharSearcher`, `memchr`), which this crate otherwise never needs.
#[must_use]
pub fn split_once(text: &str, sep: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == sep)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// Whether `a` and `b` are the same text, compared eight bytes at a time. Wasm has no memcmp instruction, and the
/// byte-at-a-time one linked in made comparing a session's tokens with those seen last a quarter of getSession().
#[must_use]
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let word = |bytes: &[u8], at: usize| bytes.get(at..at + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()).map(u64::from_ne_bytes);
    let mut at = 0;
    while let (Some(x), Some(y)) = (word(a, at), word(b, at)) {
        if x != y {
            return false;
        }
        at += 8;
    }
    a.get(at..) == b.get(at..)
}

/// `text.split(sep)` for an ASCII separator, through [`split_once`] (see there why not `str::split`).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // Only the browser's cookie storage splits.
pub fn split(text: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let chunk = rest?;
        let (head, tail) = split_once(chunk, sep).map_or((chunk, None), |(head, tail)| (head, Some(tail)));
        rest = tail;
        Some(head)
    })
}

/// `text.trim_start_matches(char::from(b))` for an ASCII byte, over bytes rather than through a `char` searcher.
#[must_use]
pub fn trim_start_byte(text: &str, b: u8) -> &str {
    let n = text.bytes().take_while(|c| *c == b).count();
    text.get(n..).unwrap_or(text)
}

/// `text.trim_end_matches(char::from(b))` for an ASCII byte, over bytes rather than through a `char` searcher.
#[must_use]
pub fn trim_end_byte(text: &str, b: u8) -> &str {
    let n = text.bytes().rev().take_while(|c| *c == b).count();
    text.get(..text.len() - n).unwrap_or(text)
}

/// Whether `needle` occurs in `haystack`, as `str::contains` says, by a plain byte scan: `str::contains` brings
/// in the two-way searcher and a char-boundary panic path with Debug formatting of chars, ~9 KB of wasm for the
/// few short needles the flows look for (the refresh fallback's and the stale device's error messages).
#[must_use]
pub fn contains(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..=h.len().saturating_sub(n.len())).any(|i| h.get(i..i + n.len()) == Some(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_compares_every_byte() {
        let base = "eyJhbGciOiJSUzI1NiJ9.payload-of-some-length.signature-part";
        assert!(same(base, base));
        assert!(same("", ""));
        for i in 0..base.len() {
            let mut changed = base.as_bytes().to_vec();
            changed[i] ^= 1;
            assert!(!same(base, std::str::from_utf8(&changed).unwrap()), "byte {i}");
        }
        assert!(!same(base, &base[..base.len() - 1]));
        assert!(!same("abcdefgh", "abcdefgi"));
    }

    /// `contains` answers as `str::contains` does, at the edges too.
    #[test]
    fn contains_matches_str_contains() {
        let haystacks = ["", "a", "not supported", "GetTokensFromRefreshToken is not enabled", "é not enabledé", "not enable"];
        let needles = ["", "a", "not supported", "not enabled", "gettokensfromrefreshtoken", "é", "enabledé"];
        for h in haystacks {
            for n in needles {
                assert_eq!(contains(h, n), h.contains(n), "{h:?} / {n:?}");
            }
        }
    }

    #[test]
    fn matches_rsplit() {
        for text in ["", "#", "##", "##a##", "a#", "#b", "a#b", "a#b#c", "ab", "é#ü", "aws.cognito#NotAuthorized:http://x#y"] {
            assert_eq!(after_last(text, b'#'), text.rsplit('#').next().unwrap_or(text), "{text:?}");
            assert_eq!(split_once(text, b'#'), text.split_once('#'), "{text:?}");
            assert_eq!(split(text, b'#').collect::<Vec<_>>(), text.split('#').collect::<Vec<_>>(), "{text:?}");
            assert_eq!(trim_start_byte(text, b'#'), text.trim_start_matches('#'), "{text:?}");
            assert_eq!(trim_end_byte(text, b'#'), text.trim_end_matches('#'), "{text:?}");
        }
    }
}
