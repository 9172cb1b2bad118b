//! The durable store: all-or-nothing commands, replay of what sled lacks, torn and unfinished
//! journal tails, tamper detection, schema refusal, the in-use message, owner-only files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use casedesk::domain::model::default_teams;
use casedesk::domain::vocab::{Level, NoteKind};
use casedesk::domain::{
    ActionId, CaseNumber, CaseUpdate, Command, NewCase, Outcome, State, TeamCode,
};
use casedesk::store::check::check;
use casedesk::store::{FailAfter, Store, StoreError};
use chrono::NaiveDate;
use common::{TempStore, ctx, ctx_after};

fn team(code: &str) -> TeamCode {
    TeamCode::new(code).unwrap()
}

fn store_case(name: &str) -> NewCase {
    common::new_case(name, "WEE", &["CPA", "WELF"])
}

fn init(dir: &Path) -> Store {
    let mut store = Store::open_or_create(dir).unwrap();
    store
        .execute(
            Command::InitStore {
                office: "테스트교육지원청".into(),
                teams: default_teams(),
                demo: false,
            },
            &ctx(),
        )
        .unwrap();
    store
}

fn add_case(store: &mut Store, name: &str) -> CaseNumber {
    match store
        .execute(
            Command::CreateCase {
                case: store_case(name),
            },
            &ctx(),
        )
        .unwrap()
        .outcome
    {
        Outcome::Case { number } => number,
        other => panic!("unexpected outcome {other:?}"),
    }
}

