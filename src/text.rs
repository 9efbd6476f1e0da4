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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_rsplit() {
        for text in ["", "#", "a#", "#b", "a#b", "a#b#c", "ab", "é#ü", "aws.cognito#NotAuthorized:http://x#y"] {
            assert_eq!(after_last(text, b'#'), text.rsplit('#').next().unwrap_or(text), "{text:?}");
            assert_eq!(split_once(text, b'#'), text.split_once('#'), "{text:?}");
        }
    }
}
