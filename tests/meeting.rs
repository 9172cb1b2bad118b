//! A whole case conference driven by keys through the real keymap on a seeded demo store:
//! prepare (agenda and attendance), run three items recording decisions, actions, a review
//! date and changes, defer one, close; snapshots of the screens and of the minutes; the clock's
//! look near and over budget; and returning to the conference after a crash.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::collections::BTreeMap;

use casedesk::app::Screen;
use casedesk::backend::Backend;
use casedesk::domain::model::{ConferenceState, ItemChange};
use casedesk::domain::vocab::NoteKind;
use casedesk::domain::{CaseNumber, Conference};
use casedesk::i18n::Lang;
use casedesk::keymap::Keymap;
use casedesk::transfer::minutes::Source;
use common::tui::Screens;

fn conference(s: &mut Screens, id: u32) -> Conference {
    s.state().conferences[&id].clone()
}

fn current(s: &mut Screens) -> CaseNumber {
    let id = s.app().screens.conference.id.unwrap();
    conference(s, id).current_item().unwrap().case
}

/// Prepares conference #1 from the proposed agenda: moves the first item down, gives it five
/// more minutes, drops the third, adds a case by number, marks two teams present and adds a
/// named attendee.
fn prepare(s: &mut Screens) {
    s.keys("C");
    let form = s.screen(100, 30);
    assert!(form.contains("→ 2026-11-28 (토)"), "{form}");
    s.keys("<C-s>");
    assert_eq!(s.app().screen, Screen::Conference);
    let proposed = conference(s, 1);
    assert!(proposed.agenda.len() >= 4, "{proposed:?}");
    let off_agenda = s
        .state()
        .cases
        .values()
        .find(|c| c.is_open() && proposed.item(c.number).is_none())
        .map(|c| c.number)
        .unwrap();
    s.keys("J+jd");
    s.keys(&format!("a{off_agenda}<Enter>"));
    s.keys("l<Space>j<Space>");
    s.keys("a<Tab>김선생<Tab>WEE<C-s>");
    let conf = conference(s, 1);
    assert_eq!(conf.agenda[0].case, proposed.agenda[1].case);
    assert_eq!(conf.agenda[1].case, proposed.agenda[0].case);
    assert_eq!(conf.agenda[1].budget_minutes, 15);
    assert!(conf.item(proposed.agenda[2].case).is_none(), "dropped");
    assert_eq!(conf.agenda.last().unwrap().case, off_agenda);
    assert_eq!(conf.attendees.iter().filter(|a| a.present()).count(), 3);
    assert!(
        conf.attendees
            .iter()
            .any(|a| a.person.as_deref() == Some("김선생"))
    );
}

