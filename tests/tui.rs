//! The screens, driven by keys through the real keymap on a seeded demo store at a fixed clock:
//! snapshots of every screen at 100×30 and 80×24 in Korean and English, the main flows,
//! presentation mode, Hangul-mode shortcuts, pastes, and drawing at any size.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use casedesk::app::Screen;
use casedesk::backend::Backend;
use casedesk::i18n::Lang;
use common::tui::Screens;

fn snapshot_all(lang: Lang, width: u16, height: u16) {
    let tag = format!(
        "{}_{width}x{height}",
        if lang == Lang::Ko { "ko" } else { "en" }
    );
    let mut s = Screens::demo(lang);
    insta::assert_snapshot!(format!("dashboard_{tag}"), s.screen(width, height));
    s.keys("2");
    insta::assert_snapshot!(format!("by_team_{tag}"), s.screen(width, height));
    s.keys("3");
    insta::assert_snapshot!(format!("due_{tag}"), s.screen(width, height));
    s.keys("1<Enter>");
    insta::assert_snapshot!(format!("case_{tag}"), s.screen(width, height));
    s.keys("<Esc>?");
    insta::assert_snapshot!(format!("help_{tag}"), s.screen(width, height));
    s.keys("<Esc>n");
    insta::assert_snapshot!(format!("new_case_{tag}"), s.screen(width, height));
}

#[test]
fn every_screen_in_korean_at_100x30() {
    snapshot_all(Lang::Ko, 100, 30);
}

#[test]
fn every_screen_in_korean_at_80x24() {
    snapshot_all(Lang::Ko, 80, 24);
}

#[test]
fn every_screen_in_english_at_100x30() {
    snapshot_all(Lang::En, 100, 30);
}

#[test]
fn every_screen_in_english_at_80x24() {
    snapshot_all(Lang::En, 80, 24);
}

#[test]
fn a_case_is_created_given_an_action_due_in_three_days_and_the_action_is_done() {
    let mut s = Screens::demo(Lang::En);
    let before = s.state().cases.len();
    s.keys("n");
    s.keys("홍길동<Tab>한빛초등학교<Tab>3-2<Tab><Tab>CPA<Tab><Right><Right><Tab>우울<Tab>+2w");
    let form = s.screen(100, 30);
    assert!(form.contains("→ 2026-12-12 (Sat)"), "{form}");
    s.keys("<C-s>");
    assert_eq!(s.state().cases.len(), before + 1);
    assert_eq!(s.app().screen, Screen::Case);
    let number = s.app().screens.case.shown.as_ref().unwrap().number;
    let case = s.state().cases[&number].clone();
    assert_eq!(case.student.name, "홍길동");
    assert_eq!(
        case.co_teams
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["CPA"]
    );
    assert_eq!(case.level, casedesk::domain::vocab::Level::Crisis);
    // The full name shows on the case screen (not in presentation mode).
    assert!(s.screen(100, 30).contains("홍길동"));

    s.keys("a개별 상담<Tab><Tab>+3d");
    let form = s.screen(100, 30);
    assert!(
        form.contains("→ 2026-12-01 (Tue)"),
        "the resolved date shows before saving:\n{form}"
    );
    s.keys("<Enter><Enter>");
    let view = s.app().screens.case.shown.clone().unwrap();
    assert_eq!(view.actions.len(), 1);
    assert_eq!(view.actions[0].due_on.to_string(), "2026-12-01");
    assert!(
        s.screen(100, 30).contains("added action"),
        "the result is shown"
    );

    s.keys("x");
    let view = s.app().screens.case.shown.clone().unwrap();
    assert!(
        !view.actions[0].is_open(),
        "x marks the selected action done"
    );
    assert!(s.screen(100, 30).contains("done"));
}

