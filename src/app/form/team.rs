//! The team form: a new department or outside agency (code, names, inside or outside), the same
//! as `casedesk team add`, without leaving the screens. The fields it opens with, and the
//! command it makes. Pure.

use super::fields::{eg, field, text};
use super::{FieldId, Form, FormKind, Input, Reading};
use crate::app::message::FormError;
use crate::domain::vocab::TeamKind;
use crate::domain::{Command, DomainError, Team, TeamCode};
use crate::i18n::Lang;

/// A form for a new team or agency; outside agencies are the usual case, so it starts there.
pub fn add_team(lang: Lang) -> Form {
    Form::new(
        FormKind::AddTeam,
        String::new(),
        vec![
            field(FieldId::TeamCode, true, text("", &eg(lang, "LIB", "LIB"))),
            field(
                FieldId::TeamName,
                true,
                text("", &eg(lang, "동구종합사회복지관", "동구종합사회복지관")),
            ),
            field(
                FieldId::TeamNameEn,
                false,
                text(
                    "",
                    &eg(lang, "Donggu welfare centre", "Donggu welfare centre"),
                ),
            ),
            field(FieldId::External, false, Input::Toggle(true)),
        ],
    )
}

/// The command a team form makes: the code must be upper-case letters, digits or `_`.
pub(super) fn add_team_command(r: &Reading) -> Result<Command, FormError> {
    let typed = r.text(FieldId::TeamCode);
    let code = TeamCode::new(typed.trim().to_uppercase().as_str()).ok_or(FormError::Refused(
        DomainError::BadTeamCode {
            input: typed.clone(),
        },
    ))?;
    Ok(Command::AddTeam {
        team: Team {
            code,
            name_ko: r.text(FieldId::TeamName).trim().to_string(),
            name_en: r.text(FieldId::TeamNameEn).trim().to_string(),
            kind: if r.toggle(FieldId::External) {
                TeamKind::External
            } else {
                TeamKind::Internal
            },
            contact: None,
        },
    })
}