#[test]
fn a_whole_conference_by_keys_with_its_screens_and_minutes() {
    let mut s = Screens::demo(Lang::Ko);
    prepare(&mut s);
    insta::assert_snapshot!("prepare_ko_100x30", s.screen(100, 30));

    // Start: the first item comes up, projected, names masked.
    s.keys("sy");
    assert!(
        s.app().session.presentation,
        "presentation mode is on while it runs"
    );
    let first = current(&mut s);

    // Item 1: one decision, two actions with owners and due dates, a review date — the keys
    // besides the typed text are d Enter · a Enter Enter C-s · a Enter Enter C-s · r Enter.
    s.advance(60);
    s.keys("d보호자 상담을 이번 주에 진행하고 결과를 공유한다<Enter>");
    s.keys("a가정방문<Enter>WEE<Enter>+3d<C-s>");
    // The mental health centre is an outside agency: the guardian's consent to share with it is
    // recorded first (one key, on the run screen), then the action goes to it.
    s.keys("o<Enter>제3자<Enter>MHC<C-s>");
    s.keys("a심리검사 연계<Enter>MHC<Enter>12/10<C-s>");
    s.keys("r+2w<Enter>");
    s.advance(8 * 60 + 30);
    insta::assert_snapshot!("run_near_budget_ko_100x30", s.screen(100, 30));
    let item = conference(&mut s, 1).agenda[0].clone();
    assert_eq!(item.case, first);
    assert_eq!(item.decisions.len(), 1);
    assert_eq!(item.actions.len(), 2);
    let review =
        casedesk::domain::dates::parse_date_ahead("+2w", common::now().date_naive()).unwrap();
    assert!(
        item.changes
            .iter()
            .any(|c| matches!(c, ItemChange::Review { to: Some(d), .. } if *d == review))
    );
    let state = s.state();
    let owners: Vec<&str> = item
        .actions
        .iter()
        .map(|id| state.actions[id].team.as_str())
        .collect();
    assert_eq!(owners, vec!["WEE", "MHC"]);
    assert_eq!(state.cases[&first].review_on, Some(review));

    // Item 2: the level goes down a step and the case goes back to the conference stage; it
    // runs over its budget.
    s.keys("]");
    let second = current(&mut s);
    let level_before = s.state().cases[&second].level;
    s.keys("l<Left><Enter>");
    s.keys("s사례회의<Enter>");
    s.advance(16 * 60 + 5);
    insta::assert_snapshot!("run_over_budget_ko_100x30", s.screen(100, 30));
    insta::assert_snapshot!("run_over_budget_ko_80x24", s.screen(80, 24));
    let changes = conference(&mut s, 1).agenda[1].changes.clone();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(matches!(changes[0], ItemChange::Level { from, .. } if from == level_before));

    // Item 3 is deferred (the next one comes up); item 4 gets a decision.
    s.keys("]");
    let third = current(&mut s);
    s.keys("f");
    let fourth = current(&mut s);
    assert_ne!(third, fourth);
    s.advance(120);
    s.keys("d다음 회의에서 다시 논의<Enter>");

    // Close: the recap by team.
    s.keys("c");
    assert!(s.screen(100, 30).contains("마칠까요"));
    s.keys("y");
    let conf = conference(&mut s, 1);
    assert_eq!(conf.state, ConferenceState::Closed);
    assert!(conf.item(third).unwrap().1.deferred);
    assert_eq!(conf.item(fourth).unwrap().1.decisions.len(), 1);
    assert!(
        s.app().session.presentation,
        "the recap may still be on the projector: names stay masked"
    );
    insta::assert_snapshot!("recap_ko_100x30", s.screen(100, 30));

    // The decisions are on the cases' timelines.
    let notes = s.driver.backend.notes_of(first).unwrap();
    assert!(notes.iter().any(|n| n.kind == NoteKind::Decision));

    // The minutes, masked.
    let state = s.state().clone();
    let mut actions = BTreeMap::new();
    for item in &conf.agenda {
        for a in s.driver.backend.case_actions(item.case).unwrap() {
            if item.actions.contains(&a.id) {
                actions.insert(a.id, a);
            }
        }
    }
    let source = Source {
        state: &state,
        conference: &conf,
        actions: &actions,
        lang: Lang::Ko,
        unmasked: false,
        anchor: None,
    };
    let md = source.markdown();
    let html = source.html();
    for case in [first, second, fourth] {
        let name = &state.cases[&case].student.name;
        assert!(!md.contains(name.as_str()) && !html.contains(name.as_str()));
    }
    insta::assert_snapshot!("minutes_ko_md", md);
    insta::assert_snapshot!("minutes_ko_html", html);

    // Read-only now: the run keys do nothing, and the record stays.
    s.keys("d결정<Enter>");
    assert_eq!(conference(&mut s, 1), conf);
    // Leaving the conference screen puts presentation mode back as it was.
    s.keys("<Esc>");
    assert!(!s.app().session.presentation);
}

#[test]
fn the_clock_is_shown_against_the_budget_in_words_not_only_colour() {
    let mut s = Screens::demo(Lang::En);
    s.keys("C<C-s>sy");
    let screen = s.screen(100, 30);
    assert!(screen.contains("00:00 / 10:00"), "{screen}");
    s.advance(8 * 60);
    let screen = s.screen(100, 30);
    assert!(screen.contains("08:00 / 10:00 near budget"), "{screen}");
    s.advance(3 * 60 + 7);
    let screen = s.screen(100, 30);
    assert!(screen.contains("11:07 / 10:00 over +01:07"), "{screen}");
    insta::assert_snapshot!("run_over_budget_en_100x30", screen);
}

#[test]
fn an_entry_can_be_undone_while_the_conference_runs() {
    let mut s = Screens::demo(Lang::En);
    s.keys("C<C-s>sy");
    s.keys("dA decision typed by mistake<Enter>");
    assert_eq!(conference(&mut s, 1).agenda[0].decisions.len(), 1);
    s.keys("uy");
    let conf = conference(&mut s, 1);
    assert!(conf.agenda[0].decisions.is_empty());
    let case = conf.agenda[0].case;
    let notes = s.driver.backend.notes_of(case).unwrap();
    assert!(
        !notes
            .iter()
            .any(|n| n.text == "A decision typed by mistake")
    );
}

#[test]
fn reopening_after_a_crash_returns_to_the_running_conference_at_its_item() {
    let mut s = Screens::demo(Lang::En);
    s.keys("C<C-s>sy]");
    let item = current(&mut s);
    s.advance(200);
    s.keys("dTalk to the school first<Enter>");
    s.advance(300);
    // The process dies: no quit, no pause.
    let tmp = s.crash();
    let later = common::now() + chrono::Duration::seconds(4000);
    let mut s = Screens::open(tmp, Lang::En, Keymap::shipped("default").unwrap(), later);
    assert_eq!(s.app().screen, Screen::Conference);
    assert_eq!(current(&mut s), item, "the same item");
    assert!(s.app().session.presentation);
    let screen = s.screen(100, 30);
    assert!(screen.contains("Talk to the school first"), "{screen}");
    // Starting the clock again is not an entry: there is nothing to undo.
    s.keys("u");
    assert!(s.screen(100, 30).contains("Nothing to undo"));
    assert!(
        screen.contains("03:20 / 10:00"),
        "the time up to the last entry is kept: {screen}"
    );
    s.advance(10);
    assert!(s.screen(100, 30).contains("03:30 / 10:00"));
    // Quitting stops the clock; the next start picks up at the same time used.
    s.keys("q");
    let tmp = s.crash();
    let much_later = later + chrono::Duration::hours(5);
    let mut s = Screens::open(
        tmp,
        Lang::En,
        Keymap::shipped("default").unwrap(),
        much_later,
    );
    assert!(s.screen(100, 30).contains("03:30 / 10:00"));
}

