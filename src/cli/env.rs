//! What the command line takes from the process: the store directory, language, clock and user.
//! The only place "now" is read; everything below gets it injected.

use crate::domain::referral::ReferralRule;
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::domain::dates::KOREA;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

use super::args::{Cli, LangArg};
use super::error::CliError;
use crate::domain::Ctx;
use crate::domain::holidays::Calendar;
use crate::i18n::Lang;

/// The process's view of the world.
#[derive(Debug, Clone)]
pub struct Env {
    /// Store directory.
    pub dir: PathBuf,
    /// Output language.
    pub lang: Lang,
    /// The days off in force, read from the closing-days file on first use.
    calendar: OnceLock<Calendar>,
    /// The moment of this run (from `CASEDESK_NOW` when set, for reproducible runs and tests).
    pub now: DateTime<FixedOffset>,
    /// Operating-system account.
    pub user: String,
    /// Open the store in this process rather than through the shared server.
    pub no_server: bool,
}

impl Env {
    /// Reads the environment for a run of `cli`.
    pub fn from_process(cli: &Cli) -> Result<Env, CliError> {
        let lang = lang(cli);
        let now = match std::env::var("CASEDESK_NOW") {
            Ok(text) if !text.trim().is_empty() => parse_now(&text)
                .filter(|t| (1900..=9999).contains(&t.year()))
                .ok_or(CliError::BadClock { text })?,
            _ => chrono::Utc::now().with_timezone(&KOREA),
        };
        let dir = match &cli.db {
            Some(dir) => dir.clone(),
            None => default_dir().ok_or(CliError::NoDataDir)?,
        };
        Ok(Env {
            dir,
            calendar: OnceLock::new(),
            lang,
            now,
            user: account(),
            no_server: cli.no_server,
        })
    }

    /// The context commands are decided in.
    pub fn ctx(&self) -> Ctx {
        Ctx {
            at: self.now,
            user: self.user.clone(),
        }
    }

    /// Today in the office's calendar.
    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// The days off in force: the public holidays and the office's closing days from
    /// `$XDG_CONFIG_HOME/casedesk/closing-days.toml` (read once; a bad file is an error with its
    /// line, never ignored).
    pub fn calendar(&self) -> Result<Calendar, CliError> {
        if let Some(calendar) = self.calendar.get() {
            return Ok(calendar.clone());
        }
        let calendar = match closing_days_file() {
            Some(path) => crate::closing_days::load(&path)?,
            None => Calendar::national(),
        };
        Ok(self.calendar.get_or_init(|| calendar).clone())
    }

    /// How long an agency has to answer a referral: `answer_days` in
    /// `$XDG_CONFIG_HOME/casedesk/referrals.toml`, else 5 business days.
    pub fn referral_rule(&self) -> Result<ReferralRule, CliError> {
        let Some(path) = directories::BaseDirs::new().map(|d| {
            d.config_dir()
                .join("casedesk")
                .join(crate::domain::referral::FILE_NAME)
        }) else {
            return Ok(ReferralRule::default());
        };
        let error = |problem: String| CliError::Referrals {
            file: path.display().to_string(),
            problem,
        };
        match std::fs::metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(ReferralRule::default());
            }
            Err(e) => return Err(error(e.to_string())),
            Ok(meta) if !meta.is_file() => return Err(error("not a regular file".into())),
            Ok(meta) if meta.len() > 4096 => return Err(error("larger than 4 KiB".into())),
            Ok(_) => {}
        }
        let text = std::fs::read_to_string(&path).map_err(|e| error(e.to_string()))?;
        crate::domain::referral::parse(&text).map_err(error)
    }
}

/// `$XDG_CONFIG_HOME/casedesk/closing-days.toml` (or `~/.config/…`), beside `keymap.toml`.
pub fn closing_days_file() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| {
        d.config_dir()
            .join("casedesk")
            .join(crate::closing_days::FILE_NAME)
    })
}

/// The language: `--lang`, else the locale variables.
pub fn lang(cli: &Cli) -> Lang {
    match cli.lang {
        Some(LangArg::Ko) => Lang::Ko,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_locale(&[
            std::env::var("LC_ALL").ok(),
            std::env::var("LC_MESSAGES").ok(),
            std::env::var("LANG").ok(),
        ]),
    }
}

/// `$XDG_DATA_HOME/casedesk` (or `~/.local/share/casedesk`).
pub fn default_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.data_dir().join("casedesk"))
}

/// Reads `CASEDESK_NOW`: RFC 3339, or a date and time or a date (09:00) in the office's time.
fn parse_now(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t);
    }
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(9, 0, 0)
        })?;
    KOREA.from_local_datetime(&naive).earliest()
}

/// The operating-system account running casedesk.
fn account() -> String {
    for var in ["USER", "LOGNAME"] {
        if let Ok(name) = std::env::var(var)
            && !name.trim().is_empty()
        {
            return name.trim().to_string();
        }
    }
    // The name the system gives the account, as a server reads it from a socket.
    crate::server::peer::own_account()
}
