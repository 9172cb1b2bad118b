//! The forms of a running conference's one-key capture: a decision, the next review date, the
//! crisis level, the stage. Each: the fields it opens with, and the command it makes. Pure.

use super::fields::{choice, eg, field, level_options, lines, text};
use super::{FieldId, Form, FormKind, Reading};
use crate::app::message::FormError;
use crate::domain::vocab::{Level, Stage};
use crate::domain::{CaseNumber, CaseUpdate, Command, DomainError, State};
use crate::i18n::Lang;

/// A decision form for the item `case` of the running conference `id`.
pub fn decision(id: u32, case: CaseNumber, lang: Lang) -> Form {
    let mut form = Form::new(
        FormKind::Decision(id, case),
        String::new(),
        vec![field(
            FieldId::Decision,
            true,
            lines(lang.pick(
                "결정한 내용 (⟦newline⟧: 줄바꿈, Enter: 저장)",
                "what was decided (⟦newline⟧: new line, Enter: save)",
            )),
        )],
    );
    form.conference = Some(id);
    form
}

/// A next-review-date form.
pub fn review(
    state: &State,
    case: CaseNumber,
    conference: Option<u32>,
    lang: Lang,
) -> Option<Form> {
    state.cases.get(&case)?;
    let mut form = Form::new(
        FormKind::Review(case),
        String::new(),
        vec![field(
            FieldId::Review,
            true,
            text(
                "",
                &eg(lang, "+2w, 12/12, 다음주 금", "+2w, 12/12, next fri"),
            ),
        )],
    );
    form.conference = conference;
    Some(form)
}

/// A crisis-level form, on the case's level.
pub fn level(state: &State, case: CaseNumber, conference: Option<u32>, lang: Lang) -> Option<Form> {
    let current = state.cases.get(&case)?.level;
    let mut form = Form::new(
        FormKind::Level(case),
        String::new(),
        vec![field(
            FieldId::Level,
            true,
            choice(level_options(lang), current.code()),
        )],
    );
    form.conference = conference;
    Some(form)
}

/// A stage form, on the stage a case would move to next.
pub fn stage(state: &State, case: CaseNumber, conference: Option<u32>, lang: Lang) -> Option<Form> {
    let current = state.cases.get(&case)?.stage;
    let next = Stage::ALL
        .iter()
        .copied()
        .find(|s| *s > current && s.is_open())
        .unwrap_or(current);
    // Only the moves the rules allow: stay, one step on, or back to 진단 or 사례회의.
    let stages = Stage::ALL
        .iter()
        .filter(|s| {
            **s == current
                || **s == next
                || (matches!(s, Stage::Assessment | Stage::Conference) && **s < current)
        })
        .map(|s| (s.code().to_string(), s.label(lang).to_string()))
        .collect();
    let mut form = Form::new(
        FormKind::Stage(case),
        String::new(),
        vec![field(FieldId::Stage, true, choice(stages, next.code()))],
    );
    form.conference = conference;
    Some(form)
}

/// The command a decision form makes.
pub(super) fn decision_command(r: &Reading, conference: u32, case: CaseNumber) -> Command {
    Command::RecordDecision {
        conference,
        case,
        text: r.text(FieldId::Decision),
    }
}

/// The command a review-date form makes.
pub(super) fn review_command(r: &Reading, case: CaseNumber) -> Result<Command, FormError> {
    let review = r.required_date(FieldId::Review)?;
    Ok(Command::UpdateCase {
        case,
        change: CaseUpdate {
            review_on: Some(Some(review)),
            ..CaseUpdate::default()
        },
        conference: r.form.conference,
    })
}

/// The command a crisis-level form makes (`None`: the level stays).
pub(super) fn level_command(r: &Reading, case: CaseNumber) -> Result<Option<Command>, FormError> {
    let current = current(r, case)?;
    let change = CaseUpdate {
        level: Level::parse(&r.code(FieldId::Level)).filter(|l| *l != current.level),
        ..CaseUpdate::default()
    };
    Ok(case_update(r, case, change))
}

/// The command a stage form makes (`None`: the stage stays).
pub(super) fn stage_command(r: &Reading, case: CaseNumber) -> Result<Option<Command>, FormError> {
    let current = current(r, case)?;
    let change = CaseUpdate {
        stage: Stage::parse(&r.code(FieldId::Stage)).filter(|s| *s != current.stage),
        ..CaseUpdate::default()
    };
    Ok(case_update(r, case, change))
}

fn current<'s>(r: &Reading<'s>, case: CaseNumber) -> Result<&'s crate::domain::Case, FormError> {
    r.state.cases.get(&case).ok_or_else(|| {
        DomainError::UnknownCase {
            input: case.to_string(),
        }
        .into()
    })
}

fn case_update(r: &Reading, case: CaseNumber, change: CaseUpdate) -> Option<Command> {
    if change == CaseUpdate::default() {
        return None;
    }
    Some(Command::UpdateCase {
        case,
        change,
        conference: r.form.conference,
    })
}
