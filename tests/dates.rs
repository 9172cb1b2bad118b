#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! Reading typed dates and counting business days: examples in both languages and properties.

use casedesk::domain::dates::{
    DateError, accepted_forms, add_business_days, holiday_name, is_business_day, parse_date,
};
use casedesk::i18n::{Lang, Localize};
use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Saturday.
fn sat() -> NaiveDate {
    ymd(2026, 11, 28)
}

/// Monday.
fn mon() -> NaiveDate {
    ymd(2026, 11, 30)
}

#[test]
fn examples() {
    let nfd_tomorrow: String = "내일".nfd().collect();
    assert_ne!(nfd_tomorrow, "내일", "the decomposed form really differs");
    let nfd_next_fri: String = "다음 주 금요일".nfd().collect();

    let cases: Vec<(&str, NaiveDate, NaiveDate)> = vec![
        // Full dates.
        ("2026-12-05", sat(), ymd(2026, 12, 5)),
        ("2026.12.05", sat(), ymd(2026, 12, 5)),
        ("2026/12/05", sat(), ymd(2026, 12, 5)),
        ("2026-12-5", sat(), ymd(2026, 12, 5)),
        ("20261205", sat(), ymd(2026, 12, 5)),
        ("2026년 12월 5일", sat(), ymd(2026, 12, 5)),
        ("2026년12월5일", sat(), ymd(2026, 12, 5)),
        ("2026. 12. 5.", sat(), ymd(2026, 12, 5)),
        ("2024-02-29", sat(), ymd(2024, 2, 29)),
        ("1999-01-01", sat(), ymd(1999, 1, 1)),
        // Month and day: the nearest year.
        ("12/5", sat(), ymd(2026, 12, 5)),
        ("12-05", sat(), ymd(2026, 12, 5)),
        ("12.5", sat(), ymd(2026, 12, 5)),
        ("12월 5일", sat(), ymd(2026, 12, 5)),
        ("12월5일", sat(), ymd(2026, 12, 5)),
        ("1/5", sat(), ymd(2027, 1, 5)),
        ("1월 5일", sat(), ymd(2027, 1, 5)),
        ("11/1", sat(), ymd(2026, 11, 1)),
        ("5/28", sat(), ymd(2027, 5, 28)),
        ("6/1", sat(), ymd(2026, 6, 1)),
        ("2/29", ymd(2027, 11, 1), ymd(2028, 2, 29)),
        // Offsets.
        ("+3d", sat(), ymd(2026, 12, 1)),
        ("3d", sat(), ymd(2026, 12, 1)),
        ("+3D", sat(), ymd(2026, 12, 1)),
        ("+3일", sat(), ymd(2026, 12, 1)),
        ("3일 후", sat(), ymd(2026, 12, 1)),
        ("3일후", sat(), ymd(2026, 12, 1)),
        ("3일 뒤", sat(), ymd(2026, 12, 1)),
        ("-3d", sat(), ymd(2026, 11, 25)),
        ("-3일", sat(), ymd(2026, 11, 25)),
        ("3일 전", sat(), ymd(2026, 11, 25)),
        ("+0d", sat(), sat()),
        ("+2w", sat(), ymd(2026, 12, 12)),
        ("2w", sat(), ymd(2026, 12, 12)),
        ("+2주", sat(), ymd(2026, 12, 12)),
        ("2주 뒤", sat(), ymd(2026, 12, 12)),
        ("-1w", sat(), ymd(2026, 11, 21)),
        ("+1m", ymd(2026, 1, 31), ymd(2026, 2, 28)),
        ("+1개월", ymd(2026, 1, 31), ymd(2026, 2, 28)),
        ("1개월 후", ymd(2026, 1, 31), ymd(2026, 2, 28)),
        ("+1m", ymd(2028, 1, 31), ymd(2028, 2, 29)),
        ("-1m", ymd(2026, 3, 31), ymd(2026, 2, 28)),
        ("+12m", sat(), ymd(2027, 11, 28)),
        // Business days.
        ("+5bd", ymd(2026, 9, 22), ymd(2026, 10, 1)),
        ("5bd", ymd(2026, 9, 22), ymd(2026, 10, 1)),
        ("+5영업일", ymd(2026, 9, 22), ymd(2026, 10, 1)),
        ("5영업일 후", ymd(2026, 9, 22), ymd(2026, 10, 1)),
        // Thursday 2026-07-16: Friday 7/17 is 제헌절, then the weekend.
        ("+1bd", ymd(2026, 7, 16), ymd(2026, 7, 20)),
        ("+1영업일", ymd(2026, 7, 16), ymd(2026, 7, 20)),
        // Friday before 설날 (2/16–18).
        ("+2bd", ymd(2026, 2, 13), ymd(2026, 2, 20)),
        ("+1bd", sat(), mon()),
        ("-2bd", mon(), ymd(2026, 11, 26)),
        ("2영업일 전", mon(), ymd(2026, 11, 26)),
        ("+0bd", sat(), sat()),
        // Words.
        ("today", sat(), sat()),
        ("오늘", sat(), sat()),
        ("tomorrow", sat(), ymd(2026, 11, 29)),
        ("내일", sat(), ymd(2026, 11, 29)),
        (nfd_tomorrow.as_str(), sat(), ymd(2026, 11, 29)),
        ("yesterday", sat(), ymd(2026, 11, 27)),
        ("어제", sat(), ymd(2026, 11, 27)),
        ("모레", sat(), mon()),
        ("TODAY", sat(), sat()),
        // Weekdays: the next one strictly after today.
        ("fri", sat(), ymd(2026, 12, 4)),
        ("FRI", sat(), ymd(2026, 12, 4)),
        ("friday", sat(), ymd(2026, 12, 4)),
        ("Friday", sat(), ymd(2026, 12, 4)),
        ("금", sat(), ymd(2026, 12, 4)),
        ("금요일", sat(), ymd(2026, 12, 4)),
        ("fri", mon(), ymd(2026, 12, 4)),
        ("금", mon(), ymd(2026, 12, 4)),
        ("sat", sat(), ymd(2026, 12, 5)),
        ("토", sat(), ymd(2026, 12, 5)),
        ("sun", sat(), ymd(2026, 11, 29)),
        ("일", sat(), ymd(2026, 11, 29)),
        ("일요일", sat(), ymd(2026, 11, 29)),
        ("mon", mon(), ymd(2026, 12, 7)),
        ("월", mon(), ymd(2026, 12, 7)),
        ("tue", mon(), ymd(2026, 12, 1)),
        ("화요일", mon(), ymd(2026, 12, 1)),
        // Next week (weeks start on Monday).
        ("next fri", sat(), ymd(2026, 12, 4)),
        ("다음주 금", sat(), ymd(2026, 12, 4)),
        ("다음 주 금요일", sat(), ymd(2026, 12, 4)),
        ("담주 금", sat(), ymd(2026, 12, 4)),
        ("다음주금", sat(), ymd(2026, 12, 4)),
        (nfd_next_fri.as_str(), sat(), ymd(2026, 12, 4)),
        ("next fri", mon(), ymd(2026, 12, 11)),
        ("다음주 금", mon(), ymd(2026, 12, 11)),
        ("다음 주 금요일", mon(), ymd(2026, 12, 11)),
        ("next mon", sat(), mon()),
        ("next mon", mon(), ymd(2026, 12, 7)),
        ("다음주 월요일", mon(), ymd(2026, 12, 7)),
        // This week (may be before today).
        ("this mon", sat(), ymd(2026, 11, 23)),
        ("이번주 월", sat(), ymd(2026, 11, 23)),
        ("이번 주 월요일", sat(), ymd(2026, 11, 23)),
        ("this sun", sat(), ymd(2026, 11, 29)),
        ("이번주 일", sat(), ymd(2026, 11, 29)),
        ("this fri", mon(), ymd(2026, 12, 4)),
        // Spacing.
        ("  next   fri  ", sat(), ymd(2026, 12, 4)),
        ("\t다음   주\u{3000}금 ", sat(), ymd(2026, 12, 4)),
        ("  12/5  ", sat(), ymd(2026, 12, 5)),
        ("12 / 5", sat(), ymd(2026, 12, 5)),
        (" + 3 d ", sat(), ymd(2026, 12, 1)),
        ("2026 년 12 월 5 일", sat(), ymd(2026, 12, 5)),
    ];
    for (input, today, expected) in cases {
        assert_eq!(
            parse_date(input, today),
            Ok(expected),
            "{input:?} with today {today}"
        );
    }
}

