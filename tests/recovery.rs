//! A store always opens after a crash and never lies: the leftovers a crash or a power cut can
//! leave in sled's folder are cleaned up by the next command, an unconfirmed end of the journal
//! is moved to a quarantine file, damage in the journal's middle opens read-only and `check`
//! names the line, a damaged record cache changes nothing, and a rebuild never drops what only
//! the database holds without being told. Each through the real binary, as a user sees it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{TempStore, busy_store, copy_dir, files_of};

fn db(tmp: &TempStore) -> PathBuf {
    tmp.dir().join("db")
}

/// sled's snapshot files in the store (`snap.…`), by name.
fn snapshots(tmp: &TempStore) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(db(tmp))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("snap."))
        .collect();
    names.sort();
    names
}

/// A snapshot name with a higher log position than `name` (so sled would pick it).
fn later(name: &str) -> String {
    let lsn = u64::from_str_radix(name.trim_start_matches("snap."), 16).unwrap();
    format!("snap.{:016X}.generating", lsn + 4096)
}

fn listing(tmp: &TempStore) -> String {
    tmp.ok(&["case", "list", "--all", "--json", "--unmasked"])
}

/// Each crash state a kill or a power cut can leave in sled's folder, alone and together:
/// the next command opens the store by itself, says in one line what it cleaned up, shows
/// everything that was confirmed, and `check` passes.
#[test]
fn the_store_opens_by_itself_after_any_sled_leftover() {
    let base = busy_store();
    let expected = listing(&base);
    let snaps = snapshots(&base);
    assert_eq!(
        snaps.len(),
        1,
        "one snapshot after a clean close: {snaps:?}"
    );
    let snap = snaps[0].clone();
    let whole = fs::read(db(&base).join(&snap)).unwrap();

    type Damage = Box<dyn Fn(&Path)>;
    let states: Vec<(&str, Damage)> = vec![
        (
            "an empty snap.*.generating",
            Box::new({
                let snap = snap.clone();
                move |db: &Path| fs::write(db.join(later(&snap)), b"").unwrap()
            }),
        ),
        (
            "a cut snap.*.generating",
            Box::new({
                let (snap, whole) = (snap.clone(), whole.clone());
                move |db: &Path| {
                    fs::write(db.join(later(&snap)), &whole[..whole.len() / 2]).unwrap()
                }
            }),
        ),
        (
            "db/conf missing its last bytes",
            Box::new(|db: &Path| {
                let conf = fs::read(db.join("conf")).unwrap();
                fs::write(db.join("conf"), &conf[..conf.len() - 3]).unwrap();
            }),
        ),
        (
            "a lost rename of the snapshot inside db/",
            Box::new({
                let snap = snap.clone();
                move |db: &Path| {
                    fs::rename(db.join(&snap), db.join(format!("{snap}.generating"))).unwrap()
                }
            }),
        ),
        (
            "all of them",
            Box::new({
                let (snap, whole) = (snap.clone(), whole.clone());
                move |db: &Path| {
                    fs::rename(db.join(&snap), db.join(format!("{snap}.generating"))).unwrap();
                    fs::write(db.join(later(&snap)), &whole[..whole.len() / 3]).unwrap();
                    let conf = fs::read(db.join("conf")).unwrap();
                    fs::write(db.join("conf"), &conf[..conf.len() - 1]).unwrap();
                }
            }),
        ),
    ];
    for (what, damage) in states {
        let tmp = TempStore::new();
        copy_dir(&base.dir(), &tmp.dir());
        damage(&db(&tmp));
        let run = tmp.run(&["case", "list", "--all", "--json", "--unmasked"]);
        assert!(run.success(), "{what}: {}", run.stderr);
        assert_eq!(run.stdout, expected, "{what}");
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{what}: one line: {}", run.stderr);
        assert!(
            lines[0].starts_with("casedesk: cleaned up after an interrupted run"),
            "{what}: {}",
            run.stderr
        );
        assert!(
            !snapshots(&tmp).iter().any(|s| s.ends_with(".generating")),
            "{what}"
        );
        // Nothing is left to clean up, and nothing was lost.
        let again = tmp.run(&["case", "list", "--all", "--json", "--unmasked"]);
        assert_eq!(again.stderr, "", "{what}");
        let check = tmp.ok(&["check"]);
        assert!(
            check.starts_with("ok: 5 journal entries"),
            "{what}: {check}"
        );
        tmp.ok(&["note", "add", "2026-0001", "다시 통화"]);
        assert!(
            tmp.ok(&["check"]).starts_with("ok: 6 journal entries"),
            "{what}"
        );
    }
}

