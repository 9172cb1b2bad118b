#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The command line, through the real binary: every command form of issue 2, what it prints, and
//! that bad input gets one clear line on stderr, exit status 1, and changes nothing.
//!
//! Each test has its own temporary store and the fixed clock of `common` (Saturday 2026-11-28,
//! 10:00 KST), user `tester`, English unless a test asks for Korean.

mod common;

use common::json;

use common::TempStore;
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

/// A clock four weeks back, for making actions that are overdue "now".
const EARLIER: &str = "2026-11-01T10:00:00+09:00";

// ---------------------------------------------------------------------------------------------
// helpers

/// The journal's length in bytes (0 when there is none).
fn journal_len(store: &TempStore) -> u64 {
    std::fs::metadata(store.dir().join("journal.jsonl")).map_or(0, |m| m.len())
}

/// Everything a command could change, as the command line shows it.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    cases: String,
    actions: String,
    teams: String,
    journal: u64,
}

fn snapshot(store: &TempStore) -> Snapshot {
    Snapshot {
        cases: store.ok(&["case", "list", "--all", "--json", "--unmasked"]),
        actions: store.ok(&["action", "list", "--all", "--json"]),
        teams: store.ok(&["team", "list", "--json"]),
        journal: journal_len(store),
    }
}

/// Asserts the shape of a refusal: status 1, nothing on stdout, exactly one line on stderr that
/// starts with `casedesk: `. Returns that line.
fn one_line_refusal(run: &common::Run, args: &[&str]) -> String {
    assert_eq!(
        run.code,
        Some(1),
        "exit status of {args:?}; stdout: {}; stderr: {}",
        run.stdout,
        run.stderr
    );
    assert_eq!(run.stdout, "", "stdout of refused {args:?}");
    assert!(
        run.stderr.starts_with("casedesk: "),
        "stderr of {args:?} should start with 'casedesk: ': {:?}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with('\n'),
        "stderr of {args:?} should end with a newline: {:?}",
        run.stderr
    );
    assert_eq!(
        run.stderr.lines().count(),
        1,
        "stderr of {args:?} should be one line: {:?}",
        run.stderr
    );
    run.stderr.trim_end().to_string()
}

/// Runs `args` with `env`, insists it is refused in one line and changes nothing; returns the line.
fn refused_env(store: &TempStore, args: &[&str], env: &[(&str, &str)]) -> String {
    let before = snapshot(store);
    let run = store.run_env(args, env);
    let line = one_line_refusal(&run, args);
    assert_eq!(snapshot(store), before, "{args:?} changed the store");
    line
}

/// Runs `args`, insists it is refused in one line and changes nothing; returns the line.
fn refused(store: &TempStore, args: &[&str]) -> String {
    refused_env(store, args, &[])
}

/// Adds a plain case led by `lead`; returns its number.
fn add_case(store: &TempStore, student: &str, lead: &str) -> String {
    let out = store.ok(&[
        "case",
        "add",
        "--student",
        student,
        "--school",
        "한빛초등학교",
        "--grade",
        "3-2",
        "--lead",
        lead,
    ]);
    out.trim_end().to_string()
}

/// Adds an action; returns its id.
fn add_action(store: &TempStore, case: &str, title: &str, team: &str, due: &str) -> String {
    let out = store.ok(&[
        "action",
        "add",
        case,
        "--title",
        title,
        "--team",
        team,
        "--due",
        due,
        // These tests are not about consent: an outside owner goes ahead with a reason.
        "--without-consent",
        "긴급 연계",
    ]);
    out.trim_end().to_string()
}

/// Adds an action with the clock four weeks back, so a due date before today can be given.
fn add_action_earlier(store: &TempStore, case: &str, title: &str, team: &str, due: &str) -> String {
    let run = store.run_env(
        &[
            "action",
            "add",
            case,
            "--title",
            title,
            "--team",
            team,
            "--due",
            due,
            "--without-consent",
            "긴급 연계",
        ],
        &[("CASEDESK_NOW", EARLIER)],
    );
    assert!(run.success(), "earlier action add failed: {}", run.stderr);
    run.stdout.trim_end().to_string()
}

/// `case show CASE --json --unmasked`.
fn case_json(store: &TempStore, case: &str) -> Value {
    json(&store.ok(&["case", "show", case, "--json", "--unmasked"]))
}

/// Every action (open, done, dropped) as JSON.
fn all_actions(store: &TempStore) -> Vec<Value> {
    match json(&store.ok(&["action", "list", "--all", "--json"])) {
        Value::Array(v) => v,
        other => panic!("action list --json is not an array: {other}"),
    }
}

fn action_by_id(store: &TempStore, id: &str) -> Value {
    all_actions(store)
        .into_iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no action {id}"))
}

/// The `number` fields of a JSON case list.
fn numbers(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["number"].as_str().unwrap().to_string())
        .collect()
}

/// The `id` fields of a JSON action list.
fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

/// A small office with three cases, actions (one overdue, one due today, one next week, one
/// done) and notes (one restricted) — for the snapshots.
fn office(store: &TempStore) {
    let earlier = [("CASEDESK_NOW", EARLIER)];
    let run = store.run_env(
        &[
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
            "--co",
            "WELF,CPA",
            "--level",
            "위기",
            "--domain",
            "심리·정서,우울,결식",
            "--review",
            "2026-12-05",
            "--person",
            "김상담",
            "--birth",
            "2017-03-02",
            "--sex",
            "남",
            "--source",
            "담임교사",
            "--summary",
            "잦은 결석, 식사 거름",
            "--urgent",
        ],
        &earlier,
    );
    assert!(run.success(), "{}", run.stderr);
    assert_eq!(run.stdout, "2026-0001\n");
    assert_eq!(
        store.ok(&[
            "case",
            "add",
            "--student",
            "남궁민수",
            "--school",
            "바다중학교",
            "--grade",
            "2",
            "--lead",
            "교육복지",
            "--level",
            "high crisis",
        ]),
        "2026-0002\n"
    );
    assert_eq!(
        store.ok(&[
            "case",
            "add",
            "--student",
            "김철",
            "--school",
            "새솔고등학교",
            "--grade",
            "1-10",
            "--lead",
            "SPED",
            "--co",
            "MHC",
            "--level",
            "caution",
        ]),
        "2026-0003\n"
    );
    let run = store.run_env(
        &[
            "action",
            "add",
            "2026-0001",
            "--title",
            "가정방문",
            "--team",
            "WELF",
            "--due",
            "2026-11-20",
            "--person",
            "이복지",
        ],
        &earlier,
    );
    assert_eq!(run.stdout, "2026-0001/1\n", "{}", run.stderr);
    assert_eq!(
        add_action(store, "2026-0001", "정신건강 평가 의뢰", "MHC", "오늘"),
        "2026-0001/2"
    );
    assert_eq!(
        add_action(
            store,
            "2026-0002",
            "학습 지원 계획 수립",
            "ACAD",
            "다음주 금"
        ),
        "2026-0002/1"
    );
    assert_eq!(
        add_action(store, "2026-0003", "보호자 면담", "SPED", "+3d"),
        "2026-0003/1"
    );
    store.ok(&["action", "done", "2026-0003/1", "--note", "면담 완료"]);
    store.ok(&["note", "add", "2026-0001", "담임과 통화: 주 2회 결석"]);
    store.ok(&[
        "note",
        "add",
        "2026-0001",
        "보호자 방임 정황 구체 내용",
        "--restricted",
    ]);
}

fn ko<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--lang", "ko"];
    v.extend_from_slice(args);
    v
}

// ---------------------------------------------------------------------------------------------
// init