#[test]
fn a_failed_save_keeps_the_form_and_says_why() {
    let mut s = Screens::demo(Lang::En);
    s.keys("<Enter>a");
    s.keys("title<Tab><Tab>yesterday<C-s>");
    let screen = s.screen(100, 30);
    assert!(s.app().form.is_some(), "the form stays open");
    assert!(screen.contains("before today"), "{screen}");
    // What was typed is still there to fix.
    s.keys("<BackTab><BackTab>");
    assert!(s.screen(100, 30).contains("title"));
}

#[test]
fn the_filter_narrows_every_list_as_each_key_is_typed_and_esc_clears_it() {
    let mut s = Screens::demo(Lang::En);
    let all = s.app().lists.view().cases.len();
    s.keys("/");
    let school = {
        let number = s.app().lists.view().cases[0].number;
        s.state().cases[&number].school.clone()
    };
    let mut last = all;
    for c in school.chars().take(3) {
        s.keys(&c.to_string());
        let now = s.app().lists.view().cases.len();
        assert!(now <= last, "each key narrows");
        last = now;
    }
    assert!(last < all && last > 0);
    s.keys("<Enter>2");
    let teams_filtered: usize = s
        .app()
        .lists
        .view()
        .teams
        .iter()
        .map(|g| g.actions.len())
        .sum();
    s.keys("<Esc>");
    assert_eq!(s.app().lists.filter, "");
    let teams_all: usize = s
        .app()
        .lists
        .view()
        .teams
        .iter()
        .map(|g| g.actions.len())
        .sum();
    assert!(teams_filtered < teams_all);
    s.keys("1");
    assert_eq!(s.app().lists.view().cases.len(), all);
}

#[test]
fn tab_and_number_keys_change_screens_and_esc_goes_back() {
    let mut s = Screens::demo(Lang::En);
    s.keys("<Tab>");
    assert_eq!(s.app().screen, Screen::ByTeam);
    s.keys("<Tab>");
    assert_eq!(s.app().screen, Screen::Due);
    s.keys("<BackTab><BackTab>");
    assert_eq!(s.app().screen, Screen::Dashboard);
    s.keys("3<Enter>");
    assert_eq!(s.app().screen, Screen::Case);
    s.keys("<Esc>");
    assert_eq!(s.app().screen, Screen::Due);
}

#[test]
fn presentation_mode_masks_every_name_and_hides_restricted_notes() {
    let mut s = Screens::demo(Lang::Ko);
    // A case with a restricted note.
    let (number, name, secret) = {
        let state = s.state().clone();
        let mut found = None;
        for case in state.cases.values().filter(|c| c.is_open()) {
            let notes = s.driver.backend.notes_of(case.number).unwrap();
            if let Some(note) = notes.iter().find(|n| n.restricted) {
                found = Some((case.number, case.student.name.clone(), note.text.clone()));
                break;
            }
        }
        found.expect("the demo has a restricted note")
    };
    let row = s
        .app()
        .lists
        .view()
        .cases
        .iter()
        .position(|r| r.number == number)
        .unwrap();
    s.keys(&"j".repeat(row));
    s.keys("<Enter><Right>");
    let normal = s.screen(100, 120);
    assert!(
        normal.contains(&name),
        "the case screen shows the full name"
    );
    assert!(normal.contains("[제한]"), "restricted notes are marked");
    s.keys("p");
    for (w, h) in [(100, 120), (100, 30), (80, 24)] {
        let shown = s.screen(w, h);
        assert!(
            !shown.contains(&name),
            "presentation mode masks the name:\n{shown}"
        );
        assert!(
            !shown.contains(&secret),
            "presentation mode hides restricted text"
        );
        assert!(shown.contains("발표 모드"), "the header says it is on");
    }
    for screen in ["1", "2", "3", "?"] {
        s.keys(screen);
        let shown = s.screen(100, 30);
        assert!(!shown.contains(&name));
    }
}

