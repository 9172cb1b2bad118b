//! How long texts may be and how large a conference may grow: the limits the rules enforce
//! and the messages quote; constants only.

/// Names of people, schools, teams, the office.
pub const NAME: usize = 100;
/// Action titles, reasons, results.
pub const LINE: usize = 500;
/// Notes and summaries.
pub const TEXT: usize = 10_000;

/// Minutes set aside for an agenda item unless the coordinator says otherwise.
pub const DEFAULT_BUDGET_MINUTES: u16 = 10;

/// The most sessions one recurring action may have (a school year of weekly sessions).
pub const MAX_SESSIONS: usize = 52;
/// The most minutes one agenda item may be given.
pub const MAX_BUDGET_MINUTES: u16 = 240;
/// The most items one agenda may hold.
pub const MAX_AGENDA_ITEMS: usize = 2_000;
/// How long a conference runs unless the coordinator says otherwise.
pub const DEFAULT_CONFERENCE_MINUTES: u16 = 120;
/// The longest a conference may be planned to run.
pub const MAX_CONFERENCE_MINUTES: u16 = 600;
