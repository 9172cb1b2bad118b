//! The keymap: shipped files, user overrides, exact errors for bad files, key syntax, jamo.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use casedesk::i18n::Lang;
use casedesk::keymap::{
    Action, Context, Key, Keymap, KeymapError, latin_for_jamo, latin_key, shipped_names,
};
use proptest::prelude::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

fn ev(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    ev(KeyCode::Char(c))
}

fn with(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

/// The event crossterm sends for a key written in a file.
fn event_for(key: Key) -> KeyEvent {
    let mut modifiers = key.modifiers;
    match key.code {
        KeyCode::Char(c) if c.is_uppercase() => modifiers |= KeyModifiers::SHIFT,
        KeyCode::BackTab => modifiers |= KeyModifiers::SHIFT,
        _ => {}
    }
    KeyEvent::new(key.code, modifiers)
}

fn key(text: &str) -> Key {
    Key::parse(text).unwrap_or_else(|| panic!("{text} should parse"))
}

fn user(text: &str) -> Keymap {
    Keymap::with_user("keymap.toml", text).unwrap()
}

// ------------------------------------------------------------------------------------------
// Shipped keymaps
// ------------------------------------------------------------------------------------------

#[test]
fn every_shipped_keymap_loads_binds_every_action_and_has_no_conflicts() {
    let files = toml_files(&root().join("keymaps"));
    assert!(files.len() >= 2, "default.toml and fkeys.toml at least");
    let names: Vec<&str> = shipped_names().collect();
    for path in files {
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        assert!(
            names.contains(&name.as_str()),
            "{name}.toml is in keymaps/ but not compiled in"
        );
        let map = Keymap::shipped(&name).unwrap();
        // The compiled-in text is the file on disk.
        let text = std::fs::read_to_string(&path).unwrap();
        let from_disk =
            Keymap::build(&[Keymap::parse(&format!("keymaps/{name}.toml"), &text).unwrap()])
                .unwrap();
        assert_eq!(map, from_disk, "{name}");

        assert_eq!(
            map.unbound(),
            Vec::<Action>::new(),
            "{name}: unbound actions"
        );
        // Independently of build(): no key twice in one context.
        for (context, actions) in map.bindings() {
            let mut seen: HashMap<Key, Action> = HashMap::new();
            for (action, keys) in actions {
                assert_eq!(action.context(), context);
                assert!(!keys.is_empty(), "{name}: {action} has no key");
                for k in keys {
                    if let Some(other) = seen.insert(k, action) {
                        panic!("{name}: {k} is both {other} and {action} in {context}");
                    }
                    // The key as crossterm sends it finds the action in its context.
                    assert_eq!(
                        map.action(&[context], &event_for(k), false),
                        Some(action),
                        "{name}: {k}"
                    );
                }
            }
        }
        // The file names no base.
        assert_eq!(Keymap::parse("x", &text).unwrap().base, None, "{name}");
    }
}

#[test]
fn default_keymap_has_the_documented_keys() {
    let map = Keymap::shipped("default").unwrap();
    let expect: &[(Action, &[&str])] = &[
        (Action::Quit, &["q"]),
        (Action::Help, &["?"]),
        (Action::Filter, &["/"]),
        (Action::Palette, &[":"]),
        (Action::NextScreen, &["Tab"]),
        (Action::PrevScreen, &["BackTab"]),
        (Action::ScreenDashboard, &["1"]),
        (Action::ScreenByTeam, &["2"]),
        (Action::ScreenDue, &["3"]),
        (Action::ScreenConferences, &["4"]),
        (Action::Back, &["Esc"]),
        (Action::NewCase, &["n"]),
        (Action::NewConference, &["C", "c"]),
        (Action::Presentation, &["p"]),
        (Action::Undo, &["u"]),
        (Action::ScreenStats, &["5"]),
        (Action::AddTeam, &["T"]),
        (Action::WriteMinutes, &["W"]),
        (Action::MoveDown, &["j", "Down"]),
        (Action::MoveUp, &["k", "Up"]),
        (Action::First, &["g", "Home"]),
        (Action::Last, &["G", "End"]),
        (Action::PageDown, &["PageDown", "C-d"]),
        (Action::PageUp, &["PageUp", "C-u"]),
        (Action::Open, &["Enter"]),
        (Action::AddAction, &["a"]),
        (Action::Edit, &["e"]),
        (Action::EditCase, &["E"]),
        (Action::Consent, &["c"]),
        (Action::ActionDone, &["x"]),
        (Action::ActionDrop, &["d"]),
        (Action::ActionNote, &["w"]),
        (Action::ActionReferral, &["r"]),
        (Action::ActionSession, &["v"]),
        (Action::AddNote, &["N", "m"]),
        (Action::Sort, &["s"]),
        (Action::PaneNext, &["l", "Right"]),
        (Action::PanePrev, &["h", "Left"]),
        (Action::FollowConference, &["f"]),
        (Action::MergeCase, &["M", "b"]),
        (Action::DayNext, &["l", "Right"]),
        (Action::DayPrev, &["h", "Left"]),
        (Action::WeekNext, &["j", "Down"]),
        (Action::WeekPrev, &["k", "Up"]),
        (Action::MonthNext, &["]", "PageDown"]),
        (Action::MonthPrev, &["[", "PageUp"]),
        (Action::GoToday, &["t"]),
        (Action::ItemUp, &["K", "S-Up"]),
        (Action::ItemDown, &["J", "S-Down"]),
        (Action::AddEntry, &["a"]),
        (Action::RemoveEntry, &["d", "Delete"]),
        (Action::BudgetMore, &["+", "="]),
        (Action::BudgetLess, &["-"]),
        (Action::TogglePresent, &["Space", "x"]),
        (Action::AttendanceTiming, &["L", "r"]),
        (Action::AllPresent, &["P"]),
        (Action::AddAgency, &["o"]),
        (Action::DeferEntry, &["f"]),
        (Action::EditDetails, &["e"]),
        (Action::StartConference, &["s"]),
        (Action::Amend, &["A", "i"]),
        (Action::Decision, &["d"]),
        (Action::MeetingAction, &["a"]),
        (Action::SetReview, &["r"]),
        (Action::SetLevel, &["l"]),
        (Action::SetStage, &["s"]),
        (Action::DeferItem, &["f"]),
        (Action::ItemNext, &["]", "Right", "PageDown"]),
        (Action::ItemPrev, &["[", "Left", "PageUp"]),
        (Action::OpenItemCase, &["Enter"]),
        (Action::AddItem, &["+"]),
        (Action::Arrange, &["t"]),
        (Action::CloseConference, &["c"]),
        (Action::MeetingConsent, &["o"]),
        (Action::Save, &["C-s"]),
        (Action::NextField, &["Tab", "Down"]),
        (Action::PrevField, &["BackTab", "Up"]),
        (Action::Cancel, &["Esc"]),
        (Action::OptionNext, &["C-n"]),
        (Action::OptionPrev, &["C-p"]),
        (Action::Newline, &["C-j"]),
        (Action::Accept, &["Enter"]),
        (Action::Dismiss, &["Esc"]),
        (Action::SelectNext, &["Down", "C-n"]),
        (Action::SelectPrev, &["Up", "C-p"]),
        (Action::Yes, &["y", "Enter"]),
        (Action::No, &["n", "Esc"]),
    ];
    assert_eq!(expect.len(), Action::ALL.len());
    for (action, keys) in expect {
        let keys: Vec<Key> = keys.iter().map(|k| key(k)).collect();
        assert_eq!(map.keys(*action), keys.as_slice(), "{action}");
    }
}

#[test]
fn fkeys_keymap_uses_function_keys() {
    let map = Keymap::shipped("fkeys").unwrap();
    let list = [Context::List];
    let f = |n| ev(KeyCode::F(n));
    assert_eq!(map.action(&list, &f(1), true), Some(Action::Help));
    assert_eq!(map.action(&list, &f(2), true), Some(Action::NewCase));
    assert_eq!(map.action(&list, &f(3), true), Some(Action::Filter));
    assert_eq!(map.action(&list, &f(4), true), Some(Action::Palette));
    assert_eq!(map.action(&list, &f(5), true), Some(Action::AddAction));
    assert_eq!(map.action(&list, &f(6), true), Some(Action::AddNote));
    assert_eq!(map.action(&list, &f(7), true), Some(Action::ActionDone));
    assert_eq!(map.action(&list, &f(8), true), Some(Action::Edit));
    assert_eq!(map.action(&list, &f(9), true), Some(Action::Presentation));
    assert_eq!(map.action(&list, &f(10), true), Some(Action::Quit));
    let ctrl_z = with(KeyCode::Char('z'), KeyModifiers::CONTROL);
    assert_eq!(map.action(&list, &ctrl_z, true), Some(Action::Undo));
    // No plain letters in lists.
    assert_eq!(map.action(&list, &ch('j'), true), None);
}

#[test]
fn unknown_shipped_name_is_an_error() {
    let e = Keymap::shipped("vi").unwrap_err();
    assert_eq!(
        e.reason,
        "unknown base keymap 'vi': use 'default' or 'fkeys'"
    );
}

// ------------------------------------------------------------------------------------------
// Bad files
// ------------------------------------------------------------------------------------------

const ANY_KEY: &str =
    "use a character or a name such as Enter, Esc, Tab, F5, with C-, M- or S- in front (C-s)";
const SECTIONS: &str =
    "use [global], [list], [calendar], [agenda], [conference], [form], [prompt] or [confirm]";

fn expected_errors() -> Vec<(&'static str, usize, String)> {
    vec![
        (
            "unknown_section.toml",
            5,
            format!("unknown section [lists]: {SECTIONS}"),
        ),
        (
            "unknown_action_close.toml",
            3,
            "unknown action 'mov_down' in [list]; did you mean 'move_down'?".into(),
        ),
        (
            "unknown_action_far.toml",
            3,
            "unknown action 'launch_rockets' in [global]; see 'casedesk keys' for the names".into(),
        ),
        (
            "wrong_table.toml",
            6,
            "'quit' belongs in [global], not [list]".into(),
        ),
        (
            "bad_key.toml",
            2,
            format!("cannot read the key 'Ctl-x': {ANY_KEY}"),
        ),
        (
            "conflict_in_file.toml",
            5,
            "'j' is bound to both move_down and first in [list]".into(),
        ),
        (
            "conflict_with_base.toml",
            3,
            "'j' is bound to both move_down and sort in [list]".into(),
        ),
        (
            "conflict_with_fkeys.toml",
            7,
            "'Right' is bound to both day_next and go_today in [calendar]".into(),
        ),
        (
            "toml_syntax.toml",
            3,
            "not valid TOML: string values must be quoted, expected literal string (at '?')".into(),
        ),
        (
            "wrong_type.toml",
            3,
            "the keys for 'quit' must be a string or a list of strings".into(),
        ),
        (
            "wrong_type_in_list.toml",
            4,
            "the keys for 'quit' must be a string or a list of strings".into(),
        ),
        (
            "unknown_base.toml",
            2,
            "unknown base keymap 'vi': use 'default' or 'fkeys'".into(),
        ),
        (
            "duplicate_action.toml",
            3,
            "not valid TOML: duplicate key (at 'move_down')".into(),
        ),
        (
            "plain_char_in_form.toml",
            3,
            "'s' is a plain character: in [form] it could no longer be typed; use a C- or M- key or a named key".into(),
        ),
    ]
}

#[test]
fn every_bad_fixture_fails_with_its_exact_file_line_and_reason() {
    let dir = root().join("tests/fixtures/keymaps");
    let expected = expected_errors();
    let files = toml_files(&dir);
    assert_eq!(
        files.len(),
        expected.len(),
        "every fixture has an expected error"
    );
    for path in files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let (_, line, reason) = expected
            .iter()
            .find(|(n, _, _)| *n == name)
            .unwrap_or_else(|| panic!("no expected error for {name}"));
        let err = Keymap::load(Some(&path)).expect_err(name);
        let want = KeymapError {
            file: path.display().to_string(),
            line: *line,
            reason: reason.clone(),
        };
        assert_eq!(err, want, "{name}");
        assert_eq!(
            err.to_string(),
            format!("{}:{line}: {reason}", path.display())
        );
    }
}

