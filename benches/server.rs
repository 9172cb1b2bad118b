//! The shared server, measured (not a test): against demo stores of 10,000 and 100,000 cases
//! (`CASEDESK_BENCH_SIZES=10000,100000`, made once under target/), with a `casedesk serve`
//! started on each:
//! - whole command-line processes through the server: `note add`, `case show`, `case list
//!   --team` (median and 99th percentile);
//! - changes per second with 1, 4 and 16 clients at once, as processes and as clients in one
//!   process;
//! - the dashboard's first full frame as a client, in a real pseudo-terminal;
//! - the time from a confirmed change to its appearance on an open dashboard;
//! - the conference screens per key: the decision form (`d`) and the next item (`]`), and
//!   `conference new` as a whole process;
//! - the server's peak memory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command as Process, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use casedesk::backend::client::{Client, Target};
use casedesk::backend::{Backend, ClientKind};
use casedesk::domain::vocab::NoteKind;
use casedesk::domain::{CaseNumber, Command};
use common::{NOW, client, demo_store, median, quantile};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(NOW).unwrap()
}

fn serve(dir: &Path) -> Child {
    let child = Process::new(env!("CARGO_BIN_EXE_casedesk"))
        .args(["serve"])
        .env("CASEDESK_DB", dir)
        .env("CASEDESK_NOW", NOW)
        .env_remove("CASEDESK_NO_SERVER")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while !casedesk::server::listening(dir) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

fn connect(dir: &Path, kind: ClientKind) -> Client {
    Client::connect(Target {
        dir: dir.to_path_buf(),
        kind,
        claimed: None,
        start: false,
    })
    .unwrap()
}

fn timed(dir: &Path, runs: usize, args: &[&str]) -> (Duration, Duration) {
    let mut samples = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let out = client(dir, args);
        samples.push(started.elapsed());
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    (median(samples.clone()), quantile(samples, 0.99))
}

/// The dashboard in a pseudo-terminal, read through a VT100 parser.
struct Screen {
    parser: vt100::Parser,
    output: mpsc::Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    started: Instant,
}

impl Screen {
    fn open(dir: &Path, args: &[&str]) -> Screen {
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
        cmd.env("CASEDESK_DB", dir);
        cmd.env("CASEDESK_NOW", NOW);
        cmd.env("LANG", "C.UTF-8");
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("CASEDESK_NO_SERVER");
        let started = Instant::now();
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let (tx, output) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
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
            started,
        }
    }

    /// Reads until `text` is on the screen; returns when the output that showed it arrived.
    fn wait_for(&mut self, text: &str) -> Instant {
        let deadline = Instant::now() + Duration::from_secs(300);
        loop {
            if self.parser.screen().contents().contains(text) {
                return Instant::now();
            }
            assert!(
                Instant::now() < deadline,
                "waited in vain for {text}:\n{}",
                self.parser.screen().contents()
            );
            if let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(50)) {
                self.parser.process(&bytes);
                while let Ok(more) = self.output.try_recv() {
                    self.parser.process(&more);
                }
            }
        }
    }

    fn press(&mut self, keys: &[u8]) -> Instant {
        // Whatever came before the key is not the key's.
        while let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(100)) {
            self.parser.process(&bytes);
        }
        let at = Instant::now();
        self.writer.write_all(keys).unwrap();
        self.writer.flush().unwrap();
        at
    }

    fn quit(mut self) {
        self.press(b"q");
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.child.try_wait().unwrap().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
    }
}

fn peak_rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}

