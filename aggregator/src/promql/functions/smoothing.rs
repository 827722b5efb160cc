//! `double_exponential_smoothing(v range-vector, sf, tf)` (Prometheus 2's `holt_winters`), as
//! Prometheus' `funcDoubleExponentialSmoothing`: Holt's linear smoothing of the points in the
//! window, returning the last smoothed value.

use super::super::error::{PromqlError, Result};
use super::super::value::Point;

/// Checks both factors lie strictly between 0 and 1, with Prometheus' messages.
pub(super) fn validate_factors(sf: f64, tf: f64) -> Result<()> {
    // Written so NaN fails too.
    if !(sf > 0.0 && sf < 1.0) {
        return Err(PromqlError::exec(format!("invalid smoothing factor. Expected: 0 < sf < 1, got: {sf:.6}")));
    }
    if !(tf > 0.0 && tf < 1.0) {
        return Err(PromqlError::exec(format!("invalid trend factor. Expected: 0 < tf < 1, got: {tf:.6}")));
    }
    Ok(())
}

/// The smoothed value after the last point; `None` with fewer than two points.
pub(super) fn double_exponential_smoothing(points: &[Point], sf: f64, tf: f64) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let (mut s0, mut s1) = (0.0, points[0].v);
    let mut b = points[1].v - points[0].v;
    for (i, p) in points.iter().enumerate().skip(1) {
        let x = sf * p.v;
        // The trend: the first step keeps the initial slope.
        if i > 1 {
            b = tf * (s1 - s0) + (1.0 - tf) * b;
        }
        let y = (1.0 - sf) * (s1 + b);
        (s0, s1) = (s1, x + y);
    }
    Some(s1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(vs: &[f64]) -> Vec<Point> {
        vs.iter().enumerate().map(|(i, &v)| Point { t: i as i64 * 1000, v }).collect()
    }

    #[test]
    fn a_straight_line_is_followed_exactly() {
        let v = double_exponential_smoothing(&pts(&[0.0, 10.0, 20.0, 30.0]), 0.5, 0.5);
        assert_eq!(v, Some(30.0));
        assert_eq!(double_exponential_smoothing(&pts(&[1.0]), 0.5, 0.5), None);
    }

    #[test]
    fn factors_outside_the_open_interval_fail() {
        assert!(validate_factors(0.5, 0.5).is_ok());
        assert!(validate_factors(1.0, 0.5).is_err());
        assert!(validate_factors(0.5, 0.0).is_err());
        assert!(validate_factors(f64::NAN, 0.5).is_err());
    }
}
