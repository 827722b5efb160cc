//! HTML character references in attribute values (Go's `html.UnescapeString`), decoded so
//! that the context inside a value can be followed.

/// HTML character references decoded, as Go's `html.UnescapeString` for the references that
/// can change a context: numeric ones and the named ones that stand for ASCII characters.
/// Other named references stay as they are (they only stand for non-ASCII characters).
pub(crate) fn html_unescape(s: &[u8]) -> Vec<u8> {
    if !s.contains(&b'&') {
        return s.to_vec();
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] != b'&' {
            out.push(s[i]);
            i += 1;
            continue;
        }
        let (ch, used) = unescape_entity(&s[i..]);
        match ch {
            Some(c) => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            None => out.extend_from_slice(&s[i..i + used]),
        }
        i += used;
    }
    out
}

/// Windows-1252 characters for references to 0x80..=0x9F.
const WIN1252: [u32; 32] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D,
    0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
    0x0153, 0x009D, 0x017E, 0x0178,
];

/// One reference at the start of `s` (which starts with `&`): its character, if decoded, and
/// the bytes consumed.
fn unescape_entity(s: &[u8]) -> (Option<char>, usize) {
    if s.len() <= 1 {
        return (None, 1);
    }
    let mut i = 1;
    if s[i] == b'#' {
        if s.len() <= 3 {
            return (None, 1);
        }
        i += 1;
        let hex = matches!(s[i], b'x' | b'X');
        if hex {
            i += 1;
        }
        let mut x: u32 = 0;
        while i < s.len() {
            let c = s[i];
            i += 1;
            let d = if hex { (c as char).to_digit(16) } else { (c as char).to_digit(10) };
            if let Some(d) = d {
                x = x.saturating_mul(if hex { 16 } else { 10 }).saturating_add(d);
                continue;
            }
            if c != b';' {
                i -= 1;
            }
            break;
        }
        if i <= 3 {
            return (None, 1);
        }
        let x = if (0x80..=0x9F).contains(&x) {
            WIN1252[(x - 0x80) as usize]
        } else if x == 0 || (0xD800..=0xDFFF).contains(&x) || x > 0x10FFFF {
            0xFFFD
        } else {
            x
        };
        return (Some(char::from_u32(x).unwrap_or('\u{FFFD}')), i);
    }
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c.is_ascii_alphanumeric() {
            continue;
        }
        if c != b';' {
            i -= 1;
        }
        break;
    }
    let name = &s[1..i];
    if name.is_empty() {
        return (None, i);
    }
    if let Some(c) = ascii_entity(name) {
        return (Some(c), i);
    }
    // The longest prefix that is a reference without a semicolon (`&amp` in `&ampx`).
    let max = (name.len() - 1).min(6);
    for j in (2..=max).rev() {
        if let Some(c) = ascii_entity(&name[..j]) {
            return (Some(c), j + 1);
        }
    }
    (None, i)
}

/// The named references (Go's `html` entity table) that stand for ASCII characters.
fn ascii_entity(name: &[u8]) -> Option<char> {
    Some(match name {
        b"AMP;" | b"amp;" | b"AMP" | b"amp" => '&',
        b"DiacriticalGrave;" | b"grave;" => '`',
        b"GT;" | b"gt;" | b"GT" | b"gt" => '>',
        b"LT;" | b"lt;" | b"LT" | b"lt" => '<',
        b"QUOT;" | b"quot;" | b"QUOT" | b"quot" => '"',
        b"Hat;" => '^',
        b"NewLine;" => '\n',
        b"Tab;" => '\t',
        b"UnderBar;" | b"lowbar;" => '_',
        b"VerticalLine;" | b"verbar;" | b"vert;" => '|',
        b"apos;" => '\'',
        b"ast;" | b"midast;" => '*',
        b"bsol;" => '\\',
        b"colon;" => ':',
        b"comma;" => ',',
        b"commat;" => '@',
        b"dollar;" => '$',
        b"equals;" => '=',
        b"excl;" => '!',
        b"lbrace;" | b"lcub;" => '{',
        b"rbrace;" | b"rcub;" => '}',
        b"lbrack;" | b"lsqb;" => '[',
        b"rbrack;" | b"rsqb;" => ']',
        b"lpar;" => '(',
        b"rpar;" => ')',
        b"num;" => '#',
        b"percnt;" => '%',
        b"period;" => '.',
        b"plus;" => '+',
        b"quest;" => '?',
        b"semi;" => ';',
        b"sol;" => '/',
        _ => return None,
    })
}
