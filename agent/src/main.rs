//! `pharos-agent`: collects host metrics, buffers them on disk, pushes them over QUIC with mTLS.
//! (Modules live in lib.rs; this binary only parses the command line.)

use clap::{Parser, Subcommand};
use pharos_agent::config::AgentConfig;
use std::path::PathBuf;
use std::process::ExitCode;

/// Pharos agent: host metrics → disk buffer → QUIC/mTLS → aggregator.
#[derive(Parser)]
#[command(name = "pharos-agent", version, long_version = pharos_protocol::long_version!(), about, long_about = None)]
struct Cli {
    /// Configuration file (TOML). Without it every setting has its default.
    #[arg(long, short = 'c', global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the agent (the default).
    Run,
    /// Collect once and print what would be sent, in the Prometheus text format, to stdout.
    CollectOnce,
    /// Check an exposition read from stdin, as `promtool check metrics` does: exit 0 when it
    /// parses, 1 with `line N: reason` on stderr when not.
    CheckMetrics {
        /// The exposition format of the input.
        #[arg(long, value_enum, default_value_t = ExpositionFormat::Text)]
        format: ExpositionFormat,
    },
    /// Check configuration files like `promtool check config`: the values, the Pushgateway
    /// address and the uplink's servers and certificates (issued to agent.name). Exit 0 when all
    /// pass, 1 with `  FAILED: reason` on stderr when one does not.
    CheckConfig {
        /// Check only the files' own syntax and values, not the certificates they name.
        #[arg(long)]
        syntax_only: bool,
        /// The configuration files to check (default: the one given with --config).
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Obtain this agent's client certificate from the aggregator with a token from
    /// `pharos-aggregator token create`, and store it where the configuration looks for it.
    Enroll {
        /// The aggregator's ingest address, HOST:PORT.
        #[arg(long, value_name = "HOST:PORT")]
        server: String,
        /// The enrollment token (pharos1.…).
        #[arg(long)]
        token: String,
        /// The aggregator's CA fingerprint, sha256:<hex>, as `token create` prints it.
        #[arg(long, value_name = "sha256:HEX", required_unless_present = "ca_file", conflicts_with = "ca_file")]
        ca_fingerprint: Option<String>,
        /// The aggregator's CA certificate file, instead of the fingerprint.
        #[arg(long, value_name = "FILE")]
        ca_file: Option<PathBuf>,
        /// The agent name (default: agent.name of the configuration, else the host name).
        #[arg(long)]
        name: Option<String>,
        /// Replace an existing certificate and key.
        #[arg(long)]
        force: bool,
    },
}

/// `--format` of `check-metrics`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum ExpositionFormat {
    /// Prometheus text format 0.0.4.
    Text,
    /// OpenMetrics 1.0 text format.
    Openmetrics,
}

