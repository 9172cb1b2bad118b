//! The command line on a terminal of 80 columns and in a pipe: tables that fit without cutting
//! an identifier, the student beside each action, empty results in words, finished actions
//! named, `undo`, closest team names, notes about dates moved to next year, completions and
//! the manual page.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{TempStore, busy_store};
use unicode_width::UnicodeWidthStr;

fn demo() -> TempStore {
    let store = TempStore::new();
    store.ok(&["demo", "--cases", "40", "--seed", "7"]);
    store
}

fn widest(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

fn ids_whole(text: &str) {
    // Every row but the lines under an action (its result or progress, `↳ …`).
    for line in text
        .lines()
        .skip(1)
        .filter(|l| !l.trim_start().starts_with('↳'))
    {
        let id = line.split_whitespace().next().unwrap();
        assert!(
            id.len() >= 9 && !id.contains('…'),
            "an identifier was cut: {line}"
        );
    }
}

#[test]
fn at_80_columns_case_and_action_lists_fit_and_keep_every_identifier_whole() {
    let store = demo();
    for args in [
        &["case", "list"][..],
        &["action", "list", "--all"][..],
        &["--lang", "ko", "case", "list"][..],
        &["--lang", "ko", "action", "list", "--all"][..],
    ] {
        let run = store.run_env(args, &[("COLUMNS", "80")]);
        assert!(run.success(), "{}", run.stderr);
        assert!(widest(&run.stdout) <= 80, "{args:?}:\n{}", run.stdout);
        ids_whole(&run.stdout);
        // --wide shows everything, whatever the terminal.
        let wide = store.run_env(&[args, &["--wide"]].concat(), &[("COLUMNS", "80")]);
        assert!(!wide.stdout.contains('…'), "{}", wide.stdout);
    }
    // The free text is shortened, visibly.
    let run = store.run_env(&["action", "list", "--all"], &[("COLUMNS", "80")]);
    assert!(run.stdout.contains('…'), "{}", run.stdout);
}

#[test]
fn a_pipe_gets_whole_rows() {
    let store = demo();
    let out = store.ok(&["action", "list", "--all"]);
    assert!(!out.contains('…'), "{out}");
    assert!(widest(&out) > 80, "nothing is cut in a pipe");
}

#[test]
fn action_list_shows_the_masked_student_and_an_empty_result_says_so() {
    let store = busy_store();
    let out = store.ok(&["action", "list"]);
    assert!(out.lines().next().unwrap().contains("student"), "{out}");
    assert!(out.contains("홍*동"), "{out}");
    assert!(!out.contains("홍길동"), "{out}");
    let none = store.ok(&["action", "list", "--team", "CPA", "--overdue"]);
    assert_eq!(none.trim(), "No action matches");
    let none = store.ok(&["--lang", "ko", "case", "list", "--team", "MHC"]);
    assert_eq!(none.trim(), "조건에 맞는 사례가 없습니다");
}

#[test]
fn done_and_drop_echo_the_actions_title() {
    let store = busy_store();
    let out = store.ok(&["action", "done", "2026-0001/1"]);
    assert_eq!(out.trim(), "2026-0001/1 done · 개별 상담");
    let out = store.ok(&["action", "drop", "2026-0001/2", "--reason", "보호자 거부"]);
    assert_eq!(out.trim(), "2026-0001/2 dropped · 사례 공유");
}

#[test]
fn undo_takes_back_the_accounts_own_last_change_after_saying_what_it_is() {
    let store = busy_store();
    store.ok(&["action", "done", "2026-0001/1"]);
    // Not on a terminal and no --yes: refused, nothing changed.
    let run = store.run(&["undo"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    let listed = store.ok(&["action", "list"]);
    assert!(!listed.contains("2026-0001/1"), "still done: {listed}");
    // --yes: undone, and it says which change it was.
    let out = store.ok(&["undo", "--yes"]);
    assert!(out.contains("complete_action"), "{out}");
    assert!(out.contains("2026-0001/1"), "{out}");
    let listed = store.ok(&["action", "list"]);
    assert!(listed.contains("2026-0001/1"), "open again: {listed}");
    // The one before: the note; then the actions, then the case; then nothing.
    let out = store.ok(&["undo", "--yes"]);
    assert!(out.contains("add_note"), "{out}");
    store.ok(&["undo", "--yes"]);
    store.ok(&["undo", "--yes"]);
    store.ok(&["undo", "--yes"]);
    assert!(store.ok(&["case", "list"]).trim().starts_with("No case"));
    // Creating the office is not this kind of change.
    let why = store.fails(&["undo", "--yes"]);
    assert!(why.contains("cannot be undone"), "{why}");
}

#[test]
fn undo_takes_back_only_the_accounts_own_changes() {
    let store = busy_store();
    let run = store.run_env(&["undo", "--yes"], &[("USER", "someone.else")]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(store.ok(&["case", "list"]).contains("2026-0001"));
}

#[test]
fn a_refused_team_lists_the_closest_names_first() {
    let store = busy_store();
    let why = store.fails(&["case", "list", "--team", "복지관"]);
    let near = why.split("closest are").nth(1).expect(&why);
    let first = near.trim_start().split(',').next().unwrap();
    assert!(
        first.contains("Welfare") || first.contains("welfare") || first.contains("centre"),
        "{why}"
    );
    let why = store.fails(&["--lang", "ko", "case", "list", "--team", "정신건강"]);
    assert!(
        why.contains("가장 가까운 것은 MHC 정신건강복지센터"),
        "{why}"
    );
}

#[test]
fn a_month_and_day_past_this_year_is_next_years_and_says_so_on_stderr() {
    let store = busy_store();
    let run = store.run(&[
        "action",
        "add",
        "2026-0001",
        "--title",
        "점검",
        "--team",
        "WEE",
        "--due",
        "11/20",
    ]);
    assert!(run.success(), "{}", run.stderr);
    assert_eq!(
        run.stderr
            .lines()
            .filter(|l| l.contains("next year"))
            .count(),
        1,
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("2027-11-20"), "{}", run.stderr);
    let run = store.run(&[
        "action",
        "add",
        "2026-0001",
        "--title",
        "점검",
        "--team",
        "WEE",
        "--due",
        "12/4",
    ]);
    assert!(!run.stderr.contains("next year"), "{}", run.stderr);
}

#[test]
fn completions_and_the_manual_come_from_the_command_definitions() {
    let store = TempStore::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = store.ok(&["completions", shell]);
        assert!(out.contains("casedesk"), "{shell}");
        assert!(out.contains("conference"), "{shell}: subcommands");
        assert!(out.contains("unmasked"), "{shell}: options");
    }
    let man = store.ok(&["man"]);
    assert!(
        man.starts_with(".ie") || man.contains(".TH casedesk"),
        "{man}"
    );
    assert!(man.contains("completions"));
}
