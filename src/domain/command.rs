//! Every change to the records is a `Command`; its `Outcome` records what was assigned, and
//! `Changes` lists the records it writes; pure data, no IO.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use serde::{Deserialize, Deserializer, Serialize};

use super::ids::{ActionId, CaseNumber, TeamCode};
use super::model::{
    Action, AgendaReason, Attendee, Case, Conference, Counters, Grade, NextMeeting, Note, Office,
    Student, Team, User,
};
use super::vocab::{
    Concern, ConferenceKind, ConsentGiver, ConsentKind, DifficultyDomain, Level, NoteKind,
    ReferralStatus, Role, Stage,
};

/// A change someone asks for. The store checks it against the current records, journals it and
/// applies it, or refuses it and changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// Sets up a new store for an office with its team list.
    InitStore {
        /// The office.
        office: String,
        /// Its teams.
        teams: Vec<Team>,
        /// A store of synthetic demo data.
        #[serde(default)]
        demo: bool,
    },
    /// Adds a department or agency.
    AddTeam {
        /// The new team.
        team: Team,
    },
    /// Registers a case.
    CreateCase {
        /// What is known at intake.
        case: NewCase,
    },
    /// Changes a case's teams, level, stage or review date.
    UpdateCase {
        /// The case.
        case: CaseNumber,
        /// What changes.
        change: CaseUpdate,
        /// The running conference that decided it (recorded on its agenda item).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        conference: Option<u32>,
    },
    /// Closes a case (종결).
    CloseCase {
        /// The case.
        case: CaseNumber,
        /// Why.
        reason: String,
        /// Drop its open actions with the same reason instead of refusing.
        #[serde(default)]
        drop_open: bool,
    },
    /// Reopens a closed case (재개); it goes back to the case conference stage.
    ReopenCase {
        /// The case.
        case: CaseNumber,
        /// Why.
        reason: String,
    },
    /// Adds an action to a case.
    AddAction {
        /// The case.
        case: CaseNumber,
        /// What is to be done.
        title: String,
        /// Who owns it.
        team: TeamCode,
        /// By when.
        due_on: NaiveDate,
        /// The person who does it.
        #[serde(default)]
        person: Option<String>,
        /// The conference that agreed it.
        #[serde(default)]
        conference: Option<u32>,
        /// Whether an outside owner needs a standing consent to share (see [`SharingCheck`]).
        #[serde(default, skip_serializing_if = "SharingCheck::is_unchecked")]
        sharing: SharingCheck,
    },
    /// Adds recurring work to a case (weekly counselling, 8 sessions): one action with its
    /// sessions, due on the first.
    AddRecurringAction {
        /// The case.
        case: CaseNumber,
        /// What is to be done.
        title: String,
        /// Who owns it.
        team: TeamCode,
        /// The sessions' days, in order.
        sessions: Vec<NaiveDate>,
        /// The person who does it.
        #[serde(default)]
        person: Option<String>,
        /// The conference that agreed it.
        #[serde(default)]
        conference: Option<u32>,
        /// Whether an outside owner needs a standing consent to share with it.
        #[serde(default)]
        sharing: SharingCheck,
    },
    /// Records a session of recurring work as held or missed.
    MarkSession {
        /// The action.
        action: ActionId,
        /// The session's number, from 1.
        session: u32,
        /// Held (true) or missed.
        held: bool,
    },
    /// Changes an open action's title, owner, due date or person.
    UpdateAction {
        /// The action.
        action: ActionId,
        /// What changes.
        change: ActionUpdate,
    },
    /// Marks an action done.
    CompleteAction {
        /// The action.
        action: ActionId,
        /// What came of it.
        #[serde(default)]
        note: Option<String>,
    },
    /// Records progress on an open action without closing it (경과).
    NoteAction {
        /// The action.
        action: ActionId,
        /// What happened so far.
        text: String,
    },
    /// Records a referral's new status (accepted, in progress, finished, declined, or asked
    /// again); finished marks the action done, declined drops it with the reason.
    SetReferral {
        /// The action (owned by an outside agency).
        action: ActionId,
        /// The new status.
        status: ReferralStatus,
        /// Why (required when declined), or what came of it.
        #[serde(default)]
        reason: Option<String>,
    },
    /// Drops an action that will not be done.
    DropAction {
        /// The action.
        action: ActionId,
        /// Why.
        reason: String,
    },
    /// Undoes an earlier change: puts its records back as they were, if nobody changed them
    /// since. It is journaled like any change, so the trail keeps both.
    Revert {
        /// What to put back.
        revert: Revert,
    },
    /// Adds a timeline entry to a case.
    AddNote {
        /// The case.
        case: CaseNumber,
        /// What kind of entry.
        kind: NoteKind,
        /// The text.
        text: String,
        /// Only the lead team and coordinators may read it.
        #[serde(default)]
        restricted: bool,
    },
    /// Prepares a conference with its agenda and attendance.
    CreateConference {
        /// What it is to be.
        conference: NewConference,
    },
    /// Changes a conference's details, agenda or attendance before it closes.
    UpdateConference {
        /// The conference.
        conference: u32,
        /// What changes.
        change: ConferenceUpdate,
    },
    /// Adds someone to a conference's attendance (or gives the unnamed seat of their team a
    /// name), first adding their agency to the team list when it is new to casedesk: one
    /// change, so the meeting never leaves its screen.
    AddAttendee {
        /// The conference.
        conference: u32,
        /// Who.
        attendee: Attendee,
        /// An agency casedesk does not know yet, added with them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        new_team: Option<Team>,
    },
    /// Starts a planned conference: the first item comes up and its clock runs.
    StartConference {
        /// The conference.
        conference: u32,
    },
    /// Brings an agenda item up for discussion (the next, the previous or any).
    OpenItem {
        /// The conference.
        conference: u32,
        /// The item's case.
        case: CaseNumber,
    },
    /// Records a decision on an agenda item; it also goes on the case's timeline.
    RecordDecision {
        /// The conference.
        conference: u32,
        /// The item's case.
        case: CaseNumber,
        /// The decision.
        text: String,
    },
    /// Defers an agenda item to the next conference; the next item comes up.
    DeferItem {
        /// The conference.
        conference: u32,
        /// The item's case.
        case: CaseNumber,
    },
    /// Stops the conference's clock (casedesk is closed while it runs).
    PauseConference {
        /// The conference.
        conference: u32,
    },
    /// Starts the clock again. If casedesk stopped without stopping it (a crash), the time up
    /// to the last entry counts and the time after it does not.
    ResumeConference {
        /// The conference.
        conference: u32,
    },
    /// Ends a conference; from then on it is read-only.
    CloseConference {
        /// The conference.
        conference: u32,
    },
    /// Records a correction to a closed conference, beside (not instead of) its record.
    AmendConference {
        /// The conference.
        conference: u32,
        /// The agenda item it concerns, if one.
        #[serde(default)]
        case: Option<CaseNumber>,
        /// The correction.
        text: String,
    },
    /// Lets a person use casedesk under their operating-system account (admins only).
    AddUser {
        /// The new user.
        user: User,
    },
    /// Changes a user's role, teams or name (admins only).
    SetUser {
        /// The account.
        account: String,
        /// What changes.
        change: UserUpdate,
    },
    /// Takes a person's access away (admins only); what they recorded stays.
    RemoveUser {
        /// The account.
        account: String,
    },
    /// Records a guardian's (or the student's) consent on a case: to collect and use, or to
    /// share with a named outside agency.
    AddConsent {
        /// The case.
        case: CaseNumber,
        /// The consent.
        consent: NewConsent,
    },
    /// Records that a consent was withdrawn; it stays on the case with its day of withdrawal.
    WithdrawConsent {
        /// The case.
        case: CaseNumber,
        /// The consent's number on the case (from 1, as `consent list` shows it).
        n: u32,
        /// The day it was withdrawn.
        on: NaiveDate,
    },
    /// Merges two cases of the same student: the other case's actions move onto the kept one
    /// (renumbered after its own), its timeline, consents and teams join the kept one's, its
    /// conference agenda items become the kept one's, and it stays only as a pointer.
    MergeCases {
        /// The case that stays.
        keep: CaseNumber,
        /// The case merged into it.
        other: CaseNumber,
    },
    /// Records in the audit trail that records left casedesk with students' names shown (an
    /// unmasked export). Changes no record.
    RecordExport {
        /// What was exported: `cases`, `actions` or `notes`.
        what: String,
        /// `csv` or `json`.
        format: String,
        /// Rows exported.
        rows: usize,
        /// Where it went: a file path, or `stdout`.
        to: String,
    },
}

