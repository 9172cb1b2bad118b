//! The real binary in a pseudo-terminal: it opens on the dashboard with case numbers, `?` shows
//! the help, `q` exits with status 0 and leaves the alternate screen; SIGTERM restores too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Session {
    parser: vt100::Parser,
    output: mpsc::Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    fn start(args: &[&str]) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_casedesk"));
        cmd.args(args);
        cmd.env("CASEDESK_NOW", common::NOW);
        cmd.env("LANG", "C.UTF-8");
        cmd.env("TERM", "xterm-256color");
        cmd.env("USER", "tester");
        // The store in the process, as on a laptop: the shared server has tests of its own.
        cmd.env("CASEDESK_NO_SERVER", "1");
        // No diagnostic log in the tester's home.
        cmd.env("CASEDESK_LOG", "off");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let (tx, output) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        // The master must outlive the child's use of the terminal.
        std::mem::forget(pair.master);
        Session {
            parser: vt100::Parser::new(
                std::num::NonZero::new(30).unwrap(),
                std::num::NonZero::new(100).unwrap(),
                0,
            ),
            output,
            writer,
            child,
        }
    }

    /// Reads output until the screen satisfies `done`. The deadline only guards against a hang.
    fn wait_for(&mut self, what: &str, done: impl Fn(&vt100::Screen) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !done(self.parser.screen()) {
            assert!(
                Instant::now() < deadline,
                "waited in vain for {what}; the screen:\n{}",
                self.parser.screen().contents()
            );
            if let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(100)) {
                self.parser.process(&bytes);
            }
        }
    }

    fn press(&mut self, keys: &[u8]) {
        self.writer.write_all(keys).unwrap();
        self.writer.flush().unwrap();
    }

    fn exit_code(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Whatever it wrote on the way out.
                while let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(200)) {
                    self.parser.process(&bytes);
                }
                return status;
            }
            assert!(Instant::now() < deadline, "casedesk did not exit");
            if let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(50)) {
                self.parser.process(&bytes);
            }
        }
    }
}

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
