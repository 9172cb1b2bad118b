//! The role rules, without operating-system accounts: the engine serves a store to an account
//! the test names, as a server would to the account a socket names. A team member sees and
//! changes only their teams' cases; a viewer sees names masked and changes nothing; only
//! admins manage users; restricted notes stay with the lead team and coordinators; an account
//! that is not a user is told whom to ask.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use casedesk::backend::{Backend, BackendError, Embedded, Scope};
use casedesk::domain::access::Denied;
use casedesk::domain::vocab::NoteKind;
use casedesk::domain::{CaseNumber, Command, NewConference};
use casedesk::i18n::{Lang, Localize};
use casedesk::store::Store;
use common::{TempStore, now};

fn n(seq: u32) -> CaseNumber {
    CaseNumber { year: 2026, seq }
}

/// Three cases: 0001 led by WEE; 0002 led by WELF with CPA cooperating; 0003 led by SPED with
/// an action WEE owes. Restricted notes on 0001 and 0003; users of every role.
fn office() -> TempStore {
    let store = TempStore::initialised();
    for (name, lead, co) in [
        ("홍길동", "WEE", ""),
        ("김철수", "WELF", "CPA"),
        ("이영희", "SPED", ""),
    ] {
        let mut args = vec![
            "case",
            "add",
            "--student",
            name,
            "--school",
            "한빛초등학교",
            "--grade",
            "3-2",
            "--lead",
            lead,
        ];
        if !co.is_empty() {
            args.extend(["--co", co]);
        }
        store.ok(&args);
    }
    store.ok(&[
        "action",
        "add",
        "2026-0003",
        "--title",
        "이영희 상담 연계",
        "--team",
        "WEE",
        "--due",
        "+3d",
    ]);
    store.ok(&[
        "action",
        "add",
        "2026-0002",
        "--title",
        "가정 방문",
        "--team",
        "WELF",
        "--due",
        "+5d",
    ]);
    store.ok(&["note", "add", "2026-0001", "학대 의심 정황", "--restricted"]);
    store.ok(&["note", "add", "2026-0003", "자해 흔적 확인", "--restricted"]);
    store.ok(&["note", "add", "2026-0003", "보호자 통화"]);
    store.ok(&[
        "user", "add", "wee.han", "--role", "member", "--team", "WEE", "--name", "한위",
    ]);
    store.ok(&[
        "user", "add", "sped.kim", "--role", "member", "--team", "SPED",
    ]);
    store.ok(&["user", "add", "coord.lee", "--role", "coordinator"]);
    store.ok(&["user", "add", "head.park", "--role", "viewer"]);
    store
}

/// The store served to `account`; the test runner's account owns the files.
fn as_user(store: &TempStore, account: &str) -> Embedded {
    Embedded::new(Store::open(&store.dir()).unwrap(), account, Some("tester")).unwrap()
}

fn numbers(b: &mut Embedded) -> Vec<String> {
    b.snapshot()
        .unwrap()
        .cases
        .keys()
        .map(ToString::to_string)
        .collect()
}

fn denied(result: Result<impl std::fmt::Debug, BackendError>) -> Denied {
    match result {
        Err(BackendError::Denied(d)) => d,
        other => panic!("expected a refusal by role, got {other:?}"),
    }
}

fn note(case: u32, text: &str) -> Command {
    Command::AddNote {
        case: n(case),
        kind: NoteKind::Note,
        text: text.into(),
        restricted: false,
    }
}

#[test]
fn a_team_member_sees_only_the_cases_their_team_leads_shares_or_owes() {
    let store = office();
    let mut wee = as_user(&store, "wee.han");
    assert_eq!(numbers(&mut wee), ["2026-0001", "2026-0003"]);
    let state = wee.snapshot().unwrap();
    // The counts and lists the screens make come from these records only.
    assert!(state.actions.keys().all(|id| id.case != n(2)));
    assert_eq!(wee.all_actions().unwrap().len(), 1);
    assert!(
        wee.open_actions_due(None)
            .unwrap()
            .iter()
            .all(|a| a.id.case == n(3))
    );
    // Asking for another team's case by number says why, and shows nothing.
    let d = denied(wee.notes_of(n(2)));
    assert!(matches!(d, Denied::NotYourCase { .. }), "{d:?}");
    assert!(matches!(
        denied(wee.view(&Scope::Case(n(2)))),
        Denied::NotYourCase { .. }
    ));
    drop(wee);
    let mut sped = as_user(&store, "sped.kim");
    assert_eq!(numbers(&mut sped), ["2026-0003"]);
}

#[test]
fn restricted_notes_stay_with_the_lead_team_and_coordinators() {
    let store = office();
    let mut wee = as_user(&store, "wee.han");
    // WEE leads 0001: its restricted note is theirs to read.
    assert_eq!(wee.notes_of(n(1)).unwrap().len(), 1);
    // WEE only owes an action on 0003: the restricted note there is not for them.
    let texts: Vec<String> = wee
        .notes_of(n(3))
        .unwrap()
        .into_iter()
        .map(|x| x.text)
        .collect();
    assert_eq!(texts, ["보호자 통화"]);
    drop(wee);
    let mut sped = as_user(&store, "sped.kim");
    assert_eq!(sped.notes_of(n(3)).unwrap().len(), 2);
    drop(sped);
    let mut coord = as_user(&store, "coord.lee");
    assert_eq!(coord.notes_of(n(3)).unwrap().len(), 2);
    drop(coord);
    let mut viewer = as_user(&store, "head.park");
    assert_eq!(viewer.notes_of(n(1)).unwrap().len(), 0);
}

