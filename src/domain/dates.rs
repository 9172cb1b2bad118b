//! Reading the dates people type (12/5, +3d, 금요일, +5bd …), business days counted with a
//! holiday calendar (`holidays`); pure: no clock, no IO.

use chrono::{Datelike, FixedOffset, Months, NaiveDate, TimeDelta, Weekday};
use unicode_normalization::UnicodeNormalization;

use super::holidays::Calendar;
use crate::i18n::{Lang, Localize, WEEKDAYS};

/// The office's time: Korea keeps +09:00 all year (no summer time), whatever time zone the
/// server runs in, so "today" is the same for everyone using one store.
pub const KOREA: FixedOffset = match FixedOffset::east_opt(9 * 3600) {
    Some(offset) => offset,
    // Nine hours is within ±24 h: this arm is never taken (and would stop the build, not a run).
    None => panic!("+09:00 is a valid offset"),
};

/// The last day of "this week": the Sunday of today's Monday-to-Sunday week — or, on a
/// Saturday or Sunday, of the coming week, since the office's week is over by then.
pub fn week_end(today: NaiveDate) -> NaiveDate {
    let to_sunday = 6 - i64::from(today.weekday().num_days_from_monday());
    let end = today + chrono::Duration::days(to_sunday);
    if today.weekday().number_from_monday() >= 6 {
        end + chrono::Duration::days(7)
    } else {
        end
    }
}

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
    Calendar::national().parse_date(input, today)
}

/// Like [`parse_date`], for dates that lie ahead (due and review dates): a month and day
/// without a year is the next such day from today on (`5/30` typed in November is next May).
pub fn parse_date_ahead(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    Calendar::national().parse_date_ahead(input, today)
}

/// Which year a month and day without one falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Year {
    /// The one nearest to today.
    Nearest,
    /// The first from today on.
    Ahead,
}

/// `from` moved by `n` business days (n may be negative or zero; zero returns `from`), skipping
/// Saturdays, Sundays and the public holidays — not an office's own closing days: use
/// [`Calendar::add_business_days`] with the office's calendar for those.
///
/// Beyond the range of dates chrono can hold it stops at the first or last such date.
pub fn add_business_days(from: NaiveDate, n: i64) -> NaiveDate {
    Calendar::national().add_business_days(from, n)
}

/// True on a weekday that is not a public holiday.
pub fn is_business_day(date: NaiveDate) -> bool {
    Calendar::national().is_business_day(date)
}

/// The Korean name of the public holiday(s) on `date`, if it is one (e.g. "설날",
/// "대체공휴일(노동절)", "어린이날·부처님오신날").
pub fn holiday_name(date: NaiveDate) -> Option<String> {
    let names: Vec<String> = Calendar::national()
        .days_off_on(date)
        .iter()
        .map(|d| d.label(Lang::Ko))
        .collect();
    (!names.is_empty()).then(|| names.join("·"))
}

impl Calendar {
    /// Like [`parse_date`], counting business days (`+5bd`) with this calendar's days off.
    pub fn parse_date(&self, input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
        let text = normalize(input);
        read(&text, today, Year::Nearest, self).ok_or_else(|| DateError {
            input: input.to_string(),
        })
    }

    /// Like [`parse_date_ahead`], counting business days with this calendar's days off.
    pub fn parse_date_ahead(&self, input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
        let text = normalize(input);
        read(&text, today, Year::Ahead, self).ok_or_else(|| DateError {
            input: input.to_string(),
        })
    }

    /// True when `input` is a month and day without a year that has already passed this year,
    /// so that [`Calendar::parse_date_ahead`] puts it in a later year (`11/30` typed on
    /// 1 December is 2027-11-30): something to say before it is saved.
    pub fn rolls_to_next_year(&self, input: &str, today: NaiveDate) -> bool {
        let text = normalize(input);
        match (
            read(&text, today, Year::Ahead, self),
            read(&text, today, Year::Nearest, self),
        ) {
            (Some(ahead), Some(nearest)) => ahead != nearest && ahead.year() > today.year(),
            _ => false,
        }
    }
}