#[test]
fn other_file_level_mistakes_are_explained() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "[global]\nquit = \"q\"\n\nquit2 = 1\n",
            4,
            "unknown action 'quit2' in [global]; did you mean 'quit'?",
        ),
        (
            "quit = \"q\"\n",
            1,
            "'quit' belongs in [global], not at the top of the file",
        ),
        (
            "colour = \"red\"\n",
            1,
            "unknown setting 'colour': only base = \"…\" and the sections [global], [list], [calendar], [agenda], [conference], [form], [prompt] or [confirm] may be at the top of the file",
        ),
        (
            "list = \"j\"\n",
            1,
            "'list' must be a section: write [list] and the actions under it",
        ),
        (
            "base = 1\n",
            1,
            "'base' must be a string: use 'default' or 'fkeys'",
        ),
        (
            "[confirm]\nyse = \"y\"\n",
            2,
            "unknown action 'yse' in [confirm]; did you mean 'yes'?",
        ),
        (
            "[confirm]\nab = \"y\"\n",
            2,
            "unknown action 'ab' in [confirm]; see 'casedesk keys' for the names",
        ),
        (
            "[list]\nsort = \"\"\n",
            2,
            "cannot read the key '': use a character or a name such as Enter, Esc, Tab, F5, with C-, M- or S- in front (C-s)",
        ),
        (
            "[list]\nsort = [\n  \"s\",\n  \"S-s\",\n]\n",
            4,
            "cannot read the key 'S-s': use a character or a name such as Enter, Esc, Tab, F5, with C-, M- or S- in front (C-s)",
        ),
        (
            "list = { move_down = \"X\", first = \"X\" }\n",
            1,
            "'X' is bound to both move_down and first in [list]",
        ),
        (
            "[list]\nsort = \"C-d\"\n",
            2,
            "'C-d' is bound to both page_down and sort in [list]",
        ),
        (
            "[form]\nsave = \"S-Tab\"\n",
            2,
            "'BackTab' is bound to both prev_field and save in [form]",
        ),
    ];
    for (text, line, reason) in cases {
        let err = Keymap::with_user("my.toml", text).expect_err(text);
        assert_eq!(
            err,
            KeymapError {
                file: "my.toml".into(),
                line: *line,
                reason: reason.to_string()
            },
            "{text}"
        );
    }
}