fn add_action(store: &mut Store, case: CaseNumber, title: &str, due: NaiveDate) -> ActionId {
    let cmd = Command::AddAction {
        case,
        title: title.into(),
        team: team("WEE"),
        due_on: due,
        person: None,
        conference: None,
        sharing: Default::default(),
    };
    match store.execute(cmd, &ctx()).unwrap().outcome {
        Outcome::Action { id } => id,
        other => panic!("unexpected outcome {other:?}"),
    }
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn snapshot(dir: &Path) -> (State, u64) {
    let mut store = Store::open(dir).unwrap();
    let state = store.state().unwrap().clone();
    (
        state,
        fs::metadata(dir.join("journal.jsonl")).unwrap().len(),
    )
}

fn assert_checks(dir: &Path) {
    let report = check(dir).unwrap();
    assert!(report.ok(), "check found problems: {:?}", report.problems);
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every command below touches a record and at least one index; a failure at any write inside
/// the transaction must leave the store exactly as it was, on disk and after reopening.
#[test]
fn a_command_that_fails_midway_leaves_nothing_behind() {
    let tmp = TempStore::new();
    let dir = tmp.dir();
    let (case, action) = {
        let mut store = init(&dir);
        let case = add_case(&mut store, "홍길동");
        let action = add_action(&mut store, case, "개별 상담", day("2026-12-04"));
        (case, action)
    };
    let commands = [
        // case record + action record + due index + meta
        Command::AddAction {
            case,
            title: "사례 공유".into(),
            team: team("CPA"),
            due_on: day("2026-12-01"),
            person: None,
            conference: None,
            sharing: Default::default(),
        },
        // action record + due index removal + meta
        Command::CompleteAction {
            action,
            note: Some("완료".into()),
        },
        // case record + team index (lead moves, co list changes) + meta
        Command::UpdateCase {
            case,
            change: CaseUpdate {
                lead_team: Some(team("WELF")),
                level: Some(Level::High),
                ..CaseUpdate::default()
            },
            conference: None,
        },
        // case + action dropped + due index + note + meta
        Command::CloseCase {
            case,
            reason: "목표 달성".into(),
            drop_open: true,
        },
    ];
    for cmd in commands {
        let before = snapshot(&dir);
        let mut fail_at = 0;
        loop {
            let mut store = Store::open(&dir).unwrap();
            store.inject_fault(FailAfter(fail_at));
            let result = store.execute(cmd.clone(), &ctx());
            drop(store);
            match result {
                Err(_) => {
                    assert_eq!(
                        snapshot(&dir),
                        before,
                        "{cmd:?} failing after {fail_at} writes left something behind"
                    );
                    assert_checks(&dir);
                    fail_at += 1;
                }
                Ok(_) => {
                    // The fault lies past the last write: the command went through whole.
                    assert!(fail_at >= 3, "{cmd:?} touched only {fail_at} records");
                    assert_ne!(snapshot(&dir), before);
                    assert_checks(&dir);
                    break;
                }
            }
        }
    }
    let (state, _) = snapshot(&dir);
    assert!(!state.cases[&case].is_open());
    assert!(state.actions.values().all(|a| !a.is_open()));
}

/// A refused command (the rules say no) changes nothing either, in memory or on disk.
#[test]
fn a_refused_command_changes_nothing() {
    let tmp = TempStore::new();
    let dir = tmp.dir();
    let mut store = init(&dir);
    let case = add_case(&mut store, "홍길동");
    let before = store.state().unwrap().clone();
    let journal = fs::metadata(dir.join("journal.jsonl")).unwrap().len();
    let refused = [
        Command::AddAction {
            case,
            title: "  ".into(),
            team: team("WEE"),
            due_on: day("2026-12-01"),
            person: None,
            conference: None,
            sharing: Default::default(),
        },
        Command::AddAction {
            case,
            title: "x".into(),
            team: team("WEE"),
            due_on: day("2026-11-27"),
            person: None,
            conference: None,
            sharing: Default::default(),
        },
        Command::AddAction {
            case,
            title: "x".into(),
            team: team("NOPE"),
            due_on: day("2026-12-01"),
            person: None,
            conference: None,
            sharing: Default::default(),
        },
        Command::CompleteAction {
            action: ActionId { case, n: 9 },
            note: None,
        },
        Command::ReopenCase {
            case,
            reason: "x".into(),
        },
    ];
    for cmd in refused {
        let err = store.execute(cmd.clone(), &ctx()).unwrap_err();
        assert!(matches!(err, StoreError::Domain(_)), "{cmd:?}: {err}");
        assert_eq!(store.state().unwrap(), &before);
    }
    // A batch with one bad command in the middle applies none of it.
    let batch = vec![
        (
            Command::CreateCase {
                case: store_case("김철수"),
            },
            ctx(),
        ),
        (
            Command::AddNote {
                case,
                kind: NoteKind::Note,
                text: "".into(),
                restricted: false,
            },
            ctx(),
        ),
        (
            Command::CreateCase {
                case: store_case("이영희"),
            },
            ctx(),
        ),
    ];
    assert!(store.execute_all(batch).is_err());
    assert_eq!(store.state().unwrap(), &before);
    drop(store);
    assert_eq!(
        fs::metadata(dir.join("journal.jsonl")).unwrap().len(),
        journal
    );
    assert_eq!(snapshot(&dir).0, before);
}

/// sled lost its last writes (they were never flushed when the process died): opening the store
/// replays them from the journal, and the result is the same as if nothing had happened.
#[test]
fn journal_entries_sled_lacks_are_replayed_at_open() {
    let tmp = TempStore::new();
    let dir = tmp.dir();
    let saved_db = tmp.tmp.path().join("db-before");
    let case = {
        let mut store = init(&dir);
        let case = add_case(&mut store, "홍길동");
        drop(store);
        copy_dir(&dir.join("db"), &saved_db);
        case
    };
    let expected = {
        let mut store = Store::open(&dir).unwrap();
        let a = add_action(&mut store, case, "개별 상담", day("2026-12-04"));
        add_action(&mut store, case, "사례 공유", day("2026-12-01"));
        store
            .execute(
                Command::CompleteAction {
                    action: a,
                    note: None,
                },
                &ctx(),
            )
            .unwrap();
        store
            .execute(
                Command::AddNote {
                    case,
                    kind: NoteKind::Note,
                    text: "통화".into(),
                    restricted: false,
                },
                &ctx(),
            )
            .unwrap();
        add_case(&mut store, "김철수");
        store.state().unwrap().clone()
    };
    // Put back sled as it was before the last five commands; the journal keeps them.
    fs::remove_dir_all(dir.join("db")).unwrap();
    copy_dir(&saved_db, &dir.join("db"));
    let mut store = Store::open(&dir).unwrap();
    assert_eq!(store.state().unwrap(), &expected);
    assert_eq!(store.notes_of(case).unwrap().len(), 1);
    assert_eq!(
        store.open_actions_due(None).unwrap().len(),
        1,
        "the due index was rebuilt too"
    );
    drop(store);
    assert_checks(&dir);
}

/// The writer died half-way through a journal line: that command was never confirmed, so the
/// partial line is dropped and everything before it stays.
#[test]
fn a_torn_last_journal_line_is_dropped() {
    let tmp = TempStore::new();
    let dir = tmp.dir();
    let case = {
        let mut store = init(&dir);
        add_case(&mut store, "홍길동")
    };
    let journal = dir.join("journal.jsonl");
    let good = fs::read(&journal).unwrap();
    let mut torn = good.clone();
    torn.extend_from_slice(br#"{"v":1,"seq":3,"at":"2026-11-28T10:00:00+09:00","user":"tes"#);
    fs::write(&journal, &torn).unwrap();
    let mut store = Store::open(&dir).unwrap();
    assert!(store.state().unwrap().cases.contains_key(&case));
    // The store goes on from where the confirmed lines end.
    add_case(&mut store, "김철수");
    drop(store);
    assert!(fs::read(&journal).unwrap().starts_with(&good));
    assert_checks(&dir);
}

/// A batch (demo data, an import) whose last line never reached the disk was never confirmed:
/// none of it is applied, whatever part of it was written.
#[test]
fn an_unfinished_batch_is_dropped_whole() {
    let tmp = TempStore::new();
    let dir = tmp.dir();
    let saved_db = tmp.tmp.path().join("db-before");
    let journal = dir.join("journal.jsonl");
    let before = {
        let mut store = init(&dir);
        add_case(&mut store, "홍길동");
        let state = store.state().unwrap().clone();
        drop(store);
        copy_dir(&dir.join("db"), &saved_db);
        state
    };
    let before_len = fs::metadata(&journal).unwrap().len();
    {
        let mut store = Store::open(&dir).unwrap();
        let batch = ["김철수", "이영희", "박민수", "최지우"]
            .iter()
            .map(|n| {
                (
                    Command::CreateCase {
                        case: store_case(n),
                    },
                    ctx(),
                )
            })
            .collect::<Vec<_>>();
        assert_eq!(store.execute_all(batch).unwrap().len(), 4);
    }
    // The process died after writing two of the four lines, before sled saw any of them.
    let text = fs::read_to_string(&journal).unwrap();
    let kept: usize = text
        .lines()
        .take(text.lines().count() - 2)
        .map(|l| l.len() + 1)
        .sum();
    fs::write(&journal, &text.as_bytes()[..kept]).unwrap();
    fs::remove_dir_all(dir.join("db")).unwrap();
    copy_dir(&saved_db, &dir.join("db"));

    let mut store = Store::open(&dir).unwrap();
    assert_eq!(store.state().unwrap(), &before);
    drop(store);
    assert_eq!(fs::metadata(&journal).unwrap().len(), before_len);
    assert_checks(&dir);
}

fn journal_lines(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join("journal.jsonl"))
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

fn write_lines(dir: &Path, lines: &[String]) {
    fs::write(
        dir.join("journal.jsonl"),
        lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
    )
    .unwrap();
}

fn busy_store() -> TempStore {
    let tmp = TempStore::initialised();
    tmp.ok(&[
        "case",
        "add",
        "--student",
        "홍길동",
        "--school",
        "한빛초",
        "--grade",
        "3",
        "--lead",
        "WEE",
    ]);
    tmp.ok(&[
        "action",
        "add",
        "2026-0001",
        "--title",
        "개별 상담",
        "--team",
        "WEE",
        "--due",
        "+3d",
    ]);
    tmp.ok(&[
        "action",
        "add",
        "2026-0001",
        "--title",
        "사례 공유",
        "--team",
        "CPA",
        "--due",
        "+5d",
        "--without-consent",
        "아동학대 의심 신고",
    ]);
    tmp.ok(&["note", "add", "2026-0001", "보호자와 통화"]);
    tmp
}

#[test]
fn check_passes_on_a_healthy_store() {
    let tmp = busy_store();
    let out = tmp.ok(&["check"]);
    assert!(out.starts_with("ok: 5 journal entries"), "{out}");
}

/// Someone edits a line of the journal by hand: `check` fails and names the line.
#[test]
fn a_tampered_journal_line_fails_check_and_is_named() {
    let tmp = busy_store();
    let mut lines = journal_lines(&tmp.dir());
    lines[2] = lines[2].replace("개별 상담", "개별 면담");
    write_lines(&tmp.dir(), &lines);
    let run = tmp.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout
            .contains("journal line 3: its content does not match its hash"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

/// A line removed from the middle breaks the chain at the line after it.
#[test]
fn a_removed_journal_line_fails_check_and_is_named() {
    let tmp = busy_store();
    let mut lines = journal_lines(&tmp.dir());
    lines.remove(1);
    write_lines(&tmp.dir(), &lines);
    let run = tmp.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout
            .contains("journal line 2: its sequence number is 3, expected 2"),
        "{}",
        run.stdout
    );
}

/// sled's records changed behind the journal's back: `check` says which record.
#[test]
fn a_record_changed_in_sled_fails_check() {
    let tmp = busy_store();
    let db = sled::open(tmp.dir().join("db")).unwrap();
    let actions = db.open_tree("actions").unwrap();
    let (key, value) = actions.iter().next().unwrap().unwrap();
    let changed = String::from_utf8(value.to_vec())
        .unwrap()
        .replace("개별 상담", "바뀐 제목");
    actions.insert(key, changed.as_bytes()).unwrap();
    db.open_tree("idx_due").unwrap().clear().unwrap();
    db.flush().unwrap();
    drop((actions, db));
    let run = tmp.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout
            .contains("actions 2026-0001/1: differs between sled and the journal"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("idx_due 2026-0001/2: in the journal but missing from sled"),
        "{}",
        run.stdout
    );
}

/// A store written by a newer casedesk is refused with a clear message, never misread.
#[test]
fn a_store_from_a_newer_schema_is_refused() {
    let tmp = busy_store();
    {
        let db = sled::open(tmp.dir().join("db")).unwrap();
        db.open_tree("meta").unwrap().insert("schema", "4").unwrap();
        db.flush().unwrap();
    }
    let err = tmp.fails(&["case", "list"]);
    assert_eq!(err.lines().count(), 1);
    assert!(
        err.contains(
            "was written by a newer casedesk (schema 4; this one reads up to 3): update casedesk"
        ),
        "{err}"
    );
    let err = tmp.fails(&["--lang", "ko", "check"]);
    assert!(err.contains("더 새로운 casedesk"), "{err}");
}

/// A store whose files an older casedesk wrote opens: its files are made again from the
/// journal in this version's layout, with the same records, and the old files are kept.
#[test]
fn a_store_from_an_older_version_is_upgraded_from_its_journal() {
    let tmp = busy_store();
    let (before, seq) = snapshot(&tmp.dir());
    {
        let db = sled::open(tmp.dir().join("db")).unwrap();
        db.open_tree("meta").unwrap().insert("schema", "1").unwrap();
        db.flush().unwrap();
    }
    fs::remove_file(tmp.dir().join("state.cache")).ok();
    let store = Store::open(&tmp.dir()).unwrap();
    let (from, kept) = store.recovery().upgraded.clone().expect("upgraded");
    assert_eq!(from, 1);
    assert!(kept.is_dir(), "old files kept at {}", kept.display());
    drop(store);
    let (after, seq_after) = snapshot(&tmp.dir());
    assert_eq!(seq_after, seq);
    assert_eq!(after.cases, before.cases);
    assert_eq!(after.users, before.users);
    assert_checks(&tmp.dir());
}

/// Journal lines from a newer casedesk that sled has not applied are refused too.
#[test]
fn journal_lines_from_a_newer_schema_are_refused() {
    let tmp = TempStore::new();
    let dir = tmp.dir();
    let saved_db = tmp.tmp.path().join("db-before");
    {
        let mut store = init(&dir);
        store.state().unwrap();
        drop(store);
        copy_dir(&dir.join("db"), &saved_db);
        let mut store = Store::open(&dir).unwrap();
        add_case(&mut store, "홍길동");
    }
    fs::remove_dir_all(dir.join("db")).unwrap();
    copy_dir(&saved_db, &dir.join("db"));
    // Re-sign the line as a newer writer would, so only the version is "wrong".
    let mut lines = journal_lines(&dir);
    let last = lines.pop().unwrap();
    let mut entry: casedesk::store::journal::Entry = {
        let cut = last.rfind(",\"hash\"").unwrap();
        serde_json::from_str(&format!("{}}}", &last[..cut])).unwrap()
    };
    entry.v = 4;
    let (line, _) = casedesk::store::journal::render(&entry).unwrap();
    lines.push(String::from_utf8(line).unwrap().trim_end().to_string());
    write_lines(&dir, &lines);
    let err = Store::open(&dir).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerSchema { found: 4, .. }),
        "{err}"
    );
}

/// A second casedesk on a store in use gets one clear line naming the store, at once, exit 1.
#[test]
fn a_second_process_is_told_the_store_is_in_use() {
    let tmp = busy_store();
    let holder = Store::open(&tmp.dir()).unwrap();
    let started = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_casedesk"))
        .args(["case", "list"])
        .env("CASEDESK_DB", tmp.dir())
        .env("LANG", "C")
        .env("CASEDESK_NO_SERVER", "1")
        .env("XDG_STATE_HOME", tmp.dir().with_file_name("state"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A guard against hanging forever, not a speed test: sled would otherwise block on the lock.
    while child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the second casedesk hangs"
        );
        std::thread::yield_now();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "the store at {} is in use by another casedesk",
            tmp.dir().display()
        )),
        "{err}"
    );
    drop(holder);
    tmp.ok(&["case", "list"]);
}

