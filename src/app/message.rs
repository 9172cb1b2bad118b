//! What the app has to say — a change saved, a refusal by kind, a hint, a question — as values.
//! The words are made once, where they are shown, from one table per language
//! (`ui::messages::{ko, en}`); nothing here is text. Pure.

use std::sync::Arc;

use crate::backend::{BackendError, ConnectionError, FailureKind, Stale};
use crate::domain::access::Denied;
use crate::domain::dates::DateError;
use crate::domain::revision::ChangeSummary;
use crate::domain::vocab::ActionStatus;
use crate::domain::{ActionId, CaseNumber, DomainError};
use crate::store::StoreError;

use super::MeetingStep;
use super::form::FieldId;

/// A line for the status bar.
#[derive(Debug, Clone)]
pub enum Message {
    /// A change was saved; `undo` when `u` can take it back now.
    Saved {
        /// What was saved.
        what: Saved,
        /// True when there is something to undo.
        undo: bool,
    },
    /// Something asked for did not happen, and why.
    Failed(Failure),
    /// Someone else's change reached the screen.
    Changed {
        /// What it was.
        summary: ChangeSummary,
        /// Whose it was.
        by: String,
    },
    /// The server went away; the backend keeps trying.
    ServerLost,
    /// The server is back.
    ServerBack,
    /// A form's input was thrown away.
    Discarded,
    /// A question was answered no.
    Cancelled,
    /// A form was saved without changing anything.
    NothingChanged,
    /// `u` with nothing to undo.
    NothingToUndo,
    /// A key that needs a case, with none selected.
    SelectCase,
    /// A key that needs an action, on the case screen with the timeline focused.
    SelectActionInPane,
    /// A key that needs an action, with none selected.
    SelectAction,
    /// `/` outside the list screens; `keys` are those of the list screens.
    FilterOnLists {
        /// The keys that go to the list screens (`1·2·3`).
        keys: String,
    },
    /// The minutes were written to this file.
    MinutesWritten {
        /// Where.
        path: String,
    },
    /// The minutes could not be written, and why.
    MinutesNotWritten {
        /// Why (the file system's words).
        why: String,
    },
    /// Writing the minutes with no conference open.
    MinutesNeedConference,
    /// Presentation mode went on.
    PresentationOn,
    /// Presentation mode went off.
    PresentationOff,
    /// A new action on a closed case or one in aftercare.
    ClosedCaseNoActions,
    /// Editing an action that is done or dropped.
    ActionNotOpen {
        /// The action.
        id: ActionId,
        /// What it is.
        status: ActionStatus,
    },
    /// A session key on one-off work.
    NoSessions {
        /// The action.
        id: ActionId,
    },
    /// A referral status for an action an internal team owns.
    NotAReferral {
        /// The action.
        id: ActionId,
        /// Its owner.
        team: crate::domain::TeamCode,
    },
    /// Following a conference ended.
    StoppedFollowing,
    /// A key that would change something while following.
    FollowingReadOnly,
    /// Following with no conference running.
    NothingToFollow,
    /// A change to a closed conference; `key` adds a correction.
    ClosedConference {
        /// The key bound to adding a correction.
        key: String,
    },
    /// A correction to a conference that is still being prepared.
    AmendClosedOnly,
    /// Marking attendance with the agenda focused.
    AttendancePane,
    /// Deferring an item that is deferred.
    AlreadyDeferred,
    /// Deferring an item before the conference runs.
    DeferWhileRunning,
    /// Moving past the last item; `key` closes the conference.
    LastItem {
        /// The key bound to closing the conference.
        key: String,
    },
    /// Moving before the first item.
    FirstItem,
    /// Text already in the person's language (what opening the store repaired, from the
    /// backend).
    Notice(String),
    /// A key that would change a case merged into another (only a pointer now).
    MergedCase {
        /// The merged case.
        case: CaseNumber,
        /// The case it lives on now.
        into: CaseNumber,
    },
}

/// What a saved change was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// A case was registered.
    Case(CaseNumber),
    /// An action was added.
    Action(ActionId),
    /// A conference was prepared.
    Conference(u32),
    /// A decision was recorded on a case.
    Decision(CaseNumber),
    /// A case's next review was set.
    Review(CaseNumber),
    /// A correction was added to a conference.
    Amended(u32),
    /// A case's crisis level changed.
    Level(CaseNumber),
    /// A case's stage changed.
    Stage(CaseNumber),
    /// A step of a conference.
    Meeting(MeetingStep),
    /// A note was added to a case.
    Note(CaseNumber),
    /// An action was marked done.
    Done(ActionId),
    /// An action was dropped.
    Dropped(ActionId),
    /// Progress was recorded on an action.
    Progress(ActionId),
    /// A referral's status was recorded.
    Referral(ActionId),
    /// A session was recorded.
    Session(ActionId),
    /// An action was changed.
    ActionChanged(ActionId),
    /// A case was changed.
    CaseChanged(CaseNumber),
    /// A consent was recorded or withdrawn on a case.
    Consent(CaseNumber),
    /// A case was merged into the one kept.
    Merged {
        /// The case kept.
        keep: CaseNumber,
        /// The case merged into it.
        other: CaseNumber,
        /// How many actions moved.
        moved: usize,
    },
    /// A change was undone.
    Undone,
    /// Anything else.
    Other,
}

