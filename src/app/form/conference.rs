//! The conference forms: preparing a new conference, changing its details, putting a case on
//! its agenda, adding someone to its attendance, and a correction to a closed one. Each: the
//! fields it opens with, and the command it makes. Pure.

use super::fields::{choice, eg, field, kind_options, lines, team_options, text};
use super::{FieldId, Form, FormKind, Input, Reading, planned};
use crate::app::message::FormError;
use crate::domain::error::ConferenceProblem;
use crate::domain::limits::DEFAULT_BUDGET_MINUTES;
use crate::domain::model::{AgendaReason, Attendee};
use crate::domain::vocab::ConferenceKind;
use crate::domain::{
    CaseNumber, Command, Conference, ConferenceUpdate, DomainError, PlannedItem, State,
};
use crate::i18n::Lang;

/// A new-conference form: the day (today), the kind, a title (made from the day when left
/// empty) and the facilitator (the user).
pub fn new_conference(user: &str, lang: Lang) -> Form {
    Form::new(
        FormKind::NewConference,
        String::new(),
        vec![
            field(
                FieldId::Date,
                true,
                text(
                    lang.pick("오늘", "today"),
                    &eg(lang, "오늘, 금, 12/4", "today, fri, 12/4"),
                ),
            ),
            field(FieldId::Kind, true, choice(kind_options(lang), "regular")),
            field(
                FieldId::ConferenceTitle,
                false,
                text(
                    "",
                    lang.pick("(비우면: 날짜 정기 사례회의)", "(empty: date and kind)"),
                ),
            ),
            field(FieldId::Facilitator, true, text(user, "")),
        ],
    )
}

/// A form with a conference's date, kind, title and facilitator.
pub fn conference_details(state: &State, id: u32, lang: Lang) -> Option<Form> {
    let conf = state.conferences.get(&id)?;
    Some(Form::new(
        FormKind::ConferenceDetails(id),
        String::new(),
        vec![
            field(FieldId::Date, true, text(&conf.date.to_string(), "")),
            field(
                FieldId::Kind,
                true,
                choice(kind_options(lang), conf.kind.code()),
            ),
            field(FieldId::ConferenceTitle, true, text(&conf.title, "")),
            field(FieldId::Facilitator, true, text(&conf.facilitator, "")),
        ],
    ))
}

/// A form that puts a case (by number) on a conference's agenda.
pub fn agenda_add(id: u32, lang: Lang) -> Form {
    Form::new(
        FormKind::AgendaAdd(id),
        String::new(),
        vec![field(
            FieldId::Case,
            true,
            text("", &eg(lang, "2026-0012", "2026-0012")),
        )],
    )
}

/// A form that adds a team (and a person) to a conference's attendance.
pub fn attendee_add(state: &State, id: u32, lang: Lang) -> Form {
    Form::new(
        FormKind::AttendeeAdd(id),
        String::new(),
        vec![
            field(
                FieldId::Team,
                true,
                choice(team_options(state, false, lang), "CENTER"),
            ),
            field(
                FieldId::Person,
                false,
                text("", &eg(lang, "참석자 이름", "who came")),
            ),
            field(FieldId::Present, false, Input::Toggle(true)),
        ],
    )
}

/// A correction form for a closed conference, about the agenda item `case` if given.
pub fn amend(id: u32, case: Option<CaseNumber>, lang: Lang) -> Form {
    Form::new(
        FormKind::Amend(id),
        String::new(),
        vec![
            field(
                FieldId::Case,
                false,
                text(
                    &case.map(|c| c.to_string()).unwrap_or_default(),
                    lang.pick("(비우면: 회의 전체)", "(empty: the whole conference)"),
                ),
            ),
            field(
                FieldId::Correction,
                true,
                lines(lang.pick("무엇을 바로잡는지", "what is corrected")),
            ),
        ],
    )
}

