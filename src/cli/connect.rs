//! Reaching the store for a command: through the shared server (started in the background when
//! none runs), or in this process with `--no-server` (refused while a server runs).

use std::io::Write;

use super::env::Env;
use super::error::CliError;
use crate::backend::client::{Client, Target};
use crate::backend::{Backend, ClientKind, Embedded};
use crate::store::StoreError;

/// What is connecting, as `casedesk who` lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Session {
    /// The screens.
    Screens,
    /// A read-only view following a conference.
    Follower,
    /// A command.
    Command(&'static str),
}

fn tty() -> Option<String> {
    rustix::termios::ttyname(std::io::stdin(), Vec::new())
        .ok()
        .map(|name| name.to_string_lossy().into_owned())
}

fn kind(session: Session) -> ClientKind {
    match session {
        Session::Screens => ClientKind::Screens { tty: tty() },
        Session::Follower => ClientKind::Follower { tty: tty() },
        Session::Command(name) => ClientKind::Command {
            name: name.to_string(),
        },
    }
}

/// An account to claim from a server started for tests (`CASEDESK_ACCOUNT`); every other
/// server ignores it and reads the account from the socket.
fn claimed() -> Option<String> {
    std::env::var("CASEDESK_ACCOUNT")
        .ok()
        .filter(|a| !a.trim().is_empty())
}

/// The backend a command works through.
pub fn connect(env: &Env, session: Session) -> Result<Box<dyn Backend>, CliError> {
    if env.no_server {
        return match Embedded::open(&env.dir, &env.user) {
            Ok(backend) => Ok(Box::new(backend)),
            Err(crate::backend::BackendError::Store(StoreError::InUse { .. }))
                if crate::server::listening(&env.dir) =>
            {
                Err(CliError::NoServerRefused {
                    dir: env.dir.clone(),
                })
            }
            Err(e) => Err(e.into()),
        };
    }
    let client = Client::connect(Target {
        dir: env.dir.clone(),
        kind: kind(session),
        claimed: claimed(),
        start: true,
    })?;
    // What opening the server's store repaired, as a command in this process would say it
    // (the screens say it on their status line).
    if let Session::Command(_) = session {
        for line in client.notices(env.lang).0 {
            let _ = writeln!(
                std::io::stderr(),
                "casedesk: {}",
                crate::domain::input::shown(&line)
            );
        }
    }
    Ok(Box::new(client))
}

/// The server's backend when one runs on the store (never starting one); `None` when none
/// does, or with `--no-server`.
pub fn running(env: &Env) -> Result<Option<Box<dyn Backend>>, CliError> {
    if env.no_server || !crate::server::listening(&env.dir) {
        return Ok(None);
    }
    let client = Client::connect(Target {
        dir: env.dir.clone(),
        kind: kind(Session::Command("check")),
        claimed: claimed(),
        start: false,
    })?;
    Ok(Some(Box::new(client)))
}
