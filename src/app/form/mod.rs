//! The forms (new case, edit case, add, change or drop an action, note, the conference's
//! forms): typing into their fields, live previews of dates, teams and domains, and the one
//! store command each asks for. Each kind of form has its builder — the fields it opens with
//! and the command it makes — in the file of its subject (`case`, `action`, `note`, `meeting`,
//! `conference`). Pure: no IO, "today" comes from the app.

pub mod action;
pub mod case;
pub mod conference;
pub mod consent;
mod fields;
pub mod meeting;
pub mod merge;
pub mod note;
mod preview;
pub mod team;
pub use preview::DateNote;

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::message::FormError;
use crate::domain::holidays::Calendar;
use crate::domain::revision::Expect;
use crate::domain::{ActionId, CaseNumber, Command, Conference, PlannedItem, State, TeamCode};
use crate::i18n::Lang;
pub use fields::{Choice, Field, FieldId, Input, edit_text};

/// Which form is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    /// Register a case.
    NewCase,
    /// Change a case's teams, level, stage, review date, person in charge, consent.
    EditCase(CaseNumber),
    /// Add an action to a case.
    AddAction(CaseNumber),
    /// Change an open action's title, owner, due date or person.
    EditAction(ActionId),
    /// Drop an action, with a reason.
    DropAction(ActionId),
    /// Record progress on an open action.
    ActionProgress(ActionId),
    /// Record a referral's status.
    Referral(ActionId),
    /// Record a session of recurring work as held or missed.
    Session(ActionId),
    /// Add a note to a case.
    Note(CaseNumber),
    /// Record a decision at a running conference.
    Decision(u32, CaseNumber),
    /// Set a case's next review date (at a conference).
    Review(CaseNumber),
    /// Change a case's crisis level (at a conference).
    Level(CaseNumber),
    /// Change a case's stage (at a conference).
    Stage(CaseNumber),
    /// Prepare a new conference.
    NewConference,
    /// Change a conference's date, title, kind or facilitator.
    ConferenceDetails(u32),
    /// Put a case on a conference's agenda.
    AgendaAdd(u32),
    /// Add someone to a conference's attendance.
    AttendeeAdd(u32),
    /// Add someone for an agency new to casedesk (the agency is added too).
    AgencyAdd(u32),
    /// Add a correction to a closed conference.
    Amend(u32),
    /// Add a team or outside agency.
    AddTeam,
    /// Record or withdraw a consent on a case.
    Consent(CaseNumber),
    /// Merge another case of the same student into this one.
    MergeCase(CaseNumber),
}

/// An open form.
#[derive(Debug, Clone)]
pub struct Form {
    /// Which form.
    pub kind: FormKind,
    /// Extra words for the title (the action being dropped or changed).
    pub subject: String,
    /// Its fields, in order.
    pub fields: Vec<Field>,
    /// The field with the cursor.
    pub focus: usize,
    /// Why the last save failed, shown in the form until the next change.
    pub error: Option<FormError>,
    /// The running conference the form records into, when it was opened there.
    pub conference: Option<u32>,
    /// The records the form rests on, as they were when it opened.
    pub base: Option<Vec<Expect>>,
    initial: Vec<String>,
}

/// The records a form of `kind` changes, as they are in `state`: saving it is refused if any
/// changed since.
pub fn expectations(kind: FormKind, state: &State) -> Vec<Expect> {
    use crate::domain::revision::{RecordRef, action_rev, case_rev, conference_rev};
    let case = |n: CaseNumber| {
        state.cases.get(&n).map(|c| Expect {
            record: RecordRef::Case(n),
            rev: case_rev(c),
        })
    };
    let found = match kind {
        FormKind::EditCase(n) | FormKind::Review(n) | FormKind::Level(n) | FormKind::Stage(n) => {
            case(n)
        }
        FormKind::EditAction(id) => state.actions.get(&id).map(|a| Expect {
            record: RecordRef::Action(id),
            rev: action_rev(a),
        }),
        FormKind::ConferenceDetails(id) => state.conferences.get(&id).map(|c| Expect {
            record: RecordRef::Conference(id),
            rev: conference_rev(c),
        }),
        _ => None,
    };
    found.into_iter().collect()
}

impl Form {
    /// A form of `kind` with `fields`; `subject` adds to its title.
    pub(super) fn new(kind: FormKind, subject: String, fields: Vec<Field>) -> Form {
        let initial = fields.iter().map(Field::value).collect();
        let mut form = Form {
            kind,
            subject,
            fields,
            focus: 0,
            error: None,
            conference: None,
            base: None,
            initial,
        };
        form.enter_field();
        form
    }

    /// True when something was typed or changed since the form opened.
    pub fn is_dirty(&self) -> bool {
        self.fields
            .iter()
            .map(Field::value)
            .ne(self.initial.iter().cloned())
    }

    /// The focused field.
    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    fn leave_field(&mut self) {
        match self.fields.get_mut(self.focus).map(|f| &mut f.input) {
            Some(Input::Choice(c)) => c.leave(),
            Some(Input::Text(area)) => area.cancel_selection(),
            _ => {}
        }
    }