#[test]
fn hangul_mode_jamo_work_as_shortcuts_but_not_in_text_fields() {
    let mut s = Screens::demo(Lang::Ko);
    s.keys("ㅓㅓ");
    assert_eq!(s.app().screens.dashboard.pick.index, 2, "ㅓ is j");
    s.keys("ㅏ");
    assert_eq!(s.app().screens.dashboard.pick.index, 1, "ㅏ is k");
    s.keys("ㅜ");
    assert!(s.app().form.is_some(), "ㅜ is n: new case");
    s.keys("ㅓㅏ");
    let typed = s.app().form.as_ref().unwrap().fields[0].text();
    assert_eq!(typed, "ㅓㅏ", "inside a text field jamo are text");
    s.keys("<Esc>");
    assert!(
        s.app().confirm.is_some(),
        "typed text is not thrown away without asking"
    );
    s.keys("y");
    assert!(s.app().form.is_none());
    s.keys("ㅡ");
    assert!(
        matches!(
            s.app().form.as_ref().map(|f| f.kind),
            Some(casedesk::app::form::FormKind::Note(_))
        ),
        "ㅡ is m: a note, for Shift+N that arrives unshifted in Hangul mode"
    );
    s.keys("<Esc>ㅂ");
    assert!(s.app().quit, "ㅂ is q");
}

#[test]
fn a_paste_goes_into_a_text_field_and_never_runs_commands() {
    let mut s = Screens::demo(Lang::En);
    s.paste("qqq:n?");
    assert!(!s.app().quit);
    assert!(s.app().form.is_none() && s.app().palette.is_none());
    assert_eq!(s.app().screen, Screen::Dashboard);
    s.keys("n");
    s.paste("김철수\nline two");
    assert_eq!(
        s.app().form.as_ref().unwrap().fields[0].text(),
        "김철수 line two"
    );
}

#[test]
fn undo_asks_first_then_takes_the_change_back() {
    let mut s = Screens::demo(Lang::En);
    s.keys("3");
    let state = s.state().clone();
    let id = s.app().selected_action(&state).unwrap();
    s.keys("x");
    assert!(
        !s.driver
            .backend
            .case_actions(id.case)
            .unwrap()
            .iter()
            .find(|a| a.id == id)
            .unwrap()
            .is_open()
    );
    s.keys("u");
    assert!(s.screen(100, 30).contains("Undo 'action"), "it asks first");
    s.keys("n");
    assert!(
        !s.driver
            .backend
            .case_actions(id.case)
            .unwrap()
            .iter()
            .find(|a| a.id == id)
            .unwrap()
            .is_open()
    );
    s.keys("uy");
    assert!(
        s.driver
            .backend
            .case_actions(id.case)
            .unwrap()
            .iter()
            .find(|a| a.id == id)
            .unwrap()
            .is_open()
    );
}

#[test]
fn the_palette_finds_an_action_by_name_and_runs_it() {
    let mut s = Screens::demo(Lang::En);
    s.keys(":by team");
    assert!(s.screen(100, 30).contains("By team"));
    s.keys("<Enter>");
    assert_eq!(s.app().screen, Screen::ByTeam);
    s.keys(":presentation<Enter>");
    assert!(s.app().session.presentation);
}

#[test]
fn the_calendar_moves_through_days_and_lists_each_days_actions() {
    let mut s = Screens::demo(Lang::En);
    s.keys("3l");
    let today = s.app().session.today;
    s.keys("l");
    assert_eq!(s.app().screens.due.day, today.succ_opt().unwrap());
    s.keys("j");
    assert_eq!(s.app().screens.due.day, today + chrono::Duration::days(8));
    s.keys("t");
    assert_eq!(s.app().screens.due.day, today);
    // Find a day with actions and see them listed.
    let day = *s
        .app()
        .lists
        .base()
        .due_days
        .keys()
        .find(|d| **d > today)
        .unwrap();
    while s.app().screens.due.day < day {
        s.keys("l");
    }
    let state = s.state().clone();
    let listed = s.app().lists.actions_on(&state, day);
    assert!(!listed.is_empty());
    let screen = s.screen(100, 30);
    let title = s.state().actions[&listed[0]].title.clone();
    let shown: String = title.chars().take(6).collect();
    assert!(
        screen.contains(&shown),
        "the day's actions are listed:\n{screen}"
    );
}

