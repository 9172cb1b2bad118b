//! The screen state and `update`: every key, paste and store result turns into new state and
//! effects (commands for the store, a case to load, quit). Pure: no IO, no clock, no terminal;
//! "today" and the records are handed in. `App` keeps only the routing between screens
//! (`route`), the overlays — form, palette, filter line, question — (`overlay`), undo and the
//! status line (`outcome`); each screen owns its state and keys in a room of its own
//! (`screens`). What it says is a typed `Message`, put into words by the screens' tables.

mod events;
pub mod form;
pub mod lists;
mod meeting;
mod merge;
pub mod message;
mod outcome;
mod overlay;
mod records;
pub mod route;
pub mod screens;

use chrono::{DateTime, FixedOffset, NaiveDate};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use crate::domain::holidays::Calendar;
use crate::domain::{ActionId, CaseNumber, Command, State};
use crate::i18n::Lang;
use crate::keymap::{Action as Do, Context, Keymap, latin_key};
pub use events::{Effect, Intent, MeetingStep, Msg};
use form::Form;
use lists::Lists;
pub use message::{Failure, FormError, MergePlan, MergeSide, Message, Question, Saved};
pub use route::{Cx, Hint, Request, Room, Screen, Screens};

/// The facts every screen may read: who, when, in which language, with which keys.
#[derive(Debug)]
pub struct Session {
    /// Language of the screens.
    pub lang: Lang,
    /// Today (injected).
    pub today: NaiveDate,
    /// The time now (injected), for a conference's clock.
    pub now: DateTime<FixedOffset>,
    /// The days off in force (public holidays and the office's closing days), for business
    /// days and date warnings; the runtime hands it in.
    pub calendar: Calendar,
    /// How long an agency has to answer a referral.
    pub referrals: crate::domain::referral::ReferralRule,
    /// The account using it.
    pub user: String,
    /// The keys in force.
    pub keymap: Keymap,
    /// Rows a page holds (from the terminal size).
    pub page: usize,
    /// Presentation mode: every name masked, restricted notes hidden.
    pub presentation: bool,
    /// Following a conference from another terminal: read-only, moving with the facilitator.
    pub following: bool,
    /// How many other people have casedesk open on the store (a server's sessions).
    pub others: usize,
    /// True while the server cannot be reached (the backend keeps trying).
    pub offline: bool,
}

/// Midnight of `day` in the office's time zone: the time before a clock tick arrives.
fn start_of(day: NaiveDate) -> DateTime<FixedOffset> {
    day.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(crate::domain::dates::KOREA).single())
        .unwrap_or_default()
}

/// A line at the bottom saying what happened.
#[derive(Debug, Clone)]
pub struct Status {
    /// What.
    pub message: Message,
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
    /// Open this form (the next conference, filled in from the one that closed).
    OpenForm(Box<form::Form>),
}

/// A question waiting for yes or no.
#[derive(Debug, Clone)]
pub struct Confirm {
    /// The question.
    pub question: Question,
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
    /// The contexts of the screen it was opened on: their commands are offered besides those
    /// that work everywhere and on lists.
    pub contexts: Vec<Context>,
}

/// A change made here, which `undo` can take back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undo {
    /// The command that undoes it.
    pub command: Command,
    /// What the change was.
    pub what: Saved,
}

/// The whole screen state.
#[derive(Debug)]
pub struct App {
    /// Who, when, which language and keys.
    pub session: Session,
    /// The screen shown.
    pub screen: Screen,
    /// Where Esc goes back to.
    pub back: Vec<Screen>,
    /// Every screen's own state.
    pub screens: Screens,
    /// The lists the list screens share, with the filter in force.
    pub lists: Lists,
    /// The filter line while it is being typed.
    pub filter_input: Option<TextArea<'static>>,
    /// The palette, when open.
    pub palette: Option<Palette>,
    /// The form, when open.
    pub form: Option<Form>,
    /// The question, when asked.
    pub confirm: Option<Confirm>,
    /// The status line.
    pub status: Option<Status>,
    /// What `undo` takes back, the latest last: every change saved in this session.
    pub undo: Vec<Undo>,
    /// Set when the app should end.
    pub quit: bool,
}

impl App {
    /// A new app on the dashboard.
    pub fn new(lang: Lang, today: NaiveDate, user: String, keymap: Keymap, state: &State) -> App {
        let mut app = App {
            session: Session {
                lang,
                today,
                now: start_of(today),
                calendar: Calendar::national(),
                referrals: crate::domain::referral::ReferralRule::default(),
                user,
                keymap,
                page: 10,
                presentation: false,
                following: false,
                others: 0,
                offline: false,
            },
            screen: Screen::Dashboard,
            back: Vec::new(),
            screens: Screens::new(today),
            lists: Lists::default(),
            filter_input: None,
            palette: None,
            form: None,
            confirm: None,
            status: None,
            undo: Vec::new(),
            quit: false,
        };
        app.refresh(state);
        app.return_to_running(state);
        app
    }

