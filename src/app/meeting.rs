//! The app's side of the case conference: going to a conference, returning to the one this
//! person runs when casedesk opens, following one read-only from another terminal,
//! presentation mode while one runs, and its clock stopping and starting with casedesk. What
//! the conference screens do with their keys is theirs (`screens::conference`). Pure.

use super::{App, Effect, Intent, MeetingStep, Message, Screen};
use crate::domain::model::ConferenceState;
use crate::domain::{Command, Conference, State};
use crate::keymap::Action as Do;

impl App {
    /// Reopening casedesk returns to the conference this person is running.
    pub(super) fn return_to_running(&mut self, state: &State) {
        if let Some(conf) = state.running_conference().filter(|c| self.drives(c)) {
            self.screens.conference.id = Some(conf.id);
            self.screen = Screen::Conference;
            self.screens.conference.sync(state, &self.session);
            self.present_meeting();
        }
    }

    /// After every message: presentation mode goes back as it was once no conference runs and
    /// the conference screen (the recap may still be on the projector) is left; a form opened
    /// on the case under discussion records into the running conference.
    pub(super) fn settle_meeting(&mut self, state: &State) {
        if self.screen != Screen::Conference
            && state.running_conference().is_none()
            && let Some(before) = self.screens.conference.presentation_before.take()
        {
            self.session.presentation = before;
        }
        if let (Some(form), Some(conf)) = (&mut self.form, state.running_conference())
            && form.conference.is_none()
        {
            let case = match form.kind {
                super::form::FormKind::AddAction(case) | super::form::FormKind::EditCase(case) => {
                    Some(case)
                }
                _ => None,
            };
            if case.is_some() && case == conf.current_item().map(|i| i.case) {
                form.conference = Some(conf.id);
            }
        }
    }

    /// Presentation mode goes on while a conference runs (the user may still turn it off).
    pub(super) fn present_meeting(&mut self) {
        if self.screens.conference.presentation_before.is_none() {
            self.screens.conference.presentation_before = Some(self.session.presentation);
            self.session.presentation = true;
        }
    }