#[test]
fn a_team_member_changes_their_cases_and_is_refused_the_rest() {
    let store = office();
    let mut wee = as_user(&store, "wee.han");
    wee.apply(note(3, "상담 일정 잡음"), now(), &[]).unwrap();
    let d = denied(wee.apply(note(2, "남의 사례"), now(), &[]));
    let line = d.localize(Lang::Ko);
    assert!(line.contains("2026-0002") && line.contains("WEE"), "{line}");
    assert_eq!(line.lines().count(), 1);
    // Conferences are the coordinators' to prepare.
    let prepare = Command::CreateConference {
        conference: NewConference {
            date: now().date_naive(),
            title: "회의".into(),
            kind: casedesk::domain::vocab::ConferenceKind::Regular,
            facilitator: "wee.han".into(),
            agenda: Vec::new(),
            attendees: Vec::new(),
            length_minutes: 120,
            place: None,
            time: None,
        },
    };
    assert!(matches!(
        denied(wee.apply(prepare, now(), &[])),
        Denied::CoordinatorsOnly { .. }
    ));
    // Refusals change nothing.
    drop(wee);
    let mut coord = as_user(&store, "coord.lee");
    let notes = coord.notes_of(n(2)).unwrap();
    assert!(notes.iter().all(|x| x.text != "남의 사례"));
}

#[test]
fn a_viewer_sees_every_case_with_names_masked_and_changes_nothing() {
    let store = office();
    let mut viewer = as_user(&store, "head.park");
    assert_eq!(numbers(&mut viewer).len(), 3);
    let state = viewer.snapshot().unwrap();
    let names: Vec<&str> = state
        .cases
        .values()
        .map(|c| c.student.name.as_str())
        .collect();
    assert_eq!(names, ["홍*동", "김*수", "이*희"]);
    // The name is masked inside free text too.
    let titles: Vec<String> = viewer
        .case_actions(n(3))
        .unwrap()
        .into_iter()
        .map(|a| a.title)
        .collect();
    assert_eq!(titles, ["이*희 상담 연계"]);
    assert!(matches!(
        denied(viewer.apply(note(1, "기록"), now(), &[])),
        Denied::ReadOnly { .. }
    ));
    assert!(matches!(
        viewer.access().may_unmask(),
        Err(Denied::MaskedOnly { .. })
    ));
}

#[test]
fn only_admins_manage_users() {
    let store = office();
    let mut coord = as_user(&store, "coord.lee");
    let add = Command::AddUser {
        user: casedesk::domain::User {
            account: "new.one".into(),
            role: casedesk::domain::vocab::Role::Admin,
            teams: Vec::new(),
            name: None,
        },
    };
    assert!(matches!(
        denied(coord.apply(add.clone(), now(), &[])),
        Denied::AdminsOnly { .. }
    ));
    // A coordinator does everything else.
    coord.apply(note(2, "조정자 기록"), now(), &[]).unwrap();
    drop(coord);
    let mut admin = as_user(&store, "tester");
    admin.apply(add, now(), &[]).unwrap();
    assert!(
        admin
            .users()
            .unwrap()
            .iter()
            .any(|u| u.account == "new.one")
    );
}

#[test]
fn an_account_that_is_not_a_user_is_told_whom_to_ask_and_what_to_run() {
    let store = office();
    let err = Embedded::new(
        Store::open(&store.dir()).unwrap(),
        "stranger",
        Some("tester"),
    )
    .unwrap_err();
    let line = err.localize(Lang::En);
    assert!(line.contains("'stranger' is not a user"), "{line}");
    assert!(line.contains("tester"), "{line}");
    assert!(
        line.contains("casedesk user add stranger --role member --team TEAM"),
        "{line}"
    );
    assert_eq!(line.lines().count(), 1);
}

#[test]
fn a_change_of_role_counts_from_the_next_command() {
    let store = office();
    let mut admin = as_user(&store, "tester");
    admin
        .apply(
            Command::SetUser {
                account: "wee.han".into(),
                change: casedesk::domain::UserUpdate {
                    teams: Some(vec![casedesk::domain::TeamCode::new("WELF").unwrap()]),
                    ..Default::default()
                },
            },
            now(),
            &[],
        )
        .unwrap();
    drop(admin);
    let mut wee = as_user(&store, "wee.han");
    assert_eq!(numbers(&mut wee), ["2026-0002"]);
}

