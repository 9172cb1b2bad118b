//! A confirmed change survives `kill -9` the instant after it was confirmed, and a store always
//! opens again by itself. A child process applies commands and prints each confirmation; the
//! test kills it at a random point, reopens the store, finds every confirmed change and `check`
//! passes. Batches are all or nothing. Then the real binary is killed the same way — during
//! command-line writes, `demo`, `import`, a conference on the screens and `check --rebuild` —
//! at moments the store itself marks (as it starts, once the journal grows, while sled writes,
//! while sled writes its snapshot, while a new database is built), and after each kill the next
//! command must work without anyone's help. `CASEDESK_KILL9_ROUNDS` sets how many rounds
//! (`benches/kill9.sh` runs 1,000 and prints the counts and recovery times).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use casedesk::domain::model::default_teams;
use casedesk::domain::{ActionId, CaseNumber, Command, Ctx, Outcome, TeamCode};
use casedesk::store::Store;
use casedesk::store::check::check;
use chrono::NaiveDate;

const CHILD_ENV: &str = "CASEDESK_KILL9_CHILD_STORE";
const ROUNDS: u64 = 20;

fn team(code: &str) -> TeamCode {
    TeamCode::new(code).unwrap()
}

/// Not a test on its own: the child process the real test starts and kills. It does nothing
/// unless the parent set the store directory in its environment.
#[test]
fn kill9_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut store = Store::open(Path::new(&dir)).unwrap();
    let ctx = common::ctx();
    let due = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
    let mut cases: Vec<CaseNumber> = Vec::new();
    for i in 0u32.. {
        // A mix of single commands and a three-case batch every so often.
        if i % 7 == 6 {
            let batch: Vec<(Command, Ctx)> = (0..3)
                .map(|j| {
                    (
                        Command::CreateCase {
                            case: common::new_case(&format!("B{i}-{j}"), "CENTER", &["WEE"]),
                        },
                        ctx.clone(),
                    )
                })
                .collect();
            store.execute_all(batch).unwrap();
            println!("CONFIRMED batch {i}");
            continue;
        }
        match (i % 3, cases.last().copied()) {
            (0, _) | (_, None) => {
                let Outcome::Case { number } = store
                    .execute(
                        Command::CreateCase {
                            case: common::new_case(&format!("S{i}"), "CENTER", &["WEE"]),
                        },
                        &ctx,
                    )
                    .unwrap()
                    .outcome
                else {
                    panic!("no case number")
                };
                cases.push(number);
                println!("CONFIRMED case {number} S{i}");
            }
            (1, Some(case)) => {
                let cmd = Command::AddAction {
                    case,
                    title: format!("A{i}"),
                    team: team("WEE"),
                    due_on: due,
                    person: None,
                    conference: None,
                    sharing: Default::default(),
                };
                let Outcome::Action { id } = store.execute(cmd, &ctx).unwrap().outcome else {
                    panic!("no action id")
                };
                println!("CONFIRMED action {id} A{i}");
            }
            (_, Some(case)) => {
                let id = ActionId { case, n: 1 };
                let open = store
                    .state()
                    .unwrap()
                    .actions
                    .get(&id)
                    .is_some_and(|a| a.is_open());
                if open {
                    store
                        .execute(
                            Command::CompleteAction {
                                action: id,
                                note: None,
                            },
                            &ctx,
                        )
                        .unwrap();
                    println!("CONFIRMED done {id}");
                }
            }
        }
    }
}

