//! Shared test helpers: a temporary store per test, a fixed clock, and running the real binary.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use casedesk::domain::model::{Grade, Student};
use casedesk::domain::vocab::Level;
use casedesk::domain::{Ctx, NewCase, TeamCode};
use chrono::{DateTime, FixedOffset};

pub mod pty;
pub mod served;
pub mod tui;

/// The fixed "now" every test runs at: Saturday 2026-11-28, 10:00 KST.
pub const NOW: &str = "2026-11-28T10:00:00+09:00";

/// The fixed moment as a value.
pub fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(NOW).unwrap()
}

/// A command context at the fixed moment.
pub fn ctx() -> Ctx {
    Ctx {
        at: now(),
        user: "tester".into(),
    }
}

/// A new store in `tmp` set up as the test office (the default teams), at `at`.
pub fn office_store(tmp: &tempfile::TempDir, at: &Ctx) -> casedesk::store::Store {
    let mut store = casedesk::store::Store::open_or_create(&tmp.path().join("store")).unwrap();
    store
        .execute(
            casedesk::domain::Command::InitStore {
                office: "테스트교육지원청".into(),
                teams: casedesk::domain::model::default_teams(),
                demo: false,
            },
            at,
        )
        .unwrap();
    store
}

/// A command context `days` after the fixed moment.
pub fn ctx_after(days: i64) -> Ctx {
    Ctx {
        at: now() + chrono::Duration::days(days),
        user: "tester".into(),
    }
}

/// A case for `name` at 한빛초등학교 3-2, at 위기, led by `lead` with `co` cooperating.
pub fn new_case(name: &str, lead: &str, co: &[&str]) -> NewCase {
    let team = |code: &str| TeamCode::new(code).unwrap();
    NewCase {
        student: Student {
            name: name.into(),
            birth_on: None,
            sex: None,
        },
        school: "한빛초등학교".into(),
        grade: Grade {
            year: 3,
            class: Some(2),
        },
        lead_team: team(lead),
        co_teams: co.iter().map(|c| team(c)).collect(),
        level: Some(Level::Crisis),
        domains: Vec::new(),
        concerns: Vec::new(),
        review_on: None,
        referral_source: None,
        referred_on: None,
        lead_person: None,
        summary: None,
        urgent: false,
        safety: false,
        background: Vec::new(),
        check_duplicates: false,
    }
}

/// A temporary directory holding one store, removed at the end of the test.
pub struct TempStore {
    pub tmp: tempfile::TempDir,
}

impl TempStore {
    pub fn new() -> TempStore {
        TempStore {
            tmp: tempfile::tempdir().unwrap(),
        }
    }

    /// The store directory (inside the temporary directory, so "no store yet" can be tested).
    pub fn dir(&self) -> PathBuf {
        self.tmp.path().join("store")
    }

    /// Runs the binary with this store, the fixed clock, English and user `tester`.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(&self.dir(), args, &[])
    }

    /// Runs the binary with extra environment variables.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        run_in(&self.dir(), args, env)
    }

    /// Runs and insists on success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert!(run.success(), "casedesk {args:?} failed: {}", run.stderr);
        run.stdout
    }

    /// Runs and insists on failure; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert!(
            !run.success(),
            "casedesk {args:?} should have failed but printed: {}",
            run.stdout
        );
        assert_eq!(
            run.code,
            Some(1),
            "exit status for {args:?}: {}",
            run.stderr
        );
        run.stderr
    }

    /// A store set up with the default teams.
    pub fn initialised() -> TempStore {
        let store = TempStore::new();
        store.ok(&["init", "--office", "테스트교육지원청"]);
        store
    }
}

/// What a run of the binary did.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
}

/// Runs the binary on the store in `dir`. Its configuration directory is `config` beside the
/// store (empty unless a test writes there), so the tester's own keymap or closing days never
/// leak in; its diagnostic log goes to `state` beside the store.
pub fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_casedesk"));
    cmd.args(args)
        .env("CASEDESK_DB", dir)
        .env("XDG_CONFIG_HOME", dir.with_file_name("config"))
        // The diagnostic log goes beside the store, never into the tester's home.
        .env("XDG_STATE_HOME", dir.with_file_name("state"))
        .env("CASEDESK_NOW", NOW)
        .env("USER", "tester")
        // One process with the store, as on a laptop: the shared server has tests of its own.
        .env("CASEDESK_NO_SERVER", "1")
        .env("LANG", "C.UTF-8")
        // Tables fit a terminal only when a test asks with COLUMNS.
        .env_remove("COLUMNS")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().unwrap();
    Run {
        code: status.code(),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

/// A store with one case (2026-0001, 홍길동 at 한빛초), two actions and a note: five journal
/// entries.
pub fn busy_store() -> TempStore {
    let tmp = TempStore::initialised();
    tmp.ok(&[
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
    ]);
    tmp.ok(&[
        "action",
        "add",
        "2026-0001",
        "--title",
        "개별 상담",
        "--team",
        "WEE",
        "--due",
        "+3d",
    ]);
    tmp.ok(&[
        "action",
        "add",
        "2026-0001",
        "--title",
        "사례 공유",
        "--team",
        "CPA",
        "--due",
        "+5d",
        "--without-consent",
        "아동학대 의심 신고",
    ]);
    tmp.ok(&["note", "add", "2026-0001", "보호자와 통화"]);
    tmp
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` (relative path) with its content: what a read must leave as it was.
pub fn files_of(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, path: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(path).unwrap() {
            let entry = entry.unwrap();
            let p = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(root, &p, out);
            } else {
                let name = p.strip_prefix(root).unwrap().display().to_string();
                out.insert(name, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The names of the files that differ between two `files_of` snapshots (added, removed or
/// changed).
pub fn changed_files(
    before: &std::collections::BTreeMap<String, Vec<u8>>,
    after: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut names: Vec<String> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .cloned()
        .collect();
    names.dedup();
    names
}

/// `text` read as JSON; a test fails saying what it got when it is not.
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// Registers `name` at 한빛초등학교 3-2, led by WEE, born `birth`, with `extra` options; returns
/// the case number.
pub fn add_student(store: &TempStore, name: &str, birth: &str, extra: &[&str]) -> String {
    let mut args = vec![
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
        birth,
    ];
    args.extend_from_slice(extra);
    store.ok(&args).trim().to_string()
}
