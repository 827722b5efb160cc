//! Go's `text/template` language, with the functions Prometheus rule files and Alertmanager
//! templates use.