#[test]
fn confirmed_changes_survive_kill_9() {
    let mut rng = fastrand::Rng::with_seed(20261128);
    for round in 0..ROUNDS {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("store");
        {
            let mut store = Store::open_or_create(&dir).unwrap();
            store
                .execute(
                    Command::InitStore {
                        office: "테스트".into(),
                        teams: default_teams(),
                        demo: false,
                    },
                    &common::ctx(),
                )
                .unwrap();
        }
        let mut child = Process::new(std::env::current_exe().unwrap())
            .args(["kill9_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let kill_after = rng.usize(1..60);
        let mut confirmed: Vec<String> = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.strip_prefix("CONFIRMED ") {
                confirmed.push(rest.to_string());
                if confirmed.len() == kill_after {
                    child.kill().unwrap(); // SIGKILL
                    break;
                }
            }
        }
        child.wait().unwrap();
        assert_eq!(
            confirmed.len(),
            kill_after,
            "round {round}: the child stopped early"
        );

        // `check` first: it finishes what the kill interrupted exactly as an open would.
        let report = check(&dir).unwrap();
        assert!(report.ok(), "round {round}: {:?}", report.problems);
        if report.recovered > 0 || report.dropped_torn_line {
            eprintln!(
                "round {round}: recovered {} entries, torn line {}",
                report.recovered, report.dropped_torn_line
            );
        }
        let mut store = Store::open(&dir).unwrap();
        let state = store.state().unwrap().clone();
        let actions: std::collections::BTreeMap<ActionId, casedesk::domain::Action> = store
            .all_actions()
            .unwrap()
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let names: Vec<&str> = state
            .cases
            .values()
            .map(|c| c.student.name.as_str())
            .collect();
        for item in &confirmed {
            let parts: Vec<&str> = item.split(' ').collect();
            match parts[0] {
                "case" => {
                    let number: CaseNumber = parts[1].parse().unwrap();
                    assert_eq!(
                        state.cases[&number].student.name, parts[2],
                        "round {round}: {item}"
                    );
                }
                "action" => {
                    let id: ActionId = parts[1].parse().unwrap();
                    assert_eq!(actions[&id].title, parts[2], "round {round}: {item}");
                }
                "done" => {
                    let id: ActionId = parts[1].parse().unwrap();
                    assert!(!actions[&id].is_open(), "round {round}: {item}");
                }
                "batch" => {
                    for j in 0..3 {
                        let name = format!("B{}-{j}", parts[1]);
                        assert!(
                            names.contains(&name.as_str()),
                            "round {round}: {item} lost {name}"
                        );
                    }
                }
                other => panic!("unknown confirmation {other}"),
            }
        }
        // A batch that was under way when the child died is there whole or not at all.
        for name in &names {
            if let Some(rest) = name.strip_prefix('B') {
                let i = rest.split('-').next().unwrap();
                let members = names
                    .iter()
                    .filter(|n| n.starts_with(&format!("B{i}-")))
                    .count();
                assert_eq!(members, 3, "round {round}: batch {i} is half there");
            }
        }
        drop(store);
        let report = check(&dir).unwrap();
        assert!(report.ok(), "round {round}: {:?}", report.problems);
    }
}

// ---- the real binary ----

/// Real-binary rounds in CI (at least 50); `CASEDESK_KILL9_ROUNDS` for more.
const BINARY_ROUNDS: usize = 56;

/// A moment at which the child is killed, told by what it has done to the store's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trigger {
    /// As soon as it is started (while it opens the store).
    Start,
    /// As soon as the journal has grown (a change written, sled not yet).
    JournalGrows,
    /// As soon as sled's log file changes.
    SledWrites,
    /// As soon as sled starts writing a snapshot (when a store closes, or opens after a crash).
    Snapshot,
    /// As soon as a new database is being built beside the old one (rebuild, compaction).
    Build,
    /// Not killed: it runs to its end.
    Finish,
}

const KILLS: [Trigger; 5] = [
    Trigger::Start,
    Trigger::JournalGrows,
    Trigger::SledWrites,
    Trigger::Snapshot,
    Trigger::Build,
];

/// What the files looked like when the child started.
struct Watch {
    dir: PathBuf,
    journal: u64,
    sled: Option<(u64, std::time::SystemTime)>,
    snaps: Vec<String>,
}

fn sled_file(dir: &Path) -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::metadata(dir.join("db").join("db")).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

