//! `casedesk holidays [YEAR]`: a year's days off — the law's, the data file's and the office's
//! own — with where each comes from, as a table or JSON.

use chrono::Datelike;
use serde_json::{Value, json};

use super::env::{Env, closing_days_file};
use super::error::CliError;
use super::out::{Out, put, put_json};
use crate::domain::holidays::{Calendar, DayOff, FIRST_YEAR};
use crate::i18n::{Lang, Localize};

/// The last year a day off is worked out for (four-digit years).
const LAST_YEAR: i32 = 9999;

pub(super) fn run(env: &Env, year: Option<i32>, json: bool, out: Out) -> Result<(), CliError> {
    let year = year.unwrap_or_else(|| env.today().year());
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Err(CliError::BadYear { year });
    }
    let calendar = env.calendar()?;
    let days = calendar.days_off(year);
    if json {
        put_json(out, &as_json(&calendar, year, &days))
    } else {
        put(out, &as_table(&calendar, year, &days, env.lang))
    }
}

fn as_table(calendar: &Calendar, year: i32, days: &[DayOff], lang: Lang) -> String {
    let header = match lang {
        Lang::Ko => ["날짜", "휴일", "구분", "근거"],
        Lang::En => ["date", "day off", "from", "basis"],
    };
    let rows: Vec<Vec<String>> = days
        .iter()
        .map(|d| {
            vec![
                crate::i18n::day(d.date, lang),
                d.label(lang),
                d.source.label(lang).to_string(),
                d.basis(lang).to_string(),
            ]
        })
        .collect();
    let mut text = match lang {
        Lang::Ko => format!("{year}년 휴일 {}일\n", days_count(days)),
        Lang::En => format!("days off in {year}: {}\n", days_count(days)),
    };
    text.push_str(&crate::cells::table(&header, &rows, 80));
    let office = calendar.office_days().len();
    let file = closing_days_file()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| crate::closing_days::FILE_NAME.to_string());
    text.push_str(&match (lang, office) {
        (Lang::Ko, 0) => format!("기관 휴무일: 없음 ({file}에 적을 수 있습니다)\n"),
        (Lang::Ko, n) => format!("기관 휴무일: {file} (모두 {n}일)\n"),
        (Lang::En, 0) => format!("office closing days: none (list them in {file})\n"),
        (Lang::En, n) => format!("office closing days: {file} ({n} in all)\n"),
    });
    if let Some(caveat) = year_caveat(calendar, year) {
        text.push_str(&match lang {
            Lang::Ko => format!("! {year}년: {}\n", caveat.localize(lang)),
            Lang::En => format!("! {year}: {}\n", caveat.localize(lang)),
        });
    }
    text
}

/// Distinct days (two holidays on one day count once).
fn days_count(days: &[DayOff]) -> usize {
    let mut dates: Vec<_> = days.iter().map(|d| d.date).collect();
    dates.dedup();
    dates.len()
}

/// Whether the year's list may still change, judged on its last day.
fn year_caveat(calendar: &Calendar, year: i32) -> Option<crate::domain::holidays::Caveat> {
    chrono::NaiveDate::from_ymd_opt(year, 12, 31).and_then(|d| calendar.caveat(d))
}

fn as_json(calendar: &Calendar, year: i32, days: &[DayOff]) -> Value {
    use crate::domain::holidays::Caveat;
    let caveat = year_caveat(calendar, year);
    let days: Vec<Value> = days
        .iter()
        .map(|d| {
            json!({
                "date": d.date,
                "weekday": d.date.weekday().to_string(),
                "name": d.name_ko,
                "name_en": d.name_en,
                "source": d.source.code(),
                "substitute_for": d.substitute_for.as_ref().map(|s| &s.0),
                "substitute_for_en": d.substitute_for.as_ref().map(|s| &s.1),
                "basis": d.basis_ko,
                "basis_en": d.basis_en,
            })
        })
        .collect();
    json!({
        "year": year,
        "temporary_holidays_known": caveat.is_none(),
        "lunar_holidays_known": !matches!(caveat, Some(Caveat::NoLunar { .. })),
        "days": days,
    })
}
