//! The identifiers people type and scripts keep: case numbers (`2026-0001`), action ids
//! (`2026-0001/3`), team codes (`WEE`) and account names (`wee.han`); pure, no IO.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A case number `YYYY-NNNN`, counted per year of registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CaseNumber {
    /// Year the case was registered.
    pub year: u16,
    /// Running number within the year, from 1.
    pub seq: u32,
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:04}", self.year, self.seq)
    }
}

/// Why a typed identifier could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{input}' is not a {what}")]
pub struct IdError {
    /// What was typed.
    pub input: String,
    /// What it should have been.
    pub what: &'static str,
}

impl FromStr for CaseNumber {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || IdError {
            input: s.to_string(),
            what: "case number (YYYY-NNNN)",
        };
        let (year, seq) = s.trim().split_once('-').ok_or_else(err)?;
        if year.len() != 4 || seq.is_empty() || seq.len() > 9 {
            return Err(err());
        }
        if !year.bytes().all(|b| b.is_ascii_digit()) || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let year: u16 = year.parse().map_err(|_| err())?;
        let seq: u32 = seq.parse().map_err(|_| err())?;
        if year < 1900 || seq == 0 {
            return Err(err());
        }
        Ok(CaseNumber { year, seq })
    }
}

/// An action: the case it belongs to and its number within the case, written `2026-0001/3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActionId {
    /// The case the action belongs to.
    pub case: CaseNumber,
    /// Running number within the case, from 1.
    pub n: u32,
}

impl fmt::Display for ActionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.case, self.n)
    }
}

impl FromStr for ActionId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || IdError {
            input: s.to_string(),
            what: "action id (YYYY-NNNN/N)",
        };
        let (case, n) = s.trim().split_once('/').ok_or_else(err)?;
        let case: CaseNumber = case.parse().map_err(|_| err())?;
        if n.is_empty() || n.len() > 9 || !n.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let n: u32 = n.parse().map_err(|_| err())?;
        if n == 0 {
            return Err(err());
        }
        Ok(ActionId { case, n })
    }
}

/// A team's short code (`WEE`, `CPA`): upper-case ASCII letters, digits and `_`, up to 16.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TeamCode(String);

/// The code that stands for the student's own school as an action's owner.
pub const SCHOOL: &str = "SCHOOL";

impl TeamCode {
    /// Reads a code, upper-casing it; `None` if it has other characters or is too long.
    pub fn new(input: &str) -> Option<TeamCode> {
        let code = input.trim().to_ascii_uppercase();
        let ok = !code.is_empty()
            && code.len() <= 16
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            && code.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
        ok.then_some(TeamCode(code))
    }

    /// The student's own school as an action's owner (the homeroom teacher's part): not a team
    /// of the office, shown as the case's school.
    pub fn school() -> TeamCode {
        TeamCode(SCHOOL.to_string())
    }

    /// True for [`TeamCode::school`].
    pub fn is_school(&self) -> bool {
        self.0 == SCHOOL
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TeamCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! serde_as_string {
    ($t:ty, $parse:expr) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                let parse: fn(&str) -> Option<$t> = $parse;
                parse(&text)
                    .ok_or_else(|| serde::de::Error::custom(format!("bad identifier '{text}'")))
            }
        }
    };
}

serde_as_string!(CaseNumber, |s| s.parse().ok());
serde_as_string!(ActionId, |s| s.parse().ok());
serde_as_string!(TeamCode, TeamCode::new);

/// True for a name an operating-system account can have: starts with a lower-case letter or
/// `_`, then lower-case letters, digits, `.`, `_` or `-`; at most 32 characters.
pub fn valid_account(account: &str) -> bool {
    let mut chars = account.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    first_ok
        && account.len() <= 32
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_back_what_they_print() {
        let case = CaseNumber { year: 2026, seq: 7 };
        assert_eq!(case.to_string(), "2026-0007");
        assert_eq!("2026-0007".parse::<CaseNumber>(), Ok(case));
        assert_eq!("2026-7".parse::<CaseNumber>(), Ok(case));
        let big = CaseNumber {
            year: 2026,
            seq: 12345,
        };
        assert_eq!(big.to_string().parse::<CaseNumber>(), Ok(big));
        let action = ActionId { case, n: 3 };
        assert_eq!(action.to_string(), "2026-0007/3");
        assert_eq!("2026-0007/3".parse::<ActionId>(), Ok(action));
        for bad in [
            "",
            "2026",
            "2026-",
            "26-1",
            "2026-0",
            "2026-x1",
            "2026-0001/",
            "2026-0001/0",
            "-1-1",
        ] {
            assert!(
                bad.parse::<CaseNumber>().is_err() || bad.parse::<ActionId>().is_err(),
                "{bad}"
            );
        }
        assert!("2026-0001/0".parse::<ActionId>().is_err());
        assert_eq!(
            TeamCode::new("wee").map(|c| c.to_string()),
            Some("WEE".into())
        );
        assert_eq!(TeamCode::new("1AB"), None);
        assert_eq!(TeamCode::new("위"), None);
    }
}
