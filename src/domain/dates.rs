//! Reading the dates people type (12/5, +3d, 금요일, +5bd …) and the Korean public holidays; pure: no clock, no IO.

use std::sync::LazyLock;

use chrono::{Datelike, Days, Months, NaiveDate, TimeDelta, Weekday};
use unicode_normalization::UnicodeNormalization;

use crate::i18n::{Lang, Localize};

/// A date that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.localize(Lang::En))]
pub struct DateError {
    /// What was typed.
    pub input: String,
}

impl Localize for DateError {
    fn localize(&self, lang: Lang) -> String {
        let shown = one_line(&self.input);
        let forms = accepted_forms(lang);
        match lang {
            Lang::Ko => format!("날짜 '{shown}'을(를) 읽을 수 없습니다: {forms} 중 하나로 쓰세요"),
            Lang::En => format!("cannot read the date '{shown}': use {forms}"),
        }
    }
}

/// Short list of accepted forms, for help texts, in `lang`.
pub fn accepted_forms(lang: Lang) -> &'static str {
    lang.pick(
        "2026-12-05, 12/5, +3d, +2w, +5bd, 오늘, 내일, 금, 다음주 금",
        "2026-12-05, 12/5, +3d, +2w, +5bd, today, tomorrow, fri or next fri",
    )
}

/// Reads a date typed by a person, relative to `today`.
///
/// Accepts full dates (`2026-12-05`, `2026.12.05`, `2026/12/05`, `20261205`, `2026년 12월 5일`),
/// month and day (`12/5`, `12-05`, `12.5`, `12월 5일`; the year that puts it nearest to `today`),
/// offsets (`+3d`, `-3d`, `+2w`, `+1m`, `+5bd`, `+3일`, `3일 후`, `3일 전`, `2주 뒤`, `+1개월`, `5영업일 후`),
/// words (`today`/`오늘`, `tomorrow`/`내일`, `yesterday`/`어제`, `모레`) and weekdays
/// (`fri`, `friday`, `금`, `금요일`: the next one after today; `next fri`, `다음주 금`, `담주 금`:
/// in next Monday-start week; `this fri`, `이번주 금`: in this week).
/// Case, surrounding and repeated whitespace, and Unicode composition do not matter.
pub fn parse_date(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let text = normalize(input);
    read(&text, today, Year::Nearest).ok_or_else(|| DateError {
        input: input.to_string(),
    })
}

/// Like [`parse_date`], for dates that lie ahead (due and review dates): a month and day
/// without a year is the next such day from today on (`5/30` typed in November is next May).
pub fn parse_date_ahead(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let text = normalize(input);
    read(&text, today, Year::Ahead).ok_or_else(|| DateError {
        input: input.to_string(),
    })
}

/// Which year a month and day without one falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Year {
    /// The one nearest to today.
    Nearest,
    /// The first from today on.
    Ahead,
}

/// `from` moved by `n` business days (n may be negative or zero; zero returns `from`), skipping Saturdays, Sundays and the shipped public holidays.
///
/// Beyond the range of dates chrono can hold it stops at the first or last such date.
pub fn add_business_days(from: NaiveDate, n: i64) -> NaiveDate {
    checked_add_business_days(from, n).unwrap_or(if n < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// True on a weekday that is not a public holiday.
pub fn is_business_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && holiday_name(date).is_none()
}

/// The Korean name of the public holiday on `date`, if it is one (e.g. "설날", "대체공휴일").
pub fn holiday_name(date: NaiveDate) -> Option<&'static str> {
    let list = &HOLIDAYS;
    list.binary_search_by_key(&date, |&(d, _)| d)
        .ok()
        .and_then(|i| list.get(i))
        .map(|&(_, name)| name)
}

/// The first and last year the holiday list covers (2025, 2027).
pub fn holiday_years() -> (i32, i32) {
    match holiday_span() {
        Some((first, last)) => (first.year(), last.year()),
        // Only reachable if the shipped file were empty; the unit tests make sure it is not.
        None => (0, 0),
    }
}

const HOLIDAYS_TXT: &str = include_str!("holidays_kr.txt");

