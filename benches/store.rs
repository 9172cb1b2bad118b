//! Store benchmarks (not tests): open and load a demo store of 10,000 and 100,000 cases,
//! `action list --overdue` on each, and one durable command. Prints medians.
//!
//! `cargo bench --bench store` (sizes: `CASEDESK_BENCH_SIZES=10000,100000`, the default).
//! Demo stores are made once with the real binary and kept under target/ for later runs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{NOW, binary, demo_store, median};

use casedesk::domain::vocab::NoteKind;
use casedesk::domain::{Command, Ctx};
use casedesk::store::Store;
use chrono::DateTime;

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn copy_dir(from: &Path, to: &Path) {
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

fn main() {
    // `cargo test` also runs benches once with --bench absent; stay quick there.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let sizes: Vec<usize> = std::env::var("CASEDESK_BENCH_SIZES")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    for cases in sizes {
        let dir = demo_store(cases);
        let journal_mb = std::fs::metadata(dir.join("journal.jsonl"))
            .map(|m| m.len())
            .unwrap_or(0)
            / (1 << 20);
        // Open and load from the JSON records in sled (no cache), then with the record cache
        // the previous close left.
        let mut cold = Vec::new();
        let mut opens = Vec::new();
        let mut counts = (0, 0);
        for _ in 0..5 {
            let _ = std::fs::remove_file(dir.join(casedesk::store::cache::CACHE_FILE));
            let started = Instant::now();
            let mut store = Store::open(&dir).unwrap();
            let state = store.state().unwrap();
            cold.push(started.elapsed());
            counts = (state.cases.len(), state.actions.len());
        }
        for _ in 0..7 {
            let started = Instant::now();
            let mut store = Store::open(&dir).unwrap();
            store.state().unwrap();
            opens.push(started.elapsed());
        }
        // What a person feels: a whole `casedesk` process that opens, loads everything and
        // prints the overview.
        let mut fresh = Vec::new();
        for _ in 0..7 {
            let started = Instant::now();
            let out = binary(&dir, &[]);
            fresh.push(started.elapsed());
            assert!(out.status.success());
        }
        let mut overdue = Vec::new();
        let mut listed = 0;
        for _ in 0..7 {
            let started = Instant::now();
            let out = binary(&dir, &["action", "list", "--overdue"]);
            overdue.push(started.elapsed());
            assert!(out.status.success());
            listed = out
                .stdout
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                .saturating_sub(1);
        }
        // Durable commands go to a copy made for this run, so the cached store never drifts.
        let scratch = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let copy = scratch.path().join("store");
        copy_dir(&dir, &copy);
        let mut store = Store::open(&copy).unwrap();
        let case = *store.state().unwrap().cases.keys().next().unwrap();
        let ctx = Ctx {
            at: DateTime::parse_from_rfc3339(NOW).unwrap(),
            user: "bench".into(),
        };
        let mut commands = Vec::new();
        for i in 0..200 {
            let cmd = Command::AddNote {
                case,
                kind: NoteKind::Note,
                text: format!("bench {i}"),
                restricted: false,
            };
            let started = Instant::now();
            store.execute(cmd, &ctx).unwrap();
            commands.push(started.elapsed());
        }
        drop(store);
        println!(
            "{cases} cases ({} cases, {} actions loaded; journal {journal_mb} MiB): open+load median {} from sled, {} with the record cache (in process) | whole `casedesk` overview process median {} | `action list --overdue` ({listed} rows) median {} | one durable command median {} (max {})",
            counts.0,
            counts.1,
            ms(median(cold)),
            ms(median(opens)),
            ms(median(fresh)),
            ms(median(overdue)),
            ms(median(commands.clone())),
            ms(*commands.iter().max().unwrap()),
        );
    }
}