/// True when `date` is more than six months after `today`: its year is worth a second look.
pub fn far_ahead(date: NaiveDate, today: NaiveDate) -> bool {
    today
        .checked_add_months(Months::new(6))
        .is_some_and(|limit| date > limit)
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

fn read(text: &str, today: NaiveDate, year: Year, calendar: &Calendar) -> Option<NaiveDate> {
    if text.is_empty() {
        return None;
    }
    // Numbers and units read the same with or without spaces ("12월 5일", "3일 후", "+ 3d").
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    word(text, today)
        .or_else(|| numeric_date(&compact, today, year))
        .or_else(|| offset(&compact, today, calendar))
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

fn offset(compact: &str, today: NaiveDate, calendar: &Calendar) -> Option<NaiveDate> {
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
        Unit::BusinessDay => calendar.checked_add_business_days(today, n),
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

/// A weekday by its Korean or English name (`화`, `화요일`, `tue`, `Tuesday`).
pub fn parse_weekday(input: &str) -> Option<Weekday> {
    weekday_named(input.trim())
}

/// `count` weekly days on `day`, the first on or after `from`.
pub fn weekly(from: NaiveDate, day: Weekday, count: u32) -> Vec<NaiveDate> {
    let ahead = (7 + i64::from(day.num_days_from_monday())
        - i64::from(from.weekday().num_days_from_monday()))
        % 7;
    let first = from + chrono::Duration::days(ahead);
    (0..i64::from(count))
        .map_while(|i| first.checked_add_signed(chrono::Duration::weeks(i)))
        .collect()
}

fn weekday_named(s: &str) -> Option<Weekday> {
    // English abbreviations people also write.
    let s = match s {
        "tues" => "tue",
        "thur" | "thurs" => "thu",
        other => other,
    };
    WEEKDAYS.iter().find_map(|w| {
        let named = s == w.ko
            || s.strip_suffix("요일") == Some(w.ko)
            || s.eq_ignore_ascii_case(w.en)
            || s.eq_ignore_ascii_case(w.en_full);
        named.then_some(w.day)
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
    fn holiday_names() {
        assert_eq!(holiday_name(ymd(2026, 2, 17)).as_deref(), Some("설날"));
        assert_eq!(holiday_name(ymd(2026, 7, 17)).as_deref(), Some("제헌절"));
        assert_eq!(holiday_name(ymd(2025, 7, 17)), None);
        assert_eq!(
            holiday_name(ymd(2027, 12, 27)).as_deref(),
            Some("대체공휴일(성탄절)")
        );
        assert_eq!(holiday_name(ymd(2026, 11, 30)), None);
        assert_eq!(
            holiday_name(ymd(2025, 5, 5)).as_deref(),
            Some("어린이날·부처님오신날")
        );
    }

    #[test]
    fn business_days_jump_far_and_stop_at_the_limits() {
        // 2030 has 261 weekdays, 18 of them holidays: from 2029-12-31, 243 business days
        // reach the last one of 2030.
        assert_eq!(add_business_days(ymd(2029, 12, 31), 243), ymd(2030, 12, 31));
        assert_eq!(add_business_days(ymd(2031, 1, 1), -243), ymd(2030, 1, 2));
        assert_eq!(add_business_days(ymd(2026, 1, 1), i64::MAX), NaiveDate::MAX);
        assert_eq!(add_business_days(ymd(2026, 1, 1), i64::MIN), NaiveDate::MIN);
        assert_eq!(add_business_days(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(add_business_days(NaiveDate::MIN, -1), NaiveDate::MIN);
    }

    #[test]
    fn jumping_matches_stepping_across_years_and_cycles() {
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
            ymd(2049, 12, 30),
            ymd(1392, 1, 2),
        ] {
            for n in [
                -200_000, -2000, -777, -260, -5, -1, 0, 1, 5, 6, 260, 777, 2000, 200_000,
            ] {
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
