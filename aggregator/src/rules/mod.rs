//! Prometheus rule files: recording and alerting rules, evaluated on a schedule.
