//! `casedesk report`: the month's figures checked against a small store computed by hand, in
//! text, CSV and JSON.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use casedesk::domain::model::default_teams;
use casedesk::domain::vocab::{DifficultyDomain, Level, Stage};
use casedesk::domain::{ActionId, CaseNumber, CaseUpdate, Command, Ctx, Outcome, TeamCode};
use casedesk::store::Store;
use chrono::{DateTime, FixedOffset};
use common::{TempStore, new_case, run_in};

fn on(date: &str) -> Ctx {
    let at: DateTime<FixedOffset> =
        DateTime::parse_from_rfc3339(&format!("{date}T10:00:00+09:00")).unwrap();
    Ctx {
        at,
        user: "tester".into(),
    }
}

fn day(date: &str) -> chrono::NaiveDate {
    on(date).today()
}

fn team(code: &str) -> TeamCode {
    TeamCode::new(code).unwrap()
}

/// The store whose November 2026 is worked out by hand in the test below.
fn hand_store() -> TempStore {
    let tmp = TempStore::new();
    let mut store = Store::open_or_create(&tmp.dir()).unwrap();
    let mut run = |cmd: Command, at: &str| store.execute(cmd, &on(at)).unwrap().outcome;
    run(
        Command::InitStore {
            office: "테스트".into(),
            teams: default_teams(),
            demo: false,
        },
        "2026-10-01",
    );
    let mut create =
        |name: &str, lead: &str, level: Level, domains: Vec<DifficultyDomain>, at: &str| {
            let mut case = new_case(name, lead, &[]);
            case.level = Some(level);
            case.domains = domains;
            match run(Command::CreateCase { case }, at) {
                Outcome::Case { number } => number,
                other => panic!("{other:?}"),
            }
        };
    // A: October, caution, emotional, WEE. B: 2 Nov, crisis, learning + care, WELF.
    // C: 3 Nov, watch, no domain, WEE. D: 1 Dec.
    let a = create(
        "가학생",
        "WEE",
        Level::Caution,
        vec![DifficultyDomain::Emotional],
        "2026-10-20",
    );
    let b = create(
        "나학생",
        "WELF",
        Level::Crisis,
        vec![DifficultyDomain::Learning, DifficultyDomain::Care],
        "2026-11-02",
    );
    let c = create("다학생", "WEE", Level::Watch, Vec::new(), "2026-11-03");
    let mut run = |cmd: Command, at: &str| store.execute(cmd, &on(at)).unwrap().outcome;
    let stage = |case: CaseNumber, s: Stage| Command::UpdateCase {
        case,
        change: CaseUpdate {
            stage: Some(s),
            ..CaseUpdate::default()
        },
        conference: None,
    };
    run(stage(a, Stage::Assessment), "2026-11-05");
    run(stage(a, Stage::Conference), "2026-11-06"); // 17 days after intake
    run(stage(b, Stage::Assessment), "2026-11-10");
    run(stage(b, Stage::Conference), "2026-11-12"); // 10 days after intake
    run(
        Command::UpdateCase {
            case: c,
            change: CaseUpdate {
                level: Some(Level::High),
                ..CaseUpdate::default()
            },
            conference: None,
        },
        "2026-11-09",
    );
    run(
        Command::CloseCase {
            case: c,
            reason: "전학".into(),
            drop_open: false,
        },
        "2026-11-20",
    );
    let add = |case: CaseNumber, owner: &str, due: &str| Command::AddAction {
        case,
        title: "조치".into(),
        team: team(owner),
        due_on: day(due),
        person: None,
        conference: None,
        sharing: Default::default(),
    };
    let id = |case: CaseNumber, n: u32| ActionId { case, n };
    run(add(a, "WEE", "2026-11-10"), "2026-11-02"); // A/1: done 9 Nov, on time
    run(add(a, "CPA", "2026-11-15"), "2026-11-02"); // A/2: done 18 Nov, late
    run(add(b, "WELF", "2026-11-20"), "2026-11-02"); // B/1: open, overdue
    run(add(b, "WELF", "2026-11-25"), "2026-11-02"); // B/2: dropped 21 Nov
    run(add(b, "WELF", "2026-12-10"), "2026-11-02"); // B/3: due in December
    run(add(a, "MHC", "2026-11-13"), "2026-11-12"); // A/3: done 2 Dec, late and overdue at 30 Nov
    let done = |action: ActionId| Command::CompleteAction { action, note: None };
    run(done(id(a, 1)), "2026-11-09");
    run(done(id(a, 2)), "2026-11-18");
    run(
        Command::DropAction {
            action: id(b, 2),
            reason: "불필요".into(),
        },
        "2026-11-21",
    );
    run(done(id(a, 3)), "2026-12-02");
    let mut d = new_case("라학생", "SPED", &[]);
    d.domains = vec![DifficultyDomain::Economic];
    run(Command::CreateCase { case: d }, "2026-12-01");
    drop(store);
    tmp
}

