//! Helpers of the container collector tests (Docker's and Podman's): one collection, and
//! reading the families it gave by container name.

#![allow(dead_code)]

use pharos_agent::collect::containers::ContainersCollector;
use pharos_agent::collect::{Collector, MetricFamily};

/// One collection; a failure fails the test, naming `engine`.
pub async fn collect(c: &mut ContainersCollector, engine: &str) -> Vec<MetricFamily> {
    match c.collect().await {
        Ok(f) => f,
        Err(e) => panic!("collection from {engine} failed: {e}"),
    }
}

/// The value of `family` for the container `name` (and `with` labels), if there is exactly one.
pub fn get(fams: &[MetricFamily], family: &str, name: &str, with: &[(&str, &str)]) -> Option<f64> {
    let v: Vec<f64> = fams
        .iter()
        .filter(|f| f.name == family)
        .flat_map(|f| &f.metrics)
        .filter(|m| m.labels.get("name") == Some(name) && with.iter().all(|(k, v)| m.labels.get(k) == Some(*v)))
        .map(|m| m.value)
        .collect();
    (v.len() == 1).then(|| v[0])
}

/// Sum of `family` over all series of container `name` (e.g. every interface or device).
pub fn sum(fams: &[MetricFamily], family: &str, name: &str) -> f64 {
    fams.iter()
        .filter(|f| f.name == family)
        .flat_map(|f| &f.metrics)
        .filter(|m| m.labels.get("name") == Some(name))
        .map(|m| m.value)
        .sum()
}

/// The cgroup cAdvisor names a process's container by, read here independently of the
/// collector: the v1 cpu hierarchy's path (or v2's single one) in `/proc/<pid>/cgroup`.
pub fn cgroup_of(pid: &str) -> Option<String> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).ok()?;
    text.lines().find_map(|l| {
        let mut p = l.splitn(3, ':');
        let (_, ctl, path) = (p.next()?, p.next()?, p.next()?);
        (ctl.split(',').any(|c| c == "cpu") || ctl.is_empty()).then(|| path.to_string())
    })
}
