//! English: what the app says, in English. Pure.

use super::failure;
use crate::app::form::{FieldId, FormKind};
use crate::app::{FormError, MeetingStep, MergeSide, Message, Question, Saved, Screen};
use crate::i18n::{Lang, Localize};

/// A status-line message.
pub(super) fn message(message: &Message) -> String {
    match message {
        Message::Saved { what, undo } => {
            let hint = if *undo { " (⟦undo⟧: undo)" } else { "" };
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
            "Select an action in the actions pane first (⟦pane_next⟧: switch pane)".into()
        }
        Message::SelectAction => {
            "Select an action first: open a case (⟦open⟧), or use By team or Due".into()
        }
        Message::FilterOnLists { keys } => {
            format!("The filter works on the list screens ({keys})")
        }
        Message::MinutesWritten { path } => format!("Minutes written: {path}"),
        Message::MinutesNotWritten { why } => {
            format!("The minutes were not written: {why} — check the folder casedesk runs in")
        }
        Message::MinutesNeedConference => {
            "Open a conference first: the minutes are of one conference".into()
        }
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
        Message::NoSessions { id } => format!("action {id} is not recurring work with sessions"),
        Message::NotAReferral { id, team } => format!(
            "action {id} is owned by the internal team {team}: only a referral to an outside agency has a referral status"
        ),
        Message::StoppedFollowing => "Stopped following".into(),
        Message::FollowingReadOnly => {
            "Read-only: following the conference (⟦back⟧: stop following, ⟦quit⟧: quit)".into()
        }
        Message::NothingToFollow => "No conference is running to follow".into(),
        Message::ClosedConference { key } => {
            format!("A closed conference cannot be changed: {key} adds a correction")
        }
        Message::AmendClosedOnly => {
            "Corrections are for closed conferences: change it directly now".into()
        }
        Message::AttendancePane => {
            "Attendance is marked in the attendance pane (⟦pane_next⟧: switch pane)".into()
        }
        Message::AlreadyDeferred => "This item is deferred already".into(),
        Message::DeferWhileRunning => {
            "Items are deferred while the conference runs: for now, drop it from the agenda".into()
        }
        Message::LastItem { key } => format!("This is the last item: {key} closes the conference"),
        Message::FirstItem => "This is the first item".into(),
        Message::Notice(text) => text.clone(),
        Message::MergedCase { case, into } => {
            format!("{case} was merged into {into}: record it there (⟦open⟧: open {into})")
        }
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
            MeetingStep::Arrange => "agenda and attendance saved",
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
        Saved::Progress(id) => format!("progress noted on {id}"),
        Saved::Referral(id) => format!("referral {id} updated"),
        Saved::Session(id) => format!("session of {id} recorded"),
        Saved::ActionChanged(id) => format!("action {id} changed"),
        Saved::CaseChanged(number) => format!("case {number} changed"),
        Saved::Consent(number) => format!("consent recorded on case {number}"),
        Saved::Merged { keep, other, moved } => format!(
            "{other} merged into {keep}: {moved} action{} moved",
            if *moved == 1 { "" } else { "s" }
        ),
        Saved::Undone => "undone".into(),
        Saved::Other => "saved".into(),
    }
}

/// A yes/no question.
pub(super) fn question(question: &Question) -> String {
    match question {
        Question::Discard => "Discard what you typed and close? (⟦yes⟧/⟦no⟧)".into(),
        Question::Undo(what) => format!("Undo '{}'? (⟦yes⟧/⟦no⟧)", saved(what)),
        Question::Start {
            id,
            items,
            present,
            attendees,
        } => format!(
            "Start conference #{id}? {items} items, {present}/{attendees} present (⟦yes⟧/⟦no⟧)"
        ),
        Question::Close { id, open } => format!(
            "Close conference #{id}? {open} item(s) not discussed. It cannot be changed afterwards (⟦yes⟧/⟦no⟧)"
        ),
        Question::PrepareNext { date, time } => format!(
            "Prepare the next conference, {}{}, now? (y/n)",
            crate::i18n::day(*date, Lang::En),
            time.map(|t| t.format(" %H:%M").to_string())
                .unwrap_or_default()
        ),
        Question::Merge(plan) => {
            let (keep, other) = (plan.keep.number, plan.other.number);
            format!(
                "Merge cases: {other} → {keep}\nKeep: {}\nMerge: {}\nMoves: {} action(s) ({} open), {} note(s), {} agenda item(s)\n{other} stays only as a pointer to {keep}.\nIt can be undone (⟦undo⟧).\nMerge? (⟦yes⟧/⟦no⟧)",
                side(&plan.keep),
                side(&plan.other),
                plan.actions,
                plan.open,
                plan.notes,
                plan.items
            )
        }
    }
}

