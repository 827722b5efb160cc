//! Go's `fmt` printing (`Sprint`, `Sprintln`, `Sprintf`) and `strconv.FormatFloat`, for
//! [`Value`]s: the verbs, flags, width and precision, argument indexes, and Go's error
//! notations (`%!d(string=foo)`, `%!(EXTRA ...)`, `%!v(MISSING)`, ...).
//!
//! This module holds the entry points and Go's `unicode.IsPrint`; `float` has
//! `strconv.FormatFloat`, `printer` the `Printer` and its verbs, `printf` the parsing of
//! format strings.

mod float;
mod printer;
mod printf;
#[cfg(test)]
mod tests;

pub use float::format_float;

use crate::value::Value;
use printer::Printer;

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
