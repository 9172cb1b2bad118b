//! 사례회의: every conference — the running one first, then the planned ones, then the closed
//! ones — to open or to follow. Pure.

use crate::app::lists::step;
use crate::app::message::Message;
use crate::app::route::{Cx, Hint, Request, Room};
use crate::domain::model::ConferenceState;
use crate::domain::{Conference, State};
use crate::keymap::Action as Do;

/// The list of conferences' state.
#[derive(Debug, Default)]
pub struct Conferences {
    /// The selected row.
    pub sel: usize,
}

/// The conferences in the order the list shows them: the running one first, then the planned
/// ones, then the closed ones, newest first within each.
pub fn conference_order(state: &State) -> Vec<&Conference> {
    let mut list: Vec<&Conference> = state.conferences.values().collect();
    list.sort_by_key(|c| {
        let rank = match c.state {
            ConferenceState::Running => 0,
            ConferenceState::Planned => 1,
            ConferenceState::Closed => 2,
        };
        (rank, std::cmp::Reverse((c.date, c.id)))
    });
    list
}

impl Room for Conferences {
    fn move_by(&mut self, cx: &Cx, delta: isize) {
        self.sel = step(self.sel, delta, cx.state.conferences.len());
    }

    fn act(&mut self, cx: &Cx, action: Do) -> Option<Vec<Request>> {
        let picked = conference_order(cx.state).get(self.sel).copied();
        match action {
            Do::Open => Some(
                picked
                    .map(|c| Request::OpenConference(c.id))
                    .into_iter()
                    .collect(),
            ),
            Do::FollowConference => Some(vec![match picked
                .filter(|c| c.state == ConferenceState::Running)
            {
                Some(conf) => Request::Follow(conf.id),
                None => Request::Fail(Message::NothingToFollow),
            }]),
            _ => None,
        }
    }

    fn settle(&mut self, cx: &Cx) {
        self.sel = self.sel.min(cx.state.conferences.len().saturating_sub(1));
    }

    fn hints(&self, _cx: &Cx) -> &'static [Hint] {
        HINTS
    }
}

/// The list's keys (also the conference screen's while its conference cannot be found).
pub(super) const HINTS: &[Hint] = &[
    (Do::Open, "열기", "open"),
    (Do::NewConference, "새 사례회의", "new conference"),
    (Do::MoveDown, "아래", "down"),
    (Do::Palette, "명령", "commands"),
    (Do::Quit, "종료", "quit"),
];