#[test]
fn unreadable_and_non_utf8_files_are_errors_missing_ones_are_defaults() {
    let default = Keymap::shipped("default").unwrap();
    assert_eq!(Keymap::load(None).unwrap(), default);
    let missing = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-such-keymap.toml");
    assert_eq!(Keymap::load(Some(&missing)).unwrap(), default);

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let err = Keymap::load(Some(dir)).unwrap_err();
    assert_eq!(err.file, dir.display().to_string());
    assert_eq!(err.line, 0);
    assert!(
        err.reason.starts_with("cannot read the keymap file: "),
        "{err}"
    );

    let latin1 = dir.join("keymap-latin1.toml");
    std::fs::write(&latin1, b"[global]\n# caf\xe9\nquit = \"q\"\n").unwrap();
    let err = Keymap::load(Some(&latin1)).unwrap_err();
    assert_eq!(
        (err.line, err.reason.as_str()),
        (2, "the file is not UTF-8 text: save it as UTF-8")
    );
}

// ------------------------------------------------------------------------------------------
// User overrides
// ------------------------------------------------------------------------------------------

#[test]
fn a_user_entry_replaces_one_binding_and_leaves_the_rest() {
    let default = Keymap::shipped("default").unwrap();
    let map = user("# mine\n[list]\nmove_down = [\"J\", \"Down\"]\n");
    let list = [Context::List];
    assert_eq!(map.keys(Action::MoveDown), &[key("J"), key("Down")]);
    assert_eq!(
        map.action(&list, &with(KeyCode::Char('J'), KeyModifiers::SHIFT), true),
        Some(Action::MoveDown)
    );
    assert_eq!(map.action(&list, &ch('j'), true), None);
    for action in Action::ALL.iter().filter(|a| **a != Action::MoveDown) {
        assert_eq!(map.keys(*action), default.keys(*action), "{action}");
    }
    assert_eq!(map.sources(), &["keymaps/default.toml", "keymap.toml"]);
}

