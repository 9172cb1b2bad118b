//! Referrals to outside agencies: a status (requested → accepted → in progress → finished, or
//! declined with a reason), each change dated with who recorded it; a referral unanswered past
//! the office's business days is marked on the Due screen and proposed for the agenda; the
//! agency's cases are listed under its code; the report counts referrals by agency and status.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use casedesk::app::Screen;
use casedesk::domain::model::AgendaReason;
use casedesk::domain::referral::ReferralRule;
use casedesk::domain::vocab::{ActionStatus, ReferralStatus};
use casedesk::domain::{ActionId, CaseNumber, Command, TeamCode};
use casedesk::i18n::Lang;
use casedesk::keymap::Keymap;
use casedesk::store::Store;
use chrono::NaiveDate;
use common::tui::Screens;
use common::{TempStore, busy_store, ctx_after, new_case, now, office_store};

const CASE: CaseNumber = CaseNumber { year: 2026, seq: 1 };
const CPA_ACTION: ActionId = ActionId { case: CASE, n: 2 };

fn json_of(store: &TempStore, id: &str) -> serde_json::Value {
    let all: serde_json::Value =
        serde_json::from_str(&store.ok(&["action", "list", "--all", "--json"])).unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .cloned()
        .unwrap()
}

#[test]
fn a_referral_moves_forward_with_dated_steps_and_ends_the_action() {
    // busy_store: 2026-0001/1 is WEE's (internal), 2026-0001/2 the CPA's (a referral).
    let store = busy_store();
    assert_eq!(
        store.ok(&["action", "referral", "2026-0001/2", "accepted"]),
        "2026-0001/2 accepted\n"
    );
    store.ok(&[
        "action",
        "referral",
        "2026-0001/2",
        "in-progress",
        "--reason",
        "첫 면담 12-01",
    ]);
    let show = store.ok(&["--lang", "ko", "case", "show", "2026-0001"]);
    assert!(
        show.contains("↳ 의뢰 진행 중 11-28 tester: 첫 면담 12-01"),
        "{show}"
    );
    // Backwards is refused, and changes nothing.
    let err = store.fails(&["action", "referral", "2026-0001/2", "accepted"]);
    assert!(err.contains("in progress"), "{err}");
    store.ok(&[
        "action",
        "referral",
        "2026-0001/2",
        "finished",
        "--reason",
        "조사 완료",
    ]);
    let a = json_of(&store, "2026-0001/2");
    assert_eq!(a["status"], "done", "finished ends the action: {a}");
    assert_eq!(a["result"], "조사 완료");
    assert_eq!(a["closed_by"], "tester");
}

#[test]
fn declining_needs_a_reason_and_drops_the_action_and_internal_actions_have_no_referral() {
    let store = busy_store();
    let err = store.fails(&["action", "referral", "2026-0001/2", "declined"]);
    assert!(err.contains("reason"), "{err}");
    assert_eq!(json_of(&store, "2026-0001/2")["status"], "open");
    store.ok(&[
        "action",
        "referral",
        "2026-0001/2",
        "거절",
        "--reason",
        "정원 초과",
    ]);
    let a = json_of(&store, "2026-0001/2");
    assert_eq!(a["status"], "dropped");
    assert_eq!(a["result"], "정원 초과");
    let err = store.fails(&["action", "referral", "2026-0001/1", "accepted"]);
    assert!(err.contains("internal team WEE"), "{err}");
    let err = store.fails(&["action", "referral", "2026-0001/1", "maybe"]);
    assert!(err.contains("referral status"), "{err}");
}

