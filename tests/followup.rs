//! Results come back: an action's result, its date and who recorded it, and progress recorded
//! on an open action, shown on the command line, on the case and By-team screens, on the
//! conference's run screen (what finished since the case was last discussed) and in the
//! minutes; undone like any change; masked for viewers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use casedesk::app::Screen;
use casedesk::domain::access::Access;
use casedesk::domain::command::{NewConference, PlannedItem};
use casedesk::domain::model::{AgendaReason, User};
use casedesk::domain::vocab::{ActionStatus, ConferenceKind, Role};
use casedesk::domain::{ActionId, CaseNumber, Command, Ctx, TeamCode};
use casedesk::i18n::Lang;
use casedesk::keymap::Keymap;
use casedesk::store::Store;
use chrono::NaiveDate;
use common::tui::Screens;
use common::{busy_store, ctx_after, new_case, now, office_store};

const CASE: CaseNumber = CaseNumber { year: 2026, seq: 1 };

fn team(code: &str) -> TeamCode {
    TeamCode::new(code).unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn add_action(title: &str, owner: &str, due: &str) -> Command {
    Command::AddAction {
        case: CASE,
        title: title.into(),
        team: team(owner),
        due_on: day(due),
        person: None,
        conference: None,
        // Journaled as before consent was checked: these tests are about what comes back.
        sharing: Default::default(),
    }
}

fn conference_on(date: &str) -> Command {
    Command::CreateConference {
        conference: NewConference {
            date: day(date),
            title: format!("{date} 정기"),
            kind: ConferenceKind::Regular,
            facilitator: "tester".into(),
            agenda: vec![PlannedItem {
                case: CASE,
                reasons: vec![AgendaReason::ReviewDue],
                budget_minutes: 10,
            }],
            attendees: Vec::new(),
            length_minutes: 120,
            place: None,
            time: None,
        },
    }
}

fn as_user(days: i64, user: &str) -> Ctx {
    Ctx {
        user: user.into(),
        ..ctx_after(days)
    }
}

/// A store with case 2026-0001 (홍길동, led by WEE, CPA cooperating): an action done before
/// conference #1 (11-20) discussed it, one done after it with a result, one open with progress;
/// conference #2 (today, 11-28) running with the case up.
fn followed_store() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let early = ctx_after(-10);
    let mut store = office_store(&tmp, &early);
    let mut case = new_case("홍길동", "WEE", &["CPA"]);
    case.review_on = Some(day("2026-11-20"));
    store.execute(Command::CreateCase { case }, &early).unwrap();
    for cmd in [
        add_action("초기 면담", "WEE", "2026-11-19"),
        add_action("보호자 동의서 받기", "WELF", "2026-11-25"),
        add_action("개별 상담 주 1회", "WEE", "2026-12-04"),
    ] {
        store.execute(cmd, &early).unwrap();
    }
    let first = ActionId { case: CASE, n: 1 };
    let second = ActionId { case: CASE, n: 2 };
    let third = ActionId { case: CASE, n: 3 };
    store
        .execute(
            Command::CompleteAction {
                action: first,
                note: Some("면담 완료".into()),
            },
            &as_user(-9, "wee.han"),
        )
        .unwrap();
    let at = ctx_after(-8);
    store.execute(conference_on("2026-11-20"), &at).unwrap();
    for cmd in [
        Command::StartConference { conference: 1 },
        Command::RecordDecision {
            conference: 1,
            case: CASE,
            text: "보호자 동의를 먼저 받는다".into(),
        },
        Command::CloseConference { conference: 1 },
    ] {
        store.execute(cmd, &at).unwrap();
    }
    store
        .execute(
            Command::CompleteAction {
                action: second,
                note: Some("보호자 동의서 수령".into()),
            },
            &as_user(-6, "welf.choi"),
        )
        .unwrap();
    store
        .execute(
            Command::NoteAction {
                action: third,
                text: "1회기 진행, 홍길동 학생 참여 양호".into(),
            },
            &as_user(-4, "wee.han"),
        )
        .unwrap();
    store
        .execute(conference_on("2026-11-28"), &ctx_after(0))
        .unwrap();
    store
        .execute(Command::StartConference { conference: 2 }, &ctx_after(0))
        .unwrap();
    drop(store);
    tmp
}

fn screens(lang: Lang) -> Screens {
    Screens::open(
        followed_store(),
        lang,
        Keymap::shipped("default").unwrap(),
        now(),
    )
}

// ---- the command line ----

