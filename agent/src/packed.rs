//! The label sets the agent remembers between collections (to end vanished series with staleness
//! markers), packed into one buffer per source.
//!
//! Why one buffer: a [`Labels`] holds two heap strings per label, about 700 bytes in a dozen
//! allocations for a typical series. Kept from one collection to the next, those small blocks sat
//! between the collection's short-lived buffers all over the heap, so almost no heap page was
//! ever free as a whole and `malloc_trim` could give nothing back. Packed, a source's whole set
//! is a single block the size of its text.

use pharos_protocol::{Label, Labels};
use std::cmp::Ordering;

/// Ends a label name or value in the packed form: 0xFF never occurs in UTF-8 text.
const SEP: u8 = 0xFF;

/// A set of label sets, each packed as `name 0xFF value 0xFF …` and kept sorted, all in one buffer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackedSet {
    /// The packed label sets one after another, in sorted order.
    bytes: Vec<u8>,
    /// Where each label set ends in `bytes`.
    ends: Vec<u32>,
}

/// Appends `labels` to `buf` in packed form.
fn pack_into(buf: &mut Vec<u8>, labels: &Labels) {
    for l in labels.iter() {
        buf.extend_from_slice(l.name.as_bytes());
        buf.push(SEP);
        buf.extend_from_slice(l.value.as_bytes());
        buf.push(SEP);
    }
}

/// The label set packed in `packed`.
fn unpack(packed: &[u8]) -> Labels {
    let mut parts = packed.split(|b| *b == SEP);
    let mut out = Vec::new();
    // The text between separators was whole UTF-8 strings, so the conversion loses nothing.
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    while let (Some(name), Some(value)) = (parts.next(), parts.next()) {
        out.push(Label { name: text(name), value: text(value) });
    }
    Labels::from_vec(out)
}

impl PackedSet {
    /// Packs `sets`. Returns the set and, for each input in order, whether it repeats an earlier
    /// one (so the caller can drop duplicates the way a set insert would).
    pub fn build<'a>(sets: impl IntoIterator<Item = &'a Labels>) -> (PackedSet, Vec<bool>) {
        // Pack everything into a scratch buffer first; the kept buffer is allocated once, at
        // its final size, after the scratch is gone.
        let mut scratch = Vec::new();
        let mut ranges: Vec<(usize, usize, usize)> = Vec::new();
        for (i, labels) in sets.into_iter().enumerate() {
            let start = scratch.len();
            pack_into(&mut scratch, labels);
            ranges.push((start, scratch.len(), i));
        }
        let slice = |r: &(usize, usize, usize)| &scratch[r.0..r.1];
        // Equal label sets end up next to each other, the first one given first.
        ranges.sort_unstable_by(|a, b| slice(a).cmp(slice(b)).then(a.2.cmp(&b.2)));
        let mut repeated = vec![false; ranges.len()];
        let mut kept: Vec<&(usize, usize, usize)> = Vec::with_capacity(ranges.len());
        for r in &ranges {
            match kept.last() {
                Some(prev) if slice(prev) == slice(r) => repeated[r.2] = true,
                _ => kept.push(r),
            }
        }
        let total = kept.iter().map(|r| r.1 - r.0).sum();
        let mut bytes = Vec::with_capacity(total);
        let mut ends = Vec::with_capacity(kept.len());
        for r in kept {
            bytes.extend_from_slice(slice(r));
            // A collection is far below 4 GiB of label text; saturate rather than wrap if not.
            ends.push(u32::try_from(bytes.len()).unwrap_or(u32::MAX));
        }
        (PackedSet { bytes, ends }, repeated)
    }

    /// How many label sets the set holds.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The `i`-th packed label set in sorted order.
    fn entry(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    /// The label sets of `self` that `other` lacks, in sorted order.
    pub fn missing_from(&self, other: &PackedSet) -> Vec<Labels> {
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < self.len() {
            let ord = if j < other.len() { self.entry(i).cmp(other.entry(j)) } else { Ordering::Less };
            match ord {
                Ordering::Less => {
                    out.push(unpack(self.entry(i)));
                    i += 1;
                }
                Ordering::Equal => {
                    i += 1;
                    j += 1;
                }
                Ordering::Greater => j += 1,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(v: &[Labels]) -> PackedSet {
        PackedSet::build(v.iter()).0
    }

    #[test]
    fn round_trips_including_empty_and_non_ascii_text() {
        let all = vec![
            Labels::default(),
            Labels::from_pairs([("__name__", "up")]),
            Labels::from_pairs([("__name__", "x"), ("device", "sda"), ("path", "/ä/ß ∂"), ("z", "a\nb\"c")]),
        ];
        let mut back = set(&all).missing_from(&PackedSet::default());
        back.sort();
        let mut want = all.clone();
        want.sort();
        assert_eq!(back, want);
    }

    #[test]
    fn duplicates_are_reported_after_their_first_occurrence() {
        let a = Labels::from_pairs([("a", "1")]);
        let b = Labels::from_pairs([("a", "2")]);
        let (s, repeated) = PackedSet::build([&a, &b, &a, &b, &a]);
        assert_eq!(s.len(), 2);
        assert_eq!(repeated, vec![false, false, true, true, true]);
    }

    #[test]
    fn difference_lists_exactly_the_vanished_sets() {
        let l = |v: &str| Labels::from_pairs([("__name__", "m"), ("k", v)]);
        let old = set(&[l("a"), l("b"), l("c"), l("e")]);
        let new = set(&[l("b"), l("d"), l("e"), l("f")]);
        assert_eq!(old.missing_from(&new), vec![l("a"), l("c")]);
        assert_eq!(new.missing_from(&old), vec![l("d"), l("f")]);
        assert!(old.missing_from(&old).is_empty());
    }

    #[test]
    fn moved_boundaries_are_different_sets() {
        // A name/value boundary moved by one byte must not give the same key.
        let a = set(&[Labels::from_pairs([("ab", "c")])]);
        let b = set(&[Labels::from_pairs([("a", "bc")])]);
        assert_eq!(a.missing_from(&b).len(), 1);
        let c = set(&[Labels::from_pairs([("a", "b"), ("c", "d")])]);
        let d = set(&[Labels::from_pairs([("a", "b,c=d")])]);
        assert_eq!(c.missing_from(&d).len(), 1);
    }
}
