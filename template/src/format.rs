//! Go's `fmt` printing (`Sprint`, `Sprintln`, `Sprintf`) and `strconv.FormatFloat`, for
//! [`Value`]s: the verbs, flags, width and precision, argument indexes, and Go's error
//! notations (`%!d(string=foo)`, `%!(EXTRA ...)`, `%!v(MISSING)`, ...).

use crate::strconv::{can_backquote, quote, quote_rune, quote_to_ascii};
use crate::value::Value;

/// Go's `unicode.IsPrint` (letters, marks, numbers, punctuation, symbols and the ASCII space),
/// approximated with what the standard library knows about Unicode.
pub fn is_go_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    !matches!(u,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x180E | 0x3164 | 0xFFA0 |
        0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFFF0..=0xFFFB |
        0xFDD0..=0xFDEF | 0xFDFE..=0xFDFF | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF |
        0xD800..=0xDFFF | 0x110BD | 0x110CD | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F
    ) && (u & 0xFFFE) != 0xFFFE
}

// ---------------------------------------------------------------------------------------------
// strconv.FormatFloat

/// Decimal digits of |v| (no leading or trailing zeros) and the decimal point position, as
/// Go's `decimalSlice` (`0.d1d2... × 10^dp`).
struct Digits {
    d: Vec<u8>,
    dp: i32,
}

impl Digits {
    fn nd(&self) -> i32 {
        self.d.len() as i32
    }
}

/// Parses Rust's `{:e}` output ("1.2345e-7") into digits and decimal point.
fn digits_from_exp(s: &str) -> Digits {
    let (mant, exp) = s.split_once('e').unwrap();
    let exp: i32 = exp.parse().unwrap();
    let mut d: Vec<u8> = mant.bytes().filter(|b| b.is_ascii_digit()).collect();
    while d.last() == Some(&b'0') {
        d.pop();
    }
    if d.is_empty() {
        return Digits { d, dp: 0 };
    }
    Digits { d, dp: exp + 1 }
}

/// Parses Rust's `{:.N}` output ("123.4500") into digits and decimal point.
fn digits_from_fixed(s: &str) -> Digits {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut d: Vec<u8> = Vec::new();
    let mut dp = int.len() as i32;
    for b in int.bytes().chain(frac.bytes()) {
        if d.is_empty() && b == b'0' {
            dp -= 1;
            continue;
        }
        d.push(b);
    }
    while d.last() == Some(&b'0') {
        d.pop();
    }
    if d.is_empty() {
        dp = 0;
    }
    Digits { d, dp }
}

fn fmt_e(out: &mut String, d: &Digits, prec: i32, fmt: char) {
    out.push(if d.nd() != 0 { d.d[0] as char } else { '0' });
    if prec > 0 {
        out.push('.');
        let mut i = 1;
        let m = d.nd().min(prec + 1);
        while i < m {
            out.push(d.d[i as usize] as char);
            i += 1;
        }
        while i <= prec {
            out.push('0');
            i += 1;
        }
    }
    out.push(fmt);
    let mut exp = d.dp - 1;
    if d.nd() == 0 {
        exp = 0;
    }
    if exp < 0 {
        out.push('-');
        exp = -exp;
    } else {
        out.push('+');
    }
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

fn fmt_f(out: &mut String, d: &Digits, prec: i32) {
    if d.dp > 0 {
        let m = d.nd().min(d.dp);
        for i in 0..m {
            out.push(d.d[i as usize] as char);
        }
        for _ in m..d.dp {
            out.push('0');
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            let j = d.dp + i - 1;
            out.push(if 0 <= j && j < d.nd() { d.d[j as usize] as char } else { '0' });
        }
    }
}

/// Go's `strconv.FormatFloat(v, fmt, prec, 64)` for the formats `e E f F g G` (`prec` -1 is the
/// shortest representation that round-trips).
pub fn format_float(v: f64, fmt: char, prec: i32) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    let fmt = if fmt == 'F' { 'f' } else { fmt };
    if matches!(fmt, 'b' | 'x' | 'X') {
        return format_float_binary(v, fmt, prec);
    }
    let mut out = String::new();
    if v.is_sign_negative() {
        out.push('-');
    }
    let a = v.abs();
    let shortest = prec < 0;
    let mut prec = prec;
    let digs = if shortest {
        let d = digits_from_exp(&format!("{:e}", a));
        prec = match fmt {
            'e' | 'E' => (d.nd() - 1).max(0),
            'f' => (d.nd() - d.dp).max(0),
            _ => d.nd(),
        };
        d
    } else {
        // A double's exact decimal expansion has at most 767 significant and 1074 fractional
        // digits: asking for more only adds zeros, which the layout below pads anyway (and the
        // standard formatter takes at most 65535).
        let cap = |p: i32| p.min(1100) as usize;
        match fmt {
            'e' | 'E' => digits_from_exp(&format!("{:.*e}", cap(prec), a)),
            'f' => digits_from_fixed(&format!("{:.*}", cap(prec), a)),
            _ => {
                if prec == 0 {
                    prec = 1;
                }
                digits_from_exp(&format!("{:.*e}", cap(prec - 1), a))
            }
        }
    };
    match fmt {
        'e' | 'E' => fmt_e(&mut out, &digs, prec, fmt),
        'f' => fmt_f(&mut out, &digs, prec),
        'g' | 'G' => {
            let mut eprec = prec;
            if eprec > digs.nd() && digs.nd() >= digs.dp {
                eprec = digs.nd();
            }
            if shortest {
                eprec = 6;
            }
            let exp = digs.dp - 1;
            if exp < -4 || exp >= eprec {
                if prec > digs.nd() {
                    prec = digs.nd();
                }
                fmt_e(&mut out, &digs, prec - 1, if fmt == 'g' { 'e' } else { 'E' });
            } else {
                if prec > digs.dp {
                    prec = digs.nd();
                }
                fmt_f(&mut out, &digs, (prec - digs.dp).max(0));
            }
        }
        _ => {
            out.push('%');
            out.push(fmt);
        }
    }
    out
}

