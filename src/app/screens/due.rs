//! 기한: open actions grouped overdue / today / this week / later, a month calendar, and the
//! list of the calendar day's actions; three panes, each with its keys. Pure.

use chrono::{Duration, Months, NaiveDate};

use crate::app::lists::Pick;
use crate::app::route::{Cx, Hint, Request, Room};
use crate::domain::ActionId;
use crate::keymap::{Action as Do, Context};

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

/// The Due screen's state.
#[derive(Debug)]
pub struct Due {
    /// The pane with the keys.
    pub pane: DuePane,
    /// The selected action in the groups.
    pub pick: Pick<ActionId>,
    /// The calendar's day.
    pub day: NaiveDate,
    /// The selected action in the day's list.
    pub day_pick: Pick<ActionId>,
}

impl Due {
    /// The Due screen with the calendar on `today`.
    pub fn new(today: NaiveDate) -> Due {
        Due {
            pane: DuePane::default(),
            pick: Pick::default(),
            day: today,
            day_pick: Pick::default(),
        }
    }

    fn move_day(&mut self, by: Duration) {
        if let Some(day) = self.day.checked_add_signed(by) {
            self.day = day;
            self.day_pick.index = 0;
        }
    }
}

impl Room for Due {
    fn contexts(&self, _cx: &Cx) -> &'static [Context] {
        if self.pane == DuePane::Calendar {
            &[Context::Calendar, Context::List]
        } else {
            &[Context::List]
        }
    }

    fn selected_action(&self, cx: &Cx) -> Option<ActionId> {
        match self.pane {
            DuePane::Groups => cx.lists.due_actions().get(self.pick.index).map(|(_, a)| *a),
            DuePane::Day => cx
                .lists
                .actions_on(cx.state, self.day)
                .get(self.day_pick.index)
                .copied(),
            DuePane::Calendar => None,
        }
    }

    fn move_by(&mut self, cx: &Cx, delta: isize) {
        match self.pane {
            DuePane::Groups => self.pick.step(delta, cx.lists.due_actions().len()),
            DuePane::Day => {
                let len = cx.lists.actions_on(cx.state, self.day).len();
                self.day_pick.step(delta, len);
            }
            DuePane::Calendar => {}
        }
    }

    fn act(&mut self, cx: &Cx, action: Do) -> Option<Vec<Request>> {
        match action {
            // Enter on a day goes to its list of actions.
            Do::Open if self.pane == DuePane::Calendar => {
                self.pane = DuePane::Day;
                self.day_pick.index = 0;
            }
            Do::PaneNext | Do::PanePrev => {
                const ORDER: [DuePane; 3] = [DuePane::Groups, DuePane::Calendar, DuePane::Day];
                let i = ORDER.iter().position(|p| *p == self.pane).unwrap_or(0);
                let next = if action == Do::PaneNext {
                    (i + 1) % 3
                } else {
                    (i + 2) % 3
                };
                self.pane = ORDER.get(next).copied().unwrap_or_default();
            }
            Do::DayNext => self.move_day(Duration::days(1)),
            Do::DayPrev => self.move_day(Duration::days(-1)),
            Do::WeekNext => self.move_day(Duration::days(7)),
            Do::WeekPrev => self.move_day(Duration::days(-7)),
            Do::MonthNext => {
                self.day = self
                    .day
                    .checked_add_months(Months::new(1))
                    .unwrap_or(self.day)
            }
            Do::MonthPrev => {
                self.day = self
                    .day
                    .checked_sub_months(Months::new(1))
                    .unwrap_or(self.day)
            }
            Do::GoToday => self.day = cx.session.today,
            _ => return None,
        }
        Some(Vec::new())
    }

    fn back(&mut self) -> bool {
        if self.pane == DuePane::Groups {
            return false;
        }
        self.pane = DuePane::Groups;
        true
    }

    fn filtered(&self) -> bool {
        true
    }

    fn needs_actions(&self) -> bool {
        true
    }

    fn remember(&mut self, cx: &Cx) {
        if cx.lists.view().actions_ready {
            self.pick
                .note(cx.lists.due_actions().get(self.pick.index).map(|(_, a)| *a));
            self.day_pick.note(
                cx.lists
                    .actions_on(cx.state, self.day)
                    .get(self.day_pick.index)
                    .copied(),
            );
        }
    }

    fn settle(&mut self, cx: &Cx) {
        if cx.lists.view().actions_ready {
            let due = cx.lists.due_actions();
            self.pick.settle(due.iter().map(|(_, a)| *a), due.len());
            let day = cx.lists.actions_on(cx.state, self.day);
            self.day_pick.settle(day.iter().copied(), day.len());
        }
    }

    fn new_day(&mut self, old: NaiveDate, new: NaiveDate) {
        if self.day == old {
            self.day = new;
        }
    }

    fn hints(&self, _cx: &Cx) -> &'static [Hint] {
        if self.pane == DuePane::Calendar {
            return &[
                (Do::DayNext, "다음 날", "next day"),
                (Do::WeekNext, "다음 주", "next week"),
                (Do::MonthNext, "다음 달", "next month"),
                (Do::GoToday, "오늘", "today"),
                (Do::Open, "그날 조치", "that day's actions"),
                (Do::Back, "달력 나가기", "leave calendar"),
            ];
        }
        &[
            (Do::Open, "열기", "open"),
            (Do::ActionDone, "완료", "done"),
            (Do::ActionNote, "경과", "progress"),
            (Do::Edit, "수정", "edit"),
            (Do::ActionDrop, "취소", "drop"),
            (Do::Filter, "필터", "filter"),
            (Do::PaneNext, "달력", "calendar"),
            (Do::Palette, "명령", "commands"),
            (Do::Undo, "되돌리기", "undo"),
            (Do::Quit, "종료", "quit"),
        ]
    }
}