static HOLIDAYS: LazyLock<Vec<(NaiveDate, &'static str)>> =
    LazyLock::new(|| parse_holidays(HOLIDAYS_TXT).0);

/// Parses the holiday file: the holidays sorted by date (first entry wins on a repeated date)
/// and the 1-based numbers of the lines that could not be read.
fn parse_holidays(text: &'static str) -> (Vec<(NaiveDate, &'static str)>, Vec<usize>) {
    let mut list = Vec::new();
    let mut malformed = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parsed = line.split_once(' ').and_then(|(date, name)| {
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
            let name = name.trim();
            (!name.is_empty()).then_some((date, name))
        });
        match parsed {
            Some(entry) => list.push(entry),
            None => malformed.push(index + 1),
        }
    }
    list.sort_by_key(|&(d, _)| d);
    list.dedup_by_key(|&mut (d, _)| d);
    (list, malformed)
}

fn holiday_span() -> Option<(NaiveDate, NaiveDate)> {
    Some((HOLIDAYS.first()?.0, HOLIDAYS.last()?.0))
}

fn checked_add_business_days(from: NaiveDate, n: i64) -> Option<NaiveDate> {
    let forward = n > 0;
    let mut remaining = n.unsigned_abs();
    let mut date = from;
    while remaining > 0 {
        // Outside the holiday list every 7 days hold exactly 5 business days, so whole weeks
        // can be jumped; this keeps huge `n` fast. One to five days are always left to step.
        let jump = ((remaining - 1) / 5).min(free_weeks(date, forward));
        if jump > 0 {
            let days = Days::new(jump.checked_mul(7)?);
            date = if forward {
                date.checked_add_days(days)?
            } else {
                date.checked_sub_days(days)?
            };
            remaining -= jump * 5;
            continue;
        }
        date = if forward {
            date.succ_opt()?
        } else {
            date.pred_opt()?
        };
        if is_business_day(date) {
            remaining -= 1;
        }
    }
    Some(date)
}

/// How many whole weeks can be walked from `date` in the given direction without meeting a
/// listed holiday.
fn free_weeks(date: NaiveDate, forward: bool) -> u64 {
    let Some((first, last)) = holiday_span() else {
        return u64::MAX;
    };
    let weeks_before = |gap: TimeDelta| u64::try_from((gap.num_days() - 1) / 7).unwrap_or(0);
    if forward {
        if date >= last {
            u64::MAX
        } else if date < first {
            weeks_before(first - date)
        } else {
            0
        }
    } else if date <= first {
        u64::MAX
    } else if date > last {
        weeks_before(date - last)
    } else {
        0
    }
}

/// NFC, lower case, trimmed, inner whitespace runs collapsed to one space.
fn normalize(input: &str) -> String {
    let composed: String = input.nfc().collect();
    composed
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn read(text: &str, today: NaiveDate, year: Year) -> Option<NaiveDate> {
    if text.is_empty() {
        return None;
    }
    // Numbers and units read the same with or without spaces ("12월 5일", "3일 후", "+ 3d").
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    word(text, today)
        .or_else(|| numeric_date(&compact, today, year))
        .or_else(|| offset(&compact, today))
        .or_else(|| weekday_date(text, today))
}

fn word(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let days = match text {
        "today" | "오늘" => 0,
        "tomorrow" | "내일" => 1,
        "yesterday" | "어제" => -1,
        "모레" => 2,
        _ => return None,
    };
    today.checked_add_signed(TimeDelta::try_days(days)?)
}

/// A run of ASCII digits or a run of anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    Num(&'a str),
    Sep(&'a str),
}

fn pieces(s: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_digits = None;
    for (i, c) in s.char_indices() {
        let digit = c.is_ascii_digit();
        if in_digits.is_some_and(|d| d != digit) {
            out.push(piece(&s[start..i], !digit));
            start = i;
        }
        in_digits = Some(digit);
    }
    if let Some(digit) = in_digits {
        out.push(piece(&s[start..], digit));
    }
    out
}

fn piece(s: &str, digits: bool) -> Piece<'_> {
    if digits { Piece::Num(s) } else { Piece::Sep(s) }
}