/// strconv's `%b` (`-ddddp±dd`) and `%x`/`%X` (`-0x1.hhhhp±dd`) for finite floats.
fn format_float_binary(v: f64, fmt: char, prec: i32) -> String {
    let bits = v.to_bits();
    let neg = bits >> 63 != 0;
    let mut exp = ((bits >> 52) & 0x7ff) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        exp += 1;
    } else {
        mant |= 1u64 << 52;
    }
    exp -= 1023;
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if fmt == 'b' {
        out.push_str(&mant.to_string());
        out.push('p');
        let e = exp - 52;
        if e >= 0 {
            out.push('+');
        }
        out.push_str(&e.to_string());
        return out;
    }
    if mant == 0 {
        exp = 0;
    }
    mant <<= 60 - 52;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if (0..15).contains(&prec) {
        let shift = (prec * 4) as u32;
        let extra = (mant << shift) & ((1u64 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let hex: &[u8] = if fmt == 'X' { b"0123456789ABCDEF" } else { b"0123456789abcdef" };
    out.push('0');
    out.push(fmt);
    out.push((b'0' + ((mant >> 60) & 1) as u8) as char);
    mant <<= 4;
    if prec < 0 && mant != 0 {
        out.push('.');
        while mant != 0 {
            out.push(hex[((mant >> 60) & 15) as usize] as char);
            mant <<= 4;
        }
    } else if prec > 0 {
        out.push('.');
        for _ in 0..prec {
            out.push(hex[((mant >> 60) & 15) as usize] as char);
            mant <<= 4;
        }
    }
    out.push(if fmt == 'X' { 'P' } else { 'p' });
    if exp < 0 {
        out.push('-');
        exp = -exp;
    } else {
        out.push('+');
    }
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
    out
}

// ---------------------------------------------------------------------------------------------
// fmt

#[derive(Default, Clone, Copy)]
struct Flags {
    plus: bool,
    minus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    plus_v: bool,
    sharp_v: bool,
    wid: usize,
    wid_present: bool,
    prec: usize,
    prec_present: bool,
}

struct Printer {
    buf: String,
    f: Flags,
    erroring: bool,
    /// Print a pointer's target without `&` (what an action does).
    deref: bool,
}

const LDIGITS: &[u8] = b"0123456789abcdefx";
const UDIGITS: &[u8] = b"0123456789ABCDEFX";

impl Printer {
    fn new() -> Printer {
        Printer { buf: String::new(), f: Flags::default(), erroring: false, deref: false }
    }

    fn write_padding(&mut self, n: usize) {
        let c = if self.f.zero { '0' } else { ' ' };
        for _ in 0..n {
            self.buf.push(c);
        }
    }

    fn pad(&mut self, s: &str) {
        if !self.f.wid_present || self.f.wid == 0 {
            self.buf.push_str(s);
            return;
        }
        let width = self.f.wid.saturating_sub(s.chars().count());
        if !self.f.minus {
            self.write_padding(width);
            self.buf.push_str(s);
        } else {
            self.buf.push_str(s);
            self.write_padding(width);
        }
    }

    fn fmt_boolean(&mut self, v: bool) {
        self.pad(if v { "true" } else { "false" });
    }

    fn fmt_integer(&mut self, u: u64, base: u64, is_signed: bool, verb: char, digits: &[u8]) {
        let negative = is_signed && (u as i64) < 0;
        let mut u = if negative { (u as i64).unsigned_abs() } else { u };
        let mut prec: usize = 0;
        if self.f.prec_present {
            prec = self.f.prec;
            if prec == 0 && u == 0 {
                let old = self.f.zero;
                self.f.zero = false;
                let w = self.f.wid;
                self.write_padding(w);
                self.f.zero = old;
                return;
            }
        } else if self.f.zero && self.f.wid_present {
            prec = self.f.wid;
            if negative || self.f.plus || self.f.space {
                prec = prec.saturating_sub(1);
            }
        }
        let mut buf: Vec<u8> = Vec::new(); // reversed
        loop {
            buf.push(digits[(u % base) as usize]);
            u /= base;
            if u == 0 {
                break;
            }
        }
        while buf.len() < prec {
            buf.push(b'0');
        }
        if self.f.sharp {
            match base {
                2 => {
                    buf.push(b'b');
                    buf.push(b'0');
                }
                8 if *buf.last().unwrap() != b'0' => buf.push(b'0'),
                16 => {
                    buf.push(digits[16]);
                    buf.push(b'0');
                }
                _ => {}
            }
        }
        if verb == 'O' {
            buf.push(b'o');
            buf.push(b'0');
        }
        if negative {
            buf.push(b'-');
        } else if self.f.plus {
            buf.push(b'+');
        } else if self.f.space {
            buf.push(b' ');
        }
        buf.reverse();
        let s = String::from_utf8(buf).unwrap();
        let old = self.f.zero;
        self.f.zero = false;
        self.pad(&s);
        self.f.zero = old;
    }

    fn fmt_unicode(&mut self, u: u64) {
        let mut prec = 4;
        if self.f.prec_present && self.f.prec > 4 {
            prec = self.f.prec;
        }
        let mut s = format!("{:X}", u);
        while s.len() < prec {
            s.insert(0, '0');
        }
        let mut out = format!("U+{}", s);
        if self.f.sharp && u <= 0x10FFFF {
            if let Some(c) = char::from_u32(u as u32) {
                if is_go_print(c) {
                    out.push_str(&format!(" '{}'", c));
                }
            }
        }
        let old = self.f.zero;
        self.f.zero = false;
        self.pad(&out);
        self.f.zero = old;
    }

    fn rune_of(c: u64) -> char {
        if c > 0x10FFFF {
            '\u{FFFD}'
        } else {
            char::from_u32(c as u32).unwrap_or('\u{FFFD}')
        }
    }

    fn fmt_float(&mut self, v: f64, verb: char, prec: i32) {
        let prec = if self.f.prec_present { self.f.prec as i32 } else { prec };
        let s = format_float(v, verb, prec);
        let mut num: Vec<u8> = Vec::with_capacity(s.len() + 1);
        if s.starts_with('-') || s.starts_with('+') {
            num.extend_from_slice(s.as_bytes());
        } else {
            num.push(b'+');
            num.extend_from_slice(s.as_bytes());
        }
        if self.f.space && num[0] == b'+' && !self.f.plus {
            num[0] = b' ';
        }
        if num[1] == b'I' || num[1] == b'N' {
            let old = self.f.zero;
            self.f.zero = false;
            let start = if num[1] == b'N' && !self.f.space && !self.f.plus { 1 } else { 0 };
            let t = String::from_utf8(num[start..].to_vec()).unwrap();
            self.pad(&t);
            self.f.zero = old;
            return;
        }
        if self.f.sharp && verb != 'b' {
            let mut digits: i32 = 0;
            if matches!(verb, 'v' | 'g' | 'G' | 'x') {
                digits = prec;
                if digits == -1 {
                    digits = 6;
                }
            }
            let mut tail: Vec<u8> = Vec::new();
            let mut has_decimal_point = false;
            let mut saw_nonzero = false;
            let mut i = 1;
            while i < num.len() {
                match num[i] {
                    b'.' => has_decimal_point = true,
                    b'p' | b'P' => {
                        tail.extend_from_slice(&num[i..]);
                        num.truncate(i);
                        break;
                    }
                    b'e' | b'E' if verb != 'x' && verb != 'X' => {
                        tail.extend_from_slice(&num[i..]);
                        num.truncate(i);
                        break;
                    }
                    c => {
                        if c != b'0' {
                            saw_nonzero = true;
                        }
                        if saw_nonzero {
                            digits -= 1;
                        }
                    }
                }
                i += 1;
            }
            if !has_decimal_point {
                if num.len() == 2 && num[1] == b'0' {
                    digits -= 1;
                }
                num.push(b'.');
            }
            while digits > 0 {
                num.push(b'0');
                digits -= 1;
            }
            num.extend_from_slice(&tail);
        }
        let s = String::from_utf8(num).unwrap();
        if self.f.plus || !s.starts_with('+') {
            if self.f.zero && self.f.wid_present && self.f.wid > s.len() {
                self.buf.push_str(&s[..1]);
                let n = self.f.wid - s.len();
                self.write_padding(n);
                self.buf.push_str(&s[1..]);
                return;
            }
            self.pad(&s);
            return;
        }
        self.pad(&s[1..]);
    }

    fn truncate_string<'s>(&self, s: &'s str) -> &'s str {
        if self.f.prec_present {
            if let Some((i, _)) = s.char_indices().nth(self.f.prec) {
                return &s[..i];
            }
        }
        s
    }

    fn fmt_s(&mut self, s: &str) {
        let s = self.truncate_string(s).to_string();
        self.pad(&s);
    }

    fn fmt_sx(&mut self, s: &str, digits: &[u8]) {
        let b = s.as_bytes();
        let mut length = b.len();
        if self.f.prec_present && self.f.prec < length {
            length = self.f.prec;
        }
        let mut width = 2 * length;
        if width > 0 {
            if self.f.space {
                if self.f.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.f.sharp {
                width += 2;
            }
        } else {
            if self.f.wid_present {
                let w = self.f.wid;
                self.write_padding(w);
            }
            return;
        }
        if self.f.wid_present && self.f.wid > width && !self.f.minus {
            let n = self.f.wid - width;
            self.write_padding(n);
        }
        if self.f.sharp {
            self.buf.push('0');
            self.buf.push(digits[16] as char);
        }
        for (i, &c) in b[..length].iter().enumerate() {
            if self.f.space && i > 0 {
                self.buf.push(' ');
                if self.f.sharp {
                    self.buf.push('0');
                    self.buf.push(digits[16] as char);
                }
            }
            self.buf.push(digits[(c >> 4) as usize] as char);
            self.buf.push(digits[(c & 0xF) as usize] as char);
        }
        if self.f.wid_present && self.f.wid > width && self.f.minus {
            let n = self.f.wid - width;
            self.write_padding(n);
        }
    }

    fn fmt_q(&mut self, s: &str) {
        let s = self.truncate_string(s);
        if self.f.sharp && can_backquote(s) {
            let t = format!("`{}`", s);
            self.pad(&t);
            return;
        }
        let t = if self.f.plus { quote_to_ascii(s) } else { quote(s) };
        self.pad(&t);
    }

    fn bad_verb(&mut self, verb: char, arg: &Value) {
        self.erroring = true;
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        if arg.is_nil() {
            self.buf.push_str("<nil>");
        } else {
            self.buf.push_str(&arg.go_type_name());
            self.buf.push('=');
            self.print_arg(arg, 'v');
        }
        self.buf.push(')');
        self.erroring = false;
    }

    fn fmt_integer_verb(&mut self, v: u64, signed: bool, verb: char, arg: &Value) {
        match verb {
            'v' | 'd' => self.fmt_integer(v, 10, signed, verb, LDIGITS),
            'b' => self.fmt_integer(v, 2, signed, verb, LDIGITS),
            'o' | 'O' => self.fmt_integer(v, 8, signed, verb, LDIGITS),
            'x' => self.fmt_integer(v, 16, signed, verb, LDIGITS),
            'X' => self.fmt_integer(v, 16, signed, verb, UDIGITS),
            'c' => {
                let s = Self::rune_of(v).to_string();
                self.pad(&s);
            }
            'q' => {
                let s = quote_rune(Self::rune_of(v), self.f.plus);
                self.pad(&s);
            }
            'U' => self.fmt_unicode(v),
            _ => self.bad_verb(verb, arg),
        }
    }

    fn fmt_float_verb(&mut self, v: f64, verb: char, arg: &Value) {
        match verb {
            'v' => self.fmt_float(v, 'g', -1),
            'g' | 'G' | 'x' | 'X' | 'b' => self.fmt_float(v, verb, -1),
            'f' | 'e' | 'E' | 'F' => self.fmt_float(v, verb, 6),
            _ => self.bad_verb(verb, arg),
        }
    }

    fn fmt_string_verb(&mut self, s: &str, verb: char, arg: &Value) {
        match verb {
            'v' => {
                if self.f.sharp_v {
                    self.fmt_q(s)
                } else {
                    self.fmt_s(s)
                }
            }
            's' => self.fmt_s(s),
            'x' => self.fmt_sx(s, LDIGITS),
            'X' => self.fmt_sx(s, UDIGITS),
            'q' => self.fmt_q(s),
            _ => self.bad_verb(verb, arg),
        }
    }

    /// Stringer handling (Go's handleMethods): values with a String method print it for the
    /// verbs v, s, x, X, q.
    fn handle_methods(&mut self, arg: &Value, verb: char) -> bool {
        if self.erroring || self.f.sharp_v {
            return false;
        }
        if !matches!(verb, 'v' | 's' | 'x' | 'X' | 'q') {
            return false;
        }
        let s = match arg {
            Value::Time(t) => t.to_string(),
            Value::Object(o) => match o.string() {
                Some(s) => s,
                None => return false,
            },
            _ => return false,
        };
        self.fmt_string_verb(&s, verb, arg);
        true
    }

    fn print_arg(&mut self, arg: &Value, verb: char) {
        if arg.is_nil() {
            match verb {
                'T' | 'v' => self.pad("<nil>"),
                _ => self.bad_verb(verb, arg),
            }
            return;
        }
        if verb == 'T' {
            let t = arg.go_type_name();
            self.fmt_s(&t);
            return;
        }
        match arg {
            Value::Bool(b) => match verb {
                't' | 'v' => self.fmt_boolean(*b),
                _ => self.bad_verb(verb, arg),
            },
            Value::Int(i) => self.fmt_integer_verb(*i as u64, true, verb, arg),
            Value::Float(f) => self.fmt_float_verb(*f, verb, arg),
            Value::String(s) => self.fmt_string_verb(s, verb, arg),
            _ => {
                if !self.handle_methods(arg, verb) {
                    self.print_value(arg, verb, 0);
                }
            }
        }
    }

    fn print_value(&mut self, value: &Value, verb: char, depth: usize) {
        if depth > 0 && !value.is_nil() && self.handle_methods(value, verb) {
            return;
        }
        if self.f.sharp_v && self.print_go_syntax(value, verb, depth, None) {
            return;
        }
        match value {
            Value::Nil => {
                // An interface element holding nil.
                self.buf.push_str("<nil>");
            }
            Value::Bool(b) => match verb {
                't' | 'v' => self.fmt_boolean(*b),
                _ => self.bad_verb(verb, value),
            },
            Value::Int(i) => self.fmt_integer_verb(*i as u64, true, verb, value),
            Value::Float(f) => self.fmt_float_verb(*f, verb, value),
            Value::String(s) => self.fmt_string_verb(s, verb, value),
            Value::Map(m) => {
                self.buf.push_str("map[");
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        self.buf.push(' ');
                    }
                    self.fmt_string_verb(k, verb, &Value::String(k.clone()));
                    self.buf.push(':');
                    self.print_value(v, verb, depth + 1);
                }
                self.buf.push(']');
            }
            Value::List(l) => {
                self.buf.push('[');
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        self.buf.push(' ');
                    }
                    self.print_value(v, verb, depth + 1);
                }
                self.buf.push(']');
            }
            Value::Time(t) => {
                // Only reached for verbs a String method does not serve.
                let s = t.to_string();
                self.bad_verb_str(verb, "time.Time", &s);
            }
            Value::Func(_) => {
                self.buf.push_str("%!");
                self.buf.push(verb);
                self.buf.push_str("(func)");
            }
            Value::Object(o) => {
                if let Some(v) = o.to_value() {
                    self.print_value(&v, verb, depth);
                    return;
                }
                if let Some(fields) = o.struct_fields() {
                    if o.is_pointer() && depth == 0 && !self.deref {
                        self.buf.push('&');
                    }
                    self.buf.push('{');
                    for (i, (name, v)) in fields.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(' ');
                        }
                        if self.f.plus_v {
                            self.buf.push_str(name);
                            self.buf.push(':');
                        }
                        self.print_value(v, verb, depth + 1);
                    }
                    self.buf.push('}');
                    return;
                }
                let s = format!("{:?}", o);
                self.pad(&s);
            }
        }
    }

    /// `%#v` of composite values: Go syntax (`[]interface {}{1, "a"}`, `map[string]string{"k":"v"}`,
    /// `main.T{Name:"x"}`). Returns false for values printed as usual.
    fn print_go_syntax(&mut self, value: &Value, verb: char, depth: usize, type_name: Option<String>) -> bool {
        match value {
            Value::Nil if depth > 0 => self.buf.push_str("interface {}(nil)"),
            Value::List(l) => {
                self.buf.push_str(&type_name.unwrap_or_else(|| value.go_type_name()));
                self.buf.push('{');
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        self.buf.push_str(", ");
                    }
                    self.print_value(v, verb, depth + 1);
                }
                self.buf.push('}');
            }
            Value::Map(m) => {
                self.buf.push_str(&type_name.unwrap_or_else(|| value.go_type_name()));
                self.buf.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        self.buf.push_str(", ");
                    }
                    self.fmt_q(k);
                    self.buf.push(':');
                    self.print_value(v, verb, depth + 1);
                }
                self.buf.push('}');
            }
            Value::Object(o) => {
                if let Some(v) = o.to_value() {
                    return self.print_go_syntax(&v, verb, depth, Some(o.type_name()));
                }
                let Some(fields) = o.struct_fields() else { return false };
                let name = o.type_name();
                if o.is_pointer() {
                    self.buf.push_str(if depth == 0 { "&" } else { "(" });
                    self.buf.push_str(name.trim_start_matches('*'));
                } else {
                    self.buf.push_str(&name);
                }
                self.buf.push('{');
                for (i, (n, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        self.buf.push_str(", ");
                    }
                    self.buf.push_str(n);
                    self.buf.push(':');
                    self.print_value(v, verb, depth + 1);
                }
                self.buf.push('}');
                if o.is_pointer() && depth > 0 {
                    self.buf.push(')');
                }
            }
            _ => return false,
        }
        true
    }

    fn bad_verb_str(&mut self, verb: char, type_name: &str, text: &str) {
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        self.buf.push_str(type_name);
        self.buf.push('=');
        self.buf.push_str(text);
        self.buf.push(')');
    }

    fn do_print(&mut self, args: &[Value]) {
        let mut prev_string = false;
        for (i, arg) in args.iter().enumerate() {
            let is_string = matches!(arg, Value::String(_));
            if i > 0 && !is_string && !prev_string {
                self.buf.push(' ');
            }
            self.print_arg(arg, 'v');
            prev_string = is_string;
        }
    }

    fn do_println(&mut self, args: &[Value]) {
        for (i, arg) in args.iter().enumerate() {
            if i > 0 {
                self.buf.push(' ');
            }
            self.print_arg(arg, 'v');
        }
        self.buf.push('\n');
    }

    fn do_printf(&mut self, format: &str, a: &[Value]) {
        let fb = format.as_bytes();
        let end = fb.len();
        let mut arg_num: usize = 0;
        let mut after_index;
        let mut reordered = false;
        let mut i = 0;
        'format_loop: while i < end {
            let mut good_arg_num = true;
            let lasti = i;
            while i < end && fb[i] != b'%' {
                i += 1;
            }
            if i > lasti {
                self.buf.push_str(&format[lasti..i]);
            }
            if i >= end {
                break;
            }
            i += 1; // skip %
            self.f = Flags::default();
            // Flags and the fast path.
            while i < end {
                let c = fb[i];
                match c {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = !self.f.minus,
                    b'+' => self.f.plus = true,
                    b'-' => {
                        self.f.minus = true;
                        self.f.zero = false;
                    }
                    b' ' => self.f.space = true,
                    _ => {
                        if c.is_ascii_lowercase() && arg_num < a.len() {
                            if c == b'v' {
                                self.f.sharp_v = self.f.sharp;
                                self.f.sharp = false;
                                self.f.plus_v = self.f.plus;
                                self.f.plus = false;
                            }
                            self.print_arg(&a[arg_num], c as char);
                            arg_num += 1;
                            i += 1;
                            continue 'format_loop;
                        }
                        break;
                    }
                }
                i += 1;
            }
            // Argument index?
            let r = self.arg_number(arg_num, format, i, a.len(), &mut good_arg_num, &mut reordered);
            arg_num = r.0;
            i = r.1;
            after_index = r.2;
            // Width.
            if i < end && fb[i] == b'*' {
                i += 1;
                let (num, is_int, new_arg) = int_from_arg(a, arg_num);
                arg_num = new_arg;
                self.f.wid_present = is_int;
                if !is_int {
                    self.buf.push_str("%!(BADWIDTH)");
                }
                if num < 0 {
                    self.f.wid = num.unsigned_abs() as usize;
                    self.f.minus = true;
                    self.f.zero = false;
                } else {
                    self.f.wid = num as usize;
                }
                after_index = false;
            } else {
                let (n, present, ni) = parsenum(fb, i, end);
                self.f.wid = n;
                self.f.wid_present = present;
                i = ni;
                if after_index && self.f.wid_present {
                    good_arg_num = false;
                }
            }
            // Precision.
            if i + 1 < end && fb[i] == b'.' {
                i += 1;
                if after_index {
                    good_arg_num = false;
                }
                let r = self.arg_number(arg_num, format, i, a.len(), &mut good_arg_num, &mut reordered);
                arg_num = r.0;
                i = r.1;
                after_index = r.2;
                if i < end && fb[i] == b'*' {
                    i += 1;
                    let (num, is_int, new_arg) = int_from_arg(a, arg_num);
                    arg_num = new_arg;
                    self.f.prec_present = is_int;
                    if num < 0 {
                        self.f.prec = 0;
                        self.f.prec_present = false;
                    } else {
                        self.f.prec = num as usize;
                    }
                    if !self.f.prec_present {
                        self.buf.push_str("%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let (n, present, ni) = parsenum(fb, i, end);
                    i = ni;
                    self.f.prec = n;
                    self.f.prec_present = true;
                    if !present {
                        self.f.prec = 0;
                    }
                }
            }
            if !after_index {
                let r = self.arg_number(arg_num, format, i, a.len(), &mut good_arg_num, &mut reordered);
                arg_num = r.0;
                i = r.1;
            }
            if i >= end {
                self.buf.push_str("%!(NOVERB)");
                break;
            }
            let verb = format[i..].chars().next().unwrap();
            i += verb.len_utf8();
            if verb == '%' {
                self.buf.push('%');
            } else if !good_arg_num {
                self.buf.push_str("%!");
                self.buf.push(verb);
                self.buf.push_str("(BADINDEX)");
            } else if arg_num >= a.len() {
                self.buf.push_str("%!");
                self.buf.push(verb);
                self.buf.push_str("(MISSING)");
            } else {
                if verb == 'v' {
                    self.f.sharp_v = self.f.sharp;
                    self.f.sharp = false;
                    self.f.plus_v = self.f.plus;
                    self.f.plus = false;
                }
                self.print_arg(&a[arg_num], verb);
                arg_num += 1;
            }
        }
        if !reordered && arg_num < a.len() {
            self.f = Flags::default();
            self.buf.push_str("%!(EXTRA ");
            for (i, arg) in a[arg_num..].iter().enumerate() {
                if i > 0 {
                    self.buf.push_str(", ");
                }
                if arg.is_nil() {
                    self.buf.push_str("<nil>");
                } else {
                    self.buf.push_str(&arg.go_type_name());
                    self.buf.push('=');
                    self.print_arg(arg, 'v');
                }
            }
            self.buf.push(')');
        }
    }

    fn arg_number(
        &mut self,
        arg_num: usize,
        format: &str,
        i: usize,
        num_args: usize,
        good_arg_num: &mut bool,
        reordered: &mut bool,
    ) -> (usize, usize, bool) {
        let fb = format.as_bytes();
        if fb.len() <= i || fb[i] != b'[' {
            return (arg_num, i, false);
        }
        *reordered = true;
        let (index, wid, ok) = parse_arg_number(&fb[i..]);
        if ok && index < num_args {
            return (index, i + wid, true);
        }
        *good_arg_num = false;
        (arg_num, i + wid, ok)
    }
}

