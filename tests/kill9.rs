//! A confirmed change survives `kill -9` the instant after it was confirmed: a child process
//! applies commands and prints each confirmation; the test kills it at a random point, reopens
//! the store, finds every confirmed change and `check` passes. Batches are all or nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command as Process, Stdio};

use casedesk::domain::model::default_teams;
use casedesk::domain::{ActionId, CaseNumber, Command, Ctx, Outcome, TeamCode};
use casedesk::store::Store;
use casedesk::store::check::check;
use chrono::NaiveDate;

const CHILD_ENV: &str = "CASEDESK_KILL9_CHILD_STORE";
const ROUNDS: u64 = 20;

fn team(code: &str) -> TeamCode {
    TeamCode::new(code).unwrap()
}

/// Not a test on its own: the child process the real test starts and kills. It does nothing
/// unless the parent set the store directory in its environment.
#[test]
fn kill9_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut store = Store::open(Path::new(&dir)).unwrap();
    let ctx = common::ctx();
    let due = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
    let mut cases: Vec<CaseNumber> = Vec::new();
    for i in 0u32.. {
        // A mix of single commands and a three-case batch every so often.
        if i % 7 == 6 {
            let batch: Vec<(Command, Ctx)> = (0..3)
                .map(|j| {
                    (
                        Command::CreateCase {
                            case: common::new_case(&format!("B{i}-{j}"), "CENTER", &["WEE"]),
                        },
                        ctx.clone(),
                    )
                })
                .collect();
            store.execute_all(batch).unwrap();
            println!("CONFIRMED batch {i}");
            continue;
        }
        match (i % 3, cases.last().copied()) {
            (0, _) | (_, None) => {
                let Outcome::Case { number } = store
                    .execute(
                        Command::CreateCase {
                            case: common::new_case(&format!("S{i}"), "CENTER", &["WEE"]),
                        },
                        &ctx,
                    )
                    .unwrap()
                    .outcome
                else {
                    panic!("no case number")
                };
                cases.push(number);
                println!("CONFIRMED case {number} S{i}");
            }
            (1, Some(case)) => {
                let cmd = Command::AddAction {
                    case,
                    title: format!("A{i}"),
                    team: team("WEE"),
                    due_on: due,
                    person: None,
                    conference: None,
                };
                let Outcome::Action { id } = store.execute(cmd, &ctx).unwrap().outcome else {
                    panic!("no action id")
                };
                println!("CONFIRMED action {id} A{i}");
            }
            (_, Some(case)) => {
                let id = ActionId { case, n: 1 };
                let open = store
                    .state()
                    .unwrap()
                    .actions
                    .get(&id)
                    .is_some_and(|a| a.is_open());
                if open {
                    store
                        .execute(
                            Command::CompleteAction {
                                action: id,
                                note: None,
                            },
                            &ctx,
                        )
                        .unwrap();
                    println!("CONFIRMED done {id}");
                }
            }
        }
    }
}

#[test]
fn confirmed_changes_survive_kill_9() {
    let mut rng = fastrand::Rng::with_seed(20261128);
    for round in 0..ROUNDS {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("store");
        {
            let mut store = Store::open_or_create(&dir).unwrap();
            store
                .execute(
                    Command::InitStore {
                        office: "테스트".into(),
                        teams: default_teams(),
                        demo: false,
                    },
                    &common::ctx(),
                )
                .unwrap();
        }
        let mut child = Process::new(std::env::current_exe().unwrap())
            .args(["kill9_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let kill_after = rng.usize(1..60);
        let mut confirmed: Vec<String> = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.strip_prefix("CONFIRMED ") {
                confirmed.push(rest.to_string());
                if confirmed.len() == kill_after {
                    child.kill().unwrap(); // SIGKILL
                    break;
                }
            }
        }
        child.wait().unwrap();
        assert_eq!(
            confirmed.len(),
            kill_after,
            "round {round}: the child stopped early"
        );

        // `check` first: it finishes what the kill interrupted exactly as an open would.
        let report = check(&dir).unwrap();
        assert!(report.ok(), "round {round}: {:?}", report.problems);
        if report.recovered > 0 || report.dropped_torn_line {
            eprintln!(
                "round {round}: recovered {} entries, torn line {}",
                report.recovered, report.dropped_torn_line
            );
        }
        let mut store = Store::open(&dir).unwrap();
        let state = store.state().unwrap().clone();
        let actions: std::collections::BTreeMap<ActionId, casedesk::domain::Action> = store
            .all_actions()
            .unwrap()
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let names: Vec<&str> = state
            .cases
            .values()
            .map(|c| c.student.name.as_str())
            .collect();
        for item in &confirmed {
            let parts: Vec<&str> = item.split(' ').collect();
            match parts[0] {
                "case" => {
                    let number: CaseNumber = parts[1].parse().unwrap();
                    assert_eq!(
                        state.cases[&number].student.name, parts[2],
                        "round {round}: {item}"
                    );
                }
                "action" => {
                    let id: ActionId = parts[1].parse().unwrap();
                    assert_eq!(actions[&id].title, parts[2], "round {round}: {item}");
                }
                "done" => {
                    let id: ActionId = parts[1].parse().unwrap();
                    assert!(!actions[&id].is_open(), "round {round}: {item}");
                }
                "batch" => {
                    for j in 0..3 {
                        let name = format!("B{}-{j}", parts[1]);
                        assert!(
                            names.contains(&name.as_str()),
                            "round {round}: {item} lost {name}"
                        );
                    }
                }
                other => panic!("unknown confirmation {other}"),
            }
        }
        // A batch that was under way when the child died is there whole or not at all.
        for name in &names {
            if let Some(rest) = name.strip_prefix('B') {
                let i = rest.split('-').next().unwrap();
                let members = names
                    .iter()
                    .filter(|n| n.starts_with(&format!("B{i}-")))
                    .count();
                assert_eq!(members, 3, "round {round}: batch {i} is half there");
            }
        }
        drop(store);
        let report = check(&dir).unwrap();
        assert!(report.ok(), "round {round}: {:?}", report.problems);
    }
}
