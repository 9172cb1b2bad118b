//! The days off a Korean district office keeps: public holidays worked out from the law's rules
//! (fixed dates; 설날, 부처님오신날 and 추석 through the KASI-based lunar table of `rs-klc`;
//! substitute holidays; scheduled election days), the one-off days of the shipped data file, and
//! the office's own closing days — and business-day arithmetic over them. Pure: no IO, no clock;
//! the office's days are handed in by whoever read its file.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};

use crate::i18n::{Lang, Localize};

/// The first year whose days off are worked out as the law then stood (2006: the election days
/// of the Public Official Election Act as amended in 2004). Earlier years are counted with the
/// same rules, without a claim to be right.
pub const FIRST_YEAR: i32 = 2006;

/// The last year the lunar table covers (KASI's data as `rs-klc` ships it, to 2050-12-31):
/// 설날, 부처님오신날 and 추석 of later years are not known.
pub const LUNAR_LAST_YEAR: i32 = 2050;

/// The first year of the lunar table that `rs-klc` converts without overflowing (its table
/// starts in 1391, but dates early in that year underflow its day count).
const LUNAR_FIRST_YEAR: i32 = 1392;

// ---------------------------------------------------------------------------------------------
// What a day off is
// ---------------------------------------------------------------------------------------------

/// Where a day off comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// A rule of the law (공휴일에 관한 법률, 관공서의 공휴일에 관한 규정, 공직선거법).
    Law,
    /// A dated line of the shipped data file (임시공휴일, early elections).
    Data,
    /// The office's own closing day, from its configuration.
    Office,
}

impl Source {
    /// A stable code for machine-readable output: `law`, `data`, `office`.
    pub fn code(self) -> &'static str {
        match self {
            Source::Law => "law",
            Source::Data => "data",
            Source::Office => "office",
        }
    }

    /// The word shown to people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Source::Law => lang.pick("법령", "law"),
            Source::Data => lang.pick("자료", "data"),
            Source::Office => lang.pick("기관", "office"),
        }
    }
}

/// One day off: a public holiday or an office's closing day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayOff {
    /// The day.
    pub date: NaiveDate,
    /// Korean name (`추석`, `대체공휴일`, `개청기념일`).
    pub name_ko: Cow<'static, str>,
    /// English name.
    pub name_en: Cow<'static, str>,
    /// Where it comes from.
    pub source: Source,
    /// For a substitute holiday: the holiday(s) it stands in for (Korean, English).
    pub substitute_for: Option<(Cow<'static, str>, Cow<'static, str>)>,
    /// Why it is a day off: the law's article (Korean), the data line's source, the office file
    /// and line.
    pub basis_ko: Cow<'static, str>,
    /// The same in English (the data line's source and the office file are as written).
    pub basis_en: Cow<'static, str>,
}

impl DayOff {
    /// The name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ko => &self.name_ko,
            Lang::En => &self.name_en,
        }
    }

    /// The name, with what a substitute holiday stands in for: `대체공휴일(노동절)`,
    /// `substitute for Labour Day`.
    pub fn label(&self, lang: Lang) -> String {
        match (&self.substitute_for, lang) {
            (Some((ko, _)), Lang::Ko) => format!("{}({ko})", self.name_ko),
            (Some((_, en)), Lang::En) => format!("substitute for {en}"),
            (None, _) => self.name(lang).to_string(),
        }
    }

    /// Why it is a day off, in `lang`.
    pub fn basis(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ko => &self.basis_ko,
            Lang::En => &self.basis_en,
        }
    }
}

/// A day the office is closed by its own decision (개청기념일, office-wide leave), read from its
/// configuration; it counts like a public holiday in business days and warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeDay {
    /// The day.
    pub date: NaiveDate,
    /// Its name as the office writes it.
    pub name: String,
    /// An English name, if the office gave one.
    pub name_en: Option<String>,
    /// Where it was written (`closing-days.toml:4`).
    pub origin: String,
}

impl OfficeDay {
    fn day_off(&self) -> DayOff {
        DayOff {
            date: self.date,
            name_ko: Cow::Owned(self.name.clone()),
            name_en: Cow::Owned(self.name_en.clone().unwrap_or_else(|| self.name.clone())),
            source: Source::Office,
            substitute_for: None,
            basis_ko: Cow::Owned(self.origin.clone()),
            basis_en: Cow::Owned(self.origin.clone()),
        }
    }
}

/// Why the days off of a date may be incomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caveat {
    /// The year is past the last one whose one-off days are known: temporary holidays may
    /// still be designated.
    Unannounced {
        /// The year of the date.
        year: i32,
    },
    /// The year is past the lunar table: 설날, 부처님오신날 and 추석 are not counted.
    NoLunar {
        /// The year of the date.
        year: i32,
    },
}