/// A casedesk that would start the shared server, on a store a `--no-server` casedesk holds,
/// says so at once with that casedesk's process, instead of waiting for a server to come.
#[test]
fn a_client_is_told_a_no_server_casedesk_holds_the_store() {
    let tmp = busy_store();
    let holder = Store::open(&tmp.dir()).unwrap();
    let started = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_casedesk"))
        .args(["case", "list"])
        .env("CASEDESK_DB", tmp.dir())
        .env("LANG", "C")
        .env_remove("CASEDESK_NO_SERVER")
        .env("CASEDESK_LOG", "off")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A guard, not a speed test: a client that waited for a server would take a minute.
    while child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the client waits for a server that cannot start"
        );
        std::thread::yield_now();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "is open in a casedesk started with --no-server (pid {})",
            std::process::id()
        )),
        "{err}"
    );
    drop(holder);
}

/// Stores hold student records: the directory and every file in it are the owner's only.
#[test]
fn the_store_is_owner_only() {
    let tmp = busy_store();
    fn walk(path: &Path) {
        let mode = fs::metadata(path).unwrap().permissions().mode() & 0o777;
        if path.is_dir() {
            assert_eq!(mode, 0o700, "{}", path.display());
            for entry in fs::read_dir(path).unwrap() {
                walk(&entry.unwrap().path());
            }
        } else {
            assert_eq!(mode, 0o600, "{}", path.display());
        }
    }
    walk(&tmp.dir());
}

