//! The whole office on one store: a `casedesk serve` owns it, every casedesk is a client over
//! its Unix socket. Commands behave as they do alone; many writers at once lose nothing; a
//! change based on a record someone changed since is refused with who changed what; each role
//! sees and changes only what it may; bad messages, killed clients and a killed server disturb
//! nothing that was confirmed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::json;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use casedesk::backend::protocol::{self, FrameKind, Hello, PROTOCOL, Welcome};
use casedesk::backend::{Backend, BackendError, ClientKind};
use casedesk::domain::CaseNumber;
use casedesk::domain::revision::{Expect, RecordRef, case_rev};
use casedesk::server::socket_path;
use common::served::{Served, run_as, wait_gone, wait_listening};
use common::{TempStore, now};
use serde_json::Value;

fn numbers(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["number"].as_str().unwrap().to_string())
        .collect()
}

/// Cases 0001 (WEE), 0002 (WELF, CPA cooperating), 0003 (SPED, with an action WEE owes), and
/// users of each role, then a test server.
fn office() -> Served {
    let store = TempStore::initialised();
    for (name, lead, co) in [
        ("홍길동", "WEE", "-"),
        ("김철수", "WELF", "CPA"),
        ("이영희", "SPED", "-"),
    ] {
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
            lead,
        ];
        if co != "-" {
            args.extend(["--co", co]);
        }
        store.ok(&args);
    }
    store.ok(&[
        "action",
        "add",
        "2026-0003",
        "--title",
        "상담 연계",
        "--team",
        "WEE",
        "--due",
        "+3d",
    ]);
    store.ok(&[
        "action",
        "add",
        "2026-0002",
        "--title",
        "가정 방문",
        "--team",
        "WELF",
        "--due",
        "+5d",
    ]);
    store.ok(&["note", "add", "2026-0001", "학대 의심 정황", "--restricted"]);
    store.ok(&[
        "user", "add", "wee.han", "--role", "member", "--team", "WEE",
    ]);
    store.ok(&["user", "add", "coord.lee", "--role", "coordinator"]);
    store.ok(&["user", "add", "head.park", "--role", "viewer"]);
    Served::start(store)
}

