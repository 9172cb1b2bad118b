//! The conference screens' part of `update`: the list of conferences, preparing the agenda and
//! attendance, running the meeting item by item (every entry one store command), closing it,
//! and returning to a running conference when casedesk opens. Pure: no IO, no clock.

use super::form::{Form, FormKind, planned};
use super::{Answer, App, ConferenceState, Confirm, Effect, Intent, MeetingStep, PrepPane, Screen};
use crate::domain::limits::MAX_BUDGET_MINUTES;
use crate::domain::{CaseNumber, Command, Conference, ConferenceUpdate, State};
use crate::i18n::Lang;
use crate::keymap::Action as Do;

/// Minutes one `+` or `-` adds to or takes from an item's time budget.
const BUDGET_STEP: u16 = 5;

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

impl App {
    /// Keeps the conference screen in step with the records: where its conference is, the
    /// selections within its lists, and presentation mode (back as it was once no conference
    /// runs).
    pub(super) fn sync_meeting(&mut self, state: &State) {
        let conf = self.meeting.id.and_then(|id| state.conferences.get(&id));
        self.meeting.state = conf.map(|c| c.state);
        if let Some(c) = conf {
            self.meeting.agenda_sel = self
                .meeting
                .agenda_sel
                .min(c.agenda.len().saturating_sub(1));
            self.meeting.attend_sel = self
                .meeting
                .attend_sel
                .min(c.attendees.len().saturating_sub(1));
        }
        self.meeting.list_sel = self
            .meeting
            .list_sel
            .min(state.conferences.len().saturating_sub(1));
    }

    /// After every message: presentation mode goes back as it was once no conference runs and
    /// the conference screen (the recap may still be on the projector) is left; a form opened
    /// on the case under discussion records into the running conference.
    pub(super) fn settle_meeting(&mut self, state: &State) {
        if self.screen != Screen::Conference
            && state.running_conference().is_none()
            && let Some(before) = self.meeting.presentation_before.take()
        {
            self.presentation = before;
        }
        if let (Some(form), Some(conf)) = (&mut self.form, state.running_conference())
            && form.conference.is_none()
        {
            let case = match form.kind {
                FormKind::AddAction(case) | FormKind::EditCase(case) => Some(case),
                _ => None,
            };
            if case.is_some() && case == conf.current_item().map(|i| i.case) {
                form.conference = Some(conf.id);
            }
        }
    }

    /// Presentation mode goes on while a conference runs (the user may still turn it off).
    pub(super) fn present_meeting(&mut self) {
        if self.meeting.presentation_before.is_none() {
            self.meeting.presentation_before = Some(self.presentation);
            self.presentation = true;
        }
    }

    /// True while a running conference's clock is on the screen (it changes every second).
    pub fn clock_shown(&self) -> bool {
        self.screen == Screen::Conference && self.meeting.state == Some(ConferenceState::Running)
    }

