//! The real binary in a pseudo-terminal: it opens on the dashboard with case numbers, `?` shows
//! the help, `q` exits with status 0 and leaves the alternate screen; SIGTERM restores too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::pty::Session;

#[test]
fn the_dashboard_opens_help_shows_and_q_exits_cleanly() {
    let mut s = Session::start(&["--demo"]);
    s.wait_for("case numbers on the dashboard", |screen| {
        screen.contents().contains("2026-0")
    });
    assert!(
        s.parser.screen().alternate_screen(),
        "the screens use the alternate screen"
    );
    let dashboard = s.parser.screen().contents();
    assert!(
        dashboard.contains("open cases") && dashboard.contains("Dashboard"),
        "{dashboard}"
    );
    s.press(b"?");
    s.wait_for("the help", |screen| {
        screen.contents().contains("Keys (the keymap in force)")
    });
    s.press(b"q");
    let status = s.exit_code();
    assert!(status.success(), "exit status {status:?}");
    assert!(
        !s.parser.screen().alternate_screen(),
        "the alternate screen was left"
    );
}

/// SIGTERM, and SIGHUP — what the kernel sends when an SSH session drops or the window closes —
/// end casedesk at once with the terminal restored and the store free again, even while the
/// main thread is waiting on the terminal.
#[test]
fn sigterm_and_sighup_restore_the_terminal_and_free_the_store() {
    for signal in ["-TERM", "-HUP"] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("store");
        assert!(common::run_in(&dir, &["demo", "--cases", "20"], &[]).success());
        let mut s = Session::start(&["--db", dir.to_str().unwrap()]);
        s.wait_for("the dashboard", |screen| {
            screen.contents().contains("2026-0")
        });
        let pid = s.child.process_id().unwrap();
        std::process::Command::new("kill")
            .args([signal, &pid.to_string()])
            .status()
            .unwrap();
        let status = s.exit_code();
        assert!(!status.success(), "{signal}: ended by the signal");
        assert!(
            !s.parser.screen().alternate_screen(),
            "{signal}: the alternate screen was left"
        );
        let again = common::run_in(&dir, &["case", "list"], &[]);
        assert!(
            again.success(),
            "{signal}: the store is free again: {}",
            again.stderr
        );
    }
}

/// The machine dies mid-meeting: casedesk is killed (SIGKILL, nothing runs on the way out)
/// right after a decision is saved on the second item. Started again, it comes back to the
/// running conference at that item with the decision there, and quits cleanly.
#[test]
fn a_conference_killed_mid_item_resumes_at_the_same_item() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    assert!(common::run_in(&dir, &["demo", "--cases", "40"], &[]).success());
    let db = dir.to_str().unwrap().to_string();
    let mut s = Session::start(&["--db", &db]);
    s.wait_for("the dashboard", |screen| {
        screen.contents().contains("2026-0")
    });
    // Prepare (C, save), start (s, y), go to the second item (]), record a decision.
    s.press(b"C");
    s.wait_for("the new conference form", |screen| {
        screen.contents().contains("New conference")
    });
    s.press(b"\x13");
    s.wait_for("the agenda", |screen| screen.contents().contains("Agenda"));
    s.press(b"s");
    s.wait_for("the question", |screen| screen.contents().contains("(y/n)"));
    s.press(b"y");
    s.wait_for("the run screen", |screen| {
        screen.contents().contains("Recorded here")
    });
    s.press(b"]");
    s.wait_for("the second item", |screen| {
        screen.contents().contains("Agenda 2/")
    });
    s.press(b"d");
    s.wait_for("the decision form", |screen| {
        screen.contents().contains("Decision on")
    });
    s.press("Call the family before Friday\r".as_bytes());
    s.wait_for("the decision saved", |screen| {
        screen.contents().contains("decision recorded")
    });
    let pid = s.child.process_id().unwrap();
    std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
    s.exit_code();

    let mut again = Session::start(&["--db", &db]);
    again.wait_for("the running conference at the same item", |screen| {
        let text = screen.contents();
        text.contains("Agenda 2/") && text.contains("Call the family before Friday")
    });
    assert!(again.parser.screen().contents().contains("PRESENTATION"));
    again.press(b"q");
    let status = again.exit_code();
    assert!(status.success(), "exit status {status:?}");
    let shown = common::run_in(&dir, &["conference", "show", "1", "--json"], &[]);
    assert!(shown.success(), "{}", shown.stderr);
    let json: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    assert_eq!(json["state"], "running");
    assert_eq!(
        json["agenda"][1]["decisions"],
        serde_json::json!(["Call the family before Friday"])
    );
    assert_eq!(json["agenda"][1]["current"], true);
}

