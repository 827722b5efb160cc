//! node_exporter's `uname` collector: `node_uname_info` with the fields of uname(2) as labels.

use super::{family, push, CollectError, Env, MetricFamily, MetricType, SubCollector};

pub(super) struct UnameCollector;

impl SubCollector for UnameCollector {
    fn name(&self) -> &'static str {
        "uname"
    }

    fn update(&mut self, _env: &mut Env, out: &mut Vec<MetricFamily>) -> Result<(), CollectError> {
        // SAFETY: utsname is plain old data; uname fills it and returns 0 on success.
        let mut u: libc::utsname = unsafe { std::mem::zeroed() };
        if unsafe { libc::uname(&mut u) } != 0 {
            return Err(CollectError::io("uname(2)", std::io::Error::last_os_error()));
        }
        let field = |f: &[libc::c_char]| -> String {
            // The kernel NUL-terminates every field; be defensive about a full buffer anyway.
            let bytes: Vec<u8> = f.iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        };
        let mut f = family(
            "node_uname_info",
            "Labeled system information as provided by the uname system call.",
            MetricType::Gauge,
        );
        push(
            &mut f,
            &[
                ("sysname", &field(&u.sysname)),
                ("release", &field(&u.release)),
                ("version", &field(&u.version)),
                ("machine", &field(&u.machine)),
                ("nodename", &field(&u.nodename)),
                ("domainname", &field(&u.domainname)),
            ],
            1.0,
        );
        out.push(f);
        Ok(())
    }
}
