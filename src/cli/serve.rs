//! `casedesk serve`: runs the shared server in the foreground (for a service manager) or in the
//! background (started by another casedesk), and answers `--status` and `--stop`.

use std::io::Write;
use std::time::Duration;

use serde_json::json;

use super::args::ServeArgs;
use super::env::Env;
use super::error::CliError;
use super::out::{Out, put, put_json};
use crate::backend::ClientKind;
use crate::backend::client::{Client, EXIT_STORE_TAKEN};
use crate::i18n::{Lang, Localize};
use crate::server::{self, Options};
use crate::store::StoreError;

/// How long a server started by another casedesk waits with nobody connected before it stops.
const BACKGROUND_IDLE: u64 = 600;

pub(super) fn serve(env: &Env, args: ServeArgs, out: Out) -> Result<(), CliError> {
    if args.status {
        return status(env, args.json, out);
    }
    if args.stop {
        return stop(env, out);
    }
    let idle = args.idle.or_else(|| {
        // A server casedesk started by itself goes once nobody has used it for a while.
        args.background.then(|| {
            std::env::var("CASEDESK_SERVER_IDLE")
                .ok()
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(BACKGROUND_IDLE)
        })
    });
    let test_identities = std::env::var("CASEDESK_TEST_IDENTITIES").is_ok_and(|v| v == "1");
    let fixed = std::env::var("CASEDESK_NOW")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|_| env.now);
    let clock: server::Clock = match fixed {
        Some(now) => Box::new(move || now),
        None => Box::new(|| chrono::Utc::now().with_timezone(&crate::domain::dates::KOREA)),
    };
    let options = Options {
        idle: idle.map(Duration::from_secs),
        test_identities,
        clock,
    };
    let background = args.background;
    let lang = env.lang;
    let result = server::serve(&env.dir, options, |path| {
        if background {
            // The casedesk that started this one reads this line, then lets go.
            println!("ready {}", path.display());
        } else {
            let account = server::peer::own_account();
            let text = match lang {
                Lang::Ko => format!(
                    "casedesk 서버: {} (계정 {account}, pid {})",
                    path.display(),
                    std::process::id()
                ),
                Lang::En => format!(
                    "casedesk server listening on {} (account {account}, pid {})",
                    path.display(),
                    std::process::id()
                ),
            };
            eprintln!("{text}");
        }
        let _ = std::io::stdout().flush();
    });
    match result {
        Ok(()) => Ok(()),
        Err(server::ServeError::Store(StoreError::InUse { .. })) if background => {
            // Another server started at the same moment, or a --no-server casedesk has the
            // store: the casedesk that started this one finds out by itself.
            let _ = writeln!(
                std::io::stderr(),
                "casedesk: {}",
                StoreError::InUse {
                    dir: env.dir.clone()
                }
                .localize(lang)
            );
            std::process::exit(EXIT_STORE_TAKEN);
        }
        Err(server::ServeError::Store(StoreError::InUse { .. })) if server::listening(&env.dir) => {
            Err(CliError::NoServerRefused {
                dir: env.dir.clone(),
            })
        }
        Err(server::ServeError::Store(e)) => Err(CliError::Store(e)),
        Err(server::ServeError::Backend(e)) => Err(CliError::Backend(e)),
        Err(e @ server::ServeError::Socket { .. }) => Err(CliError::Output(e.localize(lang))),
    }
}

fn connect(env: &Env) -> Option<Client> {
    Client::if_running(
        &env.dir,
        ClientKind::Command {
            name: "serve".into(),
        },
        std::env::var("CASEDESK_ACCOUNT").ok(),
    )
}

fn status(env: &Env, json: bool, out: Out) -> Result<(), CliError> {
    let Some(mut client) = connect(env) else {
        if json {
            put_json(
                out,
                &json!({ "running": false, "dir": env.dir.display().to_string() }),
            )?;
        }
        return Err(CliError::NotServed {
            dir: env.dir.clone(),
        });
    };
    let status = client.status()?;
    // This question is not one of the people using it.
    let sessions: Vec<_> = status
        .sessions
        .iter()
        .filter(|s| s.pid != std::process::id())
        .collect();
    if json {
        let list: Vec<serde_json::Value> = sessions
            .iter()
            .map(|s| {
                json!({
                    "account": s.account,
                    "where": super::users::session_place(s, Lang::En),
                    "pid": s.pid,
                    "since": s.since.to_rfc3339(),
                })
            })
            .collect();
        return put_json(
            out,
            &json!({
                "running": true,
                "dir": status.dir,
                "pid": status.pid,
                "account": status.account,
                "since": status.since.to_rfc3339(),
                "clients": list.len(),
                "sessions": list,
                "journal_seq": status.seq,
            }),
        );
    }
    let since = status.since.format("%Y-%m-%d %H:%M");
    let mut text = match env.lang {
        Lang::Ko => format!(
            "실행 중: {} · pid {} · 계정 {} · {since}부터 · 접속 {}\n",
            status.dir,
            status.pid,
            status.account,
            sessions.len()
        ),
        Lang::En => format!(
            "running: {} · pid {} · account {} · since {since} · {} connected\n",
            status.dir,
            status.pid,
            status.account,
            sessions.len()
        ),
    };
    for s in sessions {
        text.push_str(&format!(
            "  {} · {} · {}\n",
            s.account,
            super::users::session_place(s, env.lang),
            s.since.format("%H:%M")
        ));
    }
    put(out, &text)
}

fn stop(env: &Env, out: Out) -> Result<(), CliError> {
    let Some(mut client) = connect(env) else {
        return put(
            out,
            &match env.lang {
                Lang::Ko => format!("{}에서 실행 중인 서버가 없습니다\n", env.dir.display()),
                Lang::En => format!("no server is running on {}\n", env.dir.display()),
            },
        );
    };
    let pid = client.status().map(|s| s.pid).unwrap_or(0);
    client.stop()?;
    put(
        out,
        &match env.lang {
            Lang::Ko => format!("서버를 멈췄습니다 (pid {pid})\n"),
            Lang::En => format!("stopped the server (pid {pid})\n"),
        },
    )
}
