//! Guardian consent as the law separates it: consent to collect and use, and consent to share
//! with a named outside agency, each dated, with who gave it and its withdrawal. An action for an
//! outside agency without a standing consent to share is refused on the command line unless a
//! reason is given, warned about in the form and on the run screen; old journals still replay;
//! roles apply; the screens reach consent with one key.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::json;

use casedesk::backend::{Backend, Embedded};
use casedesk::domain::vocab::{ConsentGiver, ConsentKind};
use casedesk::domain::{CaseNumber, CaseUpdate, Command, NewConsent, TeamCode};
use casedesk::i18n::Lang;
use casedesk::store::Store;
use common::TempStore;
use common::tui::Screens;
use serde_json::Value;

fn add_case(store: &TempStore, name: &str) -> String {
    store
        .ok(&[
            "case",
            "add",
            "--student",
            name,
            "--school",
            "한빛초등학교",
            "--grade",
            "3-2",
            "--lead",
            "WEE",
            "--birth",
            "2016-04-01",
        ])
        .trim()
        .to_string()
}

fn add_cpa_action(store: &TempStore, case: &str, extra: &[&str]) -> common::Run {
    let mut args = vec![
        "action",
        "add",
        case,
        "--title",
        "보호 연계",
        "--team",
        "CPA",
        "--due",
        "+3d",
    ];
    args.extend_from_slice(extra);
    store.run(&args)
}

fn consents(store: &TempStore, case: &str) -> Vec<Value> {
    match json(&store.ok(&["consent", "list", case, "--json"])) {
        Value::Array(v) => v,
        other => panic!("not a list: {other}"),
    }
}

#[test]
fn consents_are_recorded_numbered_and_withdrawn_with_their_days_and_givers() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동");
    assert!(
        store
            .ok(&["consent", "list", &case])
            .contains("no consent recorded")
    );
    store.ok(&["consent", "add", &case, "--collect", "--on", "11/20"]);
    let out = store.ok(&[
        "consent",
        "add",
        &case,
        "--share",
        "CPA",
        "--on",
        "2026-11-21",
        "--by",
        "both",
    ]);
    assert!(
        out.contains("#2 [valid] sharing CPA · 2026-11-21 · both"),
        "{out}"
    );
    let list = consents(&store, &case);
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["kind"], "collection");
    assert_eq!(list[0]["given_on"], "2026-11-20");
    assert_eq!(list[0]["given_by"], "guardian");
    assert_eq!(list[1]["agency"], "CPA");
    assert_eq!(list[1]["given_by"], "both");

    let out = store.ok(&["consent", "withdraw", &case, "2", "--on", "today"]);
    assert!(out.contains("#2 [not valid]"), "{out}");
    assert!(out.contains("withdrawn 2026-11-28"), "{out}");
    let list = consents(&store, &case);
    assert_eq!(list[1]["withdrawn_on"], "2026-11-28");
    assert_eq!(list[1]["valid"], false);

    // `case show` lists them, and the timeline says what happened and who recorded it.
    let shown = store.ok(&["case", "show", &case]);
    assert!(
        shown.contains("#1 collection/use · 2026-11-20 · guardian"),
        "{shown}"
    );
    let case_json = json(&store.ok(&["case", "show", &case, "--json"]));
    assert_eq!(case_json["consent"]["collection_on"], "2026-11-20");
    assert_eq!(case_json["consent"]["third_party"], serde_json::json!([]));
    let kinds: Vec<&str> = case_json["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["consent", "consent", "consent"]);
}

