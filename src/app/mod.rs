//! The screen state and `update`: every key, paste and store result turns into new state and
//! effects (commands for the store, a case to load, quit). Pure: no IO, no clock, no terminal;
//! "today" and the records are handed in.

pub mod derive;
pub mod form;
pub mod meeting;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use crate::backend::{BackendError, Receipt, Remote};
use crate::domain::model::ConferenceState;
use crate::domain::revision::Expect;
use crate::domain::vocab::fold;
use crate::domain::{Action, ActionId, CaseNumber, Command, Note, Outcome, State};
use crate::i18n::Lang;
use crate::i18n::Localize;
use crate::keymap::{Action as Do, Context, Keymap, latin_key};
use derive::{Base, DueGroup, Sort, View};
use form::{Form, FormKind};

/// The screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// 대시보드: counts and the case table.
    Dashboard,
    /// 부서별: what each team owes.
    ByTeam,
    /// 기한: actions by due date, and the calendar.
    Due,
    /// 사례: one case in full.
    Case,
    /// 도움말: the keys in force.
    Help,
    /// 사례회의: the conferences.
    Conferences,
    /// One conference: preparing it, running it, or its recap once closed.
    Conference,
    /// 통계: the month's figures with bar charts.
    Stats,
}

impl Screen {
    /// The screens Tab cycles through, in order.
    pub const CYCLE: [Screen; 4] = [
        Screen::Dashboard,
        Screen::ByTeam,
        Screen::Due,
        Screen::Conferences,
    ];

    /// The screen's name.
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Screen::Dashboard => lang.pick("대시보드", "Dashboard"),
            Screen::ByTeam => lang.pick("부서별", "By team"),
            Screen::Due => lang.pick("기한", "Due"),
            Screen::Case => lang.pick("사례", "Case"),
            Screen::Help => lang.pick("도움말", "Help"),
            Screen::Conferences => lang.pick("사례회의", "Conferences"),
            Screen::Conference => lang.pick("회의", "Conference"),
            Screen::Stats => lang.pick("통계", "Statistics"),
        }
    }
}

/// Which part of the Due screen has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DuePane {
    /// The grouped list.
    #[default]
    Groups,
    /// The month calendar.
    Calendar,
    /// The list of the calendar day's actions.
    Day,
}

/// Which part of the case screen has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CasePane {
    /// The actions.
    #[default]
    Actions,
    /// The timeline.
    Timeline,
}

/// The case on the case screen, with everything read for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseView {
    /// The case.
    pub number: CaseNumber,
    /// All its actions, finished ones too.
    pub actions: Vec<Action>,
    /// Its notes, oldest first.
    pub notes: Vec<Note>,
    /// The pane with the keys.
    pub pane: CasePane,
    /// Selected action.
    pub action_sel: usize,
    /// Timeline scroll.
    pub timeline_scroll: usize,
}

/// Which part of the conference preparation screen has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrepPane {
    /// The agenda.
    #[default]
    Agenda,
    /// The attendance.
    Attendance,
}

/// The conference screens' state.
#[derive(Debug, Clone, Default)]
pub struct MeetingView {
    /// The conference on the conference screen.
    pub id: Option<u32>,
    /// Selected row on the list of conferences.
    pub list_sel: usize,
    /// Selected agenda item while preparing; scroll of a closed conference's recap.
    pub agenda_sel: usize,
    /// Selected attendee while preparing.
    pub attend_sel: usize,
    /// The pane with the keys while preparing.
    pub pane: PrepPane,
    /// The actions the conference agreed, read from the store for its recap.
    pub actions: BTreeMap<ActionId, Action>,
    /// True once they were read.
    pub actions_read: bool,
    /// Presentation mode as it was before a conference turned it on.
    pub presentation_before: Option<bool>,
    /// Where the conference on the screen is (kept in step with the records).
    pub state: Option<ConferenceState>,
}

/// Midnight of `day` in the office's time zone (+09:00): the time before a clock tick arrives.
fn start_of(day: NaiveDate) -> DateTime<FixedOffset> {
    day.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(crate::domain::dates::KOREA).single())
        .unwrap_or_default()
}

/// A line at the bottom saying what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The text.
    pub text: String,
    /// A failure (shown marked, not only in colour).
    pub error: bool,
}

/// What a yes does.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Answer {
    /// Something for the runtime (an undo).
    Effect(Effect),
    /// Close the form and throw away what was typed.
    DiscardForm,
}

/// A question waiting for yes or no.
#[derive(Debug, Clone)]
pub struct Confirm {
    /// The question.
    pub question: String,
    /// What yes does.
    pub on_yes: Answer,
}

/// The command palette.
#[derive(Debug, Clone)]
pub struct Palette {
    /// What is typed.
    pub input: TextArea<'static>,
    /// Selected entry among the matches.
    pub selected: usize,
}

/// The last change made here, which `undo` can take back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undo {
    /// The command that undoes it.
    pub command: Command,
    /// What the change was, in words.
    pub what: String,
}

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
}

/// What a conference command was for, to say it when it comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingStep {
    /// An agenda or attendance change while preparing.
    Prepare,
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

/// The records the list selections were on, so they can follow them when the lists change.
#[derive(Debug, Clone, Copy, Default)]
struct Kept {
    case: Option<CaseNumber>,
    team: Option<ActionId>,
    due: Option<ActionId>,
    day: Option<ActionId>,
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
    /// Leave.
    Quit,
    /// Read every action to count the month starting on this day; they come back as
    /// `Msg::StatsLoaded`.
    LoadStats(NaiveDate),
}

/// What happens to the app.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Msg {
    /// A key.
    Key(KeyEvent),
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
    /// Every action was read, for the month's statistics.
    StatsLoaded {
        /// First day of the month.
        month: NaiveDate,
        /// Every action, finished ones too.
        actions: Vec<Action>,
    },
}

/// The statistics screen's month and its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsView {
    /// First day of the month shown.
    pub month: NaiveDate,
    /// Its figures, once the actions are read.
    pub stats: Option<crate::domain::stats::MonthStats>,
    /// Every action as last read, so other months are counted without reading them again.
    pub actions: Vec<Action>,
}

