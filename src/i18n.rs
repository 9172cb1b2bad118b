//! The language of the screens and messages (Korean or English); no IO beyond reading the locale variables passed in.

/// A language casedesk can speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    /// 한국어
    Ko,
    /// English
    #[default]
    En,
}

impl Lang {
    /// Picks the language from locale values (`LC_ALL`, `LC_MESSAGES`, `LANG`, first set wins):
    /// Korean when it starts with `ko`, English otherwise.
    pub fn from_locale(values: &[Option<String>]) -> Lang {
        let first = values.iter().flatten().find(|v| !v.is_empty());
        match first {
            Some(v) if v.to_ascii_lowercase().starts_with("ko") => Lang::Ko,
            _ => Lang::En,
        }
    }

    /// Picks `ko` or `en` for this language.
    pub fn pick<'a>(self, ko: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ko => ko,
            Lang::En => en,
        }
    }
}

/// Something that can say itself in either language.
pub trait Localize {
    /// The text in `lang`.
    fn localize(&self, lang: Lang) -> String;
}

/// A weekday's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekdayName {
    /// The day.
    pub day: chrono::Weekday,
    /// `월`.
    pub ko: &'static str,
    /// `Mon`.
    pub en: &'static str,
    /// `Monday`.
    pub en_full: &'static str,
}

/// The weekdays, Monday first: the one table every date on a screen, in a list or typed in is
/// named from.
pub const WEEKDAYS: [WeekdayName; 7] = {
    use chrono::Weekday::*;
    const fn name(
        day: chrono::Weekday,
        ko: &'static str,
        en: &'static str,
        en_full: &'static str,
    ) -> WeekdayName {
        WeekdayName {
            day,
            ko,
            en,
            en_full,
        }
    }
    [
        name(Mon, "월", "Mon", "Monday"),
        name(Tue, "화", "Tue", "Tuesday"),
        name(Wed, "수", "Wed", "Wednesday"),
        name(Thu, "목", "Thu", "Thursday"),
        name(Fri, "금", "Fri", "Friday"),
        name(Sat, "토", "Sat", "Saturday"),
        name(Sun, "일", "Sun", "Sunday"),
    ]
};

/// The names of `day`.
pub fn weekday_name(day: chrono::Weekday) -> &'static WeekdayName {
    let i = day.num_days_from_monday() as usize;
    // `num_days_from_monday` is 0 to 6: the fallback is never taken.
    WEEKDAYS.get(i).unwrap_or(&WEEKDAYS[0])
}

/// `월` / `Mon`.
pub fn weekday(day: chrono::Weekday, lang: Lang) -> &'static str {
    let name = weekday_name(day);
    lang.pick(name.ko, name.en)
}

/// A date with its weekday: `2026-12-04 (금)` / `2026-12-04 (Fri)`.
pub fn day(date: chrono::NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    format!("{date} ({})", weekday(date.weekday(), lang))
}
