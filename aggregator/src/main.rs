//! `pharos-aggregator`: ingests agent pushes over QUIC, stores them, serves the Prometheus API.
//! (Modules live in lib.rs; this binary only parses the command line.)

use clap::{Parser, Subcommand};
use pharos_aggregator::config::AggregatorConfig;
use pharos_aggregator::rules::check::{check_arguments, check_rules, CheckOptions};
use pharos_aggregator::rules::PrometheusExpander;
use pharos_aggregator::{certs, quickstart, server};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc: with glibc's malloc, frees of decoded batches took a third of the ingest path's CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Pharos aggregator: QUIC/mTLS ingest, RocksDB storage, Prometheus HTTP API.
#[derive(Parser)]
#[command(name = "pharos-aggregator", version, long_version = pharos_protocol::long_version!(), about, long_about = None)]
struct Cli {
    /// Configuration file (TOML). Without it every setting has its default.
    #[arg(long, short = 'c', global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the aggregator (the default).
    Run,
    /// Manage the CA and certificates.
    #[command(subcommand)]
    Cert(CertCommand),
    /// Manage enrollment tokens (`pharos-agent enroll`).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Back up the data directory (store, certificates, state) into DIR, consistent while the
    /// aggregator runs (it is asked over HTTP then); restore by copying DIR to an empty data_dir.
    Backup {
        /// Directory to create for the backup (must not exist).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The running aggregator's HTTP address (default: from server.http_listen, https when
        /// [http] serves TLS).
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// A file holding a bearer token with the admin role, for an aggregator with [http]
        /// credentials.
        #[arg(long, value_name = "FILE")]
        bearer_token_file: Option<PathBuf>,
        /// The CA of the aggregator's HTTPS certificate (default: its own CA with tls = "ca",
        /// else the system's roots).
        #[arg(long, value_name = "FILE")]
        ca_file: Option<PathBuf>,
    },
    /// Create certificates, start the aggregator on 127.0.0.1 and an agent for this host.
    Quickstart {
        /// Directory for all state (created if missing).
        #[arg(long, value_name = "DIR")]
        data_dir: PathBuf,
        /// HTTP listen address.
        #[arg(long, default_value = "127.0.0.1:9700")]
        http_listen: String,
        /// QUIC listen address.
        #[arg(long, default_value = "127.0.0.1:9701")]
        quic_listen: String,
        /// The agent's collection interval.
        #[arg(long, default_value = "10s")]
        interval: String,
        /// The pharos-agent binary (default: next to this one, else from PATH).
        #[arg(long, value_name = "FILE")]
        agent_bin: Option<PathBuf>,
    },
    /// Check configuration files like `promtool check config`: the file, the files it names
    /// (TLS, [parent], alerting, rule files) and each rule file as `check-rules` does. Exit 0 when
    /// all pass, 1 when one fails, 3 with --lint-fatal when only the rules' lint fails.
    CheckConfig {
        /// Check only the files' own syntax and values, not the files they name.
        #[arg(long)]
        syntax_only: bool,
        #[command(flatten)]
        lint: LintFlags,
        /// The configuration files to check (default: the one given with --config).
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Check rule files like `promtool check rules` (same output and exit codes).
    CheckRules {
        #[command(flatten)]
        lint: LintFlags,
        /// The rule files to check.
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print the bcrypt hash of the password or bearer token read from standard input (first
    /// line), for `password_hash` or `bearer_token_hash` in `[[http.credentials]]`.
    HashPassword {
        /// bcrypt cost (4 to 31); each step doubles the time of a check.
        #[arg(long, default_value_t = 10)]
        cost: u32,
    },
}

/// promtool's lint flags, shared by `check-rules` and `check-config`.
#[derive(clap::Args)]
struct LintFlags {
    /// Linting checks to apply to rule files: all, duplicate-rules, none (comma-separated).
    #[arg(long, default_value = "duplicate-rules")]
    lint: String,
    /// Make lint errors exit with exit code 3.
    #[arg(long)]
    lint_fatal: bool,
}

impl LintFlags {
    /// The check options, and promtool's warnings for unknown `--lint` items.
    fn options(&self) -> (CheckOptions, String) {
        CheckOptions::from_flags(&self.lint, self.lint_fatal)
    }
}

#[derive(Subcommand)]
enum CertCommand {
    /// Create the CA and the server certificate (default directory: <data_dir>/tls).
    Init {
        /// Output directory.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// DNS names / IP addresses for the server certificate (repeatable).
        /// Default: localhost, 127.0.0.1, ::1 and the host name.
        #[arg(long = "server-name", value_name = "NAME")]
        server_names: Vec<String>,
        /// Replace an existing CA (invalidates every agent certificate).
        #[arg(long)]
        force: bool,
    },
    /// Issue a client certificate for an agent.
    Agent {
        /// The agent's name (its `instance` label); must match the agent's `agent.name`.
        #[arg(long)]
        name: String,
        /// Directory holding the CA (default: <data_dir>/tls).
        #[arg(long, value_name = "DIR")]
        ca_dir: Option<PathBuf>,
        /// Where to write ca.pem, agent.pem and agent-key.pem (the agent's <data_dir>/tls).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a single-use enrollment token and print it with the agent's command line.
    Create {
        /// How long the token stays valid (e.g. 1h, 30m, 7d).
        #[arg(long, default_value = "24h")]
        ttl: String,
        /// Only this agent name may enroll with it.
        #[arg(long)]
        name: Option<String>,
        /// The HOST:PORT agents reach this aggregator at, for the printed command (default: quic_listen).
        #[arg(long, value_name = "HOST:PORT")]
        server: Option<String>,
    },
    /// List the tokens and their state.
    List,
    /// Revoke a token by its id.
    Revoke {
        /// The token's id (the middle part of the token).
        id: String,
    },
}

fn init_logging(level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| {
        eprintln!("pharos-aggregator: starting the runtime: {e}");
        ExitCode::FAILURE
    })
}

fn fail(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("pharos-aggregator: {e}");
    ExitCode::FAILURE
}

/// Turns transparent huge pages off for this process, before the runtime allocates much:
/// mimalloc asks for them, and each first touch of a 2 MiB page then zeroes all of it. While a
/// fleet of 2,000 agents arrived at a fresh aggregator that zeroing took 12% of its CPU, and the
/// series creation it slowed is what the agents' acks wait for.
fn disable_transparent_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and reads or writes no memory.
    let rc = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
    if rc != 0 {
        // Old kernels lack it; huge pages then stay as the system configures them.
        eprintln!("pharos-aggregator: could not turn transparent huge pages off: {}", std::io::Error::last_os_error());
    }
}

/// `check-rules`: promtool's output on stdout and stderr, and its exit code.
fn check_rules_command(lint: &LintFlags, files: &[PathBuf]) -> ExitCode {
    use std::io::Write as _;
    if let Err(e) = check_arguments(files) {
        eprintln!("pharos-aggregator: error: {e}");
        return ExitCode::from(pharos_aggregator::rules::check::FAILURE_EXIT_CODE as u8);
    }
    let (opts, warnings) = lint.options();
    let report = check_rules(files, &PrometheusExpander::without_queries(), opts);
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(warnings.as_bytes());
    let _ = out.write_all(report.stdout.as_bytes());
    let _ = out.flush();
    let _ = std::io::stderr().lock().write_all(report.stderr.as_bytes());
    ExitCode::from(u8::try_from(report.exit_code).unwrap_or(1))
}

/// `check-config`: promtool's output on stdout and stderr, and its exit code.
fn check_config_command(
    syntax_only: bool,
    lint: &LintFlags,
    files: &[PathBuf],
    config: Option<&std::path::Path>,
) -> ExitCode {
    use pharos_aggregator::checkconfig::{check_files, CheckConfigOptions};
    use std::io::Write as _;
    let files = match (files, config) {
        ([], Some(c)) => vec![c.to_path_buf()],
        ([], None) => {
            eprintln!("pharos-aggregator: error: no configuration file to check: name it, or pass --config");
            return ExitCode::from(pharos_protocol::checkconfig::FAILURE_EXIT_CODE);
        }
        (f, _) => f.to_vec(),
    };
    pharos_protocol::tls::install_default_provider();
    let (rules, warnings) = lint.options();
    let out = check_files(&files, CheckConfigOptions { syntax_only, rules });
    let _ = std::io::stdout().lock().write_all(format!("{warnings}{}", out.stdout).as_bytes());
    let _ = std::io::stderr().lock().write_all(out.stderr.as_bytes());
    ExitCode::from(out.exit_code)
}

fn main() -> ExitCode {
    disable_transparent_huge_pages();
    let cli = Cli::parse();
    // Checking rule files needs neither the configuration nor logging.
    if let Some(Command::CheckRules { lint, files }) = &cli.command {
        return check_rules_command(lint, files);
    }
    if let Some(Command::CheckConfig { syntax_only, lint, files }) = &cli.command {
        return check_config_command(*syntax_only, lint, files, cli.config.as_deref());
    }
    if let Some(Command::HashPassword { cost }) = &cli.command {
        return hash_password_command(*cost);
    }
    pharos_protocol::tls::install_default_provider();
    let cfg = match &cli.config {
        Some(path) => match AggregatorConfig::load(path) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("pharos-aggregator: {e}");
                return ExitCode::from(2);
            }
        },
        None => AggregatorConfig::default(),
    };
    init_logging(&cfg.server.log_level);
    match cli.command.unwrap_or(Command::Run) {
        Command::Run => {
            let rt = match runtime() {
                Ok(rt) => rt,
                Err(code) => return code,
            };
            rt.block_on(async {
                let running = match server::start(&cfg).await {
                    Ok(r) => r,
                    Err(e) => return fail(e),
                };
                let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(t) => t,
                    Err(e) => return fail(e),
                };
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
                tracing::info!("shutting down");
                running.shutdown().await;
                ExitCode::SUCCESS
            })
        }
        Command::Cert(CertCommand::Init { dir, server_names, force }) => {
            let dir = dir.unwrap_or_else(|| cfg.tls_dir());
            let names = if server_names.is_empty() { certs::default_server_names() } else { server_names };
            match certs::init(&dir, &names, force) {
                Ok(files) => {
                    for f in files {
                        println!("wrote {}", f.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::Cert(CertCommand::Agent { name, ca_dir, out }) => {
            let ca_dir = ca_dir.unwrap_or_else(|| cfg.tls_dir());
            match certs::issue_agent(&ca_dir, &name, &out) {
                Ok(files) => {
                    for f in files {
                        println!("wrote {}", f.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::Token(cmd) => {
            use pharos_aggregator::enroll::cli;
            let out = match cmd {
                TokenCommand::Create { ttl, name, server } => cli::create(&cfg, &ttl, name, server.as_deref()),
                TokenCommand::List => cli::list(&cfg),
                TokenCommand::Revoke { id } => cli::revoke(&cfg, &id),
            };
            match out {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::Backup { out, url, bearer_token_file, ca_file } => {
            let rt = match runtime() {
                Ok(rt) => rt,
                Err(code) => return code,
            };
            let access = pharos_aggregator::backup::RemoteAccess { url, bearer_token_file, ca_file };
            match rt.block_on(pharos_aggregator::backup::run(&cfg, &out, &access)) {
                Ok(path) => {
                    println!("{}", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => fail(format!("backup failed: {e}")),
            }
        }
        Command::Quickstart { data_dir, http_listen, quic_listen, interval, agent_bin } => {
            let rt = match runtime() {
                Ok(rt) => rt,
                Err(code) => return code,
            };
            let opts = quickstart::QuickstartOptions { data_dir, http_listen, quic_listen, interval, agent_bin };
            match rt.block_on(quickstart::run(opts)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }
        Command::CheckRules { lint, files } => check_rules_command(&lint, &files),
        Command::CheckConfig { syntax_only, lint, files } => {
            check_config_command(syntax_only, &lint, &files, cli.config.as_deref())
        }
        Command::HashPassword { cost } => hash_password_command(cost),
    }
}

/// `hash-password`: reads the secret from standard input, prints its bcrypt hash.
fn hash_password_command(cost: u32) -> ExitCode {
    let mut input = String::new();
    if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut input) {
        return fail(format!("reading standard input: {e}"));
    }
    match pharos_aggregator::web::hash_password(&input, cost) {
        Ok(hash) => {
            println!("{hash}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
