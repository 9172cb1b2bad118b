//! No identifier is ever cut: once a year has more than 9,999 cases (`2026-78429`), every list on
//! screen shows case numbers and action ids whole, in both languages at 80×24 and 100×30.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use casedesk::app::{App, Msg};
use casedesk::domain::model::default_teams;
use casedesk::domain::{Command, State, TeamCode};
use casedesk::i18n::Lang;
use casedesk::keymap::Keymap;
use casedesk::ui::{self, Theme};
use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A store's records in memory with cases 2026-78429 and 2026-78430, each with an open action.
fn busy_year() -> State {
    let mut state = State::default();
    let apply = |state: &mut State, cmd: Command| {
        let (_, changes) = state.execute(&cmd, &common::ctx()).unwrap();
        state.commit(changes);
    };
    apply(
        &mut state,
        Command::InitStore {
            office: "테스트교육지원청".into(),
            teams: default_teams(),
            demo: false,
        },
    );
    state.counters.cases.insert(2026, 78_428);
    for name in ["홍길동", "김민준"] {
        apply(
            &mut state,
            Command::CreateCase {
                case: common::new_case(name, "WEE", &["CPA"]),
            },
        );
    }
    for case in state.cases.keys().copied().collect::<Vec<_>>() {
        apply(
            &mut state,
            Command::AddAction {
                case,
                title: "보호자 상담".into(),
                team: TeamCode::new("WEE").unwrap(),
                due_on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
                person: None,
                conference: None,
                sharing: Default::default(),
            },
        );
    }
    state
}

fn draw(app: &App, state: &State, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| ui::render(app, state, Theme::new(false), frame))
        .unwrap();
    common::tui::buffer_text(terminal.backend().buffer())
}

fn key(app: &mut App, state: &State, c: char) {
    app.update(
        state,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    );
}

#[test]
fn five_digit_case_numbers_and_their_action_ids_show_whole_on_every_list() {
    let state = busy_year();
    assert!(state.cases.keys().any(|n| n.to_string() == "2026-78429"));
    for lang in [Lang::Ko, Lang::En] {
        for (width, height) in [(80u16, 24u16), (100, 30)] {
            let mut app = App::new(
                lang,
                common::now().date_naive(),
                "tester".into(),
                Keymap::shipped("default").unwrap(),
                &state,
            );
            app.update(&state, Msg::Resize { width, height });
            let dashboard = draw(&app, &state, width, height);
            assert!(dashboard.contains("2026-78429 "), "{dashboard}");
            assert!(dashboard.contains("2026-78430 "), "{dashboard}");
            insta::assert_snapshot!(
                format!("dashboard_{lang:?}_{width}x{height}").to_lowercase(),
                dashboard
            );
            for screen in ['2', '3'] {
                key(&mut app, &state, screen);
                let shown = draw(&app, &state, width, height);
                assert!(shown.contains("2026-78429/1 "), "{screen}: {shown}");
                assert!(shown.contains("2026-78430/1 "), "{screen}: {shown}");
            }
        }
    }
}