#[test]
fn init_creates_a_store_with_the_office_and_the_default_teams() {
    let store = TempStore::new();
    let out = store.ok(&["init", "--office", "광주동부교육지원청"]);
    assert!(out.contains("광주동부교육지원청"), "{out}");
    assert!(out.contains("14 teams"), "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
    let teams = json(&store.ok(&["team", "list", "--json"]));
    let codes: Vec<&str> = teams
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    for code in [
        "CENTER", "WELF", "WEE", "SPED", "ACAD", "SAFE", "MULTI", "HEALTH", "CPA", "MHC", "YCC",
        "CSC", "DREAM", "POLICE",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    assert_eq!(codes.len(), 14);
    assert!(store.ok(&["check"]).starts_with("ok"));
}

#[test]
fn init_without_office_uses_a_default_name() {
    let store = TempStore::new();
    let out = store.ok(&["init"]);
    assert!(out.contains("District office"), "{out}");
    assert_eq!(store.ok(&["case", "list", "--json"]), "[]\n");
}

#[test]
fn init_twice_is_refused_in_one_line_naming_the_office() {
    let store = TempStore::initialised();
    let line = refused(&store, &["init", "--office", "다른교육지원청"]);
    assert!(line.contains("테스트교육지원청"), "{line}");
    assert!(line.contains("--db"), "says what to do: {line}");
}

#[test]
fn init_with_a_blank_office_is_refused_and_makes_no_store() {
    let store = TempStore::new();
    let run = store.run(&["init", "--office", "   "]);
    let line = one_line_refusal(&run, &["init"]);
    assert!(line.contains("office name"), "{line}");
    assert!(!store.dir().join("journal.jsonl").exists());
    // still no store: the next command says to run init
    assert!(store.fails(&["case", "list"]).contains("casedesk init"));
}

#[test]
fn every_command_without_a_store_says_to_run_init() {
    let store = TempStore::new();
    let commands: &[&[&str]] = &[
        &["case", "list"],
        &["case", "show", "2026-0001"],
        &[
            "case",
            "add",
            "--student",
            "홍길동",
            "--school",
            "한빛초",
            "--grade",
            "3",
            "--lead",
            "WEE",
        ],
        &["case", "set", "2026-0001", "--level", "high"],
        &["case", "close", "2026-0001", "--reason", "x"],
        &["case", "reopen", "2026-0001", "--reason", "x"],
        &[
            "action",
            "add",
            "2026-0001",
            "--title",
            "t",
            "--team",
            "WEE",
            "--due",
            "+3d",
        ],
        &["action", "list"],
        &["action", "done", "2026-0001/1"],
        &["action", "drop", "2026-0001/1", "--reason", "x"],
        &["note", "add", "2026-0001", "text"],
        &["team", "list"],
        &["team", "add", "LIB", "--name", "도서관"],
        &["check"],
    ];
    for args in commands {
        let run = store.run(args);
        let line = one_line_refusal(&run, args);
        assert!(line.contains("casedesk init"), "{args:?}: {line}");
        assert!(
            !store.dir().exists(),
            "{args:?} created the store directory"
        );
    }
}

#[test]
fn no_store_message_in_korean() {
    let store = TempStore::new();
    let run = store.run(&["--lang", "ko", "case", "list"]);
    let line = one_line_refusal(&run, &["case", "list"]);
    assert!(line.contains("casedesk init"), "{line}");
    assert!(line.contains("저장소"), "Korean message: {line}");
}

// ---------------------------------------------------------------------------------------------
// demo

fn demo_list(cases: &str, seed: Option<&str>) -> String {
    let store = TempStore::new();
    let mut args = vec!["demo", "--cases", cases];
    if let Some(seed) = seed {
        args.extend(["--seed", seed]);
    }
    let out = store.ok(&args);
    assert!(out.contains("synthetic"), "{out}");
    store.ok(&["case", "list", "--json", "--unmasked", "--all"])
}

#[test]
fn demo_is_deterministic_per_seed() {
    let a = demo_list("25", Some("42"));
    let b = demo_list("25", Some("42"));
    assert_eq!(a, b, "same seed, same data");
    let list = json(&a);
    assert_eq!(list.as_array().unwrap().len(), 25);
}

#[test]
fn demo_with_another_seed_gives_other_data() {
    let a = demo_list("25", Some("42"));
    let c = demo_list("25", Some("43"));
    assert_ne!(a, c);
}

#[test]
fn demo_default_seed_is_deterministic_too() {
    assert_eq!(demo_list("10", None), demo_list("10", None));
}

#[test]
fn demo_data_is_consistent_masked_and_checks_ok() {
    let store = TempStore::new();
    store.ok(&["demo", "--cases", "30", "--seed", "5"]);
    assert!(store.ok(&["check"]).starts_with("ok"));
    let list = json(&store.ok(&["case", "list", "--all", "--json"]));
    for case in list.as_array().unwrap() {
        let student = case["student"].as_str().unwrap();
        assert!(student.contains('*'), "masked by default: {student}");
        assert!(
            !case["lead_team"].as_str().unwrap().is_empty(),
            "every case has a lead team"
        );
    }
    // some actions are overdue and some fall in the coming week, as the issue asks
    let overdue = json(&store.ok(&["action", "list", "--overdue", "--json"]));
    assert!(
        !overdue.as_array().unwrap().is_empty(),
        "no overdue actions"
    );
    let week = json(&store.ok(&["action", "list", "--due-within", "7", "--json"]));
    assert!(
        week.as_array()
            .unwrap()
            .iter()
            .any(|a| a["due"].as_str().unwrap() >= "2026-11-28"),
        "nothing due this coming week"
    );
}

#[test]
fn demo_into_a_store_with_cases_is_refused() {
    let store = TempStore::initialised();
    add_case(&store, "홍길동", "WEE");
    let line = refused(&store, &["demo", "--cases", "5"]);
    assert!(line.contains("1 cases") || line.contains("empty"), "{line}");
}

#[test]
fn demo_twice_is_refused() {
    let store = TempStore::new();
    store.ok(&["demo", "--cases", "5", "--seed", "3"]);
    refused(&store, &["demo", "--cases", "5", "--seed", "3"]);
}

#[test]
fn global_demo_prints_the_overview_without_touching_the_configured_store() {
    let store = TempStore::new();
    let out = store.ok(&["--demo"]);
    assert!(out.contains("open cases"), "{out}");
    assert!(out.contains("overdue by team"), "{out}");
    assert!(out.contains("next 10 due dates"), "{out}");
    // ten nearest due dates: the table under that heading has a header and ten rows
    let tail: Vec<&str> = out
        .split("next 10 due dates\n")
        .nth(1)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(tail.len(), 11, "{out}");
    assert!(!store.dir().exists(), "--demo wrote into CASEDESK_DB");
}

#[test]
fn global_demo_leaves_no_temporary_store_behind() {
    let store = TempStore::new();
    let tmp = tempfile::tempdir().unwrap();
    let run = store.run_env(&["--demo"], &[("TMPDIR", tmp.path().to_str().unwrap())]);
    assert!(run.success(), "{}", run.stderr);
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn init_makes_the_store_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let store = TempStore::initialised();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&store.dir()), 0o700, "store directory");
    assert_eq!(mode(&store.dir().join("journal.jsonl")), 0o600, "journal");
}

// ---------------------------------------------------------------------------------------------
// case add

#[test]
fn case_add_prints_only_the_new_case_number() {
    let store = TempStore::initialised();
    let run = store.run(&[
        "case",
        "add",
        "--student",
        "홍길동",
        "--school",
        "한빛초등학교",
        "--grade",
        "3",
        "--lead",
        "WEE",
    ]);
    assert!(run.success(), "{}", run.stderr);
    assert_eq!(run.stdout, "2026-0001\n");
    assert_eq!(run.stderr, "");
    let run = store.run(&[
        "case",
        "add",
        "--student",
        "김철수",
        "--school",
        "중앙중학교",
        "--grade",
        "1-3",
        "--lead",
        "WELF",
    ]);
    assert_eq!(run.stdout, "2026-0002\n");
    assert_eq!(run.stderr, "");
}

#[test]
fn case_add_records_every_option() {
    let store = TempStore::initialised();
    let number = store.ok(&[
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
        "--co",
        "WELF,CPA",
        "--level",
        "위기",
        "--domain",
        "학업,우울",
        "--review",
        "+2w",
        "--person",
        "김상담",
    ]);
    assert_eq!(number, "2026-0001\n");
    let case = case_json(&store, "2026-0001");
    assert_eq!(case["number"], "2026-0001");
    assert_eq!(case["student"], "홍길동");
    assert_eq!(case["school"], "한빛초등학교");
    assert_eq!(case["grade"], "3-2");
    assert_eq!(case["lead_team"], "WEE");
    assert_eq!(case["lead_person"], "김상담");
    assert_eq!(case["co_teams"], serde_json::json!(["WELF", "CPA"]));
    assert_eq!(case["level"], "crisis");
    assert_eq!(case["stage"], "intake");
    assert_eq!(
        case["domains"],
        serde_json::json!(["learning", "emotional"])
    );
    assert_eq!(case["concerns"], serde_json::json!(["depression"]));
    assert_eq!(case["review_on"], "2026-12-12");
    assert_eq!(case["next_due"], Value::Null);
}

#[test]
fn case_add_grade_accepts_korean_forms() {
    let store = TempStore::initialised();
    for (input, grade) in [
        ("3", "3"),
        ("3-2", "3-2"),
        ("3학년 2반", "3-2"),
        ("6학년", "6"),
    ] {
        let number = store
            .ok(&[
                "case",
                "add",
                "--allow-duplicate",
                "--student",
                "홍길동",
                "--school",
                "한빛초",
                "--grade",
                input,
                "--lead",
                "WEE",
            ])
            .trim_end()
            .to_string();
        assert_eq!(
            case_json(&store, &number)["grade"],
            grade,
            "--grade {input}"
        );
    }
}

#[test]
fn case_add_level_accepts_code_korean_and_english() {
    let store = TempStore::initialised();
    let examples = [
        ("watch", "watch"),
        ("관심", "watch"),
        ("caution", "caution"),
        ("주의", "caution"),
        ("crisis", "crisis"),
        ("위기", "crisis"),
        ("high", "high"),
        ("고위기", "high"),
        ("high crisis", "high"),
        ("High Crisis", "high"),
    ];
    for (input, code) in examples {
        let number = store
            .ok(&[
                "case",
                "add",
                "--allow-duplicate",
                "--student",
                "홍길동",
                "--school",
                "한빛초",
                "--grade",
                "3",
                "--lead",
                "WEE",
                "--level",
                input,
            ])
            .trim_end()
            .to_string();
        assert_eq!(case_json(&store, &number)["level"], code, "--level {input}");
    }
    // without --level a case starts at watch (관심)
    let number = add_case(&store, "김철수", "WEE");
    assert_eq!(case_json(&store, &number)["level"], "watch");
}

#[test]
fn case_add_domain_takes_domains_and_sub_items_in_both_languages() {
    let store = TempStore::initialised();
    let examples: &[(&str, &[&str], &[&str])] = &[
        ("학업", &["learning"], &[]),
        ("learning,emotional", &["learning", "emotional"], &[]),
        ("우울", &["emotional"], &["depression"]),
        ("심리·정서,불안", &["emotional"], &["anxiety"]),
        (
            "학업중단 위기,결식",
            &["learning", "care"],
            &["dropout_risk", "hunger"],
        ),
        ("경제·생활", &["economic"], &[]),
        ("care,자해", &["care"], &["self_harm"]),
    ];
    for (input, domains, concerns) in examples {
        let number = store
            .ok(&[
                "case",
                "add",
                "--allow-duplicate",
                "--student",
                "홍길동",
                "--school",
                "한빛초",
                "--grade",
                "3",
                "--lead",
                "WEE",
                "--domain",
                input,
            ])
            .trim_end()
            .to_string();
        let case = case_json(&store, &number);
        assert_eq!(
            case["domains"],
            serde_json::json!(domains),
            "--domain {input}"
        );
        assert_eq!(
            case["concerns"],
            serde_json::json!(concerns),
            "--domain {input}"
        );
    }
}

#[test]
fn case_add_teams_accept_code_korean_and_english_names() {
    let store = TempStore::initialised();
    let number = store
        .ok(&[
            "case",
            "add",
            "--student",
            "홍길동",
            "--school",
            "한빛초",
            "--grade",
            "3",
            "--lead",
            "Wee센터",
            "--co",
            "교육복지,Child protection agency,mhc",
        ])
        .trim_end()
        .to_string();
    let case = case_json(&store, &number);
    assert_eq!(case["lead_team"], "WEE");
    assert_eq!(case["co_teams"], serde_json::json!(["WELF", "CPA", "MHC"]));
    let number = store
        .ok(&[
            "case",
            "add",
            "--student",
            "김철수",
            "--school",
            "한빛초",
            "--grade",
            "3",
            "--lead",
            "education welfare",
        ])
        .trim_end()
        .to_string();
    assert_eq!(case_json(&store, &number)["lead_team"], "WELF");
}

#[test]
fn case_add_review_accepts_relative_forms() {
    let store = TempStore::initialised();
    let examples = [
        ("+2w", "2026-12-12"),
        ("다음주 금", "2026-12-04"),
        ("next fri", "2026-12-04"),
        ("12/5", "2026-12-05"),
        ("2026-12-24", "2026-12-24"),
        ("내일", "2026-11-29"),
        ("+5bd", "2026-12-04"),
    ];
    for (input, date) in examples {
        let number = store
            .ok(&[
                "case",
                "add",
                "--allow-duplicate",
                "--student",
                "홍길동",
                "--school",
                "한빛초",
                "--grade",
                "3",
                "--lead",
                "WEE",
                "--review",
                input,
            ])
            .trim_end()
            .to_string();
        assert_eq!(
            case_json(&store, &number)["review_on"],
            date,
            "--review {input}"
        );
    }
}

#[test]
fn case_add_with_an_external_lead_is_refused() {
    let store = TempStore::initialised();
    let line = refused(
        &store,
        &[
            "case",
            "add",
            "--student",
            "홍길동",
            "--school",
            "한빛초",
            "--grade",
            "3",
            "--lead",
            "CPA",
        ],
    );
    assert!(line.contains("CPA"), "{line}");
    assert!(line.contains("external"), "{line}");
}

#[test]
fn case_add_with_an_unknown_lead_lists_the_codes() {
    let store = TempStore::initialised();
    let line = refused(
        &store,
        &[
            "case",
            "add",
            "--student",
            "홍길동",
            "--school",
            "한빛초",
            "--grade",
            "3",
            "--lead",
            "NOPE",
        ],
    );
    assert!(line.contains("NOPE"), "{line}");
    assert!(line.contains("WEE") && line.contains("WELF"), "{line}");
}

