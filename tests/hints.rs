//! Every key named on screen is the one the keymap in force binds: status lines, questions and
//! the form's keys under both shipped keymaps, and the help hint at the right edge placed by
//! display width.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use casedesk::i18n::Lang;
use casedesk::keymap::Keymap;
use common::tui::Screens;
use unicode_width::UnicodeWidthStr;

fn screens(keymap: &str, lang: Lang) -> Screens {
    Screens::with_keymap(lang, Keymap::shipped(keymap).unwrap())
}

#[test]
fn a_saved_change_names_the_undo_key_in_force_and_the_question_its_yes_and_no() {
    for (keymap, done, undo, yes_no) in [
        ("default", "3x", "u: undo", "(y/n)"),
        ("fkeys", "<M-3><F7>", "C-z: undo", "(Enter/Esc)"),
    ] {
        let mut s = screens(keymap, Lang::En);
        s.keys(done);
        let shown = s.screen(100, 30);
        assert!(shown.contains(undo), "{keymap}: {shown}");
        s.keys(if keymap == "fkeys" { "<C-z>" } else { "u" });
        let shown = s.screen(100, 30);
        assert!(shown.contains(yes_no), "{keymap}: {shown}");
        assert!(
            keymap == "default" || !shown.contains("(y/n)"),
            "{keymap}: {shown}"
        );
    }
}

#[test]
fn the_filter_outside_lists_names_the_list_screens_keys() {
    for (keymap, keys, expected) in [
        ("default", "?/", "(1·2·3)"),
        ("fkeys", "<F1><F3>", "(M-1·M-2·M-3)"),
    ] {
        let mut s = screens(keymap, Lang::Ko);
        s.keys(keys);
        let shown = s.screen(100, 30);
        assert!(shown.contains(expected), "{keymap}: {shown}");
    }
}

#[test]
fn the_forms_keys_are_the_keymaps() {
    for (keymap, open, save) in [("default", "n", "C-s 저장"), ("fkeys", "<F2>", "C-s 저장")] {
        let mut s = screens(keymap, Lang::Ko);
        s.keys(open);
        let shown = s.screen(100, 30);
        assert!(shown.contains(save), "{keymap}: {shown}");
        assert!(
            shown.contains("Tab 이동") && shown.contains("Esc 취소"),
            "{shown}"
        );
    }
    // A keymap that moves between fields with other keys says so.
    let map = Keymap::with_user(
        "keymap.toml",
        "[form]\nnext_field = [\"Down\"]\ncancel = [\"C-g\"]\n",
    )
    .unwrap();
    let mut s = Screens::with_keymap(Lang::En, map);
    s.keys("n");
    let shown = s.screen(100, 30);
    assert!(
        shown.contains("Down move") && shown.contains("C-g cancel"),
        "{shown}"
    );
}

#[test]
fn switching_panes_is_named_by_the_keymaps_key() {
    for (keymap, open, done, pane) in [
        ("default", "<Enter>", "l", "l: switch pane"),
        ("fkeys", "<Enter>", "<Right>", "Right: switch pane"),
    ] {
        let mut s = screens(keymap, Lang::En);
        s.keys(open);
        // The timeline pane has no actions: marking one done there says how to switch.
        s.keys(done);
        s.keys(if keymap == "fkeys" { "<F7>" } else { "x" });
        let shown = s.screen(100, 30);
        assert!(shown.contains(pane), "{keymap}: {shown}");
    }
}

#[test]
fn the_help_hint_ends_at_the_right_edge_in_both_languages() {
    for lang in [Lang::Ko, Lang::En] {
        for width in [80u16, 100] {
            let mut s = Screens::demo(lang);
            let shown = s.screen(width, 24);
            let tabs = shown.lines().nth(2).unwrap();
            assert!(tabs.ends_with("도움말") || tabs.ends_with("help"), "{tabs}");
            assert_eq!(
                UnicodeWidthStr::width(tabs),
                usize::from(width) - 1,
                "{lang:?} {width}: {tabs}"
            );
        }
    }
}

#[test]
fn a_note_says_which_key_starts_a_new_line() {
    for (keymap, note, newline) in [
        ("default", "<Enter>m", "C-j: new line"),
        ("fkeys", "<Enter><F6>", "M-Enter: new line"),
    ] {
        let mut s = screens(keymap, Lang::En);
        s.keys(note);
        let shown = s.screen(100, 30);
        assert!(shown.contains(newline), "{keymap}: {shown}");
    }
}