#[test]
fn bad_inputs() {
    let cases = [
        "",
        "   ",
        "abc",
        "2026-02-30",
        "13/1",
        "+d",
        "+999999999999d",
        "+999999999999w",
        "+999999999999m",
        "+999999999999bd",
        "+99999999999999999999999999d",
        "next",
        "다음주",
        "32일",
        "5일",
        "-3일 후",
        "+3d 후",
        "2/29",
        "0/5",
        "12/0",
        "2026-12",
        "2026-12/05",
        "12/5/",
        "next friday week",
        "금금",
    ];
    for input in cases {
        let error: DateError = parse_date(input, sat()).unwrap_err();
        assert_eq!(error.input, input);
        assert_eq!(
            error.localize(Lang::En),
            format!(
                "cannot read the date '{input}': use 2026-12-05, 12/5, +3d, +2w, +5bd, today, tomorrow, fri or next fri"
            )
        );
        assert_eq!(
            error.localize(Lang::Ko),
            format!(
                "날짜 '{input}'을(를) 읽을 수 없습니다: 2026-12-05, 12/5, +3d, +2w, +5bd, 오늘, 내일, 금, 다음주 금 중 하나로 쓰세요"
            )
        );
        assert_eq!(error.to_string(), error.localize(Lang::En));
    }
}