#[test]
fn the_conference_list_opens_each_conference_in_its_state() {
    let mut s = Screens::demo(Lang::En);
    s.keys("4");
    assert!(s.screen(100, 30).contains("No conferences yet"));
    s.keys("C<C-s>");
    s.keys("4");
    let list = s.screen(100, 30);
    assert!(list.contains("#1") && list.contains("planned"), "{list}");
    insta::assert_snapshot!("conferences_en_100x30", list);
    s.keys("<Enter>");
    assert_eq!(s.app().screen, Screen::Conference);
    assert!(s.screen(100, 30).contains("Agenda"));
    // A second conference cannot start while one runs; C goes to the running one.
    s.keys("sy4C");
    assert_eq!(s.app().screen, Screen::Conference);
    assert_eq!(s.app().screens.conference.id, Some(1));
    assert!(s.app().form.is_none());
}

#[test]
fn the_next_conference_shows_the_last_decisions_and_a_closed_one_takes_corrections() {
    let mut s = Screens::demo(Lang::En);
    s.keys("C<C-s>sy");
    let first = current(&mut s);
    s.keys("dAsk the school for attendance records<Enter>cy");
    // Closed: the agenda keys are refused with a pointer to corrections; A adds one.
    s.keys("d");
    assert!(s.screen(100, 30).contains("A adds a correction"));
    s.keys(&format!(
        "A{first}<Tab>The decision was for the homeroom teacher<C-s>"
    ));
    let conf = conference(&mut s, 1);
    assert_eq!(conf.amendments.len(), 1);
    assert_eq!(conf.amendments[0].case, Some(first));
    let screen = s.screen(100, 30);
    assert!(
        screen.contains("The decision was for") && !screen.contains("u: undo"),
        "{screen}"
    );

    // A week later the case is on the next agenda (it is at high crisis or overdue), and the
    // run screen shows what the last conference decided on it.
    let later = common::now() + chrono::Duration::days(7);
    let tmp = s.crash();
    let mut s = Screens::open(tmp, Lang::En, Keymap::shipped("default").unwrap(), later);
    s.keys("C<C-s>");
    let next = conference(&mut s, 2);
    let at = next
        .item(first)
        .map(|(i, _)| i)
        .expect("on the next agenda");
    s.keys("sy");
    for _ in 0..at {
        s.keys("]");
    }
    let screen = s.screen(100, 30);
    assert!(screen.contains("Last conference #1"), "{screen}");
    assert!(
        screen.contains("Ask the school for attendance records"),
        "{screen}"
    );
}

#[test]
fn the_case_screen_opened_from_the_meeting_records_into_it_and_free_text_is_masked() {
    let mut s = Screens::demo(Lang::En);
    s.keys("C<C-s>sy");
    let case = current(&mut s);
    let name = s.state().cases[&case].student.name.clone();
    let given: String = name.chars().skip(1).collect();
    // Enter opens the case in full; an action added there belongs to the conference.
    s.keys("<Enter>");
    assert_eq!(s.app().screen, Screen::Case);
    s.keys("aSchool visit<Tab><Tab>+1w<C-s><Esc>");
    assert_eq!(s.app().screen, Screen::Conference);
    let item = conference(&mut s, 1).agenda[0].clone();
    assert_eq!(item.actions.len(), 1, "{item:?}");
    // A decision that names the student shows masked on the projected screen.
    s.keys(&format!("d{given}와 보호자 면담<Enter>"));
    let screen = s.screen(100, 30);
    assert!(!screen.contains(&given), "{screen}");
    assert!(screen.contains("와 보호자 면담"), "{screen}");
}

#[test]
fn an_urgent_case_is_added_to_the_running_agenda() {
    let mut s = Screens::demo(Lang::En);
    s.keys("C<C-s>");
    let conf = conference(&mut s, 1);
    let extra = s
        .state()
        .cases
        .values()
        .find(|c| c.is_open() && conf.item(c.number).is_none())
        .map(|c| c.number)
        .unwrap();
    s.keys("sy");
    s.keys(&format!("+{extra}<Enter>"));
    let conf = conference(&mut s, 1);
    assert_eq!(conf.agenda.last().unwrap().case, extra);
    assert_eq!(conf.current, 0, "the meeting stays on its item");
}
