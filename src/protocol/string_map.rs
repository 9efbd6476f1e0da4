//! [`StringMap`]: string keys to string values, kept sorted by key; and [`SortedMap`], the same for other values.

/// A string-to-string map: AuthParameters, ChallengeParameters, ChallengeResponses, ClientMetadata, user
/// attributes.
pub type StringMap = SortedMap<String>;

/// A map from strings, as a `Vec` of pairs sorted by key, each key once, rather than a `BTreeMap`: it iterates in
/// the same order and keeps the same last-insert-wins rule, but these maps hold a handful of entries and the
/// B-tree code was ~11 KB of the wasm build (per value type). Lookups and inserts are binary searches.
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

impl<V> FromIterator<(String, V)> for SortedMap<V> {
    /// Later entries for a key replace earlier ones, as with a map.
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
}