#[test]
fn consents_that_cannot_be_are_refused_in_one_line() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동");
    let cases = [
        (vec!["--share", "WEE"], "department of the office"),
        (vec!["--collect", "--on", "tomorrow"], "after today"),
        (
            vec!["--collect", "--on", "2016-03-01"],
            "before the student was born",
        ),
        (vec!["--collect", "--by", "neighbour"], "neighbour"),
    ];
    for (extra, says) in cases {
        let mut args = vec!["consent", "add", case.as_str()];
        args.extend(extra.iter().copied());
        let err = store.fails(&args);
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let err = store.fails(&["consent", "withdraw", &case, "1"]);
    assert!(err.contains("no consent number 1"), "{err}");
    store.ok(&["consent", "add", &case, "--collect", "--on", "11/27"]);
    let err = store.fails(&["consent", "withdraw", &case, "1", "--on", "11/26"]);
    assert!(err.contains("before the consent was given"), "{err}");
    store.ok(&["consent", "withdraw", &case, "1"]);
    let err = store.fails(&["consent", "withdraw", &case, "1"]);
    assert!(err.contains("already withdrawn"), "{err}");
}

#[test]
fn an_outside_agency_needs_consent_to_share_or_a_recorded_reason() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동");
    // Without consent: refused, and the case has no new action.
    let run = add_cpa_action(&store, &case, &[]);
    assert!(!run.success());
    assert!(
        run.stderr
            .contains("has no standing consent to share with CPA"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--without-consent"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1);
    let actions = json(&store.ok(&["action", "list", "--case", &case, "--json"]));
    assert_eq!(actions, serde_json::json!([]));
    // An internal team needs none.
    store.ok(&[
        "action", "add", &case, "--title", "상담", "--team", "WELF", "--due", "+3d",
    ]);
    // A safety emergency: it goes ahead, with the reason kept on the action.
    let run = add_cpa_action(
        &store,
        &case,
        &["--without-consent", "아동학대 의심 즉시 신고"],
    );
    assert!(run.success(), "{}", run.stderr);
    let id = run.stdout.trim().to_string();
    let list = json(&store.ok(&["action", "list", "--case", &case, "--json"]));
    let action = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id.as_str())
        .unwrap();
    assert_eq!(action["without_consent"], "아동학대 의심 즉시 신고");
    // With a consent to share with the agency it goes through as any action; withdrawn, no more.
    store.ok(&["consent", "add", &case, "--share", "아동보호전문기관"]);
    let run = add_cpa_action(&store, &case, &[]);
    assert!(run.success(), "{}", run.stderr);
    store.ok(&["consent", "withdraw", &case, "1"]);
    let run = add_cpa_action(&store, &case, &[]);
    assert!(!run.success());
    // Moving an action to an outside agency is held to the same rule.
    let err = store.fails(&["action", "set", &format!("{case}/1"), "--team", "MHC"]);
    assert!(err.contains("consent to share with MHC"), "{err}");
    store.ok(&[
        "action",
        "set",
        &format!("{case}/1"),
        "--team",
        "MHC",
        "--without-consent",
        "자해 위험 긴급 연계",
    ]);
}

/// A store written before consents were kept one record each: a day of consent and a list of
/// agencies set with `case set`, and an action for an agency journaled without any check.
#[test]
fn an_old_journal_replays_and_means_the_same() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동");
    let number: CaseNumber = case.parse().unwrap();
    {
        let mut backend =
            Embedded::new(Store::open(&store.dir()).unwrap(), "tester", Some("tester")).unwrap();
        backend
            .apply(
                Command::UpdateCase {
                    case: number,
                    change: CaseUpdate {
                        consent_on: Some(Some(common::now().date_naive())),
                        consent_third_party: Some(vec![TeamCode::new("MHC").unwrap()]),
                        ..CaseUpdate::default()
                    },
                    conference: None,
                },
                common::now(),
                &[],
            )
            .unwrap();
    }
    // An old journal line has no consent check in it: it replays as it was.
    let old_line = r#"{"type":"add_action","case":"2026-0001","title":"보호 연계","team":"CPA","due_on":"2026-12-01"}"#;
    let cmd: Command = serde_json::from_str(old_line).unwrap();
    {
        let mut backend =
            Embedded::new(Store::open(&store.dir()).unwrap(), "tester", Some("tester")).unwrap();
        backend.apply(cmd, common::now(), &[]).unwrap();
    }
    // Rebuilt from the journal alone, the store is the same and the consents read as before.
    let out = store.ok(&["check", "--rebuild"]);
    assert!(out.contains("ok"), "{out}");
    let list = consents(&store, &case);
    assert_eq!(list.len(), 2, "{list:?}");
    assert_eq!(list[0]["kind"], "collection");
    assert_eq!(list[0]["given_on"], "2026-11-28");
    assert_eq!(list[0]["given_by"], "guardian");
    assert_eq!(list[1]["agency"], "MHC");
    let shown = json(&store.ok(&["case", "show", &case, "--json"]));
    assert_eq!(shown["consent"]["collection_on"], "2026-11-28");
    assert_eq!(shown["consent"]["third_party"], serde_json::json!(["MHC"]));
    // An old consent can be withdrawn by its number: the old fields move into the records.
    store.ok(&["consent", "withdraw", &case, "2"]);
    let list = consents(&store, &case);
    assert_eq!(list.len(), 2);
    assert_eq!(list[1]["withdrawn_on"], "2026-11-28");
    let out = store.ok(&["check"]);
    assert!(out.starts_with("ok"), "{out}");
}