#[test]
fn every_command_works_through_the_server_as_it_does_alone() {
    let s = office();
    let list = json(&s.ok_as("tester", &["case", "list", "--json"]));
    assert_eq!(numbers(&list), ["2026-0001", "2026-0002", "2026-0003"]);
    let number = s.ok_as(
        "tester",
        &[
            "case",
            "add",
            "--student",
            "박민준",
            "--school",
            "한빛초",
            "--grade",
            "2",
            "--lead",
            "WEE",
        ],
    );
    assert_eq!(number.trim(), "2026-0004");
    assert_eq!(
        s.ok_as("tester", &["note", "add", "2026-0004", "첫 상담"])
            .trim(),
        "2026-0004 #1"
    );
    let shown = json(&s.ok_as("tester", &["case", "show", "2026-0004", "--json"]));
    assert_eq!(
        shown["notes"][0]["author"], "tester",
        "the account came from the server"
    );
    assert_eq!(s.ok_as("tester", &["conference", "new"]).trim(), "1");
    let minutes = s.ok_as("tester", &["conference", "minutes", "1", "--format", "md"]);
    assert!(minutes.contains("2026-0001"), "{minutes}");
    let export = json(&s.ok_as("tester", &["export", "cases", "--format", "json"]));
    assert_eq!(export.as_array().unwrap().len(), 4);
    let backup = s.store.tmp.path().join("backup.jsonl");
    let said = s.ok_as("tester", &["backup", backup.to_str().unwrap()]);
    assert!(said.contains("backed up"), "{said}");
    let checked = s.ok_as("tester", &["check"]);
    assert!(checked.contains("ok:"), "{checked}");
    // The store in this process is refused while the server has it, with what to do.
    let err = s.store.fails(&["case", "list"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("casedesk serve --stop"), "{err}");
    let status = json(&s.ok_as("tester", &["serve", "--status", "--json"]));
    assert_eq!(status["running"], true);
    assert_eq!(status["pid"], s.pid());
    // A rebuild needs the store to itself, and says so.
    let err = s.fails_as("tester", &["check", "--rebuild"]);
    assert!(err.contains("serve --stop"), "{err}");
}

#[test]
fn four_clients_writing_at_once_lose_nothing() {
    let s = office();
    let dir = s.dir();
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let mut notes = Vec::new();
                let mut actions = Vec::new();
                for i in 0..12 {
                    let text = format!("작성자{w} 기록{i}");
                    let run = run_as(&dir, "tester", &["note", "add", "2026-0001", &text], &[]);
                    assert!(run.success(), "{}", run.stderr);
                    notes.push(text);
                    if i % 3 == 0 {
                        let title = format!("작성자{w} 조치{i}");
                        let run = run_as(
                            &dir,
                            "coord.lee",
                            &[
                                "action",
                                "add",
                                "2026-0002",
                                "--title",
                                &title,
                                "--team",
                                "WELF",
                                "--due",
                                "+7d",
                            ],
                            &[],
                        );
                        assert!(run.success(), "{}", run.stderr);
                        actions.push((run.stdout.trim().to_string(), title));
                    }
                }
                (notes, actions)
            })
        })
        .collect();
    let mut notes = Vec::new();
    let mut actions = Vec::new();
    for w in writers {
        let (n, a) = w.join().unwrap();
        notes.extend(n);
        actions.extend(a);
    }
    let case1 = json(&s.ok_as(
        "tester",
        &["case", "show", "2026-0001", "--json", "--unmasked"],
    ));
    let texts: Vec<&str> = case1["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["text"].as_str())
        .collect();
    for text in &notes {
        assert!(texts.contains(&text.as_str()), "{text} is missing");
    }
    // Note numbers are handed out once each, in journal order.
    let ns: Vec<u64> = case1["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["n"].as_u64().unwrap())
        .collect();
    assert_eq!(ns, (1..=ns.len() as u64).collect::<Vec<_>>());
    assert_eq!(ns.len(), notes.len() + 1);
    let case2 = json(&s.ok_as("tester", &["case", "show", "2026-0002", "--json"]));
    for (id, title) in &actions {
        assert!(
            case2["actions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["id"] == *id && a["title"] == *title),
            "{id} {title} is missing"
        );
    }
    let checked = s.ok_as("tester", &["check"]);
    assert!(checked.contains("ok:"), "{checked}");
}

#[test]
fn a_change_based_on_a_stale_read_is_refused_with_who_changed_what() {
    let s = office();
    let shown = json(&s.ok_as("tester", &["case", "show", "2026-0001", "--json"]));
    let rev = shown["rev"].as_str().unwrap().to_string();
    s.ok_as(
        "coord.lee",
        &["case", "set", "2026-0001", "--level", "고위기"],
    );
    // Two notes on one case, and another case's change, do not conflict with anything.
    s.ok_as("wee.han", &["note", "add", "2026-0001", "통화"]);
    s.ok_as("tester", &["note", "add", "2026-0001", "방문"]);
    let err = s.fails_as(
        "tester",
        &[
            "case",
            "set",
            "2026-0001",
            "--stage",
            "진단",
            "--if-rev",
            &rev,
        ],
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("changed by coord.lee"), "{err}");
    assert!(err.contains("(level)"), "{err}");
    assert!(err.contains("nothing was saved"), "{err}");
    let after = json(&s.ok_as("tester", &["case", "show", "2026-0001", "--json"]));
    assert_eq!(after["stage"], "intake", "nothing was changed");
    assert_eq!(after["level"], "high");
    // Read again, the same change goes through.
    let rev = after["rev"].as_str().unwrap();
    s.ok_as(
        "tester",
        &[
            "case",
            "set",
            "2026-0001",
            "--stage",
            "진단",
            "--if-rev",
            rev,
        ],
    );
    // The same with a client in this process: its edit rests on the case as it read it.
    let mut mine = s.client(
        "tester",
        ClientKind::Command {
            name: "test".into(),
        },
    );
    let mut theirs = s.client(
        "coord.lee",
        ClientKind::Command {
            name: "test".into(),
        },
    );
    let number = CaseNumber { year: 2026, seq: 2 };
    let read = mine.view(&casedesk::backend::Scope::Case(number)).unwrap();
    let rev = case_rev(read.cases.get(&number).unwrap());
    theirs
        .apply(
            casedesk::domain::Command::UpdateCase {
                case: number,
                change: casedesk::domain::CaseUpdate {
                    review_on: Some(Some(chrono::NaiveDate::from_ymd_opt(2026, 12, 9).unwrap())),
                    ..Default::default()
                },
                conference: None,
            },
            now(),
            &[],
        )
        .unwrap();
    let err = mine
        .apply(
            casedesk::domain::Command::UpdateCase {
                case: number,
                change: casedesk::domain::CaseUpdate {
                    level: Some(casedesk::domain::vocab::Level::High),
                    ..Default::default()
                },
                conference: None,
            },
            now(),
            &[Expect {
                record: RecordRef::Case(number),
                rev,
            }],
        )
        .unwrap_err();
    match err {
        BackendError::Stale(stale) => {
            assert_eq!(stale.by.as_deref(), Some("coord.lee"));
            assert_eq!(
                stale.fields,
                [casedesk::domain::revision::RecordField::Review]
            );
        }
        other => panic!("expected a stale refusal, got {other:?}"),
    }
}

#[test]
fn each_role_sees_and_changes_only_what_it_may() {
    let s = office();
    // A team member: their team's cases, everywhere.
    let list = json(&s.ok_as("wee.han", &["case", "list", "--json"]));
    assert_eq!(numbers(&list), ["2026-0001", "2026-0003"]);
    let actions = json(&s.ok_as("wee.han", &["action", "list", "--json"]));
    let cases: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["case"].as_str().unwrap())
        .collect();
    assert_eq!(cases, ["2026-0003"]);
    let export = json(&s.ok_as("wee.han", &["export", "cases", "--format", "json"]));
    assert_eq!(export.as_array().unwrap().len(), 2);
    let report = json(&s.ok_as(
        "wee.han",
        &["report", "--month", "2026-11", "--format", "json"],
    ));
    let open: u64 = report["open_by_level"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| pair[1].as_u64().unwrap())
        .sum();
    assert_eq!(open, 2, "{report}");
    let err = s.fails_as("wee.han", &["case", "show", "2026-0002"]);
    assert_eq!(err.lines().count(), 1);
    assert!(err.contains("2026-0002") && err.contains("WEE"), "{err}");
    let err = s.fails_as("wee.han", &["note", "add", "2026-0002", "기록"]);
    assert!(
        err.contains("not led, shared or owed by your teams"),
        "{err}"
    );
    s.ok_as("wee.han", &["note", "add", "2026-0003", "상담 일정"]);
    let err = s.fails_as("wee.han", &["conference", "new"]);
    assert!(err.contains("only coordinators"), "{err}");
    let err = s.fails_as(
        "wee.han",
        &["backup", s.store.tmp.path().join("b").to_str().unwrap()],
    );
    assert!(err.contains("only coordinators"), "{err}");
    // A viewer: every case, names masked, nothing changed.
    let shown = s.ok_as("head.park", &["case", "show", "2026-0001"]);
    assert!(
        shown.contains("홍*동") && !shown.contains("홍길동"),
        "{shown}"
    );
    let err = s.fails_as("head.park", &["case", "show", "2026-0001", "--unmasked"]);
    assert!(err.contains("viewer"), "{err}");
    let err = s.fails_as("head.park", &["note", "add", "2026-0001", "기록"]);
    assert!(err.contains("cannot change anything"), "{err}");
    // A coordinator: everything but users.
    let err = s.fails_as("coord.lee", &["user", "add", "new.one", "--role", "viewer"]);
    assert!(err.contains("only admins"), "{err}");
    // Not a user: who to ask, and what they would run.
    let err = s.fails_as("stranger", &["case", "list"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("not a user of this store"), "{err}");
    assert!(err.contains("casedesk user add stranger"), "{err}");
    // Unmasked exports are journaled with the account that made them.
    s.ok_as(
        "coord.lee",
        &["export", "cases", "--format", "json", "--unmasked"],
    );
    let journal = std::fs::read_to_string(s.dir().join("journal.jsonl")).unwrap();
    let last = journal.lines().last().unwrap();
    assert!(
        last.contains("record_export") && last.contains("\"user\":\"coord.lee\""),
        "{last}"
    );
}

/// Sends a first message and reads the server's answer.
fn greet(stream: &mut UnixStream, body: &[u8]) -> String {
    protocol::write_frame(stream, FrameKind::Json, body).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    match protocol::read_frame(stream, 1 << 20) {
        Ok((_, body)) => String::from_utf8_lossy(&body).into_owned(),
        Err(e) => format!("closed: {e}"),
    }
}

fn hello(protocol: u32) -> Vec<u8> {
    serde_json::to_vec(&Hello {
        protocol,
        version: "test".into(),
        kind: ClientKind::Command {
            name: "test".into(),
        },
        pid: std::process::id(),
        claimed: Some("tester".into()),
    })
    .unwrap()
}

#[test]
fn bad_messages_are_refused_and_the_server_keeps_serving() {
    let s = office();
    let path = socket_path(&s.dir());
    // Not a greeting at all.
    let mut stream = UnixStream::connect(&path).unwrap();
    let said = greet(&mut stream, b"\x00\xffgarbage");
    assert!(
        said.contains("Refused") && said.contains("malformed"),
        "{said}"
    );
    // Another version of the protocol.
    let mut stream = UnixStream::connect(&path).unwrap();
    let said = greet(&mut stream, &hello(PROTOCOL + 1));
    assert!(said.contains("protocol"), "{said}");
    // A frame that says it is a gigabyte.
    let mut stream = UnixStream::connect(&path).unwrap();
    let said = greet(&mut stream, &hello(PROTOCOL));
    let welcome: Welcome = serde_json::from_str(&said).unwrap();
    assert!(matches!(welcome, Welcome::Ok { .. }));
    stream.write_all(&[0x40, 0, 0, 0, 0]).unwrap();
    let (_, body) = protocol::read_frame(&mut stream, 1 << 20).unwrap();
    let said = String::from_utf8_lossy(&body);
    assert!(said.contains("larger than"), "{said}");
    // A request that is not one.
    let mut stream = UnixStream::connect(&path).unwrap();
    greet(&mut stream, &hello(PROTOCOL));
    protocol::write_frame(
        &mut stream,
        FrameKind::Json,
        b"{\"id\":1,\"request\":\"Teleport\"}",
    )
    .unwrap();
    let (_, body) = protocol::read_frame(&mut stream, 1 << 20).unwrap();
    assert!(String::from_utf8_lossy(&body).contains("malformed"));
    // Half a frame, then gone; and a client that says nothing at all.
    let mut half = UnixStream::connect(&path).unwrap();
    half.write_all(&[0, 0, 1, 0, 0, b'{']).unwrap();
    drop(half);
    let _silent = UnixStream::connect(&path).unwrap();
    // Everyone else is served as before.
    let list = json(&s.ok_as("tester", &["case", "list", "--json"]));
    assert_eq!(numbers(&list).len(), 3);
}

#[test]
fn a_client_killed_mid_request_disturbs_nobody() {
    let s = office();
    // A client that asks for everything and is gone before the answer is read.
    for _ in 0..5 {
        let mut stream = UnixStream::connect(socket_path(&s.dir())).unwrap();
        greet(&mut stream, &hello(PROTOCOL));
        protocol::write_json(
            &mut stream,
            &protocol::Envelope {
                id: 1,
                request: protocol::Request::Subscribe,
            },
        )
        .unwrap();
        drop(stream);
    }
    // A command-line client killed while it writes.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_casedesk"))
        .args(["note", "add", "2026-0001", "잘린 요청"])
        .env("CASEDESK_DB", s.dir())
        .env("CASEDESK_NOW", common::NOW)
        .env("CASEDESK_ACCOUNT", "tester")
        .env_remove("CASEDESK_NO_SERVER")
        .env("CASEDESK_LOG", "off")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    // A client whose queue is never read is cut off alone.
    let mut stuck = UnixStream::connect(socket_path(&s.dir())).unwrap();
    greet(&mut stuck, &hello(PROTOCOL));
    protocol::write_json(
        &mut stuck,
        &protocol::Envelope {
            id: 1,
            request: protocol::Request::Subscribe,
        },
    )
    .unwrap();
    for i in 0..30 {
        s.ok_as(
            "tester",
            &["note", "add", "2026-0003", &format!("기록 {i}")],
        );
    }
    let checked = s.ok_as("tester", &["check"]);
    assert!(checked.contains("ok:"), "{checked}");
    let mut rest = Vec::new();
    stuck
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let _ = stuck.read_to_end(&mut rest);
}

#[test]
fn the_server_killed_under_load_loses_no_confirmed_change_and_clients_bring_it_back() {
    let mut s = office();
    let dir = s.dir();
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let mut confirmed = Vec::new();
                for i in 0..15 {
                    let text = format!("부하{w}-{i}");
                    // The account comes from the socket when the clients start the server
                    // again themselves (the test runner's own account: the store's owner).
                    let run = run_as(&dir, "tester", &["note", "add", "2026-0001", &text], &[]);
                    if run.success() {
                        confirmed.push(text);
                    }
                }
                confirmed
            })
        })
        .collect();
    // Kill the server once the writers are under way.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let len = std::fs::metadata(dir.join("journal.jsonl")).unwrap().len();
        if len > 12_000 || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    s.kill9();
    let mut confirmed = Vec::new();
    for w in writers {
        confirmed.extend(w.join().unwrap());
    }
    // The clients started a server again by themselves; its end of the store is clean.
    wait_listening(&dir);
    let case1 = json(
        &run_as(
            &dir,
            "tester",
            &["case", "show", "2026-0001", "--json", "--unmasked"],
            &[],
        )
        .stdout,
    );
    let texts: Vec<&str> = case1["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["text"].as_str())
        .collect();
    for text in &confirmed {
        assert!(texts.contains(&text.as_str()), "confirmed {text} was lost");
    }
    assert!(
        confirmed.len() >= 40,
        "most writes go through: {}",
        confirmed.len()
    );
    run_as(&dir, "tester", &["serve", "--stop"], &[]);
    wait_gone(&dir);
    let checked = s.store.ok(&["check"]);
    assert!(checked.contains("ok:"), "{checked}");
}