fn too_large(x: i64) -> bool {
    !(-1_000_000..=1_000_000).contains(&x)
}

fn parsenum(s: &[u8], start: usize, end: usize) -> (usize, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let mut num: i64 = 0;
    let mut isnum = false;
    let mut newi = start;
    while newi < end && s[newi].is_ascii_digit() {
        if too_large(num) {
            return (0, false, end);
        }
        num = num * 10 + (s[newi] - b'0') as i64;
        isnum = true;
        newi += 1;
    }
    (num as usize, isnum, newi)
}

/// Returns (index, bytes consumed, ok) for "[n]".
fn parse_arg_number(format: &[u8]) -> (usize, usize, bool) {
    if format.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..format.len() {
        if format[i] == b']' {
            let (width, ok, newi) = parsenum(format, 1, i);
            if !ok || newi != i {
                return (0, i + 1, false);
            }
            if width == 0 {
                // Index 0 is out of range ("arg numbers are one-indexed").
                return (usize::MAX, i + 1, true);
            }
            return (width - 1, i + 1, true);
        }
    }
    (0, 1, false)
}

fn int_from_arg(a: &[Value], arg_num: usize) -> (i64, bool, usize) {
    let mut new_arg = arg_num;
    let mut num = 0;
    let mut is_int = false;
    if arg_num < a.len() {
        if let Value::Int(n) = &a[arg_num] {
            num = *n;
            is_int = true;
        }
        new_arg = arg_num + 1;
        if too_large(num) {
            num = 0;
            is_int = false;
        }
    }
    (num, is_int, new_arg)
}

