//! One student, one case: `casedesk case merge KEEP OTHER` moves the other case's actions
//! (renumbered), notes, consents, teams and conference items onto the kept case, leaves the other
//! as a pointer that refuses new records and names where they go, is journaled (the store agrees
//! with the journal, replaying it or rebuilding from it), and `undo` takes it back exactly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::json;

use casedesk::domain::model::AgendaReason;
use casedesk::domain::{CaseNumber, Command, NewConference, PlannedItem};
use casedesk::store::Store;
use casedesk::store::check::check;
use common::{TempStore, add_student, ctx};
use serde_json::Value;

fn shown(store: &TempStore, case: &str) -> Value {
    json(&store.ok(&["case", "show", case, "--json", "--unmasked"]))
}

fn ids(case: &Value) -> Vec<String> {
    case["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

/// The student registered twice: the first case (WEE) with a finished and an open action and a
/// note; the second (WELF, with CPA cooperating, a consent to share with CPA) with a finished
/// and an open referral to CPA and a note of its own.
fn registered_twice() -> (TempStore, String, String) {
    let store = TempStore::initialised();
    let keep = add_student(&store, "홍길동", "2016-04-01", &[]);
    let other = add_student(
        &store,
        "홍길동",
        "2016-04-01",
        &["--allow-duplicate", "--co", "CPA"],
    );
    store.ok(&["case", "set", &other, "--lead", "WELF"]);
    for (case, title, team) in [
        (&keep, "담임 면담", "WEE"),
        (&keep, "상담 연계", "WEE"),
        (&other, "가정 방문", "WELF"),
    ] {
        store.ok(&[
            "action", "add", case, "--title", title, "--team", team, "--due", "+5d",
        ]);
    }
    store.ok(&[
        "consent",
        "add",
        &other,
        "--share",
        "CPA",
        "--on",
        "2026-11-20",
        "--by",
        "guardian",
    ]);
    store.ok(&[
        "action",
        "add",
        &other,
        "--title",
        "아동보호 연계",
        "--team",
        "CPA",
        "--due",
        "+7d",
    ]);
    store.ok(&[
        "action",
        "done",
        &format!("{keep}/1"),
        "--note",
        "면담 완료",
    ]);
    store.ok(&[
        "action",
        "done",
        &format!("{other}/1"),
        "--note",
        "보호자 만남",
    ]);
    store.ok(&["note", "add", &keep, "첫 사례의 기록"]);
    store.ok(&["note", "add", &other, "둘째 사례의 기록"]);
    (store, keep, other)
}

#[test]
fn a_case_registered_twice_is_merged_into_one_and_undo_takes_it_back() {
    let (store, keep, other) = registered_twice();
    // Registering the student a third time names the two and how to make them one.
    let third = store
        .run(&[
            "case",
            "add",
            "--student",
            "홍길동",
            "--school",
            "한빛초등학교",
            "--grade",
            "3-2",
            "--lead",
            "WEE",
        ])
        .stderr;
    assert!(
        third.contains(&format!("`casedesk case merge {keep} {other}`")),
        "{third}"
    );
    let keep_before = shown(&store, &keep);
    let other_before = shown(&store, &other);

    // It asks first; without a terminal to ask on it says to add --yes and changes nothing.
    let asked = store.fails(&["case", "merge", &keep, &other]);
    assert!(asked.contains("--yes"), "{asked}");
    assert_eq!(shown(&store, &keep), keep_before);

    let out = store.ok(&["case", "merge", &keep, &other, "--yes"]);
    assert!(out.contains(&format!("{other} → {keep}")), "{out}");
    assert!(out.contains(&format!("{other}/1 → {keep}/3")), "{out}");
    assert!(out.contains(&format!("{other}/2 → {keep}/4")), "{out}");

    // The kept case has every action, finished ones with their results, and the timeline of both.
    let kept = shown(&store, &keep);
    assert_eq!(
        ids(&kept),
        ["/1", "/2", "/3", "/4"].map(|n| format!("{keep}{n}"))
    );
    let moved = &kept["actions"][2];
    assert_eq!(moved["title"], "가정 방문");
    assert_eq!(moved["status"], "done");
    assert_eq!(moved["result"], "보호자 만남");
    assert_eq!(kept["actions"][3]["team"], "CPA");
    let texts: Vec<&str> = kept["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    assert!(texts.contains(&"첫 사례의 기록"), "{texts:?}");
    assert!(texts.contains(&"둘째 사례의 기록"), "{texts:?}");
    let merge_note = kept["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "merge" && n["case"] == keep.as_str())
        .expect("a merge note on the kept case");
    assert!(
        merge_note["text"]
            .as_str()
            .unwrap()
            .contains(&format!("{other}/2→{keep}/4")),
        "{merge_note}"
    );
    // Those who worked on the other case still see the student's case; the consent came along,
    // so the referral to CPA is not "shared without consent".
    let co = strings(&kept["co_teams"]);
    assert!(
        co.contains(&"WELF".to_string()) && co.contains(&"CPA".to_string()),
        "{co:?}"
    );
    assert!(
        kept["consent"]["records"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["agency"] == "CPA" && r["kind"] == "sharing"),
        "{}",
        kept["consent"]
    );
    assert_eq!(strings(&kept["merged_in"]), vec![other.to_string()]);
    let text = store.ok(&["case", "show", &keep]);
    assert!(text.contains(&format!("[{other}]")), "{text}");

    // The other case is a pointer now: listed nowhere, nothing recorded on it.
    let pointer = shown(&store, &other);
    assert_eq!(pointer["merged_into"], keep.as_str());
    assert!(ids(&pointer).is_empty());
    let listed = store.ok(&["case", "list", "--all"]);
    assert!(
        listed.contains(&keep) && !listed.contains(&other),
        "{listed}"
    );
    let text = store.ok(&["case", "show", &other]);
    assert!(text.contains(&format!("into {keep}")), "{text}");
    for refused in [
        store.fails(&["action", "done", &format!("{other}/2")]),
        store.fails(&["note", "add", &other, "늦은 기록"]),
        store.fails(&["case", "merge", &keep, &other, "--yes"]),
    ] {
        assert!(
            refused.contains(&format!("{other} was merged into {keep}")),
            "{refused}"
        );
        assert_eq!(refused.lines().count(), 1, "{refused}");
    }
    assert!(check(&store.dir()).unwrap().ok());

    // Undo (in a new process: the finished actions are read back from the store) puts both back
    // as they were, ids and all.
    let undone = store.ok(&["undo", "--yes"]);
    assert!(undone.contains("merge_cases"), "{undone}");
    assert_eq!(shown(&store, &keep), keep_before);
    assert_eq!(shown(&store, &other), other_before);
    assert!(check(&store.dir()).unwrap().ok());
}

#[test]
fn a_merge_replays_from_the_journal_after_a_crash_and_rebuilds_the_same() {
    let (store, keep, other) = registered_twice();
    // The database as it was before the merge, as if the process died after the journal line
    // was synced and before sled had it.
    let before = tempfile::tempdir().unwrap();
    common::copy_dir(&store.dir(), before.path());
    store.ok(&["case", "merge", &keep, &other, "--yes"]);
    let journal = std::fs::read(store.dir().join("journal.jsonl")).unwrap();
    std::fs::write(before.path().join("journal.jsonl"), journal).unwrap();
    let crashed = common::run_in(
        before.path(),
        &["case", "show", &keep, "--json", "--unmasked"],
        &[],
    );
    assert!(crashed.success(), "{}", crashed.stderr);
    assert_eq!(json(&crashed.stdout), shown(&store, &keep));
    assert!(check(before.path()).unwrap().ok());

    // Rebuilt from the journal alone, it is the same.
    let rebuilt = common::run_in(before.path(), &["check", "--rebuild"], &[]);
    assert!(rebuilt.success(), "{}", rebuilt.stderr);
    let after = common::run_in(
        before.path(),
        &["case", "show", &keep, "--json", "--unmasked"],
        &[],
    );
    assert_eq!(json(&after.stdout), shown(&store, &keep));
}

#[test]
fn a_merge_is_refused_when_it_would_lose_or_hide_something() {
    let (store, keep, other) = registered_twice();
    let itself = store.fails(&["case", "merge", &keep, &keep, "--yes"]);
    assert!(itself.contains("cannot be merged into itself"), "{itself}");

    // Open actions do not move onto a closed case: reopen it, or keep the other one.
    let closed = add_student(&store, "홍길동", "2016-04-01", &["--allow-duplicate"]);
    store.ok(&["case", "close", &closed, "--reason", "중복 접수"]);
    let refused = store.fails(&["case", "merge", &closed, &other, "--yes"]);
    assert!(
        refused.contains("closed") && refused.contains("case reopen"),
        "{refused}"
    );
    assert_eq!(refused.lines().count(), 1, "{refused}");
    // The closed duplicate, with nothing open, merges into the open case.
    store.ok(&["case", "merge", &keep, &closed, "--yes"]);

    // A case under discussion in a running conference waits until it closes.
    let number: CaseNumber = other.parse().unwrap();
    let mut s = Store::open(&store.dir()).unwrap();
    s.execute(
        Command::CreateConference {
            conference: NewConference {
                date: ctx().today(),
                title: "정기 사례회의".into(),
                kind: casedesk::domain::vocab::ConferenceKind::Regular,
                facilitator: "tester".into(),
                agenda: vec![PlannedItem {
                    case: number,
                    reasons: vec![AgendaReason::Deferred],
                    budget_minutes: 10,
                }],
                attendees: Vec::new(),
                length_minutes: 120,
                place: None,
                time: None,
            },
        },
        &ctx(),
    )
    .unwrap();
    s.execute(Command::StartConference { conference: 1 }, &ctx())
        .unwrap();
    drop(s);
    let running = store.fails(&["case", "merge", &keep, &other, "--yes"]);
    assert!(running.contains("#1"), "{running}");
    assert!(ids(&shown(&store, &other)).len() == 2);
}

#[test]
fn agenda_items_follow_the_merge_and_join_the_kept_cases_own() {
    let (store, keep, other) = registered_twice();
    let (k, o): (CaseNumber, CaseNumber) = (keep.parse().unwrap(), other.parse().unwrap());
    let item = |case, minutes| PlannedItem {
        case,
        reasons: vec![AgendaReason::ReviewDue],
        budget_minutes: minutes,
    };
    let mut s = Store::open(&store.dir()).unwrap();
    for agenda in [vec![item(o, 10)], vec![item(k, 15), item(o, 10)]] {
        s.execute(
            Command::CreateConference {
                conference: NewConference {
                    date: ctx().today(),
                    title: "사례회의".into(),
                    kind: casedesk::domain::vocab::ConferenceKind::Regular,
                    facilitator: "tester".into(),
                    agenda,
                    attendees: Vec::new(),
                    length_minutes: 120,
                    place: None,
                    time: None,
                },
            },
            &ctx(),
        )
        .unwrap();
    }
    drop(s);
    store.ok(&["case", "merge", &keep, &other, "--yes"]);
    let mut s = Store::open(&store.dir()).unwrap();
    let state = s.state().unwrap();
    let first = &state.conferences[&1];
    assert_eq!(first.agenda.len(), 1);
    assert_eq!(first.agenda[0].case, k);
    let second = &state.conferences[&2];
    assert_eq!(second.agenda.len(), 1, "one item per student");
    assert_eq!(second.agenda[0].case, k);
    assert_eq!(second.agenda[0].budget_minutes, 25);
    drop(s);
    store.ok(&["undo", "--yes"]);
    let mut s = Store::open(&store.dir()).unwrap();
    let state = s.state().unwrap();
    assert_eq!(state.conferences[&1].agenda[0].case, o);
    assert_eq!(state.conferences[&2].agenda.len(), 2);
}

#[test]
fn only_coordinators_and_admins_merge_cases() {
    use casedesk::backend::{Backend, BackendError, Embedded};
    use casedesk::domain::access::Denied;
    let (store, keep, other) = registered_twice();
    store.ok(&[
        "user", "add", "wee.han", "--role", "member", "--team", "WEE",
    ]);
    store.ok(&["user", "add", "coord.lee", "--role", "coordinator"]);
    let merge = Command::MergeCases {
        keep: keep.parse().unwrap(),
        other: other.parse().unwrap(),
    };
    let mut member = Embedded::new(
        Store::open(&store.dir()).unwrap(),
        "wee.han",
        Some("tester"),
    )
    .unwrap();
    match member.apply(merge.clone(), common::now(), &[]) {
        Err(BackendError::Denied(Denied::CoordinatorsOnly { .. })) => {}
        other => panic!("a member merged: {other:?}"),
    }
    drop(member);
    let mut coordinator = Embedded::new(
        Store::open(&store.dir()).unwrap(),
        "coord.lee",
        Some("tester"),
    )
    .unwrap();
    let receipt = coordinator.apply(merge, common::now(), &[]).unwrap();
    // The coordinator's own undo takes it back.
    let undo = receipt.undo.expect("a merge can be undone");
    coordinator.apply(undo, common::now(), &[]).unwrap();
    assert_eq!(
        coordinator
            .case_actions(other.parse().unwrap())
            .unwrap()
            .len(),
        2
    );
}