#[test]
fn case_add_with_an_unknown_cooperating_team_is_refused() {
    let store = TempStore::initialised();
    let line = refused(
        &store,
        &[
            "case",
            "add",
            "--student",
            "홍길동",
            "--school",
            "한빛초",
            "--grade",
            "3",
            "--lead",
            "WEE",
            "--co",
            "WELF,NOPE",
        ],
    );
    assert!(line.contains("NOPE") && line.contains("WEE"), "{line}");
}

#[test]
fn case_add_with_the_lead_also_cooperating_is_refused() {
    let store = TempStore::initialised();
    let line = refused(
        &store,
        &[
            "case",
            "add",
            "--student",
            "홍길동",
            "--school",
            "한빛초",
            "--grade",
            "3",
            "--lead",
            "WEE",
            "--co",
            "WELF,WEE",
        ],
    );
    assert!(line.contains("WEE"), "{line}");
}

#[test]
fn case_add_bad_level_domain_grade_and_review_are_refused() {
    let store = TempStore::initialised();
    let base = [
        "case",
        "add",
        "--student",
        "홍길동",
        "--school",
        "한빛초",
        "--grade",
        "3",
        "--lead",
        "WEE",
    ];
    let with = |extra: &[&'static str]| {
        let mut v: Vec<&str> = base.to_vec();
        v.extend_from_slice(extra);
        v
    };
    let line = refused(&store, &with(&["--level", "extreme"]));
    assert!(line.contains("extreme") && line.contains("high"), "{line}");
    let line = refused(&store, &with(&["--domain", "학업,음악"]));
    assert!(line.contains("음악") && line.contains("learning"), "{line}");
    let line = refused(&store, &with(&["--review", "someday"]));
    assert!(line.contains("someday") && line.contains("+3d"), "{line}");
    let line = refused(&store, &with(&["--review", "2026-11-01"]));
    assert!(line.contains("2026-11-01"), "{line}");
    for grade in ["0", "7", "삼", "3-0", ""] {
        let mut args = base.to_vec();
        args[7] = grade;
        let line = refused(&store, &args);
        assert!(line.contains("grade"), "--grade {grade:?}: {line}");
    }
}

#[test]
fn case_add_with_a_blank_student_or_school_is_refused() {
    let store = TempStore::initialised();
    let line = refused(
        &store,
        &[
            "case",
            "add",
            "--student",
            "  ",
            "--school",
            "한빛초",
            "--grade",
            "3",
            "--lead",
            "WEE",
        ],
    );
    assert!(line.contains("student name"), "{line}");
    let line = refused(
        &store,
        &[
            "case",
            "add",
            "--student",
            "홍길동",
            "--school",
            "",
            "--grade",
            "3",
            "--lead",
            "WEE",
        ],
    );
    assert!(line.contains("school"), "{line}");
}

// ---------------------------------------------------------------------------------------------
// case list

#[test]
fn case_list_masks_names_unless_unmasked() {
    let store = TempStore::initialised();
    add_case(&store, "홍길동", "WEE");
    add_case(&store, "남궁민수", "WEE");
    add_case(&store, "김철", "WEE");
    let table = store.ok(&["case", "list"]);
    for masked in ["홍*동", "남**수", "김*"] {
        assert!(table.contains(masked), "{masked} in\n{table}");
    }
    for name in ["홍길동", "남궁민수", "김철 "] {
        assert!(!table.contains(name), "{name} leaked in\n{table}");
    }
    let list = json(&store.ok(&["case", "list", "--json"]));
    let students: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["student"].as_str().unwrap())
        .collect();
    assert_eq!(students, ["홍*동", "남**수", "김*"]);
    let list = json(&store.ok(&["case", "list", "--json", "--unmasked"]));
    let students: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["student"].as_str().unwrap())
        .collect();
    assert_eq!(students, ["홍길동", "남궁민수", "김철"]);
    let table = store.ok(&["case", "list", "--unmasked"]);
    assert!(table.contains("남궁민수"), "{table}");
}

#[test]
fn case_list_json_has_the_stable_keys() {
    let store = TempStore::initialised();
    office(&store);
    let list = json(&store.ok(&["case", "list", "--json"]));
    let cases = list.as_array().unwrap();
    assert_eq!(cases.len(), 3);
    for case in cases {
        for key in [
            "number",
            "student",
            "school",
            "grade",
            "level",
            "stage",
            "lead_team",
            "co_teams",
            "review_on",
            "next_due",
        ] {
            assert!(case.get(key).is_some(), "key {key} missing in {case}");
        }
    }
    let first = &cases[0];
    assert_eq!(first["number"], "2026-0001");
    assert_eq!(first["student"], "홍*동");
    assert_eq!(first["school"], "한빛초등학교");
    assert_eq!(first["grade"], "3-2");
    assert_eq!(first["level"], "crisis");
    assert_eq!(first["stage"], "intake");
    assert_eq!(first["lead_team"], "WEE");
    assert_eq!(first["co_teams"], serde_json::json!(["WELF", "CPA"]));
    assert_eq!(first["review_on"], "2026-12-05");
    // the earliest open action's due date, overdue or not
    assert_eq!(first["next_due"], "2026-11-20");
    // the only action of 2026-0003 is done: nothing is due
    assert_eq!(cases[2]["next_due"], Value::Null);
    assert_eq!(cases[1]["next_due"], "2026-12-04");
}

#[test]
fn case_list_filters_by_team_level_and_stage() {
    let store = TempStore::initialised();
    office(&store);
    let list = |extra: &[&str]| {
        let mut args = vec!["case", "list", "--json"];
        args.extend_from_slice(extra);
        numbers(&json(&store.ok(&args)))
    };
    // a team sees the cases it leads, those it cooperates on, and those it owes an action on
    assert_eq!(list(&["--team", "WELF"]), ["2026-0001", "2026-0002"]);
    assert_eq!(list(&["--team", "교육복지"]), ["2026-0001", "2026-0002"]);
    assert_eq!(list(&["--team", "MHC"]), ["2026-0001", "2026-0003"]);
    assert_eq!(
        list(&["--team", "Mental health centre"]),
        ["2026-0001", "2026-0003"]
    );
    assert_eq!(list(&["--team", "ACAD"]), ["2026-0002"]);
    assert!(list(&["--team", "POLICE"]).is_empty());
    assert_eq!(list(&["--level", "고위기"]), ["2026-0002"]);
    assert_eq!(list(&["--level", "high"]), ["2026-0002"]);
    assert_eq!(list(&["--level", "caution"]), ["2026-0003"]);
    store.ok(&["case", "set", "2026-0002", "--stage", "진단"]);
    assert_eq!(list(&["--stage", "assessment"]), ["2026-0002"]);
    assert_eq!(list(&["--stage", "진단"]), ["2026-0002"]);
    assert_eq!(list(&["--stage", "접수"]), ["2026-0001", "2026-0003"]);
    assert_eq!(
        list(&["--team", "WELF", "--stage", "intake"]),
        ["2026-0001"]
    );
}

#[test]
fn case_list_filters_with_unknown_values_are_refused() {
    let store = TempStore::initialised();
    office(&store);
    let line = refused(&store, &["case", "list", "--team", "NOPE"]);
    assert!(line.contains("WEE"), "{line}");
    let line = refused(&store, &["case", "list", "--level", "red"]);
    assert!(line.contains("watch"), "{line}");
    let line = refused(&store, &["case", "list", "--stage", "limbo"]);
    assert!(line.contains("intake"), "{line}");
}

#[test]
fn case_list_shows_open_cases_unless_all() {
    let store = TempStore::initialised();
    let a = add_case(&store, "홍길동", "WEE");
    let b = add_case(&store, "김철수", "WEE");
    store.ok(&["case", "close", &a, "--reason", "목표 달성"]);
    let open = numbers(&json(&store.ok(&["case", "list", "--json"])));
    assert_eq!(open, [b.as_str()]);
    let open = numbers(&json(&store.ok(&["case", "list", "--open", "--json"])));
    assert_eq!(open, [b.as_str()]);
    let all = numbers(&json(&store.ok(&["case", "list", "--all", "--json"])));
    assert_eq!(all, [a.as_str(), b.as_str()]);
    // asking for the closed stage shows closed cases
    let closed = numbers(&json(
        &store.ok(&["case", "list", "--stage", "종결", "--json"]),
    ));
    assert_eq!(closed, [a.as_str()]);
    let table = store.ok(&["case", "list"]);
    assert!(!table.contains(&a), "{table}");
    // aftercare (사후관리) follows closure: not an open case, but listed by its stage
    store.ok(&["case", "set", &a, "--stage", "사후관리"]);
    let open = numbers(&json(&store.ok(&["case", "list", "--json"])));
    assert_eq!(open, [b.as_str()]);
    let aftercare = numbers(&json(&store.ok(&[
        "case",
        "list",
        "--stage",
        "aftercare",
        "--json",
    ])));
    assert_eq!(aftercare, [a.as_str()]);
}

#[test]
fn case_list_table_aligns_hangul_as_two_cells() {
    let store = TempStore::initialised();
    office(&store);
    for args in [
        &["case", "list"][..],
        &["--lang", "ko", "case", "list"][..],
        &["case", "list", "--unmasked"][..],
    ] {
        let table = store.ok(args);
        let lines: Vec<&str> = table.lines().collect();
        // each column starts at the same display cell on every line: check the "number" column's
        // neighbour (the student column) and the last column header against the rows
        let start_of = |line: &str, needle: &str| -> usize {
            let byte = line.find(needle).unwrap();
            unicode_width::UnicodeWidthStr::width(&line[..byte])
        };
        let school_col = start_of(
            lines[0],
            if args[0] == "--lang" {
                "학교"
            } else {
                "school"
            },
        );
        for (line, school) in lines[1..]
            .iter()
            .zip(["한빛초등학교", "바다중학교", "새솔고등학교"])
        {
            assert_eq!(start_of(line, school), school_col, "{args:?}\n{table}");
        }
        for line in &lines {
            assert_eq!(line.trim_end(), *line, "no trailing spaces: {line:?}");
        }
    }
}

#[test]
fn case_list_snapshot_english() {
    let store = TempStore::initialised();
    office(&store);
    insta::assert_snapshot!("case_list_en", store.ok(&["case", "list"]));
}

#[test]
fn case_list_snapshot_korean() {
    let store = TempStore::initialised();
    office(&store);
    insta::assert_snapshot!("case_list_ko", store.ok(&["--lang", "ko", "case", "list"]));
}

// ---------------------------------------------------------------------------------------------
// case show

