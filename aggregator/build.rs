//! Records the build information (`--version`, `/api/v1/status/buildinfo`; see
//! build-support/buildinfo.rs) and builds the web UI into the binary (build_ui.rs).
include!("../build-support/buildinfo.rs");

#[path = "build_ui.rs"]
mod build_ui;

fn main() {
    emit_build_info();
    build_ui::build();
}
