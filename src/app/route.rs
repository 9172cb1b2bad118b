//! The routing between screens: which screens there are, the one small trait every screen
//! implements (`Room`: what it shows, what is selected, how it moves, what an action does), the
//! one registration that maps a screen to its room, and going to and back from screens. Adding
//! a screen is its own file under `screens/` and one line in `Screens::room`. Pure.

use chrono::NaiveDate;

use super::form::Form;
use super::lists::Lists;
use super::message::Message;
use super::screens::{
    ByTeam, CaseScreen, ConferenceRoom, Conferences, Dashboard, Due, Help, StatsScreen,
};
use super::{App, Confirm, Effect, Session};
use crate::domain::model::ConferenceState;
use crate::domain::{Action, ActionId, CaseNumber, State};
use crate::keymap::{Action as Do, Context};

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

    /// The screens shown as tabs, with the action that jumps to each. Statistics has its key
    /// too, though Tab does not cycle to it (it reads every action).
    pub const TABS: [(Screen, Do); 5] = [
        (Screen::Dashboard, Do::ScreenDashboard),
        (Screen::ByTeam, Do::ScreenByTeam),
        (Screen::Due, Do::ScreenDue),
        (Screen::Conferences, Do::ScreenConferences),
        (Screen::Stats, Do::ScreenStats),
    ];

    /// The screen an action jumps to, if it is one of the tabs' keys.
    pub fn jumped_to_by(action: Do) -> Option<Screen> {
        Screen::TABS
            .iter()
            .find(|(_, key)| *key == action)
            .map(|(screen, _)| *screen)
    }
}

/// What every screen may read while it works: the records, the session's facts and the shared
/// lists.
#[derive(Clone, Copy)]
pub struct Cx<'a> {
    /// The records.
    pub state: &'a State,
    /// Language, today, the keymap, the page size, presentation mode.
    pub session: &'a Session,
    /// The lists the list screens share.
    pub lists: &'a Lists,
}

/// What a screen asks the app to do after a key.
// Requests are handled one at a time, so the size of the largest is no concern.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Request {
    /// Something for the runtime (a command for the store, records to read).
    Effect(Effect),
    /// Open a form over the screen.
    Form(Form),
    /// Ask yes or no.
    Ask(Confirm),
    /// Say what happened on the status line.
    Say(Message),
    /// Say what went wrong on the status line.
    Fail(Message),
    /// Show a case in full.
    OpenCase(CaseNumber),
    /// Show a conference (its preparation, its run or its recap).
    OpenConference(u32),
    /// Follow a running conference read-only.
    Follow(u32),
    /// Work the lists out again (the sort changed).
    Refresh,
}

/// A key shown on the status line when nothing else is said: the action, and its label in
/// Korean and English.
pub type Hint = (Do, &'static str, &'static str);

/// A screen: its state, its keys and what it shows. Every method but `act` and `hints` has a
/// default that suits a screen without a list.
pub trait Room {
    /// The keymap contexts in force on this screen (before the global one).
    fn contexts(&self, _cx: &Cx) -> &'static [Context] {
        &[Context::List]
    }

    /// The action the keys act on, if one is selected.
    fn selected_action(&self, _cx: &Cx) -> Option<ActionId> {
        None
    }

    /// The case the keys act on: the selected row's case, or the case shown.
    fn selected_case(&self, cx: &Cx) -> Option<CaseNumber> {
        self.selected_action(cx).map(|a| a.case)
    }

    /// An action's record as this screen knows it (the case screen also has finished ones).
    fn action_record(&self, cx: &Cx, id: ActionId) -> Option<Action> {
        cx.state.actions.get(&id).cloned()
    }

    /// What to say when a key needs an action and none is selected.
    fn no_action(&self) -> Message {
        Message::SelectAction
    }

    /// Moves the selection by `delta` rows (a page, or to either end, when large).
    fn move_by(&mut self, _cx: &Cx, _delta: isize) {}

    /// What `action` does here; `None` when it is not this screen's (the app's own keys then
    /// apply).
    fn act(&mut self, cx: &Cx, action: Do) -> Option<Vec<Request>>;

    /// The screen was jumped to by its key: what it needs read.
    fn entered(&mut self, _cx: &Cx) -> Vec<Request> {
        Vec::new()
    }

    /// Esc: true when the screen took it (leaving a pane).
    fn back(&mut self) -> bool {
        false
    }

    /// True when the filter applies to this screen's lists.
    fn filtered(&self) -> bool {
        false
    }

    /// True when this screen shows the action lists (By team, Due).
    fn needs_actions(&self) -> bool {
        false
    }

    /// Before the lists are worked out again: notes the records the selections are on.
    fn remember(&mut self, _cx: &Cx) {}

    /// After the lists or records changed: puts the selections back on their records.
    fn settle(&mut self, _cx: &Cx) {}

    /// The day changed from `old` to `new`.
    fn new_day(&mut self, _old: NaiveDate, _new: NaiveDate) {}

    /// What to read again after the records changed (`case`: the one that changed, when
    /// known); `shown` when this screen is on the screen.
    fn reread(&self, _shown: bool, _case: Option<CaseNumber>) -> Vec<Effect> {
        Vec::new()
    }

    /// The main keys, most useful first, for the status line.
    fn hints(&self, cx: &Cx) -> &'static [Hint];
}