    /// The conference on the conference screen.
    pub fn shown_conference<'s>(&self, state: &'s State) -> Option<&'s Conference> {
        self.screens.conference.shown(state)
    }

    /// True when this person runs `conf` (prepared it or facilitates it) from these screens:
    /// only their screens start and stop its clock. A follower never does.
    pub fn drives(&self, conf: &Conference) -> bool {
        !self.session.following
            && (conf.created_by == self.session.user || conf.facilitator == self.session.user)
    }

    /// Follows the running conference (or conference `id`) read-only, as a second terminal in
    /// the room does: it moves with the facilitator's current item, names masked.
    pub fn follow(&mut self, state: &State, id: Option<u32>) {
        self.session.following = true;
        self.screens.conference.id = id.or_else(|| state.running_conference().map(|c| c.id));
        self.screen = Screen::Conference;
        self.back.clear();
        self.form = None;
        self.screens.conference.sync(state, &self.session);
        self.present_meeting();
    }

    /// `follow_conference` away from the list of conferences: the running one, if any.
    pub(super) fn follow_running(&mut self, state: &State) {
        match state.running_conference() {
            Some(conf) => {
                let id = conf.id;
                self.follow(state, Some(id));
            }
            None => self.fail(Message::NothingToFollow),
        }
    }

    /// A follower picks up a conference that starts (or the next one) by itself.
    pub(super) fn keep_following(&mut self, state: &State) {
        if self.screen != Screen::Conference {
            return;
        }
        let shown_runs = self
            .shown_conference(state)
            .is_some_and(|c| c.state == ConferenceState::Running);
        if !shown_runs && let Some(running) = state.running_conference() {
            self.screens.conference.id = Some(running.id);
            self.screens.conference.sync(state, &self.session);
        }
    }

    /// Keys while following: help and leaving only.
    pub(super) fn follow_action(&mut self, state: &State, action: Do) -> Vec<Effect> {
        match action {
            Do::Quit => return self.quit_now(state),
            Do::Help => {
                if self.screen == Screen::Help {
                    self.screen = Screen::Conference;
                } else {
                    self.screen = Screen::Help;
                }
            }
            Do::Back => {
                if self.screen == Screen::Help {
                    self.screen = Screen::Conference;
                } else {
                    self.session.following = false;
                    self.screen = Screen::Conferences;
                    self.say(Message::StoppedFollowing);
                }
            }
            Do::MoveDown | Do::MoveUp | Do::PageDown | Do::PageUp => {}
            _ => self.fail(Message::FollowingReadOnly),
        }
        Vec::new()
    }

    /// When the screens come up on a running conference, its clock starts again.
    pub(super) fn resume_meeting(&mut self, state: &State) -> Vec<Effect> {
        match state.running_conference().filter(|c| self.drives(c)) {
            Some(conf) => vec![Effect::Apply {
                command: Command::ResumeConference {
                    conference: conf.id,
                },
                intent: Intent::Meeting(MeetingStep::Resume),
                expect: Vec::new(),
            }],
            None => Vec::new(),
        }
    }

    /// Quitting stops a running conference's clock first, so the time away does not count.
    pub(super) fn quit_now(&mut self, state: &State) -> Vec<Effect> {
        self.quit = true;
        let mut effects = Vec::new();
        if let Some(conf) = state
            .running_conference()
            .filter(|c| c.clock_since.is_some() && self.drives(c))
        {
            effects.push(Effect::Apply {
                command: Command::PauseConference {
                    conference: conf.id,
                },
                intent: Intent::Meeting(MeetingStep::Pause),
                expect: Vec::new(),
            });
        }
        effects.push(Effect::Quit);
        effects
    }

    /// `new_conference`: the running conference when there is one, else a form to prepare one.
    pub(super) fn new_conference(&mut self, state: &State) -> Vec<Effect> {
        match state.running_conference() {
            Some(conf) => {
                let id = conf.id;
                self.open_conference(state, id)
            }
            None => {
                self.form = Some(super::form::conference::new_conference(
                    &self.session.user,
                    self.session.lang,
                ));
                Vec::new()
            }
        }
    }

    /// Shows conference `id`: its preparation, its run, or its recap.
    pub(super) fn open_conference(&mut self, state: &State, id: u32) -> Vec<Effect> {
        self.screens.conference.open(id);
        self.go(Screen::Conference);
        self.screens.conference.sync(state, &self.session);
        match state.conferences.get(&id) {
            Some(c) if c.state == ConferenceState::Running => {
                self.present_meeting();
                vec![Effect::LoadFollowUp(id)]
            }
            Some(c) if c.state == ConferenceState::Closed => {
                super::screens::conference::read_recap(c)
            }
            _ => Vec::new(),
        }
    }

    /// What a conference command that came back leads to.
    pub(super) fn meeting_applied(
        &mut self,
        state: &State,
        intent: &Intent,
        id: Option<u32>,
    ) -> Vec<Effect> {
        if let Some(id) = id {
            return self.open_conference(state, id);
        }
        match intent {
            Intent::Meeting(MeetingStep::Start) => {
                self.present_meeting();
                Vec::new()
            }
            Intent::Meeting(MeetingStep::Close) => {
                self.screens.conference.closed();
                let Some(conf) = self.shown_conference(state) else {
                    return Vec::new();
                };
                // The next conference it agreed on is offered at once: yes opens its form,
                // filled in with the day, time and place.
                if let Some(next) = conf.next {
                    let form = super::form::conference::new_conference_on(
                        &self.session.user,
                        &next.date.to_string(),
                        next.time,
                        conf.place.as_deref(),
                        self.session.lang,
                    );
                    self.confirm = Some(super::Confirm {
                        question: super::Question::PrepareNext {
                            date: next.date,
                            time: next.time,
                        },
                        on_yes: super::Answer::OpenForm(Box::new(form)),
                    });
                }
                super::screens::conference::read_recap(conf)
            }
            _ => Vec::new(),
        }
    }
}