fn throughput(dir: &Path, clients: usize, per_client: usize, processes: bool) -> f64 {
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|w| {
            let dir = dir.to_path_buf();
            std::thread::spawn(move || {
                let mut c = (!processes).then(|| {
                    connect(
                        &dir,
                        ClientKind::Command {
                            name: "bench".into(),
                        },
                    )
                });
                for i in 0..per_client {
                    let case = format!("2026-{:04}", 1 + (w * per_client + i) % 50);
                    match &mut c {
                        Some(c) => {
                            c.apply(
                                Command::AddNote {
                                    case: case.parse().unwrap(),
                                    kind: NoteKind::Note,
                                    text: format!("bench {w} {i}"),
                                    restricted: false,
                                },
                                now(),
                                &[],
                            )
                            .unwrap();
                        }
                        None => {
                            let out = client(&dir, &["note", "add", &case, "bench"]);
                            assert!(out.status.success());
                        }
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    (clients * per_client) as f64 / started.elapsed().as_secs_f64()
}

/// What By team reads after every change, through the server: every action and keep the
/// recently finished (as it was), and the recently finished kept by the server (first read,
/// then after a change).
fn finished(dir: &Path) {
    let mut probe = connect(
        dir,
        ClientKind::Command {
            name: "bench".into(),
        },
    );
    let since = now().date_naive() - chrono::Duration::days(14);
    let started = Instant::now();
    let all = probe.all_actions().unwrap();
    let recent = all
        .iter()
        .filter(|a| !a.is_open() && a.closed_on.is_some_and(|d| d >= since))
        .count();
    println!(
        "By team, every action read      {:7.1} ms ({} actions, {recent} finished in 14 days)",
        ms(started.elapsed()),
        all.len()
    );
    let started = Instant::now();
    let first = probe.finished_since(since).unwrap().len();
    println!(
        "By team, finished kept: first   {:7.1} ms ({first} actions)",
        ms(started.elapsed())
    );
    let mut samples = Vec::new();
    for i in 0..20 {
        let note = Command::AddNote {
            case: CaseNumber { year: 2026, seq: 1 },
            kind: NoteKind::Note,
            text: format!("bench {i}"),
            restricted: false,
        };
        probe.apply(note, now(), &[]).unwrap();
        let started = Instant::now();
        probe.finished_since(since).unwrap();
        samples.push(started.elapsed());
    }
    println!(
        "By team, finished kept: after a change  median {:7.1} ms",
        ms(median(samples))
    );
}

fn main() {
    let sizes: Vec<usize> = std::env::var("CASEDESK_BENCH_SIZES")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    for n in sizes {
        // A copy: what the benchmark writes stays out of the other benchmarks' store.
        let source = demo_store(n);
        let dir = source.with_file_name(format!("server-bench-{n}"));
        let _ = std::fs::remove_dir_all(&dir);
        let copied = Process::new("cp")
            .arg("-a")
            .arg(&source)
            .arg(&dir)
            .status()
            .unwrap();
        assert!(copied.success());
        let started = Instant::now();
        let mut server = serve(&dir);
        println!(
            "== {n} cases (server listening after {:.0} ms)",
            ms(started.elapsed())
        );

        finished(&dir);
        if std::env::var("CASEDESK_BENCH_ONLY").is_ok_and(|v| v == "finished") {
            let _ = server.kill();
            let _ = server.wait();
            let _ = std::fs::remove_dir_all(&dir);
            continue;
        }

        let (m, p) = timed(&dir, 50, &["note", "add", "2026-0001", "bench"]);
        println!(
            "note add (whole process)        median {:7.1} ms   p99 {:7.1} ms",
            ms(m),
            ms(p)
        );
        let (m, p) = timed(&dir, 50, &["case", "show", "2026-0001"]);
        println!(
            "case show (whole process)       median {:7.1} ms   p99 {:7.1} ms",
            ms(m),
            ms(p)
        );
        let mut probe = connect(
            &dir,
            ClientKind::Command {
                name: "bench".into(),
            },
        );
        for team in ["POLICE", "SPED", "WEE"] {
            let count = probe
                .view(&casedesk::backend::Scope::Cases(
                    casedesk::backend::CaseFilter {
                        team: casedesk::domain::TeamCode::new(team),
                        ..Default::default()
                    },
                ))
                .unwrap()
                .cases
                .len();
            let (m, p) = timed(&dir, 15, &["case", "list", "--team", team]);
            println!(
                "case list --team {team:<6} ({count:>6} rows) median {:7.1} ms   p99 {:7.1} ms",
                ms(m),
                ms(p)
            );
        }
        let (m, _) = timed(&dir, 5, &["conference", "new"]);
        println!("conference new (whole process)  median {:7.1} ms", ms(m));

        for clients in [1, 4, 16] {
            let per = if clients == 16 {
                25
            } else {
                100 / clients.max(1) * 2
            };
            let procs = throughput(&dir, clients, per.min(50), true);
            let inproc = throughput(&dir, clients, per, false);
            println!(
                "changes per second, {clients:>2} clients: {procs:7.0} as processes, {inproc:7.0} as connected clients"
            );
        }

        // The dashboard's first frame, as a client.
        let mut firsts = Vec::new();
        for _ in 0..5 {
            let mut screen = Screen::open(&dir, &[]);
            let at = screen.wait_for("open cases");
            firsts.push(at - screen.started);
            screen.quit();
        }
        println!(
            "dashboard first frame (client)  median {:7.1} ms",
            ms(median(firsts))
        );

        // A change made elsewhere, to its appearance on the open dashboard.
        let mut screen = Screen::open(&dir, &[]);
        screen.wait_for("open cases");
        let mut writer = connect(
            &dir,
            ClientKind::Command {
                name: "bench".into(),
            },
        );
        let open: Vec<CaseNumber> = probe
            .view(&casedesk::backend::Scope::Cases(Default::default()))
            .unwrap()
            .cases
            .keys()
            .take(20)
            .copied()
            .collect();
        let mut delays = Vec::new();
        for case in open {
            let at = Instant::now();
            let receipt = writer
                .apply(
                    Command::AddAction {
                        case,
                        title: "bench".into(),
                        team: casedesk::domain::TeamCode::new("WEE").unwrap(),
                        due_on: now().date_naive() + chrono::Days::new(30),
                        person: None,
                        conference: None,
                        sharing: casedesk::domain::SharingCheck::Required,
                    },
                    now(),
                    &[],
                )
                .unwrap();
            let id = match receipt.outcome {
                casedesk::domain::Outcome::Action { id } => id,
                _ => unreachable!(),
            };
            let shown = screen.wait_for(&format!("{id} action added"));
            delays.push(shown - at);
        }
        println!(
            "change to another dashboard     median {:7.1} ms   max {:7.1} ms",
            ms(median(delays.clone())),
            ms(*delays.iter().max().unwrap())
        );
        screen.quit();

        // The conference screens, per key, on the conference just prepared (the one `conference
        // new` made last).
        let conferences = probe.view(&casedesk::backend::Scope::Conferences).unwrap();
        let id = *conferences.conferences.keys().next_back().unwrap();
        if let Some(running) = conferences
            .conferences
            .values()
            .find(|c| c.state == casedesk::domain::model::ConferenceState::Running)
        {
            probe
                .apply(
                    Command::CloseConference {
                        conference: running.id,
                    },
                    now(),
                    &[],
                )
                .unwrap();
        }
        probe
            .apply(Command::StartConference { conference: id }, now(), &[])
            .unwrap();
        let mut screen = Screen::open(&dir, &[]);
        screen.wait_for("item 1/");
        let mut forms = Vec::new();
        let mut nexts = Vec::new();
        for k in 0..5 {
            let at = screen.press(b"d");
            forms.push(screen.wait_for("Decision on") - at);
            screen.press(b"\x1b");
            screen.wait_for(&format!("item {}/", k + 1));
            let at = screen.press(b"]");
            nexts.push(screen.wait_for(&format!("item {}/", k + 2)) - at);
        }
        println!(
            "conference screen: d (decision form) median {:.1} ms, ] (next item) median {:.1} ms",
            ms(median(forms)),
            ms(median(nexts))
        );
        screen.quit();
        probe
            .apply(Command::CloseConference { conference: id }, now(), &[])
            .unwrap();

        println!(
            "server peak memory              {:7.0} MiB",
            peak_rss_mib(server.id())
        );
        let _ = Process::new("kill").arg(server.id().to_string()).status();
        let _ = server.wait();
    }
}