impl Localize for Caveat {
    fn localize(&self, lang: Lang) -> String {
        // Short: it shares one line with the date under a form's field.
        match self {
            Caveat::Unannounced { .. } => lang
                .pick(
                    "임시공휴일은 아직 발표 전",
                    "temporary holidays not yet announced",
                )
                .to_string(),
            Caveat::NoLunar { .. } => match lang {
                Lang::Ko => format!("{LUNAR_LAST_YEAR}년 이후 음력 공휴일 미반영"),
                Lang::En => format!("lunar holidays after {LUNAR_LAST_YEAR} not counted"),
            },
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The law's holidays
// ---------------------------------------------------------------------------------------------

/// A holiday a rule of the law gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holiday {
    NewYear,
    SeollalEve,
    Seollal,
    SeollalAfter,
    Independence,
    Labour,
    Children,
    Buddha,
    Memorial,
    Constitution,
    Liberation,
    Foundation,
    Hangul,
    ChuseokEve,
    Chuseok,
    ChuseokAfter,
    Christmas,
    Presidential,
    Assembly,
    Local,
}

/// Which days a holiday may fall on and still get a substitute (it always gets one when it falls
/// on another holiday).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cover {
    /// Sunday (설날 and 추석: a Saturday gives none).
    Sunday,
    /// Saturday or Sunday.
    Weekend,
}

const HOLIDAYS_ACT: (&str, &str) = ("공휴일에 관한 법률 제2조", "Public Holidays Act, art. 2");
const SUBSTITUTE_RULE: (&str, &str) = (
    "공휴일에 관한 법률 제3조, 관공서의 공휴일에 관한 규정 제3조",
    "Public Holidays Act, art. 3; Government Offices Holidays Regulations, art. 3",
);
const SUBSTITUTE_NAME: (&str, &str) = ("대체공휴일", "substitute holiday");

impl Holiday {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Holiday::NewYear => ("신정", "New Year's Day"),
            Holiday::SeollalEve => ("설날 전날", "Seollal (eve)"),
            Holiday::Seollal => ("설날", "Seollal"),
            Holiday::SeollalAfter => ("설날 다음날", "Seollal (day after)"),
            Holiday::Independence => ("삼일절", "Independence Movement Day"),
            Holiday::Labour => ("노동절", "Labour Day"),
            Holiday::Children => ("어린이날", "Children's Day"),
            Holiday::Buddha => ("부처님오신날", "Buddha's Birthday"),
            Holiday::Memorial => ("현충일", "Memorial Day"),
            Holiday::Constitution => ("제헌절", "Constitution Day"),
            Holiday::Liberation => ("광복절", "Liberation Day"),
            Holiday::Foundation => ("개천절", "National Foundation Day"),
            Holiday::Hangul => ("한글날", "Hangul Day"),
            Holiday::ChuseokEve => ("추석 전날", "Chuseok (eve)"),
            Holiday::Chuseok => ("추석", "Chuseok"),
            Holiday::ChuseokAfter => ("추석 다음날", "Chuseok (day after)"),
            Holiday::Christmas => ("성탄절", "Christmas Day"),
            Holiday::Presidential => ("대통령선거일", "presidential election"),
            Holiday::Assembly => ("국회의원선거일", "National Assembly election"),
            Holiday::Local => ("전국동시지방선거", "local elections"),
        }
    }

    fn basis(self) -> (&'static str, &'static str) {
        match self {
            Holiday::Labour => (
                "공휴일에 관한 법률 제2조 (2026년 개정)",
                "Public Holidays Act, art. 2 (2026 amendment)",
            ),
            Holiday::Constitution => (
                "공휴일에 관한 법률 제2조 (2026년 개정: 모든 국경일)",
                "Public Holidays Act, art. 2 (2026 amendment: every national day)",
            ),
            Holiday::Presidential => (
                "공직선거법 제34조 (임기만료일 전 70일 이후 첫 수요일)",
                "Public Official Election Act, art. 34 (1st Wednesday from term end − 70 days)",
            ),
            Holiday::Assembly => (
                "공직선거법 제34조 (임기만료일 전 50일 이후 첫 수요일)",
                "Public Official Election Act, art. 34 (1st Wednesday from term end − 50 days)",
            ),
            Holiday::Local => (
                "공직선거법 제34조 (임기만료일 전 30일 이후 첫 수요일)",
                "Public Official Election Act, art. 34 (1st Wednesday from term end − 30 days)",
            ),
            _ => HOLIDAYS_ACT,
        }
    }

    /// Whether the holiday of `year` gets a substitute when it falls on a weekend or another
    /// holiday, and on which weekend days: 관공서의 공휴일에 관한 규정 제3조 as amended in 2013
    /// (설날, 추석, 어린이날 from 2014), 2021 (삼일절, 광복절, 개천절, 한글날: in force in August
    /// 2021, when 삼일절 had passed on a Monday) and 2023 (부처님오신날, 성탄절); the 2026
    /// amendments made 노동절 and 제헌절 holidays with the same rule as the other national days.
    fn substitute(self, year: i32) -> Option<Cover> {
        let since = |first: i32, cover: Cover| (year >= first).then_some(cover);
        match self {
            Holiday::SeollalEve
            | Holiday::Seollal
            | Holiday::SeollalAfter
            | Holiday::ChuseokEve
            | Holiday::Chuseok
            | Holiday::ChuseokAfter => since(2014, Cover::Sunday),
            Holiday::Children => since(2014, Cover::Weekend),
            Holiday::Independence | Holiday::Liberation | Holiday::Foundation | Holiday::Hangul => {
                since(2021, Cover::Weekend)
            }
            Holiday::Buddha | Holiday::Christmas => since(2023, Cover::Weekend),
            Holiday::Constitution | Holiday::Labour => since(2026, Cover::Weekend),
            Holiday::NewYear
            | Holiday::Memorial
            | Holiday::Presidential
            | Holiday::Assembly
            | Holiday::Local => None,
        }
    }
}

