use super::relabel::{relabel, RelabelConfig};
use super::target::apply_target_labels;
use super::*;
use crate::config::AgentConfig;
use pharos_protocol::Labels;

fn relabel_configs(toml_list: &str) -> Vec<RelabelConfig> {
    #[derive(serde::Deserialize)]
    struct W {
        r: Vec<RelabelConfig>,
    }
    let w: W = toml::from_str(&format!("r = {toml_list}")).unwrap_or_else(|e| panic!("{toml_list}: {e}"));
    w.r
}

fn labels(pairs: &[(&str, &str)]) -> Labels {
    Labels::from_pairs(pairs.iter().copied())
}

#[test]
fn every_relabel_action_follows_prometheus() {
    let l = labels(&[("__name__", "go_gc"), ("a", "x"), ("b", "y"), ("pod_name", "p1")]);
    let keep = |t: &str| relabel(l.clone(), &relabel_configs(t));
    assert!(keep(r#"[{source_labels = ["__name__"], regex = "go_.*", action = "drop"}]"#).is_none());
    // Anchored: "go" alone does not match "go_gc".
    assert!(keep(r#"[{source_labels = ["__name__"], regex = "go", action = "drop"}]"#).is_some());
    assert!(keep(r#"[{source_labels = ["__name__"], regex = "go", action = "keep"}]"#).is_none());
    assert!(keep(r#"[{source_labels = ["a", "b"], regex = "x;y", action = "keep"}]"#).is_some());
    let r = keep(r#"[{source_labels = ["a", "b"], separator = "-", regex = "(.)-(.)", target_label = "c", replacement = "$2$1"}]"#)
        .unwrap();
    assert_eq!(r.get("c"), Some("yx"));
    // Default regex (.*) and replacement $1; an empty result deletes the target.
    let r = keep(r#"[{source_labels = ["missing"], target_label = "a"}]"#).unwrap();
    assert_eq!(r.get("a"), None);
    // The target label is a template too.
    let r = keep(r#"[{source_labels = ["a"], regex = "(.*)", target_label = "t_$1", replacement = "v"}]"#).unwrap();
    assert_eq!(r.get("t_x"), Some("v"));
    let r = keep(r#"[{regex = "pod_(.*)", action = "labelmap"}]"#).unwrap();
    assert_eq!((r.get("name"), r.get("pod_name")), (Some("p1"), Some("p1")));
    let r = keep(r#"[{regex = "a|b", action = "labeldrop"}]"#).unwrap();
    assert_eq!((r.get("a"), r.get("b"), r.get("pod_name")), (None, None, Some("p1")));
    let r = keep(r#"[{regex = "__name__|a", action = "labelkeep"}]"#).unwrap();
    assert_eq!(r.len(), 2);
    let r = keep(r#"[{source_labels = ["a"], target_label = "u", action = "uppercase"}]"#).unwrap();
    assert_eq!(r.get("u"), Some("X"));
    // hashmod: md5("x") = 9dd4e461268c8034f5c8564e155c67a6; last 8 bytes 0xf5c8564e155c67a6.
    let r = keep(r#"[{source_labels = ["a"], modulus = 1000, target_label = "h", action = "hashmod"}]"#).unwrap();
    assert_eq!(r.get("h"), Some((0xf5c8_564e_155c_67a6_u64 % 1000).to_string().as_str()));
    assert!(keep(r#"[{source_labels = ["a"], target_label = "b", action = "keepequal"}]"#).is_none());
    assert!(keep(r#"[{regex = ".*", action = "labeldrop"}]"#).is_none(), "no labels left drops the sample");
}

#[test]
fn invalid_relabel_configs_are_refused_with_a_message() {
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct W {
        r: Vec<RelabelConfig>,
    }
    for (bad, says) in [
        (r#"[{regex = "(", action = "drop"}]"#, "invalid regex"),
        (r#"[{action = "hashmod", target_label = "h"}]"#, "modulus"),
        (r#"[{action = "replace"}]"#, "target_label"),
        (r#"[{action = "labeldrop", regex = "a", target_label = "b"}]"#, "only a regex"),
        (r#"[{action = "explode"}]"#, "explode"),
        (r#"[{action = "drop", regexp = "a"}]"#, "regexp"),
    ] {
        let e = toml::from_str::<W>(&format!("r = {bad}")).unwrap_err().to_string();
        assert!(e.contains(says), "{bad}: {e}");
    }
}

#[test]
fn honor_labels_both_ways() {
    let target = labels(&[("instance", "h:1"), ("job", "app"), ("team", "a")]);
    let scraped = labels(&[("__name__", "m"), ("job", "inner"), ("exported_job", "taken"), ("x", "1")]);
    let l = apply_target_labels(&scraped, &target, false);
    assert_eq!(l.get("job"), Some("app"));
    assert_eq!(l.get("exported_job"), Some("taken"));
    assert_eq!(l.get("exported_exported_job"), Some("inner"));
    assert_eq!((l.get("instance"), l.get("team"), l.get("x")), (Some("h:1"), Some("a"), Some("1")));
    let l = apply_target_labels(&scraped, &target, true);
    assert_eq!((l.get("job"), l.get("instance"), l.get("team")), (Some("inner"), Some("h:1"), Some("a")));
    assert_eq!(l.get("exported_exported_job"), None);
}

fn cfg(text: &str) -> Result<AgentConfig, String> {
    AgentConfig::parse(&format!("[agent]\nname = \"web1\"\ninterval = \"15s\"\n{text}"))
}

#[test]
fn target_config_defaults_instance_and_errors() {
    let c = cfg("[collect.scrape]\ntextfile_directory = \"/nonexistent\"\n\
[[collect.scrape.targets]]\nurl = \"http://localhost:8080/metrics\"\njob = \"app\"\n\
[[collect.scrape.targets]]\nurl = \"https://db.example:9187/metrics\"\njob = \"pg\"\ninterval = \"5s\"\n\
[[collect.scrape.targets]]\nurl = \"http://[::1]/m\"\njob = \"x\"\nlabels = { instance = \"mine\" }\n\
[[collect.scrape.targets]]\nurl = \"http://127.0.0.1/m\"\njob = \"y\"\n")
    .unwrap();
    let t = &c.collect.scrape.targets;
    assert_eq!(t[0].instance("web1"), "web1:8080");
    assert_eq!(t[1].instance("web1"), "db.example:9187");
    assert_eq!(t[2].instance("web1"), "mine");
    assert_eq!(t[3].instance("web1"), "web1:80");
    assert!(t[0].honor_timestamps && !t[0].honor_labels);
    let specs = sources(&c.collect.scrape, &c.agent);
    assert_eq!(specs.len(), 4, "no textfile source without its directory");
    assert_eq!(specs[0].interval, Duration::from_secs(15));
    assert_eq!(specs[0].timeout, Duration::from_secs(10) + REPORT_GRACE);
    assert_eq!(specs[1].timeout, Duration::from_secs(5) + REPORT_GRACE);
    assert_eq!((specs[0].job.as_str(), specs[0].instance.as_str()), ("app", "web1:8080"));

    for (bad, says) in [
        ("url = \"ftp://h/m\"\njob = \"a\"", "scheme"),
        ("url = \"not a url\"\njob = \"a\"", "invalid url"),
        ("url = \"http://h/m\"", "job"),
        ("url = \"http://h/m\"\njob = \"a\"\nbogus = 1", "bogus"),
        ("url = \"http://h/m\"\njob = \"a\"\ninterval = \"5s\"\ntimeout = \"6s\"", "timeout"),
        ("url = \"http://h/m\"\njob = \"a\"\nbearer_token = \"t\"\nbearer_token_file = \"/f\"", "bearer_token"),
        ("url = \"http://h/m\"\njob = \"a\"\ntls = { cert_file = \"/c\" }", "key_file"),
        ("url = \"http://h/m\"\njob = \"a\"\ntls = { ca = \"/c\" }", "ca"),
        ("url = \"http://h/m\"\njob = \"a\"\nmetric_relabel_configs = [{ regex = \"[\", action = \"drop\" }]", "regex"),
    ] {
        let e = cfg(&format!("[[collect.scrape.targets]]\n{bad}\n")).unwrap_err();
        assert!(e.contains(says), "{bad}: {e}");
    }
    let e = cfg("[collect.scrape]\ntextfile_dir = \"/x\"\n").unwrap_err();
    assert!(e.contains("textfile_dir"), "{e}");
}
