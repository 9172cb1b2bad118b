//! The live preview under a form's field: the date as it will be saved (with its weekday and
//! any holiday or closing day), the teams or domains typed, the case named — or why they cannot
//! be read. Made as the form is drawn. Pure.

use chrono::NaiveDate;

use super::{Field, FieldId, Form, FormKind};
use crate::domain::DomainError;
use crate::domain::State;
use crate::domain::holidays::Calendar;
use crate::domain::state::{parse_domains, parse_grade};
use crate::domain::vocab::TeamKind;
use crate::i18n::{Lang, Localize};

impl Form {
    /// The live preview under a field: the resolved date (with its weekday and any holiday),
    /// teams or domains, or why they cannot be read. `None` for fields without one.
    pub fn preview(
        &self,
        field: &Field,
        state: &State,
        calendar: &Calendar,
        today: NaiveDate,
        lang: Lang,
    ) -> Option<Result<String, String>> {
        if let super::Input::Choice(choice) = &field.input
            && choice.unresolved
        {
            let candidates = choice
                .candidates(3)
                .iter()
                .map(|(_, label)| label.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let several = choice.fitting_count() > 1;
            return Some(Err(match (lang, several) {
                (Lang::Ko, true) => format!("여럿에 맞습니다 — 후보: {candidates}"),
                (Lang::Ko, false) => format!("맞는 것이 없습니다 — 가까운 후보: {candidates}"),
                (Lang::En, true) => format!("fits several — candidates: {candidates}"),
                (Lang::En, false) => format!("fits none — closest: {candidates}"),
            }));
        }
        if field.id == FieldId::Team {
            return self.consent_warning(field, state, today, lang);
        }
        let typed = field.text();
        if typed.trim().is_empty() {
            return None;
        }
        let teams = |typed: &str| {
            state
                .resolve_teams(typed)
                .map(|codes| {
                    codes
                        .iter()
                        .map(|c| {
                            state
                                .team(c)
                                .map_or(c.to_string(), |t| format!("{} {}", t.code, t.name(lang)))
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .map_err(|e| e.localize(lang))
        };
        match field.id {
            FieldId::Due | FieldId::Review => Some(date_preview(&typed, calendar, today, lang)),
            FieldId::Date => Some(
                calendar
                    .parse_date_ahead(&typed, today)
                    .map(|d| crate::i18n::day(d, lang))
                    .map_err(|e| e.localize(lang)),
            ),
            FieldId::Case => Some(
                state
                    .find_case(&typed)
                    .and_then(|c| match c.merged_into {
                        // Only a pointer now: nothing can be recorded on it or moved from it.
                        Some(_) => Err(DomainError::MergedCase {
                            case: c.number,
                            into: state.merge_target(c.number),
                        }),
                        None => Ok(c),
                    })
                    .map_err(|e| e.localize(lang))
                    .map(|c| {
                        format!(
                            "{} {} · {} {} · {} · {}",
                            c.number,
                            crate::domain::masking::mask_name(&c.student.name),
                            c.school,
                            c.grade,
                            c.level.label(lang),
                            c.stage.label(lang)
                        )
                    }),
            ),
            FieldId::Birth | FieldId::ConsentOn => Some(
                calendar
                    .parse_date(&typed, today)
                    .map(|d| crate::i18n::day(d, lang))
                    .map_err(|e| e.localize(lang)),
            ),
            FieldId::CoTeams => Some(teams(&typed)),
            FieldId::Domains => {
                Some(
                    parse_domains(&typed)
                        .map(|(domains, concerns)| {
                            domains
                                .iter()
                                .map(|d| d.label(lang).to_string())
                                .chain(concerns.iter().map(|c| {
                                    format!("{} ({})", c.label(lang), c.domain().label(lang))
                                }))
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .map_err(|e| e.localize(lang)),
                )
            }
            FieldId::Grade => Some(
                parse_grade(&typed)
                    .map(|g| g.to_string())
                    .map_err(|e| e.localize(lang)),
            ),
            _ => None,
        }
    }
}

/// What to point out about a date a field resolves to, beside its weekday and days off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateNote {
    /// A month and day already past this year, so it was put in a later year.
    pub next_year: bool,
    /// More than six months ahead: the year is shown highlighted.
    pub far: bool,
}

impl Form {
    /// For a due, review or conference date field, what its preview must point out (a
    /// month/day moved to next year, a date far ahead); `None` for other fields, blank or
    /// unreadable dates, or nothing to point out.
    pub fn date_note(
        &self,
        field: &Field,
        calendar: &Calendar,
        today: NaiveDate,
    ) -> Option<DateNote> {
        if !matches!(field.id, FieldId::Due | FieldId::Review | FieldId::Date) {
            return None;
        }
        let typed = field.text();
        let date = calendar.parse_date_ahead(&typed, today).ok()?;
        let note = DateNote {
            next_year: calendar.rolls_to_next_year(&typed, today),
            far: crate::domain::dates::far_ahead(date, today),
        };
        (note != DateNote::default()).then_some(note)
    }
}

impl Form {
    /// Under an action's owner: a warning when it is an outside agency the case has no standing
    /// consent to share with (saving then needs a reason).
    pub(super) fn consent_warning(
        &self,
        field: &Field,
        state: &State,
        today: NaiveDate,
        lang: Lang,
    ) -> Option<Result<String, String>> {
        let case = match self.kind {
            FormKind::AddAction(n) => n,
            FormKind::EditAction(id) => id.case,
            _ => return None,
        };
        let case = state.cases.get(&case)?;
        let team = state.resolve_team(field.code()?).ok()?;
        let external = state.team(&team)?.kind == TeamKind::External;
        if !external || case.consent.may_share_with(&team, today) {
            return None;
        }
        if let FormKind::EditAction(id) = self.kind
            && state.actions.get(&id).is_some_and(|a| a.team == team)
        {
            return None;
        }
        Some(Err(lang
            .pick(
                "⚠ 제3자 제공 동의 없음: 아래에 사유를 적어야 저장됩니다",
                "⚠ no consent to share with it: give a reason below",
            )
            .to_string()))
    }
}

/// A due or review date as it will be saved — with its weekday, a warning when it falls on a
/// weekend, public holiday or office closing day, and a note when that year's holidays may still
/// change — or why it will be refused.
fn date_preview(
    typed: &str,
    calendar: &Calendar,
    today: NaiveDate,
    lang: Lang,
) -> Result<String, String> {
    let date = calendar
        .parse_date_ahead(typed, today)
        .map_err(|e| e.localize(lang))?;
    if date < today {
        return Err(DomainError::DueInPast { due: date, today }.localize(lang));
    }
    Ok(calendar.describe(date, lang))
}