/// The solar date of a lunar date (not a leap month) from KASI's table, if the table covers it.
fn lunar(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(LUNAR_FIRST_YEAR..=LUNAR_LAST_YEAR).contains(&year) {
        return None;
    }
    let mut converter = rs_klc::LunarSolarConverter::new();
    if !converter.set_lunar_date(year, month, day, false) {
        return None;
    }
    let solar_year = i32::try_from(converter.solar_year()).ok()?;
    NaiveDate::from_ymd_opt(solar_year, converter.solar_month(), converter.solar_day())
}

/// The fixed-date and lunar holidays of `year` (공휴일에 관한 법률 제2조), in date order.
fn fixed_and_lunar(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let mut days = Vec::new();
    let mut fixed = |month: u32, day: u32, holiday: Holiday| {
        if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
            days.push((date, holiday));
        }
    };
    fixed(1, 1, Holiday::NewYear);
    fixed(3, 1, Holiday::Independence);
    if year >= 2026 {
        fixed(5, 1, Holiday::Labour);
    }
    fixed(5, 5, Holiday::Children);
    fixed(6, 6, Holiday::Memorial);
    // 제헌절 was taken off the list from 2008 and put back by the 2026 amendment.
    if year <= 2007 || year >= 2026 {
        fixed(7, 17, Holiday::Constitution);
    }
    fixed(8, 15, Holiday::Liberation);
    fixed(10, 3, Holiday::Foundation);
    // 한글날 was not a holiday from 1991 to 2012.
    if year <= 1990 || year >= 2013 {
        fixed(10, 9, Holiday::Hangul);
    }
    fixed(12, 25, Holiday::Christmas);
    let one_day = TimeDelta::days(1);
    let mut three_days = |day: Option<NaiveDate>, names: [Holiday; 3]| {
        if let Some(day) = day {
            let dates = [
                day.checked_sub_signed(one_day),
                Some(day),
                day.checked_add_signed(one_day),
            ];
            for (date, holiday) in dates.into_iter().zip(names) {
                if let Some(date) = date {
                    days.push((date, holiday));
                }
            }
        }
    };
    three_days(
        lunar(year, 1, 1),
        [Holiday::SeollalEve, Holiday::Seollal, Holiday::SeollalAfter],
    );
    three_days(
        lunar(year, 8, 15),
        [Holiday::ChuseokEve, Holiday::Chuseok, Holiday::ChuseokAfter],
    );
    if let Some(date) = lunar(year, 4, 8) {
        days.push((date, Holiday::Buddha));
    }
    days.sort_by_key(|&(date, _)| date);
    days
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// One substitute holiday: its day and the holiday(s) it stands in for.
struct Substitute {
    date: NaiveDate,
    for_ko: String,
    for_en: String,
}

/// The substitute holidays of a year (관공서의 공휴일에 관한 규정 제3조): a day that loses a
/// holiday — an eligible holiday on a Sunday (or a Saturday, for those covered then), or two
/// holidays on one weekday — gets the first following weekday that is not a holiday, one per day
/// lost, in date order (so two substitutes never land on one day). `taken` holds every holiday
/// of the year and receives the substitutes.
fn substitutes(
    year: i32,
    base: &[(NaiveDate, Holiday)],
    data_dates: &[NaiveDate],
    taken: &mut BTreeSet<NaiveDate>,
) -> Vec<Substitute> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&(date, _)) = base.get(i) {
        let on_day: Vec<Holiday> = base
            .iter()
            .skip(i)
            .take_while(|(d, _)| *d == date)
            .map(|&(_, h)| h)
            .collect();
        i += on_day.len();
        let count = on_day.len() + data_dates.iter().filter(|d| **d == date).count();
        let weekday = date.weekday();
        let claims: Vec<Holiday> = on_day
            .iter()
            .copied()
            .filter(|h| match h.substitute(year) {
                None => false,
                Some(cover) => {
                    weekday == Weekday::Sun
                        || (weekday == Weekday::Sat && cover == Cover::Weekend)
                        || count >= 2
                }
            })
            .collect();
        // On a weekday one of the holidays is still had; on a weekend every claim is lost.
        let lost = if is_weekend(date) {
            claims.len()
        } else {
            claims.len().min(count.saturating_sub(1))
        };
        let joined = |pick: fn((&'static str, &'static str)) -> &'static str| {
            on_day
                .iter()
                .map(|h| pick(h.names()))
                .collect::<Vec<_>>()
                .join("·")
        };
        for n in 0..lost {
            let (for_ko, for_en) = match claims.get(n) {
                Some(h) if lost == claims.len() => {
                    (h.names().0.to_string(), h.names().1.to_string())
                }
                _ => (joined(|n| n.0), joined(|n| n.1)),
            };
            let mut day = date;
            let found = loop {
                match day.succ_opt() {
                    Some(next) => day = next,
                    None => break None,
                }
                if !is_weekend(day) && !taken.contains(&day) {
                    break Some(day);
                }
            };
            if let Some(day) = found {
                taken.insert(day);
                out.push(Substitute {
                    date: day,
                    for_ko,
                    for_en,
                });
            }
        }
    }
    out
}