impl Command {
    /// The command's kind as the journal names it (`add_action`): what a diagnostic log may
    /// say of it, since it holds nothing a person typed.
    pub fn kind(&self) -> &'static str {
        match self {
            Command::InitStore { .. } => "init_store",
            Command::AddTeam { .. } => "add_team",
            Command::CreateCase { .. } => "create_case",
            Command::UpdateCase { .. } => "update_case",
            Command::CloseCase { .. } => "close_case",
            Command::ReopenCase { .. } => "reopen_case",
            Command::AddAction { .. } => "add_action",
            Command::UpdateAction { .. } => "update_action",
            Command::CompleteAction { .. } => "complete_action",
            Command::DropAction { .. } => "drop_action",
            Command::NoteAction { .. } => "note_action",
            Command::AddRecurringAction { .. } => "add_recurring_action",
            Command::MarkSession { .. } => "mark_session",
            Command::SetReferral { .. } => "set_referral",
            Command::Revert { .. } => "revert",
            Command::AddNote { .. } => "add_note",
            Command::CreateConference { .. } => "create_conference",
            Command::UpdateConference { .. } => "update_conference",
            Command::AddAttendee { .. } => "add_attendee",
            Command::StartConference { .. } => "start_conference",
            Command::OpenItem { .. } => "open_item",
            Command::RecordDecision { .. } => "record_decision",
            Command::DeferItem { .. } => "defer_item",
            Command::PauseConference { .. } => "pause_conference",
            Command::ResumeConference { .. } => "resume_conference",
            Command::CloseConference { .. } => "close_conference",
            Command::AmendConference { .. } => "amend_conference",
            Command::AddUser { .. } => "add_user",
            Command::SetUser { .. } => "set_user",
            Command::RemoveUser { .. } => "remove_user",
            Command::RecordExport { .. } => "record_export",
            Command::AddConsent { .. } => "add_consent",
            Command::WithdrawConsent { .. } => "withdraw_consent",
            Command::MergeCases { .. } => "merge_cases",
        }
    }
}