    /// Recomputes the lists from the records (after a change or a new day).
    pub fn refresh(&mut self, state: &State) {
        self.lists
            .rebuild(state, self.session.today, self.screens.dashboard.sort);
        self.refilter(state);
    }

    /// Applies the filter again; every selection stays on the record it was on, wherever the
    /// new lists put it.
    fn refilter(&mut self, state: &State) {
        let cx = Cx {
            state,
            session: &self.session,
            lists: &self.lists,
        };
        for room in self.screens.rooms_mut() {
            room.remember(&cx);
        }
        let with_actions = self.room().needs_actions();
        self.lists.refilter(state, with_actions);
        self.settle(state);
    }

    /// Puts every screen's selections back on their records.
    fn settle(&mut self, state: &State) {
        let cx = Cx {
            state,
            session: &self.session,
            lists: &self.lists,
        };
        for room in self.screens.rooms_mut() {
            room.settle(&cx);
        }
    }

    /// Work that may be done while the user is not typing: the filter's search text.
    pub fn prepare(&mut self, state: &State) {
        self.lists.prepare(state);
    }

    /// The case the keys act on: the selected row's case, or the open case.
    pub fn selected_case(&self, state: &State) -> Option<CaseNumber> {
        self.room().selected_case(&self.cx(state))
    }

    /// The action the keys act on, if the screen has one selected.
    pub fn selected_action(&self, state: &State) -> Option<ActionId> {
        self.room().selected_action(&self.cx(state))
    }

    fn say(&mut self, message: Message) {
        self.status = Some(Status {
            message,
            error: false,
        });
    }

    fn fail(&mut self, message: Message) {
        self.status = Some(Status {
            message,
            error: true,
        });
    }

    /// The keymap contexts in force and whether global bindings apply.
    pub fn contexts(&self, state: &State) -> (Vec<Context>, bool) {
        if self.confirm.is_some() {
            return (vec![Context::Confirm], false);
        }
        if self.form.is_some() {
            return (vec![Context::Form], false);
        }
        if self.palette.is_some() || self.filter_input.is_some() {
            return (vec![Context::Prompt], false);
        }
        (self.room().contexts(&self.cx(state)).to_vec(), true)
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
        if self.session.following {
            self.keep_following(state);
        }
        if let Some(form) = &mut self.form
            && form.base.is_none()
        {
            // What the form rests on is the records as they were when it opened: a change
            // someone else makes meanwhile makes saving it stale, not silently overwritten.
            form.base = Some(form::expectations(form.kind, state));
        }
        if self.room().needs_actions() && self.lists.need_actions(state) {
            self.settle(state);
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
                self.session.page = usize::from(height).saturating_sub(8).max(1);
                Vec::new()
            }
            Msg::Today(today) => {
                if today != self.session.today {
                    let old = std::mem::replace(&mut self.session.today, today);
                    for room in self.screens.rooms_mut() {
                        room.new_day(old, today);
                    }
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
                self.screens.case.loaded(number, actions, notes);
                Vec::new()
            }
            Msg::LoadFailed(why) => {
                self.fail(Message::Failed(why.into()));
                Vec::new()
            }
            Msg::Remote(remote) => self.remote(state, remote),
            Msg::MinutesWritten(result) => {
                match result {
                    Ok(path) => self.say(Message::MinutesWritten { path }),
                    Err(why) => self.fail(Message::MinutesNotWritten { why }),
                }
                Vec::new()
            }
            Msg::Tick(now) => {
                self.session.now = now;
                Vec::new()
            }
            Msg::Started => self.resume_meeting(state),
            Msg::ActionsLoaded(actions) => {
                self.screens.conference.recap.loaded(actions);
                Vec::new()
            }
            Msg::FollowUpLoaded { case, actions } => {
                self.screens.conference.followup = Some((case, actions));
                Vec::new()
            }
            Msg::FinishedLoaded { since, actions } => {
                self.screens.by_team.loaded(since, actions);
                Vec::new()
            }
            Msg::MergeLoaded {
                keep,
                other,
                actions,
                notes,
            } => {
                self.merge_loaded(state, keep, other, &actions, &notes);
                Vec::new()
            }
            Msg::StatsLoaded { month, actions } => {
                self.screens
                    .stats
                    .count(state, month, actions, self.session.today);
                Vec::new()
            }
        }
    }

