//! The series index: series id → labels (`series`), which also finds a label set's id by
//! probing from its hash, and postings per label pair (`postings`); and the resolution of label
//! matchers to series over them.
//!
//! Resolution reads postings only for matchers that do not match the empty string, because only
//! those restrict the result to series that carry the label; the rest are applied as filters on
//! the candidates' labels. All-series scans happen only when every matcher matches the empty
//! string (PromQL refuses such selectors, but the storage still answers them correctly).

use super::keys::{self, CF_POSTINGS, CF_SERIES};
use super::{backend, cf, Counters};
use crate::storage::{MatchOp, Matcher, StorageError};
use pharos_protocol::Labels;
use rocksdb::{ReadOptions, WriteBatch, DB};
use std::collections::HashMap;
use std::sync::atomic::Ordering;

/// Where a label set is in `series`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// Stored under this id.
    Stored(u64),
    /// Not stored; this is the first free id of its probe chain.
    Free(u64),
}

/// Finds label sets in `series` by open addressing: each starts at its hash `h1` and walks to
/// the next id while the id holds other labels. One batched read for the first step, which is
/// the last one unless two label sets collided.
pub(crate) fn find(db: &DB, counters: &Counters, wanted: &[(&Labels, u64)]) -> Result<Vec<Slot>, StorageError> {
    let series = cf(db, CF_SERIES)?;
    let encoded: Vec<Vec<u8>> = wanted.iter().map(|(l, _)| keys::encode_labels(l)).collect();
    let first: Vec<[u8; 8]> = wanted.iter().map(|(_, h1)| h1.to_be_bytes()).collect();
    counters.index_keys_read.fetch_add(first.len() as u64, Ordering::Relaxed);
    let firsts = db.batched_multi_get_cf(series, &first, false);
    let mut out = Vec::with_capacity(wanted.len());
    for (((_, h1), enc), got) in wanted.iter().zip(&encoded).zip(firsts) {
        let mut id = *h1;
        let mut stored = got.map_err(backend)?.map(|v| v.to_vec());
        let mut steps = 0;
        let slot = loop {
            match stored {
                None => break Slot::Free(id),
                Some(ref v) if v == enc => break Slot::Stored(id),
                Some(_) => {
                    steps += 1;
                    if steps > MAX_PROBE {
                        return Err(StorageError::Backend("no free series id near the label hash".into()));
                    }
                    id = next_id(id);
                    counters.index_keys_read.fetch_add(1, Ordering::Relaxed);
                    stored = db.get_cf(series, id.to_be_bytes()).map_err(backend)?;
                }
            }
        };
        out.push(slot);
    }
    Ok(out)
}

/// Longest probe chain walked (64-bit hashes collide so rarely that more is corruption).
const MAX_PROBE: usize = 1_000;

/// The id after `id` in a probe chain (0 is skipped: it is no series).
pub(crate) fn next_id(id: u64) -> u64 {
    id.wrapping_add(1).max(1)
}

/// Whether `id` is taken in `series`.
pub(crate) fn id_taken(db: &DB, counters: &Counters, id: u64) -> Result<bool, StorageError> {
    counters.index_keys_read.fetch_add(1, Ordering::Relaxed);
    Ok(db.get_pinned_cf(cf(db, CF_SERIES)?, id.to_be_bytes()).map_err(backend)?.is_some())
}

/// Adds the index entries of new series to `batch`: id → labels, and one posting per label.
///
/// Each column family's keys go in sorted order: RocksDB inserts a write batch into its memtable
/// in batch order and reuses the last insert's position, so sorted keys (a fleet's series share
/// most label pairs) cost a short skip-list walk instead of a full descent each.
pub(crate) fn put_series(db: &DB, batch: &mut WriteBatch, new: &[(u64, &Labels)]) -> Result<(), StorageError> {
    let mut by_id: Vec<(u64, Vec<u8>)> = new.iter().map(|&(id, l)| (id, keys::encode_labels(l))).collect();
    by_id.sort_unstable_by_key(|(id, _)| *id);
    let series = cf(db, CF_SERIES)?;
    for (id, encoded) in &by_id {
        batch.put_cf(series, id.to_be_bytes(), encoded);
    }
    let mut postings: Vec<Vec<u8>> = new
        .iter()
        .flat_map(|&(id, labels)| labels.iter().map(move |l| keys::postings_key(&l.name, &l.value, id)))
        .collect();
    postings.sort_unstable();
    let postings_cf = cf(db, CF_POSTINGS)?;
    for k in &postings {
        batch.put_cf(postings_cf, k, []);
    }
    Ok(())
}

