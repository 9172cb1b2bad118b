//! `casedesk backup` and `restore`: a backup taken while another casedesk has the store open and
//! is writing restores to a store that `check` passes; a damaged or cut backup, a non-empty
//! target and an existing output file are refused and leave nothing behind.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::os::unix::fs::PermissionsExt;

use casedesk::domain::vocab::NoteKind;
use casedesk::domain::{CaseNumber, Command};
use casedesk::store::Store;
use common::{TempStore, ctx, new_case, run_in};

fn listing(dir: &std::path::Path) -> (String, String) {
    let cases = run_in(dir, &["case", "list", "--all", "--json", "--unmasked"], &[]);
    let actions = run_in(dir, &["action", "list", "--all", "--json"], &[]);
    assert!(cases.success(), "{}", cases.stderr);
    (cases.stdout, actions.stdout)
}

fn demo_store() -> TempStore {
    let store = TempStore::new();
    store.ok(&["demo", "--cases", "40", "--seed", "3"]);
    store.ok(&["note", "add", "2026-0001", "보호자 통화", "--restricted"]);
    store
}

#[test]
fn a_backup_restores_to_the_same_store_and_check_passes() {
    let store = demo_store();
    let file = store.tmp.path().join("b.jsonl");
    let out = store.ok(&["backup", file.to_str().unwrap()]);
    assert!(out.contains("journal entries"), "{out}");
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // The backup is the journal, byte for byte.
    assert_eq!(
        std::fs::read(&file).unwrap(),
        std::fs::read(store.dir().join("journal.jsonl")).unwrap()
    );
    let target = store.tmp.path().join("restored");
    let run = run_in(&target, &["restore", file.to_str().unwrap()], &[]);
    assert!(run.success(), "{}", run.stderr);
    assert!(run.stdout.contains("restored into"), "{}", run.stdout);
    assert!(run.stdout.contains("ok: "), "{}", run.stdout);
    assert_eq!(
        std::fs::metadata(&target).unwrap().permissions().mode() & 0o777,
        0o700
    );
    assert_eq!(
        std::fs::metadata(target.join("journal.jsonl"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
    assert_eq!(listing(&store.dir()), listing(&target));
    let notes = run_in(&target, &["case", "show", "2026-0001", "--unmasked"], &[]).stdout;
    assert!(notes.contains("보호자 통화"), "{notes}");
    assert!(run_in(&target, &["check"], &[]).success());
}

#[test]
fn a_backup_never_overwrites_and_a_restore_needs_an_empty_directory() {
    let store = demo_store();
    let file = store.tmp.path().join("b.jsonl");
    std::fs::write(&file, "keep").unwrap();
    let err = store.fails(&["backup", file.to_str().unwrap()]);
    assert!(err.contains("exists already"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
    std::fs::remove_file(&file).unwrap();
    store.ok(&["backup", file.to_str().unwrap()]);
    // Into the live store's own directory: refused, and the store is untouched.
    let before = std::fs::read(store.dir().join("journal.jsonl")).unwrap();
    let err = store.fails(&["restore", file.to_str().unwrap()]);
    assert!(err.contains("is not empty"), "{err}");
    assert_eq!(
        std::fs::read(store.dir().join("journal.jsonl")).unwrap(),
        before
    );
    store.ok(&["check"]);
}

#[test]
fn a_damaged_or_cut_backup_is_refused_and_leaves_nothing() {
    let store = demo_store();
    let file = store.tmp.path().join("b.jsonl");
    store.ok(&["backup", file.to_str().unwrap()]);
    let good = std::fs::read_to_string(&file).unwrap();

    let tampered = good.replacen("보호자 통화", "보호자 면담", 1);
    assert_ne!(tampered, good);
    let bad = store.tmp.path().join("tampered.jsonl");
    std::fs::write(&bad, tampered).unwrap();
    let target = store.tmp.path().join("r1");
    let run = run_in(&target, &["restore", bad.to_str().unwrap()], &[]);
    assert_eq!(run.code, Some(1));
    let lines = good.lines().count();
    assert!(
        run.stderr
            .contains(&format!("line {lines} of the backup is bad"))
            && run.stderr.contains("does not match its hash"),
        "{}",
        run.stderr
    );
    assert!(!target.exists());

    let cut = store.tmp.path().join("cut.jsonl");
    std::fs::write(&cut, &good.as_bytes()[..good.len() - 10]).unwrap();
    let target = store.tmp.path().join("r2");
    std::fs::create_dir(&target).unwrap();
    let run = run_in(&target, &["restore", cut.to_str().unwrap()], &[]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("cut short"), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(&target).unwrap().count(), 0);

    // A line left out of the middle breaks the chain.
    let mut lines: Vec<&str> = good.lines().collect();
    lines.remove(3);
    let gap = store.tmp.path().join("gap.jsonl");
    std::fs::write(&gap, lines.join("\n") + "\n").unwrap();
    let run = run_in(
        &store.tmp.path().join("r3"),
        &["restore", gap.to_str().unwrap()],
        &[],
    );
    assert!(
        run.stderr.contains("line 4 of the backup is bad"),
        "{}",
        run.stderr
    );

    let empty = store.tmp.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let run = run_in(
        &store.tmp.path().join("r4"),
        &["restore", empty.to_str().unwrap()],
        &[],
    );
    assert!(
        run.stderr.contains("holds no journal lines"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_backup_taken_while_another_casedesk_writes_restores_and_checks() {
    let store = TempStore::initialised();
    let dir = store.dir();
    let mut open = Store::open(&dir).unwrap();
    // The store is open (and locked) here; other casedesks cannot open it, but can back it up.
    let busy = run_in(&dir, &["check"], &[]);
    assert!(busy.stderr.contains("in use"), "{}", busy.stderr);
    let writer = std::thread::spawn(move || {
        for i in 0..12 {
            let receipt = open
                .execute(
                    Command::CreateCase {
                        case: new_case(&format!("학생{i}"), "WEE", &[]),
                    },
                    &ctx(),
                )
                .unwrap();
            let number = match receipt.outcome {
                casedesk::domain::Outcome::Case { number } => number,
                _ => CaseNumber { year: 2026, seq: 1 },
            };
            // A batch too, so a backup may see one half-written.
            let notes = (0..20).map(|n| {
                (
                    Command::AddNote {
                        case: number,
                        kind: NoteKind::Note,
                        text: format!("기록 {n}"),
                        restricted: false,
                    },
                    ctx(),
                )
            });
            open.execute_all(notes).unwrap();
        }
        open
    });
    let mut backups = Vec::new();
    for i in 0..6 {
        let file = store.tmp.path().join(format!("b{i}.jsonl"));
        let run = run_in(&dir, &["backup", file.to_str().unwrap()], &[]);
        assert!(run.success(), "{}", run.stderr);
        backups.push(file);
    }
    let open = writer.join().unwrap();
    drop(open);
    let last = store.tmp.path().join("last.jsonl");
    store.ok(&["backup", last.to_str().unwrap()]);
    backups.push(last);
    let mut sizes = Vec::new();
    for (i, file) in backups.iter().enumerate() {
        let target = store.tmp.path().join(format!("r{i}"));
        let run = run_in(&target, &["restore", file.to_str().unwrap()], &[]);
        assert!(run.success(), "backup {i}: {}", run.stderr);
        assert!(run_in(&target, &["check"], &[]).success());
        // No half batch: every restored case has 0 or all 20 of its notes.
        let text = std::fs::read_to_string(file).unwrap();
        let notes = text.matches("\"type\":\"add_note\"").count();
        assert_eq!(notes % 20, 0, "backup {i} holds part of a batch");
        sizes.push(text.lines().count());
    }
    // Backups taken later hold at least as much, and the last one holds everything.
    assert!(sizes.windows(2).all(|w| w[0] <= w[1]), "{sizes:?}");
    assert_eq!(*sizes.last().unwrap(), 1 + 12 * 21);
    assert_eq!(
        listing(&dir),
        listing(&store.tmp.path().join(format!("r{}", backups.len() - 1)))
    );
}