#[test]
fn progress_is_recorded_without_closing_and_shown_under_the_action() {
    let store = busy_store();
    let out = store.ok(&["action", "note", "2026-0001/1", "1회기 진행"]);
    assert_eq!(out, "2026-0001/1 progress noted\n");
    store.ok(&["action", "note", "2026-0001/1", "2회기 진행"]);
    let show = store.ok(&["case", "show", "2026-0001"]);
    assert!(
        show.contains("↳ progress 11-28 tester: 2회기 진행"),
        "the latest progress, with who recorded it: {show}"
    );
    assert!(!show.contains("1회기"), "only the latest: {show}");
    let list = store.ok(&["action", "list"]);
    assert!(
        list.contains("↳ progress 11-28 tester: 2회기 진행"),
        "{list}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&store.ok(&["action", "list", "--json"])).unwrap();
    let first = &json[0];
    assert_eq!(first["status"], "open", "progress keeps it open");
    assert_eq!(first["progress"].as_array().unwrap().len(), 2);
    assert_eq!(first["progress"][1]["by"], "tester");
    assert_eq!(first["progress"][1]["text"], "2회기 진행");
}

#[test]
fn the_result_of_an_action_shows_with_its_date_and_who_recorded_it() {
    let store = busy_store();
    store.ok(&[
        "action",
        "done",
        "2026-0001/1",
        "--note",
        "보호자 동의서 수령",
    ]);
    store.ok(&["action", "drop", "2026-0001/2", "--reason", "보호자 거부"]);
    let show = store.ok(&["--lang", "ko", "case", "show", "2026-0001"]);
    assert!(show.contains("완료 2026-11-28 · tester"), "{show}");
    assert!(show.contains("↳ 결과: 보호자 동의서 수령"), "{show}");
    assert!(show.contains("↳ 사유: 보호자 거부"), "{show}");
}

#[test]
fn progress_on_a_finished_or_unknown_action_or_without_text_is_refused() {
    let store = busy_store();
    store.ok(&["action", "done", "2026-0001/1"]);
    let err = store.fails(&["action", "note", "2026-0001/1", "늦은 경과"]);
    assert!(err.contains("2026-0001/1"), "{err}");
    let err = store.fails(&["action", "note", "2026-0001/9", "경과"]);
    assert!(err.contains("2026-0001/9"), "{err}");
    let err = store.fails(&["action", "note", "2026-0001/2", "   "]);
    assert!(err.to_lowercase().contains("progress"), "{err}");
    let json: serde_json::Value =
        serde_json::from_str(&store.ok(&["action", "list", "--json", "--all"])).unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .all(|a| a["progress"].as_array().unwrap().is_empty()),
        "nothing was recorded: {json}"
    );
}

#[test]
fn exports_carry_who_finished_an_action_and_its_latest_progress() {
    let store = busy_store();
    store.ok(&["action", "note", "2026-0001/2", "기관 회신 대기"]);
    store.ok(&["action", "done", "2026-0001/1", "--note", "상담 완료"]);
    let csv = store.ok(&["export", "actions"]);
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains("closed by,latest progress,latest progress on"),
        "{header}"
    );
    assert!(csv.contains("tester,,"), "{csv}");
    assert!(csv.contains(",기관 회신 대기,2026-11-28"), "{csv}");
}

// ---- rules, undo, roles, masking ----

#[test]
fn progress_is_undone_like_any_change() {
    let tmp = followed_store();
    let mut store = Store::open(&tmp.path().join("store")).unwrap();
    let id = ActionId { case: CASE, n: 3 };
    let receipt = store
        .execute(
            Command::NoteAction {
                action: id,
                text: "2회기 진행".into(),
            },
            &ctx_after(0),
        )
        .unwrap();
    assert_eq!(store.state().unwrap().actions[&id].progress.len(), 2);
    store.execute(receipt.undo.unwrap(), &ctx_after(0)).unwrap();
    let action = &store.state().unwrap().actions[&id];
    assert_eq!(action.progress.len(), 1);
    assert_eq!(action.progress[0].text, "1회기 진행, 홍길동 학생 참여 양호");
}

