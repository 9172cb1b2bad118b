//! English: what the app says, in English. Pure.

use super::failure;
use crate::app::form::{FieldId, FormKind};
use crate::app::{FormError, MeetingStep, Message, Question, Saved, Screen};
use crate::i18n::{Lang, Localize};

/// A status-line message.
pub(super) fn message(message: &Message) -> String {
    match message {
        Message::Saved { what, undo } => {
            let hint = if *undo { " (u: undo)" } else { "" };
            format!("{}{hint}", saved(what))
        }
        Message::Failed(why) => failure(why, Lang::En),
        Message::Changed { summary, by } => format!("{} · {by}", summary.describe(Lang::En)),
        Message::ServerLost => {
            "The server connection was lost: reconnecting (nothing you typed is lost)".into()
        }
        Message::ServerBack => "Reconnected to the server".into(),
        Message::Discarded => "Discarded".into(),
        Message::Cancelled => "Cancelled".into(),
        Message::NothingChanged => "Nothing changed".into(),
        Message::NothingToUndo => {
            "Nothing to undo (only changes saved in this session can be undone)".into()
        }
        Message::SelectCase => "Select a case first".into(),
        Message::SelectActionInPane => {
            "Select an action in the actions pane first (l: switch pane)".into()
        }
        Message::SelectAction => {
            "Select an action first: open a case (Enter), or use By team or Due".into()
        }
        Message::FilterOnLists => "The filter works on the list screens (1, 2, 3)".into(),
        Message::PresentationOn => {
            "Presentation mode: every name masked, restricted notes hidden".into()
        }
        Message::PresentationOff => "Presentation mode off".into(),
        Message::ClosedCaseNoActions => {
            "A closed case or one in aftercare takes no new actions".into()
        }
        Message::ActionNotOpen { id, status } => format!(
            "action {id} is {} already: only open actions can be changed",
            status.en()
        ),
        Message::StoppedFollowing => "Stopped following".into(),
        Message::FollowingReadOnly => {
            "Read-only: following the conference (Esc: stop following, q: quit)".into()
        }
        Message::NothingToFollow => "No conference is running to follow".into(),
        Message::ClosedConference { key } => {
            format!("A closed conference cannot be changed: {key} adds a correction")
        }
        Message::AmendClosedOnly => {
            "Corrections are for closed conferences: change it directly now".into()
        }
        Message::AttendancePane => {
            "Attendance is marked in the attendance pane (l: switch pane)".into()
        }
        Message::AlreadyDeferred => "This item is deferred already".into(),
        Message::LastItem { key } => format!("This is the last item: {key} closes the conference"),
        Message::FirstItem => "This is the first item".into(),
        Message::Notice(text) => text.clone(),
    }
}

/// A saved change.
pub(super) fn saved(saved: &Saved) -> String {
    match saved {
        Saved::Case(number) => format!("registered case {number}"),
        Saved::Action(id) => format!("added action {id}"),
        Saved::Conference(id) => format!("conference #{id} prepared: review its agenda"),
        Saved::Decision(case) => format!("decision recorded on {case}"),
        Saved::Review(case) => format!("next review of {case} saved"),
        Saved::Amended(id) => format!("correction added to conference #{id}"),
        Saved::Level(case) => format!("crisis level of {case} changed"),
        Saved::Stage(case) => format!("stage of {case} changed"),
        Saved::Meeting(step) => match step {
            MeetingStep::Prepare => "preparation saved",
            MeetingStep::Start => "conference started: first item",
            MeetingStep::Move => "moved to the item",
            MeetingStep::Defer => "deferred to the next conference",
            MeetingStep::Resume => "back in the running conference",
            MeetingStep::Pause => "conference clock stopped",
            MeetingStep::Close => "conference closed: recap by team",
        }
        .into(),
        Saved::Note(case) => format!("added a note to {case}"),
        Saved::Done(id) => format!("action {id} done"),
        Saved::Dropped(id) => format!("action {id} dropped"),
        Saved::ActionChanged(id) => format!("action {id} changed"),
        Saved::CaseChanged(number) => format!("case {number} changed"),
        Saved::Consent(number) => format!("consent recorded on case {number}"),
        Saved::Undone => "undone".into(),
        Saved::Other => "saved".into(),
    }
}