/// Replaying the journal gives the same store every time: later days' commands included.
#[test]
fn replay_uses_the_recorded_time_and_user() {
    let tmp = TempStore::new();
    let dir = tmp.dir();
    {
        let mut store = init(&dir);
        let case = add_case(&mut store, "홍길동");
        let cmd = Command::AddAction {
            case,
            title: "사례 공유".into(),
            team: team("CPA"),
            due_on: day("2026-12-10"),
            person: None,
            conference: None,
            sharing: Default::default(),
        };
        store.execute(cmd, &ctx_after(10)).unwrap();
    }
    // Checked at any later date, the action's due date (after its own day) is still valid.
    assert_checks(&dir);
    let (state, _) = snapshot(&dir);
    let action = state.actions.values().next().unwrap();
    assert_eq!(action.created_at, ctx_after(10).at);
    assert_eq!(action.created_by, "tester");
}

/// Every change made in a session can be undone: the undo is itself a journaled command that
/// puts the records back, numbers once handed out are not handed out again, and an undo is
/// refused when someone changed the record since.
#[test]
fn a_change_can_be_undone_and_the_undo_is_journaled() {
    let tmp = TempStore::new();
    let dir = tmp.dir();
    let mut store = init(&dir);
    let case = add_case(&mut store, "홍길동");
    let action = add_action(&mut store, case, "개별 상담", day("2026-12-04"));
    let changes = [
        Command::CreateCase {
            case: store_case("김철수"),
        },
        Command::AddAction {
            case,
            title: "사례 공유".into(),
            team: team("CPA"),
            due_on: day("2026-12-01"),
            person: None,
            conference: None,
            sharing: Default::default(),
        },
        Command::CompleteAction {
            action,
            note: Some("완료".into()),
        },
        Command::UpdateCase {
            case,
            change: CaseUpdate {
                lead_team: Some(team("WELF")),
                level: Some(Level::High),
                ..CaseUpdate::default()
            },
            conference: None,
        },
        Command::AddNote {
            case,
            kind: NoteKind::Note,
            text: "통화".into(),
            restricted: true,
        },
        Command::CloseCase {
            case,
            reason: "목표 달성".into(),
            drop_open: true,
        },
    ];
    for cmd in changes {
        let before = store.state().unwrap().clone();
        let notes_before = store.notes_of(case).unwrap();
        let receipt = store.execute(cmd.clone(), &ctx()).unwrap();
        let after = store.state().unwrap().clone();
        let undo = receipt.undo.clone().expect("undoable");
        store.execute(undo, &ctx()).unwrap();
        let undone = store.state().unwrap().clone();
        assert_eq!(undone.cases.len(), before.cases.len(), "{cmd:?}");
        for (number, was) in &before.cases {
            let now = &undone.cases[number];
            assert_eq!(now.stage, was.stage, "{cmd:?}");
            assert_eq!(now.level, was.level, "{cmd:?}");
            assert_eq!(now.lead_team, was.lead_team, "{cmd:?}");
            assert_eq!(now.level_history, was.level_history, "{cmd:?}");
        }
        for (id, was) in before.actions.iter().filter(|(_, a)| a.is_open()) {
            assert_eq!(store.state().unwrap().actions.get(id), Some(was), "{cmd:?}");
        }
        assert_eq!(
            store.open_actions_due(None).unwrap().len(),
            before.actions.values().filter(|a| a.is_open()).count()
        );
        assert_eq!(store.notes_of(case).unwrap(), notes_before, "{cmd:?}");
        // Numbers handed out stay handed out.
        assert!(
            undone.counters.cases.values().sum::<u32>()
                >= after.counters.cases.values().sum::<u32>()
        );
    }
    // The next case gets a new number, not the one whose registration was undone.
    let next = add_case(&mut store, "이영희");
    assert_eq!(next, CaseNumber { year: 2026, seq: 3 });

    // An undo is refused once the record changed again.
    let receipt = store
        .execute(
            Command::UpdateCase {
                case,
                change: CaseUpdate {
                    level: Some(Level::Watch),
                    ..CaseUpdate::default()
                },
                conference: None,
            },
            &ctx(),
        )
        .unwrap();
    store
        .execute(
            Command::UpdateCase {
                case,
                change: CaseUpdate {
                    level: Some(Level::Caution),
                    ..CaseUpdate::default()
                },
                conference: None,
            },
            &ctx(),
        )
        .unwrap();
    let err = store.execute(receipt.undo.unwrap(), &ctx()).unwrap_err();
    assert!(err.to_string().contains("changed again since"), "{err}");
    drop(store);
    assert_checks(&dir);
}