    /// The conference on the conference screen.
    pub fn shown_conference<'s>(&self, state: &'s State) -> Option<&'s Conference> {
        self.meeting.id.and_then(|id| state.conferences.get(&id))
    }

    /// The case the conference screen is on: the item under discussion while it runs, else
    /// the selected agenda item.
    pub(super) fn meeting_case(&self, state: &State) -> Option<CaseNumber> {
        let conf = self.shown_conference(state)?;
        match conf.state {
            ConferenceState::Running => conf.current_item().map(|i| i.case),
            ConferenceState::Planned => conf.agenda.get(self.meeting.agenda_sel).map(|i| i.case),
            // The recap has no selection (it scrolls): nothing is picked for the user.
            ConferenceState::Closed => None,
        }
    }

    /// True when this person runs `conf` (prepared it or facilitates it) from these screens:
    /// only their screens start and stop its clock. A follower never does.
    pub fn drives(&self, conf: &Conference) -> bool {
        !self.following && (conf.created_by == self.user || conf.facilitator == self.user)
    }

    /// Follows the running conference (or conference `id`) read-only, as a second terminal in
    /// the room does: it moves with the facilitator's current item, names masked.
    pub fn follow(&mut self, state: &State, id: Option<u32>) {
        self.following = true;
        self.meeting.id = id.or_else(|| state.running_conference().map(|c| c.id));
        self.screen = Screen::Conference;
        self.back.clear();
        self.form = None;
        self.sync_meeting(state);
        self.present_meeting();
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
            self.meeting.id = Some(running.id);
            self.sync_meeting(state);
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
                    self.following = false;
                    self.screen = Screen::Conferences;
                    self.say(self.lang.pick("따라보기를 마쳤습니다", "Stopped following"));
                }
            }
            Do::MoveDown | Do::MoveUp | Do::PageDown | Do::PageUp => {}
            _ => self.fail(self.lang.pick(
                "읽기 전용: 회의를 따라보는 중입니다 (Esc: 그만 보기, q: 끝내기)",
                "Read-only: following the conference (Esc: stop following, q: quit)",
            )),
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

    /// Shows conference `id`: its preparation, its run, or its recap.
    pub(super) fn open_conference(&mut self, state: &State, id: u32) -> Vec<Effect> {
        if self.meeting.id != Some(id) {
            self.meeting.agenda_sel = 0;
            self.meeting.attend_sel = 0;
            self.meeting.pane = PrepPane::Agenda;
            self.meeting.actions.clear();
            self.meeting.actions_read = false;
        }
        self.meeting.id = Some(id);
        self.go(Screen::Conference);
        self.sync_meeting(state);
        match state.conferences.get(&id) {
            Some(c) if c.state == ConferenceState::Running => {
                self.present_meeting();
                Vec::new()
            }
            Some(c) if c.state == ConferenceState::Closed => self.load_recap(c),
            _ => Vec::new(),
        }
    }

    fn load_recap(&self, conf: &Conference) -> Vec<Effect> {
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
                self.meeting.agenda_sel = 0;
                match self.shown_conference(state) {
                    Some(conf) => self.load_recap(conf),
                    None => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }

    fn apply(command: Command, step: MeetingStep) -> Vec<Effect> {
        vec![Effect::Apply {
            command,
            intent: Intent::Meeting(step),
            expect: Vec::new(),
        }]
    }

    fn ask(&mut self, question: String, command: Command, step: MeetingStep) {
        self.confirm = Some(Confirm {
            question,
            on_yes: Answer::Effect(Effect::Apply {
                command,
                intent: Intent::Meeting(step),
                expect: Vec::new(),
            }),
        });
    }

    /// Runs a conference key; `None` when the action is not a conference one here.
    pub(super) fn meeting_action(&mut self, state: &State, action: Do) -> Option<Vec<Effect>> {
        if action == Do::FollowConference {
            let picked = if self.screen == Screen::Conferences {
                conference_order(state).get(self.meeting.list_sel).copied()
            } else {
                state.running_conference()
            };
            match picked.filter(|c| c.state == ConferenceState::Running) {
                Some(conf) => {
                    let id = conf.id;
                    self.follow(state, Some(id));
                }
                None => self.fail(self.lang.pick(
                    "따라볼 진행 중인 사례회의가 없습니다",
                    "No conference is running to follow",
                )),
            }
            return Some(Vec::new());
        }
        if action == Do::NewConference {
            return Some(match state.running_conference() {
                Some(conf) => {
                    let id = conf.id;
                    self.open_conference(state, id)
                }
                None => {
                    self.form = Some(Form::new_conference(&self.user, self.lang));
                    Vec::new()
                }
            });
        }
        if self.screen == Screen::Conferences && action == Do::Open {
            let id = conference_order(state)
                .get(self.meeting.list_sel)
                .map(|c| c.id);
            return Some(match id {
                Some(id) => self.open_conference(state, id),
                None => Vec::new(),
            });
        }
        if self.screen != Screen::Conference {
            return None;
        }
        let conf = self.shown_conference(state)?.clone();
        match conf.state {
            ConferenceState::Planned => self.prepare_action(state, &conf, action),
            ConferenceState::Running => self.run_action(state, &conf, action),
            ConferenceState::Closed => self.closed_action(&conf, action),
        }
    }

    fn closed_action(&mut self, conf: &Conference, action: Do) -> Option<Vec<Effect>> {
        if action == Do::Amend {
            self.form = Some(Form::amend(conf.id, None, self.lang));
            return Some(Vec::new());
        }
        if action.context() == crate::keymap::Context::Agenda {
            let key = self
                .keymap
                .keys(Do::Amend)
                .first()
                .map(ToString::to_string)
                .unwrap_or_default();
            self.fail(match self.lang {
                Lang::Ko => format!("끝난 회의는 고칠 수 없습니다: {key}로 정정 기록을 덧붙이세요"),
                Lang::En => {
                    format!("A closed conference cannot be changed: {key} adds a correction")
                }
            });
            return Some(Vec::new());
        }
        None
    }

    fn prepare_action(
        &mut self,
        state: &State,
        conf: &Conference,
        action: Do,
    ) -> Option<Vec<Effect>> {
        let lang = self.lang;
        let id = conf.id;
        let on_agenda = self.meeting.pane == PrepPane::Agenda;
        let sel = self.meeting.agenda_sel;
        let mut agenda = planned(conf);
        let agenda_change = |agenda| {
            App::apply(
                Command::UpdateConference {
                    conference: id,
                    change: ConferenceUpdate {
                        agenda: Some(agenda),
                        ..ConferenceUpdate::default()
                    },
                },
                MeetingStep::Prepare,
            )
        };
        let effects = match action {
            Do::Amend => {
                self.fail(lang.pick(
                    "정정 기록은 끝난 회의에 덧붙입니다: 지금은 바로 고치세요",
                    "Corrections are for closed conferences: change it directly now",
                ));
                Vec::new()
            }
            Do::ItemUp | Do::ItemDown if on_agenda => {
                let to = if action == Do::ItemUp {
                    sel.checked_sub(1)
                } else {
                    Some(sel + 1).filter(|t| *t < agenda.len())
                };
                match to {
                    Some(to) if sel < agenda.len() => {
                        agenda.swap(sel, to);
                        self.meeting.agenda_sel = to;
                        agenda_change(agenda)
                    }
                    _ => Vec::new(),
                }
            }
            Do::BudgetMore | Do::BudgetLess if on_agenda => match agenda.get_mut(sel) {
                Some(item) => {
                    let minutes = if action == Do::BudgetMore {
                        item.budget_minutes.saturating_add(BUDGET_STEP)
                    } else {
                        item.budget_minutes.saturating_sub(BUDGET_STEP)
                    }
                    .clamp(BUDGET_STEP, MAX_BUDGET_MINUTES);
                    if minutes == item.budget_minutes {
                        return Some(Vec::new());
                    }
                    item.budget_minutes = minutes;
                    agenda_change(agenda)
                }
                None => Vec::new(),
            },
            Do::AddEntry if on_agenda => {
                self.form = Some(Form::agenda_add(id, lang));
                Vec::new()
            }
            Do::AddEntry => {
                self.form = Some(Form::attendee_add(state, id, lang));
                Vec::new()
            }
            Do::RemoveEntry if on_agenda => {
                if sel < agenda.len() {
                    agenda.remove(sel);
                    agenda_change(agenda)
                } else {
                    Vec::new()
                }
            }
            Do::RemoveEntry | Do::TogglePresent if !on_agenda => {
                let mut attendees = conf.attendees.clone();
                let at = self.meeting.attend_sel;
                if at >= attendees.len() {
                    return Some(Vec::new());
                }
                if action == Do::RemoveEntry {
                    attendees.remove(at);
                } else if let Some(a) = attendees.get_mut(at) {
                    a.present = !a.present;
                }
                App::apply(
                    Command::UpdateConference {
                        conference: id,
                        change: ConferenceUpdate {
                            attendees: Some(attendees),
                            ..ConferenceUpdate::default()
                        },
                    },
                    MeetingStep::Prepare,
                )
            }
            Do::TogglePresent => {
                self.fail(lang.pick(
                    "참석 표시는 참석 칸에서 합니다 (l: 칸 바꾸기)",
                    "Attendance is marked in the attendance pane (l: switch pane)",
                ));
                Vec::new()
            }
            Do::EditDetails => {
                self.form = Form::conference_details(state, id, lang);
                Vec::new()
            }
            Do::StartConference => {
                let present = conf.attendees.iter().filter(|a| a.present).count();
                let question = match lang {
                    Lang::Ko => format!(
                        "사례회의 #{id}을 시작할까요? 안건 {}건, 참석 {present}/{} (y/n)",
                        conf.agenda.len(),
                        conf.attendees.len()
                    ),
                    Lang::En => format!(
                        "Start conference #{id}? {} items, {present}/{} present (y/n)",
                        conf.agenda.len(),
                        conf.attendees.len()
                    ),
                };
                self.ask(
                    question,
                    Command::StartConference { conference: id },
                    MeetingStep::Start,
                );
                Vec::new()
            }
            Do::PaneNext | Do::PanePrev => {
                self.meeting.pane = match self.meeting.pane {
                    PrepPane::Agenda => PrepPane::Attendance,
                    PrepPane::Attendance => PrepPane::Agenda,
                };
                Vec::new()
            }
            _ => return None,
        };
        Some(effects)
    }

    fn run_action(&mut self, state: &State, conf: &Conference, action: Do) -> Option<Vec<Effect>> {
        let lang = self.lang;
        let id = conf.id;
        let item = conf.current_item()?;
        let case = item.case;
        let effects = match action {
            Do::Decision => {
                self.form = Some(Form::decision(id, case, lang));
                Vec::new()
            }
            Do::MeetingAction => {
                match Form::add_action(state, case, lang)
                    .filter(|_| state.cases.get(&case).is_some_and(|c| c.is_open()))
                {
                    Some(mut form) => {
                        form.conference = Some(id);
                        self.form = Some(form);
                    }
                    None => self.fail(lang.pick(
                        "종결·사후관리 사례에는 조치를 추가할 수 없습니다",
                        "A closed case or one in aftercare takes no new actions",
                    )),
                }
                Vec::new()
            }
            Do::SetReview => {
                self.form = Form::review(state, case, Some(id), lang);
                Vec::new()
            }
            Do::SetLevel => {
                self.form = Form::level(state, case, Some(id), lang);
                Vec::new()
            }
            Do::SetStage => {
                self.form = Form::stage(state, case, Some(id), lang);
                Vec::new()
            }
            Do::DeferItem => {
                if item.deferred {
                    self.fail(lang.pick("이미 보류한 안건입니다", "This item is deferred already"));
                    Vec::new()
                } else {
                    App::apply(
                        Command::DeferItem {
                            conference: id,
                            case,
                        },
                        MeetingStep::Defer,
                    )
                }
            }
            Do::ItemNext | Do::ItemPrev => {
                let to = if action == Do::ItemNext {
                    conf.current + 1
                } else {
                    conf.current.wrapping_sub(1)
                };
                match conf.agenda.get(to) {
                    Some(next) => App::apply(
                        Command::OpenItem {
                            conference: id,
                            case: next.case,
                        },
                        MeetingStep::Move,
                    ),
                    None => {
                        let hint = if action == Do::ItemNext {
                            let key = self
                                .keymap
                                .keys(Do::CloseConference)
                                .first()
                                .map(ToString::to_string)
                                .unwrap_or_default();
                            match lang {
                                Lang::Ko => format!("마지막 안건입니다: {key}로 회의를 마칩니다"),
                                Lang::En => {
                                    format!("This is the last item: {key} closes the conference")
                                }
                            }
                        } else {
                            lang.pick("첫 안건입니다", "This is the first item")
                                .to_string()
                        };
                        self.fail(hint);
                        Vec::new()
                    }
                }
            }
            Do::OpenItemCase => self.open_case(case),
            Do::AddItem => {
                self.form = Some(Form::agenda_add(id, lang));
                Vec::new()
            }
            Do::CloseConference => {
                let open = conf.agenda.iter().filter(|i| !i.touched()).count();
                let question = match lang {
                    Lang::Ko => format!(
                        "사례회의 #{id}을 마칠까요? 논의하지 않은 안건 {open}건. 마치면 고칠 수 없습니다 (y/n)"
                    ),
                    Lang::En => format!(
                        "Close conference #{id}? {open} item(s) not discussed. It cannot be changed afterwards (y/n)"
                    ),
                };
                self.ask(
                    question,
                    Command::CloseConference { conference: id },
                    MeetingStep::Close,
                );
                Vec::new()
            }
            _ => return None,
        };
        Some(effects)
    }
}
