//! 통계: the month's figures, counted from the cases in memory and every action read from the
//! store; the pane keys go to the previous and next month. Pure.

use chrono::{Datelike, Months, NaiveDate};

use crate::app::Effect;
use crate::app::route::{Cx, Hint, Request, Room};
use crate::domain::stats::{MonthStats, month_stats};
use crate::domain::{Action, CaseNumber, State};
use crate::keymap::Action as Do;

/// The statistics screen's month and its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsView {
    /// First day of the month shown.
    pub month: NaiveDate,
    /// Its figures, once the actions are read.
    pub stats: Option<MonthStats>,
    /// Every action as last read, so other months are counted without reading them again.
    pub actions: Vec<Action>,
}

/// The statistics screen's state.
#[derive(Debug, Default)]
pub struct StatsScreen {
    /// The month shown, once the screen was opened.
    pub shown: Option<StatsView>,
}

/// The first day of `day`'s month.
pub fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

impl StatsScreen {
    /// Shows `month` and asks for the actions to count it (the records may have changed since
    /// they were last read).
    fn load(&mut self, month: NaiveDate) -> Vec<Request> {
        match &mut self.shown {
            Some(view) => view.month = month,
            None => {
                self.shown = Some(StatsView {
                    month,
                    stats: None,
                    actions: Vec::new(),
                })
            }
        }
        vec![Request::Effect(Effect::LoadStats(month))]
    }

    /// Counts `month` from the cases in `state` and every action.
    pub fn count(
        &mut self,
        state: &State,
        month: NaiveDate,
        actions: Vec<Action>,
        today: NaiveDate,
    ) {
        let mut stats = month_stats(
            state.cases.values(),
            &actions,
            state.conferences.values(),
            month,
            today,
        );
        stats.count_referrals(&actions, |t| {
            state
                .teams
                .get(t)
                .is_some_and(|t| t.kind == crate::domain::vocab::TeamKind::External)
        });
        self.shown = Some(StatsView {
            month,
            stats: Some(stats),
            actions,
        });
    }

    fn month(&self, today: NaiveDate) -> NaiveDate {
        self.shown
            .as_ref()
            .map_or_else(|| month_start(today), |s| s.month)
    }
}

impl Room for StatsScreen {
    fn act(&mut self, cx: &Cx, action: Do) -> Option<Vec<Request>> {
        let (Do::PaneNext | Do::PanePrev) = action else {
            return None;
        };
        let month = self.month(cx.session.today);
        let moved = if action == Do::PaneNext {
            month.checked_add_months(Months::new(1))
        } else {
            month.checked_sub_months(Months::new(1))
        };
        let moved = moved.unwrap_or(month);
        Some(match self.shown.take() {
            // Another month of the same records: counted from the actions already read.
            Some(view) if view.stats.is_some() => {
                self.count(cx.state, moved, view.actions, cx.session.today);
                Vec::new()
            }
            other => {
                self.shown = other;
                self.load(moved)
            }
        })
    }

    fn entered(&mut self, cx: &Cx) -> Vec<Request> {
        let month = self.month(cx.session.today);
        self.load(month)
    }

    fn reread(&self, shown: bool, _case: Option<CaseNumber>) -> Vec<Effect> {
        match &self.shown {
            Some(view) if shown => vec![Effect::LoadStats(view.month)],
            _ => Vec::new(),
        }
    }

    fn hints(&self, _cx: &Cx) -> &'static [Hint] {
        &[
            (Do::PanePrev, "지난달", "previous month"),
            (Do::PaneNext, "다음 달", "next month"),
            (Do::ScreenDashboard, "대시보드", "dashboard"),
            (Do::Back, "뒤로", "back"),
            (Do::Help, "도움말", "help"),
            (Do::Quit, "종료", "quit"),
        ]
    }
}