#[test]
fn base_fkeys_starts_from_the_function_key_keymap() {
    let fkeys = Keymap::shipped("fkeys").unwrap();
    let map = user("base = \"fkeys\"\n\n[global]\nquit = [\"C-q\"]\n");
    assert_eq!(map.keys(Action::Quit), &[key("C-q")]);
    for action in Action::ALL.iter().filter(|a| **a != Action::Quit) {
        assert_eq!(map.keys(*action), fkeys.keys(*action), "{action}");
    }
    assert_eq!(map.sources(), &["keymaps/fkeys.toml", "keymap.toml"]);
    // An explicit default base is the default.
    assert_eq!(user("base = \"default\"\n").keys(Action::Quit), &[key("q")]);
    // An empty file is the defaults.
    let empty = user("");
    for action in Action::ALL {
        assert_eq!(
            empty.keys(*action),
            Keymap::shipped("default").unwrap().keys(*action)
        );
    }
}

#[test]
fn an_empty_list_unbinds() {
    let map = user("[list]\nsort = []\n");
    assert_eq!(map.keys(Action::Sort), &[] as &[Key]);
    assert_eq!(map.unbound(), vec![Action::Sort]);
    assert_eq!(map.action(&[Context::List], &ch('s'), true), None);
    assert!(map.describe(Lang::En).contains("(none)"));
    assert!(map.describe(Lang::Ko).contains("(없음)"));
    // The freed key can be used by another action in the same file.
    let map = user("[list]\nmove_down = []\nsort = \"j\"\n");
    assert_eq!(
        map.action(&[Context::List], &ch('j'), true),
        Some(Action::Sort)
    );
}

