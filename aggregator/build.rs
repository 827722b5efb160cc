//! Builds the web UI into the binary (build_ui.rs).

#[path = "build_ui.rs"]
mod build_ui;

fn main() {
    build_ui::build();
}