#[test]
fn accepted_forms_in_both_languages() {
    assert_eq!(
        accepted_forms(Lang::En),
        "2026-12-05, 12/5, +3d, +2w, +5bd, today, tomorrow, fri or next fri"
    );
    assert_eq!(
        accepted_forms(Lang::Ko),
        "2026-12-05, 12/5, +3d, +2w, +5bd, 오늘, 내일, 금, 다음주 금"
    );
}

#[test]
fn holidays() {
    let name = |date: NaiveDate| holiday_name(date);
    assert_eq!(name(ymd(2025, 1, 27)).as_deref(), Some("임시공휴일"));
    assert_eq!(
        name(ymd(2025, 5, 5)).as_deref(),
        Some("어린이날·부처님오신날")
    );
    assert_eq!(name(ymd(2026, 9, 25)).as_deref(), Some("추석"));
    assert_eq!(name(ymd(2026, 7, 17)).as_deref(), Some("제헌절"));
    assert_eq!(name(ymd(2026, 6, 3)).as_deref(), Some("전국동시지방선거"));
    assert_eq!(
        name(ymd(2026, 10, 5)).as_deref(),
        Some("대체공휴일(개천절)")
    );
    assert_eq!(name(ymd(2026, 5, 1)).as_deref(), Some("노동절"));
    assert_eq!(name(ymd(2027, 5, 3)).as_deref(), Some("대체공휴일(노동절)"));
    assert_eq!(name(ymd(2028, 1, 27)).as_deref(), Some("설날"));
    assert_eq!(name(ymd(2035, 9, 16)).as_deref(), Some("추석"));
    assert_eq!(name(ymd(2026, 12, 4)), None);
    assert!(!is_business_day(ymd(2026, 9, 24)));
    assert!(!is_business_day(sat()));
    assert!(!is_business_day(ymd(2026, 11, 29)));
    assert!(is_business_day(mon()));
    assert!(!is_business_day(ymd(2026, 3, 2)));
}

#[test]
fn add_business_days_examples() {
    assert_eq!(add_business_days(ymd(2026, 9, 22), 5), ymd(2026, 10, 1));
    assert_eq!(add_business_days(ymd(2026, 10, 1), -5), ymd(2026, 9, 22));
    assert_eq!(add_business_days(sat(), 0), sat());
    assert_eq!(add_business_days(ymd(2026, 7, 16), 1), ymd(2026, 7, 20));
    assert_eq!(add_business_days(ymd(2026, 7, 20), -1), ymd(2026, 7, 16));
    // Issue 14: on 30 April 2026, 1 May (노동절) is a holiday, then the weekend.
    assert_eq!(add_business_days(ymd(2026, 4, 30), 1), ymd(2026, 5, 4));
    // And past the old hand-kept list: 설날 2028 (26–28 January).
    assert_eq!(add_business_days(ymd(2028, 1, 25), 1), ymd(2028, 1, 31));
    assert_eq!(add_business_days(ymd(2028, 10, 1), 1), ymd(2028, 10, 6));
}

fn business_days_between(after: NaiveDate, through: NaiveDate) -> i64 {
    after
        .iter_days()
        .skip(1)
        .take_while(|d| *d <= through)
        .filter(|d| is_business_day(*d))
        .count() as i64
}

fn any_date_2000_2100() -> impl Strategy<Value = NaiveDate> {
    (0i64..36_525).prop_map(|n| ymd(2000, 1, 1) + TimeDelta::days(n))
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::MIN.num_days_from_ce();
    let last = NaiveDate::MAX.num_days_from_ce();
    prop_oneof![
        (first..=last).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap()),
        Just(NaiveDate::MIN),
        Just(NaiveDate::MAX),
        any_date_2000_2100(),
    ]
}