#[test]
fn only_those_who_may_change_the_case_record_progress_and_viewers_see_it_masked() {
    let tmp = followed_store();
    let mut store = Store::open(&tmp.path().join("store")).unwrap();
    let state = store.state().unwrap().clone();
    let cmd = Command::NoteAction {
        action: ActionId { case: CASE, n: 3 },
        text: "경과".into(),
    };
    let member = |teams: &[&str]| {
        Access::of(&User {
            account: "m".into(),
            role: Role::Member,
            teams: teams.iter().map(|t| team(t)).collect(),
            name: None,
        })
    };
    assert!(member(&["WEE"]).authorize(&state, &cmd).is_ok());
    assert!(member(&["SPED"]).authorize(&state, &cmd).is_err());
    let viewer = Access::of(&User {
        account: "v".into(),
        role: Role::Viewer,
        teams: Vec::new(),
        name: None,
    });
    assert!(viewer.authorize(&state, &cmd).is_err());
    let case = &state.cases[&CASE];
    let shown = viewer.action(case, &state.actions[&ActionId { case: CASE, n: 3 }]);
    assert!(
        !shown.progress[0].text.contains("홍길동"),
        "{:?}",
        shown.progress
    );
}

// ---- the screens ----

#[test]
fn the_case_screen_shows_results_and_progress_under_the_actions() {
    for lang in [Lang::Ko, Lang::En] {
        let mut s = screens(lang);
        s.keys("1<Enter>");
        assert_eq!(s.app().screen, Screen::Case);
        let tag = match lang {
            Lang::Ko => "ko",
            Lang::En => "en",
        };
        let wide = s.screen(100, 30);
        let (result, progress) = match lang {
            Lang::Ko => ("↳ 결과: 보호자 동의서 수령", "↳ 경과 11-24 wee.han"),
            Lang::En => ("↳ result: 보호자 동의서 수령", "↳ progress 11-24 wee.han"),
        };
        assert!(wide.contains(result), "{wide}");
        assert!(wide.contains(progress), "{wide}");
        assert!(wide.contains("welf.choi"), "who finished it: {wide}");
        insta::assert_snapshot!(format!("case_results_{tag}_100x30"), wide);
        insta::assert_snapshot!(format!("case_results_{tag}_80x24"), s.screen(80, 24));
    }
}

#[test]
fn a_key_on_an_action_records_progress_in_both_keymaps_and_in_hangul_mode() {
    let third = ActionId { case: CASE, n: 3 };
    // The default keymap: `w` on the selected (open) action, and its Hangul twin `ㅈ`.
    let mut s = screens(Lang::Ko);
    s.keys("1<Enter>jj");
    s.keys("w");
    let form = s.screen(100, 30);
    assert!(form.contains("경과 기록 2026-0001/3"), "{form}");
    s.keys("2회기 진행<Enter>");
    let action = &s.state().actions[&third];
    assert_eq!(action.progress.last().unwrap().text, "2회기 진행");
    assert_eq!(action.progress.last().unwrap().by, "tester");
    assert_eq!(action.status, ActionStatus::Open);
    s.keys("ㅈ3회기 진행<Enter>");
    assert_eq!(s.state().actions[&third].progress.len(), 3);
    // On a finished action it says so and opens nothing.
    s.keys("k");
    s.keys("w");
    assert!(s.app().form.is_none());
    // The function-key keymap: Shift-F6.
    let mut s = Screens::open(
        followed_store(),
        Lang::En,
        Keymap::shipped("fkeys").unwrap(),
        now(),
    );
    s.keys("<M-1><Enter><Down><Down><S-F6>");
    assert!(s.app().form.is_some(), "{}", s.screen(100, 30));
    s.keys("second session<C-s>");
    assert_eq!(
        s.state().actions[&third].progress.last().unwrap().text,
        "second session"
    );
}

#[test]
fn the_by_team_screen_shows_what_each_team_finished_lately() {
    for lang in [Lang::Ko, Lang::En] {
        let mut s = screens(lang);
        s.keys("2");
        assert_eq!(s.app().screen, Screen::ByTeam);
        let wide = s.screen(100, 30);
        let heading = match lang {
            Lang::Ko => "최근 14일 완료·취소 1건",
            Lang::En => "finished in the last 14 days: 1",
        };
        assert!(wide.contains(heading), "{wide}");
        assert!(wide.contains("보호자 동의서 수령"), "WELF's result: {wide}");
        assert!(wide.contains("면담 완료"), "WEE's result: {wide}");
        let tag = match lang {
            Lang::Ko => "ko",
            Lang::En => "en",
        };
        insta::assert_snapshot!(format!("by_team_recent_{tag}_100x30"), wide);
        insta::assert_snapshot!(format!("by_team_recent_{tag}_80x24"), s.screen(80, 24));
    }
}

