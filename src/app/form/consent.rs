//! The consent form: record a consent (to collect and use, or to share with a named outside
//! agency; its day and who gave it) or withdraw one the case has. Its fields, and the command it
//! makes. Pure.

use chrono::NaiveDate;

use super::fields::{choice, eg, field, text};
use super::{FieldId, Form, FormKind, Reading};
use crate::app::message::FormError;
use crate::domain::vocab::{ConsentGiver, ConsentKind, TeamKind};
use crate::domain::{CaseNumber, Command, DomainError, NewConsent, State};
use crate::i18n::Lang;

/// The code of the "record a consent" choice; a withdrawal is `withdraw:N`.
const ADD: &str = "add";

/// A consent form for a case; its title lists the consents that stand.
pub fn consent_form(
    state: &State,
    number: CaseNumber,
    today: NaiveDate,
    lang: Lang,
) -> Option<Form> {
    let case = state.cases.get(&number)?;
    let mut todo = vec![(
        ADD.to_string(),
        lang.pick("동의 기록", "record a consent").to_string(),
    )];
    for (i, record) in case.consent.entries().iter().enumerate() {
        if record.withdrawn_on.is_none() {
            todo.push((
                format!("withdraw:{}", i + 1),
                format!(
                    "{} {}: {}",
                    lang.pick("철회", "withdraw"),
                    i + 1,
                    record.label(lang)
                ),
            ));
        }
    }
    let kinds = ConsentKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), k.label(lang).to_string()))
        .collect();
    let agencies = std::iter::once((String::new(), "-".to_string()))
        .chain(
            state
                .teams
                .values()
                .filter(|t| t.kind == TeamKind::External)
                .map(|t| (t.code.to_string(), format!("{} {}", t.code, t.name(lang)))),
        )
        .collect();
    let givers = ConsentGiver::ALL
        .iter()
        .map(|g| (g.code().to_string(), g.label(lang).to_string()))
        .collect();
    Some(Form::new(
        FormKind::Consent(number),
        case.consent_label(lang),
        vec![
            field(FieldId::ConsentDo, true, choice(todo, ADD)),
            field(
                FieldId::ConsentKind,
                true,
                choice(kinds, ConsentKind::Collection.code()),
            ),
            field(FieldId::ConsentAgency, false, choice(agencies, "")),
            field(
                FieldId::ConsentOn,
                true,
                text(&today.to_string(), &eg(lang, "오늘, 11/28", "today, 11/28")),
            ),
            field(
                FieldId::ConsentBy,
                true,
                choice(givers, ConsentGiver::Guardian.code()),
            ),
        ],
    ))
}

/// The command a consent form makes.
pub(super) fn consent_command(r: &Reading, number: CaseNumber) -> Result<Command, FormError> {
    let on = r
        .past(FieldId::ConsentOn)?
        .ok_or(FormError::Missing(FieldId::ConsentOn))?;
    let todo = r.code(FieldId::ConsentDo);
    if let Some(n) = todo.strip_prefix("withdraw:") {
        let n: u32 = n.parse().map_err(|_| DomainError::UnknownConsent {
            case: number,
            n: 0,
            count: 0,
        })?;
        return Ok(Command::WithdrawConsent {
            case: number,
            n,
            on,
        });
    }
    let kind = ConsentKind::parse(&r.code(FieldId::ConsentKind)).unwrap_or(ConsentKind::Collection);
    let agency = r.code(FieldId::ConsentAgency);
    let agency = if agency.is_empty() {
        None
    } else {
        Some(r.state.resolve_team(&agency)?)
    };
    Ok(Command::AddConsent {
        case: number,
        consent: NewConsent {
            kind,
            agency,
            given_on: on,
            given_by: ConsentGiver::parse(&r.code(FieldId::ConsentBy))
                .unwrap_or(ConsentGiver::Guardian),
        },
    })
}
