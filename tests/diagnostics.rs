//! The diagnostic log: opening, replay, changes, a server's start, connections and stop go to
//! a rotating file in the state directory, owner-only — and no student name, note text, action
//! title or other typed value ever reaches it, whatever the command and however it ends.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use casedesk::domain::Command;
use common::TempStore;

/// Every log file's text, after checking each is owner-only.
fn logs(state: &Path) -> String {
    let dir = state.join("casedesk");
    let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "the log directory is the owner's alone");
    let mut text = String::new();
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            name.starts_with("casedesk.") && name.ends_with(".log"),
            "{name}"
        );
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{name} is the owner's alone");
        text.push_str(&std::fs::read_to_string(entry.path()).unwrap());
        files += 1;
    }
    assert!(files >= 1, "a log file is written");
    text
}

#[test]
fn the_log_says_what_happened_and_never_what_a_case_holds() {
    let store = TempStore::new();
    let state = store.tmp.path().join("state");
    // Words that stand out, so that any trace of them in the log is found.
    let student = "비밀학생가나다";
    let school = "비밀초등학교라마";
    let summary = "요약비밀내용바사";
    let title = "조치비밀제목아자";
    let note = "기록비밀본문차카";
    let result = "결과비밀내용타파";
    let reason = "사유비밀내용하거";
    let typo = "없는부서비밀너더";
    store.ok(&["init", "--office", "테스트교육지원청"]);
    store.ok(&[
        "case",
        "add",
        "--student",
        student,
        "--school",
        school,
        "--grade",
        "3-2",
        "--lead",
        "WEE",
        "--summary",
        summary,
    ]);
    for due in ["+3d", "+5d"] {
        store.ok(&[
            "action",
            "add",
            "2026-0001",
            "--title",
            title,
            "--team",
            "WEE",
            "--due",
            due,
        ]);
    }
    store.ok(&["note", "add", "2026-0001", note, "--restricted"]);
    store.ok(&["action", "done", "2026-0001/1", "--note", result]);
    store.ok(&["action", "drop", "2026-0001/2", "--reason", reason]);
    // Refusals quote what was typed: the log says only that the command failed.
    store.fails(&[
        "action",
        "add",
        "2026-0001",
        "--title",
        title,
        "--team",
        typo,
        "--due",
        "+3d",
    ]);
    store.fails(&["case", "show", student]);
    store.ok(&["case", "show", "2026-0001", "--unmasked"]);
    store.ok(&["export", "notes", "--unmasked"]);

    // The same through the shared server, started by the first command that needs it.
    let shared = [("CASEDESK_NO_SERVER", "0")];
    let run = store.run_env(&["note", "add", "2026-0001", note], &shared);
    assert!(run.success(), "{}", run.stderr);
    let run = store.run_env(&["case", "list", "--unmasked"], &shared);
    assert!(run.success(), "{}", run.stderr);
    assert!(run.stdout.contains(student));
    let run = store.run_env(&["serve", "--stop"], &shared);
    assert!(run.success(), "{}", run.stderr);

    let log = logs(&state);
    for said in [
        "started",
        "command=\"case add\"",
        "store opened",
        "finished",
        "ok=false",
        "server started",
        "connected",
        "disconnected",
        "server stopped",
    ] {
        assert!(log.contains(said), "the log says {said:?}:\n{log}");
    }
    for secret in [student, school, summary, title, note, result, reason, typo] {
        assert!(
            !log.contains(secret),
            "{secret:?} must never reach the log:\n{log}"
        );
    }
}

#[test]
fn commands_are_logged_by_the_kind_the_journal_gives_them() {
    // The kind is what the log names a change by: the same word as the journal's `type`.
    let tmp = tempfile::tempdir().unwrap();
    let mut store = casedesk::store::Store::open_or_create(&tmp.path().join("store")).unwrap();
    let commands = casedesk::transfer::demo::generate(store.state().unwrap(), 20, 3, common::now());
    let mut kinds = std::collections::BTreeSet::new();
    for (command, _) in &commands {
        let json = serde_json::to_value(command).unwrap();
        assert_eq!(json["type"], command.kind(), "{command:?}");
        kinds.insert(command.kind());
    }
    assert!(kinds.len() >= 4, "{kinds:?}");
    let revert = Command::RemoveUser {
        account: "x".into(),
    };
    assert_eq!(
        serde_json::to_value(&revert).unwrap()["type"],
        revert.kind()
    );
}
