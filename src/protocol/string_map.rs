//! [`StringMap`]: string keys to string values, kept sorted by key; and [`SortedMap`], the same for other values.

/// A string-to-string map: AuthParameters, ChallengeParameters, ChallengeResponses, ClientMetadata, user
/// attributes.
pub type StringMap = SortedMap<String>;

/// A map from strings, as a `Vec` of pairs sorted by key, each key once, rather than a `BTreeMap`: it iterates in
/// the same order and keeps the same last-insert-wins rule, but these maps hold a handful of entries and the
/// B-tree code was ~11 KB of the wasm build (per value type). Lookups are binary searches; an insert also
/// shifts the entries after it, so string maps built from many entries at once go through [`StringMap::from_pairs`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedMap<V>(Vec<(String, V)>);

impl<V> Default for SortedMap<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<V> SortedMap<V> {
    #[must_use]
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// Where `key` is, or where it would go.
    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// The value for `key`.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&V> {
        let i = self.find(key).ok()?;
        self.0.get(i).map(|(_, v)| v)
    }

    #[must_use]
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Sets `key` to `value`, returning the value it replaces.
    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => self.0.get_mut(i).map(|(_, v)| std::mem::replace(v, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<V> {
        let i = self.find(key).ok()?;
        Some(self.0.remove(i).1)
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    /// The entries in key order, as a `Vec`.
    #[must_use]
    pub fn into_pairs(self) -> Vec<(String, V)> {
        self.0
    }

    /// The keys in order, owned.
    pub fn into_keys(self) -> impl Iterator<Item = String> {
        self.0.into_iter().map(|(k, _)| k)
    }
}

impl StringMap {
    /// The map of `pairs`, in any order; a later pair for a key replaces an earlier one, as [`SortedMap::insert`]
    /// one by one would. One sort and one pass rather than an insert each, whose shifting of the `Vec` is
    /// quadratic: a caller's 100,000-key `clientMetadata` took seconds that way, and a million minutes. For string
    /// values only, which is where bulk input arrives (JSON objects of strings): the maps built with `collect` or
    /// `from([..])` hold a few entries, and a generic version would be compiled once per value type.
    #[must_use]
    pub fn from_pairs(mut pairs: Vec<(String, String)>) -> Self {
        let order = latest_in_key_order(&pairs);
        let mut out = Vec::with_capacity(order.len());
        for i in order {
            if let Some(pair) = pairs.get_mut(i) {
                out.push(std::mem::take(pair));
            }
        }
        Self(out)
    }
}

/// The positions of `pairs` in key order, keeping only the last position of each key. A heapsort over positions,
/// ordered by (key, position) so that the order is total and the last of each run of equal keys is the latest:
/// std's sorts (driftsort, ipnsort) are several KB of wasm, for maps that mostly hold a handful of entries.
fn latest_in_key_order(pairs: &[(String, String)]) -> Vec<usize> {
    let n = pairs.len();
    let mut order = Vec::with_capacity(n);
    for i in 0..n {
        order.push(i);
    }
    for root in (0..n / 2).rev() {
        sift_down(pairs, &mut order, root, n);
    }
    for end in (1..n).rev() {
        order.swap(0, end);
        sift_down(pairs, &mut order, 0, end);
    }
    // Of each run of equal keys, keep the last (the highest position).
    let mut out: Vec<usize> = Vec::with_capacity(n);
    for i in order {
        match out.last_mut() {
            Some(last) if key(pairs, *last) == key(pairs, i) => *last = i,
            _ => out.push(i),
        }
    }
    out
}

fn key(pairs: &[(String, String)], i: usize) -> &str {
    pairs.get(i).map_or("", |(k, _)| k)
}

/// Whether position `a` sorts before position `b`: by key, then by position.
fn before(pairs: &[(String, String)], a: usize, b: usize) -> bool {
    (key(pairs, a), a) < (key(pairs, b), b)
}

/// Moves `heap[root]` down within `heap[..end]` until it sorts no earlier than its children (a max-heap).
fn sift_down(pairs: &[(String, String)], heap: &mut [usize], mut root: usize, end: usize) {
    loop {
        let left = 2 * root + 1;
        let mut child = left;
        if left + 1 < end && before(pairs, heap.get(left).copied().unwrap_or(0), heap.get(left + 1).copied().unwrap_or(0)) {
            child = left + 1;
        }
        match (heap.get(root), heap.get(child)) {
            (Some(&at), Some(&below)) if child < end && before(pairs, at, below) => heap.swap(root, child),
            _ => return,
        }
        root = child;
    }
}

impl<V> FromIterator<(String, V)> for SortedMap<V> {
    /// Later entries for a key replace earlier ones, as with a map. One insert each: for the few entries of a
    /// literal or a list of attribute names; many entries at once go through [`StringMap::from_pairs`].
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        let mut map = Self::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl<V, const N: usize> From<[(String, V); N]> for SortedMap<V> {
    fn from(entries: [(String, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl<V> IntoIterator for SortedMap<V> {
    type Item = (String, V);
    type IntoIter = std::vec::IntoIter<(String, V)>;

    /// The entries in key order.
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// Filled the same way, it iterates and answers lookups as a `BTreeMap` does.
    #[test]
    fn behaves_like_a_btree_map() {
        let entries = [("b", "1"), ("a", "2"), ("c", "3"), ("a", "4"), ("", "5"), ("B", "6"), ("b", "7")];
        let mut ours = StringMap::new();
        let mut theirs = BTreeMap::new();
        for (k, v) in entries {
            assert_eq!(ours.insert(k.to_owned(), v.to_owned()), theirs.insert(k.to_owned(), v.to_owned()));
        }
        let collected: StringMap = entries.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        assert_eq!(collected, ours);
        assert_eq!(ours.iter().collect::<Vec<_>>(), theirs.iter().collect::<Vec<_>>());
        assert_eq!(ours.len(), theirs.len());
        for key in ["a", "b", "c", "", "B", "d"] {
            assert_eq!(ours.get(key), theirs.get(key));
            assert_eq!(ours.contains_key(key), theirs.contains_key(key));
        }
        assert_eq!(ours.remove("a"), theirs.remove("a"));
        assert_eq!(ours.remove("zz"), theirs.remove("zz"));
        assert_eq!(ours.clone().into_keys().collect::<Vec<_>>(), theirs.clone().into_keys().collect::<Vec<_>>());
        assert_eq!(ours.into_iter().collect::<Vec<_>>(), theirs.into_iter().collect::<Vec<_>>());
    }

    /// Built at once from many pairs (duplicates among them), it equals the map built by inserting them one by one:
    /// the last pair for a key wins, and the order is the keys'.
    #[test]
    fn from_pairs_is_inserting_one_by_one() {
        let pairs: Vec<(String, String)> = (0..2000)
            .map(|i| (((i * 7919) % 613).to_string(), i.to_string()))
            .chain([(String::new(), "1".to_owned()), (String::new(), "2".to_owned())])
            .collect();
        let mut one_by_one = SortedMap::new();
        for (k, v) in pairs.clone() {
            one_by_one.insert(k, v);
        }
        let at_once = StringMap::from_pairs(pairs.clone());
        assert_eq!(at_once, one_by_one);
        assert_eq!(at_once.len(), 614);
        assert_eq!(at_once.get("").map(String::as_str), Some("2"));
        assert_eq!(pairs.into_iter().collect::<StringMap>(), one_by_one);
        assert_eq!(StringMap::from_pairs(Vec::new()), StringMap::new());
        let one = StringMap::from_pairs(vec![("k".into(), "v".into())]);
        assert_eq!(one.into_pairs(), [("k".to_owned(), "v".to_owned())]);
    }

    /// 100,000 distinct keys, as a caller's clientMetadata may have: built in one sort (inserting one by one
    /// shifted the Vec each time, ~5·10⁹ moves).
    #[test]
    fn a_hundred_thousand_keys_are_built_in_one_sort() {
        let n = 100_000;
        let map = StringMap::from_pairs((0..n).rev().map(|i| (format!("key{i:06}"), i.to_string())).collect());
        assert_eq!(map.len(), n);
        assert_eq!(map.keys().next().map(String::as_str), Some("key000000"));
        assert_eq!(map.get("key099999").map(String::as_str), Some("99999"));
    }
}
