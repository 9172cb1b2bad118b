//! What the benchmarks share: the fixed clock, medians, running the real binary, and the demo
//! stores made once under target/. Not a benchmark itself.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    dead_code
)]

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, Instant};

/// The fixed "now" every benchmark runs at.
pub const NOW: &str = "2026-11-28T10:00:00+09:00";

/// The median of the samples.
pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Runs the binary on the store in `dir` at the fixed clock, in English, with the store in its
/// own process (no server).
pub fn binary(dir: &Path, args: &[&str]) -> std::process::Output {
    Process::new(env!("CARGO_BIN_EXE_casedesk"))
        .args(args)
        .env("CASEDESK_DB", dir)
        .env("CASEDESK_NOW", NOW)
        .env("LANG", "C")
        .env("CASEDESK_NO_SERVER", "1")
        .env("XDG_STATE_HOME", dir.with_file_name("state"))
        .output()
        .unwrap()
}

/// Runs the binary as a client of the server on the store in `dir`.
pub fn client(dir: &Path, args: &[&str]) -> std::process::Output {
    Process::new(env!("CARGO_BIN_EXE_casedesk"))
        .args(args)
        .env("CASEDESK_DB", dir)
        .env("CASEDESK_NOW", NOW)
        .env("LANG", "C")
        .env_remove("CASEDESK_NO_SERVER")
        .env("XDG_STATE_HOME", dir.with_file_name("state"))
        .output()
        .unwrap()
}

/// The sample at fraction `q` (0.99 for the 99th percentile).
pub fn quantile(mut samples: Vec<Duration>, q: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
    samples[i.min(samples.len() - 1)]
}

/// A demo store of `cases` cases (seed 1), made once with the real binary and kept.
pub fn demo_store(cases: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-demo-{cases}"));
    let ready = dir.join("ready");
    if !ready.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!("making a demo store of {cases} cases (once)…");
        let started = Instant::now();
        let out = binary(
            &dir,
            &["demo", "--cases", &cases.to_string(), "--seed", "1"],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!(
            "  {} in {:.1} s",
            String::from_utf8_lossy(&out.stdout).trim(),
            started.elapsed().as_secs_f64()
        );
        std::fs::write(&ready, b"").unwrap();
    }
    dir
}