/// The series matching all `matchers`, as `(labels, id)` sorted by labels.
pub(crate) fn resolve(db: &DB, counters: &Counters, matchers: &[Matcher]) -> Result<Vec<(Labels, u64)>, StorageError> {
    let mut selecting: Vec<&Matcher> = matchers.iter().filter(|m| !m.matches_empty()).collect();
    let mut out = if selecting.is_empty() {
        scan_all_series(db, counters, matchers)?
    } else {
        // Cheap postings first; a value-scanning matcher is only used for postings when nothing
        // cheaper selects, otherwise it is a filter on the (already narrowed) candidates.
        selecting.sort_by_key(|m| cost_class(m));
        let cheap = selecting.iter().take_while(|m| cost_class(m) < 2).count().max(1);
        let mut candidates: Option<Vec<u64>> = None;
        for m in &selecting[..cheap] {
            let ids = postings_for(db, counters, m)?;
            let next = match candidates {
                None => ids,
                Some(c) => intersect(&c, &ids),
            };
            if next.is_empty() {
                return Ok(Vec::new());
            }
            candidates = Some(next);
        }
        let mut out = load_labels(db, counters, &candidates.unwrap_or_default())?;
        out.retain(|(labels, _)| matchers.iter().all(|m| m.matches(labels)));
        out
    };
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// 0: one postings prefix; 1: a few postings prefixes; 2: walks every value of the label.
fn cost_class(m: &Matcher) -> u8 {
    match m.op {
        MatchOp::Equal => 0,
        MatchOp::Regex if literal_alternatives(&m.value).is_some() => 1,
        _ => 2,
    }
}

/// The literal alternatives of a regex like `a|b\.c`, or `None` if it is anything more complex.
///
/// Conservative on purpose: returning `None` only costs a value scan, while a wrong literal set
/// would lose series.
fn literal_alternatives(pattern: &str) -> Option<Vec<String>> {
    let mut alts = vec![String::new()];
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        let lit = match c {
            '|' => {
                alts.push(String::new());
                continue;
            }
            // Only escapes of meta characters are plain literals (`\<`, `\d`… are not).
            '\\' => match chars.next()? {
                e @ ('\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$') => e,
                _ => return None,
            },
            '.' | '+' | '*' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '^' | '$' => return None,
            c => c,
        };
        alts.last_mut()?.push(lit);
    }
    Some(alts)
}

/// The literal text every match of a (fully anchored) regex starts with: the leading plain
/// characters, without one that a following `?`, `*` or `{` makes optional. Empty for a
/// pattern with an alternation anywhere (`ab|cd`), flags, anchors or a class at the start.
///
/// Conservative like [`literal_alternatives`]: a prefix too short only costs a wider scan.
fn literal_prefix(pattern: &str) -> String {
    let mut out = String::new();
    let mut escaped = false;
    // Any unescaped `|` may sit at the top level: then no prefix is common to every match.
    for c in pattern.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '|' {
            return out;
        }
    }
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        let lit = match c {
            '\\' => match chars.next() {
                Some(e @ ('\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$')) => e,
                _ => break,
            },
            '.' | '+' | '*' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '^' | '$' | '|' => break,
            c => c,
        };
        if matches!(chars.peek(), Some('?' | '*' | '{')) {
            break;
        }
        out.push(lit);
    }
    out
}