fn snaps(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("db"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("snap."))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

impl Watch {
    fn new(dir: &Path) -> Watch {
        Watch {
            dir: dir.to_path_buf(),
            journal: journal_len(dir),
            sled: sled_file(dir),
            snaps: snaps(dir),
        }
    }

    fn fired(&self, trigger: Trigger) -> bool {
        match trigger {
            Trigger::Start => true,
            Trigger::Finish => false,
            Trigger::JournalGrows => journal_len(&self.dir) > self.journal,
            Trigger::SledWrites => sled_file(&self.dir) != self.sled,
            Trigger::Snapshot => {
                let now = snaps(&self.dir);
                now.iter().any(|n| n.ends_with(".generating")) || now != self.snaps
            }
            Trigger::Build => self.dir.join("db.new").exists(),
        }
    }
}

fn journal_len(dir: &Path) -> u64 {
    std::fs::metadata(dir.join("journal.jsonl")).map_or(0, |m| m.len())
}

/// How a run of the binary ended.
enum Ran {
    Finished { ok: bool, stdout: String },
    Killed,
}

/// Runs the binary on the store in `dir`, killing it (SIGKILL) at `trigger`.
fn run_killed(dir: &Path, args: &[&str], trigger: Trigger) -> Ran {
    let watch = Watch::new(dir);
    let mut child = Process::new(env!("CARGO_BIN_EXE_casedesk"))
        .args(args)
        .env("CASEDESK_DB", dir)
        .env("CASEDESK_NO_SERVER", "1")
        .env("XDG_STATE_HOME", dir.with_file_name("state"))
        .env("CASEDESK_NOW", common::NOW)
        .env("USER", "tester")
        .env("LANG", "C.UTF-8")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stdout = String::new();
            child
                .stdout
                .take()
                .unwrap()
                .read_to_string(&mut stdout)
                .unwrap();
            return Ran::Finished {
                ok: status.success(),
                stdout,
            };
        }
        if watch.fired(trigger) {
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            return Ran::Killed;
        }
        std::thread::yield_now();
    }
}

/// What a round's confirmations promise.
#[derive(Default)]
struct Expect {
    cases: Vec<String>,
    actions: Vec<String>,
    notes: Vec<String>,
    /// Cases whose names start with the prefix came in one batch of this size; confirmed or not.
    batch: Option<(String, usize, bool)>,
    /// A demo batch: all its cases or none; confirmed or not.
    demo: Option<(usize, bool)>,
    decisions: Vec<String>,
}

impl Expect {
    fn confirmed(&self) -> usize {
        self.cases.len()
            + self.actions.len()
            + self.notes.len()
            + self.decisions.len()
            + self.batch.as_ref().filter(|b| b.2).map_or(0, |b| b.1)
            + self.demo.filter(|d| d.1).map_or(0, |d| d.0)
    }
}

#[derive(Default)]
struct Stats {
    rounds: usize,
    by_scenario: std::collections::BTreeMap<&'static str, usize>,
    killed: usize,
    confirmed: usize,
    lost: Vec<String>,
    needed_a_hand: Vec<String>,
    /// (what the notice said, how long the first command after the kill took)
    recoveries: Vec<(&'static str, Duration)>,
    first_opens: Vec<Duration>,
}

fn notice_kind(stderr: &str) -> &'static str {
    if stderr.contains("rebuilt them from the journal") {
        "rebuilt from the journal"
    } else if stderr.contains("never a confirmed change") {
        "journal end quarantined"
    } else if stderr.contains("cleaned up after an interrupted run") {
        "leftovers cleaned up"
    } else if stderr.contains("read-only") {
        "read-only"
    } else {
        "other"
    }
}

