//! A closed conference: its outcomes and the recap by team (what, for which case, by when),
//! read-only; a correction is added beside the record. Pure.

use std::collections::BTreeMap;

use super::key_for;
use crate::app::form;
use crate::app::lists::step;
use crate::app::message::Message;
use crate::app::route::{Cx, Hint, Request};
use crate::domain::{Action, ActionId, Conference};
use crate::keymap::{Action as Do, Context};

/// The recap's state.
#[derive(Debug, Default)]
pub struct Recap {
    /// The first agenda line shown.
    pub scroll: usize,
    /// The actions the conference agreed, read from the store for its recap.
    pub actions: BTreeMap<ActionId, Action>,
    /// True once they were read.
    pub actions_read: bool,
}

/// The keys shown on a closed conference.
pub(super) const HINTS: &[Hint] = &[
    (Do::Back, "뒤로", "back"),
    (Do::Amend, "정정 기록", "add a correction"),
    (Do::WriteMinutes, "회의록 저장", "write minutes"),
    (Do::MoveDown, "아래", "down"),
    (Do::NewConference, "새 회의", "new conference"),
    (Do::Help, "도움말", "help"),
];

impl Recap {
    /// The agreed actions were read.
    pub fn loaded(&mut self, actions: Vec<Action>) {
        self.actions_read = true;
        self.actions = actions.into_iter().map(|a| (a.id, a)).collect();
    }

    /// Keeps the scroll within `conf`'s agenda.
    pub(super) fn settle(&mut self, conf: &Conference) {
        self.scroll = self.scroll.min(conf.agenda.len().saturating_sub(1));
    }

    pub(super) fn move_by(&mut self, conf: &Conference, delta: isize) {
        self.scroll = step(self.scroll, delta, conf.agenda.len());
    }

    /// A key on closed conference `conf`: a correction, or a word that it cannot be changed.
    pub(super) fn act(&mut self, cx: &Cx, conf: &Conference, action: Do) -> Option<Vec<Request>> {
        if action == Do::Amend {
            return Some(vec![Request::Form(form::conference::amend(
                conf.id,
                None,
                cx.session.lang,
            ))]);
        }
        if action.context() == Context::Agenda {
            return Some(vec![Request::Fail(Message::ClosedConference {
                key: key_for(cx, Do::Amend),
            })]);
        }
        None
    }
}