/// The number in `s` if it has `min..=max` digits.
fn number(s: &str, min: usize, max: usize) -> Option<u32> {
    if (min..=max).contains(&s.len()) {
        s.parse().ok()
    } else {
        None
    }
}

fn numeric_date(compact: &str, today: NaiveDate, year: Year) -> Option<NaiveDate> {
    use Piece::{Num, Sep};
    let parts = pieces(compact);
    match parts.as_slice() {
        [Num(ymd)] if ymd.len() == 8 => NaiveDate::from_ymd_opt(
            number(ymd.get(..4)?, 4, 4)? as i32,
            number(ymd.get(4..6)?, 2, 2)?,
            number(ymd.get(6..)?, 2, 2)?,
        ),
        [Num(y), Sep("년"), Num(m), Sep("월"), Num(d), Sep("일")] => {
            NaiveDate::from_ymd_opt(number(y, 4, 4)? as i32, number(m, 1, 2)?, number(d, 1, 2)?)
        }
        [Num(m), Sep("월"), Num(d), Sep("일")] => {
            month_day(number(m, 1, 2)?, number(d, 1, 2)?, today, year)
        }
        [Num(y), Sep(a), Num(m), Sep(b), Num(d), rest @ ..]
            if a == b && is_date_separator(a) && trailing_ok(a, rest) =>
        {
            NaiveDate::from_ymd_opt(number(y, 4, 4)? as i32, number(m, 1, 2)?, number(d, 1, 2)?)
        }
        [Num(m), Sep(a), Num(d), rest @ ..] if is_date_separator(a) && trailing_ok(a, rest) => {
            month_day(number(m, 1, 2)?, number(d, 1, 2)?, today, year)
        }
        _ => None,
    }
}

fn is_date_separator(s: &str) -> bool {
    matches!(s, "-" | "." | "/")
}

/// Dotted dates may end in a dot, as Korean documents write them ("2026. 12. 5.").
fn trailing_ok(separator: &str, rest: &[Piece<'_>]) -> bool {
    match rest {
        [] => true,
        [Piece::Sep(".")] => separator == ".",
        _ => false,
    }
}

/// `month`/`day` in the year `year` asks for.
fn month_day(month: u32, day: u32, today: NaiveDate, year: Year) -> Option<NaiveDate> {
    match year {
        Year::Nearest => nearest_month_day(month, day, today),
        Year::Ahead => {
            let this = today.year();
            [Some(this), this.checked_add(1), this.checked_add(2)]
                .into_iter()
                .flatten()
                .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
                .find(|date| *date >= today)
        }
    }
}

/// `month`/`day` in whichever of last, this or next year is nearest to `today` (the later on a tie).
fn nearest_month_day(month: u32, day: u32, today: NaiveDate) -> Option<NaiveDate> {
    let year = today.year();
    [year.checked_sub(1), Some(year), year.checked_add(1)]
        .into_iter()
        .flatten()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .map(|date| ((date - today).num_days().abs(), date))
        // Later candidates come last, so on equal distance `min_by_key` would keep the earlier one;
        // reversing makes the later one win.
        .rev()
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, date)| date)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    BusinessDay,
}