/// A yes/no question.
pub(super) fn question(question: &Question) -> String {
    match question {
        Question::Discard => "Discard what you typed and close? (y/n)".into(),
        Question::Undo(what) => format!("Undo '{}'? (y/n)", saved(what)),
        Question::Start {
            id,
            items,
            present,
            attendees,
        } => format!("Start conference #{id}? {items} items, {present}/{attendees} present (y/n)"),
        Question::Close { id, open } => format!(
            "Close conference #{id}? {open} item(s) not discussed. It cannot be changed afterwards (y/n)"
        ),
    }
}

/// Why a form cannot be saved.
pub(super) fn form_error(error: &FormError) -> String {
    match error {
        FormError::Required(field) => format!("{} is required", field_label(*field)),
        FormError::Missing(field) => field_label(*field).to_string(),
        FormError::Refused(e) => e.localize(Lang::En),
        FormError::Date(e) => e.localize(Lang::En),
        FormError::Failed(why) => failure(why, Lang::En),
    }
}

/// A screen's name.
pub(super) fn screen_title(screen: Screen) -> &'static str {
    match screen {
        Screen::Dashboard => "Dashboard",
        Screen::ByTeam => "By team",
        Screen::Due => "Due",
        Screen::Case => "Case",
        Screen::Help => "Help",
        Screen::Conferences => "Conferences",
        Screen::Conference => "Conference",
        Screen::Stats => "Statistics",
    }
}

/// A form field's label.
pub(super) fn field_label(field: FieldId) -> &'static str {
    match field {
        FieldId::Student => "Student",
        FieldId::School => "School",
        FieldId::Grade => "Grade-class",
        FieldId::Birth => "Birth date",
        FieldId::Sex => "Sex",
        FieldId::Lead => "Lead team",
        FieldId::CoTeams => "Cooperating",
        FieldId::Level => "Crisis level",
        FieldId::Stage => "Stage",
        FieldId::Domains => "Domains",
        FieldId::Review => "Next review",
        FieldId::Person => "Person",
        FieldId::Source => "Referred by",
        FieldId::Summary => "Summary",
        FieldId::Urgent => "Urgent",
        FieldId::Safety => "Safety concern",
        FieldId::ConsentOn => "Date",
        FieldId::ConsentDo => "To do",
        FieldId::ConsentKind => "Kind",
        FieldId::ConsentAgency => "Agency",
        FieldId::ConsentBy => "Given by",
        FieldId::WithoutConsent => "Why no consent",
        FieldId::Background => "Background",
        FieldId::SkipStages => "Skip stages",
        FieldId::AllowDuplicate => "Register anyway",
        FieldId::Title => "Action",
        FieldId::Team => "Owner team",
        FieldId::Due => "Due",
        FieldId::Reason => "Reason",
        FieldId::Text => "Note",
        FieldId::Restricted => "Restricted",
        FieldId::Decision => "Decision",
        FieldId::Date => "Date",
        FieldId::Kind => "Kind",
        FieldId::ConferenceTitle => "Title",
        FieldId::Facilitator => "Facilitator",
        FieldId::Case => "Case number",
        FieldId::Present => "Present",
        FieldId::Correction => "Correction",
    }
}

/// A form's title; `subject` names the action it is about, when there is one.
pub(super) fn form_title(kind: FormKind, subject: &str) -> String {
    let subject = if subject.is_empty() {
        String::new()
    } else {
        format!(" · {subject}")
    };
    match kind {
        FormKind::NewCase => "New case".to_string(),
        FormKind::EditCase(n) => format!("Edit case {n}"),
        FormKind::AddAction(n) => format!("Add action to {n}"),
        FormKind::EditAction(id) => format!("Edit action {id}{subject}"),
        FormKind::DropAction(id) => format!("Drop action {id}{subject}"),
        FormKind::Note(n) => format!("Add note to {n}"),
        FormKind::Decision(_, n) => format!("Decision on {n}"),
        FormKind::Review(n) => format!("Next review of {n}"),
        FormKind::Level(n) => format!("Crisis level of {n}"),
        FormKind::Stage(n) => format!("Stage of {n}"),
        FormKind::NewConference => "New conference".to_string(),
        FormKind::ConferenceDetails(id) => format!("Conference #{id}"),
        FormKind::AgendaAdd(id) => format!("Add to agenda of #{id}"),
        FormKind::AttendeeAdd(id) => format!("Add attendee to #{id}"),
        FormKind::Amend(id) => format!("Correction to #{id}"),
        FormKind::Consent(n) => format!("Guardian consent {n}{subject}"),
    }
}
