//! The action forms: adding one to a case, changing an open one (title, owner, due date,
//! person), and dropping one with a reason. Each: the fields it opens with, and the command it
//! makes. Pure.

use super::fields::{choice, eg, field, team_options, text};
use super::{FieldId, Form, FormKind, Reading};
use crate::app::message::FormError;
use crate::domain::{
    Action, ActionId, ActionUpdate, CaseNumber, Command, DomainError, SharingCheck, State,
};
use crate::i18n::Lang;

/// An add-action form; the owner defaults to the case's lead team.
pub fn add_action(state: &State, number: CaseNumber, lang: Lang) -> Option<Form> {
    let case = state.cases.get(&number)?;
    Some(Form::new(
        FormKind::AddAction(number),
        String::new(),
        vec![
            field(
                FieldId::Title,
                true,
                text("", &eg(lang, "보호자 상담", "home visit")),
            ),
            field(
                FieldId::Team,
                true,
                choice(owner_options(state, case, lang), case.lead_team.as_str()),
            ),
            field(
                FieldId::Due,
                true,
                text(
                    "",
                    &eg(
                        lang,
                        "+3d, 12/5, 금, 다음주 금, +5bd",
                        "+3d, 12/5, fri, next fri, +5bd",
                    ),
                ),
            ),
            field(
                FieldId::Person,
                false,
                text("", &eg(lang, "담당 선생님", "who does it")),
            ),
            field(
                FieldId::WithoutConsent,
                false,
                text(
                    "",
                    &eg(
                        lang,
                        "외부 기관에 동의 없이: 안전상 긴급",
                        "outside agency, no consent: safety emergency",
                    ),
                ),
            ),
        ],
    ))
}

/// The teams that may own an action on `case`, and the student's own school (shown by name).
fn owner_options(state: &State, case: &crate::domain::Case, lang: Lang) -> Vec<(String, String)> {
    let mut options = team_options(state, false, lang);
    let school = crate::domain::TeamCode::school();
    if !state.teams.contains_key(&school) {
        options.push((
            school.to_string(),
            format!("{} ({})", case.school, lang.pick("학교·담임", "the school")),
        ));
    }
    options
}

/// An edit form for an open action, filled with its current values.
pub fn edit_action(state: &State, action: &Action, lang: Lang) -> Form {
    Form::new(
        FormKind::EditAction(action.id),
        action.title.clone(),
        vec![
            field(FieldId::Title, true, text(&action.title, "")),
            field(
                FieldId::Team,
                true,
                choice(
                    match state.cases.get(&action.id.case) {
                        Some(case) => owner_options(state, case, lang),
                        None => team_options(state, false, lang),
                    },
                    action.team.as_str(),
                ),
            ),
            field(
                FieldId::Due,
                true,
                text(&action.due_on.to_string(), &eg(lang, "+1w", "+1w")),
            ),
            field(
                FieldId::Person,
                false,
                text(
                    action.person.as_deref().unwrap_or(""),
                    &eg(lang, "담당 선생님", "who does it"),
                ),
            ),
            field(
                FieldId::WithoutConsent,
                false,
                text(
                    "",
                    &eg(
                        lang,
                        "외부 기관에 동의 없이: 안전상 긴급",
                        "outside agency, no consent: safety emergency",
                    ),
                ),
            ),
        ],
    )
}

/// A drop-action form (the reason is required); `title` says which action.
pub fn drop_action(id: ActionId, title: &str, lang: Lang) -> Form {
    Form::new(
        FormKind::DropAction(id),
        title.to_string(),
        vec![field(
            FieldId::Reason,
            true,
            text("", &eg(lang, "보호자가 거부함", "the family declined")),
        )],
    )
}

/// A form to record progress on an open action without closing it.
pub fn action_progress(id: ActionId, title: &str, lang: Lang) -> Form {
    Form::new(
        FormKind::ActionProgress(id),
        title.to_string(),
        vec![field(
            FieldId::Progress,
            true,
            text("", &eg(lang, "1회기 상담 진행", "first session held")),
        )],
    )
}

/// A form to record a referral's new status (the next one along chosen first) and why.
pub fn referral(action: &Action, lang: Lang) -> Form {
    use crate::domain::vocab::ReferralStatus as R;
    let next = match action.referral_status() {
        R::Requested => R::Accepted,
        R::Accepted => R::InProgress,
        _ => R::Finished,
    };
    let options = [
        R::Accepted,
        R::InProgress,
        R::Finished,
        R::Declined,
        R::Requested,
    ]
    .iter()
    .map(|s| (s.code().to_string(), s.label(lang).to_string()))
    .collect();
    Form::new(
        FormKind::Referral(action.id),
        action.title.clone(),
        vec![
            field(FieldId::ReferralStatus, true, choice(options, next.code())),
            field(
                FieldId::Reason,
                false,
                text(
                    "",
                    &eg(
                        lang,
                        "거절 시 사유 필수: 정원 초과",
                        "required if declined: no places",
                    ),
                ),
            ),
        ],
    )
}