/// A rebuild or a compaction killed half-way leaves a `db.new` folder: the next command removes
/// an unfinished one, or puts a finished one in place when the old folder was already moved.
#[test]
fn an_interrupted_rebuild_is_finished_or_undone_by_the_next_command() {
    let base = busy_store();
    let expected = listing(&base);
    // Unfinished: a partial db.new beside the real db.
    let tmp = TempStore::new();
    copy_dir(&base.dir(), &tmp.dir());
    copy_dir(&db(&base), &tmp.dir().join("db.new"));
    fs::write(tmp.dir().join("db.new").join("db"), b"half").unwrap();
    let run = tmp.run(&["case", "list", "--all", "--json", "--unmasked"]);
    assert!(run.success(), "{}", run.stderr);
    assert_eq!(run.stdout, expected);
    assert!(
        run.stderr
            .contains("removed an unfinished database rebuild"),
        "{}",
        run.stderr
    );
    assert!(!tmp.dir().join("db.new").exists());
    // Finished and sealed, the old folder already moved away: it is put in place.
    let tmp = TempStore::new();
    copy_dir(&base.dir(), &tmp.dir());
    fs::rename(db(&tmp), tmp.dir().join("db.new")).unwrap();
    fs::write(tmp.dir().join("db.new").join("casedesk.complete"), b"").unwrap();
    let run = tmp.run(&["case", "list", "--all", "--json", "--unmasked"]);
    assert!(run.success(), "{}", run.stderr);
    assert_eq!(run.stdout, expected);
    assert!(
        run.stderr.contains("put a finished database rebuild"),
        "{}",
        run.stderr
    );
    assert!(tmp.ok(&["check"]).starts_with("ok: 5 journal entries"));
}

fn journal(tmp: &TempStore) -> Vec<u8> {
    fs::read(tmp.dir().join("journal.jsonl")).unwrap()
}

fn quarantine_files(tmp: &TempStore) -> Vec<PathBuf> {
    fs::read_dir(tmp.dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("journal.jsonl.quarantined-"))
        .collect()
}

/// Whatever ends up after the journal's last confirmed line — a blank line, a CRLF, a line of
/// garbage, a duplicated line, a line of NUL bytes a power cut left (ending in a newline) or a
/// line cut short — is moved to a quarantine file beside the journal, reported with its line
/// and position; the store opens and takes new changes, and `check` passes.
#[test]
fn damage_at_the_journals_end_is_moved_to_quarantine_and_the_store_opens() {
    let base = busy_store();
    let expected = listing(&base);
    let good = journal(&base);
    let last_line = {
        let text = String::from_utf8(good.clone()).unwrap();
        format!("{}\n", text.lines().last().unwrap())
    };
    let tails: Vec<(&str, Vec<u8>)> = vec![
        ("a blank line", b"\n".to_vec()),
        ("a CRLF", b"\r\n".to_vec()),
        (
            "a line of garbage",
            b"this is not a journal line\n".to_vec(),
        ),
        ("a duplicated line", last_line.into_bytes()),
        ("a NUL-filled line", {
            let mut nul = vec![0u8; 300];
            nul.push(b'\n');
            nul
        }),
        (
            "a line cut short",
            br#"{"v":1,"seq":6,"at":"2026-11-28T1"#.to_vec(),
        ),
        ("garbage and NULs", {
            let mut t = b"\0\0\0\0garbage\n".to_vec();
            t.extend_from_slice(b"\n\r\n");
            t
        }),
    ];
    for (what, tail) in tails {
        let tmp = TempStore::new();
        copy_dir(&base.dir(), &tmp.dir());
        let mut damaged = good.clone();
        damaged.extend_from_slice(&tail);
        fs::write(tmp.dir().join("journal.jsonl"), &damaged).unwrap();
        let run = tmp.run(&["case", "list", "--all", "--json", "--unmasked"]);
        assert!(run.success(), "{what}: {}", run.stderr);
        assert_eq!(run.stdout, expected, "{what}");
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{what}: {}", run.stderr);
        let offset = common_thousands(good.len() as u64);
        assert!(
            lines[0].contains(&format!("the journal's end from line 6 (byte {offset}")),
            "{what}: {}",
            run.stderr
        );
        let files = quarantine_files(&tmp);
        assert_eq!(files.len(), 1, "{what}");
        assert!(lines[0].contains(&files[0].display().to_string()), "{what}");
        assert_eq!(
            fs::read(&files[0]).unwrap(),
            tail,
            "{what}: the bytes are kept"
        );
        assert_eq!(
            journal(&tmp),
            good,
            "{what}: the journal ends at its last good line"
        );
        tmp.ok(&["note", "add", "2026-0001", "다시 통화"]);
        let check = tmp.ok(&["check"]);
        assert!(
            check.starts_with("ok: 6 journal entries"),
            "{what}: {check}"
        );
    }
}

