//! Preparing a conference: the agenda (order, time budgets, cases added or dropped) and the
//! attendance (present or absent, teams and people added), two panes; every change is saved as
//! it is made. Starting it asks first. Pure.

use super::{apply, ask};
use crate::app::MeetingStep;
use crate::app::form::{self, planned};
use crate::app::lists::step;
use crate::app::message::{Message, Question};
use crate::app::route::{Cx, Hint, Request};
use crate::domain::limits::MAX_BUDGET_MINUTES;
use crate::domain::{CaseNumber, Command, Conference, ConferenceUpdate};
use crate::keymap::Action as Do;

/// Minutes one `+` or `-` adds to or takes from an item's time budget.
const BUDGET_STEP: u16 = 5;

/// Which part of the preparation screen has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrepPane {
    /// The agenda.
    #[default]
    Agenda,
    /// The attendance.
    Attendance,
}

/// The preparation screen's state.
#[derive(Debug, Default)]
pub struct Prepare {
    /// The pane with the keys.
    pub pane: PrepPane,
    /// The selected agenda item.
    pub agenda_sel: usize,
    /// The selected attendee.
    pub attend_sel: usize,
}

/// The keys shown while preparing.
pub(super) const HINTS: &[Hint] = &[
    (Do::StartConference, "시작", "start"),
    (Do::AddEntry, "추가", "add"),
    (Do::RemoveEntry, "빼기", "remove"),
    (Do::ItemUp, "위로", "up"),
    (Do::ItemDown, "아래로", "down"),
    (Do::BudgetMore, "+5분", "+5 min"),
    (Do::BudgetLess, "-5분", "-5 min"),
    (Do::PaneNext, "참석 칸", "attendance"),
    (Do::TogglePresent, "참석", "present"),
    (Do::EditDetails, "정보", "details"),
    (Do::Undo, "되돌리기", "undo"),
];

impl Prepare {
    /// The selected agenda item's case.
    pub(super) fn selected_case(&self, conf: &Conference) -> Option<CaseNumber> {
        conf.agenda.get(self.agenda_sel).map(|i| i.case)
    }

    /// Keeps the selections within `conf`'s lists.
    pub(super) fn settle(&mut self, conf: &Conference) {
        self.agenda_sel = self.agenda_sel.min(conf.agenda.len().saturating_sub(1));
        self.attend_sel = self.attend_sel.min(conf.attendees.len().saturating_sub(1));
    }

    pub(super) fn move_by(&mut self, conf: &Conference, delta: isize) {
        match self.pane {
            PrepPane::Attendance => {
                self.attend_sel = step(self.attend_sel, delta, conf.attendees.len())
            }
            PrepPane::Agenda => self.agenda_sel = step(self.agenda_sel, delta, conf.agenda.len()),
        }
    }

    /// A key while `conf` is prepared; `None` when it is not one of the preparation's.
    pub(super) fn act(&mut self, cx: &Cx, conf: &Conference, action: Do) -> Option<Vec<Request>> {
        let lang = cx.session.lang;
        let id = conf.id;
        let on_agenda = self.pane == PrepPane::Agenda;
        let sel = self.agenda_sel;
        let mut agenda = planned(conf);
        let agenda_change = |agenda| {
            apply(
                Command::UpdateConference {
                    conference: id,
                    change: ConferenceUpdate {
                        agenda: Some(agenda),
                        ..ConferenceUpdate::default()
                    },
                },
                MeetingStep::Prepare,
            )
        };
        Some(match action {
            Do::Amend => vec![Request::Fail(Message::AmendClosedOnly)],
            Do::ItemUp | Do::ItemDown if on_agenda => {
                let to = if action == Do::ItemUp {
                    sel.checked_sub(1)
                } else {
                    Some(sel + 1).filter(|t| *t < agenda.len())
                };
                match to {
                    Some(to) if sel < agenda.len() => {
                        agenda.swap(sel, to);
                        self.agenda_sel = to;
                        agenda_change(agenda)
                    }
                    _ => Vec::new(),
                }
            }
            Do::BudgetMore | Do::BudgetLess if on_agenda => match agenda.get_mut(sel) {
                Some(item) => {
                    let minutes = if action == Do::BudgetMore {
                        item.budget_minutes.saturating_add(BUDGET_STEP)
                    } else {
                        item.budget_minutes.saturating_sub(BUDGET_STEP)
                    }
                    .clamp(BUDGET_STEP, MAX_BUDGET_MINUTES);
                    if minutes == item.budget_minutes {
                        return Some(Vec::new());
                    }
                    item.budget_minutes = minutes;
                    agenda_change(agenda)
                }
                None => Vec::new(),
            },
            Do::AddEntry if on_agenda => {
                vec![Request::Form(form::conference::agenda_add(id, lang))]
            }
            Do::AddEntry => vec![Request::Form(form::conference::attendee_add(
                cx.state, id, lang,
            ))],
            Do::RemoveEntry if on_agenda => {
                if sel < agenda.len() {
                    agenda.remove(sel);
                    agenda_change(agenda)
                } else {
                    Vec::new()
                }
            }
            Do::RemoveEntry | Do::TogglePresent if !on_agenda => {
                let mut attendees = conf.attendees.clone();
                let at = self.attend_sel;
                if at >= attendees.len() {
                    return Some(Vec::new());
                }
                if action == Do::RemoveEntry {
                    attendees.remove(at);
                } else if let Some(a) = attendees.get_mut(at) {
                    a.present = !a.present;
                }
                apply(
                    Command::UpdateConference {
                        conference: id,
                        change: ConferenceUpdate {
                            attendees: Some(attendees),
                            ..ConferenceUpdate::default()
                        },
                    },
                    MeetingStep::Prepare,
                )
            }
            Do::TogglePresent => vec![Request::Fail(Message::AttendancePane)],
            Do::EditDetails => form::conference::conference_details(cx.state, id, lang)
                .map(Request::Form)
                .into_iter()
                .collect(),
            Do::StartConference => ask(
                Question::Start {
                    id,
                    items: conf.agenda.len(),
                    present: conf.attendees.iter().filter(|a| a.present).count(),
                    attendees: conf.attendees.len(),
                },
                Command::StartConference { conference: id },
                MeetingStep::Start,
            ),
            Do::PaneNext | Do::PanePrev => {
                self.pane = match self.pane {
                    PrepPane::Agenda => PrepPane::Attendance,
                    PrepPane::Attendance => PrepPane::Agenda,
                };
                Vec::new()
            }
            _ => return None,
        })
    }
}
