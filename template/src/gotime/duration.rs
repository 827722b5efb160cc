//! Go's `time.Duration`: an [`Object`] holding nanoseconds that prints like Go's `String()`
//! (`1h2m3.5s`) and has Go's methods.

use std::fmt;

use super::methods::duration_arg;
use crate::value::{Object, Value};

/// Go's `time.Duration`: nanoseconds, printing like `1h2m3.5s`; compares as an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration(pub i64);

impl Duration {
    /// The duration as a template value.
    pub fn value(nanos: i64) -> Value {
        Value::object(Duration(nanos))
    }
}

/// Formats v/10^prec's fraction (".12345", trailing zeros dropped) in front of `buf`.
fn fmt_frac(buf: &mut Vec<u8>, v: u64, prec: usize) -> u64 {
    let mut v = v;
    let mut print = false;
    let mut digits = Vec::new();
    for _ in 0..prec {
        let digit = v % 10;
        print = print || digit != 0;
        if print {
            digits.push(b'0' + digit as u8);
        }
        v /= 10;
    }
    if print {
        digits.push(b'.');
    }
    buf.extend(digits);
    v
}

fn fmt_int(buf: &mut Vec<u8>, v: u64) {
    if v == 0 {
        buf.push(b'0');
        return;
    }
    let mut v = v;
    while v > 0 {
        buf.push(b'0' + (v % 10) as u8);
        v /= 10;
    }
}

/// Go's `Duration.String()`.
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        let neg = d < 0;
        let mut u = d.unsigned_abs();
        let mut buf: Vec<u8> = Vec::new(); // reversed
        if u < 1_000_000_000 {
            if u == 0 {
                return f.write_str("0s");
            }
            buf.push(b's');
            let prec;
            if u < 1000 {
                prec = 0;
                buf.push(b'n');
            } else if u < 1_000_000 {
                prec = 3;
                // "µ" reversed (UTF-8 0xC2 0xB5).
                buf.push(0xB5);
                buf.push(0xC2);
            } else {
                prec = 6;
                buf.push(b'm');
            }
            u = fmt_frac(&mut buf, u, prec);
            fmt_int(&mut buf, u);
        } else {
            buf.push(b's');
            u = fmt_frac(&mut buf, u, 9);
            fmt_int(&mut buf, u % 60);
            u /= 60;
            if u > 0 {
                buf.push(b'm');
                fmt_int(&mut buf, u % 60);
                u /= 60;
                if u > 0 {
                    buf.push(b'h');
                    fmt_int(&mut buf, u);
                }
            }
        }
        if neg {
            buf.push(b'-');
        }
        buf.reverse();
        f.write_str(&String::from_utf8(buf).unwrap())
    }
}

impl Object for Duration {
    fn type_name(&self) -> String {
        "time.Duration".into()
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let d = self.0;
        let v = match name {
            "String" => Value::String(self.to_string()),
            "Hours" => Value::Float((d / 3_600_000_000_000) as f64 + (d % 3_600_000_000_000) as f64 / 3.6e12),
            "Minutes" => Value::Float((d / 60_000_000_000) as f64 + (d % 60_000_000_000) as f64 / 6e10),
            "Seconds" => Value::Float((d / 1_000_000_000) as f64 + (d % 1_000_000_000) as f64 / 1e9),
            "Milliseconds" => Value::Int(d / 1_000_000),
            "Microseconds" => Value::Int(d / 1000),
            "Nanoseconds" => Value::Int(d),
            "Abs" => Duration::value(if d == i64::MIN { i64::MAX } else { d.abs() }),
            "Round" | "Truncate" => {
                return Some(match args {
                    [a] => duration_arg(a).map(|m| {
                        if m <= 0 {
                            return Duration::value(d);
                        }
                        let r = d % m;
                        let t = d - r;
                        if name == "Truncate" {
                            return Duration::value(t);
                        }
                        if d < 0 {
                            if -r + -r < m {
                                Duration::value(t)
                            } else {
                                Duration::value(t.saturating_sub(m))
                            }
                        } else if r + r < m {
                            Duration::value(t)
                        } else {
                            Duration::value(t.saturating_add(m))
                        }
                    }),
                    _ => Err(format!("wrong number of args for {}: want 1 got {}", name, args.len())),
                });
            }
            _ => return None,
        };
        if !args.is_empty() {
            return Some(Err(format!("wrong number of args for {}: want 0 got {}", name, args.len())));
        }
        Some(Ok(v))
    }
    fn to_value(&self) -> Option<Value> {
        Some(Value::Int(self.0))
    }
    fn string(&self) -> Option<String> {
        Some(self.to_string())
    }
    fn truth(&self) -> bool {
        self.0 != 0
    }
}