fn common_thousands(n: u64) -> String {
    casedesk::fsio::thousands(n)
}

/// Damage in the middle of the journal (a changed line with confirmed lines after it) is not
/// quarantined: the store opens read-only — lists work, changes are refused with the line —
/// and `check` names the line.
#[test]
fn damage_in_the_journals_middle_opens_read_only_and_check_names_the_line() {
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
    // The database as it was after line 2; lines 3 to 5 follow in the journal only.
    let saved = tmp.tmp.path().join("db-after-2");
    copy_dir(&db(&tmp), &saved);
    for name in ["김철수", "이영희", "박민수"] {
        tmp.ok(&[
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
        ]);
    }
    let text = String::from_utf8(journal(&tmp)).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[3] = lines[3].replace("이영희", "이영이");
    fs::write(
        tmp.dir().join("journal.jsonl"),
        lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
    )
    .unwrap();
    fs::remove_dir_all(db(&tmp)).unwrap();
    copy_dir(&saved, &db(&tmp));
    let _ = fs::remove_file(tmp.dir().join("state.cache"));

    let run = tmp.run(&["case", "list", "--unmasked"]);
    assert!(run.success(), "{}", run.stderr);
    assert!(
        run.stdout.contains("김철수"),
        "line 3 is applied: {}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("박민수"),
        "nothing after the damage: {}",
        run.stdout
    );
    assert!(
        run.stderr.contains("the journal is damaged at line 4") && run.stderr.contains("read-only"),
        "{}",
        run.stderr
    );
    let err = tmp.fails(&["note", "add", "2026-0001", "통화"]);
    assert!(
        err.contains("damaged at line 4") && err.contains("read-only"),
        "{err}"
    );
    let check = tmp.run(&["check"]);
    assert_eq!(check.code, Some(1));
    assert!(
        check
            .stdout
            .contains("journal line 4: its content does not match its hash"),
        "{}",
        check.stdout
    );
    assert!(
        quarantine_files(&tmp).is_empty(),
        "confirmed lines are never moved aside"
    );
}

