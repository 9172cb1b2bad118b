//! 부서별: each team's open actions, the team most behind first; the selection counts actions
//! only and jumps from team to team with the pane keys. Pure.

use crate::app::lists::Pick;
use crate::app::route::{Cx, Hint, Request, Room};
use crate::domain::ActionId;
use crate::keymap::Action as Do;

/// The By-team screen's state.
#[derive(Debug, Default)]
pub struct ByTeam {
    /// The selected action (counting actions only).
    pub pick: Pick<ActionId>,
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