#[test]
fn swapping_keys_in_the_user_file_is_not_a_conflict() {
    let map = user("[list]\nmove_down = [\"k\"]\nmove_up = [\"j\"]\n");
    assert_eq!(
        map.action(&[Context::List], &ch('k'), true),
        Some(Action::MoveDown)
    );
    assert_eq!(
        map.action(&[Context::List], &ch('j'), true),
        Some(Action::MoveUp)
    );
}

#[test]
fn a_jamo_may_be_bound_directly() {
    let map = user("[global]\nquit = [\"q\", \"ㅂ\"]\n");
    assert_eq!(map.action(&[], &ch('ㅂ'), true), Some(Action::Quit));
    assert!(map.describe(Lang::Ko).contains("q ㅂ"));
}

// ------------------------------------------------------------------------------------------
// Lookup
// ------------------------------------------------------------------------------------------

#[test]
fn contexts_are_consulted_most_specific_first_and_global_only_when_asked() {
    let map = Keymap::shipped("default").unwrap();
    let esc = ev(KeyCode::Esc);
    // A context binding shadows the global one.
    assert_eq!(
        map.action(&[Context::Form], &esc, true),
        Some(Action::Cancel)
    );
    assert_eq!(map.action(&[Context::List], &esc, true), Some(Action::Back));
    assert_eq!(
        map.action(&[Context::Calendar, Context::List], &esc, true),
        Some(Action::Back)
    );
    // Text fields get plain characters.
    assert_eq!(map.action(&[Context::Form], &ch('q'), false), None);
    assert_eq!(
        map.action(&[Context::Form], &ch('q'), true),
        Some(Action::Quit)
    );
    // Order of contexts.
    assert_eq!(
        map.action(&[Context::Calendar, Context::List], &ch('j'), true),
        Some(Action::WeekNext)
    );
    assert_eq!(
        map.action(&[Context::List, Context::Calendar], &ch('j'), true),
        Some(Action::MoveDown)
    );
    // Confirm: n is "no" there, "new case" elsewhere.
    assert_eq!(
        map.action(&[Context::Confirm], &ch('n'), true),
        Some(Action::No)
    );
    assert_eq!(
        map.action(&[Context::List], &ch('n'), true),
        Some(Action::NewCase)
    );
    assert_eq!(map.action(&[], &ch('n'), false), None);
}

#[test]
fn events_are_normalised_like_crossterm_sends_them() {
    let map = Keymap::shipped("default").unwrap();
    let list = [Context::List];
    // G arrives with SHIFT, or without, or as a lower-case g with SHIFT.
    for event in [
        with(KeyCode::Char('G'), KeyModifiers::SHIFT),
        ch('G'),
        with(KeyCode::Char('g'), KeyModifiers::SHIFT),
    ] {
        assert_eq!(
            map.action(&list, &event, true),
            Some(Action::Last),
            "{event:?}"
        );
    }
    assert_eq!(map.action(&list, &ch('g'), true), Some(Action::First));
    // ? usually arrives with SHIFT.
    let question = with(KeyCode::Char('?'), KeyModifiers::SHIFT);
    assert_eq!(map.action(&list, &question, true), Some(Action::Help));
    // BackTab arrives with SHIFT; some terminals send Shift+Tab.
    for event in [
        with(KeyCode::BackTab, KeyModifiers::SHIFT),
        ev(KeyCode::BackTab),
        with(KeyCode::Tab, KeyModifiers::SHIFT),
    ] {
        assert_eq!(map.action(&list, &event, true), Some(Action::PrevScreen));
    }
    // Ctrl keys.
    let ctrl_d = with(KeyCode::Char('d'), KeyModifiers::CONTROL);
    assert_eq!(map.action(&list, &ctrl_d, true), Some(Action::PageDown));
    let alt_d = with(KeyCode::Char('d'), KeyModifiers::ALT);
    assert_eq!(map.action(&list, &alt_d, true), None);
    // Releases never act; repeats do.
    let release = KeyEvent::new_with_kind(
        KeyCode::Char('j'),
        KeyModifiers::NONE,
        KeyEventKind::Release,
    );
    assert_eq!(map.action(&list, &release, true), None);
    let repeat =
        KeyEvent::new_with_kind(KeyCode::Char('j'), KeyModifiers::NONE, KeyEventKind::Repeat);
    assert_eq!(map.action(&list, &repeat, true), Some(Action::MoveDown));
    // Key::matches agrees.
    assert!(key("G").matches(&with(KeyCode::Char('G'), KeyModifiers::SHIFT)));
    assert!(key("G").matches(&ch('G')));
    assert!(!key("G").matches(&ch('g')));
    assert!(key("S-Tab").matches(&with(KeyCode::BackTab, KeyModifiers::SHIFT)));
    assert!(!key("j").matches(&release));
}