#[test]
fn a_viewer_records_no_consent_and_a_member_only_on_their_teams_cases() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동");
    store.ok(&["user", "add", "head.park", "--role", "viewer"]);
    store.ok(&[
        "user", "add", "sped.kim", "--role", "member", "--team", "SPED",
    ]);
    store.ok(&[
        "user", "add", "wee.han", "--role", "member", "--team", "WEE",
    ]);
    let consent = Command::AddConsent {
        case: case.parse().unwrap(),
        consent: NewConsent {
            kind: ConsentKind::Collection,
            agency: None,
            given_on: common::now().date_naive(),
            given_by: ConsentGiver::Guardian,
        },
    };
    for account in ["head.park", "sped.kim"] {
        let mut b =
            Embedded::new(Store::open(&store.dir()).unwrap(), account, Some("tester")).unwrap();
        assert!(
            b.apply(consent.clone(), common::now(), &[]).is_err(),
            "{account}"
        );
    }
    let mut b = Embedded::new(
        Store::open(&store.dir()).unwrap(),
        "wee.han",
        Some("tester"),
    )
    .unwrap();
    b.apply(consent, common::now(), &[]).unwrap();
}

/// The demo store's first case on the dashboard, opened on the case screen (demo data records
/// no consent).
fn case_in_screens(lang: Lang) -> (Screens, CaseNumber) {
    let mut s = Screens::demo(lang);
    s.keys("1<Enter>");
    let number = s.app().screens.case.shown.as_ref().unwrap().number;
    (s, number)
}

#[test]
fn the_consent_form_opens_from_the_case_with_one_key_and_records() {
    for (lang, tag) in [(Lang::Ko, "ko"), (Lang::En, "en")] {
        for (w, h) in [(80, 24), (100, 30)] {
            let (mut s, number) = case_in_screens(lang);
            let screen = s.screen(w, h);
            assert!(screen.contains(&number.to_string()), "{screen}");
            s.keys("c");
            insta::assert_snapshot!(format!("consent_form_{tag}_{w}x{h}"), s.screen(w, h));
        }
    }
    let (mut s, number) = case_in_screens(Lang::En);
    // Sharing with the child protection agency, given by both, on the 25th.
    s.keys("c<Tab>sharing<Tab>CPA<Tab>");
    s.keys(&"<Backspace>".repeat(10));
    s.keys("11/25<Tab>both<C-s>");
    let entries = s.state().cases[&number].consent.entries();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].kind, ConsentKind::Sharing);
    assert_eq!(entries[0].agency.as_ref().unwrap().as_str(), "CPA");
    assert_eq!(entries[0].given_by, ConsentGiver::Both);
    assert_eq!(entries[0].given_on.unwrap().to_string(), "2026-11-25");
    let screen = s.screen(100, 30);
    assert!(screen.contains("third party CPA"), "{screen}");
    // Withdrawn from the same form: the first choice steps to "withdraw 1".
    s.keys("c<Right><C-s>");
    assert!(
        s.state().cases[&number].consent.entries()[0]
            .withdrawn_on
            .is_some()
    );
    // And undone like any change.
    s.keys("uy");
    assert!(
        s.state().cases[&number].consent.entries()[0]
            .withdrawn_on
            .is_none()
    );
}