    /// A pre-filled one-line field is selected when entered: typing replaces it.
    fn enter_field(&mut self) {
        if let Some(Input::Text(area)) = self.fields.get_mut(self.focus).map(|f| &mut f.input) {
            fields::select_prefilled(area);
        }
    }

    /// Moves to the next field; false when already on the last.
    pub fn next_field(&mut self) -> bool {
        if self.focus + 1 < self.fields.len() {
            self.leave_field();
            self.focus += 1;
            self.enter_field();
            true
        } else {
            false
        }
    }

    /// Moves to the next field that applies (the reason to go without consent only when the
    /// owner chosen needs one); false when none is left, so Enter saves.
    pub fn next_needed_field(&mut self, state: &State, today: NaiveDate) -> bool {
        let mut next = self.focus + 1;
        while let Some(field) = self.fields.get(next) {
            let applies = match field.id {
                FieldId::WithoutConsent => self
                    .fields
                    .iter()
                    .find(|f| f.id == FieldId::Team)
                    .is_some_and(|team| {
                        self.consent_warning(team, state, today, Lang::En).is_some()
                    }),
                // A duplicate chosen above is the case: its number need not be typed.
                FieldId::Case if matches!(self.kind, FormKind::MergeCase(_)) => {
                    merge::reads_number(self)
                }
                _ => true,
            };
            if applies {
                self.leave_field();
                self.focus = next;
                return true;
            }
            next += 1;
        }
        false
    }

    /// Moves to the previous field.
    pub fn prev_field(&mut self) {
        self.leave_field();
        self.focus = self.focus.saturating_sub(1);
        self.enter_field();
    }

    /// Steps the focused choice by `delta`, or flips a toggle.
    pub fn step_option(&mut self, delta: isize) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            match &mut f.input {
                Input::Choice(c) => c.step(delta),
                Input::Toggle(on) => *on = !*on,
                _ => {}
            }
        }
        self.error = None;
    }

    /// Starts a new line in a notes field.
    pub fn newline(&mut self) {
        if let Some(Field {
            input: Input::Lines(area),
            ..
        }) = self.fields.get_mut(self.focus)
        {
            area.insert_newline();
        }
    }

    /// True when the focused field takes typed text (so plain keys are text, not shortcuts).
    pub fn typing(&self) -> bool {
        matches!(
            self.focused().map(|f| &f.input),
            Some(Input::Text(_) | Input::Lines(_) | Input::Choice(_))
        )
    }

    /// A key no form binding took: goes into the focused field.
    pub fn key(&mut self, key: KeyEvent) {
        self.error = None;
        let Some(f) = self.fields.get_mut(self.focus) else {
            return;
        };
        match &mut f.input {
            // Enter is handled by the form (next field / save), never a new line here.
            Input::Text(area) => edit_text(area, key, false),
            Input::Lines(area) => edit_text(area, key, true),
            Input::Choice(c) => match key.code {
                KeyCode::Left => c.step(-1),
                KeyCode::Right => c.step(1),
                KeyCode::Char(' ') if c.typed.is_empty() => c.step(1),
                KeyCode::Backspace => {
                    c.typed.pop();
                    c.pick_typed();
                }
                KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                    c.typed.clear();
                    c.pick_typed();
                }
                KeyCode::Char(ch)
                    if !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    // What was typed must name one option; it never falls back to a guess.
                    c.typed.push(ch);
                    c.pick_typed();
                }
                _ => {}
            },
            Input::Toggle(on) => {
                if matches!(
                    key.code,
                    KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right
                ) {
                    *on = !*on;
                }
            }
        }
        merge::typed(self);
    }

    /// Pasted text goes into the focused text field (one line in one-line fields).
    pub fn paste(&mut self, pasted: &str) {
        self.error = None;
        if let Some(f) = self.fields.get_mut(self.focus) {
            match &mut f.input {
                Input::Text(area) => {
                    area.insert_str(pasted.replace(['\r', '\n'], " "));
                }
                Input::Lines(area) => {
                    area.insert_str(pasted.replace("\r\n", "\n").replace('\r', "\n"));
                }
                _ => {}
            }
        }
        merge::typed(self);
    }

    fn get(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    fn text_of(&self, id: FieldId) -> String {
        self.get(id).map(Field::text).unwrap_or_default()
    }

    /// The store command the form asks for (`None`: nothing changed), or why it cannot be built
    /// yet (shown in the form).
    pub fn command(
        &self,
        state: &State,
        calendar: &Calendar,
        referrals: &crate::domain::referral::ReferralRule,
        today: NaiveDate,
        lang: Lang,
    ) -> Result<Option<Command>, FormError> {
        if let Some(empty) = self.fields.iter().find(|f| {
            f.required
                && matches!(f.input, Input::Text(_) | Input::Lines(_))
                && f.text().trim().is_empty()
        }) {
            return Err(FormError::Required(empty.id));
        }
        if let Some((id, typed)) = self.fields.iter().find_map(|f| match &f.input {
            Input::Choice(c) if c.unresolved => Some((f.id, c.typed.clone())),
            _ => None,
        }) {
            return Err(FormError::Unchosen { field: id, typed });
        }
        let r = Reading {
            form: self,
            state,
            calendar,
            referrals,
            today,
            lang,
        };
        match self.kind {
            FormKind::NewCase => case::new_case_command(&r).map(Some),
            FormKind::EditCase(number) => case::edit_case_command(&r, number),
            FormKind::AddAction(number) => action::add_action_command(&r, number).map(Some),
            FormKind::EditAction(id) => action::edit_action_command(&r, id),
            FormKind::DropAction(id) => Ok(Some(action::drop_action_command(&r, id))),
            FormKind::ActionProgress(id) => Ok(Some(action::progress_command(&r, id))),
            FormKind::Referral(id) => action::referral_command(&r, id).map(Some),
            FormKind::Session(id) => action::session_command(&r, id).map(Some),
            FormKind::Note(number) => Ok(Some(note::note_command(&r, number))),
            FormKind::Decision(id, case) => Ok(Some(meeting::decision_command(&r, id, case))),
            FormKind::Review(case) => meeting::review_command(&r, case).map(Some),
            FormKind::Level(case) => meeting::level_command(&r, case),
            FormKind::Stage(case) => meeting::stage_command(&r, case),
            FormKind::NewConference => conference::new_conference_command(&r).map(Some),
            FormKind::ConferenceDetails(id) => conference::details_command(&r, id),
            FormKind::AgendaAdd(id) => conference::agenda_add_command(&r, id).map(Some),
            FormKind::AttendeeAdd(id) => conference::attendee_add_command(&r, id).map(Some),
            FormKind::AgencyAdd(id) => conference::agency_add_command(&r, id).map(Some),
            FormKind::Amend(id) => conference::amend_command(&r, id).map(Some),
            FormKind::AddTeam => team::add_team_command(&r).map(Some),
            FormKind::Consent(number) => consent::consent_command(&r, number).map(Some),
            FormKind::MergeCase(keep) => merge::merge_command(&r, keep).map(Some),
        }
    }
}

