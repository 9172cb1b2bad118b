//! One student, one case: registering a student who matches an existing case (same name and
//! birth date, or same name, school and grade), open or closed, shows the match and asks before
//! creating another; a closed match offers reopening. The match is told by case number only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use casedesk::domain::Command;
use casedesk::i18n::Lang;
use common::TempStore;
use common::tui::Screens;

fn add(store: &TempStore, name: &str, school: &str, grade: &str, extra: &[&str]) -> common::Run {
    let mut args = vec![
        "case",
        "add",
        "--student",
        name,
        "--school",
        school,
        "--grade",
        grade,
        "--lead",
        "WEE",
    ];
    args.extend_from_slice(extra);
    store.run(&args)
}

fn cases(store: &TempStore) -> usize {
    let out = store.ok(&["case", "list", "--all", "--json"]);
    serde_json::from_str::<serde_json::Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn the_same_student_is_not_registered_twice_without_being_asked() {
    let store = TempStore::initialised();
    let first = add(
        &store,
        "홍길동",
        "한빛초등학교",
        "3-2",
        &["--birth", "2016-04-01"],
    );
    assert!(first.success(), "{}", first.stderr);
    let number = first.stdout.trim().to_string();

    // Same name and birth date (another school: a transfer not yet recorded).
    let again = add(
        &store,
        "홍 길동",
        "새빛초등학교",
        "4",
        &["--birth", "2016-04-01"],
    );
    assert!(!again.success());
    assert_eq!(again.stderr.lines().count(), 1, "{}", again.stderr);
    assert!(
        again.stderr.contains(&format!(
            "a case for the same student exists: {number} (open)"
        )),
        "{}",
        again.stderr
    );
    assert!(
        again.stderr.contains("--allow-duplicate"),
        "{}",
        again.stderr
    );
    // The student's name is not repeated back.
    assert!(!again.stderr.contains("홍길동"), "{}", again.stderr);
    assert_eq!(cases(&store), 1);

    // Same name, school and grade, no birth date given.
    let again = add(&store, "홍길동", "한빛초등학교", "3-1", &[]);
    assert!(!again.success());
    assert!(again.stderr.contains(&number), "{}", again.stderr);

    // Another student of the same name elsewhere is no match; asked for, a duplicate is made.
    assert!(add(&store, "홍길동", "새빛초등학교", "5", &[]).success());
    let forced = add(
        &store,
        "홍길동",
        "한빛초등학교",
        "3",
        &["--allow-duplicate"],
    );
    assert!(forced.success(), "{}", forced.stderr);
    assert_eq!(cases(&store), 3);
}

#[test]
fn a_closed_match_offers_reopening_instead() {
    let store = TempStore::initialised();
    let number = add(&store, "김철수", "한빛초등학교", "2", &[])
        .stdout
        .trim()
        .to_string();
    store.ok(&["case", "close", &number, "--reason", "지원 완료"]);
    let again = add(&store, "김철수", "한빛초등학교", "2", &["--lang", "ko"]);
    assert!(!again.success());
    assert!(
        again.stderr.contains(&format!("{number} (종결)")),
        "{}",
        again.stderr
    );
    assert!(
        again
            .stderr
            .contains(&format!("casedesk case reopen {number} --reason")),
        "{}",
        again.stderr
    );
}

#[test]
fn registrations_journaled_before_the_check_replay_as_they_were() {
    let line = r#"{"type":"create_case","case":{"student":{"name":"홍길동"},"school":"한빛초","grade":{"year":3},"lead_team":"WEE"}}"#;
    let cmd: Command = serde_json::from_str(line).unwrap();
    let Command::CreateCase { case } = cmd else {
        panic!("not a registration");
    };
    assert!(!case.check_duplicates);
}

#[test]
fn the_new_case_form_shows_the_match_and_registers_only_when_told() {
    let mut s = Screens::demo(Lang::En);
    let (name, school, grade, existing) = {
        let state = s.state();
        let c = state.cases.values().find(|c| c.is_open()).unwrap();
        (
            c.student.name.clone(),
            c.school.clone(),
            c.grade.to_string(),
            c.number,
        )
    };
    let before = s.state().cases.len();
    s.keys("n");
    s.paste(&name);
    s.keys("<Tab>");
    s.paste(&school);
    s.keys("<Tab>");
    s.paste(&grade);
    s.keys("<C-s>");
    let form = s.screen(100, 30);
    assert!(
        form.contains(&format!("a case for the same student exists: {existing}")),
        "{form}"
    );
    assert_eq!(s.state().cases.len(), before);
    // "Register anyway" is the form's last field.
    s.keys(&"<Tab>".repeat(20));
    s.keys("<Space><C-s>");
    assert_eq!(s.state().cases.len(), before + 1);
}