#[test]
fn the_run_screen_shows_what_finished_since_the_case_was_last_discussed() {
    for lang in [Lang::Ko, Lang::En] {
        let mut s = screens(lang);
        s.keys("C");
        assert_eq!(s.app().screen, Screen::Conference);
        let wide = s.screen(100, 30);
        let heading = match lang {
            Lang::Ko => "지난 회의(11-20 금) 이후 완료·취소 1건",
            Lang::En => "Since the last conference (11-20 Fri): 1 finished",
        };
        assert!(wide.contains(heading), "{wide}");
        assert!(wide.contains("보호자 동의서 수령"), "{wide}");
        assert!(
            !wide.contains("면담 완료"),
            "done before the last conference: {wide}"
        );
        let tag = match lang {
            Lang::Ko => "ko",
            Lang::En => "en",
        };
        insta::assert_snapshot!(format!("run_since_last_{tag}_100x30"), wide);
        insta::assert_snapshot!(format!("run_since_last_{tag}_80x24"), s.screen(80, 24));
    }
}

#[test]
fn the_minutes_have_a_since_the_last_conference_section_per_case() {
    let tmp = followed_store();
    let dir = tmp.path().join("store");
    let run = common::run_in(
        &dir,
        &[
            "--lang",
            "ko",
            "conference",
            "minutes",
            "2",
            "--format",
            "md",
        ],
        &[],
    );
    assert!(run.success(), "{}", run.stderr);
    let md = run.stdout;
    let start = md.find("### 지난 회의 이후").unwrap();
    let rest = &md[start + 1..];
    let end = [rest.find("\n### "), rest.find("\n## ")]
        .into_iter()
        .flatten()
        .min()
        .map_or(md.len(), |e| start + 1 + e);
    let section = &md[start..end];
    assert!(section.contains("보호자 동의서 수령"), "{section}");
    assert!(section.contains("welf.choi"), "{section}");
    assert!(!section.contains("면담 완료"), "{section}");
    insta::assert_snapshot!("minutes_since_last_ko_md", section);
    let run = common::run_in(
        &dir,
        &["conference", "minutes", "2", "--format", "html"],
        &[],
    );
    assert!(run.success(), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("<h3>Since the last conference (2026-11-20)</h3>"),
        "{}",
        run.stdout
    );
}

/// The recently finished actions (By team) are kept between changes rather than read whole each
/// time: after every kind of change they are what a fresh read of every action gives.
#[test]
fn recently_finished_actions_follow_every_change() {
    use casedesk::backend::{Backend, Embedded};
    let store = common::TempStore::initialised();
    let first = common::add_student(&store, "홍길동", "2016-04-01", &[]);
    let second = common::add_student(&store, "김철수", "2015-03-02", &[]);
    for case in [&first, &first, &second] {
        store.ok(&[
            "action", "add", case, "--title", "상담", "--team", "WEE", "--due", "+3d",
        ]);
    }
    let mut b = Embedded::new(
        casedesk::store::Store::open(&store.dir()).unwrap(),
        "tester",
        Some("tester"),
    )
    .unwrap();
    let since = common::now().date_naive();
    let fresh = |b: &mut Embedded| -> Vec<String> {
        let mut ids: Vec<String> = b
            .all_actions()
            .unwrap()
            .into_iter()
            .filter(|a| !a.is_open() && a.closed_on.is_some_and(|d| d >= since))
            .map(|a| a.id.to_string())
            .collect();
        ids.sort();
        ids
    };
    let kept = |b: &mut Embedded| -> Vec<String> {
        let mut ids: Vec<String> = b
            .finished_since(since)
            .unwrap()
            .into_iter()
            .map(|a| a.id.to_string())
            .collect();
        ids.sort();
        ids
    };
    assert!(kept(&mut b).is_empty());
    let id = |case: &str, n: u32| casedesk::domain::ActionId {
        case: case.parse().unwrap(),
        n,
    };
    let mut undo = None;
    let steps = vec![
        Command::CompleteAction {
            action: id(&first, 1),
            note: Some("완료".into()),
        },
        Command::DropAction {
            action: id(&second, 1),
            reason: "불필요".into(),
        },
        Command::MergeCases {
            keep: first.parse().unwrap(),
            other: second.parse().unwrap(),
        },
    ];
    for step in steps {
        let receipt = b.apply(step, common::now(), &[]).unwrap();
        undo = receipt.undo;
        assert_eq!(kept(&mut b), fresh(&mut b));
    }
    assert_eq!(
        kept(&mut b),
        [format!("{first}/1"), format!("{first}/3")],
        "the dropped action moved with the merge"
    );
    b.apply(undo.unwrap(), common::now(), &[]).unwrap();
    assert_eq!(kept(&mut b), fresh(&mut b));
    assert_eq!(kept(&mut b), [format!("{first}/1"), format!("{second}/1")]);
}
