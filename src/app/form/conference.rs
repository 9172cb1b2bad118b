//! The conference forms: preparing a new conference, changing its details, putting a case on
//! its agenda, adding someone to its attendance, and a correction to a closed one. Each: the
//! fields it opens with, and the command it makes. Pure.

use super::fields::{choice, eg, field, kind_options, lines, team_options, text};
use super::{FieldId, Form, FormKind, Reading, planned};
use crate::app::message::FormError;
use crate::domain::error::ConferenceProblem;
use crate::domain::limits::{
    DEFAULT_BUDGET_MINUTES, DEFAULT_CONFERENCE_MINUTES, MAX_CONFERENCE_MINUTES,
};
use crate::domain::model::{AgendaReason, Attendee, AttendeeRole, NextMeeting, Presence};
use crate::domain::vocab::{ConferenceKind, TeamKind};
use crate::domain::{
    CaseNumber, Command, Conference, ConferenceUpdate, DomainError, PlannedItem, State, Team,
    TeamCode,
};
use crate::i18n::Lang;

/// A new-conference form: the day (today), its time and place, how long it runs (the agenda
/// is proposed to fit), the kind, a title (made from the day when left empty) and the
/// facilitator (the user).
pub fn new_conference(user: &str, lang: Lang) -> Form {
    new_conference_on(user, lang.pick("오늘", "today"), None, None, lang)
}

/// A new-conference form for the day, time and place given (the next conference a closed one
/// agreed on).
pub fn new_conference_on(
    user: &str,
    date: &str,
    time: Option<chrono::NaiveTime>,
    place: Option<&str>,
    lang: Lang,
) -> Form {
    Form::new(
        FormKind::NewConference,
        String::new(),
        vec![
            field(
                FieldId::Date,
                true,
                text(date, &eg(lang, "오늘, 금, 12/4", "today, fri, 12/4")),
            ),
            field(
                FieldId::Time,
                false,
                text(
                    &time
                        .map(|t| t.format("%H:%M").to_string())
                        .unwrap_or_default(),
                    &eg(lang, "14:00, 오후 2시", "14:00, 2pm"),
                ),
            ),
            field(
                FieldId::Place,
                false,
                text(
                    place.unwrap_or_default(),
                    &eg(lang, "2층 회의실", "room 201"),
                ),
            ),
            field(
                FieldId::Length,
                true,
                text(&DEFAULT_CONFERENCE_MINUTES.to_string(), ""),
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
            field(FieldId::Time, false, text(&hhmm(conf.time), "")),
            field(
                FieldId::Place,
                false,
                text(conf.place.as_deref().unwrap_or_default(), ""),
            ),
            field(
                FieldId::Length,
                true,
                text(&conf.length_minutes.to_string(), ""),
            ),
            field(
                FieldId::Kind,
                true,
                choice(kind_options(lang), conf.kind.code()),
            ),
            field(FieldId::ConferenceTitle, true, text(&conf.title, "")),
            field(FieldId::Facilitator, true, text(&conf.facilitator, "")),
            field(
                FieldId::NextDate,
                false,
                text(
                    &conf.next.map(|n| n.date.to_string()).unwrap_or_default(),
                    &eg(lang, "+2w, 12/18", "+2w, 12/18"),
                ),
            ),
            field(
                FieldId::NextTime,
                false,
                text(&hhmm(conf.next.and_then(|n| n.time)), ""),
            ),
        ],
    ))
}