/// The days the presidents' terms ended or end (헌법 제70조: five years; 공직선거법 제14조: a
/// successor's term starts the day after): the known ones before the current term; after it the
/// terms follow each other every five years from [`PRESIDENT_TERM_ENDS`].
const PAST_PRESIDENT_TERMS_END: [(i32, u32, u32); 3] = [(2008, 2, 24), (2013, 2, 24), (2022, 5, 9)];

/// The end of the 21st president's term (elected early on 2025-06-03, in office from 2025-06-04);
/// the next terms end on the same day every five years.
const PRESIDENT_TERM_ENDS: (i32, u32, u32) = (2030, 6, 3);

/// The election days of `year` (공직선거법 제34조): the first Wednesday from the 70th
/// (president), 50th (National Assembly, terms ending 29 May every four years from 2008) or 30th
/// (local, terms ending 30 June every four years from 2006) day before the term ends — or the
/// Wednesday after, when that day, the day before or the day after is a holiday.
fn elections(year: i32, taken: &BTreeSet<NaiveDate>) -> Vec<(NaiveDate, Holiday)> {
    let mut terms: Vec<(NaiveDate, u64, Holiday)> = Vec::new();
    let ymd = |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d);
    for (y, m, d) in PAST_PRESIDENT_TERMS_END {
        if let Some(end) = ymd((y, m, d)) {
            terms.push((end, 70, Holiday::Presidential));
        }
    }
    let (first, month, day) = PRESIDENT_TERM_ENDS;
    for end_year in [Some(year), year.checked_add(1)].into_iter().flatten() {
        if end_year >= first
            && (end_year - first).rem_euclid(5) == 0
            && let Some(end) = ymd((end_year, month, day))
        {
            terms.push((end, 70, Holiday::Presidential));
        }
    }
    if year >= 2008
        && year.rem_euclid(4) == 0
        && let Some(end) = ymd((year, 5, 29))
    {
        terms.push((end, 50, Holiday::Assembly));
    }
    if year >= 2006
        && (year - 2006).rem_euclid(4) == 0
        && let Some(end) = ymd((year, 6, 30))
    {
        terms.push((end, 30, Holiday::Local));
    }
    let holiday = |date: Option<NaiveDate>| date.is_some_and(|d| taken.contains(&d));
    let mut out = Vec::new();
    for (end, days_before, kind) in terms {
        let Some(start) = end.checked_sub_days(chrono::Days::new(days_before)) else {
            continue;
        };
        let to_wednesday = (7 + 2 - i64::from(start.weekday().num_days_from_monday())) % 7;
        let Some(wednesday) = start.checked_add_signed(TimeDelta::days(to_wednesday)) else {
            continue;
        };
        let one = TimeDelta::days(1);
        let clash = holiday(Some(wednesday))
            || holiday(wednesday.checked_sub_signed(one))
            || holiday(wednesday.checked_add_signed(one));
        let day = if clash {
            wednesday.checked_add_signed(TimeDelta::days(7))
        } else {
            Some(wednesday)
        };
        if let Some(day) = day.filter(|d| d.year() == year) {
            out.push((day, kind));
        }
    }
    out
}

/// Every public holiday of `year` — the law's and the data file's — in date order.
fn national_year(year: i32) -> Vec<DayOff> {
    let base = fixed_and_lunar(year);
    let data: Vec<&OneOff> = DATA.days.iter().filter(|d| d.date.year() == year).collect();
    let data_dates: Vec<NaiveDate> = data.iter().map(|d| d.date).collect();
    let mut taken: BTreeSet<NaiveDate> = base.iter().map(|&(d, _)| d).collect();
    taken.extend(data_dates.iter().copied());
    let substitutes = substitutes(year, &base, &data_dates, &mut taken);
    let elections = elections(year, &taken);

    let law = |date: NaiveDate, holiday: Holiday| {
        let (name_ko, name_en) = holiday.names();
        let (basis_ko, basis_en) = holiday.basis();
        DayOff {
            date,
            name_ko: Cow::Borrowed(name_ko),
            name_en: Cow::Borrowed(name_en),
            source: Source::Law,
            substitute_for: None,
            basis_ko: Cow::Borrowed(basis_ko),
            basis_en: Cow::Borrowed(basis_en),
        }
    };
    let mut days: Vec<DayOff> = base
        .iter()
        .chain(elections.iter())
        .map(|&(date, holiday)| law(date, holiday))
        .collect();
    days.extend(substitutes.into_iter().map(|s| DayOff {
        date: s.date,
        name_ko: Cow::Borrowed(SUBSTITUTE_NAME.0),
        name_en: Cow::Borrowed(SUBSTITUTE_NAME.1),
        source: Source::Law,
        substitute_for: Some((Cow::Owned(s.for_ko), Cow::Owned(s.for_en))),
        basis_ko: Cow::Borrowed(SUBSTITUTE_RULE.0),
        basis_en: Cow::Borrowed(SUBSTITUTE_RULE.1),
    }));
    days.extend(data.iter().map(|d| DayOff {
        date: d.date,
        name_ko: Cow::Borrowed(d.name_ko),
        name_en: Cow::Borrowed(d.name_en),
        source: Source::Data,
        substitute_for: None,
        basis_ko: Cow::Borrowed(d.source),
        basis_en: Cow::Borrowed(d.source),
    }));
    // Stable: on a day with two holidays the law's come first, in the order of the list above.
    days.sort_by_key(|d| d.date);
    days
}

