//! The `Printer` of Go's `fmt`: flags, padding, the verbs of each kind of [`Value`], Go's
//! bad-verb notation, `%#v` syntax, and `Sprint`/`Sprintln`'s spacing rules.

use super::float::format_float;
use super::is_go_print;
use crate::strconv::{can_backquote, quote, quote_rune, quote_to_ascii};
use crate::value::Value;

/// The flags, width and precision of the verb being printed (Go's `fmtFlags`, `wid`, `prec`).
#[derive(Default, Clone, Copy)]
pub(super) struct Flags {
    pub(super) plus: bool,
    pub(super) minus: bool,
    pub(super) sharp: bool,
    pub(super) space: bool,
    pub(super) zero: bool,
    pub(super) plus_v: bool,
    pub(super) sharp_v: bool,
    pub(super) wid: usize,
    pub(super) wid_present: bool,
    pub(super) prec: usize,
    pub(super) prec_present: bool,
}

/// Go's `pp`: the output and the state of the verb being printed.
pub(super) struct Printer {
    pub(super) buf: String,
    pub(super) f: Flags,
    erroring: bool,
    /// Print a pointer's target without `&` (what an action does).
    pub(super) deref: bool,
}

const LDIGITS: &[u8] = b"0123456789abcdefx";
const UDIGITS: &[u8] = b"0123456789ABCDEFX";

impl Printer {
    pub(super) fn new() -> Printer {
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

    pub(super) fn print_arg(&mut self, arg: &Value, verb: char) {
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

    pub(super) fn do_print(&mut self, args: &[Value]) {
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

    pub(super) fn do_println(&mut self, args: &[Value]) {
        for (i, arg) in args.iter().enumerate() {
            if i > 0 {
                self.buf.push(' ');
            }
            self.print_arg(arg, 'v');
        }
        self.buf.push('\n');
    }
}
