//! One student, one case, from the screens: on a case, one key merges another case of the same
//! student into it — the likely duplicates offered first, any other by its number — after a
//! question that shows both cases and what moves; the kept case then shows the moved actions
//! and the other case's timeline marked with its number, and undo takes it all back. A merged
//! case opened on the screen points to the kept one and offers nothing that would be refused.
//! Refusals (a role, a closed case, a mistyped number) are said as every refusal is.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::cell::Cell;
use std::rc::Rc;

use casedesk::app::{App, Msg};
use casedesk::backend::{Backend, Embedded, Remote};
use casedesk::domain::vocab::{NoteKind, Role};
use casedesk::domain::{CaseNumber, Command, Outcome, TeamCode, User};
use casedesk::i18n::Lang;
use casedesk::keymap::Keymap;
use casedesk::store::Store;
use casedesk::tui::driver::Driver;
use casedesk::ui::Theme;
use common::tui::Screens;

/// Registers the student of `keep` again (as at another desk), with two actions and a note.
fn register_again(s: &mut Screens, keep: CaseNumber) -> CaseNumber {
    let case = s.state().cases[&keep].clone();
    let now = common::now();
    let b = &mut s.driver.backend;
    let registered = b
        .apply(
            Command::CreateCase {
                case: casedesk::domain::NewCase {
                    student: case.student.clone(),
                    school: case.school.clone(),
                    grade: case.grade,
                    ..common::new_case("", "WEE", &[])
                },
            },
            now,
            &[],
        )
        .unwrap();
    let Outcome::Case { number: other } = registered.outcome else {
        panic!("not registered: {:?}", registered.outcome);
    };
    for (title, team, days) in [("상담 연계", "WEE", 3), ("가정 방문", "WELF", 5)] {
        b.apply(
            Command::AddAction {
                case: other,
                title: title.into(),
                team: TeamCode::new(team).unwrap(),
                due_on: now.date_naive() + chrono::Duration::days(days),
                person: None,
                conference: None,
                sharing: Default::default(),
            },
            now,
            &[],
        )
        .unwrap();
    }
    b.apply(
        Command::AddNote {
            case: other,
            kind: NoteKind::Note,
            text: "담임 면담: 결석이 잦음".into(),
            restricted: false,
        },
        now,
        &[],
    )
    .unwrap();
    s.driver.handle(Msg::Remote(Remote::Resynced));
    other
}

/// The demo's first case on the dashboard, opened, and its student registered again: (screens,
/// the case kept, the duplicate).
fn duplicated(lang: Lang) -> (Screens, CaseNumber, CaseNumber) {
    let mut s = Screens::demo(lang);
    s.keys("1<Enter>");
    let keep = shown(&s);
    let other = register_again(&mut s, keep);
    (s, keep, other)
}

fn shown(s: &Screens) -> CaseNumber {
    s.app().screens.case.shown.as_ref().unwrap().number
}