/// The journal lost its last lines (cut short, or an older copy put back) while the database
/// kept them: the store does not open over it, `check` names the records only the database
/// holds, `check --rebuild` refuses and changes nothing, and `--discard-newer` rebuilds,
/// keeping the old files and those records aside.
#[test]
fn a_rebuild_never_drops_what_only_the_database_holds_without_being_told() {
    let tmp = busy_store();
    let text = String::from_utf8(journal(&tmp)).unwrap();
    let kept: String = text.lines().take(3).map(|l| format!("{l}\n")).collect();
    fs::write(tmp.dir().join("journal.jsonl"), &kept).unwrap();

    let err = tmp.fails(&["case", "list"]);
    assert!(
        err.contains("the database holds changes the journal lacks"),
        "{err}"
    );
    let check = tmp.run(&["check"]);
    assert_eq!(check.code, Some(1));
    assert!(
        check
            .stdout
            .contains("has applied journal entries up to 5, but the journal ends at 3"),
        "{}",
        check.stdout
    );
    assert!(
        check
            .stdout
            .contains("actions 2026-0001/2: in sled but not in the journal")
            && check
                .stdout
                .contains("notes 2026-0001/1: in sled but not in the journal"),
        "{}",
        check.stdout
    );

    let before = files_of(&tmp.dir());
    let err = tmp.fails(&["check", "--rebuild"]);
    assert!(
        err.contains("not rebuilt")
            && err.contains("actions 2026-0001/2")
            && err.contains("notes 2026-0001/1")
            && err.contains("--discard-newer"),
        "{err}"
    );
    assert_eq!(
        files_of(&tmp.dir()),
        before,
        "a refused rebuild changes nothing"
    );

    let out = tmp.ok(&["check", "--rebuild", "--discard-newer"]);
    assert!(
        out.contains("rebuilt the store from 3 journal entries"),
        "{out}"
    );
    assert!(
        out.contains("dropped") && out.contains("notes 2026-0001/1"),
        "{out}"
    );
    assert!(out.contains("ok: 3 journal entries"), "{out}");
    let aside = fs::read_dir(tmp.dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("db.damaged-"))
        .expect("old files kept");
    let saved = fs::read_to_string(aside.join("newer-than-journal.jsonl")).unwrap();
    assert!(
        saved.contains("보호자와 통화"),
        "the dropped note is kept: {saved}"
    );
    assert!(out.contains(&aside.display().to_string()), "{out}");
}

/// Bytes flipped in the record cache (a school 한빛 becomes 한별) change nothing: the cache no
/// longer matches its checksum, so it is not used, `check` says it removed it, and the next
/// change saves the truth.
#[test]
fn a_damaged_record_cache_changes_nothing_and_check_says_so() {
    let tmp = busy_store();
    let cache = tmp.dir().join("state.cache");
    let bytes = fs::read(&cache).unwrap();
    let from = "한빛초".as_bytes();
    let to = "한별초".as_bytes();
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("the school is in the cache");
    let mut flipped = bytes.clone();
    flipped[at..at + to.len()].copy_from_slice(to);
    fs::write(&cache, &flipped).unwrap();

    let shown = tmp.ok(&["case", "show", "2026-0001", "--json"]);
    assert!(
        shown.contains("한빛초") && !shown.contains("한별초"),
        "{shown}"
    );
    tmp.ok(&["case", "set", "2026-0001", "--level", "고위기"]);
    let shown = tmp.ok(&["case", "show", "2026-0001", "--json"]);
    assert!(
        shown.contains("한빛초") && !shown.contains("한별초"),
        "{shown}"
    );
    assert!(tmp.ok(&["check"]).starts_with("ok: 6 journal entries"));

    // Damaged while nothing else happens: `check` finds it and removes it.
    let bytes = fs::read(&cache).unwrap();
    let at = bytes.windows(from.len()).position(|w| w == from).unwrap();
    let mut flipped = bytes.clone();
    flipped[at..at + to.len()].copy_from_slice(to);
    fs::write(&cache, &flipped).unwrap();
    let out = tmp.ok(&["check"]);
    assert!(
        out.contains("repaired: the record cache (state.cache) did not match its checksum"),
        "{out}"
    );
    assert!(!cache.exists());
}

/// After a session that changed something, commands that only read — lists, show, export,
/// check, backup — leave every file of the store exactly as it was, and add none.
#[test]
fn reading_writes_nothing() {
    let tmp = TempStore::new();
    tmp.ok(&["demo", "--cases", "60", "--seed", "5"]);
    tmp.ok(&["note", "add", "2025-0001", "다시 통화"]);
    let before = files_of(&tmp.dir());
    let backup = tmp.tmp.path().join("b.jsonl");
    for args in [
        vec!["case", "list"],
        vec!["case", "show", "2025-0001"],
        vec!["action", "list", "--overdue"],
        vec!["team", "list"],
        vec!["export", "cases"],
        vec!["check"],
        vec!["backup", backup.to_str().unwrap()],
        vec![],
    ] {
        tmp.ok(&args);
        assert_eq!(
            common::changed_files(&before, &files_of(&tmp.dir())),
            Vec::<String>::new(),
            "{args:?} changed these files"
        );
    }
}