#[test]
fn users_are_journaled_and_listed_with_their_roles() {
    let store = office();
    let list = store.ok(&["user", "list"]);
    for word in [
        "wee.han",
        "member",
        "WEE",
        "한위",
        "coord.lee",
        "coordinator",
        "head.park",
        "viewer",
    ] {
        assert!(list.contains(word), "{word} missing from:\n{list}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&store.ok(&["user", "list", "--json"])).unwrap();
    let wee = json
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["account"] == "wee.han")
        .unwrap();
    assert_eq!(wee["role"], "member");
    assert_eq!(wee["teams"], serde_json::json!(["WEE"]));
    // A member needs a team; a bad account name is refused.
    let err = store.fails(&["user", "add", "no.team", "--role", "member"]);
    assert!(err.contains("needs at least one team"), "{err}");
    let err = store.fails(&["user", "add", "Bad Name", "--role", "viewer"]);
    assert!(err.contains("cannot be an account name"), "{err}");
    store.ok(&["user", "remove", "head.park"]);
    assert!(!store.ok(&["user", "list"]).contains("head.park"));
    // Every change to users is in the journal.
    let journal = std::fs::read_to_string(store.dir().join("journal.jsonl")).unwrap();
    assert!(
        journal.contains("\"type\":\"add_user\"") && journal.contains("\"type\":\"remove_user\"")
    );
    store.ok(&["check"]);
}

#[test]
fn who_finished_an_action_is_recorded_and_shown() {
    let store = office();
    store.ok(&["action", "done", "2026-0002/1", "--note", "방문 완료"]);
    let json: serde_json::Value =
        serde_json::from_str(&store.ok(&["case", "show", "2026-0002", "--json"])).unwrap();
    let action = &json["actions"][0];
    assert_eq!(action["closed_by"], "tester", "{json}");
    let err = store.fails(&["action", "done", "2026-0002/1"]);
    assert!(err.contains("tester"), "{err}");
}

/// `undo` offers each person their own latest change still there to take back: the engine
/// answers from what it applied, and a new one (another process) reads the same from the
/// journal.
#[test]
fn undo_offers_each_person_their_own_latest_change_from_memory_as_from_the_journal() {
    let store = office();
    let mut wee = as_user(&store, "wee.han");
    let first = wee.apply(note(1, "첫 기록"), now(), &[]).unwrap();
    let second = wee.apply(note(3, "둘째 기록"), now(), &[]).unwrap();
    let latest = wee.last_own_change().unwrap().unwrap();
    assert_eq!(latest.seq, second.seq);
    assert_eq!(latest.kind, "add_note");
    assert_eq!(latest.records, ["2026-0003"]);
    drop(wee);
    // Another process (a new engine) finds the same in the journal.
    let mut again = as_user(&store, "wee.han");
    let read = again.last_own_change().unwrap().unwrap();
    assert_eq!(
        (read.seq, &read.records, &read.undo),
        (latest.seq, &latest.records, &latest.undo)
    );
    drop(again);
    // Someone else's change does not come between.
    let mut coord = as_user(&store, "coord.lee");
    assert!(coord.last_own_change().unwrap().is_none());
    coord.apply(note(2, "조정자 기록"), now(), &[]).unwrap();
    drop(coord);
    // A third change, then undone in the same engine: the one before it is next, from memory
    // and from the journal alike.
    let mut wee = as_user(&store, "wee.han");
    wee.apply(note(1, "셋째 기록"), now(), &[]).unwrap();
    let third = wee.last_own_change().unwrap().unwrap();
    wee.apply(third.undo.unwrap(), now(), &[]).unwrap();
    assert_eq!(wee.last_own_change().unwrap().unwrap().seq, second.seq);
    let undo = wee.last_own_change().unwrap().unwrap().undo.unwrap();
    wee.apply(undo, now(), &[]).unwrap();
    // The memory holds no more of wee.han's changes: the journal answers.
    assert_eq!(wee.last_own_change().unwrap().unwrap().seq, first.seq);
    drop(wee);
    let mut fresh = as_user(&store, "wee.han");
    assert_eq!(fresh.last_own_change().unwrap().unwrap().seq, first.seq);
}

/// What `undo` keeps between processes is used only at the journal head it was written at: an
/// older copy of it is passed over for the journal.
#[test]
fn undo_never_offers_from_a_kept_list_the_journal_has_moved_past() {
    let store = office();
    let file = store.dir().join("undo.cache");
    let mut wee = as_user(&store, "wee.han");
    let first = wee.apply(note(1, "첫 기록"), now(), &[]).unwrap();
    drop(wee);
    let old = std::fs::read(&file).expect("the kept list is written when the store closes");
    let mut wee = as_user(&store, "wee.han");
    assert_eq!(wee.last_own_change().unwrap().unwrap().seq, first.seq);
    let second = wee.apply(note(3, "둘째 기록"), now(), &[]).unwrap();
    drop(wee);
    std::fs::write(&file, old).unwrap();
    let mut wee = as_user(&store, "wee.han");
    assert_eq!(wee.last_own_change().unwrap().unwrap().seq, second.seq);
    // A damaged file is passed over the same way.
    drop(wee);
    std::fs::write(&file, b"{\"version\":\"x\"}\n{}").unwrap();
    let mut wee = as_user(&store, "wee.han");
    assert_eq!(wee.last_own_change().unwrap().unwrap().seq, second.seq);
}