fn status(s: &mut Screens) -> String {
    s.screen(100, 30)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_merge_form_the_question_and_the_kept_case_look_right() {
    for (lang, tag) in [(Lang::Ko, "ko"), (Lang::En, "en")] {
        for (w, h) in [(80, 24), (100, 30)] {
            let (mut s, keep, other) = duplicated(lang);
            s.keys("M");
            let form = s.screen(w, h);
            assert!(form.contains(&format!("{other} ")), "{form}");
            insta::assert_snapshot!(format!("merge_form_{tag}_{w}x{h}"), form);
            // The duplicate is chosen already: Enter asks.
            s.keys("<Enter>");
            let asked = s.screen(w, h);
            assert!(
                asked.contains(&keep.to_string()) && asked.contains(&other.to_string()),
                "{asked}"
            );
            insta::assert_snapshot!(format!("merge_confirm_{tag}_{w}x{h}"), asked);
            s.keys("y");
            assert_eq!(s.state().cases[&other].merged_into, Some(keep));
            insta::assert_snapshot!(format!("merge_kept_{tag}_{w}x{h}"), s.screen(w, h));
        }
    }
}

#[test]
fn a_merge_moves_the_actions_onto_the_case_shown_says_so_and_is_undone_with_u() {
    for lang in [Lang::Ko, Lang::En] {
        let (mut s, keep, other) = duplicated(lang);
        let before = s.app().screens.case.shown.as_ref().unwrap().actions.len();
        // b is the key that works with the input method in Hangul mode (M arrives as m there).
        s.keys("b");
        assert!(s.app().form.is_some());
        s.keys("<Enter>");
        let asked = s.screen(100, 30);
        let moves = match lang {
            Lang::Ko => "조치 2건(진행 2), 기록 1건, 사례회의 안건 0건",
            Lang::En => "2 action(s) (2 open), 1 note(s), 0 agenda item(s)",
        };
        assert!(asked.contains(moves), "{asked}");
        assert!(
            asked.contains(match lang {
                Lang::Ko => "되돌리기(u)로 되돌릴 수 있습니다",
                Lang::En => "It can be undone (u).",
            }),
            "{asked}"
        );
        s.keys("y");
        let view = s.app().screens.case.shown.clone().unwrap();
        assert_eq!(view.number, keep);
        assert_eq!(view.actions.len(), before + 2);
        assert!(view.actions.iter().any(|a| a.title == "상담 연계"));
        assert!(s.state().actions_of(other).next().is_none());
        let screen = s.screen(100, 30);
        let said = match lang {
            Lang::Ko => format!("{other}을(를) {keep}에 병합: 조치 2건 이동 (u: 되돌리기)"),
            Lang::En => format!("{other} merged into {keep}: 2 actions moved (u: undo)"),
        };
        assert!(screen.contains(&said), "{screen}");
        // The other case's note shows on the kept case's timeline, marked with where it was.
        assert!(screen.contains(&format!("[{other}]")), "{screen}");
        assert!(
            view.notes
                .iter()
                .any(|n| n.case == other && n.text.contains("결석")),
            "{:?}",
            view.notes
        );
        // The kept case says what was merged into it.
        let label = match lang {
            Lang::Ko => "병합됨",
            Lang::En => "Merged in",
        };
        assert!(
            screen
                .lines()
                .any(|l| l.contains(label) && l.contains(&other.to_string())),
            "{screen}"
        );
        // The duplicate is no longer listed: one student, one row.
        s.keys("<Esc>/");
        s.keys(&other.to_string());
        s.keys("<Enter>");
        assert!(s.app().lists.view().cases.is_empty());
        s.keys("<Esc>");
        s.keys("/");
        s.keys(&keep.to_string());
        s.keys("<Enter><Enter>");
        assert_eq!(shown(&s), keep);

        // Undo asks, then takes it all back.
        s.keys("u");
        let asked = s.screen(100, 30);
        assert!(asked.contains(&format!("{other}")), "{asked}");
        s.keys("y");
        assert_eq!(s.state().cases[&other].merged_into, None);
        assert_eq!(s.state().actions_of(other).count(), 2);
        assert_eq!(shown(&s), keep);
        assert_eq!(
            s.app().screens.case.shown.as_ref().unwrap().actions.len(),
            before
        );
    }
}

#[test]
fn any_case_merges_by_its_number_and_a_wrong_number_is_said_in_the_form() {
    let (mut s, keep, other) = duplicated(Lang::En);
    s.keys("M<Tab>");
    // A number typed means another case than the one offered.
    s.keys(&keep.to_string());
    let form = s.screen(100, 30);
    assert!(form.contains("another case (its number below)"), "{form}");
    s.keys("<C-s>");
    let form = s.screen(100, 30);
    assert!(
        form.contains(&format!("case {keep} cannot be merged into itself")),
        "{form}"
    );
    s.keys("<C-u>2026-9999<C-s>");
    let form = s.screen(100, 30);
    assert!(form.contains("there is no case '2026-9999'"), "{form}");
    assert!(s.app().confirm.is_none());
    // No is no: nothing is merged.
    s.keys("<C-u>");
    s.keys(&other.to_string());
    s.keys("<Enter>");
    assert!(s.app().confirm.is_some());
    s.keys("n");
    assert!(status(&mut s).contains("Cancelled"));
    assert_eq!(s.state().cases[&other].merged_into, None);

    // A case with no duplicate: the form says so and takes any case's number.
    let unrelated = *s
        .state()
        .cases
        .values()
        .find(|c| c.is_open() && c.number != keep && c.number != other)
        .map(|c| &c.number)
        .unwrap();
    s.keys("M<Tab>");
    s.keys(&unrelated.to_string());
    // The case typed is named before anything is done.
    let form = s.screen(100, 30);
    let named = s.state().cases[&unrelated].school.clone();
    assert!(form.contains(&format!("→ {unrelated}")), "{form}");
    assert!(form.contains(&named), "{form}");
    s.keys("<Enter>y");
    assert_eq!(s.state().cases[&unrelated].merged_into, Some(keep));
}

#[test]
fn a_case_without_a_duplicate_offers_none_and_asks_for_a_number() {
    let mut s = Screens::demo(Lang::En);
    s.keys("1<Enter>");
    let keep = shown(&s);
    s.keys("M");
    let form = s.screen(100, 30);
    assert!(
        form.contains(&format!(
            "Merge another case into {keep} · no other case of this student found"
        )),
        "{form}"
    );
    assert!(!form.contains("Same student"), "{form}");
    s.keys("<C-s>");
    assert!(
        s.screen(100, 30).contains("Case number is required"),
        "{}",
        s.screen(100, 30)
    );
}

#[test]
fn a_merged_case_on_the_screen_points_to_the_kept_one_and_records_nothing() {
    for (lang, tag) in [(Lang::Ko, "ko"), (Lang::En, "en")] {
        let (mut s, keep, other) = duplicated(lang);
        // The duplicate is open on this screen when someone else merges it.
        s.keys("<Esc>/");
        s.keys(&other.to_string());
        s.keys("<Enter><Enter>");
        assert_eq!(shown(&s), other);
        let merged = s
            .driver
            .backend
            .apply(Command::MergeCases { keep, other }, common::now(), &[])
            .unwrap();
        // As the server tells it: a merge, about the case kept.
        s.driver.handle(Msg::Remote(Remote::Changed {
            seq: merged.seq,
            by: "coord.lee".into(),
            summary: casedesk::domain::revision::summarize(
                &Command::MergeCases { keep, other },
                &merged.outcome,
            ),
            own: false,
        }));
        assert!(
            s.app()
                .screens
                .case
                .shown
                .as_ref()
                .unwrap()
                .actions
                .is_empty(),
            "the pointer's actions were not read again"
        );
        let said = status(&mut s);
        assert!(said.contains("coord.lee"), "{said}");
        // The next key clears the news; the line shows the keys.
        s.keys("j");
        for (w, h) in [(80, 24), (100, 30)] {
            let screen = s.screen(w, h);
            assert!(
                screen.contains(&format!("{other}")) && screen.contains(&format!("{keep}")),
                "{screen}"
            );
            insta::assert_snapshot!(format!("merge_pointer_{tag}_{w}x{h}"), screen);
        }
        // Keys that would record on it say where it went and open nothing.
        for key in ["a", "E", "e", "N", "c", "x", "w", "M"] {
            s.keys(key);
            assert!(s.app().form.is_none(), "{key} opened a form");
            let said = status(&mut s);
            assert!(
                said.contains(&format!("{other}")) && said.contains(&format!("{keep}")),
                "{key}: {said}"
            );
        }
        // Enter goes to the kept case.
        s.keys("<Enter>");
        assert_eq!(shown(&s), keep);
    }
}

#[test]
fn a_closed_case_takes_no_open_actions_and_the_refusal_is_on_the_status_line() {
    let (mut s, keep, other) = duplicated(Lang::En);
    s.driver
        .backend
        .apply(
            Command::CloseCase {
                case: keep,
                reason: "지원 완료".into(),
                drop_open: true,
            },
            common::now(),
            &[],
        )
        .unwrap();
    s.driver.handle(Msg::Remote(Remote::Resynced));
    s.keys("M<Enter>y");
    let said = status(&mut s);
    assert!(said.starts_with("! "), "{said}");
    assert!(
        said.contains(&format!("case {keep} is closed (or in aftercare)")),
        "{said}"
    );
    assert_eq!(s.state().cases[&other].merged_into, None);
}

/// The demo store with two cases of one student led by WEE, opened on the screens as the team
/// member `wee.han`, on the first of them.
fn as_member(lang: Lang) -> (Screens, CaseNumber, CaseNumber) {
    let mut s = Screens::demo(lang);
    let now = common::now();
    let b = &mut s.driver.backend;
    b.apply(
        Command::AddUser {
            user: User {
                account: "wee.han".into(),
                role: Role::Member,
                teams: vec![TeamCode::new("WEE").unwrap()],
                name: None,
            },
        },
        now,
        &[],
    )
    .unwrap();
    let mut numbers = Vec::new();
    for _ in 0..2 {
        let registered = b
            .apply(
                Command::CreateCase {
                    case: common::new_case("홍길동", "WEE", &[]),
                },
                now,
                &[],
            )
            .unwrap();
        let Outcome::Case { number } = registered.outcome else {
            panic!("not registered");
        };
        numbers.push(number);
    }
    let Screens { tmp, driver, .. } = s;
    drop(driver);
    let store = Store::open(&tmp.path().join("store")).unwrap();
    let mut backend = Embedded::new(store, "wee.han", Some("tester")).unwrap();
    let app = App::new(
        lang,
        now.date_naive(),
        "wee.han".into(),
        Keymap::shipped("default").unwrap(),
        backend.snapshot().unwrap(),
    );
    let clock = Rc::new(Cell::new(now));
    let source = clock.clone();
    let mut driver = Driver::new(app, backend, Box::new(move || source.get()));
    driver.handle(Msg::Resize {
        width: 100,
        height: 30,
    });
    let mut s = Screens {
        tmp,
        driver,
        theme: Theme::new(false),
        clock,
    };
    s.keys("/");
    s.keys(&numbers[0].to_string());
    s.keys("<Enter><Enter>");
    assert_eq!(shown(&s), numbers[0]);
    (s, numbers[0], numbers[1])
}

#[test]
fn a_team_member_is_told_that_only_coordinators_merge() {
    for (lang, words) in [
        (Lang::Ko, "조정자와 관리자만 할 수 있습니다"),
        (Lang::En, "wee.han"),
    ] {
        let (mut s, _, other) = as_member(lang);
        s.keys("M<Enter>y");
        let said = status(&mut s);
        assert!(said.starts_with("! ") && said.contains(words), "{said}");
        assert_eq!(s.state().cases[&other].merged_into, None);
    }
}

#[test]
fn the_merge_key_is_in_the_help_the_palette_and_both_keymaps() {
    for name in ["default", "fkeys"] {
        let map = Keymap::shipped(name).unwrap();
        assert!(
            !map.keys(casedesk::keymap::Action::MergeCase).is_empty(),
            "{name}"
        );
        assert!(
            !map.unreachable_in_hangul_mode()
                .contains(&casedesk::keymap::Action::MergeCase),
            "{name}"
        );
    }
    let mut s = Screens::demo(Lang::En);
    s.keys("?");
    s.keys(&"<PageDown>".repeat(2));
    let mut help = String::new();
    for _ in 0..8 {
        help.push_str(&s.screen(100, 30));
        s.keys("<PageDown>");
    }
    assert!(help.contains("merge_case"), "{help}");
    assert!(help.contains("M → b"), "{help}");
    s.keys("<Esc>1<Enter>:merge");
    let palette = s.screen(100, 30);
    assert!(palette.contains("merge_case"), "{palette}");
    s.keys("<Enter>");
    assert!(s.app().form.is_some());
}

#[test]
fn a_case_on_a_running_conference_is_not_merged_away_and_the_refusal_is_on_the_status_line() {
    for (lang, words) in [
        (Lang::Ko, "진행 중인 사례회의"),
        (Lang::En, "which is running"),
    ] {
        let (mut s, _, other) = duplicated(lang);
        let now = common::now();
        let b = &mut s.driver.backend;
        let prepared = b
            .apply(
                Command::CreateConference {
                    conference: casedesk::domain::NewConference {
                        date: now.date_naive(),
                        title: "긴급 사례회의".into(),
                        kind: casedesk::domain::vocab::ConferenceKind::Urgent,
                        facilitator: "tester".into(),
                        agenda: vec![casedesk::domain::PlannedItem {
                            case: other,
                            reasons: vec![casedesk::domain::model::AgendaReason::NewIntake],
                            budget_minutes: 10,
                        }],
                        attendees: Vec::new(),
                        length_minutes: 60,
                        place: None,
                        time: None,
                    },
                },
                now,
                &[],
            )
            .unwrap();
        let Outcome::Conference { id } = prepared.outcome else {
            panic!("not prepared: {:?}", prepared.outcome);
        };
        b.apply(Command::StartConference { conference: id }, now, &[])
            .unwrap();
        s.driver.handle(Msg::Remote(Remote::Resynced));
        s.keys("M<Enter>");
        // The question counts the agenda item that would move.
        let asked = s.screen(100, 30);
        assert!(
            asked.contains(match lang {
                Lang::Ko => "사례회의 안건 1건",
                Lang::En => "1 agenda item(s)",
            }),
            "{asked}"
        );
        s.keys("y");
        let said = status(&mut s);
        assert!(said.starts_with("! ") && said.contains(words), "{said}");
        assert_eq!(s.state().cases[&other].merged_into, None);
    }
}
