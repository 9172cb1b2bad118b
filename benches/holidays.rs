//! Holiday calendar benchmarks (not tests): working out a year's days off, counting business
//! days near and far, the preview line of a date, and a whole `casedesk holidays` process.
//! Prints medians.
//!
//! `cargo bench --bench holidays`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::time::{Duration, Instant};

use casedesk::domain::holidays::{Calendar, OfficeDay};
use casedesk::i18n::Lang;
use chrono::NaiveDate;
use common::{binary, median};

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The median of `runs` timings of `f`.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(f());
                started.elapsed()
            })
            .collect(),
    )
}

fn main() {
    // `cargo test` also runs benches once with --bench absent; stay quick there.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let office = Calendar::with_office_days(
        (0..20)
            .map(|i| OfficeDay {
                date: ymd(2026, 1, 5) + chrono::TimeDelta::days(i * 17),
                name: "휴무".into(),
                name_en: None,
                origin: "bench".into(),
            })
            .collect(),
    );
    // The first time a year is asked for, it is worked out (lunar conversion, substitutes,
    // elections); afterwards it is kept. Each year below is asked for once.
    let cold: Vec<Duration> = (2031..2051)
        .map(|year| {
            let started = Instant::now();
            std::hint::black_box(office.days_off(year));
            started.elapsed()
        })
        .collect();
    println!(
        "a year's days off, first time (20 years): {}",
        us(median(cold))
    );
    println!(
        "a year's days off, kept: {}",
        us(time(1000, || office.days_off(2027)))
    );
    println!(
        "is_business_day: {}",
        us(time(10_000, || office.is_business_day(ymd(2027, 5, 3))))
    );
    println!(
        "parse '+5bd': {}",
        us(time(10_000, || office
            .parse_date_ahead("+5bd", ymd(2026, 12, 28))))
    );
    println!(
        "+250 business days (a year): {}",
        us(time(1000, || office.add_business_days(ymd(2026, 11, 30), 250)))
    );
    println!(
        "+1,000,000 business days (about 4,000 years: 400-year cycles): {}",
        us(time(100, || office
            .add_business_days(ymd(2026, 11, 30), 1_000_000)))
    );
    println!(
        "+i64::MAX business days (stops at the last date): {}",
        us(time(100, || office
            .add_business_days(ymd(2026, 11, 30), i64::MAX)))
    );
    println!(
        "preview line of a date: {}",
        us(time(10_000, || office.describe(ymd(2027, 5, 3), Lang::Ko)))
    );

    let dir = tempfile::tempdir().unwrap();
    let runs: Vec<Duration> = (0..10)
        .map(|_| {
            let started = Instant::now();
            let out = binary(&dir.path().join("store"), &["holidays", "2027"]);
            assert!(out.status.success());
            started.elapsed()
        })
        .collect();
    println!(
        "whole process `casedesk holidays 2027`: {:.1} ms",
        median(runs).as_secs_f64() * 1000.0
    );
}