/// How an action given to an outside agency stands with the student's consent to share.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "check", rename_all = "snake_case")]
pub enum SharingCheck {
    /// Not checked: what changes journaled before consent was checked say (they replay as
    /// they were), and what an internal owner needs.
    #[default]
    Unchecked,
    /// An outside owner needs a standing consent to share with it; refused without one.
    Required,
    /// Given to the outside owner without a standing consent, for this reason (a safety
    /// emergency, say); the reason is kept on the action and the case's timeline.
    Without {
        /// Why.
        reason: String,
    },
}

impl SharingCheck {
    /// True for [`SharingCheck::Unchecked`].
    pub fn is_unchecked(&self) -> bool {
        *self == SharingCheck::Unchecked
    }

    /// `Without` with `reason` when one is given (not blank), `Required` otherwise.
    pub fn from_reason(reason: Option<&str>) -> SharingCheck {
        match reason.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => SharingCheck::Without {
                reason: r.to_string(),
            },
            None => SharingCheck::Required,
        }
    }
}

/// A consent as it is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewConsent {
    /// Collection and use, or sharing.
    pub kind: ConsentKind,
    /// The outside agency (sharing only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<TeamCode>,
    /// The day it was given.
    pub given_on: NaiveDate,
    /// Who gave it.
    pub given_by: ConsentGiver,
}

/// A conference as it is prepared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewConference {
    /// Day it is held.
    pub date: NaiveDate,
    /// Title.
    pub title: String,
    /// Regular, ad hoc or urgent.
    pub kind: ConferenceKind,
    /// Who runs it.
    pub facilitator: String,
    /// The agenda, in order.
    pub agenda: Vec<PlannedItem>,
    /// Who is expected.
    #[serde(default)]
    pub attendees: Vec<Attendee>,
    /// How long it is to run, in minutes.
    #[serde(default = "super::model::default_length")]
    pub length_minutes: u16,
    /// Where it is held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// When it starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<NaiveTime>,
}

/// An agenda item as planned: the case, why, and the time set aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedItem {
    /// The case.
    pub case: CaseNumber,
    /// Why it is on the agenda.
    pub reasons: Vec<AgendaReason>,
    /// Minutes set aside.
    pub budget_minutes: u16,
}

