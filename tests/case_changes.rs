//! The case as it really changes: everything given at registration can be changed afterwards,
//! with its history on the timeline (a transfer keeps the old school), on the command line and in
//! the edit form; a stage may jump forward with a confirmation, the stages passed over recorded
//! as skipped; every change is undoable.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::json;

use casedesk::domain::CaseNumber;
use casedesk::domain::vocab::{Concern, DifficultyDomain, Stage};
use casedesk::i18n::Lang;
use common::TempStore;
use common::tui::Screens;
use serde_json::Value;

fn add_case(store: &TempStore) -> String {
    store
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
            "--domain",
            "우울",
            "--background",
            "한부모, basic_livelihood",
        ])
        .trim()
        .to_string()
}

fn shown(store: &TempStore, case: &str) -> Value {
    json(&store.ok(&["case", "show", case, "--json", "--unmasked"]))
}

fn detail_notes(case: &Value) -> Vec<String> {
    case["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "details")
        .map(|n| n["text"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_registration_field_changes_later_with_its_history_on_the_timeline() {
    let store = TempStore::initialised();
    let case = add_case(&store);
    assert_eq!(
        shown(&store, &case)["background"],
        serde_json::json!(["한부모", "기초생활수급자"])
    );
    store.ok(&[
        "case",
        "set",
        &case,
        "--school",
        "새빛초등학교",
        "--grade",
        "4-1",
        "--domain",
        "학업, 불안",
        "--summary",
        "전학 후 적응 지원",
        "--background",
        "조부모, 다문화, 북한이탈주민, 법정차상위",
        "--urgent",
        "yes",
        "--safety",
        "예",
    ]);
    let after = shown(&store, &case);
    assert_eq!(after["school"], "새빛초등학교");
    assert_eq!(after["grade"], "4-1");
    assert_eq!(after["summary"], "전학 후 적응 지원");
    assert_eq!(
        after["background"],
        serde_json::json!(["조부모", "다문화", "북한이탈주민", "법정차상위"])
    );
    assert_eq!(after["urgent"], true);
    assert_eq!(after["safety"], true);
    let notes = detail_notes(&after);
    assert_eq!(notes.len(), 1, "{notes:?}");
    let note = &notes[0];
    assert!(
        note.contains("학교(전학): 한빛초등학교 → 새빛초등학교"),
        "{note}"
    );
    assert!(note.contains("학년·반: 3-2 → 4-1"), "{note}");
    assert!(note.contains("어려움 영역: 심리·정서(우울) →"), "{note}");
    assert!(note.contains("긴급: 아니오 → 예"), "{note}");
    // The text view says it too, and the old school stays in the history.
    let text = store.ok(&["case", "show", &case, "--unmasked"]);
    assert!(text.contains("한빛초등학교 → 새빛초등학교"), "{text}");
    assert!(text.contains("background"), "{text}");

    // The student's own details: the timeline says they changed, never what they were.
    store.ok(&[
        "case",
        "set",
        &case,
        "--student",
        "홍길순",
        "--birth",
        "2016-05-05",
        "--sex",
        "f",
    ]);
    let after = shown(&store, &case);
    assert_eq!(after["student"], "홍길순");
    let notes = detail_notes(&after);
    assert!(notes[1].contains("학생 이름 변경"), "{notes:?}");
    assert!(!notes[1].contains("홍길동"), "{notes:?}");
}

#[test]
fn wrong_details_are_refused_in_one_line_and_change_nothing() {
    let store = TempStore::initialised();
    let case = add_case(&store);
    for (args, says) in [
        (vec!["--background", "부자"], "not a background item"),
        (vec!["--grade", "9"], "9"),
        (vec!["--urgent", "maybe"], "yes or no"),
        (vec!["--school", " "], "--school"),
        (vec!["--birth", "2030-01-01"], "after today"),
    ] {
        let before = shown(&store, &case);
        let mut all = vec!["case", "set", case.as_str()];
        all.extend(args.iter().copied());
        let err = store.fails(&all);
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(shown(&store, &case), before);
    }
}

#[test]
fn a_stage_jumps_forward_only_when_confirmed_and_the_passed_stages_are_skipped() {
    let store = TempStore::initialised();
    let case = add_case(&store);
    let err = store.fails(&["case", "set", &case, "--stage", "지원계획"]);
    assert!(err.contains("--skip"), "{err}");
    store.ok(&["case", "set", &case, "--stage", "지원계획", "--skip"]);
    let after = shown(&store, &case);
    assert_eq!(after["stage"], "plan");
    let history: Vec<(String, bool)> = after["stage_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["stage"].as_str().unwrap().to_string(),
                c["skipped"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        history,
        [
            ("intake".to_string(), false),
            ("assessment".to_string(), true),
            ("conference".to_string(), true),
            ("plan".to_string(), false),
        ]
    );
    let text = store.ok(&["case", "show", &case]);
    assert!(text.contains("assessment skipped"), "{text}");
    let out = store.ok(&["check"]);
    assert!(out.starts_with("ok"), "{out}");
}

fn first_case(lang: Lang) -> (Screens, CaseNumber) {
    let mut s = Screens::demo(lang);
    s.keys("1<Enter>");
    let number = s.app().screens.case.shown.as_ref().unwrap().number;
    (s, number)
}

#[test]
fn the_edit_form_changes_school_flags_and_background_and_undo_takes_it_back() {
    for (lang, tag) in [(Lang::Ko, "ko"), (Lang::En, "en")] {
        for (w, h) in [(80, 24), (100, 30)] {
            let (mut s, _) = first_case(lang);
            s.keys("E");
            insta::assert_snapshot!(format!("edit_case_{tag}_{w}x{h}"), s.screen(w, h));
        }
    }
    let (mut s, number) = first_case(Lang::En);
    let before = s.state().cases[&number].clone();
    // E, then to the school (the 8th field): a transfer.
    s.keys("E");
    s.keys(&"<Tab>".repeat(7));
    s.keys(&"<Backspace>".repeat(30));
    s.keys("새빛초등학교<Tab><Tab>, 우울, 학업<Tab><Tab>다문화<Tab><Space>");
    let form = s.screen(100, 30);
    s.keys("<C-s>");
    let after = s.state().cases[&number].clone();
    assert_eq!(
        after.school,
        "새빛초등학교",
        "{form}\n{}",
        s.screen(100, 30)
    );
    assert_eq!(after.background, ["다문화"]);
    assert_eq!(after.urgent, !before.urgent);
    assert!(after.concerns.contains(&Concern::Depression));
    assert!(after.domains.contains(&DifficultyDomain::Learning));
    let screen = s.screen(100, 30);
    assert!(screen.contains("새빛초등학교"), "{screen}");
    s.keys("<Right>");
    let timeline = s.screen(100, 30);
    assert!(timeline.contains("details changed"), "{timeline}");
    // Undone like any change.
    s.keys("uy");
    assert_eq!(s.state().cases[&number].school, before.school);
    assert_eq!(s.state().cases[&number].urgent, before.urgent);
}

#[test]
fn the_edit_form_jumps_a_stage_only_with_skip_stages_on() {
    let mut s = Screens::demo(Lang::En);
    let intake: Vec<CaseNumber> = s
        .state()
        .cases
        .values()
        .filter(|c| c.stage == Stage::Intake)
        .map(|c| c.number)
        .collect();
    let rows: Vec<CaseNumber> = s
        .app()
        .lists
        .view()
        .cases
        .iter()
        .map(|r| r.number)
        .collect();
    let (row, number) = rows
        .iter()
        .enumerate()
        .find(|(_, n)| intake.contains(n))
        .map(|(i, n)| (i, *n))
        .unwrap();
    s.keys(&format!("{}<Enter>", "j".repeat(row)));
    assert_eq!(s.app().screens.case.shown.as_ref().unwrap().number, number);
    // Stage is the 4th field; the toggle is the 7th.
    s.keys("E<Tab><Tab><Tab>");
    s.keys("support & check<C-s>");
    let form = s.screen(100, 30);
    assert!(form.contains("skip stages"), "{form}");
    assert_eq!(s.state().cases[&number].stage, Stage::Intake);
    s.keys("<Tab><Tab><Tab><Space><C-s>");
    let case = s.state().cases[&number].clone();
    assert_eq!(case.stage, Stage::Support);
    let skipped: Vec<Stage> = case
        .stage_history
        .iter()
        .filter(|c| c.skipped)
        .map(|c| c.to)
        .collect();
    assert_eq!(skipped, [Stage::Assessment, Stage::Conference, Stage::Plan]);
}

#[test]
fn the_students_own_school_owns_an_action_shown_by_its_name() {
    let store = TempStore::initialised();
    let case = add_case(&store);
    let id = store
        .ok(&[
            "action",
            "add",
            &case,
            "--title",
            "담임 상담",
            "--team",
            "학교",
            "--due",
            "+3d",
        ])
        .trim()
        .to_string();
    let list = json(&store.ok(&["action", "list", "--case", &case, "--json"]));
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["team"], "SCHOOL");
    // No consent is needed for the student's own school.
    assert!(list[0]["without_consent"].is_null());

    // In the screens the owner is the school's name, offered in the action form.
    let (mut s, number) = first_case(Lang::En);
    // The owner column is narrow: the school's name starts it.
    let school: String = s.state().cases[&number].school.chars().take(3).collect();
    s.keys("a담임 상담<Tab>");
    s.keys("SCHOOL<Tab>+3d<C-s>");
    let action = s.state().actions_of(number).last().unwrap().clone();
    assert_eq!(action.team.as_str(), "SCHOOL");
    let screen = s.screen(100, 30);
    assert!(
        screen
            .lines()
            .any(|l| l.contains("담임 상담") && l.contains(&school)),
        "{screen}"
    );
}