#[test]
fn drawing_at_any_size_never_panics() {
    use proptest::test_runner::{Config, TestRunner};
    let s = std::cell::RefCell::new(Screens::demo(Lang::Ko));
    let mut runner = TestRunner::new(Config {
        cases: 48,
        ..Config::default()
    });
    for keys in ["", "2", "3", "3l", "1<Enter>", "?", "n", ":", "/a"] {
        s.borrow_mut().keys("<Esc><Esc><Esc>1");
        s.borrow_mut().keys(keys);
        runner
            .run(&(1u16..=300, 1u16..=120), |(w, h)| {
                let _ = s.borrow_mut().screen(w, h);
                Ok(())
            })
            .unwrap();
        for (w, h) in [(1, 1), (300, 120), (59, 15), (60, 16), (80, 24)] {
            let _ = s.borrow_mut().screen(w, h);
        }
    }
}

#[test]
fn a_terminal_too_small_gets_one_line_saying_so() {
    let mut s = Screens::demo(Lang::En);
    let shown = s.screen(40, 10);
    assert!(shown.contains("Terminal too small"), "{shown}");
}

#[test]
fn typing_a_team_code_or_name_in_a_picker_picks_that_team() {
    let mut s = Screens::demo(Lang::Ko);
    s.keys("<Enter>a할 일<Tab>WELF");
    let form = s.app().form.as_ref().unwrap();
    assert_eq!(form.fields[1].code(), Some("WELF"));
    s.keys("<Tab><BackTab>CSC");
    assert_eq!(s.app().form.as_ref().unwrap().fields[1].code(), Some("CSC"));
    s.keys("<Tab><BackTab>아동보호");
    assert_eq!(s.app().form.as_ref().unwrap().fields[1].code(), Some("CPA"));
    s.keys("<Tab><BackTab>cpa");
    assert_eq!(s.app().form.as_ref().unwrap().fields[1].code(), Some("CPA"));
}

#[test]
fn an_open_action_can_be_changed_and_its_deadline_moved() {
    let mut s = Screens::demo(Lang::En);
    s.keys("3");
    let state = s.state().clone();
    let id = s.app().selected_action(&state).unwrap();
    s.keys("e");
    let title = casedesk::ui::messages::form_title(s.app().form.as_ref().unwrap(), Lang::En);
    assert!(title.starts_with(&format!("Edit action {id}")), "{title}");
    s.keys("<Tab>WEE<Tab>");
    for _ in 0..12 {
        s.keys("<Backspace>");
    }
    s.keys("+2w<C-s>");
    let changed = s.state().actions[&id].clone();
    assert_eq!(changed.team.as_str(), "WEE");
    assert_eq!(changed.due_on.to_string(), "2026-12-12");
    assert!(s.screen(100, 30).contains(&format!("action {id} changed")));
    // Undo takes it back; a second undo finds nothing more from this session.
    s.keys("uy");
    assert_eq!(s.state().actions[&id], state.actions[&id]);
    s.keys("u");
    assert!(s.screen(100, 30).contains("Nothing to undo"));
}

#[test]
fn undo_walks_back_through_every_change_of_the_session() {
    let mut s = Screens::demo(Lang::En);
    s.keys("3");
    let before = s.state().clone();
    let first = s.app().selected_action(&before).unwrap();
    s.keys("x");
    let state = s.state().clone();
    let second = s.app().selected_action(&state).unwrap();
    assert_ne!(first, second, "the list moved on");
    s.keys("x");
    s.keys("uy");
    s.keys("uy");
    let after = s.state().clone();
    assert_eq!(after.actions.get(&first), before.actions.get(&first));
    assert_eq!(after.actions.get(&second), before.actions.get(&second));
}

