//! The screens, each a room with its own state and keys behind the `Room` trait: the
//! dashboard, By team, Due (with the calendar), a case, help, the list of conferences, one
//! conference (preparation, run, recap) and the month's statistics. Pure.

mod by_team;
mod case;
pub mod conference;
mod conferences;
mod dashboard;
mod due;
mod help;
mod stats;

pub use by_team::{ByTeam, RECENT_DAYS};
pub use case::{CasePane, CaseScreen, CaseView, case_history_len, merged_pointer};
pub use conference::{ConferenceRoom, PrepPane};
pub use conferences::{Conferences, conference_order};
pub use dashboard::Dashboard;
pub use due::{Due, DuePane};
pub use help::Help;
pub use stats::{StatsScreen, StatsView, month_start};