// ------------------------------------------------------------------------------------------
// Actions and contexts
// ------------------------------------------------------------------------------------------

#[test]
fn action_and_context_names_round_trip() {
    for action in Action::ALL {
        assert_eq!(Action::from_name(action.name()), Some(*action));
        assert!(!action.description(Lang::Ko).is_empty());
        assert!(!action.description(Lang::En).is_empty());
        assert_ne!(action.description(Lang::Ko), action.description(Lang::En));
    }
    for context in Context::ALL {
        assert_eq!(Context::from_name(context.name()), Some(context));
    }
    assert_eq!(Action::from_name("nope"), None);
    assert_eq!(Action::Quit.context(), Context::Global);
    assert_eq!(Action::Newline.context(), Context::Form);
}

#[test]
fn describe_mentions_every_action_in_both_languages() {
    for name in shipped_names() {
        let map = Keymap::shipped(name).unwrap();
        for lang in [Lang::Ko, Lang::En] {
            let text = map.describe(lang);
            for action in Action::ALL {
                assert!(
                    text.lines()
                        .any(|l| l.split_whitespace().any(|w| w == action.name())),
                    "{name} {lang:?}: {action}"
                );
                assert!(text.contains(action.description(lang)), "{action}");
            }
            for context in Context::ALL {
                assert!(text.contains(&format!("[{}]", context.name())));
            }
        }
    }
    let en = Keymap::shipped("default").unwrap().describe(Lang::En);
    assert!(
        en.starts_with("Keymap in force: keymaps/default.toml\n"),
        "{en}"
    );
    assert!(en.contains("\n  j Down "), "{en}");
    let ko = Keymap::shipped("default").unwrap().describe(Lang::Ko);
    assert!(ko.contains("끝내기"));
}

// ------------------------------------------------------------------------------------------
// Key syntax
// ------------------------------------------------------------------------------------------

#[test]
fn key_syntax() {
    let k = |code, modifiers| Some(Key { code, modifiers });
    let none = KeyModifiers::NONE;
    let ctrl = KeyModifiers::CONTROL;
    let alt = KeyModifiers::ALT;
    let shift = KeyModifiers::SHIFT;
    let cases: &[(&str, Option<Key>)] = &[
        ("q", k(KeyCode::Char('q'), none)),
        ("G", k(KeyCode::Char('G'), none)),
        ("?", k(KeyCode::Char('?'), none)),
        ("]", k(KeyCode::Char(']'), none)),
        ("-", k(KeyCode::Char('-'), none)),
        ("ㅂ", k(KeyCode::Char('ㅂ'), none)),
        (" ", k(KeyCode::Char(' '), none)),
        ("Space", k(KeyCode::Char(' '), none)),
        ("enter", k(KeyCode::Enter, none)),
        ("ESC", k(KeyCode::Esc, none)),
        ("PageDown", k(KeyCode::PageDown, none)),
        ("pagedown", k(KeyCode::PageDown, none)),
        ("F1", k(KeyCode::F(1), none)),
        ("f12", k(KeyCode::F(12), none)),
        ("C-s", k(KeyCode::Char('s'), ctrl)),
        ("C-S", k(KeyCode::Char('S'), ctrl)),
        ("c-s", k(KeyCode::Char('s'), ctrl)),
        ("C--", k(KeyCode::Char('-'), ctrl)),
        ("M-x", k(KeyCode::Char('x'), alt)),
        ("A-x", k(KeyCode::Char('x'), alt)),
        ("C-M-Enter", k(KeyCode::Enter, ctrl | alt)),
        ("S-Tab", k(KeyCode::BackTab, none)),
        ("s-tab", k(KeyCode::BackTab, none)),
        ("C-S-Tab", k(KeyCode::BackTab, ctrl)),
        ("BackTab", k(KeyCode::BackTab, none)),
        ("S-Up", k(KeyCode::Up, shift)),
        ("S-F5", k(KeyCode::F(5), shift)),
        ("C", k(KeyCode::Char('C'), none)),
        ("S", k(KeyCode::Char('S'), none)),
        ("", None),
        ("Ctl-x", None),
        ("C-", None),
        ("C-C-x", None),
        ("S-a", None),
        ("S-Space", None),
        ("F0", None),
        ("F13", None),
        ("F01", None),
        ("F+1", None),
        ("Enterr", None),
        ("ab", None),
        ("\t", None),
        ("\n", None),
        ("X-a", None),
    ];
    for (text, want) in cases {
        assert_eq!(Key::parse(text), *want, "{text:?}");
    }
    let shown: Vec<String> = ["C-s", "S-Tab", "c-m-enter", "space", "f5", "S-left", "C--"]
        .iter()
        .map(|t| key(t).to_string())
        .collect();
    assert_eq!(
        shown,
        [
            "C-s",
            "BackTab",
            "C-M-Enter",
            "Space",
            "F5",
            "S-Left",
            "C--"
        ]
    );
}