/// The whole screen state.
#[derive(Debug)]
pub struct App {
    /// Language of the screens.
    pub lang: Lang,
    /// Today (injected).
    pub today: NaiveDate,
    /// The days off in force (public holidays and the office's closing days), for business
    /// days and date warnings; the runtime hands it in.
    pub calendar: crate::domain::holidays::Calendar,
    /// The account using it.
    pub user: String,
    /// The keys in force.
    pub keymap: Keymap,
    /// The screen shown.
    pub screen: Screen,
    /// Where Esc goes back to.
    pub back: Vec<Screen>,
    /// Dashboard order.
    pub sort: Sort,
    /// The filter in force (applies to the list screens).
    pub filter: String,
    /// The filter line while it is being typed.
    pub filter_input: Option<TextArea<'static>>,
    /// Selected row per list screen.
    pub dashboard_sel: usize,
    /// Selected action on the By-team screen (counting actions only).
    pub team_sel: usize,
    /// Selected action in the Due screen's groups.
    pub due_sel: usize,
    /// Selected action in the calendar day's list.
    pub day_sel: usize,
    /// Due screen pane.
    pub due_pane: DuePane,
    /// The calendar's day.
    pub cal_day: NaiveDate,
    /// Help scroll.
    pub help_scroll: usize,
    /// The open case.
    pub case: Option<CaseView>,
    /// The palette, when open.
    pub palette: Option<Palette>,
    /// The form, when open.
    pub form: Option<Form>,
    /// The question, when asked.
    pub confirm: Option<Confirm>,
    /// Presentation mode: every name masked, restricted notes hidden.
    pub presentation: bool,
    /// The status line.
    pub status: Option<Status>,
    /// What `undo` takes back, the latest last: every change saved in this session.
    pub undo: Vec<Undo>,
    /// Rows a page holds (from the terminal size).
    pub page: usize,
    /// Set when the app should end.
    pub quit: bool,
    /// The time now (injected), for a conference's clock.
    pub now: DateTime<FixedOffset>,
    /// The conference screens' state.
    pub meeting: MeetingView,
    /// The statistics screen's month and figures.
    pub stats: Option<StatsView>,
    /// How many other people have casedesk open on the store (a server's sessions).
    pub others: usize,
    /// True while the server cannot be reached (the backend keeps trying).
    pub offline: bool,
    /// Following a conference from another terminal: read-only, moving with the facilitator.
    pub following: bool,
    base: Base,
    view: View,
    kept: Kept,
    last_sort_base: Option<(Sort, NaiveDate)>,
}

impl App {
    /// A new app on the dashboard.
    pub fn new(lang: Lang, today: NaiveDate, user: String, keymap: Keymap, state: &State) -> App {
        let mut app = App {
            lang,
            today,
            calendar: crate::domain::holidays::Calendar::national(),
            user,
            keymap,
            screen: Screen::Dashboard,
            back: Vec::new(),
            sort: Sort::default(),
            filter: String::new(),
            filter_input: None,
            dashboard_sel: 0,
            team_sel: 0,
            due_sel: 0,
            day_sel: 0,
            due_pane: DuePane::default(),
            cal_day: today,
            help_scroll: 0,
            case: None,
            palette: None,
            form: None,
            confirm: None,
            presentation: false,
            status: None,
            undo: Vec::new(),
            page: 10,
            quit: false,
            now: start_of(today),
            meeting: MeetingView::default(),
            stats: None,
            others: 0,
            offline: false,
            following: false,
            base: Base::default(),
            view: View::default(),
            kept: Kept::default(),
            last_sort_base: None,
        };
        app.refresh(state);
        // Reopening casedesk returns to the conference this person is running.
        if let Some(conf) = state.running_conference().filter(|c| app.drives(c)) {
            app.meeting.id = Some(conf.id);
            app.screen = Screen::Conference;
            app.sync_meeting(state);
            app.present_meeting();
        }
        app
    }

    /// The lists after the filter.
    pub fn view(&self) -> &View {
        &self.view
    }

    /// The unfiltered counts and calendar marks.
    pub fn base(&self) -> &Base {
        &self.base
    }

    /// Recomputes the lists from the records (after a change or a new day).
    pub fn refresh(&mut self, state: &State) {
        self.base = derive::base(state, self.today, self.sort);
        self.last_sort_base = Some((self.sort, self.today));
        self.refilter(state);
        self.sync_meeting(state);
    }

    fn refilter(&mut self, state: &State) {
        // The selection stays on the same case or action, wherever the new lists put it.
        self.remember_selection(state);
        let with_actions = matches!(self.screen, Screen::ByTeam | Screen::Due);
        self.view = derive::view(&self.base, state, &self.filter, with_actions);
        self.clamp(state);
    }

    /// Makes sure the action lists are worked out (before the By-team or Due screen shows).
    fn need_actions(&mut self, state: &State) {
        if !self.view.actions_ready {
            derive::add_actions(&mut self.view, &self.base, state);
            self.clamp(state);
        }
    }

    /// Notes which records are selected, so the selection can follow them.
    fn remember_selection(&mut self, state: &State) {
        if let Some(row) = self.view.cases.get(self.dashboard_sel) {
            self.kept.case = Some(row.number);
        }
        if self.view.actions_ready {
            self.kept.team = self.team_actions().get(self.team_sel).map(|(_, a)| *a);
            self.kept.due = self.due_actions().get(self.due_sel).map(|(_, a)| *a);
            self.kept.day = self
                .actions_on(state, self.cal_day)
                .get(self.day_sel)
                .copied();
        }
    }

    /// Work that may be done while the user is not typing: the filter's search text.
    pub fn prepare(&mut self, state: &State) {
        derive::prepare_search(&self.base, state);
    }