/// What `UpdateConference` changes; `None` leaves a part as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConferenceUpdate {
    /// New day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// New title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// New kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ConferenceKind>,
    /// New facilitator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facilitator: Option<String>,
    /// The agenda in its new order (replaces the old one; items keep what was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agenda: Option<Vec<PlannedItem>>,
    /// The attendance (replaces the old list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendees: Option<Vec<Attendee>>,
    /// New length in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length_minutes: Option<u16>,
    /// New place (empty: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// New starting time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<NaiveTime>,
    /// When the next conference is to be held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<NextMeeting>,
    /// Forget the next conference's day and the starting time.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub clear_times: bool,
}

/// What undoing a change puts back: each record as it was before (or nothing, when the change
/// created it) and as the change left it (to make sure nobody changed it since).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revert {
    /// Journal sequence number of the change undone.
    pub seq: u64,
    /// Cases: before and after the change.
    #[serde(default)]
    pub cases: Vec<Before<Case>>,
    /// Actions: before and after the change.
    #[serde(default)]
    pub actions: Vec<Before<Action>>,
    /// Notes the change added (they go).
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Actions the change removed (they come back): a merge's actions under their old numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed_actions: Vec<Action>,
    /// Conferences: before and after the change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conferences: Vec<Before<Conference>>,
}

/// A record before a change (`None`: the change created it) and after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Before<T> {
    /// As it was before.
    pub before: Option<T>,
    /// As the change left it.
    pub after: T,
}

/// What is known about a case when it is registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCase {
    /// The student.
    pub student: Student,
    /// School name.
    pub school: String,
    /// Grade and class.
    pub grade: Grade,
    /// Lead team.
    pub lead_team: TeamCode,
    /// Cooperating teams.
    #[serde(default)]
    pub co_teams: Vec<TeamCode>,
    /// Crisis level; 관심 when not given.
    #[serde(default)]
    pub level: Option<Level>,
    /// Difficulty domains.
    #[serde(default)]
    pub domains: Vec<DifficultyDomain>,
    /// Sub-items; their domains are added too.
    #[serde(default)]
    pub concerns: Vec<Concern>,
    /// First review date.
    #[serde(default)]
    pub review_on: Option<NaiveDate>,
    /// Who referred the student.
    #[serde(default)]
    pub referral_source: Option<String>,
    /// Day of referral; the day of registration when not given.
    #[serde(default)]
    pub referred_on: Option<NaiveDate>,
    /// Person in charge in the lead team.
    #[serde(default)]
    pub lead_person: Option<String>,
    /// Short summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Needs attention now.
    #[serde(default)]
    pub urgent: bool,
    /// A safety concern.
    #[serde(default)]
    pub safety: bool,
    /// Background items of the application form (기초생활수급자, 한부모, 다문화, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub background: Vec<String>,
    /// Refuse it when a case for the same student exists (same name and birth date, or same
    /// name, school and grade), open or closed. Registrations journaled before this check, and
    /// imports (which find their own duplicates), leave it off.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub check_duplicates: bool,
}

/// The fields of a case that `UpdateCase` can change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseUpdate {
    /// New lead team; a cooperating team that becomes lead stops being cooperating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_team: Option<TeamCode>,
    /// New list of cooperating teams (replaces the old one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co_teams: Option<Vec<TeamCode>>,
    /// New crisis level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// New stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// New review date, or `Some(None)` to clear it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub review_on: Option<Option<NaiveDate>>,
    /// New person in charge, or `Some(None)` to clear it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub lead_person: Option<Option<String>>,
    /// Day the guardian consented to collection and use, or `Some(None)` to clear it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub consent_on: Option<Option<NaiveDate>>,
    /// Agencies the guardian agreed the data may be shared with (replaces the list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_third_party: Option<Vec<TeamCode>>,
    /// A stage more than one step ahead is confirmed: the stages passed over are recorded as
    /// skipped.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub skip_stages: bool,
    /// The student's name, corrected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub student: Option<String>,
    /// Birth date, or `Some(None)` to clear it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub birth_on: Option<Option<NaiveDate>>,
    /// Sex, or `Some(None)` to clear it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub sex: Option<Option<super::vocab::Sex>>,
    /// A new school (a transfer: the old one stays named on the timeline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school: Option<String>,
    /// A new grade and class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    /// Difficulty domains (replaces the list; sub-items' domains are added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domains: Option<Vec<DifficultyDomain>>,
    /// Sub-items of the domains (replaces the list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concerns: Option<Vec<Concern>>,
    /// A new summary ("" clears it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Background items (replaces the list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<Vec<String>>,
    /// Who referred the student, or `Some(None)` to clear it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub referral_source: Option<Option<String>>,
    /// Needs attention now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgent: Option<bool>,
    /// A safety concern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety: Option<bool>,
}