/// Years already worked out. Holidays of a year never change while casedesk runs, so they are
/// kept; the map is emptied when it grows large (a walk over centuries of business days).
static YEARS: LazyLock<Mutex<HashMap<i32, Arc<[DayOff]>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

const YEARS_KEPT: usize = 4096;

/// The public holidays of `year`, worked out once.
fn national(year: i32) -> Arc<[DayOff]> {
    let cached = YEARS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&year)
        .cloned();
    if let Some(days) = cached {
        return days;
    }
    let days: Arc<[DayOff]> = national_year(year).into();
    let mut years = YEARS.lock().unwrap_or_else(PoisonError::into_inner);
    if years.len() >= YEARS_KEPT {
        years.clear();
    }
    years.insert(year, days.clone());
    days
}

// ---------------------------------------------------------------------------------------------
// The data file
// ---------------------------------------------------------------------------------------------

/// One dated line of the data file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OneOff {
    date: NaiveDate,
    name_ko: &'static str,
    name_en: &'static str,
    source: &'static str,
}

/// The data file read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Data {
    days: Vec<OneOff>,
    /// The last year whose one-off days are all listed.
    known_through: i32,
}

const DATA_TXT: &str = include_str!("holidays_kr.txt");

static DATA: LazyLock<Data> = LazyLock::new(|| parse_data(DATA_TXT).0);

/// Reads the data file: its days in date order and the 1-based numbers of the lines that could
/// not be read. Without a `known-through` line no year counts as known.
fn parse_data(text: &'static str) -> (Data, Vec<usize>) {
    let mut data = Data {
        days: Vec::new(),
        known_through: i32::MIN,
    };
    let mut malformed = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(year) = line.strip_prefix("known-through ") {
            match year.trim().parse() {
                Ok(year) => data.known_through = year,
                Err(_) => malformed.push(index + 1),
            }
            continue;
        }
        let fields: Vec<&'static str> = line.split('|').map(str::trim).collect();
        let parsed = match fields.as_slice() {
            [date, ko, en, source] if [ko, en, source].iter().all(|f| !f.is_empty()) => {
                NaiveDate::parse_from_str(date, "%Y-%m-%d")
                    .ok()
                    .map(|date| OneOff {
                        date,
                        name_ko: ko,
                        name_en: en,
                        source,
                    })
            }
            _ => None,
        };
        match parsed {
            Some(day) => data.days.push(day),
            None => malformed.push(index + 1),
        }
    }
    data.days.sort_by_key(|d| d.date);
    (data, malformed)
}

// ---------------------------------------------------------------------------------------------
// The calendar
// ---------------------------------------------------------------------------------------------

/// The days off in force: the public holidays, and the office's own closing days when it has
/// some. Cheap to clone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    /// The office's closing days, in date order.
    office: Arc<[OfficeDay]>,
}

/// The sorted distinct days off of one year.
struct YearOff {
    year: i32,
    dates: Vec<NaiveDate>,
}

impl YearOff {
    fn is_business_day(&self, date: NaiveDate) -> bool {
        !is_weekend(date) && self.dates.binary_search(&date).is_err()
    }

    fn business_days(&self) -> u64 {
        let off = self.dates.iter().filter(|d| !is_weekend(**d)).count() as u64;
        weekdays_in_year(self.year).saturating_sub(off)
    }
}

/// Monday-to-Friday days in `year`: 52 whole weeks, and the one or two days left over have the
/// weekdays of 1 and 2 January.
fn weekdays_in_year(year: i32) -> u64 {
    let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1) else {
        return 0;
    };
    let leap = NaiveDate::from_ymd_opt(year, 2, 29).is_some();
    let start = first.weekday().num_days_from_monday();
    let extra = (0..if leap { 2 } else { 1 })
        .filter(|i| (start + i) % 7 < 5)
        .count() as u64;
    52 * 5 + extra
}

/// Past the lunar table, the data file and the rules' last change, the public holidays of a year
/// depend only on where it falls in the 400-year Gregorian cycle (the election cycles of four
/// and five years divide it): so whole cycles can be counted at once.
const REPEATS_AFTER: i32 = LUNAR_LAST_YEAR;

