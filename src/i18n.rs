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

/// A date with its weekday: `2026-12-04 (금)` / `2026-12-04 (Fri)`.
pub fn day(date: chrono::NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    const KO: [&str; 7] = ["월", "화", "수", "목", "금", "토", "일"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let i = date.weekday().num_days_from_monday() as usize;
    format!("{date} ({})", lang.pick(KO[i], EN[i]))
}