#[test]
fn an_agency_lists_the_cases_where_it_owns_an_action() {
    let store = busy_store();
    store.ok(&[
        "team",
        "add",
        "LOCAL",
        "--name",
        "지역아동센터",
        "--external",
    ]);
    store.ok(&[
        "case",
        "add",
        "--student",
        "김철수",
        "--school",
        "한빛초",
        "--grade",
        "2",
        "--lead",
        "WELF",
    ]);
    // The guardian agreed to share with the agency (issue 12: no referral without it).
    store.ok(&["consent", "add", "2026-0002", "--share", "LOCAL"]);
    store.ok(&[
        "action",
        "add",
        "2026-0002",
        "--title",
        "방과후 돌봄",
        "--team",
        "LOCAL",
        "--due",
        "+3d",
    ]);
    let cases = store.ok(&["case", "list", "--team", "LOCAL"]);
    assert!(cases.contains("2026-0002"), "{cases}");
    assert!(!cases.contains("2026-0001"), "{cases}");
    let cases = store.ok(&["case", "list", "--team", "CPA"]);
    assert!(cases.contains("2026-0001"), "CPA owns 2026-0001/2: {cases}");
    let actions = store.ok(&["action", "list", "--team", "CPA"]);
    assert!(actions.contains("2026-0001/2"), "{actions}");
    assert!(!actions.contains("2026-0001/1"), "{actions}");
}