/// sled's files are damaged beyond reading: the next command moves them aside, rebuilds the
/// store from the journal by itself and says so in one line; nothing confirmed is lost.
#[test]
fn a_damaged_store_is_rebuilt_from_the_journal_by_itself() {
    let tmp = busy_store();
    let before = tmp.ok(&["case", "show", "2026-0001", "--json", "--unmasked"]);
    let db = tmp.dir().join("db").join("db");
    let mut bytes = fs::read(&db).unwrap();
    for b in bytes.iter_mut().take(4096) {
        *b = 0xAB;
    }
    fs::write(&db, bytes).unwrap();
    let run = tmp.run(&["case", "show", "2026-0001", "--json", "--unmasked"]);
    assert!(run.success(), "{}", run.stderr);
    assert_eq!(run.stdout, before);
    let notices: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(notices.len(), 1, "{}", run.stderr);
    assert!(
        notices[0].contains("could not be read")
            && notices[0].contains("rebuilt them from the journal (5 entries")
            && notices[0].contains("the old files are kept at"),
        "{}",
        run.stderr
    );
    let aside = fs::read_dir(tmp.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("db.damaged-"))
        .expect("the old files are kept");
    assert!(notices[0].contains(&aside), "{}", run.stderr);
    assert!(tmp.dir().join(&aside).join("db").exists());
    assert!(tmp.ok(&["check"]).starts_with("ok: 5 journal entries"));
}

