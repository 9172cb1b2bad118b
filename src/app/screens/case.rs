//! 사례: one case in full — its actions, finished ones too, and its timeline — read from the
//! store when it opens and again after every change. Pure.

use crate::app::Effect;
use crate::app::lists::step;
use crate::app::message::Message;
use crate::app::route::{Cx, Hint, Request, Room};
use crate::domain::{Action, ActionId, CaseNumber, Note, State};
use crate::keymap::Action as Do;

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

/// The case screen's state.
#[derive(Debug, Default)]
pub struct CaseScreen {
    /// The case shown, once read (`None` while it is read).
    pub shown: Option<CaseView>,
}

impl CaseScreen {
    /// Case `number` is about to be read: what is shown of another case goes.
    pub fn open(&mut self, number: CaseNumber) {
        if self.shown.as_ref().is_none_or(|c| c.number != number) {
            self.shown = None;
        }
    }

    /// A case was read: shown, keeping the pane and the selection when it is the same case.
    pub fn loaded(&mut self, number: CaseNumber, actions: Vec<Action>, notes: Vec<Note>) {
        let keep = self.shown.as_ref().filter(|c| c.number == number);
        let mut view = CaseView {
            number,
            actions,
            notes,
            pane: keep.map_or(CasePane::Actions, |c| c.pane),
            action_sel: keep.map_or(0, |c| c.action_sel),
            timeline_scroll: keep.map_or(0, |c| c.timeline_scroll),
        };
        view.action_sel = view.action_sel.min(view.actions.len().saturating_sub(1));
        self.shown = Some(view);
    }
}

/// Entries a case's timeline has besides notes (level and stage changes, its own and those of
/// the cases merged into it).
pub fn case_history_len(state: &State, number: CaseNumber) -> usize {
    std::iter::once(number)
        .chain(state.merged_into(number))
        .filter_map(|n| state.cases.get(&n))
        .map(|c| c.level_history.len() + c.stage_history.len())
        .sum()
}

/// When the case shown was merged into another: it and the case it lives on now.
pub fn merged_pointer(state: &State, shown: Option<&CaseView>) -> Option<(CaseNumber, CaseNumber)> {
    let number = shown?.number;
    state
        .cases
        .get(&number)?
        .merged_into
        .map(|_| (number, state.merge_target(number)))
}

/// True for the keys that record something on a case (refused on a merged one).
fn records_on_case(action: Do) -> bool {
    matches!(
        action,
        Do::AddAction
            | Do::Edit
            | Do::EditCase
            | Do::Consent
            | Do::ActionDone
            | Do::ActionDrop
            | Do::ActionNote
            | Do::ActionSession
            | Do::ActionReferral
            | Do::AddNote
            | Do::MergeCase
    )
}

impl Room for CaseScreen {
    fn selected_case(&self, _cx: &Cx) -> Option<CaseNumber> {
        self.shown.as_ref().map(|c| c.number)
    }

    fn selected_action(&self, _cx: &Cx) -> Option<ActionId> {
        let case = self.shown.as_ref()?;
        if case.pane == CasePane::Actions {
            case.actions.get(case.action_sel).map(|a| a.id)
        } else {
            None
        }
    }

    fn action_record(&self, cx: &Cx, id: ActionId) -> Option<Action> {
        cx.state.actions.get(&id).cloned().or_else(|| {
            self.shown
                .as_ref()
                .and_then(|c| c.actions.iter().find(|a| a.id == id).cloned())
        })
    }

    fn no_action(&self) -> Message {
        Message::SelectActionInPane
    }

    fn move_by(&mut self, cx: &Cx, delta: isize) {
        if let Some(case) = &mut self.shown {
            match case.pane {
                CasePane::Actions => {
                    case.action_sel = step(case.action_sel, delta, case.actions.len())
                }
                CasePane::Timeline => {
                    let len = case.notes.len() + case_history_len(cx.state, case.number);
                    case.timeline_scroll = step(case.timeline_scroll, delta, len);
                }
            }
        }
    }

    fn act(&mut self, cx: &Cx, action: Do) -> Option<Vec<Request>> {
        // A merged case is only a pointer: Enter goes to the case it lives on, and nothing is
        // recorded on it.
        if let Some((case, into)) = merged_pointer(cx.state, self.shown.as_ref()) {
            if action == Do::Open {
                return Some(vec![Request::OpenCase(into)]);
            }
            if records_on_case(action) {
                return Some(vec![Request::Fail(Message::MergedCase { case, into })]);
            }
        }
        match action {
            // The case is open already.
            Do::Open => Some(Vec::new()),
            Do::PaneNext | Do::PanePrev => {
                if let Some(case) = &mut self.shown {
                    case.pane = match case.pane {
                        CasePane::Actions => CasePane::Timeline,
                        CasePane::Timeline => CasePane::Actions,
                    };
                }
                Some(Vec::new())
            }
            _ => None,
        }
    }

    fn settle(&mut self, _cx: &Cx) {
        if let Some(case) = &mut self.shown {
            case.action_sel = case.action_sel.min(case.actions.len().saturating_sub(1));
        }
    }

    fn reread(&self, _shown: bool, case: Option<CaseNumber>) -> Vec<Effect> {
        match &self.shown {
            Some(open) if case.is_none_or(|c| c == open.number) => {
                vec![Effect::LoadCase(open.number)]
            }
            _ => Vec::new(),
        }
    }

    fn hints(&self, cx: &Cx) -> &'static [Hint] {
        if merged_pointer(cx.state, self.shown.as_ref()).is_some() {
            return &[
                (Do::Open, "병합된 사례로", "go to the kept case"),
                (Do::Back, "뒤로", "back"),
                (Do::PaneNext, "경과 칸", "timeline"),
                (Do::Help, "도움말", "help"),
            ];
        }
        if self
            .shown
            .as_ref()
            .is_some_and(|c| c.pane == CasePane::Timeline)
        {
            return &[
                (Do::Back, "뒤로", "back"),
                (Do::MoveDown, "아래", "down"),
                (Do::PaneNext, "조치 칸", "actions"),
                (Do::AddNote, "기록", "note"),
                (Do::EditCase, "사례 수정", "edit case"),
                (Do::Consent, "동의", "consent"),
                (Do::AddAction, "조치 추가", "add action"),
                (Do::Undo, "되돌리기", "undo"),
                (Do::Help, "도움말", "help"),
            ];
        }
        &[
            // Most used first: the line is cut at the screen's edge (help lists every key).
            (Do::Back, "뒤로", "back"),
            (Do::ActionDone, "완료", "done"),
            (Do::ActionNote, "경과", "progress"),
            (Do::AddAction, "조치 추가", "add action"),
            (Do::EditCase, "사례 수정", "edit case"),
            (Do::Consent, "동의", "consent"),
            (Do::AddNote, "기록", "note"),
            (Do::Edit, "조치 수정", "edit action"),
            (Do::ActionDrop, "조치 취소", "drop"),
            (Do::ActionReferral, "의뢰 상태", "referral"),
            (Do::PaneNext, "경과 칸", "timeline"),
            (Do::Undo, "되돌리기", "undo"),
            (Do::Help, "도움말", "help"),
            // Rare: shown only where the line is long enough (help and the palette list it).
            (Do::MergeCase, "병합", "merge"),
        ]
    }
}