#[test]
fn an_unanswered_referral_is_proposed_for_the_agenda_after_the_offices_business_days() {
    let store = busy_store();
    // Asked on Saturday 11-28: five business days run to Friday 12-04, so from 12-05 it waits
    // past its time.
    let on = |day: &str| format!("2026-{day}T10:00:00+09:00");
    let propose = |day: &str, env: &[(&str, &str)]| {
        let at = on(day);
        let mut vars = vec![("CASEDESK_NOW", at.as_str())];
        vars.extend_from_slice(env);
        let run = store.run_env(&["conference", "new", "--title", "t"], &vars);
        assert!(run.success(), "{}", run.stderr);
        let id = run.stdout.trim().to_string();
        let show = store.run_env(&["conference", "show", &id, "--json"], &vars);
        serde_json::from_str::<serde_json::Value>(&show.stdout).unwrap()
    };
    let reasons = |conf: &serde_json::Value| -> Vec<String> {
        conf["agenda"][0]["reasons"]
            .as_array()
            .map(|r| r.iter().map(|x| x.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    let early = propose("12-04", &[]);
    assert!(
        !reasons(&early).contains(&"referral_unanswered".to_string()),
        "{early}"
    );
    let late = propose("12-07", &[]);
    assert!(
        reasons(&late).contains(&"referral_unanswered".to_string()),
        "{late}"
    );
    // The office's own setting, beside the keymap.
    let config = store.dir().with_file_name("config").join("casedesk");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("referrals.toml"), "answer_days = 10\n").unwrap();
    let patient = propose("12-07", &[]);
    assert!(
        !reasons(&patient).contains(&"referral_unanswered".to_string()),
        "{patient}"
    );
    // An answer stops it.
    std::fs::write(config.join("referrals.toml"), "answer_days = 5\n").unwrap();
    store.ok(&["action", "referral", "2026-0001/2", "accepted"]);
    let answered = propose("12-07", &[]);
    assert!(
        !reasons(&answered).contains(&"referral_unanswered".to_string()),
        "{answered}"
    );
    // A bad file says where and what.
    std::fs::write(config.join("referrals.toml"), "answer_dayz = 5\n").unwrap();
    let err = store.fails(&["conference", "new"]);
    assert!(
        err.contains("referrals.toml") && err.contains("line 1"),
        "{err}"
    );
}

#[test]
fn the_report_counts_referrals_by_agency_and_status() {
    let store = busy_store();
    store.ok(&["action", "referral", "2026-0001/2", "accepted"]);
    let csv = store.ok(&["report", "--month", "2026-11", "--format", "csv"]);
    assert!(
        csv.contains("referrals · by agency and status,CPA accepted,1"),
        "{csv}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&store.ok(&["report", "--month", "2026-11", "--format", "json"]))
            .unwrap();
    assert_eq!(json["referrals"][0]["team"], "CPA");
    assert_eq!(json["referrals"][0]["status"], "accepted");
    let csv = store.ok(&["export", "actions"]);
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .contains("referral status,referral requested on")
    );
    assert!(csv.contains(",accepted,2026-11-28"), "{csv}");
}

/// A store with case 2026-0001 (led by WEE): an action of WEE's and a referral to CPA asked on
/// 11-18, never answered.
fn waiting_store() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let early = ctx_after(-10);
    let mut store = office_store(&tmp, &early);
    store
        .execute(
            Command::CreateCase {
                case: new_case("홍길동", "WEE", &[]),
            },
            &early,
        )
        .unwrap();
    for (title, team) in [("개별 상담", "WEE"), ("아동학대 사례 공유", "CPA")] {
        store
            .execute(
                Command::AddAction {
                    case: CASE,
                    title: title.into(),
                    team: TeamCode::new(team).unwrap(),
                    due_on: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
                    person: None,
                    conference: None,
                    sharing: Default::default(),
                },
                &early,
            )
            .unwrap();
    }
    drop(store);
    tmp
}

#[test]
fn the_due_screen_marks_a_referral_without_an_answer() {
    for lang in [Lang::Ko, Lang::En] {
        let mut s = Screens::open(
            waiting_store(),
            lang,
            Keymap::shipped("default").unwrap(),
            now(),
        );
        s.keys("3");
        assert_eq!(s.app().screen, Screen::Due);
        let wide = s.screen(100, 30);
        let mark = match lang {
            Lang::Ko => "? 의뢰 응답 없음 · 답 기한 11-25 수",
            Lang::En => "? referral unanswered · answer by 11-25 Wed",
        };
        assert!(wide.contains(mark), "{wide}");
        assert_eq!(wide.matches(mark).count(), 1, "only the referral: {wide}");
        let tag = match lang {
            Lang::Ko => "ko",
            Lang::En => "en",
        };
        insta::assert_snapshot!(format!("due_unanswered_{tag}_100x30"), wide);
        insta::assert_snapshot!(format!("due_unanswered_{tag}_80x24"), s.screen(80, 24));
    }
}

#[test]
fn a_key_records_the_referral_status_in_both_keymaps_and_undo_takes_it_back() {
    let mut s = Screens::open(
        waiting_store(),
        Lang::Ko,
        Keymap::shipped("default").unwrap(),
        now(),
    );
    s.keys("1<Enter>j");
    // `ㄱ` is `r` in Hangul mode: the form opens with the next status (수락) chosen.
    s.keys("ㄱ");
    let form = s.screen(100, 30);
    assert!(form.contains("의뢰 상태 2026-0001/2"), "{form}");
    s.keys("<C-s>");
    let a = &s.state().actions[&CPA_ACTION];
    assert_eq!(a.referral_status(), ReferralStatus::Accepted);
    assert_eq!(a.referral[0].by, "tester");
    assert_eq!(a.referral[0].at, now());
    // On WEE's own action the key says it is no referral.
    s.keys("k");
    s.keys("r");
    assert!(s.app().form.is_none());
    // Undo.
    s.keys("uy");
    assert_eq!(
        s.state().actions[&CPA_ACTION].referral_status(),
        ReferralStatus::Requested
    );
    // The function-key keymap: Shift-F7, then a decline with its reason.
    let mut s = Screens::open(
        waiting_store(),
        Lang::En,
        Keymap::shipped("fkeys").unwrap(),
        now(),
    );
    s.keys("<M-1><Enter><Down><S-F7>");
    assert!(s.app().form.is_some(), "{}", s.screen(100, 30));
    s.keys("declined<Tab>no places<C-s>");
    let a = &s.state().actions[&CPA_ACTION];
    assert_eq!(a.status, ActionStatus::Dropped);
    assert_eq!(a.result.as_deref(), Some("no places"));
}

#[test]
fn the_rule_counts_business_days_from_the_request() {
    let tmp = waiting_store();
    let mut store = Store::open(&tmp.path().join("store")).unwrap();
    let state = store.state().unwrap().clone();
    let calendar = casedesk::domain::holidays::Calendar::national();
    let rule = ReferralRule::default();
    let a = &state.actions[&CPA_ACTION];
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    assert_eq!(rule.answer_by(a, &calendar), day(25));
    assert!(!state.unanswered(a, day(25), &rule, &calendar));
    assert!(state.unanswered(a, day(26), &rule, &calendar));
    let wee = &state.actions[&ActionId { case: CASE, n: 1 }];
    assert!(!state.unanswered(wee, day(28), &rule, &calendar));
    let mut agenda = Vec::new();
    state.add_unanswered_referrals(&mut agenda, day(28), &rule, &calendar);
    assert_eq!(agenda.len(), 1);
    assert_eq!(agenda[0].reasons, vec![AgendaReason::ReferralUnanswered]);
}

#[test]
fn a_viewer_sees_a_referral_reason_with_the_name_masked() {
    use casedesk::domain::access::Access;
    use casedesk::domain::model::User;
    use casedesk::domain::vocab::Role;
    let tmp = waiting_store();
    let mut store = Store::open(&tmp.path().join("store")).unwrap();
    store
        .execute(
            Command::SetReferral {
                action: CPA_ACTION,
                status: ReferralStatus::Accepted,
                reason: Some("홍길동 보호자 면담 예정".into()),
            },
            &ctx_after(0),
        )
        .unwrap();
    let state = store.state().unwrap().clone();
    let viewer = Access::of(&User {
        account: "v".into(),
        role: Role::Viewer,
        teams: Vec::new(),
        name: None,
    });
    let shown = viewer.action(&state.cases[&CASE], &state.actions[&CPA_ACTION]);
    let reason = shown.referral[0].reason.clone().unwrap();
    assert!(!reason.contains("홍길동"), "{reason}");
    assert!(
        viewer
            .authorize(
                &state,
                &Command::SetReferral {
                    action: CPA_ACTION,
                    status: ReferralStatus::InProgress,
                    reason: None,
                }
            )
            .is_err()
    );
}

#[test]
fn a_case_waiting_only_on_an_unanswered_referral_that_does_not_fit_is_also_due() {
    use casedesk::domain::holidays::Calendar;
    use casedesk::domain::vocab::{ConferenceKind, Level};
    use casedesk::domain::{CaseUpdate, NewConference, PlannedItem};
    let tmp = waiting_store();
    let mut store = Store::open(&tmp.path().join("store")).unwrap();
    let earlier = ctx_after(-5);
    // Discussed at a conference five days ago and moved on: nothing but the referral is due.
    store
        .execute(
            Command::UpdateCase {
                case: CASE,
                change: CaseUpdate {
                    stage: Some(casedesk::domain::vocab::Stage::Support),
                    skip_stages: true,
                    ..CaseUpdate::default()
                },
                conference: None,
            },
            &earlier,
        )
        .unwrap();
    let conference = |agenda: Vec<PlannedItem>, length_minutes| Command::CreateConference {
        conference: NewConference {
            date: earlier.today(),
            title: "사례회의".into(),
            kind: ConferenceKind::Regular,
            facilitator: "tester".into(),
            agenda,
            attendees: Vec::new(),
            length_minutes,
            place: None,
            time: None,
        },
    };
    let item = |case| PlannedItem {
        case,
        reasons: vec![AgendaReason::SentToConference],
        budget_minutes: 10,
    };
    store
        .execute(conference(vec![item(CASE)], 120), &earlier)
        .unwrap();
    store
        .execute(Command::StartConference { conference: 1 }, &earlier)
        .unwrap();
    store
        .execute(Command::CloseConference { conference: 1 }, &earlier)
        .unwrap();
    // Three cases at 고위기 fill a 20-minute conference today.
    for name in ["김가", "이나", "박다"] {
        let mut case = new_case(name, "WEE", &[]);
        case.level = Some(Level::High);
        store
            .execute(Command::CreateCase { case }, &ctx_after(0))
            .unwrap();
    }
    let state = store.state().unwrap().clone();
    let (rule, calendar) = (ReferralRule::default(), Calendar::national());
    let today = now().date_naive();
    let mut agenda = state.propose_agenda(today, 20);
    state.add_unanswered_referrals_within(&mut agenda, today, &rule, &calendar, 20);
    assert_eq!(agenda.len(), 2);
    assert!(agenda.iter().all(|i| i.case != CASE));
    let mut command = conference(agenda, 20);
    if let Command::CreateConference { conference } = &mut command {
        conference.date = today;
    }
    store.execute(command, &ctx_after(0)).unwrap();
    let state = store.state().unwrap();
    let also = state.also_due(&state.conferences[&2], &rule, &calendar);
    let waiting = also
        .iter()
        .find(|p| p.case == CASE)
        .expect("the case waiting on its referral is listed below the agenda");
    assert_eq!(waiting.reasons, [AgendaReason::ReferralUnanswered]);
}
