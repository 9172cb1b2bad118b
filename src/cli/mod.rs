//! The command line: parses arguments, opens the store, runs one command and prints its result;
//! the only layer that talks to the process (arguments, environment, stdout, exit status).

pub mod args;
mod check;
mod conference;
mod connect;
mod consent;
mod data;
pub mod env;
pub mod error;
mod holidays;
mod out;
pub mod output;
mod records;
mod run;
mod screens;
mod serve;
mod users;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::i18n::Localize;
pub use args::Cli;
pub use env::Env;
pub use error::CliError;

/// Runs casedesk with the process's arguments and returns its exit status.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) if cli.demo && cli.command.is_some() => {
            use clap::CommandFactory;
            let e = Cli::command().error(
                clap::error::ErrorKind::ArgumentConflict,
                "--demo opens its own temporary store and takes no command",
            );
            return usage(e);
        }
        Ok(cli) => cli,
        Err(e) => return usage(e),
    };
    let env = match Env::from_process(&cli) {
        Ok(env) => env,
        Err(e) => return fail(&e, env::lang(&cli)),
    };
    let _ = NOTICE_LANG.set(env.lang);
    crate::store::on_recovery(tell_recovery);
    crate::diagnostics::init(crate::diagnostics::log_dir());
    let name = run::run_name(&cli);
    let started = std::time::Instant::now();
    tracing::info!(
        command = name,
        pid = std::process::id(),
        version = env!("CARGO_PKG_VERSION"),
        "started"
    );
    // Not the stdout lock: the screens' signal handler must be able to write to the terminal.
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let result = run::run(cli, &env, &mut out);
    // Whether it went through, never why in words: the reason may quote what was typed.
    tracing::info!(
        command = name,
        ok = result.is_ok(),
        ms = crate::diagnostics::millis(started),
        "finished"
    );
    match result {
        Ok(()) => match out.flush() {
            Ok(()) => ExitCode::SUCCESS,
            // A closed pipe (`| head`) is not a failure of casedesk's.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => fail(&CliError::Output(e.to_string()), env.lang),
        },
        Err(CliError::Output(why)) if why.contains("Broken pipe") => ExitCode::SUCCESS,
        Err(e) => fail(&e, env.lang),
    }
}

static NOTICE_LANG: std::sync::OnceLock<crate::i18n::Lang> = std::sync::OnceLock::new();

/// Says on standard error, one line each, what opening the store repaired.
fn tell_recovery(_dir: &std::path::Path, recovery: &crate::store::Recovery) {
    let lang = NOTICE_LANG.get().copied().unwrap_or_default();
    for line in recovery.notices(lang) {
        let _ = writeln!(
            std::io::stderr(),
            "casedesk: {}",
            crate::domain::input::shown(&line)
        );
    }
}

fn fail(e: &CliError, lang: crate::i18n::Lang) -> ExitCode {
    // One line, whatever the message quotes back from the input.
    let line = crate::domain::input::shown(&e.localize(lang));
    let line = crate::domain::input::shorten_quotes(&line, lang);
    let _ = writeln!(std::io::stderr(), "casedesk: {line}");
    ExitCode::FAILURE
}

/// Help and version go out as clap writes them; a usage error becomes one line with a pointer
/// to the help, exit status 2.
fn usage(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
    }
    let rendered = e.render().to_string();
    let first = rendered
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("invalid arguments");
    let first = first.trim().trim_start_matches("error:").trim();
    let usage_line = rendered
        .lines()
        .find_map(|l| l.trim().strip_prefix("Usage:"))
        .map(str::trim);
    let hint = match usage_line {
        Some(u) => format!(" (usage: {u}; more with --help)"),
        None => " (more with --help)".to_string(),
    };
    let line = crate::domain::input::shown(&format!("{first}{hint}"));
    let line = crate::domain::input::shorten_quotes(&line, crate::i18n::Lang::En);
    let _ = writeln!(std::io::stderr(), "casedesk: {line}");
    ExitCode::from(2)
}
