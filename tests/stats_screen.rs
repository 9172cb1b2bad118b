//! The statistics screen: reached with `4`, months changed with ←/→ (h/l), drawn at 80×24 and
//! 100×30 in Korean and English without colour; snapshots.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use casedesk::app::Screen;
use casedesk::backend::Backend;
use casedesk::i18n::Lang;
use common::tui::Screens;

fn snapshots(lang: Lang, width: u16, height: u16) {
    let tag = format!(
        "{}_{width}x{height}",
        if lang == Lang::Ko { "ko" } else { "en" }
    );
    let mut s = Screens::demo(lang);
    s.keys("5");
    assert_eq!(s.app().screen, Screen::Stats);
    insta::assert_snapshot!(format!("stats_{tag}"), s.screen(width, height));
}

#[test]
fn statistics_in_korean_at_80x24() {
    snapshots(Lang::Ko, 80, 24);
}

#[test]
fn statistics_in_korean_at_100x30() {
    snapshots(Lang::Ko, 100, 30);
}

#[test]
fn statistics_in_english_at_80x24() {
    snapshots(Lang::En, 80, 24);
}

#[test]
fn statistics_in_english_at_100x30() {
    snapshots(Lang::En, 100, 30);
}

#[test]
fn months_change_with_arrows_and_the_figures_follow() {
    let mut s = Screens::demo(Lang::En);
    s.keys("5");
    let month = |s: &Screens| {
        s.app()
            .screens
            .stats
            .shown
            .as_ref()
            .unwrap()
            .month
            .to_string()
    };
    assert_eq!(month(&s), "2026-11-01");
    s.keys("h");
    assert_eq!(month(&s), "2026-10-01");
    let screen = s.screen(80, 24);
    assert!(
        screen.contains("2026-10 statistics · as of 2026-10-31"),
        "{screen}"
    );
    s.keys("<Right><Right>");
    assert_eq!(month(&s), "2026-12-01");
    // The figures shown are the domain's for that month.
    let stats = s.app().screens.stats.shown.clone().unwrap().stats.unwrap();
    let actions = s.driver.backend.all_actions().unwrap();
    let state = s.state().clone();
    let mut expected = casedesk::domain::stats::month_stats(
        state.cases.values(),
        &actions,
        state.conferences.values(),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        common::now().date_naive(),
    );
    expected.count_referrals(&actions, |t| external(&state, t));
    assert_eq!(stats, expected);
    // Esc goes back to where it came from; 5 comes back to the same month.
    s.keys("<Esc>");
    assert_eq!(s.app().screen, Screen::Dashboard);
    s.keys("5");
    assert_eq!(month(&s), "2026-12-01");
}

#[test]
fn the_screen_draws_at_any_size_without_panicking() {
    let mut s = Screens::demo(Lang::Ko);
    s.keys("5");
    for (w, h) in [(60, 16), (61, 17), (80, 24), (132, 50), (20, 5), (1, 1)] {
        let _ = s.screen(w, h);
    }
}

#[test]
fn figures_are_counted_again_after_a_change() {
    let mut s = Screens::demo(Lang::En);
    s.keys("5");
    let before = s.app().screens.stats.shown.clone().unwrap().stats.unwrap();
    // Mark the most overdue action done on the Due screen, then come back.
    s.keys("3x5");
    let after = s.app().screens.stats.shown.clone().unwrap().stats.unwrap();
    assert_ne!(before, after);
    let actions = s.driver.backend.all_actions().unwrap();
    let state = s.state().clone();
    let mut expected = casedesk::domain::stats::month_stats(
        state.cases.values(),
        &actions,
        state.conferences.values(),
        chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        common::now().date_naive(),
    );
    expected.count_referrals(&actions, |t| external(&state, t));
    assert_eq!(after, expected);
}

/// True when `team` is an outside agency (its actions are referrals).
fn external(state: &casedesk::domain::State, team: &casedesk::domain::TeamCode) -> bool {
    state
        .teams
        .get(team)
        .is_some_and(|t| t.kind == casedesk::domain::vocab::TeamKind::External)
}
