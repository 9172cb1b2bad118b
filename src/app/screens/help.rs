//! 도움말: every binding in force, by context, generated from the keymap; it scrolls. Pure.

use crate::app::lists::step;
use crate::app::route::{Cx, Hint, Request, Room};
use crate::keymap::Action as Do;

/// The help screen's state.
#[derive(Debug, Default)]
pub struct Help {
    /// The first line shown.
    pub scroll: usize,
}

impl Room for Help {
    fn move_by(&mut self, cx: &Cx, delta: isize) {
        let lines = cx
            .session
            .keymap
            .bindings()
            .iter()
            .map(|(_, b)| b.len() + 2)
            .sum();
        self.scroll = step(self.scroll, delta, lines);
    }

    fn act(&mut self, _cx: &Cx, _action: Do) -> Option<Vec<Request>> {
        None
    }

    fn entered(&mut self, _cx: &Cx) -> Vec<Request> {
        self.scroll = 0;
        Vec::new()
    }

    fn hints(&self, _cx: &Cx) -> &'static [Hint] {
        &[
            (Do::Back, "닫기", "close"),
            (Do::MoveDown, "아래", "down"),
            (Do::Quit, "종료", "quit"),
        ]
    }
}