#[test]
fn a_server_started_by_a_command_stops_by_itself_when_nobody_uses_it() {
    let store = TempStore::initialised();
    let dir = store.dir();
    let run = run_as(
        &dir,
        "tester",
        &["case", "list"],
        &[("CASEDESK_SERVER_IDLE", "1")],
    );
    assert!(run.success(), "{}", run.stderr);
    assert!(
        casedesk::server::listening(&dir),
        "the command started a server"
    );
    let who = run_as(&dir, "tester", &["serve", "--status"], &[]);
    assert!(who.stdout.contains("running"), "{}", who.stdout);
    wait_gone(&dir);
    let status = run_as(&dir, "tester", &["serve", "--status"], &[]);
    assert!(!status.success());
    assert!(
        status.stderr.contains("no casedesk server is running"),
        "{}",
        status.stderr
    );
}

/// A store a crash left unreadable is rebuilt by the server a command starts, and that command
/// says so on standard error, as it would alone; the next command is not told again.
#[test]
fn what_the_server_repaired_at_open_is_told_to_the_command_that_started_it() {
    let store = TempStore::new();
    let dir = store.dir();
    store.ok(&["demo", "--cases", "3"]);
    let db = dir.join("db").join("db");
    let mut bytes = std::fs::read(&db).unwrap();
    for b in bytes.iter_mut().take(4096) {
        *b = 0xAB;
    }
    std::fs::write(&db, bytes).unwrap();
    let first = run_as(&dir, "tester", &["case", "list"], &[]);
    assert!(first.success(), "{}", first.stderr);
    assert!(
        first.stderr.contains("rebuilt them from the journal")
            && first.stderr.contains("the old files are kept at"),
        "{}",
        first.stderr
    );
    let second = run_as(&dir, "tester", &["case", "list"], &[]);
    assert!(second.success(), "{}", second.stderr);
    assert_eq!(second.stderr, "");
    assert_eq!(second.stdout, first.stdout);
    run_as(&dir, "tester", &["serve", "--stop"], &[]);
}

