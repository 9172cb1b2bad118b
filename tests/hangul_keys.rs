//! Every command within reach with the input method in Hangul mode, and in the `:` palette:
//! both shipped keymaps give every capital-letter binding a twin that arrives in Hangul mode
//! (shown in help), a keymap without one is told, conflicts are still reported, and the new
//! commands — adding a team or agency, writing a conference's minutes — run from a key and from
//! the palette.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use casedesk::app::Screen;
use casedesk::domain::TeamCode;
use casedesk::i18n::Lang;
use casedesk::keymap::{Action, Keymap, shipped_names};
use common::tui::Screens;

#[test]
fn every_action_of_both_shipped_keymaps_has_a_key_that_arrives_in_hangul_mode() {
    for name in shipped_names() {
        let map = Keymap::shipped(name).unwrap();
        assert_eq!(
            map.unreachable_in_hangul_mode(),
            Vec::<Action>::new(),
            "{name}"
        );
    }
    // The check can fail: a keymap that leaves new_conference on C alone is told.
    let map = Keymap::with_user("keymap.toml", "[global]\nnew_conference = [\"C\"]\n").unwrap();
    assert_eq!(
        map.unreachable_in_hangul_mode(),
        vec![Action::NewConference]
    );
}

#[test]
fn twins_do_not_hide_conflicts() {
    let err = Keymap::with_user("keymap.toml", "[global]\nadd_team = [\"c\"]\n").unwrap_err();
    assert!(
        err.reason.contains("'c' is bound to both"),
        "{}",
        err.reason
    );
    let err =
        Keymap::with_user("keymap.toml", "[agenda]\nstart_conference = [\"i\"]\n").unwrap_err();
    assert!(err.reason.contains("amend"), "{}", err.reason);
}

#[test]
fn help_says_which_key_to_use_in_hangul_mode() {
    for (lang, words) in [
        (Lang::Ko, "한글 상태에서는:"),
        (Lang::En, "In Hangul mode use:"),
    ] {
        let mut s = Screens::demo(lang);
        s.keys("?");
        for _ in 0..12 {
            s.keys("<PageDown>");
        }
        let shown = s.screen(100, 30);
        let line = shown
            .lines()
            .find(|l| l.contains(words))
            .unwrap_or_else(|| panic!("{shown}"));
        assert!(
            line.contains("C → c") && line.contains("A → i") && line.contains("N → m"),
            "{line}"
        );
    }
}

#[test]
fn hangul_jamo_prepare_a_conference_and_add_an_agency() {
    let mut s = Screens::demo(Lang::Ko);
    // ㅊ is where c is: a new conference is prepared.
    s.keys("ㅊ");
    assert!(s.app().form.is_some(), "ㅊ opens the new-conference form");
    s.keys("<Esc>");
    // ㅆ (Shift-ㅅ) is T: a new team or agency, as `casedesk team add` does.
    s.keys("ㅆ");
    assert!(s.app().form.is_some());
    s.keys("LIB<Tab>동구종합사회복지관<Tab>Donggu welfare centre<C-s>");
    assert!(
        s.app().form.is_none(),
        "{:?}",
        s.app().form.as_ref().map(|f| &f.error)
    );
    let team = s.state().teams[&TeamCode::new("LIB").unwrap()].clone();
    assert_eq!(team.name_ko, "동구종합사회복지관");
    assert_eq!(team.kind, casedesk::domain::vocab::TeamKind::External);
}

#[test]
fn the_palette_offers_adding_an_agency_and_writing_the_minutes() {
    let mut s = Screens::demo(Lang::En);
    s.keys(":agency");
    assert!(s.app().palette_matches().contains(&Action::AddTeam));
    s.keys("<C-u>minutes");
    assert_eq!(s.app().palette_matches(), vec![Action::WriteMinutes]);
    // Without a conference open it says what to do.
    s.keys("<Enter>");
    assert!(s.screen(100, 30).contains("Open a conference first"));
    // On a conference's screen its own commands are offered too.
    s.keys("C<C-s>");
    assert_eq!(s.app().screen, Screen::Conference);
    s.keys(":start");
    assert!(s.app().palette_matches().contains(&Action::StartConference));
    s.keys("<Esc>");
    let dir = tempfile::tempdir().unwrap();
    s.driver.minutes_dir = Some(dir.path().to_path_buf());
    s.keys(":minutes<Enter>");
    let file = dir.path().join("conference-1-minutes.html");
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("<html"), "{html}");
    assert!(
        s.screen(120, 30).contains("Minutes written"),
        "the status line says where"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // And by key: W (w records progress on an action).
    std::fs::remove_file(&file).unwrap();
    s.keys("W");
    assert!(file.exists());
}