    /// Puts each selection back on the record it was on (when that is still listed), else keeps
    /// it within its list.
    fn clamp(&mut self, state: &State) {
        if let Some(i) = self
            .kept
            .case
            .and_then(|n| self.view.cases.iter().position(|r| r.number == n))
        {
            self.dashboard_sel = i;
        }
        let cases = self.view.cases.len();
        self.dashboard_sel = self.dashboard_sel.min(cases.saturating_sub(1));
        if self.view.actions_ready {
            let team = self.team_actions();
            if let Some(i) = self
                .kept
                .team
                .and_then(|id| team.iter().position(|(_, a)| *a == id))
            {
                self.team_sel = i;
            }
            self.team_sel = self.team_sel.min(team.len().saturating_sub(1));
            let due = self.due_actions();
            if let Some(i) = self
                .kept
                .due
                .and_then(|id| due.iter().position(|(_, a)| *a == id))
            {
                self.due_sel = i;
            }
            self.due_sel = self.due_sel.min(due.len().saturating_sub(1));
            let day = self.actions_on(state, self.cal_day);
            if let Some(i) = self
                .kept
                .day
                .and_then(|id| day.iter().position(|a| *a == id))
            {
                self.day_sel = i;
            }
            self.day_sel = self.day_sel.min(day.len().saturating_sub(1));
        }
        if let Some(case) = &mut self.case {
            case.action_sel = case.action_sel.min(case.actions.len().saturating_sub(1));
        }
    }

    /// The By-team actions in screen order, with their team's index.
    pub fn team_actions(&self) -> Vec<(usize, ActionId)> {
        self.view
            .teams
            .iter()
            .enumerate()
            .flat_map(|(i, g)| g.actions.iter().map(move |a| (i, *a)))
            .collect()
    }

    /// The Due screen's actions in screen order, with their group.
    pub fn due_actions(&self) -> Vec<(DueGroup, ActionId)> {
        self.view
            .due
            .iter()
            .flat_map(|(g, ids)| ids.iter().map(move |a| (*g, *a)))
            .collect()
    }

    /// The case the keys act on: the selected row's case, or the open case.
    pub fn selected_case(&self, state: &State) -> Option<CaseNumber> {
        match self.screen {
            Screen::Dashboard => self.view.cases.get(self.dashboard_sel).map(|r| r.number),
            Screen::Case => self.case.as_ref().map(|c| c.number),
            Screen::Conference => self.meeting_case(state),
            _ => self.selected_action(state).map(|a| a.case),
        }
    }