#[test]
fn case_show_json_is_one_object_with_actions_and_notes() {
    let store = TempStore::initialised();
    office(&store);
    let case = json(&store.ok(&["case", "show", "2026-0001", "--json"]));
    assert!(case.is_object(), "{case}");
    assert_eq!(case["number"], "2026-0001");
    assert_eq!(case["student"], "홍*동");
    assert_eq!(case["lead_team"], "WEE");
    assert_eq!(case["lead_person"], "김상담");
    assert_eq!(case["review_on"], "2026-12-05");
    assert_eq!(case["urgent"], true);
    assert_eq!(case["summary"], "잦은 결석, 식사 거름");
    assert_eq!(case["referral_source"], "담임교사");
    assert_eq!(case["domains"], serde_json::json!(["emotional", "care"]));
    assert_eq!(
        case["concerns"],
        serde_json::json!(["depression", "hunger"])
    );
    // masked: no full birth date
    assert_eq!(case["birth_on"], Value::Null);
    let actions = case["actions"].as_array().unwrap();
    assert_eq!(ids(&case["actions"]), ["2026-0001/1", "2026-0001/2"]);
    for action in actions {
        for key in ["id", "case", "title", "team", "person", "due", "status"] {
            assert!(action.get(key).is_some(), "{key} in {action}");
        }
    }
    assert_eq!(actions[0]["title"], "가정방문");
    assert_eq!(actions[0]["person"], "이복지");
    assert_eq!(actions[0]["due"], "2026-11-20");
    assert_eq!(actions[0]["status"], "open");
    let notes = case["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 2);
    for note in notes {
        for key in ["at", "author", "text", "restricted"] {
            assert!(note.get(key).is_some(), "{key} in {note}");
        }
        assert_eq!(note["author"], "tester");
        assert_eq!(note["at"], "2026-11-28T10:00:00+09:00");
    }
    assert_eq!(notes[0]["text"], "담임과 통화: 주 2회 결석");
    assert_eq!(notes[0]["restricted"], false);
    assert_eq!(notes[1]["restricted"], true);
    assert_eq!(notes[1]["text"], Value::Null, "restricted text hidden");
}

#[test]
fn case_show_unmasked_json_shows_name_birth_and_restricted_text() {
    let store = TempStore::initialised();
    office(&store);
    let case = case_json(&store, "2026-0001");
    assert_eq!(case["student"], "홍길동");
    assert_eq!(case["birth_on"], "2017-03-02");
    assert_eq!(case["notes"][1]["text"], "보호자 방임 정황 구체 내용");
}

#[test]
fn case_show_hides_restricted_text_and_birth_date_unless_unmasked() {
    let store = TempStore::initialised();
    office(&store);
    let text = store.ok(&["case", "show", "2026-0001"]);
    assert!(text.contains("홍*동"), "{text}");
    assert!(!text.contains("홍길동"), "{text}");
    assert!(
        !text.contains("방임 정황"),
        "restricted text leaked:\n{text}"
    );
    assert!(text.contains("restricted"), "{text}");
    assert!(!text.contains("2017-03-02"), "{text}");
    assert!(
        text.contains("담임과 통화"),
        "an open note is shown:\n{text}"
    );
    let text = store.ok(&["case", "show", "2026-0001", "--unmasked"]);
    assert!(text.contains("홍길동"), "{text}");
    assert!(text.contains("보호자 방임 정황 구체 내용"), "{text}");
    assert!(text.contains("2017-03-02"), "{text}");
}

#[test]
fn case_show_text_has_every_field_its_actions_and_notes() {
    let store = TempStore::initialised();
    office(&store);
    let text = store.ok(&["case", "show", "2026-0001"]);
    for needle in [
        "2026-0001",
        "한빛초등학교",
        "grade 3, class 2",
        "crisis",
        "intake",
        "WEE",
        "김상담",
        "WELF",
        "CPA",
        "2026-12-05",
        "담임교사",
        "잦은 결석, 식사 거름",
        "urgent",
        "depression",
        "2026-0001/1",
        "가정방문",
        "이복지",
        "2026-0001/2",
        "정신건강 평가 의뢰",
        "담임과 통화: 주 2회 결석",
    ] {
        assert!(text.contains(needle), "{needle} missing in\n{text}");
    }
}

#[test]
fn case_show_snapshot_english() {
    let store = TempStore::initialised();
    office(&store);
    insta::assert_snapshot!("case_show_en", store.ok(&["case", "show", "2026-0001"]));
}

#[test]
fn case_show_snapshot_korean() {
    let store = TempStore::initialised();
    office(&store);
    insta::assert_snapshot!(
        "case_show_ko",
        store.ok(&["--lang", "ko", "case", "show", "2026-0001"])
    );
}

#[test]
fn case_show_of_an_unknown_case_is_refused() {
    let store = TempStore::initialised();
    add_case(&store, "홍길동", "WEE");
    for input in ["2026-0099", "2025-0001", "abc", "2026", "2026-0001/1"] {
        let line = refused(&store, &["case", "show", input]);
        assert!(line.contains(input), "{input}: {line}");
        assert!(line.contains("YYYY-NNNN"), "{line}");
    }
}

// ---------------------------------------------------------------------------------------------
// case set

#[test]
fn case_set_changes_fields_and_says_what_changed() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let out = store.ok(&[
        "case", "set", &case, "--level", "주의", "--stage", "진단", "--review", "+2w", "--co",
        "CPA,MHC",
    ]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with(&format!("{case}: ")), "{out}");
    for needle in ["caution", "assessment", "2026-12-12", "CPA,MHC"] {
        assert!(out.contains(needle), "{needle} in {out}");
    }
    let json = case_json(&store, &case);
    assert_eq!(json["level"], "caution");
    assert_eq!(json["stage"], "assessment");
    assert_eq!(json["review_on"], "2026-12-12");
    assert_eq!(json["co_teams"], serde_json::json!(["CPA", "MHC"]));
    let history: Vec<&str> = json["stage_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["stage"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["intake", "assessment"]);
    let history: Vec<&str> = json["level_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["level"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["watch", "caution"]);
}

#[test]
fn case_set_stages_move_along_the_path() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    for stage in ["assessment", "사례회의", "support plan", "지원·점검"] {
        store.ok(&["case", "set", &case, "--stage", stage]);
    }
    assert_eq!(case_json(&store, &case)["stage"], "support");
}

#[test]
fn case_set_cannot_close_a_case() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    for stage in ["종결", "closed"] {
        let line = refused(&store, &["case", "set", &case, "--stage", stage]);
        assert!(line.contains("case close"), "{line}");
    }
}

#[test]
fn case_set_aftercare_only_after_closure() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let line = refused(&store, &["case", "set", &case, "--stage", "사후관리"]);
    assert!(line.contains("aftercare"), "{line}");
    store.ok(&["case", "close", &case, "--reason", "목표 달성"]);
    store.ok(&["case", "set", &case, "--stage", "사후관리"]);
    assert_eq!(case_json(&store, &case)["stage"], "aftercare");
}

#[test]
fn case_set_back_to_intake_is_refused() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    store.ok(&["case", "set", &case, "--stage", "진단"]);
    for stage in ["접수", "intake"] {
        let line = refused(&store, &["case", "set", &case, "--stage", stage]);
        assert!(line.contains("intake"), "{line}");
    }
}

#[test]
fn case_set_lead_must_be_an_internal_team() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let line = refused(&store, &["case", "set", &case, "--lead", "POLICE"]);
    assert!(line.contains("POLICE"), "{line}");
    let line = refused(&store, &["case", "set", &case, "--lead", "NOPE"]);
    assert!(line.contains("WEE"), "lists the codes: {line}");
    store.ok(&["case", "set", &case, "--lead", "특수교육지원센터"]);
    assert_eq!(case_json(&store, &case)["lead_team"], "SPED");
}

#[test]
fn case_set_a_cooperating_team_that_becomes_lead_leaves_the_co_list() {
    let store = TempStore::initialised();
    let case = store
        .ok(&[
            "case",
            "add",
            "--student",
            "홍길동",
            "--school",
            "한빛초",
            "--grade",
            "3",
            "--lead",
            "WEE",
            "--co",
            "WELF,CPA",
        ])
        .trim_end()
        .to_string();
    let out = store.ok(&["case", "set", &case, "--lead", "WELF"]);
    assert!(out.contains("WEE → WELF"), "{out}");
    let json = case_json(&store, &case);
    assert_eq!(json["lead_team"], "WELF");
    assert_eq!(json["co_teams"], serde_json::json!(["CPA"]));
}

#[test]
fn case_set_lead_and_co_with_the_same_team_is_refused() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    refused(&store, &["case", "set", &case, "--co", "WEE"]);
    refused(
        &store,
        &["case", "set", &case, "--lead", "WELF", "--co", "WELF"],
    );
}

#[test]
fn case_set_co_none_clears_the_list_and_an_empty_value_is_refused() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    store.ok(&["case", "set", &case, "--co", "WELF"]);
    let line = refused(&store, &["case", "set", &case, "--co", ""]);
    assert!(line.contains("--co none"), "{line}");
    assert_eq!(
        case_json(&store, &case)["co_teams"],
        serde_json::json!(["WELF"])
    );
    store.ok(&["case", "set", &case, "--co", "없음"]);
    assert_eq!(case_json(&store, &case)["co_teams"], serde_json::json!([]));
}

#[test]
fn case_set_review_can_be_cleared_but_not_put_in_the_past() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    store.ok(&["case", "set", &case, "--review", "다음주 금"]);
    assert_eq!(case_json(&store, &case)["review_on"], "2026-12-04");
    let line = refused(&store, &["case", "set", &case, "--review", "2026-11-27"]);
    assert!(line.contains("2026-11-27"), "{line}");
    let line = refused(&store, &["case", "set", &case, "--review", "next blursday"]);
    assert!(line.contains("+3d"), "{line}");
    store.ok(&["case", "set", &case, "--review", "none"]);
    assert_eq!(case_json(&store, &case)["review_on"], Value::Null);
}

#[test]
fn case_set_with_nothing_to_change_is_refused() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let line = refused(&store, &["case", "set", &case]);
    assert!(line.contains("--level"), "{line}");
    // the same value as now changes nothing either
    refused(&store, &["case", "set", &case, "--level", "watch"]);
    refused(&store, &["case", "set", &case, "--lead", "WEE"]);
}

#[test]
fn case_set_on_an_unknown_case_is_refused() {
    let store = TempStore::initialised();
    add_case(&store, "홍길동", "WEE");
    let line = refused(&store, &["case", "set", "2026-0042", "--level", "high"]);
    assert!(line.contains("2026-0042"), "{line}");
}

#[test]
fn case_set_on_a_closed_case_is_refused_except_aftercare() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    store.ok(&["case", "close", &case, "--reason", "목표 달성"]);
    let line = refused(&store, &["case", "set", &case, "--level", "high"]);
    assert!(line.contains("reopen"), "{line}");
    refused(&store, &["case", "set", &case, "--lead", "WELF"]);
    refused(&store, &["case", "set", &case, "--stage", "진단"]);
}

// ---------------------------------------------------------------------------------------------
// case close / reopen

#[test]
fn case_close_with_open_actions_is_refused_and_lists_them() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let a = add_action(&store, &case, "가정방문", "WELF", "+3d");
    let b = add_action(&store, &case, "상담", "WEE", "+1w");
    let line = refused(&store, &["case", "close", &case, "--reason", "목표 달성"]);
    assert!(line.contains(&a) && line.contains(&b), "{line}");
    assert!(line.contains("--drop-open"), "{line}");
}

