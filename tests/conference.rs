//! The case conference in the store and on the command line: the proposed agenda and each of
//! its reasons, running items against a clock that survives a crash, read-only once closed
//! (corrections are amendments), and minutes that mask names unless asked.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use casedesk::domain::error::ConferenceProblem;
use casedesk::domain::model::{AgendaReason, ConferenceState, ItemChange, default_teams};
use casedesk::domain::vocab::{ConferenceKind, Level, NoteKind, Stage};
use casedesk::domain::{
    CaseNumber, CaseUpdate, Command, ConferenceUpdate, Ctx, DomainError, NewCase, NewConference,
    Outcome, PlannedItem, TeamCode,
};
use casedesk::i18n::Lang;
use casedesk::store::check::check;
use casedesk::store::{Store, StoreError};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use common::{TempStore, now};

fn team(code: &str) -> TeamCode {
    TeamCode::new(code).unwrap()
}

fn at(t: DateTime<FixedOffset>) -> Ctx {
    Ctx {
        at: t,
        user: "tester".into(),
    }
}

fn init(dir: &Path, t: DateTime<FixedOffset>) -> Store {
    let mut store = Store::open_or_create(dir).unwrap();
    store
        .execute(
            Command::InitStore {
                office: "테스트교육지원청".into(),
                teams: default_teams(),
                demo: false,
            },
            &at(t),
        )
        .unwrap();
    store
}

fn run(store: &mut Store, cmd: Command, t: DateTime<FixedOffset>) -> Outcome {
    store.execute(cmd, &at(t)).unwrap().outcome
}

