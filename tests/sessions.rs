//! Recurring work: "weekly counselling, 8 sessions, Tuesdays" is one action with its sessions,
//! each marked held or missed; a missed or unrecorded past session makes it overdue; it finishes
//! once every session is recorded, or is ended early with a reason; undone like any change;
//! counted in the report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use casedesk::app::Screen;
use casedesk::domain::vocab::ActionStatus;
use casedesk::domain::{ActionId, CaseNumber, Command, TeamCode};
use casedesk::i18n::Lang;
use casedesk::keymap::Keymap;
use chrono::{Duration, NaiveDate};
use common::tui::Screens;
use common::{Run, TempStore, busy_store, ctx_after, new_case, now, office_store};

const CASE: CaseNumber = CaseNumber { year: 2026, seq: 1 };

fn at(day: &str) -> String {
    format!("2026-{day}T10:00:00+09:00")
}

fn on(store: &TempStore, day: &str, args: &[&str]) -> Run {
    store.run_env(args, &[("CASEDESK_NOW", &at(day))])
}

fn weekly_store() -> TempStore {
    let store = busy_store();
    let id = store.ok(&[
        "action",
        "add",
        "2026-0001",
        "--title",
        "주 1회 개별 상담",
        "--team",
        "WEE",
        "--due",
        "today",
        "--sessions",
        "8",
        "--every",
        "화",
    ]);
    assert_eq!(id, "2026-0001/3\n");
    store
}

fn json_of(store: &TempStore, day: &str) -> serde_json::Value {
    let run = on(store, day, &["action", "list", "--all", "--json"]);
    let all: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "2026-0001/3")
        .cloned()
        .unwrap()
}

#[test]
fn weekly_sessions_are_one_action_due_on_the_next_session_not_held() {
    let store = weekly_store();
    let a = json_of(&store, "11-28");
    assert_eq!(
        a["due"], "2026-12-01",
        "the first Tuesday on or after today"
    );
    // A session cannot be marked before its day.
    let early = on(
        &store,
        "11-30",
        &["action", "session", "2026-0001/3", "1", "held"],
    );
    assert!(
        !early.success() && early.stderr.contains("2026-12-01"),
        "{}",
        early.stderr
    );
    // Held: due moves to the next session.
    let held = on(
        &store,
        "12-01",
        &["action", "session", "2026-0001/3", "1", "held"],
    );
    assert!(held.success(), "{}", held.stderr);
    assert_eq!(json_of(&store, "12-01")["due"], "2026-12-08");
    // Unrecorded past the day: overdue like any action.
    assert_eq!(json_of(&store, "12-09")["overdue"], true);
    // Missed: still overdue (until made up, or the action ends).
    on(
        &store,
        "12-09",
        &["action", "session", "2026-0001/3", "2", "missed"],
    );
    let a = json_of(&store, "12-10");
    assert_eq!(a["overdue"], true);
    assert_eq!(a["due"], "2026-12-08");
    // Made up: held after all.
    on(
        &store,
        "12-10",
        &["action", "session", "2026-0001/3", "2", "결석"],
    );
    let run = on(
        &store,
        "12-10",
        &["action", "session", "2026-0001/3", "2", "진행"],
    );
    assert!(run.success(), "{}", run.stderr);
    assert_eq!(json_of(&store, "12-10")["due"], "2026-12-15");
    let list = on(&store, "12-10", &["--lang", "ko", "action", "list"]);
    assert!(
        list.stdout.contains("↳ 회기 2/8 진행 · 다음 12-15"),
        "{}",
        list.stdout
    );
    // Wrong numbers and words are refused in one line.
    let run = on(
        &store,
        "12-10",
        &["action", "session", "2026-0001/3", "9", "held"],
    );
    assert!(
        !run.success() && run.stderr.contains("1 to 8"),
        "{}",
        run.stderr
    );
    let run = on(
        &store,
        "12-10",
        &["action", "session", "2026-0001/1", "1", "held"],
    );
    assert!(
        !run.success() && run.stderr.contains("no sessions"),
        "{}",
        run.stderr
    );
    let run = on(
        &store,
        "12-10",
        &["action", "session", "2026-0001/3", "3", "maybe"],
    );
    assert!(
        !run.success() && run.stderr.contains("held or missed"),
        "{}",
        run.stderr
    );
}

#[test]
fn it_finishes_when_every_session_is_recorded_or_ends_early_with_a_reason() {
    let store = busy_store();
    store.ok(&[
        "action",
        "add",
        "2026-0001",
        "--title",
        "집단 상담",
        "--team",
        "WEE",
        "--due",
        "12/1",
        "--sessions",
        "2",
    ]);
    on(
        &store,
        "12-01",
        &["action", "session", "2026-0001/3", "1", "held"],
    );
    on(
        &store,
        "12-08",
        &["action", "session", "2026-0001/3", "2", "missed"],
    );
    let a = json_of(&store, "12-08");
    assert_eq!(a["status"], "done");
    assert_eq!(a["closed_by"], "tester");
    // Ended early: the reason is kept.
    let store = weekly_store();
    on(
        &store,
        "12-01",
        &["action", "session", "2026-0001/3", "1", "held"],
    );
    let run = on(
        &store,
        "12-02",
        &["action", "drop", "2026-0001/3", "--reason", "전학으로 종료"],
    );
    assert!(run.success(), "{}", run.stderr);
    let a = json_of(&store, "12-02");
    assert_eq!(a["status"], "dropped");
    assert_eq!(a["result"], "전학으로 종료");
    let show = on(
        &store,
        "12-02",
        &["--lang", "ko", "case", "show", "2026-0001"],
    );
    assert!(
        show.stdout
            .contains("↳ 회기 1/8 진행 · 다음 12-08 · 사유: 전학으로 종료"),
        "{}",
        show.stdout
    );
}

