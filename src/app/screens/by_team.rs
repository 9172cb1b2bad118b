//! 부서별: each team's open actions, the team most behind first; the selection counts actions
//! only and jumps from team to team with the pane keys. Pure.

use chrono::NaiveDate;

use crate::app::Effect;
use crate::app::lists::Pick;
use crate::app::route::{Cx, Hint, Request, Room};
use crate::domain::{Action, ActionId, CaseNumber};
use crate::keymap::Action as Do;

/// How many days back the By-team screen shows what each team finished.
pub const RECENT_DAYS: u64 = 14;

/// The By-team screen's state.
#[derive(Debug, Default)]
pub struct ByTeam {
    /// The selected action (counting actions only).
    pub pick: Pick<ActionId>,
    /// Actions finished or dropped in the last `RECENT_DAYS` days, newest first (read when
    /// the screen is entered and after every change while it is shown).
    pub recent: Vec<Action>,
    /// The first day `recent` covers.
    pub since: Option<NaiveDate>,
}

impl ByTeam {
    /// The finished actions were read: keeps those finished since the first day it covers.
    pub fn loaded(&mut self, since: NaiveDate, mut actions: Vec<Action>) {
        actions.retain(|a| !a.is_open() && a.closed_on.is_some_and(|d| d >= since));
        actions.sort_by(|a, b| b.closed_on.cmp(&a.closed_on).then(a.id.cmp(&b.id)));
        self.since = Some(since);
        self.recent = actions;
    }
}

impl Room for ByTeam {
    fn selected_action(&self, cx: &Cx) -> Option<ActionId> {
        cx.lists
            .team_actions()
            .get(self.pick.index)
            .map(|(_, a)| *a)
    }

    fn move_by(&mut self, cx: &Cx, delta: isize) {
        self.pick.step(delta, cx.lists.team_actions().len());
    }

    fn act(&mut self, cx: &Cx, action: Do) -> Option<Vec<Request>> {
        match action {
            Do::PaneNext | Do::PanePrev => {
                // Jump to the first action of the next (or previous) team.
                let rows = cx.lists.team_actions();
                let current = rows.get(self.pick.index).map_or(0, |(t, _)| *t);
                let target = if action == Do::PaneNext {
                    current + 1
                } else {
                    current.saturating_sub(1)
                };
                if let Some(i) = rows.iter().position(|(t, _)| *t == target) {
                    self.pick.index = i;
                }
                Some(Vec::new())
            }
            _ => None,
        }
    }

    fn entered(&mut self, cx: &Cx) -> Vec<Request> {
        let since = cx
            .session
            .today
            .checked_sub_days(chrono::Days::new(RECENT_DAYS))
            .unwrap_or(cx.session.today);
        self.since = Some(since);
        vec![Request::Effect(Effect::LoadFinished(since))]
    }

    fn reread(&self, shown: bool, _case: Option<CaseNumber>) -> Vec<Effect> {
        match self.since {
            Some(since) if shown => vec![Effect::LoadFinished(since)],
            _ => Vec::new(),
        }
    }

    fn filtered(&self) -> bool {
        true
    }

    fn needs_actions(&self) -> bool {
        true
    }

    fn remember(&mut self, cx: &Cx) {
        if cx.lists.view().actions_ready {
            self.pick.note(self.selected_action(cx));
        }
    }

    fn settle(&mut self, cx: &Cx) {
        if cx.lists.view().actions_ready {
            let rows = cx.lists.team_actions();
            self.pick.settle(rows.iter().map(|(_, a)| *a), rows.len());
        }
    }

    fn hints(&self, _cx: &Cx) -> &'static [Hint] {
        &[
            (Do::Open, "열기", "open"),
            (Do::ActionDone, "완료", "done"),
            (Do::ActionNote, "경과", "progress"),
            (Do::Edit, "수정", "edit"),
            (Do::ActionDrop, "취소", "drop"),
            (Do::Filter, "필터", "filter"),
            (Do::PaneNext, "다음 부서", "next team"),
            (Do::Palette, "명령", "commands"),
            (Do::Undo, "되돌리기", "undo"),
            (Do::Quit, "종료", "quit"),
        ]
    }
}