#[test]
fn serve_stop_and_status_say_what_runs() {
    let s = office();
    let status = s.ok_as("tester", &["serve", "--status"]);
    assert!(status.contains(&format!("pid {}", s.pid())), "{status}");
    let err = s.fails_as("wee.han", &["serve", "--stop"]);
    assert!(err.contains("only admins"), "{err}");
    let said = s.ok_as("tester", &["serve", "--stop"]);
    assert!(said.contains("stopped the server"), "{said}");
    assert!(!casedesk::server::listening(&s.dir()));
    // With no server, the store opens in this process again.
    s.store.ok(&["case", "list"]);
}

#[test]
fn who_lists_the_people_connected() {
    let s = office();
    let _screen = s.client(
        "wee.han",
        ClientKind::Screens {
            tty: Some("/dev/pts/7".into()),
        },
    );
    let who = json(&s.ok_as("coord.lee", &["who", "--json"]));
    let list = who.as_array().unwrap();
    assert!(
        list.iter().any(|w| w["account"] == "wee.han"
            && w["kind"] == "screens"
            && w["where"] == "/dev/pts/7"),
        "{who}"
    );
    assert!(
        list.iter()
            .any(|w| w["account"] == "coord.lee" && w["kind"] == "command"),
        "{who}"
    );
}

