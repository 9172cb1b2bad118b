//! 대시보드: every open case in a table, sorted by next due date, level or number, with the
//! filter applied; the selection stays on its case as the table changes. Pure.

use crate::app::lists::{Pick, Sort};
use crate::app::route::{Cx, Hint, Request, Room};
use crate::domain::CaseNumber;
use crate::keymap::Action as Do;

/// The dashboard's state.
#[derive(Debug, Default)]
pub struct Dashboard {
    /// The table's order.
    pub sort: Sort,
    /// The selected row.
    pub pick: Pick<CaseNumber>,
    /// Set when the sort changed: the selection goes to the first row once the table is
    /// worked out again.
    resorted: bool,
}

impl Room for Dashboard {
    fn selected_case(&self, cx: &Cx) -> Option<CaseNumber> {
        cx.lists.view().cases.get(self.pick.index).map(|r| r.number)
    }

    fn move_by(&mut self, cx: &Cx, delta: isize) {
        self.pick.step(delta, cx.lists.view().cases.len());
    }

    fn act(&mut self, _cx: &Cx, action: Do) -> Option<Vec<Request>> {
        match action {
            Do::Sort => {
                self.sort = self.sort.next();
                self.resorted = true;
                Some(vec![Request::Refresh])
            }
            _ => None,
        }
    }

    fn filtered(&self) -> bool {
        true
    }

    fn remember(&mut self, cx: &Cx) {
        self.pick.note_if_any(self.selected_case(cx));
    }

    fn settle(&mut self, cx: &Cx) {
        let rows = &cx.lists.view().cases;
        self.pick.settle(rows.iter().map(|r| r.number), rows.len());
        if std::mem::take(&mut self.resorted) {
            self.pick.index = 0;
        }
    }

    fn hints(&self, _cx: &Cx) -> &'static [Hint] {
        &[
            (Do::Open, "열기", "open"),
            (Do::NewCase, "새 사례", "new case"),
            (Do::AddAction, "조치 추가", "add action"),
            (Do::AddNote, "기록", "note"),
            (Do::Filter, "필터", "filter"),
            (Do::Sort, "정렬", "sort"),
            (Do::Palette, "명령", "commands"),
            (Do::Presentation, "발표", "present"),
            (Do::Undo, "되돌리기", "undo"),
            (Do::Quit, "종료", "quit"),
        ]
    }
}