    fn key(&mut self, state: &State, key: KeyEvent) -> Vec<Effect> {
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return self.interrupt(state);
        }
        let (contexts, with_global) = self.contexts(state);
        // In Hangul input mode a shortcut arrives as a jamo; outside text (and in a yes/no
        // question, even over a form) it means its key.
        let key = if self.typing() && self.confirm.is_none() {
            key
        } else {
            latin_key(&key)
        };
        let action = self.session.keymap.action(&contexts, &key, with_global);
        if self.confirm.is_some() {
            return self.answer(action);
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

    /// Runs a keymap action (from a key or the palette): the screen's own keys first, then the
    /// ones that work everywhere.
    pub fn run(&mut self, state: &State, action: Do) -> Vec<Effect> {
        self.status = None;
        if self.session.following {
            return self.follow_action(state, action);
        }
        match self.with_room(state, |room, cx| room.act(cx, action)) {
            Some(requests) => self.fulfil(state, requests),
            None => self.everywhere(state, action),
        }
    }

    /// Does what a screen asked.
    fn fulfil(&mut self, state: &State, requests: Vec<Request>) -> Vec<Effect> {
        let mut effects = Vec::new();
        for request in requests {
            match request {
                Request::Effect(effect) => effects.push(effect),
                Request::Form(form) => self.form = Some(form),
                Request::Ask(confirm) => self.confirm = Some(confirm),
                Request::Say(message) => self.say(message),
                Request::Fail(message) => self.fail(message),
                Request::OpenCase(number) => effects.extend(self.open_case(number)),
                Request::OpenConference(id) => effects.extend(self.open_conference(state, id)),
                Request::Follow(id) => self.follow(state, Some(id)),
                Request::Refresh => self.refresh(state),
            }
        }
        effects
    }

    /// The keys that work on every screen.
    fn everywhere(&mut self, state: &State, action: Do) -> Vec<Effect> {
        if let Some(screen) = Screen::jumped_to_by(action) {
            self.go(screen);
            let requests = self.with_room(state, |room, cx| room.entered(cx));
            return self.fulfil(state, requests);
        }
        match action {
            Do::Quit => return self.quit_now(state),
            Do::Help => {
                if self.screen == Screen::Help {
                    self.back_out(state);
                } else {
                    self.go(Screen::Help);
                    let requests = self.with_room(state, |room, cx| room.entered(cx));
                    return self.fulfil(state, requests);
                }
            }
            Do::Filter => {
                if self.room().filtered() {
                    let mut input = TextArea::new(vec![self.lists.filter.clone()]);
                    input.move_cursor(ratatui_textarea::CursorMove::End);
                    input.set_cursor_line_style(ratatui::style::Style::default());
                    self.filter_input = Some(input);
                } else {
                    let keys = [Do::ScreenDashboard, Do::ScreenByTeam, Do::ScreenDue]
                        .iter()
                        .filter_map(|a| self.session.keymap.keys(*a).first())
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("·");
                    self.fail(Message::FilterOnLists { keys });
                }
            }
            Do::Palette => {
                let mut input = TextArea::default();
                input.set_cursor_line_style(ratatui::style::Style::default());
                let contexts = self.room().contexts(&self.cx(state)).to_vec();
                self.palette = Some(Palette {
                    input,
                    selected: 0,
                    contexts,
                });
            }
            Do::NextScreen | Do::PrevScreen => {
                let at = Screen::CYCLE.iter().position(|s| *s == self.screen);
                let n = Screen::CYCLE.len();
                let next = match (at, action) {
                    (Some(i), Do::NextScreen) => (i + 1) % n,
                    (Some(i), _) => (i + n - 1) % n,
                    (None, _) => 0,
                };
                if let Some(screen) = Screen::CYCLE.get(next) {
                    self.go(*screen);
                    let requests = self.with_room(state, |room, cx| room.entered(cx));
                    return self.fulfil(state, requests);
                }
            }
            Do::Back => self.back_out(state),
            Do::NewCase => self.form = Some(form::case::new_case(state, self.session.lang)),
            Do::NewConference => return self.new_conference(state),
            Do::AddTeam => self.form = Some(form::team::add_team(self.session.lang)),
            Do::WriteMinutes => match self.screens.conference.id {
                Some(id) if self.screen == Screen::Conference => {
                    return vec![Effect::WriteMinutes(id)];
                }
                _ => self.fail(Message::MinutesNeedConference),
            },
            Do::FollowConference => self.follow_running(state),
            Do::Presentation => {
                self.session.presentation = !self.session.presentation;
                self.say(if self.session.presentation {
                    Message::PresentationOn
                } else {
                    Message::PresentationOff
                });
            }
            Do::Undo => self.ask_undo(),
            Do::MoveDown => self.move_by(state, 1),
            Do::MoveUp => self.move_by(state, -1),
            Do::PageDown => self.move_by(state, self.page()),
            Do::PageUp => self.move_by(state, -self.page()),
            Do::First => self.move_by(state, isize::MIN / 2),
            Do::Last => self.move_by(state, isize::MAX / 2),
            Do::Open => {
                if let Some(number) = self.selected_case(state) {
                    return self.open_case(number);
                }
            }
            _ => return self.record_action(state, action),
        }
        Vec::new()
    }

    fn page(&self) -> isize {
        isize::try_from(self.session.page).unwrap_or(isize::MAX)
    }

    fn move_by(&mut self, state: &State, delta: isize) {
        self.with_room(state, |room, cx| room.move_by(cx, delta));
    }

    /// Shows case `number` in full and reads it.
    fn open_case(&mut self, number: CaseNumber) -> Vec<Effect> {
        self.screens.case.open(number);
        self.go(Screen::Case);
        vec![Effect::LoadCase(number)]
    }
}
