//! The language of the screens and messages (Korean or English); no IO beyond reading the locale variables passed in.

/// A language casedesk can speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
