//! A store with a shared server running on it, for tests: the real `casedesk serve` in a child
//! process, started for tests (`CASEDESK_TEST_IDENTITIES=1`) so that each client may say which
//! account it is (`CASEDESK_ACCOUNT`) without operating-system accounts.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use casedesk::backend::ClientKind;
use casedesk::backend::client::{Client, Target};

use super::{NOW, Run, TempStore};

/// A running server on a temporary store.
pub struct Served {
    pub store: TempStore,
    server: Option<Child>,
}

/// Runs the binary as a client of the store's server, as `account`.
pub fn run_as(dir: &Path, account: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_casedesk"));
    cmd.args(args)
        .env("CASEDESK_DB", dir)
        .env("CASEDESK_NOW", NOW)
        .env("USER", "tester")
        .env("LANG", "C.UTF-8")
        .env("CASEDESK_ACCOUNT", account)
        .env("XDG_CONFIG_HOME", dir.with_file_name("config"))
        // The diagnostic log goes beside the store, never into the tester's home.
        .env("XDG_STATE_HOME", dir.with_file_name("state"))
        // A server a client has to start itself goes soon after the test.
        .env("CASEDESK_SERVER_IDLE", "3")
        .env_remove("CASEDESK_NO_SERVER")
        .env_remove("CASEDESK_TEST_IDENTITIES")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Waits (polling, with a deadline against a hang) until a server listens on `dir`.
pub fn wait_listening(dir: &Path) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !casedesk::server::listening(dir) {
        assert!(
            Instant::now() < deadline,
            "no server came up on {}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until no server listens on `dir`.
pub fn wait_gone(dir: &Path) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while casedesk::server::listening(dir) {
        assert!(
            Instant::now() < deadline,
            "the server on {} did not stop",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Served {
    /// Starts a test server on `store` (which must exist).
    pub fn start(store: TempStore) -> Served {
        let mut served = Served {
            store,
            server: None,
        };
        served.restart();
        served
    }

    /// A store set up by `tester`, with a test server on it.
    pub fn initialised() -> Served {
        Served::start(TempStore::initialised())
    }

    pub fn dir(&self) -> PathBuf {
        self.store.dir()
    }

    /// Starts the server again (after a kill).
    pub fn restart(&mut self) {
        let child = Command::new(env!("CARGO_BIN_EXE_casedesk"))
            .args(["serve"])
            .env("CASEDESK_DB", self.dir())
            .env("CASEDESK_NOW", NOW)
            .env("LANG", "C.UTF-8")
            .env("CASEDESK_TEST_IDENTITIES", "1")
            .env("XDG_STATE_HOME", self.dir().with_file_name("state"))
            .env_remove("CASEDESK_NO_SERVER")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.server = Some(child);
        wait_listening(&self.dir());
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.server.as_ref().map_or(0, Child::id)
    }

    /// Kills the server with SIGKILL, as a crash would.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.server.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    pub fn run_as(&self, account: &str, args: &[&str]) -> Run {
        run_as(&self.dir(), account, args, &[])
    }

    pub fn ok_as(&self, account: &str, args: &[&str]) -> String {
        let run = self.run_as(account, args);
        assert!(
            run.success(),
            "{account}: casedesk {args:?} failed: {}",
            run.stderr
        );
        run.stdout
    }

    pub fn fails_as(&self, account: &str, args: &[&str]) -> String {
        let run = self.run_as(account, args);
        assert!(
            !run.success(),
            "{account}: casedesk {args:?} should have failed but printed: {}",
            run.stdout
        );
        run.stderr
    }

    /// A client in this process, as `account`.
    pub fn client(&self, account: &str, kind: ClientKind) -> Client {
        Client::connect(Target {
            dir: self.dir(),
            kind,
            claimed: Some(account.to_string()),
            start: false,
        })
        .unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(mut child) = self.server.take() {
            // SIGTERM: the server stops cleanly.
            let _ = Command::new("kill").arg(child.id().to_string()).status();
            let deadline = Instant::now() + Duration::from_secs(30);
            while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
