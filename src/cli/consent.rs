//! `casedesk consent add|withdraw|list`: a case's guardian consents on the command line.
//! Talks to the store only through the backend.

use super::args::ConsentCmd;
use super::env::Env;
use super::error::CliError;
use super::out::{Out, put, put_json};
use super::records::case_view;
use crate::backend::Backend;
use crate::domain::dates::parse_date;
use crate::domain::error::Vocab;
use crate::domain::vocab::{ConsentGiver, ConsentKind};
use crate::domain::{Command, DomainError, NewConsent};

/// Runs one `consent` subcommand.
pub(super) fn consent(
    env: &Env,
    b: &mut dyn Backend,
    cmd: ConsentCmd,
    out: Out,
) -> Result<(), CliError> {
    let day = |on: Option<String>| -> Result<chrono::NaiveDate, CliError> {
        match on {
            Some(on) => Ok(parse_date(&on, env.today())?),
            None => Ok(env.today()),
        }
    };
    match cmd {
        ConsentCmd::Add {
            case,
            collect: _,
            share,
            on,
            by,
        } => {
            let (state, number) = case_view(b, &case)?;
            let agency = share.map(|a| state.resolve_team(&a)).transpose()?;
            let given_by = ConsentGiver::parse(&by).ok_or_else(|| DomainError::UnknownWord {
                vocab: Vocab::ConsentGiver,
                input: by.trim().to_string(),
                valid: ConsentGiver::codes(),
            })?;
            let kind = if agency.is_some() {
                ConsentKind::Sharing
            } else {
                ConsentKind::Collection
            };
            b.apply(
                Command::AddConsent {
                    case: number,
                    consent: NewConsent {
                        kind,
                        agency,
                        given_on: day(on)?,
                        given_by,
                    },
                },
                env.now,
                &[],
            )?;
            list(env, b, &case, false, out)
        }
        ConsentCmd::Withdraw { case, n, on } => {
            let (_, number) = case_view(b, &case)?;
            b.apply(
                Command::WithdrawConsent {
                    case: number,
                    n,
                    on: day(on)?,
                },
                env.now,
                &[],
            )?;
            list(env, b, &case, false, out)
        }
        ConsentCmd::List { case, json } => list(env, b, &case, json, out),
    }
}

/// Prints a case's consents, numbered as `withdraw` takes them.
fn list(env: &Env, b: &mut dyn Backend, case: &str, json: bool, out: Out) -> Result<(), CliError> {
    let (state, number) = case_view(b, case)?;
    let Some(case) = state.cases.get(&number) else {
        return Err(DomainError::UnknownCase {
            input: number.to_string(),
        }
        .into());
    };
    let entries = case.consent.entries();
    let today = env.today();
    if json {
        let values: Vec<serde_json::Value> = entries
            .iter()
            .enumerate()
            .map(|(i, r)| {
                serde_json::json!({
                    "n": i + 1,
                    "kind": r.kind.code(),
                    "agency": r.agency.as_ref().map(ToString::to_string),
                    "given_on": r.given_on.map(|d| d.to_string()),
                    "given_by": r.given_by.code(),
                    "withdrawn_on": r.withdrawn_on.map(|d| d.to_string()),
                    "valid": r.valid_on(today),
                })
            })
            .collect();
        return put_json(out, &serde_json::Value::Array(values));
    }
    let lang = env.lang;
    if entries.is_empty() {
        return put(
            out,
            &format!(
                "{number}: {}\n",
                lang.pick("기록된 동의 없음", "no consent recorded")
            ),
        );
    }
    let mut text = String::new();
    for (i, r) in entries.iter().enumerate() {
        let mark = if r.valid_on(today) {
            lang.pick("유효", "valid")
        } else {
            lang.pick("무효", "not valid")
        };
        text.push_str(&format!("{number} #{} [{mark}] {}\n", i + 1, r.label(lang)));
    }
    put(out, &text)
}
