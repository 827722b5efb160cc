//! The methods a template can call on a `time.Time` (Go's names, arities and argument types),
//! and the `time.Month` and `time.Weekday` values some of them return.

use super::duration::Duration;
use super::instant::{days_from_civil, Time, DAYS, MONTHS, UNIX_TO_ZERO};
use crate::value::{Object, Value};

impl Time {
    /// The methods a template can call on a time.
    pub(crate) fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let want = |n: usize| -> Result<(), String> {
            if args.len() != n {
                Err(format!("wrong number of args for {}: want {} got {}", name, n, args.len()))
            } else {
                Ok(())
            }
        };
        let p = || self.parts();
        let r = (|| -> Result<Value, String> {
            Ok(match name {
                "Format" => {
                    want(1)?;
                    match &args[0] {
                        Value::String(l) => Value::String(self.format(l)),
                        other => return Err(arg_type_error(other, "string")),
                    }
                }
                "String" => {
                    want(0)?;
                    Value::String(self.to_string())
                }
                "Unix" => {
                    want(0)?;
                    Value::Int(self.secs)
                }
                "UnixMilli" => {
                    want(0)?;
                    Value::Int(self.secs.wrapping_mul(1000) + (self.nanos / 1_000_000) as i64)
                }
                "UnixMicro" => {
                    want(0)?;
                    Value::Int(self.secs.wrapping_mul(1_000_000) + (self.nanos / 1000) as i64)
                }
                "UnixNano" => {
                    want(0)?;
                    Value::Int(self.unix_nano())
                }
                "UTC" | "Local" => {
                    want(0)?;
                    Value::Time(self.utc())
                }
                "Year" => {
                    want(0)?;
                    Value::Int(p().year)
                }
                "Month" => {
                    want(0)?;
                    Value::object(Month(p().month))
                }
                "Day" => {
                    want(0)?;
                    Value::Int(p().day as i64)
                }
                "YearDay" => {
                    want(0)?;
                    Value::Int(p().yday as i64)
                }
                "Weekday" => {
                    want(0)?;
                    Value::object(Weekday(p().weekday))
                }
                "Hour" => {
                    want(0)?;
                    Value::Int(p().hour as i64)
                }
                "Minute" => {
                    want(0)?;
                    Value::Int(p().min as i64)
                }
                "Second" => {
                    want(0)?;
                    Value::Int(p().sec as i64)
                }
                "Nanosecond" => {
                    want(0)?;
                    Value::Int(self.nanos as i64)
                }
                "IsZero" => {
                    want(0)?;
                    Value::Bool(self.is_zero())
                }
                "Add" => {
                    want(1)?;
                    Value::Time(self.add_nanos(duration_arg(&args[0])?))
                }
                "Sub" => {
                    want(1)?;
                    match &args[0] {
                        Value::Time(u) => Duration::value(self.sub_nanos(u)),
                        other => return Err(arg_type_error(other, "time.Time")),
                    }
                }
                "AddDate" => {
                    want(3)?;
                    let mut n = [0i64; 3];
                    for (i, a) in args.iter().enumerate() {
                        match a {
                            Value::Int(x) => n[i] = *x,
                            other => return Err(arg_type_error(other, "int")),
                        }
                    }
                    let p = p();
                    // Go's AddDate wraps on overflow; so does this (without panicking).
                    let clamp = |x: i64| x.clamp(-(1 << 40), 1 << 40);
                    let days = days_from_civil(
                        clamp(p.year.wrapping_add(n[0])),
                        clamp((p.month as i64).wrapping_add(n[1])),
                        clamp((p.day as i64).wrapping_add(n[2])),
                    );
                    let local_sod = (p.hour * 3600 + p.min * 60 + p.sec) as i64;
                    let secs = days.wrapping_mul(86_400).wrapping_add(local_sod).wrapping_sub(self.offset as i64);
                    Value::Time(Time { secs, nanos: self.nanos, offset: self.offset, zone: self.zone.clone() })
                }
                "Before" | "After" | "Equal" | "Compare" => {
                    want(1)?;
                    let u = match &args[0] {
                        Value::Time(u) => u,
                        other => return Err(arg_type_error(other, "time.Time")),
                    };
                    let o = self.cmp_instant(u);
                    match name {
                        "Before" => Value::Bool(o.is_lt()),
                        "After" => Value::Bool(o.is_gt()),
                        "Equal" => Value::Bool(o.is_eq()),
                        _ => Value::Int(o as i64),
                    }
                }
                "Truncate" | "Round" => {
                    want(1)?;
                    let d = duration_arg(&args[0])?;
                    if d <= 0 {
                        return Ok(Value::Time(self.clone()));
                    }
                    // Relative to the zero time, as Go does.
                    let since_zero = (self.secs as i128 + UNIX_TO_ZERO as i128) * 1_000_000_000 + self.nanos as i128;
                    let r = since_zero.rem_euclid(d as i128) as i64;
                    if name == "Round" && r + r >= d {
                        Value::Time(self.add_nanos(d - r))
                    } else {
                        Value::Time(self.add_nanos(-r))
                    }
                }
                _ => return Err(String::new()),
            })
        })();
        match r {
            Err(e) if e.is_empty() => None,
            r => Some(r),
        }
    }
}