/// A form being turned into a command: its fields read as values.
pub(super) struct Reading<'a> {
    form: &'a Form,
    state: &'a State,
    calendar: &'a Calendar,
    referrals: &'a crate::domain::referral::ReferralRule,
    today: NaiveDate,
    lang: Lang,
}

impl Reading<'_> {
    /// The text typed into field `id`.
    fn text(&self, id: FieldId) -> String {
        self.form.text_of(id)
    }

    /// The text of field `id`, or `None` when it is blank.
    fn optional(&self, id: FieldId) -> Option<String> {
        let t = self.text(id);
        (!t.trim().is_empty()).then_some(t)
    }

    /// The chosen code of choice field `id` (empty when none).
    fn code(&self, id: FieldId) -> String {
        self.form
            .get(id)
            .and_then(Field::code)
            .unwrap_or("")
            .to_string()
    }

    /// The team chosen in field `id`.
    fn team(&self, id: FieldId) -> Result<TeamCode, FormError> {
        Ok(self.state.resolve_team(&self.code(id))?)
    }

    /// The teams typed into field `id`, comma-separated.
    fn teams(&self, id: FieldId) -> Result<Vec<TeamCode>, FormError> {
        Ok(self.state.resolve_teams(&self.text(id))?)
    }

    /// True when yes/no field `id` is on.
    fn toggle(&self, id: FieldId) -> bool {
        self.form.get(id).is_some_and(Field::toggle)
    }

    /// A due, review or conference date typed into field `id` (a month and day without a
    /// year is the next one from today); `None` when blank.
    fn ahead(&self, id: FieldId) -> Result<Option<NaiveDate>, FormError> {
        let typed = self.text(id);
        if typed.trim().is_empty() {
            return Ok(None);
        }
        Ok(Some(self.calendar.parse_date_ahead(&typed, self.today)?))
    }

    /// A date in the past typed into field `id` (birth, consent); `None` when blank.
    fn past(&self, id: FieldId) -> Result<Option<NaiveDate>, FormError> {
        let typed = self.text(id);
        if typed.trim().is_empty() {
            return Ok(None);
        }
        Ok(Some(self.calendar.parse_date(&typed, self.today)?))
    }

    /// A time of day typed into field `id`; `None` when blank.
    fn time(&self, id: FieldId) -> Result<Option<chrono::NaiveTime>, FormError> {
        let typed = self.text(id);
        if typed.trim().is_empty() {
            return Ok(None);
        }
        crate::domain::conference::parse_time(&typed)
            .map(Some)
            .ok_or(FormError::BadTime(id))
    }

    /// A date that must be given, from field `id`.
    fn required_date(&self, id: FieldId) -> Result<NaiveDate, FormError> {
        self.ahead(id)?.ok_or(FormError::Missing(id))
    }
}

/// A conference's agenda as planned items (to change and send back whole).
pub fn planned(conf: &Conference) -> Vec<PlannedItem> {
    conf.agenda
        .iter()
        .map(|i| PlannedItem {
            case: i.case,
            reasons: i.reasons.clone(),
            budget_minutes: i.budget_minutes,
        })
        .collect()
}