/// A question waiting for yes or no.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// Throw away what was typed in a form?
    Discard,
    /// Undo this change?
    Undo(Saved),
    /// Start this conference?
    Start {
        /// The conference.
        id: u32,
        /// Items on its agenda.
        items: usize,
        /// Attendees marked present.
        present: usize,
        /// Attendees listed.
        attendees: usize,
    },
    /// Close this conference?
    Close {
        /// The conference.
        id: u32,
        /// Items not discussed.
        open: usize,
    },
    /// Prepare the next conference the closed one agreed on?
    PrepareNext {
        /// Its day.
        date: chrono::NaiveDate,
        /// Its time, when agreed.
        time: Option<chrono::NaiveTime>,
    },
    /// Merge one case into another: both cases, and what moves.
    Merge(MergePlan),
}

/// One side of a merge as the question shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeSide {
    /// The case.
    pub number: CaseNumber,
    /// The student's name, masked.
    pub student: String,
    /// The school.
    pub school: String,
    /// Grade and class.
    pub grade: crate::domain::model::Grade,
    /// The stage.
    pub stage: crate::domain::vocab::Stage,
}

/// What a merge will do, asked before it is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergePlan {
    /// The case kept.
    pub keep: MergeSide,
    /// The case merged into it.
    pub other: MergeSide,
    /// The other case's actions (all move), …
    pub actions: usize,
    /// … of which open.
    pub open: usize,
    /// The other case's notes (the kept case's timeline shows them).
    pub notes: usize,
    /// Conference agenda items that become the kept case's.
    pub items: usize,
}

/// Why a form cannot be saved yet, shown in the form.
#[derive(Debug, Clone)]
pub enum FormError {
    /// A required text field is empty.
    Required(FieldId),
    /// A required date is missing (the field's name is the message).
    Missing(FieldId),
    /// The rules refuse a value.
    Refused(DomainError),
    /// A date cannot be read.
    Date(DateError),
    /// A time of day cannot be read (the field).
    BadTime(FieldId),
    /// A number cannot be read (the field).
    BadNumber(FieldId),
    /// The store refused or failed to save it.
    Failed(Failure),
    /// What was typed into a choice (a team) names no single option: nothing is saved until
    /// one is chosen.
    Unchosen {
        /// The choice field.
        field: FieldId,
        /// What was typed.
        typed: String,
    },
}

impl From<DomainError> for FormError {
    fn from(e: DomainError) -> Self {
        FormError::Refused(e)
    }
}

impl From<DateError> for FormError {
    fn from(e: DateError) -> Self {
        FormError::Date(e)
    }
}

/// Why something asked of the store did not happen, by kind: what the app decides on.
#[derive(Debug, Clone)]
pub enum Failure {
    /// Someone changed the record since it was read: nothing was saved.
    Stale(Stale),
    /// The rules refused it.
    Refused(DomainError),
    /// The person's role or teams do not allow it.
    Denied(Denied),
    /// An undo the server cannot do.
    UndoUnknown {
        /// The change's journal sequence number.
        seq: u64,
    },
    /// The store in this process failed (poisoned after a failed write, a full disk, damage).
    Store(Arc<StoreError>),
    /// The store failed on the server.
    Server {
        /// What kind of failure.
        kind: FailureKind,
        /// The server's words in Korean.
        ko: String,
        /// And in English.
        en: String,
    },
    /// The server could not be reached, or went away mid-request.
    Connection(ConnectionError),
}

impl Failure {
    /// True when the store can take no more changes until it is opened again.
    pub fn store_stopped(&self) -> bool {
        match self {
            Failure::Store(e) => matches!(**e, StoreError::Poisoned { .. }),
            Failure::Server { kind, .. } => *kind == FailureKind::Poisoned,
            _ => false,
        }
    }
}

impl From<BackendError> for Failure {
    fn from(e: BackendError) -> Self {
        match e {
            BackendError::Refused(e) => Failure::Refused(e),
            BackendError::Denied(e) => Failure::Denied(e),
            BackendError::Stale(s) => Failure::Stale(s),
            BackendError::UndoUnknown { seq } => Failure::UndoUnknown { seq },
            BackendError::Store(e) => Failure::Store(Arc::new(e)),
            BackendError::Failed { kind, ko, en } => Failure::Server { kind, ko, en },
            BackendError::Connection(c) => Failure::Connection(c),
        }
    }
}