/// `check --rebuild` on a healthy store rebuilds it and keeps the old files.
#[test]
fn check_rebuild_rebuilds_and_keeps_the_old_files() {
    let tmp = busy_store();
    let before = tmp.ok(&["case", "show", "2026-0001", "--json", "--unmasked"]);
    let out = tmp.ok(&["check", "--rebuild"]);
    assert!(
        out.contains("rebuilt the store from 5 journal entries"),
        "{out}"
    );
    assert!(out.contains("ok: 5 journal entries"), "{out}");
    assert_eq!(
        tmp.ok(&["case", "show", "2026-0001", "--json", "--unmasked"]),
        before
    );
    assert!(fs::read_dir(tmp.dir()).unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("db.damaged-")
    }));
}

/// A journal line with a command this casedesk does not know, from a newer version, is
/// refused as newer — not called damaged.
#[test]
fn an_unknown_command_from_a_newer_casedesk_is_reported_as_newer() {
    let tmp = TempStore::new();
    let dir = tmp.dir();
    let saved_db = tmp.tmp.path().join("db-before");
    {
        let store = init(&dir);
        drop(store);
        copy_dir(&dir.join("db"), &saved_db);
    }
    let lines = journal_lines(&dir);
    let first: casedesk::store::journal::Entry = {
        let cut = lines[0].rfind(",\"hash\"").unwrap();
        serde_json::from_str(&format!("{}}}", &lines[0][..cut])).unwrap()
    };
    let (_, hash) = casedesk::store::journal::render(&first).unwrap();
    let body = format!(
        r#"{{"v":4,"seq":2,"at":"2026-11-28T10:00:00+09:00","user":"x","prev":"{hash}","cmd":{{"type":"teleport"}},"out":{{"kind":"done"}}}}"#
    );
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(body.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let line = format!("{},\"hash\":\"{digest}\"}}", &body[..body.len() - 1]);
    write_lines(&dir, &[lines[0].clone(), line]);
    let err = Store::open(&dir).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerSchema { found: 4, .. }),
        "{err}"
    );
}

