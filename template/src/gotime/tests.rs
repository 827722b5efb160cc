//! Tests of layouts, `String()`, durations and methods against Go's outputs.

use super::*;
use crate::value::Value;

#[test]
fn layouts() {
    // 2009-11-10 23:04:05.123456789 UTC, a Tuesday.
    let t = Time::from_unix(1_257_894_245, 123_456_789);
    let cases: &[(&str, &str)] = &[
        ("2006-01-02 15:04:05", "2009-11-10 23:04:05"),
        ("2006-01-02T15:04:05Z07:00", "2009-11-10T23:04:05Z"),
        ("2006-01-02T15:04:05.999999999Z07:00", "2009-11-10T23:04:05.123456789Z"),
        ("Mon Jan _2 15:04:05 MST 2006", "Tue Nov 10 23:04:05 UTC 2009"),
        ("Monday, 02-Jan-06 15:04:05 MST", "Tuesday, 10-Nov-09 23:04:05 UTC"),
        ("3:04PM", "11:04PM"),
        ("03:04:05.000 pm", "11:04:05.123 pm"),
        ("Jan 2, 2006 at 3:04pm (MST)", "Nov 10, 2009 at 11:04pm (UTC)"),
        ("2006-01-02 15:04:05.999", "2009-11-10 23:04:05.123"),
        ("15:04:05,000000", "23:04:05,123456"),
        ("002 __2", "314 314"),
        ("-07:00 -0700 -07 Z0700", "+00:00 +0000 +00 Z"),
        ("January Janx", "November Janx"),
        ("1/2/06", "11/10/09"),
        ("no layout", "no layout"),
        ("_2006", "_2009"),
    ];
    for (layout, want) in cases {
        assert_eq!(t.format(layout), *want, "layout {:?}", layout);
    }
    let t2 = t.with_zone(-7 * 3600, "");
    assert_eq!(t2.format("2006-01-02T15:04:05Z07:00 MST"), "2009-11-10T16:04:05-07:00 -0700");
    let t3 = t.with_zone(5 * 3600 + 30 * 60, "IST");
    assert_eq!(t3.format("15:04 -07:00 MST Z07:00:00"), "04:34 +05:30 IST +05:30:00");
    assert_eq!(t3.format("Monday 2"), "Wednesday 11");
}

#[test]
fn strings() {
    assert_eq!(Time::from_unix(0, 0).to_string(), "1970-01-01 00:00:00 +0000 UTC");
    assert_eq!(Time::from_unix(1_435_065_584, 128_000_000).to_string(), "2015-06-23 13:19:44.128 +0000 UTC");
    assert_eq!(Time::zero().to_string(), "0001-01-01 00:00:00 +0000 UTC");
    assert!(Time::zero().is_zero());
    assert_eq!(Time::from_unix_nanos(-1).to_string(), "1969-12-31 23:59:59.999999999 +0000 UTC");
    assert_eq!(Time::from_unix(0, 0).with_zone(7200, "").to_string(), "1970-01-01 02:00:00 +0200 +0200");
    let t = Time::parse_rfc3339("2023-03-04T05:06:07.5+01:00").unwrap();
    assert_eq!(t.to_string(), "2023-03-04 05:06:07.5 +0100 +0100");
    assert_eq!(Time::parse_rfc3339("2023-03-04T05:06:07Z").unwrap().to_string(), "2023-03-04 05:06:07 +0000 UTC");
    assert_eq!(Time::from_unix(9_223_372_036, 0).to_string(), "2262-04-11 23:47:16 +0000 UTC");
}

#[test]
fn durations() {
    let cases: &[(i64, &str)] = &[
        (0, "0s"),
        (1, "1ns"),
        (1100, "1.1µs"),
        (2_200_000, "2.2ms"),
        (3_300_000_000, "3.3s"),
        (-4_000_000_000 * 60 - 5_000_000_000, "-4m5s"),
        (3_600_000_000_000 + 2 * 60_000_000_000 + 3_500_000_000, "1h2m3.5s"),
        (60_000_000_000, "1m0s"),
        (i64::MAX, "2562047h47m16.854775807s"),
        (i64::MIN, "-2562047h47m16.854775808s"),
    ];
    for (d, want) in cases {
        assert_eq!(Duration(*d).to_string(), *want);
    }
}

#[test]
fn methods() {
    let t = Time::from_unix(1_257_894_245, 0);
    let m = |name: &str, args: &[Value]| t.method(name, args).unwrap().unwrap();
    assert_eq!(m("Unix", &[]), Value::Int(1_257_894_245));
    assert_eq!(m("Year", &[]), Value::Int(2009));
    assert_eq!(format!("{}", m("Month", &[])), "November");
    assert_eq!(format!("{}", m("Weekday", &[])), "Tuesday");
    assert_eq!(m("Add", &[Value::Int(3_600_000_000_000)]), Value::Time(Time::from_unix(1_257_897_845, 0)));
    assert_eq!(format!("{}", m("Sub", &[Value::Time(Time::from_unix(1_257_894_000, 0))])), "4m5s");
    assert_eq!(
        m("AddDate", &[Value::Int(0), Value::Int(2), Value::Int(0)]),
        Value::Time(Time::parse_rfc3339("2010-01-10T23:04:05Z").unwrap())
    );
    assert_eq!(m("Truncate", &[Value::Int(3_600_000_000_000)]).to_string(), "2009-11-10 23:00:00 +0000 UTC");
    assert!(t.method("Nope", &[]).is_none());
}