fn refused(store: &mut Store, cmd: Command, t: DateTime<FixedOffset>) -> DomainError {
    match store.execute(cmd, &at(t)) {
        Err(StoreError::Domain(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn add(store: &mut Store, case: NewCase, t: DateTime<FixedOffset>) -> CaseNumber {
    match run(store, Command::CreateCase { case }, t) {
        Outcome::Case { number } => number,
        other => panic!("unexpected {other:?}"),
    }
}

fn case(name: &str, level: Level) -> NewCase {
    NewCase {
        level: Some(level),
        ..common::new_case(name, "WEE", &["CPA"])
    }
}

fn stage(store: &mut Store, number: CaseNumber, to: Stage, t: DateTime<FixedOffset>) {
    run(
        store,
        Command::UpdateCase {
            case: number,
            change: CaseUpdate {
                stage: Some(to),
                ..CaseUpdate::default()
            },
            conference: None,
        },
        t,
    );
}

fn create(store: &mut Store, date: NaiveDate, t: DateTime<FixedOffset>) -> u32 {
    let conference = store.state().unwrap().prepare_conference(
        date,
        ConferenceKind::Regular,
        None,
        "조정자".into(),
        Lang::Ko,
        120,
    );
    match run(store, Command::CreateConference { conference }, t) {
        Outcome::Conference { id } => id,
        other => panic!("unexpected {other:?}"),
    }
}

fn reasons_of(store: &mut Store, date: NaiveDate) -> Vec<(CaseNumber, Vec<AgendaReason>)> {
    store
        .state()
        .unwrap()
        .propose_agenda(date, 120)
        .into_iter()
        .map(|i| (i.case, i.reasons))
        .collect()
}

#[test]
fn the_agenda_proposes_each_reason_most_pressing_first() {
    let tmp = TempStore::new();
    let dir = tmp.dir();
    let base = now() - Duration::days(14);
    let mut store = init(&dir, base);
    let high = add(&mut store, case("고위기", Level::High), base);
    stage(&mut store, high, Stage::Assessment, base);
    let overdue = add(&mut store, case("기한초과", Level::Watch), base);
    stage(&mut store, overdue, Stage::Assessment, base);
    run(
        &mut store,
        Command::AddAction {
            case: overdue,
            title: "가정방문".into(),
            team: team("WEE"),
            due_on: (base + Duration::days(3)).date_naive(),
            person: None,
            conference: None,
            sharing: Default::default(),
        },
        base,
    );
    let sent = add(&mut store, case("회의요청", Level::Watch), base);
    stage(&mut store, sent, Stage::Assessment, base);
    stage(&mut store, sent, Stage::Conference, base);
    let review = add(
        &mut store,
        NewCase {
            review_on: Some((now() + Duration::days(2)).date_naive()),
            ..case("점검도래", Level::Watch)
        },
        base,
    );
    stage(&mut store, review, Stage::Assessment, base);
    let intake = add(&mut store, case("신규접수", Level::Watch), base);
    let quiet = add(
        &mut store,
        NewCase {
            review_on: Some((now() + Duration::days(30)).date_naive()),
            ..case("조용한", Level::Caution)
        },
        base,
    );
    stage(&mut store, quiet, Stage::Assessment, base);
    let closed = add(&mut store, case("종결됨", Level::High), base);
    run(
        &mut store,
        Command::CloseCase {
            case: closed,
            reason: "목표 달성".into(),
            drop_open: false,
        },
        base,
    );

    // No conference yet: every case still at intake counts as new.
    let date = (now() + Duration::days(3)).date_naive();
    use AgendaReason::*;
    assert_eq!(
        reasons_of(&mut store, date),
        vec![
            (high, vec![HighCrisis]),
            (overdue, vec![OverdueActions]),
            (sent, vec![SentToConference]),
            (review, vec![ReviewDue]),
            (intake, vec![NewIntake]),
        ],
        "the quiet case and the closed one stay off; the order is the most pressing reason"
    );

    // A conference on it: the review case is deferred, then it closes.
    let id = create(&mut store, date, now());
    let t = now() + Duration::days(3);
    run(&mut store, Command::StartConference { conference: id }, t);
    run(
        &mut store,
        Command::DeferItem {
            conference: id,
            case: review,
        },
        t,
    );
    run(&mut store, Command::CloseConference { conference: id }, t);
    // A second conference the same day already knows the first one.
    assert!(
        reasons_of(&mut store, date)
            .iter()
            .any(|(c, r)| *c == review && r.contains(&Deferred))
    );
    let later = add(
        &mut store,
        case("다음접수", Level::Watch),
        t + Duration::hours(2),
    );

    // The next one: new intakes are those since the close, the deferred item comes back.
    let next = (now() + Duration::days(10)).date_naive();
    assert_eq!(
        reasons_of(&mut store, next),
        vec![
            (high, vec![HighCrisis]),
            (overdue, vec![OverdueActions]),
            (sent, vec![SentToConference]),
            (review, vec![ReviewDue, Deferred]),
            (later, vec![NewIntake]),
        ],
    );
    // The conference's attendance lists the teams its cases involve, marked absent.
    let conf = store.state().unwrap().conference(id).unwrap().clone();
    let teams: Vec<&str> = conf
        .attendees
        .iter()
        .map(|a| a.team.as_ref().unwrap().as_str())
        .collect();
    assert_eq!(teams, vec!["CPA", "WEE"]);
    assert!(conf.attendees.iter().all(|a| !a.present()));
    drop(store);
    assert!(check(&dir).unwrap().ok());
}

fn running_store(dir: &Path, t: DateTime<FixedOffset>) -> (Store, u32, CaseNumber, CaseNumber) {
    let mut store = init(dir, t);
    let first = add(&mut store, case("홍길동", Level::High), t);
    let second = add(&mut store, case("김영희", Level::Crisis), t);
    let conference = NewConference {
        date: t.date_naive(),
        title: "정기 사례회의".into(),
        kind: ConferenceKind::Regular,
        facilitator: "조정자".into(),
        agenda: vec![
            PlannedItem {
                case: first,
                reasons: vec![AgendaReason::HighCrisis],
                budget_minutes: 10,
            },
            PlannedItem {
                case: second,
                reasons: vec![],
                budget_minutes: 5,
            },
        ],
        attendees: vec![],
        length_minutes: 120,
        place: None,
        time: None,
    };
    let Outcome::Conference { id } = run(&mut store, Command::CreateConference { conference }, t)
    else {
        panic!("no conference number");
    };
    run(&mut store, Command::StartConference { conference: id }, t);
    (store, id, first, second)
}

#[test]
fn every_entry_is_recorded_on_its_item_and_banks_the_clock() {
    let tmp = TempStore::new();
    let dir = tmp.dir();
    let t = now();
    let secs = |s: i64| t + Duration::seconds(s);
    let (mut store, id, first, second) = running_store(&dir, t);
    let decision = run(
        &mut store,
        Command::RecordDecision {
            conference: id,
            case: first,
            text: "보호자 상담을 이번 주에 진행".into(),
        },
        secs(90),
    );
    assert!(matches!(decision, Outcome::Note { case, .. } if case == first));
    run(
        &mut store,
        Command::OpenItem {
            conference: id,
            case: second,
        },
        secs(120),
    );
    let Outcome::Action { id: action } = run(
        &mut store,
        Command::AddAction {
            case: second,
            title: "심리검사".into(),
            team: team("MHC"),
            due_on: (t + Duration::days(7)).date_naive(),
            person: Some("김상담".into()),
            conference: Some(id),
            sharing: Default::default(),
        },
        secs(300),
    ) else {
        panic!("no action id");
    };
    let review = (t + Duration::days(14)).date_naive();
    for change in [
        CaseUpdate {
            review_on: Some(Some(review)),
            ..CaseUpdate::default()
        },
        CaseUpdate {
            level: Some(Level::High),
            ..CaseUpdate::default()
        },
    ] {
        run(
            &mut store,
            Command::UpdateCase {
                case: second,
                change,
                conference: Some(id),
            },
            secs(400),
        );
    }
    run(
        &mut store,
        Command::CloseConference { conference: id },
        secs(600),
    );

    let state = store.state().unwrap();
    let conf = state.conference(id).unwrap();
    assert_eq!(conf.state, ConferenceState::Closed);
    assert_eq!(conf.agenda[0].used_seconds, 120);
    assert_eq!(
        conf.agenda[0].decisions,
        vec!["보호자 상담을 이번 주에 진행"]
    );
    assert_eq!(conf.agenda[1].used_seconds, 480);
    assert_eq!(conf.agenda[1].actions, vec![action]);
    assert_eq!(conf.agenda[1].reasons, vec![AgendaReason::Added]);
    assert_eq!(
        conf.agenda[1].changes,
        vec![
            ItemChange::Review {
                from: None,
                to: Some(review)
            },
            ItemChange::Level {
                from: Level::Crisis,
                to: Level::High
            },
        ]
    );
    assert_eq!(state.actions[&action].conference, Some(id));
    assert_eq!(conf.total_seconds(secs(5000)), 600, "a closed clock stays");
    // The decision is on the case's timeline too.
    let notes = store.notes_of(first).unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.kind == NoteKind::Decision && n.text == "보호자 상담을 이번 주에 진행")
    );
    // The records and the clock read back the same after reopening.
    let before = store.state().unwrap().conference(id).unwrap().clone();
    drop(store);
    assert!(check(&dir).unwrap().ok());
    let mut store = Store::open(&dir).unwrap();
    assert_eq!(store.state().unwrap().conference(id).unwrap(), &before);
}

#[test]
fn after_a_crash_the_conference_resumes_at_its_item_with_the_time_up_to_the_last_entry() {
    let tmp = TempStore::new();
    let dir = tmp.dir();
    let t = now();
    let secs = |s: i64| t + Duration::seconds(s);
    {
        let (mut store, id, _, second) = running_store(&dir, t);
        run(
            &mut store,
            Command::OpenItem {
                conference: id,
                case: second,
            },
            secs(60),
        );
        run(
            &mut store,
            Command::RecordDecision {
                conference: id,
                case: second,
                text: "학교와 협의".into(),
            },
            secs(200),
        );
        // The machine dies here: no pause, nothing after the decision.
    }
    let mut store = Store::open(&dir).unwrap();
    let conf = store.state().unwrap().running_conference().unwrap().clone();
    assert_eq!(conf.current, 1, "still on the second item");
    assert_eq!(conf.agenda[1].decisions, vec!["학교와 협의"]);
    run(
        &mut store,
        Command::ResumeConference {
            conference: conf.id,
        },
        secs(3600),
    );
    let conf = store.state().unwrap().conference(conf.id).unwrap().clone();
    assert_eq!(conf.agenda[0].used_seconds, 60);
    assert_eq!(
        conf.agenda[1].used_seconds, 140,
        "up to the last entry, not the hour the machine was off"
    );
    assert_eq!(
        conf.used_seconds(1, secs(3660)),
        200,
        "and the clock runs again"
    );

    // A clean quit stops the clock at once; opening again starts it without a gap.
    run(
        &mut store,
        Command::PauseConference {
            conference: conf.id,
        },
        secs(3700),
    );
    run(
        &mut store,
        Command::ResumeConference {
            conference: conf.id,
        },
        secs(9000),
    );
    let conf = store.state().unwrap().conference(conf.id).unwrap().clone();
    assert_eq!(conf.used_seconds(1, secs(9000)), 240);
    drop(store);
    assert!(check(&dir).unwrap().ok());
}

#[test]
fn a_closed_conference_refuses_every_edit_and_takes_amendments() {
    let tmp = TempStore::new();
    let dir = tmp.dir();
    let t = now();
    let (mut store, id, first, second) = running_store(&dir, t);
    let receipt = store
        .execute(Command::CloseConference { conference: id }, &at(t))
        .unwrap();
    assert_eq!(receipt.undo, None, "closing is not undone");
    let closed = |e: DomainError| {
        assert_eq!(
            e,
            DomainError::Conference(ConferenceProblem::Closed { id }),
            "{e}"
        )
    };
    let edits = vec![
        Command::RecordDecision {
            conference: id,
            case: first,
            text: "늦은 결정".into(),
        },
        Command::OpenItem {
            conference: id,
            case: second,
        },
        Command::DeferItem {
            conference: id,
            case: second,
        },
        Command::UpdateConference {
            conference: id,
            change: ConferenceUpdate {
                title: Some("다른 제목".into()),
                ..ConferenceUpdate::default()
            },
        },
        Command::AddAction {
            case: first,
            title: "늦은 조치".into(),
            team: team("WEE"),
            due_on: (t + Duration::days(3)).date_naive(),
            person: None,
            conference: Some(id),
            sharing: Default::default(),
        },
        Command::UpdateCase {
            case: first,
            change: CaseUpdate {
                level: Some(Level::Watch),
                ..CaseUpdate::default()
            },
            conference: Some(id),
        },
        Command::PauseConference { conference: id },
        Command::ResumeConference { conference: id },
        Command::CloseConference { conference: id },
    ];
    let before = store.state().unwrap().conference(id).unwrap().clone();
    for cmd in edits {
        closed(refused(&mut store, cmd, t));
    }
    assert!(matches!(
        refused(&mut store, Command::StartConference { conference: id }, t),
        DomainError::Conference(ConferenceProblem::NotPlanned { .. })
    ));
    assert_eq!(store.state().unwrap().conference(id).unwrap(), &before);
    assert_eq!(
        store.state().unwrap().cases[&first].level,
        Level::High,
        "nothing reached the case"
    );
    drop(store);

    // On the command line: a correction is added beside the record, which stays as it was.
    let out = tmp.ok(&[
        "conference",
        "amend",
        &id.to_string(),
        "결정 1의 기한은 12월 4일이 맞음",
        "--case",
        &first.to_string(),
    ]);
    assert!(out.contains("correction"), "{out}");
    let shown = tmp.ok(&["conference", "show", &id.to_string()]);
    assert!(shown.contains("결정 1의 기한은 12월 4일이 맞음"), "{shown}");
    assert!(shown.contains(&format!("[{first}]")), "{shown}");
    let mut store = Store::open(&dir).unwrap();
    let after = store.state().unwrap().conference(id).unwrap().clone();
    assert_eq!(after.amendments.len(), 1);
    assert_eq!(strip_amendments(after), strip_amendments(before));
    drop(store);
    assert!(check(&dir).unwrap().ok());
}

fn strip_amendments(mut c: casedesk::domain::Conference) -> casedesk::domain::Conference {
    c.amendments.clear();
    c.touched_at = now();
    c
}

#[test]
fn an_amendment_needs_a_closed_conference_and_text() {
    let tmp = TempStore::new();
    let dir = tmp.dir();
    let (store, id, _, _) = running_store(&dir, now());
    drop(store);
    let err = tmp.fails(&["conference", "amend", &id.to_string(), "정정"]);
    assert!(err.contains("not closed"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let err = tmp.fails(&["conference", "amend", "99", "정정"]);
    assert!(err.contains("no conference 99"), "{err}");
}

fn store_with_cases() -> (TempStore, String, String) {
    let tmp = TempStore::initialised();
    let first = tmp
        .ok(&[
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
            "--co",
            "CPA",
            "--level",
            "high",
        ])
        .trim()
        .to_string();
    let second = tmp
        .ok(&[
            "case",
            "add",
            "--student",
            "김영희",
            "--school",
            "누리중학교",
            "--grade",
            "2",
            "--lead",
            "WELF",
        ])
        .trim()
        .to_string();
    (tmp, first, second)
}

#[test]
fn the_command_line_prepares_lists_and_shows_conferences() {
    let (tmp, first, second) = store_with_cases();
    let id = tmp.ok(&["conference", "new", "--date", "12-02", "--kind", "urgent"]);
    assert_eq!(id, "1\n", "prints only its number");
    let list = tmp.ok(&["conference", "list"]);
    assert!(list.contains("2026-12-02 (Wed)"), "{list}");
    assert!(list.contains("urgent"), "{list}");
    assert!(list.contains("planned"), "{list}");
    let shown = tmp.ok(&["conference", "show", "1"]);
    assert!(shown.contains(&first) && shown.contains(&second), "{shown}");
    assert!(shown.contains("high crisis, new intake"), "{shown}");
    assert!(
        shown.contains("홍*동") && !shown.contains("홍길동"),
        "{shown}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&tmp.ok(&["conference", "show", "1", "--json"])).unwrap();
    assert_eq!(json["state"], "planned");
    assert_eq!(json["kind"], "urgent");
    assert_eq!(json["agenda"][0]["case"], first.as_str());
    assert_eq!(
        json["agenda"][0]["reasons"],
        serde_json::json!(["high_crisis", "new_intake"])
    );
    assert_eq!(json["agenda"][0]["budget_minutes"], 10);
    assert_eq!(json["agenda"][0]["student"], "홍*동");
    assert_eq!(json["attendees"][0]["team"], "CPA");
    let unmasked = tmp.ok(&["conference", "show", "1", "--unmasked"]);
    assert!(unmasked.contains("홍길동"), "{unmasked}");

    for (args, says) in [
        (vec!["conference", "new", "--date", "someday"], "someday"),
        (vec!["conference", "show", "7"], "no conference 7"),
        (
            vec!["conference", "new", "--date", "2031-01-01"],
            "more than three years",
        ),
    ] {
        let err = tmp.fails(&args);
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let usage = tmp.run(&["conference", "minutes", "1", "--format", "pdf"]);
    assert_eq!(usage.code, Some(2));
}

/// Runs a conference on the store through the store itself (the screens have their own tests):
/// a decision and an action on the first case, then close.
fn hold_conference(tmp: &TempStore, first: &str) {
    let dir = tmp.dir();
    let mut store = Store::open(&dir).unwrap();
    let case: CaseNumber = first.parse().unwrap();
    let t = now();
    run(&mut store, Command::StartConference { conference: 1 }, t);
    run(
        &mut store,
        Command::RecordDecision {
            conference: 1,
            case,
            text: "보호자 상담을 진행한다".into(),
        },
        t + Duration::minutes(3),
    );
    for (title, owner) in [("가정방문", "WEE"), ("사례 공유", "CPA")] {
        run(
            &mut store,
            Command::AddAction {
                case,
                title: title.into(),
                team: team(owner),
                due_on: (t + Duration::days(4)).date_naive(),
                person: None,
                conference: Some(1),
                sharing: Default::default(),
            },
            t + Duration::minutes(5),
        );
    }
    run(
        &mut store,
        Command::CloseConference { conference: 1 },
        t + Duration::minutes(12),
    );
}

#[test]
fn minutes_mask_names_unless_asked_and_are_written_owner_only() {
    let (tmp, first, _) = store_with_cases();
    tmp.ok(&["conference", "new"]);
    hold_conference(&tmp, &first);
    let out = tmp.tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();

    let md = tmp.ok(&["conference", "minutes", "1", "--format", "md"]);
    let html = tmp.ok(&["conference", "minutes", "1", "--format", "html"]);
    // Markdown escapes the mask's star so that it shows as written.
    assert!(md.contains("홍\\*동"), "{md}");
    assert!(html.contains("홍*동"), "{html}");
    for text in [&md, &html] {
        assert!(
            !text.contains("홍길동") && !text.contains("김영희"),
            "{text}"
        );
        assert!(text.contains("가정방문") && text.contains("보호자 상담을 진행한다"));
    }
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("size: A4"));
    assert!(md.contains("## Actions by team"), "{md}");

    let journal = || std::fs::read_to_string(tmp.dir().join("journal.jsonl")).unwrap();
    assert!(
        !journal().contains("record_export"),
        "a masked export is not an event"
    );
    let unmasked = tmp.ok(&["conference", "minutes", "1", "--format", "md", "--unmasked"]);
    assert!(unmasked.contains("홍길동"), "{unmasked}");
    let trail = journal();
    let last = trail.lines().last().unwrap();
    assert!(
        last.contains("record_export") && last.contains("minutes #1"),
        "an unmasked export is recorded: {last}"
    );

    let file = out.join("minutes.html");
    let said = tmp.ok(&[
        "conference",
        "minutes",
        "1",
        "--format",
        "html",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(said.contains("minutes.html"));
    // The same minutes as printed (the unmasked export moved the journal's anchor on since).
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        tmp.ok(&["conference", "minutes", "1", "--format", "html"])
    );
    assert_ne!(std::fs::read_to_string(&file).unwrap(), html);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    let csv_dir = out.join("teams");
    let said = tmp.ok(&[
        "conference",
        "minutes",
        "1",
        "--format",
        "csv",
        "--out",
        csv_dir.to_str().unwrap(),
    ]);
    assert_eq!(said.lines().count(), 2, "one file per team: {said}");
    for team in ["CPA", "WEE"] {
        let path = csv_dir.join(format!("conference-1-{team}.csv"));
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "UTF-8 with BOM for Excel"
        );
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.contains("홍*동") && !text.contains("홍길동"), "{text}");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let wee = std::fs::read_to_string(csv_dir.join("conference-1-WEE.csv")).unwrap();
    assert!(
        wee.contains("가정방문") && !wee.contains("사례 공유"),
        "{wee}"
    );

    let err = tmp.fails(&[
        "conference",
        "minutes",
        "1",
        "--format",
        "md",
        "--out",
        "/nonexistent/dir/minutes.md",
    ]);
    assert!(err.contains("could not create"), "{err}");
}

mod clock {
    //! Any sequence of conference steps, at any pace: the time given to the items never exceeds
    //! the time the conference ran, an item's time never goes down, nothing panics, and once
    //! closed nothing changes it.
    use super::*;
    use casedesk::domain::State;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Step {
        Open(usize),
        Decide(usize),
        Defer(usize),
        Pause,
        Resume,
        Review(usize, i64),
        Reorder,
        Close,
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0usize..4).prop_map(Step::Open),
            (0usize..4).prop_map(Step::Decide),
            (0usize..4).prop_map(Step::Defer),
            Just(Step::Pause),
            Just(Step::Resume),
            ((0usize..4), (-3i64..30)).prop_map(|(i, d)| Step::Review(i, d)),
            Just(Step::Reorder),
            Just(Step::Close),
        ]
    }

    fn apply(state: &mut State, cmd: &Command, t: DateTime<FixedOffset>) -> bool {
        match state.execute(cmd, &at(t)) {
            Ok((_, changes)) => {
                state.commit(changes);
                true
            }
            Err(_) => false,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn time_is_never_invented_or_lost(
            steps in proptest::collection::vec((step(), 0i64..900), 1..40)
        ) {
            let start = now();
            let mut state = State::default();
            let mut t = start;
            apply(&mut state, &Command::InitStore {
                office: "테스트".into(),
                teams: default_teams(),
                demo: false,
            }, t);
            let mut cases = Vec::new();
            for name in ["가", "나", "다", "라"] {
                let cmd = Command::CreateCase { case: case(name, Level::Crisis) };
                let (out, changes) = state.execute(&cmd, &at(t)).unwrap();
                state.commit(changes);
                if let Outcome::Case { number } = out {
                    cases.push(number);
                }
            }
            let conference = state.prepare_conference(
                t.date_naive(), ConferenceKind::Regular, None, "조정자".into(), Lang::Ko, 120);
            prop_assert_eq!(conference.agenda.len(), 4);
            let create = Command::CreateConference { conference };
            prop_assert!(apply(&mut state, &create, t), "created");
            let start_it = Command::StartConference { conference: 1 };
            prop_assert!(apply(&mut state, &start_it, t), "started");
            let mut before = state.conferences[&1].clone();
            for (s, gap) in steps {
                t += Duration::seconds(gap);
                let conf = &state.conferences[&1];
                let case_at = |i: usize| conf.agenda[i % conf.agenda.len()].case;
                let cmd = match s {
                    Step::Open(i) => Command::OpenItem { conference: 1, case: case_at(i) },
                    Step::Decide(i) => Command::RecordDecision {
                        conference: 1, case: case_at(i), text: "결정".into() },
                    Step::Defer(i) => Command::DeferItem { conference: 1, case: case_at(i) },
                    Step::Pause => Command::PauseConference { conference: 1 },
                    Step::Resume => Command::ResumeConference { conference: 1 },
                    Step::Review(i, d) => Command::UpdateCase {
                        case: case_at(i),
                        change: CaseUpdate {
                            review_on: Some(Some((t + Duration::days(d)).date_naive())),
                            ..CaseUpdate::default()
                        },
                        conference: Some(1),
                    },
                    Step::Reorder => {
                        let mut agenda = casedesk::app::form::planned(conf);
                        agenda.reverse();
                        Command::UpdateConference {
                            conference: 1,
                            change: ConferenceUpdate { agenda: Some(agenda), ..Default::default() },
                        }
                    }
                    Step::Close => Command::CloseConference { conference: 1 },
                };
                let was_closed = before.state == ConferenceState::Closed;
                let done = apply(&mut state, &cmd, t);
                let after = state.conferences[&1].clone();
                if was_closed {
                    prop_assert!(!done, "{:?} changed a closed conference", cmd);
                    prop_assert_eq!(&after, &before);
                }
                for item in &after.agenda {
                    let old = before.item(item.case).map_or(0, |(_, i)| i.used_seconds);
                    prop_assert!(item.used_seconds >= old, "time went down on {}", item.case);
                }
                let ran = (t - start).num_seconds().max(0) as u64;
                prop_assert!(
                    after.total_seconds(t) <= ran,
                    "{} seconds given to items in {} seconds", after.total_seconds(t), ran
                );
                prop_assert!(after.current < after.agenda.len());
                before = after;
            }
            let _ = cases;
        }
    }
}

#[test]
fn a_case_on_an_agenda_cannot_be_unregistered_by_undo() {
    let tmp = TempStore::new();
    let dir = tmp.dir();
    let t = now();
    let mut store = init(&dir, t);
    let receipt = store
        .execute(
            Command::CreateCase {
                case: case("홍길동", Level::High),
            },
            &at(t),
        )
        .unwrap();
    let undo = receipt.undo.clone().unwrap();
    create(&mut store, t.date_naive(), t);
    let err = refused(&mut store, undo, t);
    assert!(matches!(err, DomainError::ChangedSince { .. }), "{err}");
    assert_eq!(store.state().unwrap().cases.len(), 1);
}

#[test]
fn minutes_mask_the_name_inside_free_text_and_guard_spreadsheet_cells() {
    let (tmp, first, _) = store_with_cases();
    tmp.ok(&["conference", "new"]);
    {
        let mut store = Store::open(&tmp.dir()).unwrap();
        let case: CaseNumber = first.parse().unwrap();
        run(
            &mut store,
            Command::StartConference { conference: 1 },
            now(),
        );
        run(
            &mut store,
            Command::RecordDecision {
                conference: 1,
                case,
                text: "길동이 보호자와 면담".into(),
            },
            now(),
        );
        run(
            &mut store,
            Command::AddAction {
                case,
                title: "=HYPERLINK(\"x\") 홍길동 가정방문".into(),
                team: team("WEE"),
                due_on: (now() + Duration::days(3)).date_naive(),
                person: None,
                conference: Some(1),
                sharing: Default::default(),
            },
            now(),
        );
        run(
            &mut store,
            Command::CloseConference { conference: 1 },
            now(),
        );
    }
    let md = tmp.ok(&["conference", "minutes", "#1", "--format", "md"]);
    assert!(!md.contains("길동이") && !md.contains("홍길동"), "{md}");
    assert!(md.contains("보호자와 면담"), "{md}");
    let shown = tmp.ok(&["conference", "show", "1"]);
    assert!(!shown.contains("길동"), "{shown}");
    let unmasked = tmp.ok(&["conference", "show", "1", "--unmasked"]);
    assert!(unmasked.contains("길동이 보호자와 면담"), "{unmasked}");
    let out = tmp.tmp.path().join("csv");
    tmp.ok(&[
        "conference",
        "minutes",
        "1",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    let csv = std::fs::read_to_string(out.join("conference-1-WEE.csv")).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "a formula stays text: {csv}");
    assert!(!csv.contains("홍길동"), "{csv}");
}

#[test]
fn the_month_counts_days_to_the_first_conference_held_in_casedesk() {
    let tmp = TempStore::new();
    let dir = tmp.dir();
    let t = now();
    let mut store = init(&dir, t - Duration::days(12));
    let early = add(
        &mut store,
        case("가", Level::Crisis),
        t - Duration::days(12),
    );
    let late = add(&mut store, case("나", Level::Crisis), t - Duration::days(4));
    let deferred = add(&mut store, case("다", Level::Crisis), t - Duration::days(2));
    let id = create(&mut store, t.date_naive(), t);
    run(&mut store, Command::StartConference { conference: id }, t);
    run(
        &mut store,
        Command::DeferItem {
            conference: id,
            case: deferred,
        },
        t,
    );
    run(&mut store, Command::CloseConference { conference: id }, t);
    let state = store.state().unwrap().clone();
    let actions = store.all_actions().unwrap();
    let stats = casedesk::domain::stats::month_stats(
        state.cases.values(),
        &actions,
        state.conferences.values(),
        t.date_naive(),
        t.date_naive(),
    );
    let to = stats.to_conference.unwrap();
    assert_eq!(to.cases, 2, "the deferred case was not discussed");
    assert_eq!(to.median, 8.0, "12 and 4 days");
    let _ = (early, late);
}