#[test]
fn case_close_prints_and_records_the_closure() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let a = add_action(&store, &case, "가정방문", "WELF", "+3d");
    store.ok(&["action", "done", &a]);
    let out = store.ok(&["case", "close", &case, "--reason", "목표 달성"]);
    assert_eq!(out, format!("{case} closed\n"));
    let json = case_json(&store, &case);
    assert_eq!(json["stage"], "closed");
    assert_eq!(json["closed_on"], "2026-11-28");
    let notes = json["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n["text"] == "목표 달성"),
        "the reason is on the timeline: {notes:?}"
    );
}

#[test]
fn case_close_drop_open_drops_the_open_actions() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let a = add_action(&store, &case, "가정방문", "WELF", "+3d");
    let b = add_action(&store, &case, "상담", "WEE", "+1w");
    store.ok(&["action", "done", &a]);
    let out = store.ok(&["case", "close", &case, "--reason", "전학", "--drop-open"]);
    assert!(out.contains(&b) && !out.contains(&a), "{out}");
    assert_eq!(action_by_id(&store, &a)["status"], "done");
    assert_eq!(action_by_id(&store, &b)["status"], "dropped");
    assert_eq!(action_by_id(&store, &b)["result"], "전학");
    assert_eq!(case_json(&store, &case)["stage"], "closed");
    // nothing left open for the team
    assert_eq!(store.ok(&["action", "list", "--json"]), "[]\n");
}

#[test]
fn case_close_with_a_blank_reason_is_refused() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    add_action(&store, &case, "가정방문", "WELF", "+3d");
    for reason in ["", "   ", "\t"] {
        let line = refused(
            &store,
            &["case", "close", &case, "--reason", reason, "--drop-open"],
        );
        assert!(line.contains("reason"), "{line}");
    }
}

#[test]
fn case_close_twice_is_refused() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    store.ok(&["case", "close", &case, "--reason", "목표 달성"]);
    let line = refused(&store, &["case", "close", &case, "--reason", "다시"]);
    assert!(line.contains("closed"), "{line}");
}

#[test]
fn a_closed_case_takes_no_new_actions() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    store.ok(&["case", "close", &case, "--reason", "목표 달성"]);
    let line = refused(
        &store,
        &[
            "action",
            "add",
            &case,
            "--title",
            "추가 상담",
            "--team",
            "WEE",
            "--due",
            "+3d",
        ],
    );
    assert!(line.contains(&case), "{line}");
    assert!(line.contains("reopen"), "says what to do: {line}");
    let line = refused_env(
        &store,
        &[
            "action",
            "add",
            &case,
            "--title",
            "추가 상담",
            "--team",
            "WEE",
            "--due",
            "+3d",
        ],
        &[("LANG", "ko_KR.UTF-8")],
    );
    assert!(line.contains("종결"), "{line}");
}

#[test]
fn case_reopen_goes_back_to_the_conference_and_takes_actions_again() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    store.ok(&["case", "close", &case, "--reason", "목표 달성"]);
    let out = store.ok(&["case", "reopen", &case, "--reason", "결석 재발"]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with(&case), "{out}");
    let json = case_json(&store, &case);
    assert_eq!(json["stage"], "conference");
    assert_eq!(json["closed_on"], Value::Null);
    let notes = json["notes"].as_array().unwrap();
    assert!(notes.iter().any(|n| n["text"] == "결석 재발"), "{notes:?}");
    let history: Vec<&str> = json["stage_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["stage"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["intake", "closed", "conference"]);
    assert_eq!(
        add_action(&store, &case, "추가 상담", "WEE", "+3d"),
        format!("{case}/1")
    );
}

#[test]
fn case_reopen_from_aftercare_is_allowed() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    store.ok(&["case", "close", &case, "--reason", "목표 달성"]);
    store.ok(&["case", "set", &case, "--stage", "aftercare"]);
    store.ok(&["case", "reopen", &case, "--reason", "재발"]);
    assert_eq!(case_json(&store, &case)["stage"], "conference");
}

#[test]
fn case_reopen_of_an_open_case_or_without_reason_is_refused() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let line = refused(&store, &["case", "reopen", &case, "--reason", "재발"]);
    assert!(line.contains("not closed"), "{line}");
    store.ok(&["case", "close", &case, "--reason", "목표 달성"]);
    let line = refused(&store, &["case", "reopen", &case, "--reason", "  "]);
    assert!(line.contains("reason"), "{line}");
    refused(&store, &["case", "reopen", "2026-0077", "--reason", "재발"]);
}

// ---------------------------------------------------------------------------------------------
// action add

#[test]
fn action_add_prints_only_the_action_id() {
    let store = TempStore::initialised();
    let a = add_case(&store, "홍길동", "WEE");
    let b = add_case(&store, "김철수", "WELF");
    for (case, expected) in [
        (&a, "2026-0001/1\n"),
        (&a, "2026-0001/2\n"),
        (&b, "2026-0002/1\n"),
        (&a, "2026-0001/3\n"),
    ] {
        let run = store.run(&[
            "action",
            "add",
            case,
            "--title",
            "가정방문",
            "--team",
            "WELF",
            "--due",
            "+3d",
        ]);
        assert!(run.success(), "{}", run.stderr);
        assert_eq!(run.stdout, expected);
        assert_eq!(run.stderr, "");
    }
}

#[test]
fn action_add_records_title_team_person_and_due() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    store.ok(&["consent", "add", &case, "--share", "MHC"]);
    let out = store.ok(&[
        "action",
        "add",
        &case,
        "--title",
        "정신건강 평가 의뢰",
        "--team",
        "정신건강복지센터",
        "--due",
        "2026-12-05",
        "--person",
        "박간호",
    ]);
    let id = out.trim_end();
    let action = action_by_id(&store, id);
    assert_eq!(action["id"], id);
    assert_eq!(action["case"], case.as_str());
    assert_eq!(action["title"], "정신건강 평가 의뢰");
    assert_eq!(action["team"], "MHC");
    assert_eq!(action["person"], "박간호");
    assert_eq!(action["due"], "2026-12-05");
    assert_eq!(action["status"], "open");
    let id = add_action(&store, &case, "x", "Wee counselling centre", "+1d");
    assert_eq!(action_by_id(&store, &id)["team"], "WEE");
    assert_eq!(action_by_id(&store, &id)["person"], Value::Null);
}

#[test]
fn action_add_due_forms_resolve_from_saturday_2026_11_28() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let examples = [
        ("2026-12-05", "2026-12-05"),
        ("12/5", "2026-12-05"),
        ("+3d", "2026-12-01"),
        ("+2w", "2026-12-12"),
        ("today", "2026-11-28"),
        ("오늘", "2026-11-28"),
        ("tomorrow", "2026-11-29"),
        ("내일", "2026-11-29"),
        ("fri", "2026-12-04"),
        ("금", "2026-12-04"),
        ("금요일", "2026-12-04"),
        ("Friday", "2026-12-04"),
        ("mon", "2026-11-30"),
        ("월요일", "2026-11-30"),
        ("next fri", "2026-12-04"),
        ("다음주 금", "2026-12-04"),
        ("next mon", "2026-11-30"),
        ("다음주 월", "2026-11-30"),
        ("+5bd", "2026-12-04"),
        ("+6bd", "2026-12-07"),
        ("  +3D  ", "2026-12-01"),
    ];
    for (input, expected) in examples {
        let id = add_action(&store, &case, "점검", "WEE", input);
        assert_eq!(
            action_by_id(&store, &id)["due"],
            expected,
            "--due {input:?}"
        );
    }
}

#[test]
fn action_add_business_days_skip_public_holidays() {
    // Friday 2026-12-18: +5bd skips the weekend and Christmas (Friday 12-25) → Monday 12-28.
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let run = store.run_env(
        &[
            "action", "add", &case, "--title", "점검", "--team", "WEE", "--due", "+5bd",
        ],
        &[("CASEDESK_NOW", "2026-12-18T10:00:00+09:00")],
    );
    assert!(run.success(), "{}", run.stderr);
    assert_eq!(
        action_by_id(&store, run.stdout.trim_end())["due"],
        "2026-12-28"
    );
}

#[test]
fn action_add_with_an_unreadable_date_names_the_accepted_forms() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    for due in ["soon", "13/45", "2026-02-30", "+3x", ""] {
        let line = refused(
            &store,
            &[
                "action", "add", &case, "--title", "점검", "--team", "WEE", "--due", due,
            ],
        );
        assert!(line.contains("+3d"), "--due {due:?}: {line}");
        assert!(
            line.contains(&format!("'{due}'")),
            "names the input: {line}"
        );
    }
    let line = refused(
        &store,
        &ko(&[
            "action",
            "add",
            &case,
            "--title",
            "점검",
            "--team",
            "WEE",
            "--due",
            "언젠가",
        ]),
    );
    assert!(line.contains("+3d") && line.contains("다음주 금"), "{line}");
    assert!(line.contains("날짜"), "{line}");
}

#[test]
fn action_add_with_a_due_date_in_the_past_is_refused() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    for due in ["2026-11-27", "yesterday", "어제", "3일 전"] {
        let line = refused(
            &store,
            &[
                "action", "add", &case, "--title", "점검", "--team", "WEE", "--due", due,
            ],
        );
        assert!(line.contains("2026-11-28"), "--due {due}: {line}");
    }
    // a value starting with '-' is a date, attached with '=' or not
    for args in [["--due=-3d", ""], ["--due", "-3d"]] {
        let mut all = vec!["action", "add", &case, "--title", "점검", "--team", "WEE"];
        all.extend(args.iter().filter(|a| !a.is_empty()));
        let line = refused(&store, &all);
        assert!(line.contains("2026-11-25"), "{line}");
    }
    // a month and day without a year is the next one ahead for a due date
    let id = store.ok(&[
        "action", "add", &case, "--title", "점검", "--team", "WEE", "--due", "11/1",
    ]);
    let listed = json(&store.ok(&["action", "list", "--case", &case, "--json"]));
    let due = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id.trim())
        .unwrap()["due"]
        .clone();
    assert_eq!(due, "2027-11-01");
}

#[test]
fn action_add_with_an_empty_title_is_refused() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    for title in ["", "   ", "\n\t"] {
        let line = refused(
            &store,
            &[
                "action", "add", &case, "--title", title, "--team", "WEE", "--due", "+3d",
            ],
        );
        assert!(line.contains("title"), "{title:?}: {line}");
    }
}

#[test]
fn action_add_with_an_unknown_team_lists_the_valid_codes() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let line = refused(
        &store,
        &[
            "action", "add", &case, "--title", "점검", "--team", "LIBRARY", "--due", "+3d",
        ],
    );
    assert!(line.contains("LIBRARY"), "{line}");
    for code in ["WEE", "WELF", "CPA", "POLICE"] {
        assert!(line.contains(code), "{code} in {line}");
    }
    let line = refused(
        &store,
        &ko(&[
            "action",
            "add",
            &case,
            "--title",
            "점검",
            "--team",
            "도서관",
            "--due",
            "+3d",
        ]),
    );
    assert!(line.contains("WEE") && line.contains("부서"), "{line}");
}