    /// The action the keys act on, if the screen has one selected.
    pub fn selected_action(&self, state: &State) -> Option<ActionId> {
        match self.screen {
            Screen::ByTeam => self.team_actions().get(self.team_sel).map(|(_, a)| *a),
            Screen::Due => match self.due_pane {
                DuePane::Groups => self.due_actions().get(self.due_sel).map(|(_, a)| *a),
                DuePane::Day => self
                    .actions_on(state, self.cal_day)
                    .get(self.day_sel)
                    .copied(),
                DuePane::Calendar => None,
            },
            Screen::Case => {
                let case = self.case.as_ref()?;
                if case.pane == CasePane::Actions {
                    case.actions.get(case.action_sel).map(|a| a.id)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// Open actions due on `day` (after the filter).
    pub fn actions_on(&self, state: &State, day: NaiveDate) -> Vec<ActionId> {
        self.due_actions()
            .into_iter()
            .map(|(_, id)| id)
            .filter(|id| state.actions.get(id).is_some_and(|a| a.due_on == day))
            .collect()
    }

    /// The action's record: from memory, or from the open case's list (finished ones).
    fn action_record(&self, state: &State, id: ActionId) -> Option<Action> {
        state.actions.get(&id).cloned().or_else(|| {
            self.case
                .as_ref()
                .and_then(|c| c.actions.iter().find(|a| a.id == id).cloned())
        })
    }

    fn say(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    fn fail(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }

    /// The keymap contexts in force and whether global bindings apply.
    pub fn contexts(&self) -> (Vec<Context>, bool) {
        if self.confirm.is_some() {
            return (vec![Context::Confirm], false);
        }
        if self.form.is_some() {
            return (vec![Context::Form], false);
        }
        if self.palette.is_some() || self.filter_input.is_some() {
            return (vec![Context::Prompt], false);
        }
        if self.screen == Screen::Due && self.due_pane == DuePane::Calendar {
            return (vec![Context::Calendar, Context::List], true);
        }
        if self.screen == Screen::Conference {
            match self.meeting.state {
                Some(ConferenceState::Planned | ConferenceState::Closed) => {
                    return (vec![Context::Agenda, Context::List], true);
                }
                Some(ConferenceState::Running) => return (vec![Context::Meeting], true),
                _ => {}
            }
        }
        (vec![Context::List], true)
    }

    /// True while typed characters are text rather than shortcuts.
    pub fn typing(&self) -> bool {
        self.form.as_ref().is_some_and(Form::typing)
            || self.palette.is_some()
            || self.filter_input.is_some()
    }

    /// Handles one message; returns what the runtime must do.
    pub fn update(&mut self, state: &State, msg: Msg) -> Vec<Effect> {
        let effects = self.handle(state, msg);
        if self.following {
            self.keep_following(state);
        }
        if let Some(form) = &mut self.form
            && form.base.is_none()
        {
            // What the form rests on is the records as they were when it opened: a change
            // someone else makes meanwhile makes saving it stale, not silently overwritten.
            form.base = Some(form::expectations(form.kind, state));
        }
        if matches!(self.screen, Screen::ByTeam | Screen::Due) {
            self.need_actions(state);
        }
        self.settle_meeting(state);
        effects
    }

    fn handle(&mut self, state: &State, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) => self.key(state, key),
            Msg::Paste(text) => {
                self.paste(state, &text);
                Vec::new()
            }
            Msg::Resize { height, .. } => {
                // Header, tabs, table header, borders and status take about eight rows.
                self.page = usize::from(height).saturating_sub(8).max(1);
                Vec::new()
            }
            Msg::Today(today) => {
                if today != self.today {
                    if self.cal_day == self.today {
                        self.cal_day = today;
                    }
                    self.today = today;
                    self.refresh(state);
                }
                Vec::new()
            }
            Msg::Applied { result, intent } => self.applied(state, result, intent),
            Msg::CaseLoaded {
                number,
                actions,
                notes,
            } => {
                let keep = self.case.as_ref().filter(|c| c.number == number).cloned();
                let mut view = CaseView {
                    number,
                    actions,
                    notes,
                    pane: keep.as_ref().map_or(CasePane::Actions, |c| c.pane),
                    action_sel: keep.as_ref().map_or(0, |c| c.action_sel),
                    timeline_scroll: keep.as_ref().map_or(0, |c| c.timeline_scroll),
                };
                view.action_sel = view.action_sel.min(view.actions.len().saturating_sub(1));
                self.case = Some(view);
                Vec::new()
            }
            Msg::LoadFailed(why) => {
                self.fail(why.localize(self.lang));
                Vec::new()
            }
            Msg::Remote(remote) => self.remote(state, remote),
            Msg::Tick(now) => {
                self.now = now;
                Vec::new()
            }
            Msg::Started => self.resume_meeting(state),
            Msg::ActionsLoaded(actions) => {
                self.meeting.actions_read = true;
                self.meeting.actions = actions.into_iter().map(|a| (a.id, a)).collect();
                Vec::new()
            }
            Msg::StatsLoaded { month, actions } => {
                self.count_month(state, month, actions);
                Vec::new()
            }
        }
    }

    fn paste(&mut self, state: &State, text: &str) {
        if let Some(form) = &mut self.form {
            form.paste(text);
        } else if let Some(p) = &mut self.palette {
            p.input.insert_str(text.replace(['\r', '\n'], " "));
            p.selected = 0;
        } else if let Some(input) = &mut self.filter_input {
            input.insert_str(text.replace(['\r', '\n'], " "));
            self.filter = input.lines().join(" ");
            self.refilter(state);
        }
        // Outside a text field a paste is ignored: it must never run commands.
    }

    fn key(&mut self, state: &State, key: KeyEvent) -> Vec<Effect> {
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return self.interrupt(state);
        }
        let (contexts, with_global) = self.contexts();
        // In Hangul input mode a shortcut arrives as a jamo; outside text (and in a yes/no
        // question, even over a form) it means its key.
        let key = if self.typing() && self.confirm.is_none() {
            key
        } else {
            latin_key(&key)
        };
        let action = self.keymap.action(&contexts, &key, with_global);
        if let Some(confirm) = self.confirm.take() {
            return match action {
                Some(Do::Yes) => match confirm.on_yes {
                    Answer::Effect(effect) => vec![effect],
                    Answer::DiscardForm => {
                        self.form = None;
                        self.say(self.lang.pick("입력을 버렸습니다", "Discarded"));
                        Vec::new()
                    }
                },
                Some(Do::No) => {
                    if !matches!(confirm.on_yes, Answer::DiscardForm) {
                        self.say(self.lang.pick("취소했습니다", "Cancelled"));
                    }
                    Vec::new()
                }
                _ => {
                    self.confirm = Some(confirm);
                    Vec::new()
                }
            };
        }
        if self.form.is_some() {
            return self.form_key(state, action, key);
        }
        if self.palette.is_some() {
            return self.palette_key(state, action, key);
        }
        if self.filter_input.is_some() {
            self.filter_key(state, action, key);
            return Vec::new();
        }
        match action {
            Some(action) => self.run(state, action),
            None => Vec::new(),
        }
    }

    /// Closes the form; what was typed is not thrown away without asking.
    fn close_form(&mut self) {
        match &self.form {
            Some(form) if form.is_dirty() => {
                self.confirm = Some(Confirm {
                    question: self
                        .lang
                        .pick(
                            "입력한 내용을 버리고 닫을까요? (y/n)",
                            "Discard what you typed and close? (y/n)",
                        )
                        .to_string(),
                    on_yes: Answer::DiscardForm,
                });
            }
            _ => self.form = None,
        }
    }

    /// Ctrl-C: closes what is open (a form asks first when something was typed), else quits.
    fn interrupt(&mut self, state: &State) -> Vec<Effect> {
        if self.confirm.take().is_some() {
            return Vec::new();
        }
        if self.form.is_some() {
            self.close_form();
            return Vec::new();
        }
        if self.palette.take().is_some() || self.filter_input.take().is_some() {
            return Vec::new();
        }
        self.quit_now(state)
    }

    fn filter_key(&mut self, state: &State, action: Option<Do>, key: KeyEvent) {
        match action {
            Some(Do::Accept) => self.filter_input = None,
            Some(Do::Dismiss) => {
                self.filter_input = None;
                self.filter.clear();
                self.refilter(state);
            }
            _ => {
                if let Some(input) = &mut self.filter_input {
                    if key.code != KeyCode::Enter {
                        input.input(key);
                    }
                    let text = input.lines().join(" ");
                    if text != self.filter {
                        self.filter = text;
                        self.refilter(state);
                    }
                }
            }
        }
    }

    /// Palette entries matching what is typed: `(action, name, description)`.
    pub fn palette_matches(&self) -> Vec<Do> {
        let typed = self
            .palette
            .as_ref()
            .map(|p| fold(&p.input.lines().join(" ")))
            .unwrap_or_default();
        Do::ALL
            .iter()
            .copied()
            .filter(|a| {
                matches!(
                    a.context(),
                    Context::Global | Context::List | Context::Calendar
                )
            })
            .filter(|a| {
                typed.is_empty()
                    || fold(a.name()).contains(&typed)
                    || fold(a.description(Lang::Ko)).contains(&typed)
                    || fold(a.description(Lang::En)).contains(&typed)
            })
            .collect()
    }

    fn palette_key(&mut self, state: &State, action: Option<Do>, key: KeyEvent) -> Vec<Effect> {
        let matches = self.palette_matches();
        let count = matches.len();
        let Some(palette) = &mut self.palette else {
            return Vec::new();
        };
        match action {
            Some(Do::Dismiss) => self.palette = None,
            Some(Do::SelectNext) => {
                palette.selected = (palette.selected + 1).min(count.saturating_sub(1))
            }
            Some(Do::SelectPrev) => palette.selected = palette.selected.saturating_sub(1),
            Some(Do::Accept) => {
                let chosen = matches.get(palette.selected).copied();
                self.palette = None;
                if let Some(chosen) = chosen {
                    return self.run(state, chosen);
                }
            }
            _ => {
                if key.code != KeyCode::Enter {
                    palette.input.input(key);
                    palette.selected = 0;
                }
            }
        }
        Vec::new()
    }

    fn form_key(&mut self, state: &State, action: Option<Do>, key: KeyEvent) -> Vec<Effect> {
        let Some(form) = &mut self.form else {
            return Vec::new();
        };
        match action {
            Some(Do::Cancel) => self.close_form(),
            Some(Do::Save) => return self.save_form(state),
            Some(Do::NextField) => {
                form.next_field();
            }
            Some(Do::PrevField) => form.prev_field(),
            Some(Do::OptionNext) => form.step_option(1),
            Some(Do::OptionPrev) => form.step_option(-1),
            Some(Do::Newline) => form.newline(),
            _ if key.code == KeyCode::Enter && key.modifiers == KeyModifiers::NONE => {
                // Enter goes to the next field, and saves on the last one.
                if !form.next_field() {
                    return self.save_form(state);
                }
            }
            _ => form.key(key),
        }
        Vec::new()
    }

    fn save_form(&mut self, state: &State) -> Vec<Effect> {
        let Some(form) = &mut self.form else {
            return Vec::new();
        };
        match form.command(state, &self.calendar, self.today, self.lang) {
            Ok(Some(command)) => vec![Effect::Apply {
                command,
                intent: Intent::Form(form.kind),
                expect: form.base.clone().unwrap_or_default(),
            }],
            Ok(None) => {
                self.form = None;
                self.say(self.lang.pick("바뀐 것이 없습니다", "Nothing changed"));
                Vec::new()
            }
            Err(why) => {
                form.error = Some(why);
                Vec::new()
            }
        }
    }

    fn go(&mut self, screen: Screen) {
        if self.screen != screen {
            if !matches!(self.screen, Screen::Help) {
                self.back.push(self.screen);
            }
            // Going from list to list does not pile up history.
            if Screen::CYCLE.contains(&screen) {
                self.back.retain(|s| !Screen::CYCLE.contains(s));
            }
            self.screen = screen;
        }
    }

    fn open_case(&mut self, number: CaseNumber) -> Vec<Effect> {
        if self.case.as_ref().is_none_or(|c| c.number != number) {
            self.case = None;
        }
        self.go(Screen::Case);
        vec![Effect::LoadCase(number)]
    }

    fn need_case(&mut self, state: &State) -> Option<CaseNumber> {
        let case = self.selected_case(state);
        if case.is_none() {
            self.fail(
                self.lang
                    .pick("먼저 사례를 고르세요", "Select a case first"),
            );
        }
        case
    }

    fn need_action(&mut self, state: &State) -> Option<ActionId> {
        let action = self.selected_action(state);
        if action.is_none() {
            let hint = if self.screen == Screen::Case {
                self.lang.pick(
                    "먼저 조치 칸에서 조치를 고르세요 (l: 칸 바꾸기)",
                    "Select an action in the actions pane first (l: switch pane)",
                )
            } else {
                self.lang.pick(
                    "먼저 조치를 고르세요: 사례를 열거나(Enter) 부서별·기한 화면에서",
                    "Select an action first: open a case (Enter), or use By team or Due",
                )
            };
            self.fail(hint);
        }
        action
    }

    /// Runs a keymap action (from a key or the palette).
    pub fn run(&mut self, state: &State, action: Do) -> Vec<Effect> {
        self.status = None;
        if self.following {
            return self.follow_action(state, action);
        }
        if let Some(effects) = self.meeting_action(state, action) {
            return effects;
        }
        match action {
            Do::Quit => return self.quit_now(state),
            Do::Help => {
                if self.screen == Screen::Help {
                    self.back_out(state);
                } else {
                    self.help_scroll = 0;
                    self.go(Screen::Help);
                }
            }
            Do::Filter => {
                if matches!(
                    self.screen,
                    Screen::Dashboard | Screen::ByTeam | Screen::Due
                ) {
                    let mut input = TextArea::new(vec![self.filter.clone()]);
                    input.move_cursor(ratatui_textarea::CursorMove::End);
                    input.set_cursor_line_style(ratatui::style::Style::default());
                    self.filter_input = Some(input);
                } else {
                    self.fail(self.lang.pick(
                        "필터는 목록 화면(1·2·3)에서 씁니다",
                        "The filter works on the list screens (1, 2, 3)",
                    ));
                }
            }
            Do::Palette => {
                let mut input = TextArea::default();
                input.set_cursor_line_style(ratatui::style::Style::default());
                self.palette = Some(Palette { input, selected: 0 });
            }
            Do::NextScreen | Do::PrevScreen => {
                let at = Screen::CYCLE.iter().position(|s| *s == self.screen);
                let n = Screen::CYCLE.len();
                let next = match (at, action) {
                    (Some(i), Do::NextScreen) => (i + 1) % n,
                    (Some(i), _) => (i + n - 1) % n,
                    (None, _) => 0,
                };
                self.go(Screen::CYCLE[next]);
            }
            Do::ScreenDashboard => self.go(Screen::Dashboard),
            Do::ScreenByTeam => self.go(Screen::ByTeam),
            Do::ScreenDue => self.go(Screen::Due),
            Do::ScreenConferences => self.go(Screen::Conferences),
            Do::ScreenStats => {
                self.go(Screen::Stats);
                let month = self
                    .stats
                    .as_ref()
                    .map_or_else(|| month_start(self.today), |s| s.month);
                return self.load_stats(month);
            }
            Do::PaneNext | Do::PanePrev if self.screen == Screen::Stats => {
                let month = self
                    .stats
                    .as_ref()
                    .map_or_else(|| month_start(self.today), |s| s.month);
                let moved = if action == Do::PaneNext {
                    month.checked_add_months(Months::new(1))
                } else {
                    month.checked_sub_months(Months::new(1))
                };
                let moved = moved.unwrap_or(month);
                match self.stats.take() {
                    // Another month of the same records: counted from the actions already read.
                    Some(view) if view.stats.is_some() => {
                        self.count_month(state, moved, view.actions)
                    }
                    other => {
                        self.stats = other;
                        return self.load_stats(moved);
                    }
                }
            }
            Do::Back => self.back_out(state),
            Do::NewCase => self.form = Some(Form::new_case(state, self.lang)),
            Do::Presentation => {
                self.presentation = !self.presentation;
                self.say(if self.presentation {
                    self.lang.pick(
                        "발표 모드: 모든 이름을 가리고 제한 기록을 숨깁니다",
                        "Presentation mode: every name masked, restricted notes hidden",
                    )
                } else {
                    self.lang
                        .pick("발표 모드를 껐습니다", "Presentation mode off")
                });
            }
            Do::Undo => match self.undo.last() {
                Some(undo) => {
                    let question = match self.lang {
                        Lang::Ko => format!("'{}'을(를) 되돌릴까요? (y/n)", undo.what),
                        Lang::En => format!("Undo '{}'? (y/n)", undo.what),
                    };
                    self.confirm = Some(Confirm {
                        question,
                        on_yes: Answer::Effect(Effect::Apply {
                            command: undo.command.clone(),
                            intent: Intent::Undo,
                            expect: Vec::new(),
                        }),
                    });
                }
                None => self.fail(self.lang.pick(
                    "되돌릴 변경이 없습니다 (이번 실행에서 저장한 변경만 되돌립니다)",
                    "Nothing to undo (only changes saved in this session can be undone)",
                )),
            },
            Do::MoveDown => self.move_by(state, 1),
            Do::MoveUp => self.move_by(state, -1),
            Do::PageDown => self.move_by(state, self.page as isize),
            Do::PageUp => self.move_by(state, -(self.page as isize)),
            Do::First => self.move_by(state, isize::MIN / 2),
            Do::Last => self.move_by(state, isize::MAX / 2),
            Do::Open if self.screen == Screen::Due && self.due_pane == DuePane::Calendar => {
                // Enter on a day goes to its list of actions.
                self.due_pane = DuePane::Day;
                self.day_sel = 0;
            }
            Do::Open => {
                if let Some(number) = self
                    .selected_case(state)
                    .filter(|_| self.screen != Screen::Case)
                {
                    return self.open_case(number);
                }
            }
            Do::AddAction => {
                if let Some(number) = self.need_case(state) {
                    match Form::add_action(state, number, self.lang) {
                        Some(form) if state.cases.get(&number).is_some_and(|c| c.is_open()) => {
                            self.form = Some(form)
                        }
                        _ => self.fail(self.lang.pick(
                            "종결·사후관리 사례에는 조치를 추가할 수 없습니다",
                            "A closed case or one in aftercare takes no new actions",
                        )),
                    }
                }
            }
            Do::Edit => {
                // Edit what is selected: an open action where one is selected, else the case.
                let action = self
                    .selected_action(state)
                    .and_then(|id| self.action_record(state, id));
                match action {
                    Some(a) if a.is_open() => {
                        self.form = Some(Form::edit_action(state, &a, self.lang))
                    }
                    Some(a) => self.fail(match self.lang {
                        Lang::Ko => format!(
                            "조치 {}은(는) 이미 {}되었습니다: 진행 중인 조치만 고칠 수 있습니다",
                            a.id,
                            a.status.ko()
                        ),
                        Lang::En => format!(
                            "action {} is {} already: only open actions can be changed",
                            a.id,
                            a.status.en()
                        ),
                    }),
                    None => {
                        if let Some(number) = self.need_case(state) {
                            self.form = Form::edit_case(state, number, self.lang);
                        }
                    }
                }
            }
            Do::EditCase => {
                if let Some(number) = self.need_case(state) {
                    self.form = Form::edit_case(state, number, self.lang);
                }
            }
            Do::AddNote => {
                if let Some(number) = self.need_case(state) {
                    self.form = Some(Form::note(number, self.lang));
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
            Do::ActionDrop => {
                if let Some(id) = self.need_action(state) {
                    let title = self
                        .action_record(state, id)
                        .map(|a| a.title)
                        .unwrap_or_default();
                    self.form = Some(Form::drop_action(id, &title, self.lang));
                }
            }
            Do::Sort if self.screen == Screen::Dashboard => {
                self.sort = self.sort.next();
                self.refresh(state);
                self.dashboard_sel = 0;
            }
            Do::PaneNext | Do::PanePrev => self.switch_pane(action == Do::PaneNext),
            Do::DayNext => self.move_day(Duration::days(1)),
            Do::DayPrev => self.move_day(Duration::days(-1)),
            Do::WeekNext => self.move_day(Duration::days(7)),
            Do::WeekPrev => self.move_day(Duration::days(-7)),
            Do::MonthNext => {
                self.cal_day = self
                    .cal_day
                    .checked_add_months(Months::new(1))
                    .unwrap_or(self.cal_day)
            }
            Do::MonthPrev => {
                self.cal_day = self
                    .cal_day
                    .checked_sub_months(Months::new(1))
                    .unwrap_or(self.cal_day)
            }
            Do::GoToday => self.cal_day = self.today,
            // Form, prompt and confirm keys mean nothing outside them.
            _ => {}
        }
        Vec::new()
    }

    /// Shows `month` on the statistics screen and asks for the actions to count it (the
    /// records may have changed since they were last read).
    fn load_stats(&mut self, month: NaiveDate) -> Vec<Effect> {
        match &mut self.stats {
            Some(view) => view.month = month,
            None => {
                self.stats = Some(StatsView {
                    month,
                    stats: None,
                    actions: Vec::new(),
                })
            }
        }
        vec![Effect::LoadStats(month)]
    }

    /// Counts `month` from the cases in `state` and every action.
    fn count_month(&mut self, state: &State, month: NaiveDate, actions: Vec<Action>) {
        let stats = crate::domain::stats::month_stats(
            state.cases.values(),
            &actions,
            state.conferences.values(),
            month,
            self.today,
        );
        self.stats = Some(StatsView {
            month,
            stats: Some(stats),
            actions,
        });
    }

    fn move_day(&mut self, by: Duration) {
        if let Some(day) = self.cal_day.checked_add_signed(by) {
            self.cal_day = day;
            self.day_sel = 0;
        }
    }

    fn switch_pane(&mut self, forward: bool) {
        match self.screen {
            Screen::Due => {
                const ORDER: [DuePane; 3] = [DuePane::Groups, DuePane::Calendar, DuePane::Day];
                let i = ORDER.iter().position(|p| *p == self.due_pane).unwrap_or(0);
                self.due_pane = ORDER[if forward { (i + 1) % 3 } else { (i + 2) % 3 }];
            }
            Screen::Case => {
                if let Some(case) = &mut self.case {
                    case.pane = match case.pane {
                        CasePane::Actions => CasePane::Timeline,
                        CasePane::Timeline => CasePane::Actions,
                    };
                }
            }
            Screen::Conference => {
                self.meeting.pane = match self.meeting.pane {
                    PrepPane::Agenda => PrepPane::Attendance,
                    PrepPane::Attendance => PrepPane::Agenda,
                };
            }
            Screen::ByTeam => {
                // Jump to the first action of the next (or previous) team.
                let rows = self.team_actions();
                let current = rows.get(self.team_sel).map_or(0, |(t, _)| *t);
                let target = if forward {
                    current + 1
                } else {
                    current.saturating_sub(1)
                };
                if let Some(i) = rows.iter().position(|(t, _)| *t == target) {
                    self.team_sel = i;
                }
            }
            _ => {}
        }
    }

    fn back_out(&mut self, state: &State) {
        if !self.filter.is_empty()
            && matches!(
                self.screen,
                Screen::Dashboard | Screen::ByTeam | Screen::Due
            )
        {
            self.filter.clear();
            self.refilter(state);
            return;
        }
        if self.screen == Screen::Due && self.due_pane != DuePane::Groups {
            self.due_pane = DuePane::Groups;
            return;
        }
        if let Some(previous) = self.back.pop() {
            self.screen = previous;
        } else if self.screen != Screen::Dashboard {
            self.screen = Screen::Dashboard;
        }
    }

    fn move_by(&mut self, state: &State, delta: isize) {
        let step = |sel: usize, len: usize| -> usize {
            if len == 0 {
                return 0;
            }
            (sel as isize)
                .saturating_add(delta)
                .clamp(0, len as isize - 1) as usize
        };
        match self.screen {
            Screen::Dashboard => {
                self.dashboard_sel = step(self.dashboard_sel, self.view.cases.len())
            }
            Screen::ByTeam => self.team_sel = step(self.team_sel, self.team_actions().len()),
            Screen::Due => match self.due_pane {
                DuePane::Groups => self.due_sel = step(self.due_sel, self.due_actions().len()),
                DuePane::Day => {
                    self.day_sel = step(self.day_sel, self.actions_on(state, self.cal_day).len())
                }
                DuePane::Calendar => {}
            },
            Screen::Case => {
                if let Some(case) = &mut self.case {
                    match case.pane {
                        CasePane::Actions => {
                            case.action_sel = step(case.action_sel, case.actions.len())
                        }
                        CasePane::Timeline => {
                            let len = case.notes.len() + case_history_len(state, case.number);
                            case.timeline_scroll = step(case.timeline_scroll, len);
                        }
                    }
                }
            }
            Screen::Stats => {}
            Screen::Help => {
                self.help_scroll = step(
                    self.help_scroll,
                    self.keymap
                        .bindings()
                        .iter()
                        .map(|(_, b)| b.len() + 2)
                        .sum(),
                )
            }
            Screen::Conferences => {
                self.meeting.list_sel = step(self.meeting.list_sel, state.conferences.len())
            }
            Screen::Conference => {
                let conf = self.meeting.id.and_then(|id| state.conferences.get(&id));
                match (self.meeting.pane, conf) {
                    (PrepPane::Attendance, Some(c)) if c.state == ConferenceState::Planned => {
                        self.meeting.attend_sel = step(self.meeting.attend_sel, c.attendees.len())
                    }
                    (_, Some(c)) => {
                        self.meeting.agenda_sel = step(self.meeting.agenda_sel, c.agenda.len())
                    }
                    _ => {}
                }
            }
        }
    }

    fn applied(
        &mut self,
        state: &State,
        result: Result<Receipt, BackendError>,
        intent: Intent,
    ) -> Vec<Effect> {
        let receipt = match result {
            Ok(receipt) => receipt,
            Err(e) => {
                let why = e.localize(self.lang);
                if intent == Intent::Undo {
                    // Something changed since: later undos would rest on this one, so none
                    // is offered any more.
                    self.undo.clear();
                }
                // The form stays open with what was typed, and says why.
                match &mut self.form {
                    Some(form) => form.error = Some(why),
                    None => self.fail(why),
                }
                return Vec::new();
            }
        };
        self.refresh(state);
        let what = self.describe(&intent, &receipt);
        match intent {
            // An undo is taken off the list; the one before it comes next.
            Intent::Undo => {
                self.undo.pop();
            }
            // The clock starting and stopping with casedesk is bookkeeping, not an entry: taking
            // it back would count the time casedesk was closed.
            Intent::Meeting(MeetingStep::Resume | MeetingStep::Pause) => {}
            _ => {
                if let Some(command) = receipt.undo.clone() {
                    self.undo.push(Undo {
                        command,
                        what: what.clone(),
                    });
                }
            }
        }
        if intent == Intent::Meeting(MeetingStep::Close) {
            // A closed conference is read-only: nothing recorded in it can be undone now.
            self.undo.retain(|u| {
                !matches!(&u.command, Command::Revert { revert } if !revert.conferences.is_empty())
            });
        }
        let undo_hint = if self.undo.is_empty() {
            ""
        } else {
            self.lang.pick(" (u: 되돌리기)", " (u: undo)")
        };
        self.say(format!("{what}{undo_hint}"));
        let mut effects = Vec::new();
        let opened_form = self.form.take().map(|f| f.kind);
        let new_conference = match receipt.outcome {
            Outcome::Conference { id } => Some(id),
            _ => None,
        };
        if new_conference.is_some() || matches!(intent, Intent::Meeting(_)) {
            effects.extend(self.meeting_applied(state, &intent, new_conference));
        }
        if let (Some(FormKind::NewCase), Outcome::Case { number }) = (opened_form, &receipt.outcome)
        {
            effects.extend(self.open_case(*number));
        } else if let Some(case) = &self.case {
            // The open case is read again whatever screen the change came from, so it is never
            // shown as it was.
            effects.push(Effect::LoadCase(case.number));
        }
        if let (Screen::Stats, Some(view)) = (self.screen, &self.stats) {
            effects.push(Effect::LoadStats(view.month));
        }
        effects
    }

    /// Somebody else's change, already in `state`, or the connection's news.
    fn remote(&mut self, state: &State, remote: Remote) -> Vec<Effect> {
        let reread = |app: &mut App, case: Option<CaseNumber>| {
            app.refresh(state);
            let mut effects = Vec::new();
            if let Some(open) = &app.case
                && case.is_none_or(|c| c == open.number)
            {
                effects.push(Effect::LoadCase(open.number));
            }
            if let (Screen::Stats, Some(view)) = (app.screen, &app.stats) {
                effects.push(Effect::LoadStats(view.month));
            }
            effects
        };
        match remote {
            Remote::Changed {
                by, summary, own, ..
            } => {
                let case = summary.record.and_then(|r| r.case());
                let effects = reread(self, if summary.record.is_some() { case } else { None });
                if !own {
                    self.say(format!("{} · {by}", summary.describe(self.lang)));
                }
                effects
            }
            Remote::Resynced => reread(self, None),
            Remote::Presence { others } => {
                self.others = others;
                Vec::new()
            }
            Remote::Lost => {
                self.offline = true;
                self.fail(self.lang.pick(
                    "서버 연결이 끊겼습니다: 다시 연결하는 중입니다 (저장하지 않은 입력은 그대로 있습니다)",
                    "The server connection was lost: reconnecting (nothing you typed is lost)",
                ));
                Vec::new()
            }
            Remote::Back => {
                self.offline = false;
                let effects = reread(self, None);
                self.say(
                    self.lang
                        .pick("서버에 다시 연결했습니다", "Reconnected to the server"),
                );
                effects
            }
        }
    }

    fn describe(&self, intent: &Intent, receipt: &Receipt) -> String {
        let ko = self.lang == Lang::Ko;
        match (intent, &receipt.outcome) {
            (_, Outcome::Case { number }) => {
                if ko {
                    format!("사례 {number} 등록")
                } else {
                    format!("registered case {number}")
                }
            }
            (_, Outcome::Action { id }) => {
                if ko {
                    format!("조치 {id} 추가")
                } else {
                    format!("added action {id}")
                }
            }
            (_, Outcome::Conference { id }) => {
                if ko {
                    format!("사례회의 #{id} 준비: 안건을 확인하세요")
                } else {
                    format!("conference #{id} prepared: review its agenda")
                }
            }
            (Intent::Form(FormKind::Decision(_, case)), _) => {
                if ko {
                    format!("{case} 결정사항 기록")
                } else {
                    format!("decision recorded on {case}")
                }
            }
            (Intent::Form(FormKind::Review(case)), _) => {
                if ko {
                    format!("{case} 다음 점검일 저장")
                } else {
                    format!("next review of {case} saved")
                }
            }
            (Intent::Form(FormKind::Amend(id)), _) => {
                if ko {
                    format!("사례회의 #{id}에 정정 기록을 덧붙였습니다")
                } else {
                    format!("correction added to conference #{id}")
                }
            }
            (Intent::Form(FormKind::Level(case)), _) => {
                if ko {
                    format!("{case} 위기 수준 변경")
                } else {
                    format!("crisis level of {case} changed")
                }
            }
            (Intent::Form(FormKind::Stage(case)), _) => {
                if ko {
                    format!("{case} 단계 변경")
                } else {
                    format!("stage of {case} changed")
                }
            }
            (Intent::Meeting(step), _) => self
                .lang
                .pick(
                    match step {
                        MeetingStep::Prepare => "준비 내용 저장",
                        MeetingStep::Start => "회의 시작: 첫 안건",
                        MeetingStep::Move => "안건 이동",
                        MeetingStep::Defer => "다음 회의로 보류",
                        MeetingStep::Resume => "진행 중인 회의로 돌아왔습니다",
                        MeetingStep::Pause => "회의 시계를 멈췄습니다",
                        MeetingStep::Close => "회의를 마쳤습니다: 부서별 요약",
                    },
                    match step {
                        MeetingStep::Prepare => "preparation saved",
                        MeetingStep::Start => "conference started: first item",
                        MeetingStep::Move => "moved to the item",
                        MeetingStep::Defer => "deferred to the next conference",
                        MeetingStep::Resume => "back in the running conference",
                        MeetingStep::Pause => "conference clock stopped",
                        MeetingStep::Close => "conference closed: recap by team",
                    },
                )
                .to_string(),
            (_, Outcome::Note { case, .. }) => {
                if ko {
                    format!("{case}에 기록 추가")
                } else {
                    format!("added a note to {case}")
                }
            }
            (Intent::Done(id), _) => {
                if ko {
                    format!("조치 {id} 완료")
                } else {
                    format!("action {id} done")
                }
            }
            (Intent::Form(FormKind::DropAction(id)), _) => {
                if ko {
                    format!("조치 {id} 취소")
                } else {
                    format!("action {id} dropped")
                }
            }
            (Intent::Form(FormKind::EditAction(id)), _) => {
                if ko {
                    format!("조치 {id} 수정")
                } else {
                    format!("action {id} changed")
                }
            }
            (Intent::Form(FormKind::EditCase(n)), _) => {
                if ko {
                    format!("사례 {n} 수정")
                } else {
                    format!("case {n} changed")
                }
            }
            (Intent::Undo, _) => {
                if ko {
                    "되돌렸습니다".to_string()
                } else {
                    "undone".to_string()
                }
            }
            _ => {
                if ko {
                    "저장했습니다".to_string()
                } else {
                    "saved".to_string()
                }
            }
        }
    }
}

/// Entries a case's timeline has besides notes (level and stage changes).
pub fn case_history_len(state: &State, number: CaseNumber) -> usize {
    state
        .cases
        .get(&number)
        .map_or(0, |c| c.level_history.len() + c.stage_history.len())
}

/// The first day of `day`'s month.
pub fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}