/// Before the lunar table (and long before any election day, data line or rule change) the same
/// holds going back.
const REPEATS_BEFORE: i32 = LUNAR_FIRST_YEAR;

const CYCLE_YEARS: i32 = 400;

static CYCLE_AFTER: LazyLock<u64> = LazyLock::new(|| cycle_business_days(REPEATS_AFTER + 1));
static CYCLE_BEFORE: LazyLock<u64> =
    LazyLock::new(|| cycle_business_days(REPEATS_BEFORE - CYCLE_YEARS));

fn cycle_business_days(first: i32) -> u64 {
    let calendar = Calendar::national();
    (first..first + CYCLE_YEARS)
        .map(|year| calendar.year_off(year).business_days())
        .sum()
}

static NATIONAL: LazyLock<Calendar> = LazyLock::new(Calendar::default);

impl Calendar {
    /// The public holidays alone (no office days).
    pub fn national() -> Calendar {
        NATIONAL.clone()
    }

    /// The public holidays and the office's closing days.
    pub fn with_office_days(mut days: Vec<OfficeDay>) -> Calendar {
        days.sort_by_key(|d| d.date);
        Calendar {
            office: days.into(),
        }
    }

    /// The office's closing days, in date order.
    pub fn office_days(&self) -> &[OfficeDay] {
        &self.office
    }

    /// The last year whose one-off public holidays (temporary holidays, early elections) the
    /// shipped data lists in full.
    pub fn known_through() -> i32 {
        DATA.known_through
    }

    fn office_in(&self, year: i32) -> &[OfficeDay] {
        let start = self.office.partition_point(|d| d.date.year() < year);
        let end = self.office.partition_point(|d| d.date.year() <= year);
        self.office.get(start..end).unwrap_or_default()
    }

    /// Every day off in `year`, in date order: the law's, the data file's, the office's.
    pub fn days_off(&self, year: i32) -> Vec<DayOff> {
        let mut days: Vec<DayOff> = national(year).to_vec();
        days.extend(self.office_in(year).iter().map(OfficeDay::day_off));
        days.sort_by_key(|d| d.date);
        days
    }

    /// The days off falling on `date` (more than one when two holidays meet).
    pub fn days_off_on(&self, date: NaiveDate) -> Vec<DayOff> {
        let mut days: Vec<DayOff> = national(date.year())
            .iter()
            .filter(|d| d.date == date)
            .cloned()
            .collect();
        days.extend(
            self.office_in(date.year())
                .iter()
                .filter(|d| d.date == date)
                .map(OfficeDay::day_off),
        );
        days
    }

    fn year_off(&self, year: i32) -> YearOff {
        let mut dates: Vec<NaiveDate> = national(year).iter().map(|d| d.date).collect();
        dates.extend(self.office_in(year).iter().map(|d| d.date));
        dates.sort();
        dates.dedup();
        YearOff { year, dates }
    }