// ------------------------------------------------------------------------------------------
// Jamo
// ------------------------------------------------------------------------------------------

const JAMO: &[(char, char)] = &[
    ('ㅂ', 'q'),
    ('ㅈ', 'w'),
    ('ㄷ', 'e'),
    ('ㄱ', 'r'),
    ('ㅅ', 't'),
    ('ㅛ', 'y'),
    ('ㅕ', 'u'),
    ('ㅑ', 'i'),
    ('ㅐ', 'o'),
    ('ㅔ', 'p'),
    ('ㅁ', 'a'),
    ('ㄴ', 's'),
    ('ㅇ', 'd'),
    ('ㄹ', 'f'),
    ('ㅎ', 'g'),
    ('ㅗ', 'h'),
    ('ㅓ', 'j'),
    ('ㅏ', 'k'),
    ('ㅣ', 'l'),
    ('ㅋ', 'z'),
    ('ㅌ', 'x'),
    ('ㅊ', 'c'),
    ('ㅍ', 'v'),
    ('ㅠ', 'b'),
    ('ㅜ', 'n'),
    ('ㅡ', 'm'),
    ('ㅃ', 'Q'),
    ('ㅉ', 'W'),
    ('ㄸ', 'E'),
    ('ㄲ', 'R'),
    ('ㅆ', 'T'),
    ('ㅒ', 'O'),
    ('ㅖ', 'P'),
];

#[test]
fn every_jamo_maps_to_its_latin_key() {
    for (jamo, latin) in JAMO {
        assert_eq!(latin_for_jamo(*jamo), Some(*latin), "{jamo}");
    }
    // The 26 letters are all reached, lower case once each.
    let mut lower: Vec<char> = JAMO
        .iter()
        .map(|(_, l)| *l)
        .filter(char::is_ascii_lowercase)
        .collect();
    lower.sort_unstable();
    assert_eq!(
        lower.into_iter().collect::<String>(),
        "abcdefghijklmnopqrstuvwxyz"
    );
    // Conjoining forms: leading ᄇ, vowel ᅥ, trailing ᆸ, leading ᄁ.
    assert_eq!(latin_for_jamo('\u{1107}'), Some('q'));
    assert_eq!(latin_for_jamo('\u{1165}'), Some('j'));
    assert_eq!(latin_for_jamo('\u{11B8}'), Some('q'));
    assert_eq!(latin_for_jamo('\u{1101}'), Some('R'));
    assert_eq!(latin_for_jamo('\u{1168}'), Some('P'));
    // Two-key jamo, syllables and Latin letters are not jamo keys.
    for c in ['ㅘ', 'ㄳ', '가', 'a', 'Q', '?', '\u{116A}', '\u{11AA}'] {
        assert_eq!(latin_for_jamo(c), None, "{c}");
    }
}