fn offset(compact: &str, today: NaiveDate) -> Option<NaiveDate> {
    let (sign, rest) = match compact.as_bytes().first()? {
        b'+' => (Some(1), &compact[1..]),
        b'-' => (Some(-1), &compact[1..]),
        _ => (None, compact),
    };
    let digits_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    if digits_end == 0 {
        return None;
    }
    let amount: i64 = rest[..digits_end].parse().ok()?;
    let tail = &rest[digits_end..];

    let (unit_text, direction) = if let Some(u) = tail.strip_suffix('후') {
        (u, Some(1))
    } else if let Some(u) = tail.strip_suffix('뒤') {
        (u, Some(1))
    } else if let Some(u) = tail.strip_suffix('전') {
        (u, Some(-1))
    } else {
        (tail, None)
    };
    let (unit, korean) = match unit_text {
        "d" => (Unit::Day, false),
        "w" => (Unit::Week, false),
        "m" => (Unit::Month, false),
        "bd" => (Unit::BusinessDay, false),
        "일" => (Unit::Day, true),
        "주" => (Unit::Week, true),
        "개월" => (Unit::Month, true),
        "영업일" => (Unit::BusinessDay, true),
        _ => return None,
    };
    let factor = match (sign, direction) {
        (sign, None) => {
            // A bare "5일" reads as "the 5th", not "in 5 days", so Korean days need a sign or 후/뒤/전.
            if sign.is_none() && unit == Unit::Day && korean {
                return None;
            }
            sign.unwrap_or(1)
        }
        (None, Some(direction)) if korean => direction,
        (Some(1), Some(1)) if korean => 1,
        _ => return None,
    };
    let n = amount.checked_mul(factor)?;

    match unit {
        Unit::Day => today.checked_add_signed(TimeDelta::try_days(n)?),
        Unit::Week => today.checked_add_signed(TimeDelta::try_days(n.checked_mul(7)?)?),
        Unit::Month => {
            let months = Months::new(u32::try_from(n.unsigned_abs()).ok()?);
            if n < 0 {
                today.checked_sub_months(months)
            } else {
                today.checked_add_months(months)
            }
        }
        Unit::BusinessDay => checked_add_business_days(today, n),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Week {
    Next,
    This,
}

fn weekday_date(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    const PREFIXES: [(&str, Week); 7] = [
        ("next", Week::Next),
        ("다음 주", Week::Next),
        ("다음주", Week::Next),
        ("담주", Week::Next),
        ("this", Week::This),
        ("이번 주", Week::This),
        ("이번주", Week::This),
    ];
    let week = PREFIXES
        .iter()
        .find_map(|&(prefix, week)| text.strip_prefix(prefix).map(|rest| (week, rest.trim())));
    let today_index = i64::from(today.weekday().num_days_from_monday());
    let days = match week {
        None => {
            let target = i64::from(weekday_named(text)?.num_days_from_monday());
            // Strictly after today: the same weekday means a week later.
            (target - today_index + 6).rem_euclid(7) + 1
        }
        Some((week, rest)) => {
            let target = i64::from(weekday_named(rest)?.num_days_from_monday());
            let week_start = match week {
                Week::This => 0,
                Week::Next => 7,
            };
            week_start + target - today_index
        }
    };
    today.checked_add_signed(TimeDelta::try_days(days)?)
}

fn weekday_named(s: &str) -> Option<Weekday> {
    Some(match s {
        "mon" | "monday" | "월" | "월요일" => Weekday::Mon,
        "tue" | "tues" | "tuesday" | "화" | "화요일" => Weekday::Tue,
        "wed" | "wednesday" | "수" | "수요일" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" | "목" | "목요일" => Weekday::Thu,
        "fri" | "friday" | "금" | "금요일" => Weekday::Fri,
        "sat" | "saturday" | "토" | "토요일" => Weekday::Sat,
        "sun" | "sunday" | "일" | "일요일" => Weekday::Sun,
        _ => return None,
    })
}

/// The typed text made safe to show on one line: control characters are escaped.
fn one_line(input: &str) -> String {
    input
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn shipped_holiday_file_has_no_malformed_lines() {
        let (list, malformed) = parse_holidays(HOLIDAYS_TXT);
        assert_eq!(malformed, Vec::<usize>::new());
        assert_eq!(list.len(), 62);
        let raw_entries = HOLIDAYS_TXT
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim().starts_with('#'))
            .count();
        assert_eq!(raw_entries, list.len(), "no date is listed twice");
    }

    #[test]
    fn malformed_holiday_lines_are_skipped_and_reported() {
        let text = "# header\n\n2026-01-01 신정\n2026-13-01 bad month\n2026-02-01\nnot a date\n2026-03-01   \n2025-12-25 성탄절\n";
        let (list, malformed) = parse_holidays(text);
        assert_eq!(
            list,
            vec![(ymd(2025, 12, 25), "성탄절"), (ymd(2026, 1, 1), "신정")]
        );
        assert_eq!(malformed, vec![4, 5, 6, 7]);
    }

    #[test]
    fn holiday_years_cover_the_shipped_list() {
        assert_eq!(holiday_years(), (2025, 2027));
    }

    #[test]
    fn holiday_names() {
        assert_eq!(holiday_name(ymd(2026, 2, 17)), Some("설날"));
        assert_eq!(holiday_name(ymd(2026, 7, 17)), Some("제헌절"));
        assert_eq!(holiday_name(ymd(2025, 7, 17)), None);
        assert_eq!(holiday_name(ymd(2027, 12, 27)), Some("대체공휴일"));
        assert_eq!(holiday_name(ymd(2026, 11, 30)), None);
    }

    #[test]
    fn business_days_jump_far_and_stop_at_the_limits() {
        // 2030-01-01 is a Tuesday, past the list: 5 business days per week.
        assert_eq!(
            add_business_days(ymd(2030, 1, 1), 5 * 52),
            ymd(2030, 12, 31)
        );
        assert_eq!(add_business_days(ymd(2030, 1, 1), -5 * 52), ymd(2029, 1, 2));
        assert_eq!(add_business_days(ymd(2026, 1, 1), i64::MAX), NaiveDate::MAX);
        assert_eq!(add_business_days(ymd(2026, 1, 1), i64::MIN), NaiveDate::MIN);
        assert_eq!(add_business_days(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(add_business_days(NaiveDate::MIN, -1), NaiveDate::MIN);
    }

    #[test]
    fn jumping_matches_stepping_across_the_holiday_list() {
        let step = |from: NaiveDate, n: i64| {
            let mut date = from;
            let mut left = n.abs();
            while left > 0 {
                date = if n > 0 {
                    date.succ_opt().unwrap()
                } else {
                    date.pred_opt().unwrap()
                };
                if is_business_day(date) {
                    left -= 1;
                }
            }
            date
        };
        for from in [
            ymd(2020, 3, 4),
            ymd(2024, 12, 20),
            ymd(2026, 6, 1),
            ymd(2030, 5, 5),
        ] {
            for n in [-2000, -777, -260, -5, -1, 0, 1, 5, 6, 260, 777, 2000] {
                assert_eq!(add_business_days(from, n), step(from, n), "{from} {n}");
            }
        }
    }

    #[test]
    fn dates_at_the_limits_of_chrono_are_errors_not_panics() {
        for input in ["tomorrow", "+1bd", "fri", "next fri", "+1m", "+1w", "+1d"] {
            assert!(parse_date(input, NaiveDate::MAX).is_err(), "{input}");
        }
        for input in ["yesterday", "-1bd", "this mon", "-1m", "-1d"] {
            assert!(parse_date(input, NaiveDate::MIN).is_err(), "{input}");
        }
        // Month and day fall back to the only year that exists.
        let max_year = NaiveDate::MAX.year();
        let min_year = NaiveDate::MIN.year();
        assert_eq!(parse_date("1/5", NaiveDate::MAX), Ok(ymd(max_year, 1, 5)));
        assert_eq!(
            parse_date("12/31", NaiveDate::MIN),
            Ok(ymd(min_year, 12, 31))
        );
    }

    #[test]
    fn pieces_split_digits_from_the_rest() {
        use Piece::{Num, Sep};
        assert_eq!(
            pieces("2026년12월5일"),
            vec![
                Num("2026"),
                Sep("년"),
                Num("12"),
                Sep("월"),
                Num("5"),
                Sep("일")
            ]
        );
        assert_eq!(pieces(""), vec![]);
        assert_eq!(pieces("-3"), vec![Sep("-"), Num("3")]);
    }

    #[test]
    fn month_day_tie_goes_to_the_later_year() {
        // 2024 is a leap year: 2024-07-02 is 183 days after 2024-01-01 and 183 days before
        // 2025-01-01, so from 2024-07-02 "1/1" is a tie between this year and next.
        assert_eq!(
            nearest_month_day(1, 1, ymd(2024, 7, 2)),
            Some(ymd(2025, 1, 1))
        );
    }

    #[test]
    fn error_message_escapes_control_characters() {
        let error = DateError {
            input: "a\nb".to_string(),
        };
        assert!(!error.localize(Lang::En).contains('\n'));
        assert!(!error.localize(Lang::Ko).contains('\n'));
    }
}