impl CaseUpdate {
    /// True when it changes anything given at registration (school, grade, domains, summary,
    /// background, flags, the student's details).
    pub fn changes_details(&self) -> bool {
        self.student.is_some()
            || self.birth_on.is_some()
            || self.sex.is_some()
            || self.school.is_some()
            || self.grade.is_some()
            || self.domains.is_some()
            || self.concerns.is_some()
            || self.summary.is_some()
            || self.background.is_some()
            || self.referral_source.is_some()
            || self.urgent.is_some()
            || self.safety.is_some()
    }
}

/// What `SetUser` changes; `None` leaves a part as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserUpdate {
    /// New role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// New teams (replaces the list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teams: Option<Vec<TeamCode>>,
    /// New name, or `Some(None)` to clear it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub name: Option<Option<String>>,
}

/// The fields of an action that `UpdateAction` can change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionUpdate {
    /// New title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// New owner team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamCode>,
    /// New due date (moving a deadline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<NaiveDate>,
    /// New person, or `Some(None)` to clear it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub person: Option<Option<String>>,
    /// Whether a new outside owner needs a standing consent to share.
    #[serde(default, skip_serializing_if = "SharingCheck::is_unchecked")]
    pub sharing: SharingCheck,
}

/// Tells a field given as `null` (clear it) from a field left out (keep it).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// What a command assigned, kept in the journal so that replaying it can be checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// Nothing was assigned.
    Done,
    /// A case number.
    Case {
        /// The new case's number.
        number: CaseNumber,
    },
    /// An action id.
    Action {
        /// The new action's id.
        id: ActionId,
    },
    /// A note number.
    Note {
        /// The case.
        case: CaseNumber,
        /// The note's number within the case.
        n: u32,
    },
    /// A closure, with the actions it dropped.
    Closed {
        /// The open actions dropped with it.
        dropped: Vec<ActionId>,
    },
    /// A conference number.
    Conference {
        /// The new conference's number.
        id: u32,
    },
    /// A merge, with each moved action's old and new id.
    Merged {
        /// Old id → new id, in order.
        moved: Vec<(ActionId, ActionId)>,
    },
}

/// The records a command writes, in their new form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    /// The office, when it changes.
    pub office: Option<Office>,
    /// Teams added or changed.
    pub teams: Vec<Team>,
    /// Cases added or changed.
    pub cases: Vec<Case>,
    /// Actions added or changed.
    pub actions: Vec<Action>,
    /// Notes added.
    pub notes: Vec<Note>,
    /// Case-number counters, when a case is registered.
    pub counters: Option<Counters>,
    /// Cases removed (by undoing their registration).
    pub removed_cases: Vec<CaseNumber>,
    /// Actions removed (by undoing their creation).
    pub removed_actions: Vec<ActionId>,
    /// Notes removed (by undoing their writing).
    pub removed_notes: Vec<(CaseNumber, u32)>,
    /// Conferences added or changed.
    pub conferences: Vec<Conference>,
    /// Conferences removed (by undoing their preparation).
    pub removed_conferences: Vec<u32>,
    /// Users added or changed.
    #[serde(default)]
    pub users: Vec<User>,
    /// Users removed.
    #[serde(default)]
    pub removed_users: Vec<String>,
}

/// Who asks and when: the moment a command is decided, injected so that rules never read a clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ctx {
    /// The moment of the change, in the office's time zone.
    pub at: DateTime<FixedOffset>,
    /// The account making it.
    pub user: String,
}

impl Ctx {
    /// The day of the change.
    pub fn today(&self) -> NaiveDate {
        self.at.date_naive()
    }
}
