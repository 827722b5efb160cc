//! Records the build information (build-support/buildinfo.rs) and links the `pharos-agent`
//! executable as non-PIE: a PIE's absolute addresses are relocated at start, which dirties every
//! page of `.data.rel.ro` (0.4 MB, then private memory) and keeps the 0.5 MB relocation table
//! resident. Linked at a fixed address, the executable has neither; in
//! benches/agent-footprint.sh that is 0.7 MiB less RSS of a 12 MiB agent. Shared libraries, heap
//! and stacks keep their randomised addresses. Only the binaries: test executables are unchanged.
include!("../build-support/buildinfo.rs");

fn main() {
    // Build information for `--version` and `pharos_agent_build_info`.
    emit_build_info();
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