/// The Go signature of a time method, for argument checking.
pub(crate) fn method_sig(name: &str) -> Option<crate::funcs::Sig> {
    use crate::funcs::Ty;
    let params: Vec<Ty> = match name {
        "Format" => vec![Ty::Str],
        "String" | "Unix" | "UnixMilli" | "UnixMicro" | "UnixNano" | "UTC" | "Local" | "Year" | "Month" | "Day"
        | "YearDay" | "Weekday" | "Hour" | "Minute" | "Second" | "Nanosecond" | "IsZero" => vec![],
        "Add" | "Truncate" | "Round" => vec![Ty::Duration],
        "Sub" | "Before" | "After" | "Equal" | "Compare" => vec![Ty::Time],
        "AddDate" => vec![Ty::Int, Ty::Int, Ty::Int],
        _ => return None,
    };
    Some(crate::funcs::Sig { params, variadic: None })
}

pub(super) fn arg_type_error(v: &Value, want: &str) -> String {
    format!("wrong type for value; expected {}; got {}", want, v.go_type_name())
}

pub(super) fn duration_arg(v: &Value) -> Result<i64, String> {
    match v {
        Value::Int(n) => Ok(*n),
        Value::Object(o) if o.type_name() == "time.Duration" => match o.to_value() {
            Some(Value::Int(n)) => Ok(n),
            _ => Err(arg_type_error(v, "time.Duration")),
        },
        other => Err(arg_type_error(other, "time.Duration")),
    }
}

/// Go's `time.Month` (prints as its name, compares as its number).
#[derive(Debug, Clone, Copy)]
struct Month(u32);

impl Object for Month {
    fn type_name(&self) -> String {
        "time.Month".into()
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        (name == "String" && args.is_empty()).then(|| Ok(Value::str(MONTHS[self.0 as usize - 1])))
    }
    fn to_value(&self) -> Option<Value> {
        Some(Value::Int(self.0 as i64))
    }
    fn string(&self) -> Option<String> {
        Some(MONTHS[self.0 as usize - 1].to_string())
    }
}

/// Go's `time.Weekday`.
#[derive(Debug, Clone, Copy)]
struct Weekday(usize);

impl Object for Weekday {
    fn type_name(&self) -> String {
        "time.Weekday".into()
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        (name == "String" && args.is_empty()).then(|| Ok(Value::str(DAYS[self.0])))
    }
    fn to_value(&self) -> Option<Value> {
        Some(Value::Int(self.0 as i64))
    }
    fn string(&self) -> Option<String> {
        Some(DAYS[self.0].to_string())
    }
}