#[test]
fn leaving_a_form_with_typed_text_asks_first() {
    let mut s = Screens::demo(Lang::En);
    s.keys("n<Esc>");
    assert!(s.app().form.is_none(), "an untouched form just closes");
    s.keys("n김<Esc>");
    assert!(s.app().confirm.is_some());
    s.keys("n");
    assert!(
        s.app().form.is_some(),
        "no keeps the form and what was typed"
    );
    assert_eq!(s.app().form.as_ref().unwrap().fields[0].text(), "김");
    s.keys("<Esc>y");
    assert!(s.app().form.is_none());
}

#[test]
fn enter_on_a_calendar_day_goes_to_that_days_actions() {
    let mut s = Screens::demo(Lang::En);
    s.keys("3l");
    let today = s.app().session.today;
    let day = *s
        .app()
        .lists
        .base()
        .due_days
        .keys()
        .find(|d| **d > today)
        .unwrap();
    while s.app().screens.due.day < day {
        s.keys("l");
    }
    s.keys("<Enter>");
    assert_eq!(
        s.app().screens.due.pane,
        casedesk::app::screens::DuePane::Day
    );
    let state = s.state().clone();
    let id = s.app().selected_action(&state).unwrap();
    assert_eq!(state.actions[&id].due_on, day);
    s.keys("<Enter>");
    assert_eq!(s.app().screen, Screen::Case);
}

#[test]
fn undo_takes_back_several_changes_to_one_case_down_to_its_registration() {
    let mut s = Screens::demo(Lang::En);
    let cases = s.state().cases.len();
    s.keys("n김철수<Tab>한빛초<Tab>2<C-s>");
    assert_eq!(s.state().cases.len(), cases + 1);
    s.keys("N첫 기록<C-s>");
    s.keys("N둘째 기록<C-s>");
    s.keys("a상담<Tab><Tab>+3d<C-s>");
    for _ in 0..3 {
        s.keys("uy");
        assert!(
            !s.screen(100, 30).contains("changed again"),
            "{}",
            s.screen(100, 30)
        );
    }
    let number = s.app().screens.case.shown.as_ref().unwrap().number;
    assert!(s.driver.backend.notes_of(number).unwrap().is_empty());
    assert!(s.driver.backend.case_actions(number).unwrap().is_empty());
    s.keys("uy");
    assert_eq!(
        s.state().cases.len(),
        cases,
        "the registration itself is undone last"
    );
}

#[test]
fn the_selection_follows_its_case_when_a_change_reorders_the_table() {
    let mut s = Screens::demo(Lang::En);
    s.keys("G");
    let chosen = s.app().lists.view().cases[s.app().screens.dashboard.pick.index].number;
    assert!(
        s.app().lists.view().cases[s.app().screens.dashboard.pick.index]
            .next_due
            .is_none(),
        "the last rows have nothing due"
    );
    s.keys("a상담<Tab><Tab>+3d<C-s>");
    assert_eq!(
        s.app().lists.view().cases[s.app().screens.dashboard.pick.index].number,
        chosen,
        "still the same case"
    );
}

#[test]
fn the_open_case_is_read_again_after_a_change_from_another_screen() {
    let mut s = Screens::demo(Lang::En);
    s.keys("2<Enter>");
    let number = s.app().screens.case.shown.as_ref().unwrap().number;
    s.keys("2");
    let state = s.state().clone();
    let id = s.app().selected_action(&state).unwrap();
    assert_eq!(id.case, number);
    s.keys("x<Esc>");
    assert_eq!(s.app().screen, Screen::Case);
    let shown = s
        .app()
        .screens
        .case
        .shown
        .as_ref()
        .unwrap()
        .actions
        .iter()
        .find(|a| a.id == id)
        .unwrap()
        .clone();
    assert!(!shown.is_open(), "the case screen shows the action done");
}