/// Sorted, deduplicated ids of the series a (non-empty-matching) matcher selects.
fn postings_for(db: &DB, counters: &Counters, m: &Matcher) -> Result<Vec<u64>, StorageError> {
    let mut ids = match m.op {
        MatchOp::Equal => return postings_equal(db, counters, &m.name, &m.value),
        MatchOp::Regex => match literal_alternatives(&m.value) {
            Some(alts) => {
                let mut ids = Vec::new();
                for v in alts {
                    ids.extend(postings_equal(db, counters, &m.name, &v)?);
                }
                ids
            }
            None => postings_matching_values(db, counters, m)?,
        },
        MatchOp::NotEqual | MatchOp::NotRegex => postings_matching_values(db, counters, m)?,
    };
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Read options confining an iterator to keys starting with `prefix`.
fn prefix_bounds(prefix: &[u8]) -> ReadOptions {
    let mut ro = ReadOptions::default();
    ro.set_iterate_lower_bound(prefix.to_vec());
    if let Some(upper) = keys::prefix_successor(prefix) {
        ro.set_iterate_upper_bound(upper);
    }
    ro
}

/// Ids of the series with `name=value`, sorted (postings keys end in the big-endian id).
fn postings_equal(db: &DB, counters: &Counters, name: &str, value: &str) -> Result<Vec<u64>, StorageError> {
    let prefix = keys::postings_value_prefix(name, value);
    let mut it = db.raw_iterator_cf_opt(cf(db, CF_POSTINGS)?, prefix_bounds(&prefix));
    it.seek(&prefix);
    let mut ids = Vec::new();
    while let Some(k) = it.key() {
        // The bounds guarantee the prefix; escaping guarantees nothing but the id follows it.
        ids.push(keys::decode_u64(&k[prefix.len()..], "postings series id")?);
        it.next();
    }
    it.status().map_err(backend)?;
    counters.index_keys_read.fetch_add(ids.len() as u64, Ordering::Relaxed);
    Ok(ids)
}

/// Ids (unsorted) of the series whose value of `m.name` matches `m`: walks the label's values,
/// skipping each non-matching value's postings with one seek.
fn postings_matching_values(db: &DB, counters: &Counters, m: &Matcher) -> Result<Vec<u64>, StorageError> {
    let mut ids = Vec::new();
    // A regex that starts with literal text (`host-0[0-4].*`) can only match values starting
    // with it: walk just those.
    let narrow = match m.op {
        MatchOp::Regex => keys::escape_component(&literal_prefix(&m.value)),
        _ => Vec::new(),
    };
    walk_groups(db, counters, &keys::postings_name_prefix(&m.name), &narrow, |event| match event {
        Event::Group(escaped) => {
            Ok(if m.matches_value(&keys::unescape_component(escaped)?) { Flow::Continue } else { Flow::SkipGroup })
        }
        Event::Posting(id) => {
            ids.push(id);
            Ok(Flow::Continue)
        }
    })?;
    Ok(ids)
}

/// What [`walk_groups`] reports.
enum Event<'a> {
    /// The first posting of a new group (escaped name or value) follows.
    Group(&'a [u8]),
    /// A posting of the current group.
    Posting(u64),
}

/// What the visitor of [`walk_groups`] wants next.
enum Flow {
    /// Go on with the next posting.
    Continue,
    /// Jump past the rest of the current group.
    SkipGroup,
}

/// Walks the postings under `prefix`, grouped by the next escaped component: label names for
/// an empty prefix, values of a label for `esc(name) 0x00`. Only components starting with the
/// escaped bytes `narrow` are visited (all of them for an empty `narrow`).
fn walk_groups(
    db: &DB,
    counters: &Counters,
    prefix: &[u8],
    narrow: &[u8],
    mut visit: impl FnMut(Event<'_>) -> Result<Flow, StorageError>,
) -> Result<(), StorageError> {
    let start = [prefix, narrow].concat();
    let mut it = db.raw_iterator_cf_opt(cf(db, CF_POSTINGS)?, prefix_bounds(&start));
    it.seek(&start);
    let mut group: Vec<u8> = Vec::new();
    let mut in_group = false;
    let mut read = 0u64;
    while let Some(k) = it.key() {
        read += 1;
        let (component, id) = keys::split_posting(&k[prefix.len()..])?;
        if !in_group || component != group.as_slice() {
            group.clear();
            group.extend_from_slice(component);
            in_group = true;
            if let Flow::SkipGroup = visit(Event::Group(&group))? {
                seek_past_group(&mut it, prefix, &group);
                continue;
            }
        }
        match visit(Event::Posting(id))? {
            Flow::Continue => it.next(),
            Flow::SkipGroup => seek_past_group(&mut it, prefix, &group),
        }
    }
    it.status().map_err(backend)?;
    counters.index_keys_read.fetch_add(read, Ordering::Relaxed);
    Ok(())
}

/// Seeks to `prefix ++ group ++ 0x01`, the first key after every posting of `group`: escaped
/// components contain no 0x00, so the group's keys all continue with 0x00 and any other group
/// sharing `group` as a prefix continues with a byte ≥ 0x01.
fn seek_past_group(it: &mut rocksdb::DBRawIterator<'_>, prefix: &[u8], group: &[u8]) {
    let mut target = Vec::with_capacity(prefix.len() + group.len() + 1);
    target.extend_from_slice(prefix);
    target.extend_from_slice(group);
    target.push(0x01);
    it.seek(&target);
}

/// Intersection of two sorted id lists.
fn intersect(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(a.len().min(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// The labels of the given series; a posting without its series is corruption.
fn load_labels(db: &DB, counters: &Counters, ids: &[u64]) -> Result<Vec<(Labels, u64)>, StorageError> {
    let series_cf = cf(db, CF_SERIES)?;
    counters.index_keys_read.fetch_add(ids.len() as u64, Ordering::Relaxed);
    let values = db.multi_get_cf(ids.iter().map(|id| (series_cf, id.to_be_bytes())));
    let mut out = Vec::with_capacity(ids.len());
    for (&id, v) in ids.iter().zip(values) {
        match v.map_err(backend)? {
            Some(bytes) => out.push((keys::decode_labels(&bytes)?, id)),
            None => return Err(StorageError::Corrupt(format!("postings reference missing series {id}"))),
        }
    }
    Ok(out)
}

/// Every series whose labels match `matchers`: the fallback when no matcher selects.
fn scan_all_series(db: &DB, counters: &Counters, matchers: &[Matcher]) -> Result<Vec<(Labels, u64)>, StorageError> {
    let mut ro = ReadOptions::default();
    // A full scan should not evict the working set from the block cache.
    ro.fill_cache(false);
    let mut it = db.raw_iterator_cf_opt(cf(db, CF_SERIES)?, ro);
    it.seek_to_first();
    let mut out = Vec::new();
    let mut read = 0u64;
    while let Some((k, v)) = it.item() {
        read += 1;
        let id = keys::decode_u64(k, "series id")?;
        let labels = keys::decode_labels(v)?;
        if matchers.iter().all(|m| m.matches(&labels)) {
            out.push((labels, id));
        }
        it.next();
    }
    it.status().map_err(backend)?;
    counters.index_keys_read.fetch_add(read, Ordering::Relaxed);
    Ok(out)
}

/// Distinct label names (empty `label`) or values of `label` for which at least one series
/// satisfies `in_range`, read straight from the postings. Sorted by bytes, which for the UTF-8
/// strings we store is `String` order.
pub(crate) fn distinct_in_range(
    db: &DB,
    counters: &Counters,
    label: Option<&str>,
    mut in_range: impl FnMut(u64) -> Result<bool, StorageError>,
) -> Result<Vec<String>, StorageError> {
    let prefix = match label {
        Some(name) => keys::postings_name_prefix(name),
        None => Vec::new(),
    };
    let mut out = Vec::new();
    let mut memo: HashMap<u64, bool> = HashMap::new();
    let mut current: Option<String> = None;
    walk_groups(db, counters, &prefix, &[], |event| match event {
        Event::Group(escaped) => {
            current = Some(keys::unescape_component(escaped)?);
            Ok(Flow::Continue)
        }
        Event::Posting(id) => {
            let hit = match memo.get(&id) {
                Some(&hit) => hit,
                None => {
                    let hit = in_range(id)?;
                    memo.insert(id, hit);
                    hit
                }
            };
            if hit {
                out.extend(current.take());
                Ok(Flow::SkipGroup)
            } else {
                Ok(Flow::Continue)
            }
        }
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_alternatives_are_recognised_conservatively() {
        assert_eq!(literal_alternatives("a|b|c"), Some(vec!["a".into(), "b".into(), "c".into()]));
        assert_eq!(literal_alternatives("node"), Some(vec!["node".into()]));
        assert_eq!(literal_alternatives(r"a\.b|c\|d"), Some(vec!["a.b".into(), "c|d".into()]));
        assert_eq!(literal_alternatives("a|"), Some(vec!["a".into(), "".into()]));
        for complex in ["a.*", "(a|b)", "a+", "[ab]", r"\d", r"\<a", "^a$", "a{2}", "(?i)a", "a\\"] {
            assert_eq!(literal_alternatives(complex), None, "{complex}");
        }
    }

    #[test]
    fn intersect_sorted_lists() {
        assert_eq!(intersect(&[1, 3, 5, 7], &[2, 3, 4, 7, 9]), vec![3, 7]);
        assert!(intersect(&[], &[1]).is_empty());
    }

    #[test]
    fn literal_prefixes_are_conservative() {
        assert_eq!(literal_prefix("host-0[0-4].*"), "host-0");
        assert_eq!(literal_prefix(r"a\.b.*"), "a.b");
        assert_eq!(literal_prefix("ab?c"), "a");
        assert_eq!(literal_prefix("ab*"), "a");
        assert_eq!(literal_prefix("ab{2}"), "a");
        assert_eq!(literal_prefix("ab+"), "ab");
        assert_eq!(literal_prefix("ab|cd"), "");
        assert_eq!(literal_prefix("ab(c|d)"), "");
        assert_eq!(literal_prefix("(?i)ab"), "");
        assert_eq!(literal_prefix(r"a\d"), "a");
        assert_eq!(literal_prefix("plain"), "plain");
    }
}