/// Go's `fmt.Sprint`.
pub fn sprint(args: &[Value]) -> String {
    let mut p = Printer::new();
    p.do_print(args);
    p.buf
}

/// Go's `fmt.Sprintln`.
pub fn sprintln(args: &[Value]) -> String {
    let mut p = Printer::new();
    p.do_println(args);
    p.buf
}

/// Go's `fmt.Sprintf`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut p = Printer::new();
    p.do_printf(format, args);
    p.buf
}

/// How an action prints a value: `%v`, with a pointer's target printed without `&`.
pub(crate) fn format_deref(v: &Value) -> String {
    let mut p = Printer::new();
    p.deref = true;
    p.print_arg(v, 'v');
    p.buf
}

/// Go's `%v` of one value (nil prints as `<nil>`).
pub fn format_v(v: &Value) -> String {
    let mut p = Printer::new();
    p.print_arg(v, 'v');
    p.buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_like_strconv() {
        let cases: &[(f64, char, i32, &str)] = &[
            (1e6, 'g', -1, "1e+06"),
            (100000.0, 'g', -1, "100000"),
            (0.1, 'g', -1, "0.1"),
            (3.0, 'g', -1, "3"),
            (1e21, 'g', -1, "1e+21"),
            (123456789.0, 'g', -1, "1.23456789e+08"),
            (0.0001, 'g', -1, "0.0001"),
            (0.00001, 'g', -1, "1e-05"),
            (-0.0, 'g', -1, "-0"),
            (1234567.0, 'g', 4, "1.235e+06"),
            (100.0, 'g', 4, "100"),
            (1.5, 'g', 4, "1.5"),
            (0.0, 'g', 4, "0"),
            (123.5, 'g', 4, "123.5"),
            (1.0, 'e', 6, "1.000000e+00"),
            (0.0, 'e', -1, "0e+00"),
            (1.125, 'f', 2, "1.12"),
            (2.5, 'f', 0, "2"),
            (3720.01, 'f', 2, "3720.01"),
            (1e23, 'f', 0, "99999999999999991611392"),
            (1e-7, 'f', -1, "0.0000001"),
            (1.7976931348623157e308, 'g', -1, "1.7976931348623157e+308"),
            (5e-324, 'g', -1, "5e-324"),
            (f64::NAN, 'g', -1, "NaN"),
            (f64::NEG_INFINITY, 'f', 2, "-Inf"),
            (12.345, 'E', 2, "1.23E+01"),
            (1e100, 'e', 1, "1.0e+100"),
            (
                0.1,
                'f',
                70000,
                &format!("0.1000000000000000055511151231257827021181583404541015625{}", "0".repeat(70000 - 55)),
            ),
            (
                0.1,
                'e',
                2000,
                &format!("1.000000000000000055511151231257827021181583404541015625{}e-01", "0".repeat(2000 - 54)),
            ),
        ];
        for (v, f, p, want) in cases {
            assert_eq!(format_float(*v, *f, *p), *want, "{} {} {}", v, f, p);
        }
    }

    fn s(x: &str) -> Value {
        Value::String(x.into())
    }

    #[test]
    fn printf_verbs() {
        let cases: Vec<(&str, Vec<Value>, &str)> = vec![
            ("%d", vec![Value::Int(42)], "42"),
            ("%5d|%-5d|%05d", vec![Value::Int(42), Value::Int(42), Value::Int(-42)], "   42|42   |-0042"),
            (
                "%+d % d %x %X %o %O %b %#x %#o",
                vec![
                    Value::Int(5),
                    Value::Int(5),
                    Value::Int(255),
                    Value::Int(255),
                    Value::Int(8),
                    Value::Int(8),
                    Value::Int(5),
                    Value::Int(255),
                    Value::Int(8),
                ],
                "+5  5 ff FF 10 0o10 101 0xff 010",
            ),
            ("%.3d|%8.3d|%.0d", vec![Value::Int(7), Value::Int(-7), Value::Int(0)], "007|    -007|"),
            (
                "%c %q %U %#U",
                vec![Value::Int(65), Value::Int(65), Value::Int(0x263A), Value::Int(0x263A)],
                "A 'A' U+263A U+263A '☺'",
            ),
            (
                "%f %.2f %8.3f %-8.2f| %05.1f %+.1e %g %G",
                vec![
                    Value::Float(3.14158),
                    Value::Float(3.14158),
                    Value::Float(-3.14158),
                    Value::Float(2.5),
                    Value::Float(-2.25),
                    Value::Float(12345.678),
                    Value::Float(1e-7),
                    Value::Float(1e21),
                ],
                "3.141580 3.14   -3.142 2.50    | -02.2 +1.2e+04 1e-07 1E+21",
            ),
            (
                "%v %v %v",
                vec![Value::Float(f64::INFINITY), Value::Float(f64::NAN), Value::Float(-0.5)],
                "+Inf NaN -0.5",
            ),
            (
                "%05v|%+v|% v",
                vec![Value::Float(f64::INFINITY), Value::Float(f64::NAN), Value::Float(f64::NAN)],
                " +Inf|NaN| NaN",
            ),
            ("%#g %#.3g %#v", vec![Value::Float(1.0), Value::Float(2.0), Value::Float(3.0)], "1.00000 2.00 3"),
            (
                "%s|%10s|%-10s|%.2s|%q|%#q|%+q|%x|% X",
                vec![s("héllo"), s("hi"), s("hi"), s("héllo"), s("a\"b"), s("a\"b"), s("é"), s("hi"), s("hi")],
                "héllo|        hi|hi        |hé|\"a\\\"b\"|`a\"b`|\"\\u00e9\"|6869|68 69",
            ),
            ("%t %v", vec![Value::Bool(true), Value::Bool(false)], "true false"),
            ("%d", vec![s("foo")], "%!d(string=foo)"),
            ("%s", vec![Value::Int(3)], "%!s(int=3)"),
            ("%d", vec![Value::Float(1.5)], "%!d(float64=1.5)"),
            ("%f", vec![Value::Int(1)], "%!f(int=1)"),
            ("%d %d", vec![Value::Int(1)], "1 %!d(MISSING)"),
            ("%d", vec![Value::Int(1), Value::Int(2), s("x")], "1%!(EXTRA int=2, string=x)"),
            ("%", vec![], "%!(NOVERB)"),
            ("%!", vec![], "%!!(MISSING)"),
            ("%z", vec![Value::Int(1)], "%!z(int=1)"),
            ("100%%", vec![], "100%"),
            ("%[2]d %[1]d", vec![Value::Int(1), Value::Int(2)], "2 1"),
            ("%[3]d", vec![Value::Int(1)], "%!d(BADINDEX)"),
            (
                "%*d|%-*d|%.*f",
                vec![Value::Int(4), Value::Int(1), Value::Int(3), Value::Int(2), Value::Int(1), Value::Float(2.25)],
                "   1|2  |2.2",
            ),
            ("%*d", vec![s("x"), Value::Int(1)], "%!(BADWIDTH)1"),
            ("%v %d", vec![Value::Nil, Value::Nil], "<nil> %!d(<nil>)"),
            ("%v", vec![Value::List(vec![Value::Int(1), s("a"), Value::Nil, Value::Float(0.5)])], "[1 a <nil> 0.5]"),
            ("%d", vec![Value::List(vec![Value::Int(1), Value::Int(2)])], "[1 2]"),
            ("%q", vec![Value::List(vec![s("a"), s("b")])], "[\"a\" \"b\"]"),
            ("%3v", vec![Value::List(vec![Value::Int(1), Value::Int(2)])], "[  1   2]"),
            (
                "%v",
                vec![Value::Map([("b".to_string(), Value::Int(2)), ("a".to_string(), s("x"))].into_iter().collect())],
                "map[a:x b:2]",
            ),
            (
                "%T %T %T %T %T",
                vec![Value::Int(1), Value::Float(1.0), s("x"), Value::Bool(true), Value::Nil],
                "int float64 string bool <nil>",
            ),
            ("%6.2f%%", vec![Value::Float(99.5)], " 99.50%"),
            ("%0.2f", vec![Value::Float(3720.01)], "3720.01"),
            ("%x %X", vec![Value::Int(-255), s("\u{ff}")], "-ff C3BF"),
            ("%-05d|", vec![Value::Int(3)], "3    |"),
            ("%05s", vec![s("ab")], "000ab"),
            ("%.1f %.0f %.0f", vec![Value::Float(0.25), Value::Float(0.5), Value::Float(1.5)], "0.2 0 2"),
        ];
        for (f, args, want) in cases {
            assert_eq!(sprintf(f, &args), want, "format {:?}", f);
        }
    }

    #[test]
    fn print_and_println() {
        assert_eq!(sprint(&[Value::Int(1), Value::Int(2), Value::Int(3)]), "1 2 3");
        assert_eq!(sprint(&[s("a"), s("b")]), "ab");
        assert_eq!(sprint(&[s("a"), Value::Int(1), Value::Int(2), s("b")]), "a1 2b");
        assert_eq!(sprint(&[Value::Nil]), "<nil>");
        assert_eq!(sprintln(&[s("a"), Value::Int(1)]), "a 1\n");
    }
}