/// The cache of the records beside the store gives exactly what reading sled gives, and a
/// cache from another journal position is never used.
#[test]
fn the_record_cache_matches_the_store_and_a_stale_one_is_ignored() {
    let tmp = TempStore::new();
    let dir = tmp.dir();
    let stale = tmp.tmp.path().join("stale.cache");
    let case = {
        let mut store = init(&dir);
        let case = add_case(&mut store, "홍길동");
        add_action(&mut store, case, "개별 상담", day("2026-12-04"));
        case
    };
    // The drop wrote the cache; keep a copy of it for later.
    fs::copy(dir.join("state.cache"), &stale).unwrap();
    let from_cache = snapshot(&dir).0;
    fs::remove_file(dir.join("state.cache")).unwrap();
    let from_sled = snapshot(&dir).0;
    assert_eq!(from_cache, from_sled);
    {
        let mut store = Store::open(&dir).unwrap();
        let action = add_action(&mut store, case, "사례 공유", day("2026-12-05"));
        store
            .execute(Command::CompleteAction { action, note: None }, &ctx())
            .unwrap();
    }
    // An old cache put back is not used: the store has moved on.
    fs::copy(&stale, dir.join("state.cache")).unwrap();
    let (state, _) = snapshot(&dir);
    assert_eq!(state.cases[&case].actions_made, 2);
    // A damaged cache is ignored too.
    fs::write(dir.join("state.cache"), b"garbage").unwrap();
    assert_eq!(snapshot(&dir).0.cases[&case].actions_made, 2);
    assert_checks(&dir);
}