#[test]
fn action_add_to_an_unknown_case_is_refused() {
    let store = TempStore::initialised();
    add_case(&store, "홍길동", "WEE");
    for case in ["2026-0002", "2027-0001", "홍길동", "0001"] {
        let line = refused(
            &store,
            &[
                "action", "add", case, "--title", "점검", "--team", "WEE", "--due", "+3d",
            ],
        );
        assert!(line.contains(case), "{line}");
    }
}

#[test]
fn action_add_to_an_external_agency_is_a_referral_and_allowed() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let id = add_action(&store, &case, "아동보호 연계", "아동보호전문기관", "+1d");
    assert_eq!(action_by_id(&store, &id)["team"], "CPA");
}

// ---------------------------------------------------------------------------------------------
// action list

/// Case 1 (WEE) with one action overdue by 8 days (WELF), one due today (WEE) and one in 10
/// days (WEE); case 2 (WELF) with one overdue by 18 days (WELF) and one in 3 days (CPA).
fn actions_fixture(store: &TempStore) {
    let a = add_case(store, "홍길동", "WEE");
    let b = add_case(store, "김철수", "WELF");
    assert_eq!(
        add_action_earlier(store, &a, "가정방문", "WELF", "2026-11-20"),
        "2026-0001/1"
    );
    assert_eq!(add_action(store, &a, "상담", "WEE", "today"), "2026-0001/2");
    assert_eq!(
        add_action(store, &a, "재평가", "WEE", "+10d"),
        "2026-0001/3"
    );
    assert_eq!(
        add_action_earlier(store, &b, "서류 제출", "WELF", "2026-11-10"),
        "2026-0002/1"
    );
    assert_eq!(
        add_action(store, &b, "보호 연계", "CPA", "+3d"),
        "2026-0002/2"
    );
}

fn action_ids(store: &TempStore, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["action", "list", "--json"];
    args.extend_from_slice(extra);
    ids(&json(&store.ok(&args)))
}

#[test]
fn action_list_json_has_the_stable_keys_earliest_due_first() {
    let store = TempStore::initialised();
    actions_fixture(&store);
    let list = json(&store.ok(&["action", "list", "--json"]));
    let actions = list.as_array().unwrap();
    assert_eq!(
        ids(&list),
        [
            "2026-0002/1",
            "2026-0001/1",
            "2026-0001/2",
            "2026-0002/2",
            "2026-0001/3"
        ]
    );
    for action in actions {
        for key in ["id", "case", "title", "team", "person", "due", "status"] {
            assert!(action.get(key).is_some(), "{key} in {action}");
        }
        let due = action["due"].as_str().unwrap();
        assert_eq!(due.len(), 10, "YYYY-MM-DD: {due}");
        assert!(chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").is_ok());
    }
    assert_eq!(actions[0]["case"], "2026-0002");
    assert_eq!(actions[0]["title"], "서류 제출");
    assert_eq!(actions[0]["team"], "WELF");
    assert_eq!(actions[0]["due"], "2026-11-10");
    assert_eq!(actions[0]["status"], "open");
}

#[test]
fn action_list_filters_by_team() {
    let store = TempStore::initialised();
    actions_fixture(&store);
    assert_eq!(
        action_ids(&store, &["--team", "WELF"]),
        ["2026-0002/1", "2026-0001/1"]
    );
    assert_eq!(
        action_ids(&store, &["--team", "교육복지"]),
        ["2026-0002/1", "2026-0001/1"]
    );
    assert_eq!(action_ids(&store, &["--team", "cpa"]), ["2026-0002/2"]);
    assert!(action_ids(&store, &["--team", "POLICE"]).is_empty());
    let line = refused(&store, &["action", "list", "--team", "NOPE"]);
    assert!(line.contains("WEE"), "{line}");
}

#[test]
fn action_list_overdue_shows_only_past_due_open_actions() {
    let store = TempStore::initialised();
    actions_fixture(&store);
    assert_eq!(
        action_ids(&store, &["--overdue"]),
        ["2026-0002/1", "2026-0001/1"]
    );
    assert_eq!(
        action_ids(&store, &["--overdue", "--team", "WEE"]),
        Vec::<String>::new()
    );
    // done ones are not overdue any more
    store.ok(&["action", "done", "2026-0002/1"]);
    assert_eq!(action_ids(&store, &["--overdue"]), ["2026-0001/1"]);
    let table = store.ok(&["action", "list", "--overdue"]);
    assert!(table.contains("8d late"), "{table}");
    assert!(table.contains('!'), "a marker, not colour alone: {table}");
}

#[test]
fn action_list_due_within_includes_overdue_ones() {
    let store = TempStore::initialised();
    actions_fixture(&store);
    assert_eq!(
        action_ids(&store, &["--due-within", "3"]),
        ["2026-0002/1", "2026-0001/1", "2026-0001/2", "2026-0002/2"]
    );
    assert_eq!(
        action_ids(&store, &["--due-within", "0"]),
        ["2026-0002/1", "2026-0001/1", "2026-0001/2"]
    );
    assert_eq!(action_ids(&store, &["--due-within", "10"]).len(), 5);
    assert_eq!(
        action_ids(&store, &["--due-within", "7", "--team", "WEE"]),
        ["2026-0001/2"]
    );
}

#[test]
fn action_list_by_case() {
    let store = TempStore::initialised();
    actions_fixture(&store);
    assert_eq!(
        action_ids(&store, &["--case", "2026-0001"]),
        ["2026-0001/1", "2026-0001/2", "2026-0001/3"]
    );
    assert_eq!(
        action_ids(&store, &["--case", "2026-0002", "--overdue"]),
        ["2026-0002/1"]
    );
    let line = refused(&store, &["action", "list", "--case", "2026-0009"]);
    assert!(line.contains("2026-0009"), "{line}");
    let line = refused(&store, &["action", "list", "--case", "nonsense"]);
    assert!(line.contains("nonsense"), "{line}");
}

#[test]
fn action_list_hides_done_and_dropped_unless_all() {
    let store = TempStore::initialised();
    actions_fixture(&store);
    store.ok(&["action", "done", "2026-0001/2"]);
    store.ok(&["action", "drop", "2026-0001/3", "--reason", "중복"]);
    let open = action_ids(&store, &[]);
    assert!(!open.contains(&"2026-0001/2".to_string()), "{open:?}");
    assert!(!open.contains(&"2026-0001/3".to_string()), "{open:?}");
    assert_eq!(open.len(), 3);
    assert_eq!(action_ids(&store, &["--all"]).len(), 5);
    let case_open = action_ids(&store, &["--case", "2026-0001"]);
    assert_eq!(case_open, ["2026-0001/1"]);
}

#[test]
fn action_list_snapshot_english() {
    let store = TempStore::initialised();
    actions_fixture(&store);
    store.ok(&["consent", "add", "2026-0002", "--share", "MHC"]);
    store.ok(&[
        "action",
        "add",
        "2026-0002",
        "--title",
        "정신건강복지센터 심층 평가 및 보호자 상담 일정 조율과 결과 공유",
        "--team",
        "MHC",
        "--due",
        "다음주 금",
        "--person",
        "박간호",
    ]);
    insta::assert_snapshot!("action_list_en", store.ok(&["action", "list"]));
}

#[test]
fn action_list_snapshot_korean() {
    let store = TempStore::initialised();
    actions_fixture(&store);
    store.ok(&["action", "done", "2026-0001/2", "--note", "상담 완료"]);
    insta::assert_snapshot!(
        "action_list_ko_all",
        store.ok(&["--lang", "ko", "action", "list", "--all"])
    );
}

// ---------------------------------------------------------------------------------------------
// action done / drop

#[test]
fn action_done_marks_it_done_with_the_note() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let id = add_action(&store, &case, "가정방문", "WELF", "+3d");
    let out = store.ok(&["action", "done", &id, "--note", "보호자 면담함"]);
    assert_eq!(out, format!("{id} done · 가정방문\n"));
    let action = action_by_id(&store, &id);
    assert_eq!(action["status"], "done");
    assert_eq!(action["result"], "보호자 면담함");
    assert_eq!(action["closed_on"], "2026-11-28");
    let id = add_action(&store, &case, "상담", "WEE", "+3d");
    store.ok(&["action", "done", &id]);
    assert_eq!(action_by_id(&store, &id)["status"], "done");
}

#[test]
fn action_done_twice_is_refused_clearly() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let id = add_action(&store, &case, "가정방문", "WELF", "+3d");
    store.ok(&["action", "done", &id]);
    let line = refused(&store, &["action", "done", &id]);
    assert!(
        line.contains(&id) && line.contains("already done"),
        "{line}"
    );
    let line = refused(&store, &["action", "drop", &id, "--reason", "중복"]);
    assert!(line.contains("already done"), "{line}");
    let line = refused(&store, &ko(&["action", "done", &id]));
    assert!(line.contains("이미"), "{line}");
}

#[test]
fn action_drop_needs_a_reason_and_records_it() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let id = add_action(&store, &case, "가정방문", "WELF", "+3d");
    for reason in ["", "  ", "\n"] {
        let line = refused(&store, &["action", "drop", &id, "--reason", reason]);
        assert!(line.contains("reason"), "{reason:?}: {line}");
    }
    let out = store.ok(&["action", "drop", &id, "--reason", "보호자 거부"]);
    assert_eq!(out, format!("{id} dropped · 가정방문\n"));
    let action = action_by_id(&store, &id);
    assert_eq!(action["status"], "dropped");
    assert_eq!(action["result"], "보호자 거부");
    let line = refused(&store, &["action", "drop", &id, "--reason", "다시"]);
    assert!(line.contains("already dropped"), "{line}");
    let line = refused(&store, &["action", "done", &id]);
    assert!(line.contains("already dropped"), "{line}");
}

#[test]
fn action_done_or_drop_of_an_unknown_action_is_refused() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    add_action(&store, &case, "가정방문", "WELF", "+3d");
    for id in [
        "2026-0001/2",
        "2026-0002/1",
        "2026-0001",
        "2026-0001/0",
        "x",
    ] {
        let line = refused(&store, &["action", "done", id]);
        assert!(line.contains(id), "{line}");
        assert!(line.contains("CASE"), "says where to look: {line}");
        refused(&store, &["action", "drop", id, "--reason", "중복"]);
    }
}

#[test]
fn a_missing_required_option_changes_nothing() {
    // clap's usage errors: not the one-line contract, but never a change
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let id = add_action(&store, &case, "가정방문", "WELF", "+3d");
    let before = snapshot(&store);
    for args in [
        &["action", "drop", id.as_str()][..],
        &[
            "action",
            "add",
            case.as_str(),
            "--title",
            "x",
            "--team",
            "WEE",
        ][..],
        &["case", "close", case.as_str()][..],
    ] {
        let run = store.run(args);
        assert!(!run.success(), "{args:?}");
        assert_eq!(run.stdout, "");
    }
    assert_eq!(snapshot(&store), before);
}

// ---------------------------------------------------------------------------------------------
// notes

