//! The keys that act on the selected case or action, whatever screen it is selected on: add an
//! action or a note, edit, mark done, drop. Each opens a form or sends one command. Pure.

use super::form;
use super::{App, Effect, Intent, Message};
use crate::domain::{ActionId, CaseNumber, Command, State};
use crate::keymap::Action as Do;

impl App {
    /// Runs `action` on the selected case or action; nothing for other actions (form, prompt
    /// and question keys mean nothing outside them).
    pub(super) fn record_action(&mut self, state: &State, action: Do) -> Vec<Effect> {
        let lang = self.session.lang;
        match action {
            Do::AddAction => {
                if let Some(number) = self.need_case(state) {
                    match form::action::add_action(state, number, lang) {
                        Some(form) if state.cases.get(&number).is_some_and(|c| c.is_open()) => {
                            self.form = Some(form)
                        }
                        _ => self.fail(Message::ClosedCaseNoActions),
                    }
                }
            }
            Do::Edit => {
                // Edit what is selected: an open action where one is selected, else the case.
                let cx = self.cx(state);
                let room = self.room();
                let action = room
                    .selected_action(&cx)
                    .and_then(|id| room.action_record(&cx, id));
                match action {
                    Some(a) if a.is_open() => {
                        self.form = Some(form::action::edit_action(state, &a, lang))
                    }
                    Some(a) => self.fail(Message::ActionNotOpen {
                        id: a.id,
                        status: a.status,
                    }),
                    None => {
                        if let Some(number) = self.need_case(state) {
                            self.form = form::case::edit_case(state, number, lang);
                        }
                    }
                }
            }
            Do::EditCase => {
                if let Some(number) = self.need_case(state) {
                    self.form = form::case::edit_case(state, number, lang);
                }
            }
            Do::Consent => {
                if let Some(number) = self.need_case(state) {
                    self.form =
                        form::consent::consent_form(state, number, self.session.today, lang);
                }
            }
            Do::MergeCase => {
                if let Some(number) = self.need_case(state) {
                    self.open_merge(state, number);
                }
            }
            Do::AddNote => {
                if let Some(number) = self.need_case(state) {
                    self.form = Some(form::note::note(number, lang));
                }
            }
            Do::ActionDone => {
                if let Some(id) = self.need_action(state) {
                    return vec![Effect::Apply {
                        command: Command::CompleteAction {
                            action: id,
                            note: None,
                        },
                        intent: Intent::Done(id),
                        expect: Vec::new(),
                    }];
                }
            }
            Do::ActionNote => {
                if let Some(id) = self.need_action(state) {
                    let cx = self.cx(state);
                    match self.room().action_record(&cx, id) {
                        Some(a) if a.is_open() => {
                            self.form = Some(form::action::action_progress(id, &a.title, lang));
                        }
                        Some(a) => self.fail(Message::ActionNotOpen {
                            id: a.id,
                            status: a.status,
                        }),
                        None => {}
                    }
                }
            }
            Do::ActionSession => {
                if let Some(id) = self.need_action(state) {
                    let cx = self.cx(state);
                    match self.room().action_record(&cx, id) {
                        Some(a) if a.is_open() && !a.sessions.is_empty() => {
                            self.form = Some(form::action::session(&a, self.session.today, lang));
                        }
                        Some(a) if a.is_open() => self.fail(Message::NoSessions { id: a.id }),
                        Some(a) => self.fail(Message::ActionNotOpen {
                            id: a.id,
                            status: a.status,
                        }),
                        None => {}
                    }
                }
            }
            Do::ActionReferral => {
                if let Some(id) = self.need_action(state) {
                    let cx = self.cx(state);
                    match self.room().action_record(&cx, id) {
                        Some(a) if a.is_open() && state.is_referral(&a) => {
                            self.form = Some(form::action::referral(&a, lang));
                        }
                        Some(a) if a.is_open() => self.fail(Message::NotAReferral {
                            id: a.id,
                            team: a.team.clone(),
                        }),
                        Some(a) => self.fail(Message::ActionNotOpen {
                            id: a.id,
                            status: a.status,
                        }),
                        None => {}
                    }
                }
            }
            Do::ActionDrop => {
                if let Some(id) = self.need_action(state) {
                    let cx = self.cx(state);
                    let title = self
                        .room()
                        .action_record(&cx, id)
                        .map(|a| a.title)
                        .unwrap_or_default();
                    self.form = Some(form::action::drop_action(id, &title, lang));
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// The selected case, or a word that one must be selected first.
    fn need_case(&mut self, state: &State) -> Option<CaseNumber> {
        let case = self.selected_case(state);
        if case.is_none() {
            self.fail(Message::SelectCase);
        }
        case
    }

    /// The selected action, or a word on where to select one.
    fn need_action(&mut self, state: &State) -> Option<ActionId> {
        let action = self.selected_action(state);
        if action.is_none() {
            let hint = self.room().no_action();
            self.fail(hint);
        }
        action
    }
}