fn hhmm(time: Option<chrono::NaiveTime>) -> String {
    time.map(|t| t.format("%H:%M").to_string())
        .unwrap_or_default()
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

/// A form that adds someone to a conference's attendance: what they are there as (for a
/// team, homeroom teacher, guardian, …), their name, the team they came for (none for the
/// guardian, the student, …) and whether they are there.
pub fn attendee_add(state: &State, id: u32, lang: Lang) -> Form {
    let mut teams = vec![(String::new(), lang.pick("없음", "none").to_string())];
    teams.extend(team_options(state, false, lang));
    Form::new(
        FormKind::AttendeeAdd(id),
        String::new(),
        vec![
            field(FieldId::Role, true, choice(role_options(lang), "team")),
            field(
                FieldId::Person,
                false,
                text("", &eg(lang, "김선생", "Ms Kim")),
            ),
            field(FieldId::Team, false, choice(teams, "")),
            field(
                FieldId::Status,
                true,
                choice(status_options(lang), "present"),
            ),
        ],
    )
}

/// A form that adds someone for an agency casedesk does not know yet: the agency (its name
/// and a short code) joins the team list as an external agency in the same change.
pub fn agency_add(id: u32, lang: Lang) -> Form {
    Form::new(
        FormKind::AgencyAdd(id),
        String::new(),
        vec![
            field(
                FieldId::AgencyName,
                true,
                text("", &eg(lang, "동구종합사회복지관", "Donggu welfare centre")),
            ),
            field(
                FieldId::AgencyCode,
                true,
                text("", &eg(lang, "DGWC · 영문", "DGWC")),
            ),
            field(
                FieldId::Person,
                false,
                text("", &eg(lang, "박사회복지사", "Mr Park")),
            ),
            field(
                FieldId::Status,
                true,
                choice(status_options(lang), "present"),
            ),
        ],
    )
}

fn role_options(lang: Lang) -> Vec<(String, String)> {
    AttendeeRole::ALL
        .iter()
        .map(|r| (r.code().to_string(), r.label(lang).to_string()))
        .collect()
}

fn status_options(lang: Lang) -> Vec<(String, String)> {
    [
        Presence::Present,
        Presence::Late,
        Presence::LeftEarly,
        Presence::Absent,
    ]
    .iter()
    .map(|p| (p.code().to_string(), p.label(lang).to_string()))
    .collect()
}

fn presence(r: &Reading) -> Presence {
    match r.code(FieldId::Status).as_str() {
        "late" => Presence::Late,
        "left_early" => Presence::LeftEarly,
        "absent" => Presence::Absent,
        _ => Presence::Present,
    }
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

/// What a conference form says about the conference.
struct Details {
    date: chrono::NaiveDate,
    time: Option<chrono::NaiveTime>,
    place: Option<String>,
    length: u16,
    kind: ConferenceKind,
    title: Option<String>,
    facilitator: String,
}

/// The day, time, place, length, kind, title and facilitator of a conference form.
fn details(r: &Reading) -> Result<Details, FormError> {
    let date = r.required_date(FieldId::Date)?;
    let kind = ConferenceKind::parse(&r.code(FieldId::Kind)).unwrap_or(ConferenceKind::Regular);
    let length = r.text(FieldId::Length);
    let length = length
        .trim()
        .trim_end_matches('분')
        .trim_end_matches("min")
        .trim()
        .parse::<u16>()
        .map_err(|_| FormError::BadNumber(FieldId::Length))?;
    Ok(Details {
        date,
        time: r.time(FieldId::Time)?,
        place: r.optional(FieldId::Place),
        length,
        kind,
        title: r.optional(FieldId::ConferenceTitle),
        facilitator: r.text(FieldId::Facilitator),
    })
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
    let d = details(r)?;
    if !(1..=MAX_CONFERENCE_MINUTES).contains(&d.length) {
        return Err(
            DomainError::Conference(ConferenceProblem::BadLength { minutes: d.length }).into(),
        );
    }
    let mut conference =
        r.state
            .prepare_conference(d.date, d.kind, d.title, d.facilitator, r.lang, d.length);
    conference.place = d.place;
    conference.time = d.time;
    r.state.add_unanswered_referrals_within(
        &mut conference.agenda,
        d.date,
        r.referrals,
        r.calendar,
        d.length,
    );
    conference.attendees = r.state.expected_attendees(&conference.agenda);
    Ok(Command::CreateConference { conference })
}

/// The command a conference-details form makes: only what changed (`None`: nothing did).
pub(super) fn details_command(r: &Reading, id: u32) -> Result<Option<Command>, FormError> {
    let d = details(r)?;
    let conf = conference(r, id)?;
    let title = d.title.unwrap_or_default();
    let next_date = r.ahead(FieldId::NextDate)?;
    let next_time = r.time(FieldId::NextTime)?;
    let next = next_date.map(|date| NextMeeting {
        date,
        time: next_time,
    });
    let place = d.place.unwrap_or_default();
    let clear_times =
        (d.time.is_none() && conf.time.is_some()) || (next.is_none() && conf.next.is_some());
    let change = ConferenceUpdate {
        date: (d.date != conf.date).then_some(d.date),
        title: (title.trim() != conf.title).then_some(title),
        kind: (d.kind != conf.kind).then_some(d.kind),
        facilitator: (d.facilitator.trim() != conf.facilitator).then_some(d.facilitator),
        length_minutes: (d.length != conf.length_minutes).then_some(d.length),
        place: (place.trim() != conf.place.as_deref().unwrap_or_default()).then_some(place),
        // Clearing forgets both times, so what stays is sent again.
        time: if clear_times {
            d.time
        } else {
            d.time.filter(|t| conf.time != Some(*t))
        },
        next: if clear_times {
            next
        } else {
            next.filter(|n| conf.next != Some(*n))
        },
        clear_times,
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

/// The command an attendee-add form makes: the person, by role, for the team chosen (if any).
pub(super) fn attendee_add_command(r: &Reading, id: u32) -> Result<Command, FormError> {
    conference(r, id)?;
    let role = AttendeeRole::parse(&r.code(FieldId::Role)).unwrap_or_default();
    let team = match r.code(FieldId::Team).as_str() {
        "" => None,
        _ => Some(r.team(FieldId::Team)?),
    };
    if team.is_none() && role.needs_team() {
        return Err(DomainError::Conference(ConferenceProblem::AttendeeWithoutTeam).into());
    }
    Ok(Command::AddAttendee {
        conference: id,
        attendee: Attendee {
            team,
            person: r.optional(FieldId::Person),
            role,
            status: presence(r),
        },
        new_team: None,
    })
}

/// The command an agency-add form makes: the agency joins the team list (external) and its
/// person the attendance, in one change.
pub(super) fn agency_add_command(r: &Reading, id: u32) -> Result<Command, FormError> {
    conference(r, id)?;
    let typed = r.text(FieldId::AgencyCode);
    let code = TeamCode::new(&typed).ok_or_else(|| {
        FormError::from(DomainError::BadTeamCode {
            input: typed.trim().to_string(),
        })
    })?;
    let name = r.text(FieldId::AgencyName).trim().to_string();
    let team = Team {
        code: code.clone(),
        name_ko: name.clone(),
        name_en: name,
        kind: TeamKind::External,
        contact: None,
    };
    Ok(Command::AddAttendee {
        conference: id,
        attendee: Attendee {
            team: Some(code),
            person: r.optional(FieldId::Person),
            role: AttendeeRole::Team,
            status: presence(r),
        },
        new_team: Some(team),
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