/// One side of a merge: `2026-0003 서*지 · 한빛초등학교 3-2 · support`.
fn side(side: &MergeSide) -> String {
    format!(
        "{} {} · {} {} · {}",
        side.number,
        side.student,
        side.school,
        side.grade,
        side.stage.label(Lang::En)
    )
}

/// Why a form cannot be saved.
pub(super) fn form_error(error: &FormError) -> String {
    match error {
        FormError::Required(field) => format!("{} is required", field_label(*field)),
        FormError::Missing(field) => field_label(*field).to_string(),
        FormError::Refused(e) => e.localize(Lang::En),
        FormError::Date(e) => e.localize(Lang::En),
        FormError::BadTime(field) => format!(
            "{} cannot be read: write it like 14:00, 1400 or 2pm",
            field_label(*field)
        ),
        FormError::BadNumber(field) => format!("{} takes a number (e.g. 120)", field_label(*field)),
        FormError::Failed(why) => failure(why, Lang::En),
        FormError::Unchosen { field, typed } => format!(
            "{}: '{typed}' does not name one choice, so nothing was saved — type more of a code or name, or pick one of the candidates with ←/→",
            field_label(*field)
        ),
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
        FieldId::Progress => "Progress",
        FieldId::ReferralStatus => "Referral status",
        FieldId::SessionNo => "Session",
        FieldId::SessionMark => "Held or missed",
        FieldId::Text => "Note",
        FieldId::Restricted => "Restricted",
        FieldId::Decision => "Decision",
        FieldId::Date => "Date",
        FieldId::Kind => "Kind",
        FieldId::ConferenceTitle => "Title",
        FieldId::Facilitator => "Facilitator",
        FieldId::Case => "Case number",
        FieldId::MergeCandidate => "Same student",
        FieldId::Present => "Present",
        FieldId::Time => "Time",
        FieldId::Place => "Place",
        FieldId::Length => "Length (min)",
        FieldId::NextDate => "Next conference",
        FieldId::NextTime => "Next time",
        FieldId::Role => "Role",
        FieldId::Status => "Attendance",
        FieldId::AgencyName => "Agency name",
        FieldId::AgencyCode => "Agency code",
        FieldId::Correction => "Correction",
        FieldId::TeamCode => "Code",
        FieldId::TeamName => "Name",
        FieldId::TeamNameEn => "English name",
        FieldId::External => "Outside agency",
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
        FormKind::ActionProgress(id) => format!("Progress on {id}{subject}"),
        FormKind::Referral(id) => format!("Referral status {id}{subject}"),
        FormKind::Session(id) => format!("Session of {id}{subject}"),
        FormKind::Note(n) => format!("Add note to {n}"),
        FormKind::Decision(_, n) => format!("Decision on {n}"),
        FormKind::Review(n) => format!("Next review of {n}"),
        FormKind::Level(n) => format!("Crisis level of {n}"),
        FormKind::Stage(n) => format!("Stage of {n}"),
        FormKind::NewConference => "New conference".to_string(),
        FormKind::ConferenceDetails(id) => format!("Conference #{id}"),
        FormKind::AgendaAdd(id) => format!("Add to agenda of #{id}"),
        FormKind::AttendeeAdd(id) => format!("Add attendee to #{id}"),
        FormKind::AgencyAdd(id) => format!("Add someone from a new agency to #{id}"),
        FormKind::Amend(id) => format!("Correction to #{id}"),
        FormKind::AddTeam => "New team or agency".to_string(),
        FormKind::Consent(n) => format!("Guardian consent {n}{subject}"),
        FormKind::MergeCase(n) => format!("Merge another case into {n}{subject}"),
    }
}