fn report(store: &TempStore, now: &str, args: &[&str]) -> String {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    let run = run_in(&store.dir(), &all, &[("CASEDESK_NOW", now)]);
    assert!(run.success(), "{}", run.stderr);
    run.stdout
}

#[test]
fn november_matches_the_hand_count() {
    let store = hand_store();
    let json: serde_json::Value = serde_json::from_str(&report(
        &store,
        "2026-12-05T09:00:00+09:00",
        &["--month", "2026-11", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(json["as_of"], "2026-11-30");
    let opened = &json["opened"];
    assert_eq!(opened["total"], 2);
    assert_eq!(
        opened["by_domain"],
        serde_json::json!([
            ["learning", 1],
            ["emotional", 0],
            ["care", 1],
            ["economic", 0],
            [null, 1]
        ])
    );
    assert_eq!(
        opened["by_team"],
        serde_json::json!([["WEE", 1], ["WELF", 1]])
    );
    assert_eq!(json["closed"]["total"], 1);
    assert_eq!(json["closed"]["by_team"], serde_json::json!([["WEE", 1]]));
    assert_eq!(
        json["open_by_level"],
        serde_json::json!([["watch", 0], ["caution", 1], ["crisis", 1], ["high", 0]])
    );
    assert_eq!(
        json["actions"],
        serde_json::json!({"due": 4, "done_on_time": 1, "done_late": 2, "not_done": 1, "dropped": 1})
    );
    assert_eq!(
        json["overdue_by_team"],
        serde_json::json!([["MHC", 1], ["WELF", 1]])
    );
    assert_eq!(
        json["to_conference"],
        serde_json::json!({"cases": 2, "median": 13.5})
    );

    let text = report(&store, "2026-12-05T09:00:00+09:00", &["--month", "2026-11"]);
    for line in [
        "statistics for 2026-11 (states as of 2026-11-30)",
        "  on-time rate         25.0%",
        "  median days           13.5",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    let csv = report(
        &store,
        "2026-12-05T09:00:00+09:00",
        &["--month", "2026-11", "--format", "csv"],
    );
    assert!(csv.starts_with("\u{feff}section,item,value\n"), "{csv}");
    assert!(csv.contains("opened · by domain,learning,1\n"), "{csv}");
    assert!(
        csv.contains("actions due in the month,on-time rate,25.0%\n"),
        "{csv}"
    );
    let ko = run_in(
        &store.dir(),
        &["--lang", "ko", "report", "--month", "2026-11"],
        &[("CASEDESK_NOW", "2026-12-05T09:00:00+09:00")],
    )
    .stdout;
    assert!(ko.contains("2026-11 월간 통계 (기준일 2026-11-30)"), "{ko}");
    assert!(ko.contains("기한 내 완료율"), "{ko}");
}

#[test]
fn a_running_month_is_counted_up_to_today() {
    let store = hand_store();
    // Counted as at 16 November: actions due 1–16 November (A/1, A/3, A/2; each judged by how it
    // ended), C still open at 고위기 (it closed on the 20th), A/2 and A/3 overdue on the 16th.
    let json: serde_json::Value = serde_json::from_str(&report(
        &store,
        "2026-11-16T09:00:00+09:00",
        &["--month", "2026-11", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(json["as_of"], "2026-11-16");
    assert_eq!(
        json["actions"],
        serde_json::json!({"due": 3, "done_on_time": 1, "done_late": 2, "not_done": 0, "dropped": 0})
    );
    assert_eq!(
        json["open_by_level"],
        serde_json::json!([["watch", 0], ["caution", 1], ["crisis", 1], ["high", 1]])
    );
    assert_eq!(
        json["overdue_by_team"],
        serde_json::json!([["CPA", 1], ["MHC", 1]])
    );
}

#[test]
fn a_bad_month_is_a_clear_error() {
    let store = hand_store();
    let run = run_in(&store.dir(), &["report", "--month", "11/2026"], &[]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("'11/2026' is not a month: write --month 2026-11"),
        "{}",
        run.stderr
    );
}
