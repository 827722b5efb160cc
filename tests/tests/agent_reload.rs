//! SIGHUP reloads the agent's configuration in place (same pid); a configuration that does not
//! load is refused and the agent keeps running with the old one.

use pharos_e2e::{wait_for, Agent, Aggregator};
use std::time::Duration;

#[test]
fn sighup_applies_a_new_configuration_and_refuses_a_broken_one() {
    let mut agg = Aggregator::setup();
    agg.start();
    let mut agent = Agent::setup(&agg, "reload-host", "1s", "");
    agent.start();
    let pid = agent.proc.as_ref().expect("started").pid();
    wait_for(Duration::from_secs(30), || {
        (!agg.query_vector("node_load1{instance=\"reload-host\",job=\"node\"}").is_empty()).then_some(())
    })
    .unwrap_or_else(|| panic!("no data\n{}", agent.log()));

    // A broken file: refused, the agent stays up and keeps sending.
    let good = std::fs::read_to_string(&agent.config).expect("config");
    std::fs::write(&agent.config, format!("{good}\n[collect.host]\njob = 3\n")).expect("write");
    agent.proc.as_ref().expect("started").signal(libc::SIGHUP);
    wait_for(Duration::from_secs(10), || agent.log().contains("reload refused").then_some(()))
        .unwrap_or_else(|| panic!("no refusal logged\n{}", agent.log()));
    assert!(agent.proc.as_mut().expect("started").running(), "the agent must survive a bad reload");

    // A good change: the host series now carry the new job label, from the same process.
    std::fs::write(&agent.config, format!("{good}\n[collect.host]\njob = \"node-reloaded\"\n")).expect("write");
    agent.proc.as_ref().expect("started").signal(libc::SIGHUP);
    wait_for(Duration::from_secs(30), || {
        (!agg.query_vector("node_load1{instance=\"reload-host\",job=\"node-reloaded\"}").is_empty()).then_some(())
    })
    .unwrap_or_else(|| panic!("the new job label never arrived\n{}", agent.log()));
    assert!(agent.proc.as_mut().expect("started").running());
    assert_eq!(agent.proc.as_ref().expect("started").pid(), pid);
    let log = agent.log();
    assert_eq!(log.matches("pharos-agent starting").count(), 2, "one start, one re-execution:\n{log}");
    let status = std::fs::read_to_string(format!("/proc/{pid}/comm")).expect("proc comm");
    assert_eq!(status.trim(), "pharos-agent", "the pid must still be the agent");
}