fn date_like_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "0",
        "1",
        "2",
        "9",
        "12",
        "31",
        "2026",
        "99999999999",
        "+",
        "-",
        "/",
        ".",
        " ",
        "d",
        "w",
        "m",
        "bd",
        "일",
        "주",
        "개월",
        "영업일",
        "후",
        "뒤",
        "전",
        "년",
        "월",
        "금",
        "다음주",
        "이번 주",
        "next",
        "this",
        "fri",
        "오늘",
    ]);
    prop::collection::vec(pieces, 0..8).prop_map(|v| v.concat())
}

const WEEKDAYS: [(&str, Weekday); 21] = [
    ("mon", Weekday::Mon),
    ("tue", Weekday::Tue),
    ("wed", Weekday::Wed),
    ("thu", Weekday::Thu),
    ("fri", Weekday::Fri),
    ("sat", Weekday::Sat),
    ("sun", Weekday::Sun),
    ("wednesday", Weekday::Wed),
    ("saturday", Weekday::Sat),
    ("월", Weekday::Mon),
    ("화", Weekday::Tue),
    ("수", Weekday::Wed),
    ("목", Weekday::Thu),
    ("금", Weekday::Fri),
    ("토", Weekday::Sat),
    ("일", Weekday::Sun),
    ("월요일", Weekday::Mon),
    ("수요일", Weekday::Wed),
    ("금요일", Weekday::Fri),
    ("토요일", Weekday::Sat),
    ("일요일", Weekday::Sun),
];

proptest! {
    #[test]
    fn parse_never_panics_on_any_text(input in ".*", today in any_date()) {
        let _ = parse_date(&input, today);
    }

    #[test]
    fn parse_never_panics_on_date_like_text(input in date_like_text(), today in any_date()) {
        if let Err(error) = parse_date(&input, today) {
            prop_assert_eq!(error.input, input);
        }
    }

    #[test]
    fn iso_dates_read_back(date in any_date_2000_2100(), today in any_date_2000_2100()) {
        let text = date.format("%Y-%m-%d").to_string();
        prop_assert_eq!(parse_date(&text, today), Ok(date));
    }

    #[test]
    fn plus_days_adds_days(n in 0i64..5000, today in any_date_2000_2100()) {
        prop_assert_eq!(parse_date(&format!("+{n}d"), today), Ok(today + TimeDelta::days(n)));
    }

    #[test]
    fn plus_business_days_counts_business_days(n in 1i64..200, today in any_date_2000_2100()) {
        let result = parse_date(&format!("+{n}bd"), today).unwrap();
        prop_assert!(is_business_day(result));
        prop_assert_eq!(business_days_between(today, result), n);
    }

    #[test]
    fn minus_business_days_counts_business_days(n in 1i64..200, today in any_date_2000_2100()) {
        let result = add_business_days(today, -n);
        prop_assert!(is_business_day(result));
        // Exactly n business days lie in [result, today).
        let before = TimeDelta::days(1);
        prop_assert_eq!(business_days_between(result - before, today - before), n);
    }

    #[test]
    fn month_day_lands_near_today(month in 1u32..=12, day in 1u32..=31, today in any_date_2000_2100()) {
        // A non-leap year, so 2/29 (which may have no candidate year) is left out.
        prop_assume!(NaiveDate::from_ymd_opt(2001, month, day).is_some());
        let result = parse_date(&format!("{month}/{day}"), today).unwrap();
        prop_assert_eq!((result.month(), result.day()), (month, day));
        prop_assert!((result - today).num_days().abs() <= 184);
    }

    #[test]
    fn bare_weekday_is_within_the_next_week(
        (name, weekday) in prop::sample::select(WEEKDAYS.to_vec()),
        today in any_date_2000_2100(),
    ) {
        let result = parse_date(name, today).unwrap();
        prop_assert_eq!(result.weekday(), weekday);
        prop_assert!((1..=7).contains(&(result - today).num_days()));
    }
}

#[test]
fn due_dates_without_a_year_lie_ahead() {
    use casedesk::domain::dates::parse_date_ahead;
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    for (typed, want) in [
        ("5/30", (2027, 5, 30)),
        ("12/5", (2026, 12, 5)),
        ("11/28", (2026, 11, 28)),
        ("11/27", (2027, 11, 27)),
        ("2/29", (2028, 2, 29)),
        ("2026-05-30", (2026, 5, 30)),
        ("+3d", (2026, 12, 1)),
    ] {
        let want = NaiveDate::from_ymd_opt(want.0, want.1, want.2).unwrap();
        assert_eq!(parse_date_ahead(typed, today), Ok(want), "{typed}");
    }
}