    /// True on a weekday that is neither a public holiday nor an office closing day.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        !is_weekend(date)
            && !national(date.year()).iter().any(|d| d.date == date)
            && !self.office_in(date.year()).iter().any(|d| d.date == date)
    }

    /// `from` moved by `n` business days (negative goes back, zero returns `from`); beyond the
    /// dates chrono can hold it stops at the first or last of them.
    pub fn add_business_days(&self, from: NaiveDate, n: i64) -> NaiveDate {
        self.checked_add_business_days(from, n).unwrap_or(if n < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
    }

    /// `from` moved by `n` business days, or `None` past the dates chrono can hold.
    pub fn checked_add_business_days(&self, from: NaiveDate, n: i64) -> Option<NaiveDate> {
        let forward = n >= 0;
        let mut left = n.unsigned_abs();
        // Every business day takes at least a calendar day.
        let room = if forward {
            NaiveDate::MAX.signed_duration_since(from)
        } else {
            from.signed_duration_since(NaiveDate::MIN)
        }
        .num_days();
        if left > u64::try_from(room).unwrap_or(0) {
            return None;
        }
        // Where whole 400-year cycles may be skipped: past the office's own days too.
        let repeats_after = self
            .office
            .last()
            .map_or(REPEATS_AFTER, |d| d.date.year().max(REPEATS_AFTER));
        let repeats_before = self
            .office
            .first()
            .map_or(REPEATS_BEFORE, |d| d.date.year().min(REPEATS_BEFORE));
        let mut date = from;
        let mut year = self.year_off(date.year());
        while left > 0 {
            let at_edge = if forward {
                (date.month(), date.day()) == (12, 31)
            } else {
                (date.month(), date.day()) == (1, 1)
            };
            if at_edge {
                // Count whole years (and whole cycles) instead of stepping through them.
                let next = if forward {
                    date.year().checked_add(1)?
                } else {
                    date.year().checked_sub(1)?
                };
                let cycle = if forward && next > repeats_after {
                    Some(*CYCLE_AFTER)
                } else if !forward && next < repeats_before {
                    Some(*CYCLE_BEFORE)
                } else {
                    None
                };
                if let Some(cycle) = cycle.filter(|c| *c > 0) {
                    let cycles = (left - 1) / cycle;
                    if cycles > 0 {
                        let years = i32::try_from(cycles.checked_mul(400)?).ok()?;
                        date = if forward {
                            NaiveDate::from_ymd_opt(date.year().checked_add(years)?, 12, 31)?
                        } else {
                            NaiveDate::from_ymd_opt(date.year().checked_sub(years)?, 1, 1)?
                        };
                        left -= cycles * cycle;
                        continue;
                    }
                }
                let off = self.year_off(next);
                let count = off.business_days();
                if left > count {
                    left -= count;
                    date = if forward {
                        NaiveDate::from_ymd_opt(next, 12, 31)?
                    } else {
                        NaiveDate::from_ymd_opt(next, 1, 1)?
                    };
                    continue;
                }
                year = off;
            }
            date = if forward {
                date.succ_opt()?
            } else {
                date.pred_opt()?
            };
            if date.year() != year.year {
                year = self.year_off(date.year());
            }
            if year.is_business_day(date) {
                left -= 1;
            }
        }
        Some(date)
    }

    /// Why the days off known for `date` may be incomplete, if they may.
    pub fn caveat(&self, date: NaiveDate) -> Option<Caveat> {
        let year = date.year();
        if year > LUNAR_LAST_YEAR {
            Some(Caveat::NoLunar { year })
        } else if year > Calendar::known_through() {
            Some(Caveat::Unannounced { year })
        } else {
            None
        }
    }

    /// A date as a person checks it before saving: its weekday and what falls on it (public
    /// holiday, office closing day, weekend) — `2027-05-03 (월) · 공휴일 대체공휴일(노동절)` — or,
    /// on a business day of a year whose holidays may still change, why:
    /// `2027-03-05 (금) · 임시공휴일은 아직 발표 전`.
    pub fn describe(&self, date: NaiveDate, lang: Lang) -> String {
        let mut text = crate::i18n::day(date, lang);
        let off = self.days_off_on(date);
        let names = |source: fn(Source) -> bool| {
            off.iter()
                .filter(|d| source(d.source))
                .map(|d| d.label(lang))
                .collect::<Vec<_>>()
                .join("·")
        };
        let public = names(|s| s != Source::Office);
        let office = names(|s| s == Source::Office);
        if !public.is_empty() {
            text.push_str(&format!(" · {} {public}", lang.pick("공휴일", "holiday:")));
        }
        if !office.is_empty() {
            text.push_str(&format!(
                " · {} {office}",
                lang.pick("기관 휴무", "office closed:")
            ));
        }
        if public.is_empty() && office.is_empty() {
            if is_weekend(date) {
                text.push_str(lang.pick(" · 주말", " · weekend"));
            } else if let Some(caveat) = self.caveat(date) {
                // Only where it matters: a day that looks like a business day.
                text.push_str(&format!(" · {}", caveat.localize(lang)));
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn shipped_data_file_reads_whole_and_holds_no_day_a_rule_gives() {
        let (data, malformed) = parse_data(DATA_TXT);
        assert_eq!(malformed, Vec::<usize>::new());
        assert_eq!(data.known_through, 2026);
        assert!(!data.days.is_empty());
        let mut dates: Vec<NaiveDate> = data.days.iter().map(|d| d.date).collect();
        dates.dedup();
        assert_eq!(dates.len(), data.days.len(), "no date is listed twice");
        for day in &data.days {
            let rules: Vec<NaiveDate> = fixed_and_lunar(day.date.year())
                .iter()
                .map(|&(d, _)| d)
                .collect();
            assert!(
                !rules.contains(&day.date),
                "{} is given by a rule",
                day.date
            );
        }
    }

    #[test]
    fn malformed_data_lines_are_reported_by_number() {
        let text = "# header\n\nknown-through 2030\n2026-01-02 | 임시 | temp | 관보\n2026-13-01 | a | b | c\n2026-02-01 | a | b\nnot a date\n2026-03-01 | | b | c\nknown-through soon\n";
        let (data, malformed) = parse_data(text);
        assert_eq!(data.known_through, 2030);
        assert_eq!(data.days.len(), 1);
        assert_eq!(data.days[0].name_ko, "임시");
        assert_eq!(malformed, vec![5, 6, 7, 8, 9]);
    }

    #[test]
    fn lunar_holidays_follow_the_kasi_table() {
        // 설날, 부처님오신날, 추석 as announced (천문연구원 월력요항).
        assert_eq!(lunar(2026, 1, 1), Some(ymd(2026, 2, 17)));
        assert_eq!(lunar(2027, 4, 8), Some(ymd(2027, 5, 13)));
        assert_eq!(lunar(2028, 8, 15), Some(ymd(2028, 10, 3)));
        assert_eq!(lunar(2050, 8, 15), Some(ymd(2050, 9, 30)));
        assert_eq!(lunar(2051, 1, 1), None);
        assert_eq!(lunar(1390, 1, 1), None);
        assert_eq!(lunar(i32::MIN, 1, 1), None);
    }

    #[test]
    fn election_days_move_off_holidays_and_their_neighbours() {
        let days = |year: i32| -> Vec<(NaiveDate, String)> {
            national(year)
                .iter()
                .filter(|d| d.basis_ko.starts_with("공직선거법"))
                .map(|d| (d.date, d.name_ko.to_string()))
                .collect()
        };
        let e = |date: NaiveDate, name: &str| (date, name.to_string());
        // 2018: the first Wednesday from 31 May was 6 June, 현충일 → the next Wednesday.
        assert_eq!(days(2018), vec![e(ymd(2018, 6, 13), "전국동시지방선거")]);
        // 2022: 2 March follows 삼일절 → 9 March.
        assert_eq!(
            days(2022),
            vec![
                e(ymd(2022, 3, 9), "대통령선거일"),
                e(ymd(2022, 6, 1), "전국동시지방선거")
            ]
        );
        assert_eq!(days(2028), vec![e(ymd(2028, 4, 12), "국회의원선거일")]);
        // 2030: the term from 2025-06-04 ends 2030-06-03; 6 June (현충일) follows 5 June.
        assert_eq!(
            days(2030),
            vec![
                e(ymd(2030, 3, 27), "대통령선거일"),
                e(ymd(2030, 6, 12), "전국동시지방선거")
            ]
        );
        // The 2025 and 2017 presidential elections were early: in the data file, not the rules.
        assert_eq!(days(2025), vec![]);
        assert_eq!(days(2017), vec![]);
    }

    #[test]
    fn substitutes_name_what_they_stand_in_for() {
        let sub = |date: NaiveDate| {
            Calendar::national()
                .days_off_on(date)
                .into_iter()
                .find(|d| d.substitute_for.is_some())
                .map(|d| d.label(Lang::Ko))
        };
        assert_eq!(sub(ymd(2027, 5, 3)).as_deref(), Some("대체공휴일(노동절)"));
        assert_eq!(
            sub(ymd(2025, 5, 6)).as_deref(),
            Some("대체공휴일(어린이날·부처님오신날)")
        );
        assert_eq!(
            sub(ymd(2028, 10, 5)).as_deref(),
            Some("대체공휴일(개천절·추석)")
        );
        assert_eq!(
            sub(ymd(2025, 10, 8)).as_deref(),
            Some("대체공휴일(추석 전날)")
        );
    }

    #[test]
    fn two_substitutes_never_share_a_day() {
        for year in FIRST_YEAR..=LUNAR_LAST_YEAR {
            let days = national(year);
            let mut subs: Vec<NaiveDate> = days
                .iter()
                .filter(|d| d.substitute_for.is_some())
                .map(|d| d.date)
                .collect();
            let n = subs.len();
            subs.dedup();
            assert_eq!(subs.len(), n, "{year}");
            for d in &subs {
                assert!(!is_weekend(*d), "{d}");
                assert_eq!(days.iter().filter(|x| x.date == *d).count(), 1, "{d}");
            }
        }
    }

    #[test]
    fn weekdays_per_year() {
        assert_eq!(weekdays_in_year(2026), 261); // Thursday start, not leap
        assert_eq!(weekdays_in_year(2028), 260); // Saturday start, leap: Sat and Sun left over
        assert_eq!(weekdays_in_year(2032), 262); // Thursday start, leap
    }

    #[test]
    fn the_calendar_repeats_every_400_years_past_the_tables() {
        let a = Calendar::national().year_off(2100);
        let b = Calendar::national().year_off(2500);
        let shift = |d: &NaiveDate| ymd(d.year() + 400, d.month(), d.day());
        assert_eq!(a.dates.iter().map(shift).collect::<Vec<_>>(), b.dates);
        let c = Calendar::national().year_off(1000);
        let e = Calendar::national().year_off(600);
        assert_eq!(e.dates.iter().map(shift).collect::<Vec<_>>(), c.dates);
    }

    #[test]
    fn describe_says_what_falls_on_a_day() {
        let office = Calendar::with_office_days(vec![OfficeDay {
            date: ymd(2026, 3, 3),
            name: "개청기념일".into(),
            name_en: None,
            origin: "closing-days.toml:2".into(),
        }]);
        assert_eq!(
            office.describe(ymd(2026, 3, 3), Lang::Ko),
            "2026-03-03 (화) · 기관 휴무 개청기념일"
        );
        assert_eq!(
            office.describe(ymd(2026, 5, 1), Lang::En),
            "2026-05-01 (Fri) · holiday: Labour Day"
        );
        assert_eq!(
            office.describe(ymd(2026, 11, 28), Lang::En),
            "2026-11-28 (Sat) · weekend"
        );
        assert_eq!(
            office.describe(ymd(2027, 5, 3), Lang::Ko),
            "2027-05-03 (월) · 공휴일 대체공휴일(노동절)"
        );
        assert_eq!(
            office.describe(ymd(2027, 5, 4), Lang::Ko),
            "2027-05-04 (화) · 임시공휴일은 아직 발표 전"
        );
        assert_eq!(
            office.describe(ymd(2051, 2, 1), Lang::En),
            "2051-02-01 (Wed) · lunar holidays after 2050 not counted"
        );
    }
}