/// The command a referral form makes.
pub(super) fn referral_command(r: &Reading, action: ActionId) -> Result<Command, FormError> {
    let status = crate::domain::vocab::ReferralStatus::parse(&r.code(FieldId::ReferralStatus))
        .ok_or_else(|| {
            FormError::from(DomainError::UnknownWord {
                vocab: crate::domain::error::Vocab::ReferralStatus,
                input: r.code(FieldId::ReferralStatus),
                valid: "accepted, in_progress, finished, declined, requested".into(),
            })
        })?;
    Ok(Command::SetReferral {
        action,
        status,
        reason: r.optional(FieldId::Reason),
    })
}

/// A form to record a session of recurring work: the session (the first past one not held is
/// offered) and held or missed; its title lists the sessions (`✓` held, `✗` missed, `·` not yet).
pub fn session(action: &Action, today: chrono::NaiveDate, lang: Lang) -> Form {
    let offered = action
        .sessions
        .iter()
        .position(|s| s.on <= today && !s.mark.as_ref().is_some_and(|m| m.held))
        .or_else(|| action.sessions.iter().position(|s| s.mark.is_none()))
        .map_or(1, |i| i + 1);
    let marks: String = action
        .sessions
        .iter()
        .map(|s| match &s.mark {
            Some(m) if m.held => '✓',
            Some(_) => '✗',
            None => '·',
        })
        .collect();
    let options = vec![
        ("held".to_string(), lang.pick("진행", "held").to_string()),
        (
            "missed".to_string(),
            lang.pick("결석", "missed").to_string(),
        ),
    ];
    Form::new(
        FormKind::Session(action.id),
        format!("{} {marks}", action.title),
        vec![
            field(FieldId::SessionNo, true, text(&offered.to_string(), "")),
            field(FieldId::SessionMark, true, choice(options, "held")),
        ],
    )
}

/// The command a session form makes.
pub(super) fn session_command(r: &Reading, action: ActionId) -> Result<Command, FormError> {
    let typed = r.text(FieldId::SessionNo);
    let session: u32 = typed.trim().parse().map_err(|_| {
        FormError::from(DomainError::UnknownSession {
            action,
            session: 0,
            sessions: r.state.actions.get(&action).map_or(0, |a| a.sessions.len()),
        })
    })?;
    Ok(Command::MarkSession {
        action,
        session,
        held: r.code(FieldId::SessionMark) == "held",
    })
}

/// The command an add-action form makes.
pub(super) fn add_action_command(r: &Reading, number: CaseNumber) -> Result<Command, FormError> {
    let due_on = r.required_date(FieldId::Due)?;
    Ok(Command::AddAction {
        case: number,
        title: r.text(FieldId::Title),
        team: r.team(FieldId::Team)?,
        due_on,
        person: r.optional(FieldId::Person),
        conference: r.form.conference,
        sharing: SharingCheck::from_reason(r.optional(FieldId::WithoutConsent).as_deref()),
    })
}

/// The command an edit-action form makes: only what changed (`None`: nothing did).
pub(super) fn edit_action_command(r: &Reading, id: ActionId) -> Result<Option<Command>, FormError> {
    let Some(action) = r.state.actions.get(&id) else {
        return Err(DomainError::UnknownAction {
            input: id.to_string(),
        }
        .into());
    };
    let title = r.text(FieldId::Title);
    let owner = r.team(FieldId::Team)?;
    let due = r.ahead(FieldId::Due)?;
    let person = r.optional(FieldId::Person);
    let sharing = if owner == action.team {
        SharingCheck::Unchecked
    } else {
        SharingCheck::from_reason(r.optional(FieldId::WithoutConsent).as_deref())
    };
    let change = ActionUpdate {
        title: (title.trim() != action.title).then_some(title),
        team: (owner != action.team).then_some(owner),
        due_on: due.filter(|d| *d != action.due_on),
        person: (person != action.person).then_some(person),
        sharing,
    };
    if change == ActionUpdate::default() {
        return Ok(None);
    }
    Ok(Some(Command::UpdateAction { action: id, change }))
}

/// The command a progress form makes.
pub(super) fn progress_command(r: &Reading, action: ActionId) -> Command {
    Command::NoteAction {
        action,
        text: r.text(FieldId::Progress),
    }
}

/// The command a drop-action form makes.
pub(super) fn drop_action_command(r: &Reading, action: ActionId) -> Command {
    Command::DropAction {
        action,
        reason: r.text(FieldId::Reason),
    }
}