#[test]
fn latin_key_turns_jamo_events_into_shortcuts() {
    let map = Keymap::shipped("default").unwrap();
    let list = [Context::List];
    // Without conversion, ㅓ is not a shortcut…
    assert_eq!(map.action(&list, &ch('ㅓ'), true), None);
    // …with it, it is j.
    assert_eq!(latin_key(&ch('ㅓ')), ch('j'));
    assert_eq!(
        map.action(&list, &latin_key(&ch('ㅓ')), true),
        map.action(&list, &ch('j'), true)
    );
    assert_eq!(
        map.action(&list, &latin_key(&ch('ㅓ')), true),
        Some(Action::MoveDown)
    );
    // Shift-ㅂ gives ㅃ, which is Q, whether or not SHIFT is reported; and a plain ㅂ with SHIFT
    // is Q as well.
    let shift = KeyModifiers::SHIFT;
    assert_eq!(
        latin_key(&with(KeyCode::Char('ㅃ'), shift)),
        with(KeyCode::Char('Q'), shift)
    );
    assert_eq!(latin_key(&ch('ㅃ')), ch('Q'));
    assert_eq!(
        Key::from_event(&latin_key(&with(KeyCode::Char('ㅃ'), shift))),
        key("Q")
    );
    assert_eq!(
        Key::from_event(&latin_key(&with(KeyCode::Char('ㅂ'), shift))),
        key("Q")
    );
    // Modifiers, kind and state are kept.
    let ctrl = with(KeyCode::Char('ㅇ'), KeyModifiers::CONTROL);
    assert_eq!(
        latin_key(&ctrl),
        with(KeyCode::Char('d'), KeyModifiers::CONTROL)
    );
    assert_eq!(
        map.action(&list, &latin_key(&ctrl), true),
        Some(Action::PageDown)
    );
    let repeat = KeyEvent::new_with_kind(
        KeyCode::Char('ㅏ'),
        KeyModifiers::NONE,
        KeyEventKind::Repeat,
    );
    assert_eq!(latin_key(&repeat).kind, KeyEventKind::Repeat);
    // ㅂ quits, ㅜ is a new case.
    assert_eq!(
        map.action(&list, &latin_key(&ch('ㅂ')), true),
        Some(Action::Quit)
    );
    assert_eq!(
        map.action(&list, &latin_key(&ch('ㅜ')), true),
        Some(Action::NewCase)
    );
    // Everything else is unchanged.
    for event in [
        ch('j'),
        ch('가'),
        ev(KeyCode::Enter),
        ev(KeyCode::F(3)),
        ch('?'),
    ] {
        assert_eq!(latin_key(&event), event);
    }
}

// ------------------------------------------------------------------------------------------
// Properties
// ------------------------------------------------------------------------------------------

fn any_key() -> impl Strategy<Value = Key> {
    let code = prop_oneof![
        any::<char>()
            .prop_filter("not a control character", |c| !c.is_control())
            .prop_map(KeyCode::Char),
        prop::sample::select(vec![
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Backspace,
            KeyCode::Delete,
            KeyCode::Insert,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
        ]),
        (1u8..=12).prop_map(KeyCode::F),
    ];
    (code, any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(code, c, a, s)| {
        let mut m = KeyModifiers::NONE;
        m.set(KeyModifiers::CONTROL, c);
        m.set(KeyModifiers::ALT, a);
        m.set(KeyModifiers::SHIFT, s);
        Key::new(code, m)
    })
}

proptest! {
    #[test]
    fn display_reads_back_with_parse(k in any_key()) {
        let text = k.to_string();
        prop_assert_eq!(Key::parse(&text), Some(k), "{}", text);
    }

    #[test]
    fn parse_then_display_is_stable(
        text in "((C|M|A|S|c|m|a|s|X)-){0,3}(.|Enter|esc|TAB|BackTab|Space|PageUp|F[0-9]{1,2}|[A-Za-z]{2,4})"
    ) {
        if let Some(k) = Key::parse(&text) {
            let shown = k.to_string();
            prop_assert_eq!(Key::parse(&shown), Some(k), "{} -> {}", text, shown);
            prop_assert_eq!(Key::parse(&shown).map(|k| k.to_string()), Some(shown.clone()));
        }
    }

    #[test]
    fn parse_never_panics(text in any::<String>()) {
        let _ = Key::parse(&text);
    }

    #[test]
    fn parse_never_panics_on_key_like_text(text in "[CMASs\\-a-zA-Z0-9ㅂ가 \t]{0,12}") {
        let _ = Key::parse(&text);
    }

    #[test]
    fn keymap_parse_never_panics(text in any::<String>()) {
        let _ = Keymap::with_user("p.toml", &text);
    }

    #[test]
    fn keymap_parse_never_panics_on_tomlish_text(
        text in "(\\[(global|list|form|lists)\\]\n|(quit|move_down|sort|base|x) = (\"[a-zC\\-]{0,4}\"|\\[\"j\", \"k\"\\]|\\[\\]|1)\n){0,6}"
    ) {
        if let Err(e) = Keymap::with_user("p.toml", &text) {
            prop_assert!(e.line <= text.lines().count() + 1, "{}", e);
        }
    }

    #[test]
    fn a_bound_key_event_finds_its_action(idx in 0usize..48) {
        let map = Keymap::shipped("default").unwrap();
        let action = Action::ALL[idx % Action::ALL.len()];
        for k in map.keys(action) {
            prop_assert_eq!(map.action(&[action.context()], &event_for(*k), false), Some(action));
        }
    }
}
