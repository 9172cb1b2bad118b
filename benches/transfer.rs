//! Data in and out benchmarks (not tests): `casedesk import` of 10,000 application rows (UTF-8
//! and CP949); `backup` and `restore` of a 100,000-case demo store; the month's statistics on
//! it (`report`, and reading every action plus counting, as the statistics screen does). Prints
//! medians.
//!
//! `cargo bench --bench transfer` (store size: `CASEDESK_BENCH_BACKUP_CASES=100000`, the default).
//! The demo store is made once with the real binary and kept under target/ for later runs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{binary, demo_store, median};

const ROWS: usize = 10_000;

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// Runs the binary and insists on success.
fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = binary(dir, args);
    assert!(
        out.status.success(),
        "casedesk {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Synthetic applications: made-up names from syllables, as the demo generator's are.
fn applications(rows: usize) -> String {
    const FAMILY: &[&str] = &["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"];
    const GIVEN: &[&str] = &[
        "하늘", "바다", "솔", "별", "나래", "다온", "시우", "하람", "누리", "한결",
    ];
    const SCHOOLS: &[&str] = &["한빛초등학교", "별빛중학교", "해오름고등학교", "느티중학교"];
    const DOMAINS: &[&str] = &["학업", "심리·정서", "돌봄·안전·건강", "경제·생활"];
    const ITEMS: &[&str] = &[
        "우울",
        "불안",
        "기초학습 부족",
        "결식",
        "양육환경",
        "경제적 어려움",
    ];
    let mut text = String::from(
        "학생 이름,학교,학년,반,생년월일,성별,의뢰자,어려움 영역,세부 항목,배경 항목,신청 사유,요청 지원\n",
    );
    for i in 0..rows {
        let name = format!(
            "{}{}{}",
            FAMILY[i % FAMILY.len()],
            GIVEN[(i / 10) % GIVEN.len()],
            GIVEN[(i / 100) % GIVEN.len()]
        );
        text.push_str(&format!(
            "{name},{},{},{},2014-{:02}-{:02},{},담임교사,{},\"{}, {}\",한부모,출결 불안정과 정서 지원 필요,주 1회 상담\n",
            SCHOOLS[i % SCHOOLS.len()],
            i % 6 + 1,
            i % 9 + 1,
            i % 12 + 1,
            i % 28 + 1,
            if i % 2 == 0 { "남" } else { "여" },
            DOMAINS[i % DOMAINS.len()],
            ITEMS[i % ITEMS.len()],
            ITEMS[(i + 1) % ITEMS.len()],
        ));
    }
    text
}

fn bench_import(scratch: &Path) {
    let text = applications(ROWS);
    let utf8 = scratch.join("apps-utf8.csv");
    std::fs::write(&utf8, &text).unwrap();
    let cp949 = scratch.join("apps-cp949.csv");
    std::fs::write(&cp949, encoding_rs::EUC_KR.encode(&text).0).unwrap();
    for (file, label) in [(&utf8, "UTF-8"), (&cp949, "CP949")] {
        let mut runs = Vec::new();
        let mut dry = Vec::new();
        for i in 0..3 {
            let dir = scratch.join(format!("import-{label}-{i}"));
            run(&dir, &["init", "--office", "벤치"]);
            let started = Instant::now();
            run(&dir, &["import", file.to_str().unwrap(), "--dry-run"]);
            dry.push(started.elapsed());
            let started = Instant::now();
            let out = run(&dir, &["import", file.to_str().unwrap()]);
            runs.push(started.elapsed());
            assert!(
                String::from_utf8_lossy(&out.stdout).contains(&format!("imported {ROWS} cases"))
            );
            let _ = std::fs::remove_dir_all(&dir);
        }
        println!(
            "import {ROWS} rows ({label}, {} KiB): whole process median {} (dry run {})",
            std::fs::metadata(file).unwrap().len() / 1024,
            secs(median(runs)),
            secs(median(dry)),
        );
    }
}

fn bench_report(store: &Path, cases: usize) {
    let mut reports = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        run(store, &["report", "--month", "2026-11"]);
        reports.push(started.elapsed());
    }
    let opened = casedesk::store::Store::open(store).unwrap();
    let mut screen = Vec::new();
    let mut counts = Vec::new();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let mut store = opened;
    for _ in 0..3 {
        let started = Instant::now();
        let actions = store.all_actions().unwrap();
        let state = store.state().unwrap();
        let month = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let counted = Instant::now();
        casedesk::domain::stats::month_stats(
            state.cases.values(),
            &actions,
            state.conferences.values(),
            month,
            today,
        );
        counts.push(counted.elapsed());
        screen.push(started.elapsed());
    }
    println!(
        "{cases}-case store: `report --month` whole process median {} | statistics screen (read every action + count) median {} of which counting {:.0} ms",
        secs(median(reports)),
        secs(median(screen)),
        median(counts).as_secs_f64() * 1000.0,
    );
}

fn bench_backup(scratch: &Path, cases: usize) {
    let store = demo_store(cases);
    bench_report(&store, cases);
    let journal = std::fs::metadata(store.join("journal.jsonl"))
        .unwrap()
        .len();
    let mut backups = Vec::new();
    let mut restores = Vec::new();
    let mut checks = Vec::new();
    for i in 0..3 {
        let file = scratch.join(format!("backup-{i}.jsonl"));
        let started = Instant::now();
        run(&store, &["backup", file.to_str().unwrap()]);
        backups.push(started.elapsed());
        let target = scratch.join(format!("restored-{i}"));
        // The library call alone (verify + rebuild), then the command's own check.
        let started = Instant::now();
        let report = casedesk::transfer::backup::restore(&file, &target).unwrap();
        restores.push(started.elapsed());
        assert_eq!(report.cases, cases);
        let started = Instant::now();
        run(&target, &["check"]);
        checks.push(started.elapsed());
        let _ = std::fs::remove_dir_all(&target);
        let _ = std::fs::remove_file(&file);
    }
    println!(
        "{cases}-case store (journal {} MiB): backup whole process median {} | restore (verify + rebuild) median {} | `check` of the restored store median {}",
        journal >> 20,
        secs(median(backups)),
        secs(median(restores)),
        secs(median(checks)),
    );
}

fn main() {
    // `cargo test` also runs benches once with --bench absent; stay quick there.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let scratch = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    bench_import(scratch.path());
    let cases = std::env::var("CASEDESK_BENCH_BACKUP_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    bench_backup(scratch.path(), cases);
}
