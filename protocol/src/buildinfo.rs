//! Build information of the Pharos binaries: what `--version` prints, what
//! `/api/v1/status/buildinfo` reports and what the `*_build_info` metrics carry. The values are
//! set by each binary crate's build script (build-support/buildinfo.rs); the macros here expand
//! in that crate, so they read its environment.

use serde::Serialize;

/// Build information, with Prometheus' field names (`/api/v1/status/buildinfo`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BuildInfo {
    /// Release version.
    pub version: String,
    /// VCS revision.
    pub revision: String,
    /// VCS branch.
    pub branch: String,
    /// Who built the binary (`user@host`).
    pub build_user: String,
    /// When it was built, as `20230201-07:53:32` (UTC).
    pub build_date: String,
    /// Prometheus reports its Go version here; we report the Rust compiler's.
    pub go_version: String,
}

/// The [`BuildInfo`] of the crate this expands in ("unknown" for what its build did not record).
#[macro_export]
macro_rules! build_info {
    () => {{
        let known = |v: Option<&str>| v.unwrap_or("unknown").to_string();
        $crate::buildinfo::BuildInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            revision: known(option_env!("PHAROS_REVISION")),
            branch: known(option_env!("PHAROS_BRANCH")),
            build_user: known(option_env!("PHAROS_BUILD_USER")),
            build_date: known(option_env!("PHAROS_BUILD_DATE")),
            go_version: known(option_env!("PHAROS_RUSTC_VERSION")),
        }
    }};
}

/// `--version`'s text after the program name, laid out as Prometheus' (a `&'static str`, for
/// clap's `long_version`); needs the crate's build script to run `emit_build_info`.
#[macro_export]
macro_rules! long_version {
    () => {
        concat!(
            env!("CARGO_PKG_VERSION"),
            " (branch: ",
            env!("PHAROS_BRANCH"),
            ", revision: ",
            env!("PHAROS_REVISION"),
            ")\n  build user:       ",
            env!("PHAROS_BUILD_USER"),
            "\n  build date:       ",
            env!("PHAROS_BUILD_DATE"),
            "\n  rustc version:    ",
            env!("PHAROS_RUSTC_VERSION"),
            "\n  platform:         ",
            env!("PHAROS_PLATFORM"),
        )
    };
}

impl BuildInfo {
    /// The labels of a `<program>_build_info` gauge, as Prometheus' `prometheus_build_info`
    /// (`goversion` holds the Rust compiler's version).
    pub fn metric_labels(&self) -> [(&'static str, &str); 4] {
        [
            ("branch", &self.branch),
            ("goversion", &self.go_version),
            ("revision", &self.revision),
            ("version", &self.version),
        ]
    }
}