/// Two dashboards on one server: a change made from the command line shows on both at once,
/// without a key, with who made it; each header counts the other person.
#[test]
fn a_change_made_elsewhere_shows_on_every_open_dashboard() {
    let served = common::served::Served::start(common::TempStore::initialised());
    let dir = served.dir();
    served.ok_as(
        "tester",
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
    );
    served.ok_as(
        "tester",
        &[
            "action",
            "add",
            "2026-0001",
            "--title",
            "가정 방문",
            "--team",
            "WEE",
            "--due",
            "+2d",
        ],
    );
    let env = [
        ("CASEDESK_ACCOUNT", "tester"),
        ("CASEDESK_DB", dir.to_str().unwrap()),
    ];
    let mut a = Session::start_with(&[], &env);
    a.wait_for("the dashboard", |s| s.contents().contains("2026-0001"));
    let mut b = Session::start_with(
        &[],
        &[
            ("CASEDESK_ACCOUNT", "coord.lee"),
            ("CASEDESK_DB", dir.to_str().unwrap()),
        ],
    );
    // coord.lee is not a user yet: told so, and the screens never open.
    let status = b.exit_code();
    assert!(!status.success());
    assert!(
        b.parser.screen().contents().contains("not a user"),
        "{}",
        b.parser.screen().contents()
    );
    served.ok_as(
        "tester",
        &["user", "add", "coord.lee", "--role", "coordinator"],
    );
    let mut b = Session::start_with(
        &[],
        &[
            ("CASEDESK_ACCOUNT", "coord.lee"),
            ("CASEDESK_DB", dir.to_str().unwrap()),
        ],
    );
    b.wait_for("the second dashboard", |s| {
        s.contents().contains("2026-0001")
    });
    a.wait_for("the other person in the header", |s| {
        s.contents().contains("1 others on")
    });
    served.ok_as(
        "tester",
        &["action", "done", "2026-0001/1", "--note", "방문함"],
    );
    for s in [&mut a, &mut b] {
        s.wait_for("the change and who made it", |screen| {
            screen.contents().contains("2026-0001/1 done · tester")
        });
        s.wait_for("no open action left", |screen| {
            screen.contents().contains("overdue 0") || screen.contents().contains("open cases 1")
        });
    }
    for s in [&mut a, &mut b] {
        s.press(b"q");
        assert!(s.exit_code().success());
    }
}

/// A second terminal follows the running conference read-only: it shows the item the
/// facilitator is on, and moves when they move.
#[test]
fn a_follower_moves_with_the_facilitator() {
    use casedesk::backend::{Backend, ClientKind};
    use casedesk::domain::{CaseNumber, Command};
    let served = common::served::Served::start(common::TempStore::initialised());
    let dir = served.dir();
    for name in ["홍길동", "김철수"] {
        served.ok_as(
            "tester",
            &[
                "case",
                "add",
                "--student",
                name,
                "--school",
                "한빛초",
                "--grade",
                "3",
                "--lead",
                "WEE",
                "--level",
                "고위기",
            ],
        );
    }
    served.ok_as("tester", &["conference", "new"]);
    let mut facilitator = served.client("tester", ClientKind::Screens { tty: None });
    facilitator
        .apply(
            Command::StartConference { conference: 1 },
            common::now(),
            &[],
        )
        .unwrap();
    let env = [
        ("CASEDESK_ACCOUNT", "tester"),
        ("CASEDESK_DB", dir.to_str().unwrap()),
    ];
    let mut follower = Session::start_with(&["conference", "follow"], &env);
    follower.wait_for("the first item", |s| {
        let text = s.contents();
        text.contains("item 1/2") && text.contains("2026-0001")
    });
    assert!(
        follower.parser.screen().contents().contains("홍*동"),
        "names are masked as on the projector"
    );
    facilitator
        .apply(
            Command::OpenItem {
                conference: 1,
                case: CaseNumber { year: 2026, seq: 2 },
            },
            common::now(),
            &[],
        )
        .unwrap();
    follower.wait_for("the next item", |s| s.contents().contains("item 2/2"));
    // Read-only: a recording key is refused, and nothing changes.
    follower.press(b"d");
    follower.wait_for("the refusal", |s| s.contents().contains("Read-only"));
    follower.press(b"q");
    assert!(follower.exit_code().success());
    let shown = served.ok_as("tester", &["conference", "show", "1", "--json"]);
    assert!(!shown.contains("\"decisions\":[\""), "{shown}");
}