/// The day, kind, title and facilitator of a conference form.
fn details(
    r: &Reading,
) -> Result<(chrono::NaiveDate, ConferenceKind, Option<String>, String), FormError> {
    let date = r.required_date(FieldId::Date)?;
    let kind = ConferenceKind::parse(&r.code(FieldId::Kind)).unwrap_or(ConferenceKind::Regular);
    Ok((
        date,
        kind,
        r.optional(FieldId::ConferenceTitle),
        r.text(FieldId::Facilitator),
    ))
}

/// The conference `id`, or why it cannot be changed.
fn conference<'s>(r: &Reading<'s>, id: u32) -> Result<&'s Conference, FormError> {
    r.state
        .conferences
        .get(&id)
        .ok_or_else(|| DomainError::Conference(ConferenceProblem::Unknown { id }).into())
}

/// The command a new-conference form makes: the conference with the agenda the records
/// propose for its day.
pub(super) fn new_conference_command(r: &Reading) -> Result<Command, FormError> {
    let (date, kind, title, facilitator) = details(r)?;
    let mut conference = r
        .state
        .prepare_conference(date, kind, title, facilitator, r.lang);
    r.state
        .add_unanswered_referrals(&mut conference.agenda, date, r.referrals, r.calendar);
    conference.attendees = r.state.expected_attendees(&conference.agenda);
    Ok(Command::CreateConference { conference })
}

/// The command a conference-details form makes: only what changed (`None`: nothing did).
pub(super) fn details_command(r: &Reading, id: u32) -> Result<Option<Command>, FormError> {
    let (date, kind, title, facilitator) = details(r)?;
    let conf = conference(r, id)?;
    let title = title.unwrap_or_default();
    let change = ConferenceUpdate {
        date: (date != conf.date).then_some(date),
        title: (title.trim() != conf.title).then_some(title),
        kind: (kind != conf.kind).then_some(kind),
        facilitator: (facilitator.trim() != conf.facilitator).then_some(facilitator),
        ..ConferenceUpdate::default()
    };
    if change == ConferenceUpdate::default() {
        return Ok(None);
    }
    Ok(Some(Command::UpdateConference {
        conference: id,
        change,
    }))
}

/// The command an agenda-add form makes: the agenda with the case at its end.
pub(super) fn agenda_add_command(r: &Reading, id: u32) -> Result<Command, FormError> {
    let case = r.state.find_case(&r.text(FieldId::Case))?;
    let mut agenda = planned(conference(r, id)?);
    agenda.push(PlannedItem {
        case: case.number,
        reasons: vec![AgendaReason::Added],
        budget_minutes: DEFAULT_BUDGET_MINUTES,
    });
    Ok(Command::UpdateConference {
        conference: id,
        change: ConferenceUpdate {
            agenda: Some(agenda),
            ..ConferenceUpdate::default()
        },
    })
}

/// The command an attendee-add form makes: the attendance with the team (and person) in it.
pub(super) fn attendee_add_command(r: &Reading, id: u32) -> Result<Command, FormError> {
    let mut attendees = conference(r, id)?.attendees.clone();
    let team = r.team(FieldId::Team)?;
    let person = r.optional(FieldId::Person);
    let present = r.toggle(FieldId::Present);
    // The team listed without a name is the same seat: it gets the name.
    match attendees
        .iter_mut()
        .find(|a| a.team == team && a.person.is_none())
    {
        Some(seat) => {
            seat.person = person;
            seat.present = present;
        }
        None => attendees.push(Attendee {
            team,
            person,
            present,
        }),
    }
    Ok(Command::UpdateConference {
        conference: id,
        change: ConferenceUpdate {
            attendees: Some(attendees),
            ..ConferenceUpdate::default()
        },
    })
}

/// The command a correction form makes, about the case typed (if any).
pub(super) fn amend_command(r: &Reading, id: u32) -> Result<Command, FormError> {
    let typed = r.text(FieldId::Case);
    let case = if typed.trim().is_empty() {
        None
    } else {
        Some(r.state.find_case(&typed)?.number)
    };
    Ok(Command::AmendConference {
        conference: id,
        case,
        text: r.text(FieldId::Correction),
    })
}