#[test]
fn note_add_records_a_timeline_entry() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let run = store.run(&["note", "add", &case, "담임과 통화함"]);
    assert!(run.success(), "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(run.stdout.starts_with(&case), "{}", run.stdout);
    store.ok(&["note", "add", &case, "첫 줄\n둘째 줄"]);
    let notes = case_json(&store, &case)["notes"].clone();
    assert_eq!(notes[0]["text"], "담임과 통화함");
    assert_eq!(notes[0]["restricted"], false);
    assert_eq!(notes[0]["author"], "tester");
    assert_eq!(notes[0]["at"], "2026-11-28T10:00:00+09:00");
    assert_eq!(notes[1]["text"], "첫 줄\n둘째 줄", "a note keeps its lines");
}

#[test]
fn note_add_restricted_is_hidden_unless_unmasked() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    store.ok(&["note", "add", &case, "자해 흔적 상세", "--restricted"]);
    let masked = json(&store.ok(&["case", "show", &case, "--json"]));
    assert_eq!(masked["notes"][0]["restricted"], true);
    assert_eq!(masked["notes"][0]["text"], Value::Null);
    assert!(!store.ok(&["case", "show", &case]).contains("자해 흔적"));
    assert!(
        !store
            .ok(&["--lang", "ko", "case", "show", &case])
            .contains("자해 흔적")
    );
    assert_eq!(
        case_json(&store, &case)["notes"][0]["text"],
        "자해 흔적 상세"
    );
}

#[test]
fn note_add_blank_or_to_an_unknown_case_is_refused() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let line = refused(&store, &["note", "add", &case, "  \n "]);
    assert!(line.contains("note"), "{line}");
    let line = refused(&store, &["note", "add", "2026-0005", "메모"]);
    assert!(line.contains("2026-0005"), "{line}");
}

#[test]
fn note_add_to_a_closed_case_is_allowed() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    store.ok(&["case", "close", &case, "--reason", "목표 달성"]);
    store.ok(&["note", "add", &case, "사후 안부 전화"]);
    let notes = case_json(&store, &case)["notes"].clone();
    assert!(
        notes
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["text"] == "사후 안부 전화")
    );
}

// ---------------------------------------------------------------------------------------------
// teams

#[test]
fn team_list_json_has_code_names_and_kind() {
    let store = TempStore::initialised();
    let teams = json(&store.ok(&["team", "list", "--json"]));
    let wee = teams
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "WEE")
        .unwrap();
    assert_eq!(wee["name"], "Wee센터");
    assert_eq!(wee["name_en"], "Wee counselling centre");
    assert_eq!(wee["kind"], "internal");
    let cpa = teams
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "CPA")
        .unwrap();
    assert_eq!(cpa["name"], "아동보호전문기관");
    assert_eq!(cpa["kind"], "external");
}

#[test]
fn team_list_snapshot_english() {
    let store = TempStore::initialised();
    insta::assert_snapshot!("team_list_en", store.ok(&["team", "list"]));
}

#[test]
fn team_list_snapshot_korean() {
    let store = TempStore::initialised();
    insta::assert_snapshot!("team_list_ko", store.ok(&["--lang", "ko", "team", "list"]));
}

#[test]
fn team_add_makes_a_team_that_commands_accept() {
    let store = TempStore::initialised();
    assert_eq!(
        store.ok(&[
            "team",
            "add",
            "LIB",
            "--name",
            "작은도서관",
            "--name-en",
            "Small library",
            "--external",
        ]),
        "LIB\n"
    );
    assert_eq!(
        store.ok(&["team", "add", "CARE2", "--name", "돌봄지원팀"]),
        "CARE2\n"
    );
    let teams = json(&store.ok(&["team", "list", "--json"]));
    let lib = teams
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "LIB")
        .unwrap();
    assert_eq!(lib["name"], "작은도서관");
    assert_eq!(lib["name_en"], "Small library");
    assert_eq!(lib["kind"], "external");
    let care = teams
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "CARE2")
        .unwrap();
    assert_eq!(care["kind"], "internal");
    // an internal team can lead; an external one can cooperate and own actions but not lead
    let case = add_case(&store, "홍길동", "돌봄지원팀");
    store.ok(&["case", "set", &case, "--co", "작은도서관"]);
    add_action(&store, &case, "독서 멘토링 연계", "Small library", "+1w");
    refused(&store, &["case", "set", &case, "--lead", "LIB"]);
    let line = refused(&store, &["action", "list", "--team", "NOPE"]);
    assert!(line.contains("LIB") && line.contains("CARE2"), "{line}");
}

#[test]
fn team_add_with_an_existing_code_is_refused() {
    let store = TempStore::initialised();
    let line = refused(&store, &["team", "add", "WEE", "--name", "또 다른 Wee"]);
    assert!(line.contains("WEE"), "{line}");
    store.ok(&["team", "add", "LIB", "--name", "도서관"]);
    refused(&store, &["team", "add", "LIB", "--name", "도서관2"]);
}

#[test]
fn team_add_with_a_bad_code_or_blank_name_is_refused() {
    let store = TempStore::initialised();
    for code in ["1AB", "WE E", "도서관", "", "A-B", "ABCDEFGHIJKLMNOPQ"] {
        let line = refused(&store, &["team", "add", code, "--name", "도서관"]);
        assert!(line.contains("team code"), "{code:?}: {line}");
    }
    let line = refused(&store, &["team", "add", "LIB", "--name", "  "]);
    assert!(line.contains("team name"), "{line}");
}

// ---------------------------------------------------------------------------------------------
// check and the overview

#[test]
fn check_says_ok_on_a_healthy_store() {
    let store = TempStore::initialised();
    office(&store);
    store.ok(&["case", "set", "2026-0002", "--stage", "진단"]);
    store.ok(&["action", "drop", "2026-0002/1", "--reason", "중복"]);
    store.ok(&["case", "close", "2026-0003", "--reason", "목표 달성"]);
    store.ok(&["case", "reopen", "2026-0003", "--reason", "재발"]);
    store.ok(&["team", "add", "LIB", "--name", "도서관"]);
    let run = store.run(&["check"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.starts_with("ok"), "{}", run.stdout);
    assert!(run.stdout.contains("3 cases"), "{}", run.stdout);
    assert!(run.stdout.contains("4 actions"), "{}", run.stdout);
    let out = store.ok(&["--lang", "ko", "check"]);
    assert!(out.contains("이상 없음"), "{out}");
}

#[test]
fn no_subcommand_shows_the_overview() {
    let store = TempStore::initialised();
    actions_fixture(&store);
    let out = store.ok(&[]);
    assert!(out.contains("테스트교육지원청"), "{out}");
    assert!(out.contains("overdue actions 2"), "{out}");
    assert!(out.contains("open cases 2"), "{out}");
}

// ---------------------------------------------------------------------------------------------
// language

#[test]
fn lang_ko_gives_korean_output_and_messages() {
    let store = TempStore::initialised();
    office(&store);
    let table = store.ok(&["--lang", "ko", "case", "list"]);
    assert!(table.starts_with("번호"), "{table}");
    assert!(
        table.contains("고위기") && table.contains("접수"),
        "{table}"
    );
    let table = store.ok(&["case", "list", "--lang", "ko"]);
    assert!(
        table.starts_with("번호"),
        "after the subcommand too: {table}"
    );
    let out = store.ok(&[
        "--lang",
        "ko",
        "case",
        "set",
        "2026-0002",
        "--stage",
        "진단",
    ]);
    assert!(out.contains("단계") && out.contains("진단"), "{out}");
    let out = store.ok(&["--lang", "ko", "action", "done", "2026-0002/1"]);
    assert_eq!(out, "2026-0002/1 완료 · 학습 지원 계획 수립\n");
    let line = refused(&store, &ko(&["case", "show", "2026-0099"]));
    assert!(
        line.contains("사례") && line.contains("2026-0099"),
        "{line}"
    );
    let line = refused(
        &store,
        &ko(&["case", "close", "2026-0001", "--reason", "끝"]),
    );
    assert!(line.contains("진행 중인 조치사항"), "{line}");
}

#[test]
fn korean_locale_without_lang_gives_korean() {
    let store = TempStore::initialised();
    office(&store);
    let ko_env = [("LANG", "ko_KR.UTF-8")];
    let run = store.run_env(&["case", "list"], &ko_env);
    assert!(run.success(), "{}", run.stderr);
    assert!(run.stdout.starts_with("번호"), "{}", run.stdout);
    let run = store.run_env(&["team", "list"], &ko_env);
    assert!(run.stdout.starts_with("코드"), "{}", run.stdout);
    let line = refused_env(
        &store,
        &[
            "action",
            "add",
            "2026-0001",
            "--title",
            "t",
            "--team",
            "NOPE",
            "--due",
            "+3d",
        ],
        &ko_env,
    );
    assert!(line.contains("부서/기관이 없습니다"), "{line}");
    assert!(line.contains("WEE"), "{line}");
    // --lang en wins over the locale
    let run = store.run_env(&["--lang", "en", "case", "list"], &ko_env);
    assert!(run.stdout.starts_with("number"), "{}", run.stdout);
}

// ---------------------------------------------------------------------------------------------
// text that is not NFC, and terminal escape sequences

fn nfd(s: &str) -> String {
    let d: String = s.nfd().collect();
    assert_ne!(d, s, "the decomposed form really differs");
    d
}

#[test]
fn text_that_is_not_nfc_is_normalised_not_rejected() {
    let store = TempStore::initialised();
    let student = nfd("홍길동");
    let school = nfd("한빛초등학교");
    let lead = nfd("교육복지");
    let number = store
        .ok(&[
            "case",
            "add",
            "--student",
            &student,
            "--school",
            &school,
            "--grade",
            "3",
            "--lead",
            &lead,
            "--level",
            &nfd("고위기"),
            "--domain",
            &nfd("우울"),
            "--review",
            &nfd("다음주 금"),
        ])
        .trim_end()
        .to_string();
    let case = case_json(&store, &number);
    assert_eq!(case["student"], "홍길동");
    assert_eq!(case["school"], "한빛초등학교");
    assert_eq!(case["lead_team"], "WELF");
    assert_eq!(case["level"], "high");
    assert_eq!(case["concerns"], serde_json::json!(["depression"]));
    assert_eq!(case["review_on"], "2026-12-04");
    let masked = json(&store.ok(&["case", "list", "--json"]));
    assert_eq!(masked[0]["student"], "홍*동");
    assert!(store.ok(&["case", "list"]).contains("홍*동"));

    let id = add_action(
        &store,
        &number,
        &nfd("가정방문"),
        &nfd("Wee센터"),
        &nfd("내일"),
    );
    let action = action_by_id(&store, &id);
    assert_eq!(action["title"], "가정방문");
    assert_eq!(action["team"], "WEE");
    assert_eq!(action["due"], "2026-11-29");
    store.ok(&["note", "add", &number, &nfd("보호자 통화")]);
    assert_eq!(
        case_json(&store, &number)["notes"][0]["text"],
        "보호자 통화"
    );
    store.ok(&["team", "add", "LIB", "--name", &nfd("작은도서관")]);
    let teams = store.ok(&["team", "list", "--json"]);
    assert!(teams.contains("\"작은도서관\""), "{teams}");
    assert_eq!(
        numbers(&json(&store.ok(&[
            "case",
            "list",
            "--json",
            "--team",
            &nfd("교육복지")
        ]))),
        [number]
    );
}

fn assert_no_escape(what: &str, text: &str) {
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{9b}') && !text.contains('\u{7}'),
        "{what} has a control character: {text:?}"
    );
}