/// Every screen's room.
#[derive(Debug)]
pub struct Screens {
    /// 대시보드.
    pub dashboard: Dashboard,
    /// 부서별.
    pub by_team: ByTeam,
    /// 기한.
    pub due: Due,
    /// 사례.
    pub case: CaseScreen,
    /// 도움말.
    pub help: Help,
    /// 사례회의 (the list).
    pub conferences: Conferences,
    /// One conference.
    pub conference: ConferenceRoom,
    /// 통계.
    pub stats: StatsScreen,
}

impl Screens {
    /// Every room in its first state; the calendar on `today`.
    pub fn new(today: NaiveDate) -> Screens {
        Screens {
            dashboard: Dashboard::default(),
            by_team: ByTeam::default(),
            due: Due::new(today),
            case: CaseScreen::default(),
            help: Help::default(),
            conferences: Conferences::default(),
            conference: ConferenceRoom::default(),
            stats: StatsScreen::default(),
        }
    }

    /// The room of `screen`: the one registration of screens.
    pub fn room(&self, screen: Screen) -> &dyn Room {
        match screen {
            Screen::Dashboard => &self.dashboard,
            Screen::ByTeam => &self.by_team,
            Screen::Due => &self.due,
            Screen::Case => &self.case,
            Screen::Help => &self.help,
            Screen::Conferences => &self.conferences,
            Screen::Conference => &self.conference,
            Screen::Stats => &self.stats,
        }
    }

    /// The room of `screen`, to change.
    pub fn room_mut(&mut self, screen: Screen) -> &mut dyn Room {
        match screen {
            Screen::Dashboard => &mut self.dashboard,
            Screen::ByTeam => &mut self.by_team,
            Screen::Due => &mut self.due,
            Screen::Case => &mut self.case,
            Screen::Help => &mut self.help,
            Screen::Conferences => &mut self.conferences,
            Screen::Conference => &mut self.conference,
            Screen::Stats => &mut self.stats,
        }
    }

    /// Every room, in the order of the screens.
    pub fn rooms_mut(&mut self) -> [&mut dyn Room; 8] {
        [
            &mut self.dashboard,
            &mut self.by_team,
            &mut self.due,
            &mut self.case,
            &mut self.help,
            &mut self.conferences,
            &mut self.conference,
            &mut self.stats,
        ]
    }

    /// Every room, with the screen it belongs to.
    pub fn rooms(&self) -> [(Screen, &dyn Room); 8] {
        [
            (Screen::Dashboard, &self.dashboard as &dyn Room),
            (Screen::ByTeam, &self.by_team),
            (Screen::Due, &self.due),
            (Screen::Case, &self.case),
            (Screen::Help, &self.help),
            (Screen::Conferences, &self.conferences),
            (Screen::Conference, &self.conference),
            (Screen::Stats, &self.stats),
        ]
    }
}

impl App {
    /// What the screens may read.
    pub fn cx<'a>(&'a self, state: &'a State) -> Cx<'a> {
        Cx {
            state,
            session: &self.session,
            lists: &self.lists,
        }
    }

    /// The room on the screen.
    pub fn room(&self) -> &dyn Room {
        self.screens.room(self.screen)
    }

    /// Runs `f` on the room on the screen, with what it may read.
    pub(super) fn with_room<T>(
        &mut self,
        state: &State,
        f: impl FnOnce(&mut dyn Room, &Cx) -> T,
    ) -> T {
        let cx = Cx {
            state,
            session: &self.session,
            lists: &self.lists,
        };
        f(self.screens.room_mut(self.screen), &cx)
    }

    /// Goes to `screen`, remembering where Esc comes back to.
    pub(super) fn go(&mut self, screen: Screen) {
        if self.screen != screen {
            if self.screen != Screen::Help {
                self.back.push(self.screen);
            }
            // Going from list to list does not pile up history.
            if Screen::CYCLE.contains(&screen) {
                self.back.retain(|s| !Screen::CYCLE.contains(s));
            }
            self.screen = screen;
        }
    }

    /// Esc: clears the filter on a list screen, leaves a pane, or goes back.
    pub(super) fn back_out(&mut self, state: &State) {
        if !self.lists.filter.is_empty() && self.room().filtered() {
            self.lists.filter.clear();
            self.refilter(state);
            return;
        }
        if self.screens.room_mut(self.screen).back() {
            return;
        }
        if let Some(previous) = self.back.pop() {
            self.screen = previous;
        } else if self.screen != Screen::Dashboard {
            self.screen = Screen::Dashboard;
        }
    }

    /// True while a running conference's clock is on the screen (it changes every second).
    pub fn clock_shown(&self) -> bool {
        self.screen == Screen::Conference
            && self.screens.conference.state == Some(ConferenceState::Running)
    }
}