fn values(dir: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let run = common::run_in(dir, args, &[]);
    assert!(run.success(), "{args:?}: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

/// After a kill: the next command must work on its own, every confirmed change must be there,
/// batches whole or absent, and `check` must pass.
fn verify(dir: &Path, expect: &Expect, stats: &mut Stats, round: usize) {
    stats.confirmed += expect.confirmed();
    let started = Instant::now();
    let first = common::run_in(dir, &["case", "list", "--all", "--json", "--unmasked"], &[]);
    let took = started.elapsed();
    if !first.success() {
        stats
            .needed_a_hand
            .push(format!("round {round}: {}", first.stderr.trim()));
        return;
    }
    stats.first_opens.push(took);
    if !first.stderr.trim().is_empty() {
        stats.recoveries.push((notice_kind(&first.stderr), took));
    }
    let cases: Vec<serde_json::Value> = serde_json::from_str(&first.stdout).unwrap();
    let names: Vec<String> = cases
        .iter()
        .map(|c| c["student"].as_str().unwrap_or_default().to_string())
        .collect();
    let mut lost = |what: String| stats.lost.push(format!("round {round}: {what}"));
    for name in &expect.cases {
        if !names.contains(name) {
            lost(format!("case {name}"));
        }
    }
    if !expect.actions.is_empty() {
        let titles: Vec<String> = values(dir, &["action", "list", "--all", "--json"])
            .iter()
            .map(|a| a["title"].as_str().unwrap_or_default().to_string())
            .collect();
        for title in &expect.actions {
            if !titles.contains(title) {
                lost(format!("action {title}"));
            }
        }
    }
    if !expect.notes.is_empty() {
        let texts: Vec<String> =
            values(dir, &["export", "notes", "--format", "json", "--unmasked"])
                .iter()
                .map(|n| n["text"].as_str().unwrap_or_default().to_string())
                .collect();
        for text in &expect.notes {
            if !texts.contains(text) {
                lost(format!("note {text}"));
            }
        }
    }
    if let Some((prefix, size, confirmed)) = &expect.batch {
        let n = names
            .iter()
            .filter(|n| n.starts_with(prefix.as_str()))
            .count();
        if n != 0 && n != *size {
            lost(format!("batch {prefix} is half there ({n} of {size})"));
        } else if *confirmed && n != *size {
            lost(format!("confirmed batch {prefix} is missing"));
        }
    }
    if let Some((size, confirmed)) = expect.demo {
        let n = names.len();
        if n != 0 && n != size {
            lost(format!("demo is half there ({n} of {size})"));
        } else if confirmed && n != size {
            lost("confirmed demo is missing".into());
        }
    }
    if !expect.decisions.is_empty() {
        let shown = common::run_in(dir, &["conference", "show", "1", "--json"], &[]);
        for d in &expect.decisions {
            if !shown.stdout.contains(d.as_str()) {
                lost(format!("decision {d}"));
            }
        }
    }
    let check = common::run_in(dir, &["check"], &[]);
    if !check.success() {
        stats.needed_a_hand.push(format!(
            "round {round}: check failed: {}{}",
            check.stdout, check.stderr
        ));
    }
}

fn pick(rng: &mut fastrand::Rng) -> Trigger {
    KILLS[rng.usize(..KILLS.len())]
}

/// Command-line writes, one process each, until one of them is killed.
fn writes_round(rng: &mut fastrand::Rng, round: usize, stats: &mut Stats) {
    let tmp = common::TempStore::initialised();
    let dir = tmp.dir();
    let mut expect = Expect::default();
    let mut numbers: Vec<String> = Vec::new();
    for step in 0..60 {
        let trigger = if step >= 2 && rng.usize(..3) == 0 {
            pick(rng)
        } else {
            Trigger::Finish
        };
        let kind = if numbers.is_empty() {
            0
        } else {
            rng.usize(..3)
        };
        let tag = format!("R{round}-{step}");
        let (args, what): (Vec<String>, usize) = match kind {
            0 => (
                [
                    "case",
                    "add",
                    "--student",
                    &tag,
                    "--school",
                    "한빛초",
                    "--grade",
                    "3",
                    "--lead",
                    "WEE",
                ]
                .map(String::from)
                .to_vec(),
                0,
            ),
            1 => (
                [
                    "action",
                    "add",
                    &numbers[rng.usize(..numbers.len())],
                    "--title",
                    &tag,
                    "--team",
                    "WEE",
                    "--due",
                    "+7d",
                ]
                .map(String::from)
                .to_vec(),
                1,
            ),
            _ => (
                ["note", "add", &numbers[rng.usize(..numbers.len())], &tag]
                    .map(String::from)
                    .to_vec(),
                2,
            ),
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        match run_killed(&dir, &args, trigger) {
            Ran::Finished { ok, stdout } => {
                assert!(ok, "round {round}: {args:?} failed");
                match what {
                    0 => {
                        numbers.push(stdout.trim().to_string());
                        expect.cases.push(tag);
                    }
                    1 => expect.actions.push(tag),
                    _ => expect.notes.push(tag),
                }
            }
            Ran::Killed => {
                stats.killed += 1;
                break;
            }
        }
    }
    verify(&dir, &expect, stats, round);
}

/// `demo` into a new store, killed at some moment (or left to finish).
fn demo_round(rng: &mut fastrand::Rng, round: usize, stats: &mut Stats) {
    let tmp = common::TempStore::new();
    let dir = tmp.dir();
    let size = 120;
    let trigger = pick(rng);
    let ran = run_killed(
        &dir,
        &[
            "demo",
            "--cases",
            &size.to_string(),
            "--seed",
            &round.to_string(),
        ],
        trigger,
    );
    let confirmed = match ran {
        Ran::Finished { ok, .. } => ok,
        Ran::Killed => {
            stats.killed += 1;
            false
        }
    };
    if !dir.join("journal.jsonl").exists() {
        // Killed before the store existed: nothing to open, nothing was confirmed.
        stats.confirmed += 0;
        return;
    }
    let expect = Expect {
        demo: Some((size, confirmed)),
        ..Expect::default()
    };
    verify(&dir, &expect, stats, round);
}

/// `import` of a spreadsheet of applications, killed at some moment.
fn import_round(rng: &mut fastrand::Rng, round: usize, stats: &mut Stats) {
    let tmp = common::TempStore::initialised();
    let dir = tmp.dir();
    let size = 100;
    let prefix = format!("I{round}-");
    let mut csv = String::from("학생 이름,학교,학년\n");
    for i in 0..size {
        csv.push_str(&format!("{prefix}{i},한빛초등학교,3\n"));
    }
    let file = tmp.tmp.path().join("apps.csv");
    std::fs::write(&file, csv).unwrap();
    let ran = run_killed(&dir, &["import", file.to_str().unwrap()], pick(rng));
    let confirmed = match ran {
        Ran::Finished { ok, .. } => ok,
        Ran::Killed => {
            stats.killed += 1;
            false
        }
    };
    let expect = Expect {
        batch: Some((prefix, size, confirmed)),
        ..Expect::default()
    };
    verify(&dir, &expect, stats, round);
}

/// `check --rebuild` killed at some moment: the store still opens with everything in it.
fn rebuild_round(rng: &mut fastrand::Rng, round: usize, stats: &mut Stats) {
    let tmp = common::TempStore::initialised();
    let dir = tmp.dir();
    let mut expect = Expect::default();
    for i in 0..3 {
        let name = format!("B{round}-{i}");
        tmp.ok(&[
            "case",
            "add",
            "--student",
            &name,
            "--school",
            "한빛초",
            "--grade",
            "3",
            "--lead",
            "WEE",
        ]);
        expect.cases.push(name);
    }
    let trigger = [
        Trigger::Start,
        Trigger::SledWrites,
        Trigger::Snapshot,
        Trigger::Build,
    ][rng.usize(..4)];
    if let Ran::Killed = run_killed(&dir, &["check", "--rebuild"], trigger) {
        stats.killed += 1;
    }
    verify(&dir, &expect, stats, round);
}

/// The real binary on a pseudo-terminal.
struct Screen {
    parser: vt100::Parser,
    output: mpsc::Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Screen {
    fn start(dir: &Path) -> Screen {
        use portable_pty::{CommandBuilder, PtySize, native_pty_system};
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_casedesk"));
        cmd.args(["--db", dir.to_str().unwrap()]);
        cmd.env("CASEDESK_NOW", common::NOW);
        cmd.env("CASEDESK_NO_SERVER", "1");
        cmd.env("XDG_STATE_HOME", dir.with_file_name("state"));
        cmd.env("LANG", "C.UTF-8");
        cmd.env("TERM", "xterm-256color");
        cmd.env("USER", "tester");
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
        std::mem::forget(pair.master);
        Screen {
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

    /// Reads output until the screen satisfies `done`; the deadline only guards against a hang.
    fn wait_for(&mut self, what: &str, done: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !done(&self.parser.screen().contents()) {
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

    fn kill_at(&mut self, watch: &Watch, trigger: Trigger) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !watch.fired(trigger) && self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "the trigger never came");
            std::thread::yield_now();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A conference run on the screens, decisions recorded one after another, the process killed
/// while one is being saved or while it closes.
fn conference_round(rng: &mut fastrand::Rng, round: usize, stats: &mut Stats) {
    let tmp = common::TempStore::new();
    let dir = tmp.dir();
    tmp.ok(&["demo", "--cases", "30", "--seed", &round.to_string()]);
    let mut s = Screen::start(&dir);
    s.wait_for("the dashboard", |t| {
        t.contains("2025-0") || t.contains("2026-0")
    });
    s.press(b"C");
    s.wait_for("the new conference form", |t| t.contains("New conference"));
    s.press(b"\x13");
    s.wait_for("the agenda", |t| t.contains("Agenda"));
    s.press(b"s");
    s.wait_for("the question", |t| t.contains("(y/n)"));
    s.press(b"y");
    s.wait_for("the run screen", |t| t.contains("Recorded here"));
    let mut expect = Expect::default();
    let kill_at = rng.usize(..4);
    for k in 0..4 {
        let text = format!("D{round}-{k}");
        s.press(b"d");
        s.wait_for("the decision form", |t| t.contains("Decision on"));
        s.press(text.as_bytes());
        if k == kill_at {
            let watch = Watch::new(&dir);
            s.press(b"\r");
            s.kill_at(
                &watch,
                [Trigger::JournalGrows, Trigger::SledWrites][rng.usize(..2)],
            );
            stats.killed += 1;
            verify(&dir, &expect, stats, round);
            return;
        }
        s.press(b"\r");
        s.wait_for("the decision saved", |t| {
            t.contains(&text) && !t.contains("Decision on")
        });
        expect.decisions.push(text);
    }
    // All saved: killed while it closes.
    let watch = Watch::new(&dir);
    s.press(b"q");
    s.kill_at(&watch, Trigger::Snapshot);
    stats.killed += 1;
    verify(&dir, &expect, stats, round);
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// The real binary, killed with SIGKILL during command-line writes, `demo`, `import`, a
/// conference and `check --rebuild`: no confirmed change is ever lost, and the next command
/// always opens the store by itself.
#[test]
fn the_real_binary_killed_anywhere_loses_nothing_and_opens_by_itself() {
    let rounds: usize = std::env::var("CASEDESK_KILL9_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(BINARY_ROUNDS);
    let seed: u64 = std::env::var("CASEDESK_KILL9_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20261128);
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut stats = Stats::default();
    for round in 0..rounds {
        let scenario = match round % 8 {
            3 => "demo",
            4 => "import",
            5 => "check --rebuild",
            6 => "conference",
            _ => "command-line writes",
        };
        match scenario {
            "demo" => demo_round(&mut rng, round, &mut stats),
            "import" => import_round(&mut rng, round, &mut stats),
            "check --rebuild" => rebuild_round(&mut rng, round, &mut stats),
            "conference" => conference_round(&mut rng, round, &mut stats),
            _ => writes_round(&mut rng, round, &mut stats),
        }
        stats.rounds += 1;
        *stats.by_scenario.entry(scenario).or_default() += 1;
    }
    let mut kinds: std::collections::BTreeMap<&str, Vec<Duration>> = Default::default();
    for (kind, took) in &stats.recoveries {
        kinds.entry(kind).or_default().push(*took);
    }
    println!("kill -9 rounds: {} ({:?})", stats.rounds, stats.by_scenario);
    println!("processes killed: {}", stats.killed);
    println!("confirmed changes: {}", stats.confirmed);
    println!("lost changes: {}", stats.lost.len());
    println!("stores that needed a hand: {}", stats.needed_a_hand.len());
    println!(
        "automatic recoveries (with a notice): {}",
        stats.recoveries.len()
    );
    for (kind, times) in &kinds {
        let max = times.iter().max().copied().unwrap_or_default();
        println!(
            "  {kind}: {} (first command after the kill: median {}, max {})",
            times.len(),
            ms(median(times.clone())),
            ms(max)
        );
    }
    println!(
        "first command after a kill: median {}, max {}",
        ms(median(stats.first_opens.clone())),
        ms(stats.first_opens.iter().max().copied().unwrap_or_default())
    );
    assert!(stats.lost.is_empty(), "lost: {:#?}", stats.lost);
    assert!(
        stats.needed_a_hand.is_empty(),
        "needed a hand: {:#?}",
        stats.needed_a_hand
    );
}