#[test]
fn the_action_form_warns_before_an_agency_without_consent_and_needs_a_reason() {
    let (mut s, number) = case_in_screens(Lang::En);
    s.keys("a보호 연계<Tab>CPA<Tab>+3d");
    let form = s.screen(100, 30);
    assert!(form.contains("no consent to share with it"), "{form}");
    insta::assert_snapshot!("action_form_no_consent_en_100x30", form);
    s.keys("<C-s>");
    let form = s.screen(100, 30);
    assert!(
        form.contains("has no standing consent to share with CPA"),
        "{form}"
    );
    let before = s.state().actions_of(number).count();
    s.keys("<Tab><Tab>안전상 긴급<C-s>");
    let state = s.state();
    assert_eq!(state.actions_of(number).count(), before + 1);
    let action = state.actions_of(number).last().unwrap();
    assert_eq!(action.without_consent.as_deref(), Some("안전상 긴급"));
    // The case screen says the agency works on it without consent.
    let screen = s.screen(100, 30);
    assert!(screen.contains("shared without consent: CPA"), "{screen}");
}

#[test]
fn the_run_screen_shows_consent_warns_and_records_it_with_one_key() {
    for (lang, tag) in [(Lang::Ko, "ko"), (Lang::En, "en")] {
        let mut s = Screens::demo(lang);
        s.keys("C<C-s>sy");
        let id = s.app().screens.conference.id.unwrap();
        let case = s.state().conferences[&id].current_item().unwrap().case;
        s.keys("a연계<Tab>POLICE<Tab>+3d<Tab><Tab>자해 위험<C-s>");
        assert!(
            s.state()
                .actions_of(case)
                .any(|a| a.team.as_str() == "POLICE")
        );
        for (w, h) in [(80, 24), (100, 30)] {
            let screen = s.screen(w, h);
            insta::assert_snapshot!(format!("run_no_consent_{tag}_{w}x{h}"), screen);
        }
        let screen = s.screen(100, 30);
        assert!(screen.contains("POLICE"), "{screen}");
        // The demo recorded the guardian's consents to the agencies it gave work to; none to the police.
        assert!(screen.contains("⚠"), "{screen}");
        s.keys("o<Tab>");
        s.keys(if lang == Lang::Ko {
            "제3자"
        } else {
            "sharing"
        });
        s.keys("<Tab>POLICE");
        let form = s.screen(100, 30);
        s.keys("<C-s>");
        assert!(
            s.state().cases[&case].consent.may_share_with(
                &TeamCode::new("POLICE").unwrap(),
                common::now().date_naive()
            ),
            "{form}"
        );
        let screen = s.screen(100, 30);
        assert!(!screen.contains("⚠"), "{screen}");
    }
}

#[test]
fn exports_carry_the_consents_and_the_reasons_to_go_without() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동");
    store.ok(&["consent", "add", &case, "--collect", "--on", "11/20"]);
    store.ok(&["consent", "add", &case, "--share", "MHC"]);
    let run = add_cpa_action(&store, &case, &["--without-consent", "즉시 신고"]);
    assert!(run.success(), "{}", run.stderr);
    let cases = json(&store.ok(&["export", "cases", "--format", "json"]));
    assert_eq!(cases[0]["consent_collection_on"], "2026-11-20");
    assert_eq!(cases[0]["consent_sharing"], serde_json::json!(["MHC"]));
    let actions = json(&store.ok(&["export", "actions", "--format", "json"]));
    assert_eq!(actions[0]["without_consent"], "즉시 신고");
}
