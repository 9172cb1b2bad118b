//! What comes into the app — keys, pastes, the clock, the store's answers, others' changes —
//! and what it asks of the runtime: commands for the store, records to read, quitting. Values
//! only.

use chrono::{DateTime, FixedOffset, NaiveDate};
use ratatui::crossterm::event::KeyEvent;

use super::form::FormKind;
use crate::backend::{BackendError, Receipt, Remote};
use crate::domain::revision::Expect;
use crate::domain::{Action, ActionId, CaseNumber, Command, Note};

/// Why a command was sent, to know what to say and do when it comes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// A form was saved.
    Form(FormKind),
    /// An action was marked done from a list.
    Done(ActionId),
    /// An undo.
    Undo,
    /// A step of a conference.
    Meeting(MeetingStep),
    /// A merge of `other` into `keep`.
    Merge {
        /// The case kept.
        keep: CaseNumber,
        /// The case merged into it.
        other: CaseNumber,
    },
}

/// What a conference command was for, to say it when it comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingStep {
    /// An agenda or attendance change while preparing.
    Prepare,
    /// An agenda or attendance change while the conference runs.
    Arrange,
    /// The conference started.
    Start,
    /// Another item came up.
    Move,
    /// An item was deferred.
    Defer,
    /// The clock started again when casedesk opened.
    Resume,
    /// The clock stopped as casedesk closed.
    Pause,
    /// The conference closed.
    Close,
}

/// Something for the runtime to do.
// Effects and messages are handled one at a time, so the size of the largest is no concern.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Send a command to the store; the result comes back as `Msg::Applied`.
    Apply {
        /// The command.
        command: Command,
        /// Why.
        intent: Intent,
        /// The records it rests on, as they were read (refused if changed since).
        expect: Vec<Expect>,
    },
    /// Read a case's actions and notes; they come back as `Msg::CaseLoaded`.
    LoadCase(CaseNumber),
    /// Read every action of these cases (finished ones too); they come back as
    /// `Msg::ActionsLoaded`.
    LoadActions(Vec<CaseNumber>),
    /// Read the actions finished or dropped on or after this day; they come back as
    /// `Msg::FinishedLoaded`.
    LoadFinished(NaiveDate),
    /// Read all the actions of the case under discussion at running conference `id`; they
    /// come back as `Msg::FollowUpLoaded`.
    LoadFollowUp(u32),
    /// Leave.
    Quit,
    /// Write conference `id`'s minutes (HTML, names masked) to a file; the result comes back
    /// as `Msg::MinutesWritten`.
    WriteMinutes(u32),
    /// Read every action to count the month starting on this day; they come back as
    /// `Msg::StatsLoaded`.
    LoadStats(NaiveDate),
    /// Read what a merge of `other` into `keep` would move (all of `other`'s actions and
    /// notes), to ask before it is done; they come back as `Msg::MergeLoaded`.
    LoadMerge {
        /// The case kept.
        keep: CaseNumber,
        /// The case to merge into it.
        other: CaseNumber,
    },
}

/// What happens to the app.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Msg {
    /// A key.
    Key(KeyEvent),
    /// The minutes were written (the file's path), or why not.
    MinutesWritten(Result<String, String>),
    /// Pasted text (bracketed paste): only ever goes into a text field.
    Paste(String),
    /// The terminal's size.
    Resize {
        /// Columns.
        width: u16,
        /// Rows.
        height: u16,
    },
    /// The day changed (midnight passed).
    Today(NaiveDate),
    /// A command came back from the store.
    Applied {
        /// Its receipt, or why it failed.
        result: Result<Receipt, BackendError>,
        /// Why it was sent.
        intent: Intent,
    },
    /// A case's actions and notes were read.
    CaseLoaded {
        /// The case.
        number: CaseNumber,
        /// All its actions.
        actions: Vec<Action>,
        /// Its notes.
        notes: Vec<Note>,
    },
    /// Reading failed.
    LoadFailed(BackendError),
    /// Somebody else changed something (already in the records), or the connection's news.
    Remote(Remote),
    /// The time now (for a conference's clock); sent each second while a clock is shown.
    Tick(DateTime<FixedOffset>),
    /// The screens have just come up (a running conference resumes its clock).
    Started,
    /// Actions read for a conference's recap.
    ActionsLoaded(Vec<Action>),
    /// The actions of the case under discussion at a running conference.
    FollowUpLoaded {
        /// The case.
        case: CaseNumber,
        /// All its actions.
        actions: Vec<Action>,
    },
    /// Actions finished or dropped since a day, for the By-team screen.
    FinishedLoaded {
        /// The first day.
        since: NaiveDate,
        /// The actions.
        actions: Vec<Action>,
    },
    /// What a merge would move was read.
    MergeLoaded {
        /// The case kept.
        keep: CaseNumber,
        /// The case to merge into it.
        other: CaseNumber,
        /// All of `other`'s actions.
        actions: Vec<Action>,
        /// Its notes.
        notes: Vec<Note>,
    },
    /// Every action was read, for the month's statistics.
    StatsLoaded {
        /// First day of the month.
        month: NaiveDate,
        /// Every action, finished ones too.
        actions: Vec<Action>,
    },
}
