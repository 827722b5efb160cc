//! Tests of `strconv.FormatFloat` and the `fmt` printing functions against Go's outputs.

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
        ("%v %v %v", vec![Value::Float(f64::INFINITY), Value::Float(f64::NAN), Value::Float(-0.5)], "+Inf NaN -0.5"),
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
