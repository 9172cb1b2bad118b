//! One conference on the screen: its preparation, its run or its recap, each with its own
//! state and keys, picked by where the conference is (planned, running, closed). Pure.

mod prepare;
mod recap;
mod run;

use crate::app::message::Message;
use crate::app::route::{Cx, Hint, Request, Room};
use crate::app::{Answer, Confirm, Effect, Intent, MeetingStep, Question};
use crate::domain::model::ConferenceState;
use crate::domain::{Action, CaseNumber, Command, Conference, State};
use crate::keymap::{Action as Do, Context};
pub use prepare::{PrepPane, Prepare};
pub use recap::Recap;
pub use run::Run;

/// The conference screen's state.
#[derive(Debug, Default)]
pub struct ConferenceRoom {
    /// The conference on the screen.
    pub id: Option<u32>,
    /// Where it is (kept in step with the records).
    pub state: Option<ConferenceState>,
    /// Presentation mode as it was before a conference turned it on.
    pub presentation_before: Option<bool>,
    /// While it is prepared.
    pub prepare: Prepare,
    /// While it runs.
    pub run: Run,
    /// While it runs: the agenda and attendance are on the screen to be rearranged.
    pub arrange: bool,
    /// Once it is closed.
    pub recap: Recap,
    /// While it runs: the case under discussion and all its actions, finished ones too (for
    /// what came of them since the case was last discussed).
    pub followup: Option<(CaseNumber, Vec<Action>)>,
}

impl ConferenceRoom {
    /// The conference on the screen.
    pub fn shown<'s>(&self, state: &'s State) -> Option<&'s Conference> {
        self.id.and_then(|id| state.conferences.get(&id))
    }

    /// Conference `id` comes on the screen; the selections start again when it is another one.
    pub fn open(&mut self, id: u32) {
        if self.id != Some(id) {
            self.prepare = Prepare::default();
            self.recap = Recap::default();
            self.arrange = false;
        }
        self.id = Some(id);
    }

    /// Keeps the screen in step with the records: where its conference is, and the selections
    /// within its lists.
    pub fn sync(&mut self, state: &State, session: &crate::app::Session) {
        let conf = self.id.and_then(|id| state.conferences.get(&id));
        self.state = conf.map(|c| c.state);
        if self.state != Some(ConferenceState::Running) {
            self.arrange = false;
        }
        if let Some(c) = conf {
            self.prepare.settle(state, session, c);
            self.recap.settle(c);
        }
    }

    /// The conference closed here: its recap starts at the top.
    pub fn closed(&mut self) {
        self.prepare.agenda_sel = 0;
        self.recap.scroll = 0;
    }
}

/// A conference command, as the screens send it.
pub(super) fn apply(command: Command, step: MeetingStep) -> Vec<Request> {
    vec![Request::Effect(Effect::Apply {
        command,
        intent: Intent::Meeting(step),
        expect: Vec::new(),
    })]
}

/// A conference command sent only after a yes.
pub(super) fn ask(question: Question, command: Command, step: MeetingStep) -> Vec<Request> {
    vec![Request::Ask(Confirm {
        question,
        on_yes: Answer::Effect(Effect::Apply {
            command,
            intent: Intent::Meeting(step),
            expect: Vec::new(),
        }),
    })]
}

/// The first key bound to `action`, as text (for a hint in a message).
pub(super) fn key_for(cx: &Cx, action: Do) -> String {
    cx.session
        .keymap
        .keys(action)
        .first()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// The actions a closed conference's recap needs read (the ones its items agreed).
pub fn read_recap(conf: &Conference) -> Vec<Effect> {
    let cases: Vec<CaseNumber> = conf
        .agenda
        .iter()
        .filter(|i| !i.actions.is_empty())
        .map(|i| i.case)
        .collect();
    if cases.is_empty() {
        Vec::new()
    } else {
        vec![Effect::LoadActions(cases)]
    }
}

impl Room for ConferenceRoom {
    fn contexts(&self, _cx: &Cx) -> &'static [Context] {
        match self.state {
            Some(ConferenceState::Planned | ConferenceState::Closed) => {
                &[Context::Agenda, Context::List]
            }
            Some(ConferenceState::Running) if self.arrange => &[Context::Agenda, Context::List],
            Some(ConferenceState::Running) => &[Context::Meeting],
            None => &[Context::List],
        }
    }

    /// The item under discussion while it runs, else the selected agenda item (the recap
    /// scrolls: nothing is picked for the user).
    fn selected_case(&self, cx: &Cx) -> Option<CaseNumber> {
        let conf = self.shown(cx.state)?;
        match conf.state {
            ConferenceState::Running if self.arrange => {
                self.prepare.selected_case(cx.state, cx.session, conf)
            }
            ConferenceState::Running => conf.current_item().map(|i| i.case),
            ConferenceState::Planned => self.prepare.selected_case(cx.state, cx.session, conf),
            ConferenceState::Closed => None,
        }
    }

    fn move_by(&mut self, cx: &Cx, delta: isize) {
        let Some(conf) = self.id.and_then(|id| cx.state.conferences.get(&id)) else {
            return;
        };
        match conf.state {
            ConferenceState::Planned => self.prepare.move_by(cx.state, cx.session, conf, delta),
            ConferenceState::Running if self.arrange => {
                self.prepare.move_by(cx.state, cx.session, conf, delta)
            }
            ConferenceState::Closed => self.recap.move_by(conf, delta),
            ConferenceState::Running => {}
        }
    }

    fn act(&mut self, cx: &Cx, action: Do) -> Option<Vec<Request>> {
        let conf = self.shown(cx.state)?.clone();
        match conf.state {
            ConferenceState::Planned => self.prepare.act(cx, &conf, action),
            ConferenceState::Running if self.arrange => self.prepare.act(cx, &conf, action),
            ConferenceState::Running if action == Do::Arrange => {
                self.arrange = true;
                self.prepare.pane = PrepPane::Agenda;
                // The item under discussion is where the rearranging starts.
                self.prepare.agenda_sel = conf.current;
                Some(Vec::new())
            }
            ConferenceState::Running => self.run.act(cx, &conf, action),
            ConferenceState::Closed => self.recap.act(cx, &conf, action),
        }
    }

    fn settle(&mut self, cx: &Cx) {
        self.sync(cx.state, cx.session);
    }

    /// Esc while rearranging a running conference goes back to the meeting.
    fn back(&mut self) -> bool {
        if self.arrange {
            self.arrange = false;
            true
        } else {
            false
        }
    }

    fn reread(&self, shown: bool, _case: Option<CaseNumber>) -> Vec<Effect> {
        match (self.id, self.state) {
            (Some(id), Some(ConferenceState::Running)) if shown => {
                vec![Effect::LoadFollowUp(id)]
            }
            _ => Vec::new(),
        }
    }

    fn hints(&self, _cx: &Cx) -> &'static [Hint] {
        match self.state {
            Some(ConferenceState::Running) if self.arrange => prepare::ARRANGE_HINTS,
            Some(ConferenceState::Planned) => prepare::HINTS,
            Some(ConferenceState::Running) => run::HINTS,
            Some(ConferenceState::Closed) => recap::HINTS,
            None => super::conferences::HINTS,
        }
    }
}

/// What a new action on a closed case says.
pub(super) fn no_new_actions() -> Request {
    Request::Fail(Message::ClosedCaseNoActions)
}
