//! The command line: parses arguments, opens the store, runs one command and prints its result;
//! the only layer that talks to the process (arguments, environment, stdout, exit status).

pub mod args;
pub mod env;
pub mod error;
pub mod output;
mod run;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::i18n::Localize;
pub use args::Cli;
pub use env::Env;
pub use error::CliError;

/// Runs casedesk with the process's arguments and returns its exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let env = match Env::from_process(&cli) {
        Ok(env) => env,
        Err(e) => return fail(&e, crate::i18n::Lang::En),
    };
    let mut out = std::io::stdout().lock();
    match run::run(cli, &env, &mut out) {
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

fn fail(e: &CliError, lang: crate::i18n::Lang) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "casedesk: {}", e.localize(lang));
    ExitCode::FAILURE
}