#[test]
fn sessions_are_counted_in_the_report_and_the_export() {
    let store = weekly_store();
    on(
        &store,
        "12-01",
        &["action", "session", "2026-0001/3", "1", "held"],
    );
    on(
        &store,
        "12-08",
        &["action", "session", "2026-0001/3", "2", "missed"],
    );
    let run = on(
        &store,
        "12-10",
        &["report", "--month", "2026-12", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["sessions"]["held"], 1);
    assert_eq!(json["sessions"]["missed"], 1);
    assert_eq!(
        json["sessions"]["unrecorded"], 0,
        "12-15 is after the count day"
    );
    let csv = on(
        &store,
        "12-10",
        &["report", "--month", "2026-12", "--format", "csv"],
    );
    assert!(
        csv.stdout.contains("sessions in the month,held,1"),
        "{}",
        csv.stdout
    );
    let export = on(&store, "12-10", &["export", "actions"]);
    assert!(export.stdout.contains(",8,1,1"), "{}", export.stdout);
}

/// Case 2026-0001 (led by WEE) with weekly counselling from Tuesday 11-17, four sessions: the
/// first held; today (Saturday 11-28) the second (11-24) is past and unrecorded.
fn screens_store() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let early = ctx_after(-12);
    let mut store = office_store(&tmp, &early);
    store
        .execute(
            Command::CreateCase {
                case: new_case("홍길동", "WEE", &[]),
            },
            &early,
        )
        .unwrap();
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    store
        .execute(
            Command::AddRecurringAction {
                case: CASE,
                title: "주 1회 개별 상담".into(),
                team: TeamCode::new("WEE").unwrap(),
                sessions: vec![
                    day(17),
                    day(24),
                    day(17) + Duration::weeks(2),
                    day(17) + Duration::weeks(3),
                ],
                person: Some("한상담".into()),
                conference: None,
                sharing: Default::default(),
            },
            &early,
        )
        .unwrap();
    store
        .execute(
            Command::MarkSession {
                action: ActionId { case: CASE, n: 1 },
                session: 1,
                held: true,
            },
            &ctx_after(-11),
        )
        .unwrap();
    drop(store);
    tmp
}

#[test]
fn the_screens_show_the_sessions_and_a_key_marks_one() {
    let id = ActionId { case: CASE, n: 1 };
    for lang in [Lang::Ko, Lang::En] {
        let mut s = Screens::open(
            screens_store(),
            lang,
            Keymap::shipped("default").unwrap(),
            now(),
        );
        s.keys("1<Enter>");
        assert_eq!(s.app().screen, Screen::Case);
        let tag = match lang {
            Lang::Ko => "ko",
            Lang::En => "en",
        };
        let wide = s.screen(100, 30);
        let line = match lang {
            Lang::Ko => "↳ 회기 1/4 진행 · 다음 11-24",
            Lang::En => "↳ sessions 1/4 held · next 11-24",
        };
        assert!(wide.contains(line), "{wide}");
        assert!(
            wide.contains('!'),
            "the unrecorded session makes it overdue: {wide}"
        );
        insta::assert_snapshot!(format!("sessions_case_{tag}_100x30"), wide);
        insta::assert_snapshot!(format!("sessions_case_{tag}_80x24"), s.screen(80, 24));
        // `v` (ㅍ in Hangul mode) offers the past session not held, marked held.
        s.keys(if lang == Lang::Ko { "ㅍ" } else { "v" });
        let form = s.screen(100, 30);
        assert!(form.contains("✓···"), "{form}");
        insta::assert_snapshot!(format!("sessions_form_{tag}_100x30"), form);
        s.keys("<C-s>");
        let a = &s.state().actions[&id];
        assert!(a.sessions[1].mark.as_ref().unwrap().held);
        assert_eq!(a.due_on, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert!(!a.is_overdue(now().date_naive()));
        // And undo puts it back.
        s.keys("uy");
        assert!(s.state().actions[&id].sessions[1].mark.is_none());
    }
    // The function-key keymap: Shift-F8, marked missed.
    let mut s = Screens::open(
        screens_store(),
        Lang::En,
        Keymap::shipped("fkeys").unwrap(),
        now(),
    );
    s.keys("<M-1><Enter><S-F8><Tab>missed<C-s>");
    let a = &s.state().actions[&id];
    assert!(!a.sessions[1].mark.as_ref().unwrap().held);
    assert_eq!(a.status, ActionStatus::Open);
}

#[test]
fn weekly_days_start_on_the_first_matching_day() {
    use casedesk::domain::dates::{parse_weekday, weekly};
    let tue = parse_weekday("화요일").unwrap();
    assert_eq!(parse_weekday("tue"), Some(tue));
    let sat = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let days = weekly(sat, tue, 3);
    assert_eq!(
        days,
        ["2026-12-01", "2026-12-08", "2026-12-15"].map(|d| d.parse::<NaiveDate>().unwrap())
    );
    assert_eq!(
        weekly(days[0], tue, 1),
        vec![days[0]],
        "a Tuesday starts on itself"
    );
}
