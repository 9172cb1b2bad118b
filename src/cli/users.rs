//! `casedesk user …` and `casedesk who`: the people who may use the store and their roles, and
//! who has casedesk open on it now.

use serde_json::json;

use super::args::{RoleArg, UserCmd};
use super::env::Env;
use super::error::CliError;
use super::out::{Out, put, put_json};
use crate::backend::{Backend, ClientKind, Scope, Session};
use crate::cells::table;
use crate::domain::vocab::{Role, fold};
use crate::domain::{Command, TeamCode, User, UserUpdate};
use crate::i18n::Lang;

fn role(arg: RoleArg) -> Role {
    match arg {
        RoleArg::Admin => Role::Admin,
        RoleArg::Coordinator => Role::Coordinator,
        RoleArg::Member => Role::Member,
        RoleArg::Viewer => Role::Viewer,
    }
}

fn teams(b: &mut dyn Backend, input: &str) -> Result<Vec<TeamCode>, CliError> {
    Ok(b.view(&Scope::Teams)?.resolve_teams(input)?)
}

/// Says on stderr when the operating system does not know the account (a typing slip, or an
/// account still to be made); the user is recorded either way.
fn warn_unknown_account(account: &str, lang: Lang) {
    if crate::server::peer::account_exists(account) == Some(false) {
        let text = match lang {
            Lang::Ko => format!(
                "casedesk: 참고: 이 컴퓨터에는 '{account}' 계정이 없습니다 — 계정을 만들어야 접속할 수 있습니다"
            ),
            Lang::En => format!(
                "casedesk: note: this machine has no account '{account}' — it can connect once the account exists"
            ),
        };
        eprintln!("{text}");
    }
}

pub(super) fn user(env: &Env, b: &mut dyn Backend, cmd: UserCmd, out: Out) -> Result<(), CliError> {
    let lang = env.lang;
    match cmd {
        UserCmd::Add {
            account,
            role: r,
            team,
            name,
        } => {
            let teams = match team.as_deref() {
                Some(t) => teams(b, t)?,
                None => Vec::new(),
            };
            let user = User {
                account: account.clone(),
                role: role(r),
                teams,
                name,
            };
            b.apply(Command::AddUser { user }, env.now, &[])?;
            warn_unknown_account(&account, lang);
            show_one(b, &account, lang, out)
        }
        UserCmd::Set {
            account,
            role: r,
            team,
            name,
        } => {
            let teams = match team.as_deref() {
                Some(t) => Some(teams(b, t)?),
                None => None,
            };
            let change = UserUpdate {
                role: r.map(role),
                teams,
                name: name.map(|n| {
                    if matches!(fold(&n).as_str(), "none" | "없음") {
                        None
                    } else {
                        Some(n)
                    }
                }),
            };
            if change == UserUpdate::default() {
                return Err(CliError::NothingToSet {
                    options: "--role, --team, --name",
                });
            }
            b.apply(
                Command::SetUser {
                    account: account.clone(),
                    change,
                },
                env.now,
                &[],
            )?;
            show_one(b, &account, lang, out)
        }
        UserCmd::List { json } => {
            let users = b.users()?;
            if json {
                put_json(
                    out,
                    &serde_json::Value::Array(users.iter().map(user_json).collect()),
                )
            } else {
                put(out, &user_table(&users, lang))
            }
        }
        UserCmd::Remove { account } => {
            b.apply(
                Command::RemoveUser {
                    account: account.clone(),
                },
                env.now,
                &[],
            )?;
            put(
                out,
                &match lang {
                    Lang::Ko => {
                        format!("'{account}'의 접근 권한을 없앴습니다 (기록한 내용은 남습니다)\n")
                    }
                    Lang::En => format!("removed '{account}' (what they recorded stays)\n"),
                },
            )
        }
    }
}

fn show_one(b: &mut dyn Backend, account: &str, lang: Lang, out: Out) -> Result<(), CliError> {
    let users: Vec<User> = b
        .users()?
        .into_iter()
        .filter(|u| u.account == account)
        .collect();
    put(out, &user_table(&users, lang))
}

fn user_json(user: &User) -> serde_json::Value {
    json!({
        "account": user.account,
        "role": user.role.code(),
        "teams": user.teams.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "name": user.name,
    })
}

fn user_table(users: &[User], lang: Lang) -> String {
    if users.is_empty() {
        return lang.pick("사용자가 없습니다\n", "no users\n").to_string();
    }
    let header = match lang {
        Lang::Ko => ["계정", "역할", "부서", "이름"],
        Lang::En => ["account", "role", "teams", "name"],
    };
    let rows: Vec<Vec<String>> = users
        .iter()
        .map(|u| {
            vec![
                u.account.clone(),
                u.role.label(lang).to_string(),
                if u.teams.is_empty() {
                    "-".into()
                } else {
                    u.teams
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(",")
                },
                u.name.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    table(&header, &rows, 40)
}

/// Where a session is: its terminal, or the command it runs.
pub(super) fn session_place(session: &Session, lang: Lang) -> String {
    match &session.kind {
        ClientKind::Screens { tty } => format!(
            "{} {}",
            lang.pick("화면", "screens"),
            tty.clone().unwrap_or_else(|| "-".into())
        ),
        ClientKind::Follower { tty } => format!(
            "{} {}",
            lang.pick("회의 따라보기", "following"),
            tty.clone().unwrap_or_else(|| "-".into())
        ),
        ClientKind::Command { name } => format!("{} `{name}`", lang.pick("명령", "command")),
    }
}

pub(super) fn who(env: &Env, b: &mut dyn Backend, json: bool, out: Out) -> Result<(), CliError> {
    let lang = env.lang;
    let sessions = b.who()?;
    if json {
        let values = sessions
            .iter()
            .map(|s| {
                json!({
                    "account": s.account,
                    "kind": match &s.kind {
                        ClientKind::Screens { .. } => "screens",
                        ClientKind::Follower { .. } => "follower",
                        ClientKind::Command { .. } => "command",
                    },
                    "where": match &s.kind {
                        ClientKind::Screens { tty } | ClientKind::Follower { tty } => tty.clone(),
                        ClientKind::Command { name } => Some(name.clone()),
                    },
                    "pid": s.pid,
                    "since": s.since.to_rfc3339(),
                })
            })
            .collect();
        return put_json(out, &serde_json::Value::Array(values));
    }
    if sessions.is_empty() {
        return put(
            out,
            lang.pick(
                "이 저장소를 함께 쓰는 서버가 없습니다 (이 프로세스가 저장소를 직접 엽니다)\n",
                "no server shares this store (this process opens it itself)\n",
            ),
        );
    }
    let header = match lang {
        Lang::Ko => ["계정", "어디서", "PID", "접속 시각"],
        Lang::En => ["account", "where", "pid", "since"],
    };
    let rows: Vec<Vec<String>> = sessions
        .iter()
        .map(|s| {
            vec![
                s.account.clone(),
                session_place(s, lang),
                s.pid.to_string(),
                s.since.format("%Y-%m-%d %H:%M").to_string(),
            ]
        })
        .collect();
    put(out, &table(&header, &rows, 40))
}