#[test]
fn the_server_tells_open_screens_of_every_change_as_each_may_see_it() {
    let s = office();
    let mut member = s.client("wee.han", ClientKind::Screens { tty: None });
    let mut coordinator = s.client("coord.lee", ClientKind::Screens { tty: None });
    assert_eq!(member.snapshot().unwrap().cases.len(), 2);
    assert_eq!(coordinator.snapshot().unwrap().cases.len(), 3);
    member.poll();
    coordinator.poll();
    s.ok_as(
        "tester",
        &["action", "done", "2026-0003/1", "--note", "완료"],
    );
    s.ok_as("tester", &["note", "add", "2026-0002", "남의 사례 기록"]);
    // Each screen hears at once (the wait only guards against a hang).
    let until = |c: &mut casedesk::backend::client::Client, n: usize| {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut heard = Vec::new();
        while heard.len() < n && Instant::now() < deadline {
            heard.extend(
                c.poll()
                    .into_iter()
                    .filter(|r| matches!(r, casedesk::backend::Remote::Changed { .. })),
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        heard
    };
    let heard = until(&mut coordinator, 2);
    assert_eq!(heard.len(), 2, "{heard:?}");
    let heard = until(&mut member, 1);
    assert_eq!(heard.len(), 1, "only the change to their case: {heard:?}");
    match &heard[0] {
        casedesk::backend::Remote::Changed { by, summary, .. } => {
            assert_eq!(by, "tester");
            assert_eq!(
                summary.describe(casedesk::i18n::Lang::Ko),
                "2026-0003/1 완료"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        member
            .snapshot()
            .unwrap()
            .actions
            .keys()
            .all(|a| a.case.seq != 2)
    );
    // A case a member's team is added to appears on their screen with its actions.
    s.ok_as("tester", &["case", "set", "2026-0002", "--co", "CPA,WEE"]);
    until(&mut member, 1);
    let state = member.snapshot().unwrap();
    assert!(state.cases.contains_key(&CaseNumber { year: 2026, seq: 2 }));
    assert!(state.actions.keys().any(|a| a.case.seq == 2));
}

#[test]
fn a_form_saved_after_someone_changed_its_case_is_refused_and_keeps_what_was_typed() {
    use casedesk::app::{App, Msg, Screen};
    use casedesk::tui::driver::Driver;
    let s = office();
    let mut backend = s.client("tester", ClientKind::Screens { tty: None });
    let keymap = casedesk::keymap::Keymap::shipped("default").unwrap();
    let app = App::new(
        casedesk::i18n::Lang::En,
        now().date_naive(),
        "tester".into(),
        keymap,
        backend.snapshot().unwrap(),
    );
    let mut driver = Driver::new(app, backend, Box::new(now));
    driver.handle(Msg::Resize {
        width: 100,
        height: 30,
    });
    let keys = |driver: &mut Driver<_>, text: &str| {
        for key in common::tui::parse_keys(text) {
            driver.handle(Msg::Key(key));
        }
    };
    assert_eq!(driver.app.screen, Screen::Dashboard);
    let number = driver
        .app
        .selected_case(driver.backend.snapshot().unwrap())
        .unwrap();
    keys(&mut driver, "E<Tab><Tab><Tab><Tab><Tab>");
    keys(&mut driver, "김담당");
    // Meanwhile a coordinator changes the case's level.
    s.ok_as(
        "coord.lee",
        &["case", "set", &number.to_string(), "--level", "고위기"],
    );
    // The change reaches this screen; saving the form now is refused, not written over it.
    let deadline = Instant::now() + Duration::from_secs(10);
    while driver.backend.snapshot().unwrap().cases[&number].level
        != casedesk::domain::vocab::Level::High
    {
        assert!(Instant::now() < deadline, "the change did not arrive");
        driver.pump();
        std::thread::sleep(Duration::from_millis(5));
    }
    keys(&mut driver, "<C-s>");
    let form = driver.app.form.as_ref().expect("the form stays open");
    let why = form
        .error
        .as_ref()
        .map(|e| casedesk::ui::messages::form_error(e, casedesk::i18n::Lang::En))
        .unwrap_or_default();
    assert!(
        why.contains("changed by coord.lee") && why.contains("level"),
        "{why}"
    );
    let typed: Vec<String> = form.fields.iter().map(|f| f.value()).collect();
    assert!(typed.iter().any(|v| v == "김담당"), "{typed:?}");
    let shown = json(&s.ok_as("tester", &["case", "show", &number.to_string(), "--json"]));
    assert_eq!(shown["lead_person"], Value::Null, "nothing was saved");
}

/// Runs `casedesk` as an operating-system account other than the test runner's, when this
/// machine allows making one (root); `None` otherwise.
fn os_account(name: &str, group: &str) -> Option<()> {
    if !rustix::process::getuid().is_root() {
        return None;
    }
    let ok = |cmd: &mut std::process::Command| cmd.status().is_ok_and(|s| s.success());
    let _ = std::process::Command::new("groupadd").arg(group).status();
    if casedesk::server::peer::account_exists(name) != Some(true)
        && !ok(std::process::Command::new("useradd").args(["-M", "-N", "-g", group, name]))
    {
        return None;
    }
    Some(())
}

#[test]
fn a_second_os_account_reaches_the_store_only_through_the_office_group() {
    if os_account("cdtest_a", "cdtest_office").is_none()
        || os_account("cdtest_b", "cdtest_other").is_none()
    {
        println!("skipped: making operating-system accounts needs root and useradd");
        return;
    }
    let store = TempStore::initialised();
    let dir = store.dir();
    // The office's setup: the store's directory searchable by the office group only.
    let status = std::process::Command::new("chgrp")
        .arg("cdtest_office")
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o710)).unwrap();
    let tmp_mode = std::fs::metadata(store.tmp.path())
        .unwrap()
        .permissions()
        .mode();
    std::fs::set_permissions(
        store.tmp.path(),
        std::fs::Permissions::from_mode(tmp_mode | 0o011),
    )
    .unwrap();
    // A real server (no claimed accounts): identity comes from the socket.
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_casedesk"))
        .args(["serve"])
        .env("CASEDESK_DB", &dir)
        .env("CASEDESK_NOW", common::NOW)
        .env_remove("CASEDESK_NO_SERVER")
        .env("CASEDESK_LOG", "off")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_listening(&dir);
    let as_account = |account: &str, args: &[&str]| {
        let out = std::process::Command::new("runuser")
            .args(["-u", account, "--", env!("CARGO_BIN_EXE_casedesk")])
            .args(args)
            .env("CASEDESK_DB", &dir)
            .env("CASEDESK_NOW", common::NOW)
            .env("LANG", "C.UTF-8")
            .env_remove("CASEDESK_NO_SERVER")
            .env("CASEDESK_LOG", "off")
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, _, err) = as_account("cdtest_a", &["case", "list"]);
    assert!(
        !ok && err.contains("not a user") && err.contains("casedesk user add cdtest_a"),
        "{err}"
    );
    let admin = run_as(
        &dir,
        "root",
        &["user", "add", "cdtest_a", "--role", "coordinator"],
        &[],
    );
    assert!(admin.success(), "{}", admin.stderr);
    let (ok, _, err) = as_account(
        "cdtest_a",
        &["note", "add", "2026-0001", "다른 계정의 기록"],
    );
    // No case yet: the rules answer, which means the account got in.
    assert!(!ok && err.contains("no case"), "{err}");
    let (ok, out, err) = as_account("cdtest_a", &["team", "list"]);
    assert!(ok, "{err}");
    assert!(out.contains("WEE"));
    // An account outside the office group cannot even reach the socket, nor read a file.
    let (ok, _, err) = as_account("cdtest_b", &["case", "list"]);
    assert!(!ok, "{err}");
    assert!(std::fs::File::open(dir.join("journal.jsonl")).is_ok());
    let out = std::process::Command::new("runuser")
        .args(["-u", "cdtest_b", "--", "cat"])
        .arg(dir.join("journal.jsonl"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    // The store's files stay the server account's alone.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        let name = entry.file_name();
        if name == "casedesk.sock" {
            assert_eq!(mode, 0o660);
        } else if entry.path().is_dir() {
            assert_eq!(mode, 0o700, "{name:?}");
        } else {
            assert_eq!(mode, 0o600, "{name:?}");
        }
    }
    let _ = std::process::Command::new("kill")
        .arg(server.id().to_string())
        .status();
    let _ = server.wait();
}