#[test]
fn escape_sequences_in_typed_text_never_reach_the_output() {
    let store = TempStore::initialised();
    let number = store
        .ok(&[
            "case",
            "add",
            "--student",
            "\u{1b}[2J홍길동",
            "--school",
            "\u{1b}]0;title\u{7}한빛초",
            "--grade",
            "3",
            "--lead",
            "WEE",
            "--person",
            "\u{9b}31m김상담",
            "--summary",
            "x\u{1b}[31my",
        ])
        .trim_end()
        .to_string();
    let id = store
        .ok(&[
            "action",
            "add",
            &number,
            "--title",
            "\u{1b}[1m가정방문",
            "--team",
            "WEE",
            "--due",
            "+3d",
            "--person",
            "\u{1b}[5m이복지",
        ])
        .trim_end()
        .to_string();
    store.ok(&["note", "add", &number, "통화\u{1b}[2K함"]);
    store.ok(&["case", "set", &number, "--person", "\u{1b}[7m박담당"]);
    store.ok(&["action", "done", &id, "--note", "\u{1b}[8m완료"]);
    for args in [
        &["case", "list"][..],
        &["case", "list", "--unmasked"][..],
        &["case", "list", "--json", "--unmasked"][..],
        &["case", "show", &number][..],
        &["case", "show", &number, "--unmasked"][..],
        &["case", "show", &number, "--json", "--unmasked"][..],
        &["action", "list", "--all"][..],
        &["action", "list", "--all", "--json"][..],
        &["--lang", "ko", "case", "show", &number, "--unmasked"][..],
        &[][..],
    ] {
        let run = store.run(args);
        assert!(run.success(), "{args:?}: {}", run.stderr);
        assert_no_escape(&format!("stdout of {args:?}"), &run.stdout);
        assert_no_escape(&format!("stderr of {args:?}"), &run.stderr);
    }
    let case = case_json(&store, &number);
    let student = case["student"].as_str().unwrap();
    assert!(student.ends_with("홍길동"), "{student}");
}

#[test]
fn escape_sequences_and_newlines_in_bad_input_do_not_reach_the_error_line() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "action",
            "add",
            &case,
            "--title",
            "t",
            "--team",
            "\u{1b}[2JNOPE",
            "--due",
            "+3d",
        ],
        vec![
            "action", "add", &case, "--title", "t", "--team", "NO\nPE", "--due", "+3d",
        ],
        vec!["case", "show", "\u{1b}[2J2026-0001"],
        vec!["case", "show", "2026-0009\nrm -rf"],
        vec!["action", "done", "\u{1b}[2J2026-0001/1"],
        vec!["case", "list", "--level", "\u{1b}[2Jx"],
        vec!["case", "list", "--stage", "x\ny"],
        vec!["team", "add", "\u{1b}[2JX", "--name", "y"],
        vec![
            "case",
            "add",
            "--student",
            "a",
            "--school",
            "b",
            "--grade",
            "\u{1b}[2J3",
            "--lead",
            "WEE",
        ],
    ];
    for args in &cases {
        let line = refused(&store, args);
        assert_no_escape(&format!("{args:?}"), &line);
    }
}

#[test]
fn init_confirmation_prints_the_cleaned_office_name() {
    let store = TempStore::new();
    let typed = format!("\u{1b}[2J{}\n교육지원청", nfd("가온"));
    let out = store.ok(&["init", "--office", &typed]);
    assert_no_escape("init output", &out);
    assert_eq!(out.lines().count(), 1, "{out:?}");
    assert!(out.contains("가온 교육지원청"), "{out:?}");
}

#[test]
fn action_list_due_within_a_huge_number_does_not_panic() {
    let store = TempStore::initialised();
    actions_fixture(&store);
    for days in ["100000000", "4294967295"] {
        let run = store.run(&["action", "list", "--due-within", days]);
        assert_ne!(run.code, Some(101), "panicked: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        if run.success() {
            // everything open is due within that many days
            let list = json(&store.ok(&["action", "list", "--due-within", days, "--json"]));
            assert_eq!(list.as_array().unwrap().len(), 5);
        } else {
            one_line_refusal(&run, &["action", "list", "--due-within", days]);
        }
    }
}

#[test]
fn a_new_team_cannot_take_over_another_teams_code_or_name() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "CENTER");
    // a name equal to another team's code: refuse it, or the exact code must still win
    let run = store.run(&["team", "add", "AAA", "--name", "WEE"]);
    if run.success() {
        let id = add_action(&store, &case, "상담", "WEE", "+3d");
        assert_eq!(action_by_id(&store, &id)["team"], "WEE", "typed code WEE");
    } else {
        one_line_refusal(&run, &["team", "add", "AAA", "--name", "WEE"]);
    }
    // a name equal to another team's name: refuse it, or refuse the ambiguous name when typed
    let run = store.run(&["team", "add", "ABC", "--name", "교육복지"]);
    if run.success() {
        let line = refused(
            &store,
            &[
                "case",
                "add",
                "--student",
                "김철수",
                "--school",
                "한빛초",
                "--grade",
                "3",
                "--lead",
                "교육복지",
            ],
        );
        assert!(line.contains("WELF") && line.contains("ABC"), "{line}");
    } else {
        let line = one_line_refusal(&run, &["team", "add", "ABC", "--name", "교육복지"]);
        assert!(line.contains("WELF"), "names the team that has it: {line}");
    }
}

#[test]
fn init_refuses_a_directory_that_holds_other_files_and_leaves_them_alone() {
    use std::os::unix::fs::PermissionsExt;
    let store = TempStore::new();
    std::fs::create_dir_all(store.dir()).unwrap();
    let precious = store.dir().join("precious.txt");
    std::fs::write(&precious, "keep me").unwrap();
    std::fs::set_permissions(&precious, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = store.fails(&["init", "--office", "가온"]);
    assert!(err.contains("holds other files"), "{err}");
    assert_eq!(err.lines().count(), 1);
    let mode = std::fs::metadata(&precious).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
    assert_eq!(
        std::fs::read_dir(store.dir()).unwrap().count(),
        1,
        "nothing was created"
    );
    let err = store.fails(&["demo", "--cases", "3"]);
    assert!(err.contains("holds other files"), "{err}");
}

#[test]
fn stages_move_forward_one_at_a_time_and_back_to_assessment_or_conference() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let line = refused(&store, &["case", "set", &case, "--stage", "지원·점검"]);
    assert!(
        line.contains("one at a time") && line.contains("assessment"),
        "{line}"
    );
    for stage in ["진단", "사례회의", "지원계획", "지원·점검"] {
        store.ok(&["case", "set", &case, "--stage", stage]);
    }
    // Sent back to the conference, or to re-assessment, is allowed and recorded.
    store.ok(&["case", "set", &case, "--stage", "사례회의"]);
    store.ok(&["case", "set", &case, "--stage", "진단"]);
    let shown = json(&store.ok(&["case", "show", &case, "--json"]));
    let stages: Vec<&str> = shown["stage_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["stage"].as_str().unwrap())
        .collect();
    assert_eq!(
        stages,
        [
            "intake",
            "assessment",
            "conference",
            "plan",
            "support",
            "conference",
            "assessment"
        ]
    );
}

#[test]
fn a_clock_outside_the_years_casedesk_keeps_is_refused_and_changes_nothing() {
    let store = TempStore::initialised();
    for now in ["1899-12-31T10:00:00+09:00", "0001-01-01"] {
        let run = store.run_env(
            &[
                "case",
                "add",
                "--student",
                "홍길동",
                "--school",
                "x",
                "--grade",
                "1",
                "--lead",
                "WEE",
            ],
            &[("CASEDESK_NOW", now)],
        );
        assert_eq!(run.code, Some(1), "{now}: {}", run.stdout);
        assert!(run.stderr.contains("CASEDESK_NOW"), "{}", run.stderr);
    }
    store.ok(&["check"]);
}

#[test]
fn action_set_moves_a_deadline_and_changes_the_owner_and_is_refused_when_nothing_changes() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    let id = store.ok(&[
        "action", "add", &case, "--title", "상담", "--team", "WEE", "--due", "+3d",
    ]);
    let id = id.trim();
    let out = store.ok(&[
        "action",
        "set",
        id,
        "--due",
        "+2w",
        "--team",
        "교육복지",
        "--person",
        "김담당",
    ]);
    assert!(out.contains("WELF"), "{out}");
    let listed = json(&store.ok(&["action", "list", "--json"]));
    let action = &listed.as_array().unwrap()[0];
    assert_eq!(action["due"], "2026-12-12");
    assert_eq!(action["team"], "WELF");
    assert_eq!(action["person"], "김담당");
    let line = refused(&store, &["action", "set", id]);
    assert!(line.contains("--title, --team, --due, --person"), "{line}");
    let line = refused(&store, &["action", "set", id, "--due", "yesterday"]);
    assert!(line.contains("before today"), "{line}");
    store.ok(&["action", "done", id]);
    let line = refused(&store, &["action", "set", id, "--title", "x"]);
    assert!(line.contains("already done"), "{line}");
}

#[test]
fn guardian_consent_is_recorded_with_the_agencies_it_covers() {
    let store = TempStore::initialised();
    let case = add_case(&store, "홍길동", "WEE");
    store.ok(&[
        "case",
        "set",
        &case,
        "--consent",
        "today",
        "--consent-to",
        "CPA,정신건강복지센터",
    ]);
    let shown = json(&store.ok(&["case", "show", &case, "--json"]));
    assert_eq!(shown["consent"]["collection_on"], "2026-11-28");
    assert_eq!(
        shown["consent"]["third_party"],
        serde_json::json!(["CPA", "MHC"])
    );
    let line = refused(&store, &["case", "set", &case, "--consent", "tomorrow"]);
    assert!(line.contains("consent date"), "{line}");
}

#[test]
fn a_bad_user_keymap_stops_start_up_with_its_file_line_and_reason() {
    let store = TempStore::initialised();
    let config = store.tmp.path().join("config");
    std::fs::create_dir_all(config.join("casedesk")).unwrap();
    std::fs::write(
        config.join("casedesk").join("keymap.toml"),
        "[list]\nmove_down = [\"j\"]\nfirst = [\"j\"]\n",
    )
    .unwrap();
    let run = store.run_env(&["keys"], &[("XDG_CONFIG_HOME", config.to_str().unwrap())]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("keymap.toml:3: 'j' is bound to both move_down and first in [list]"),
        "{}",
        run.stderr
    );
    // A good override shows in `casedesk keys`.
    std::fs::write(
        config.join("casedesk").join("keymap.toml"),
        "[list]\nsort = [\"o\"]\n",
    )
    .unwrap();
    let run = store.run_env(&["keys"], &[("XDG_CONFIG_HOME", config.to_str().unwrap())]);
    assert!(run.success(), "{}", run.stderr);
    assert!(
        run.stdout
            .lines()
            .any(|l| l.contains("sort") && l.trim_start().starts_with('o')),
        "{}",
        run.stdout
    );
}
