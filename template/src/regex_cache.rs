//! Go's `regexp` for templates, through `pharos_goregex`, with a cache: a template that calls
//! `match` or `reReplaceAll` compiles the same pattern on every execution.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use regex::Regex;

/// Patterns kept at most; the cache is emptied when full (templates use a handful).
const CACHE_SIZE: usize = 512;

/// Compiles a Go (RE2) regular expression, as Go's `regexp.Compile` does (unanchored), see
/// [`pharos_goregex::compile`]. Errors read `error parsing regexp: ...`. Compiled expressions
/// are cached.
pub fn go_regex(pattern: &str) -> Result<Regex, String> {
    static CACHE: OnceLock<Mutex<HashMap<String, Regex>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(re) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(pattern) {
        return Ok(re.clone());
    }
    let re = pharos_goregex::compile(pattern).map_err(|e| e.to_string())?;
    let mut c = cache.lock().unwrap_or_else(|e| e.into_inner());
    if c.len() >= CACHE_SIZE {
        c.clear();
    }
    c.insert(pattern.to_string(), re.clone());
    Ok(re)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_semantics_and_cache() {
        // ASCII `\d` as in Go, and the second call served from the cache gives the same answer.
        for _ in 0..2 {
            assert!(go_regex(r"^\d+$").unwrap().is_match("12"));
            assert!(!go_regex(r"^\d+$").unwrap().is_match("٣"));
        }
        assert_eq!(go_regex("(").unwrap_err(), "error parsing regexp: missing closing ): `(`");
    }
}