fn main() -> ExitCode {
    limit_malloc_arenas();
    let cli = Cli::parse();
    // Needs neither configuration nor logging: answer before loading either.
    if let Some(Command::CheckMetrics { format }) = &cli.command {
        let format = match format {
            ExpositionFormat::Text => pharos_protocol::exposition::Format::Text,
            ExpositionFormat::Openmetrics => pharos_protocol::exposition::Format::OpenMetrics,
        };
        return match pharos_agent::checkmetrics::check_stdin(format) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
    pharos_protocol::tls::install_default_provider();
    if let Some(Command::CheckConfig { syntax_only, files }) = &cli.command {
        return check_config_command(*syntax_only, files, cli.config.as_deref());
    }
    let cfg = match &cli.config {
        Some(path) => match AgentConfig::load(path) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("pharos-agent: {e}");
                return ExitCode::from(2);
            }
        },
        None => AgentConfig::default(),
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&cfg.agent.log_level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();

    match cli.command.unwrap_or(Command::Run) {
        // Answered above.
        Command::CheckMetrics { .. } | Command::CheckConfig { .. } => ExitCode::SUCCESS,
        Command::Enroll { server, token, ca_fingerprint, ca_file, name, force } => {
            enroll_command(&cfg, server, token, ca_fingerprint, ca_file, name, force)
        }
        Command::CollectOnce => {
            let rt = match runtime() {
                Ok(rt) => rt,
                Err(code) => return code,
            };
            let mut out = String::new();
            pharos_protocol::exposition::write(&rt.block_on(pharos_agent::app::collect_once(&cfg)), &mut out);
            print!("{out}");
            ExitCode::SUCCESS
        }
        Command::Run => {
            let rt = match runtime() {
                Ok(rt) => rt,
                Err(code) => return code,
            };
            let run = async {
                tokio::select! {
                    r = pharos_agent::app::run(cfg) => r,
                    () = pharos_agent::reload::on_sighup(cli.config.clone()) => std::future::pending().await,
                }
            };
            match rt.block_on(run) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("pharos-agent: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// `check-config`: promtool's layout on stdout and stderr, and its exit code.
fn check_config_command(syntax_only: bool, files: &[PathBuf], config: Option<&std::path::Path>) -> ExitCode {
    use std::io::Write as _;
    let files = match (files, config) {
        ([], Some(c)) => vec![c.to_path_buf()],
        ([], None) => {
            eprintln!("pharos-agent: error: no configuration file to check: name it, or pass --config");
            return ExitCode::from(pharos_protocol::checkconfig::FAILURE_EXIT_CODE);
        }
        (f, _) => f.to_vec(),
    };
    let out = pharos_agent::checkconfig::check_files(&files, syntax_only);
    let _ = std::io::stdout().lock().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().lock().write_all(out.stderr.as_bytes());
    ExitCode::from(out.exit_code)
}

/// `enroll`: 0 when enrolled, 1 with the reason (the aggregator's message) on stderr.
fn enroll_command(
    cfg: &AgentConfig,
    server: String,
    token: String,
    ca_fingerprint: Option<String>,
    ca_file: Option<PathBuf>,
    name: Option<String>,
    force: bool,
) -> ExitCode {
    use pharos_agent::enroll::{self, EnrollOptions};
    let trust = match (ca_fingerprint, ca_file) {
        (Some(fp), _) => pharos_protocol::enroll::ServerTrust::Fingerprint(fp),
        (None, Some(f)) => match enroll::trust_from_ca_file(&f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("pharos-agent: {e}");
                return ExitCode::FAILURE;
            }
        },
        // clap requires one of them.
        (None, None) => return ExitCode::from(2),
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let opts = EnrollOptions { server, token, trust, name, force };
    match rt.block_on(enroll::run(cfg, &opts)) {
        Ok(done) => {
            for f in &done.files {
                println!("wrote {}", f.display());
            }
            println!("enrolled as {}", done.name);
            if done.name != cfg.agent.name {
                eprintln!(
                    "pharos-agent: note: the certificate is for {:?} but agent.name is {:?}; set agent.name = {:?} in the configuration",
                    done.name, cfg.agent.name, done.name
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("pharos-agent: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The agent's runtime: one thread (plus tokio's blocking pool). Collection and the uplink take a
/// fraction of a core, and everything that reads files or may stall (the host collector, the
/// textfile collector, the containers' cgroup and /proc reads) runs on the blocking pool, so a
/// stuck read holds up no other source. Against the two-worker scheduler this saves a thread and
/// the multi-thread scheduler's code, and with it the agent's only use of libm (its task-time
/// average), which is no longer linked: 1.0 MiB less RSS in benches/agent-footprint.sh.
fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| {
        eprintln!("pharos-agent: starting the runtime: {e}");
        ExitCode::FAILURE
    })
}

/// glibc's malloc gives each thread that allocates while another holds the main arena an arena of
/// its own (up to 8 per core), and each keeps its freed memory: in benches/agent-footprint.sh that
/// was 2 arenas of 2.3 MiB each next to a 1 MiB main heap, for a live heap of about 2.3 MiB
/// (6.4-7.2 MiB anonymous RSS; 4.6 MiB with one arena). One arena is plenty for a few light
/// threads. (mimalloc, the aggregator's allocator, was far worse here: 35 MiB anonymous, 5 MiB at
/// best with eager commit and purge delay turned off.) See `app::release_free_memory` too.
///
/// The mmap threshold is pinned at glibc's default of 128 KiB: otherwise freeing one large mmapped
/// block (the system CA bundle read at start, a large scrape body) raises it for good, and later
/// large buffers of every collection come from the main heap, whose high-water mark then stays
/// resident; mmapped ones go back to the kernel when freed.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets malloc parameters; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