#[test]
fn the_calendar_day_list_keeps_a_selection_after_an_action_goes() {
    let mut s = Screens::demo(Lang::En);
    s.keys("3l");
    let day = *s
        .app()
        .lists
        .base()
        .due_days
        .iter()
        .find(|(_, n)| **n >= 2)
        .map(|(d, _)| d)
        .unwrap();
    while s.app().screens.due.day < day {
        s.keys("l");
    }
    while s.app().screens.due.day > day {
        s.keys("h");
    }
    s.keys("<Enter>G");
    s.keys("x");
    let state = s.state().clone();
    assert!(
        s.app().selected_action(&state).is_some(),
        "a row is still selected"
    );
}

#[test]
fn questions_take_y_and_n_typed_in_hangul_mode_and_ctrl_c_closes_before_it_quits() {
    let mut s = Screens::demo(Lang::Ko);
    s.keys("n김<Esc>ㅛ");
    assert!(s.app().form.is_none(), "ㅛ is y even over a form");
    s.keys("n김<C-c>");
    assert!(s.app().confirm.is_some(), "Ctrl-C on typed text asks first");
    s.keys("ㅜ");
    assert!(s.app().form.is_some(), "ㅜ is n: keep the form");
    s.keys("<Esc>y/abc<C-c>");
    assert!(s.app().filter_input.is_none() && !s.app().quit);
    s.keys("<C-c>");
    assert!(s.app().quit, "Ctrl-C on a list quits");
}

#[test]
fn a_refusal_is_told_by_its_kind_and_a_stopped_store_leaves_nothing_to_undo() {
    use casedesk::app::form::FormKind;
    use casedesk::app::{Intent, Msg};
    use casedesk::backend::{BackendError, ConnectionError, FailureKind, Stale};
    use casedesk::domain::revision::RecordRef;

    let mut s = Screens::demo(Lang::En);
    s.keys("3");
    let state = s.state().clone();
    let done = s.app().selected_action(&state).unwrap();
    s.keys("x");
    assert_eq!(s.app().undo.len(), 1);

    // Someone changed the case while a note was being written: the form stays, says who.
    s.keys("1<Enter>N");
    let number = s.app().screens.case.shown.as_ref().unwrap().number;
    s.driver.handle(Msg::Applied {
        result: Err(BackendError::Stale(Stale {
            record: RecordRef::Case(number),
            by: Some("coord.lee".into()),
            at: None,
            fields: Vec::new(),
        })),
        intent: Intent::Form(FormKind::Note(number)),
    });
    assert!(s.app().form.is_some(), "what was typed is kept");
    let screen = s.screen(100, 30);
    assert!(screen.contains("changed by coord.lee"), "{screen}");
    assert_eq!(s.app().undo.len(), 1, "a stale form leaves undo as it was");
    s.keys("<Esc>");
    assert!(s.app().form.is_none());

    // The connection went away mid-request: look before doing it again.
    s.driver.handle(Msg::Applied {
        result: Err(BackendError::Connection(ConnectionError::Lost)),
        intent: Intent::Done(done),
    });
    let status = s.screen(100, 30);
    assert!(
        status.contains("! the connection to the server was lost"),
        "{status}"
    );
    assert_eq!(s.app().undo.len(), 1);

    // The store stopped taking changes: nothing can be taken back any more.
    s.driver.handle(Msg::Applied {
        result: Err(BackendError::Failed {
            kind: FailureKind::Poisoned,
            ko: "저장소가 변경을 받지 않습니다".into(),
            en: "the store takes no more changes".into(),
        }),
        intent: Intent::Done(done),
    });
    assert!(
        s.screen(100, 30)
            .contains("! the store takes no more changes")
    );
    assert!(s.app().undo.is_empty());
    s.keys("u");
    assert!(s.screen(100, 30).contains("Nothing to undo"));
}

#[test]
fn what_the_screens_say_is_in_korean_in_korean() {
    let mut s = Screens::demo(Lang::Ko);
    s.keys("3x");
    let screen = s.screen(100, 30);
    assert!(screen.contains("완료 (u: 되돌리기)"), "{screen}");
    s.keys("u");
    assert!(s.screen(100, 30).contains("되돌릴까요? (y/n)"));
    s.keys("n");
    assert!(s.screen(100, 30).contains("취소했습니다"));
}
