//! Preparing a conference — and rearranging it while it runs: the agenda (order, time budgets,
//! cases added or dropped, deferred once it runs), the cases also due below its line (each put
//! on with one key) and the attendance (present, late, left early or absent; teams, school
//! staff, family and new agencies added), two panes; every change is saved as it is made.
//! Starting it asks first. Pure.

use super::{apply, ask};
use crate::app::MeetingStep;
use crate::app::form::{self, planned};
use crate::app::lists::step;
use crate::app::message::{Message, Question};
use crate::app::route::{Cx, Hint, Request};
use crate::domain::limits::MAX_BUDGET_MINUTES;
use crate::domain::model::{ConferenceState, Presence};
use crate::domain::{CaseNumber, Command, Conference, ConferenceUpdate, State};
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
    /// The selected row of the agenda pane: an agenda item, or past them one of the cases
    /// also due.
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
    (Do::AllPresent, "모두 참석", "all present"),
    (Do::AddAgency, "새 기관", "new agency"),
    (Do::EditDetails, "정보", "details"),
    (Do::Undo, "되돌리기", "undo"),
];

/// The keys shown while a running conference is rearranged.
pub(super) const ARRANGE_HINTS: &[Hint] = &[
    (Do::Back, "회의로", "back to the meeting"),
    (Do::ItemUp, "위로", "up"),
    (Do::ItemDown, "아래로", "down"),
    (Do::RemoveEntry, "빼기", "drop"),
    (Do::DeferEntry, "보류", "defer"),
    (Do::AddEntry, "추가", "add"),
    (Do::PaneNext, "참석 칸", "attendance"),
    (Do::TogglePresent, "참석", "present"),
    (Do::AttendanceTiming, "지각·조퇴", "late/left"),
    (Do::AddAgency, "새 기관", "new agency"),
];

impl Prepare {
    /// The selected agenda item's case (or the case also due that is selected).
    pub(super) fn selected_case(
        &self,
        state: &State,
        session: &crate::app::Session,
        conf: &Conference,
    ) -> Option<CaseNumber> {
        match conf.agenda.get(self.agenda_sel) {
            Some(item) => Some(item.case),
            None => state
                .also_due(conf, &session.referrals, &session.calendar)
                .get(self.agenda_sel - conf.agenda.len())
                .map(|p| p.case),
        }
    }

    /// Rows in the agenda pane: the agenda, then the cases also due.
    fn agenda_rows(state: &State, session: &crate::app::Session, conf: &Conference) -> usize {
        conf.agenda.len()
            + state
                .also_due(conf, &session.referrals, &session.calendar)
                .len()
    }

    /// Keeps the selections within `conf`'s lists.
    pub(super) fn settle(
        &mut self,
        state: &State,
        session: &crate::app::Session,
        conf: &Conference,
    ) {
        self.agenda_sel = self
            .agenda_sel
            .min(Self::agenda_rows(state, session, conf).saturating_sub(1));
        self.attend_sel = self.attend_sel.min(conf.attendees.len().saturating_sub(1));
    }

    pub(super) fn move_by(
        &mut self,
        state: &State,
        session: &crate::app::Session,
        conf: &Conference,
        delta: isize,
    ) {
        match self.pane {
            PrepPane::Attendance => {
                self.attend_sel = step(self.attend_sel, delta, conf.attendees.len())
            }
            PrepPane::Agenda => {
                self.agenda_sel = step(
                    self.agenda_sel,
                    delta,
                    Self::agenda_rows(state, session, conf),
                )
            }
        }
    }

    /// A key while `conf` is prepared; `None` when it is not one of the preparation's.
    pub(super) fn act(&mut self, cx: &Cx, conf: &Conference, action: Do) -> Option<Vec<Request>> {
        let lang = cx.session.lang;
        let id = conf.id;
        let on_agenda = self.pane == PrepPane::Agenda;
        let running = conf.state == ConferenceState::Running;
        let step = if running {
            MeetingStep::Arrange
        } else {
            MeetingStep::Prepare
        };
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
                step,
            )
        };
        let attendance_change = |attendees| {
            apply(
                Command::UpdateConference {
                    conference: id,
                    change: ConferenceUpdate {
                        attendees: Some(attendees),
                        ..ConferenceUpdate::default()
                    },
                },
                step,
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
            // Below the line: the case also due goes on the agenda as it was proposed.
            Do::AddEntry if on_agenda && sel >= agenda.len() => {
                match cx
                    .state
                    .also_due(conf, &cx.session.referrals, &cx.session.calendar)
                    .get(sel - agenda.len())
                {
                    Some(item) => {
                        agenda.push(item.clone());
                        // The selection stays on the line below, where the next one now is.
                        self.agenda_sel = sel + 1;
                        agenda_change(agenda)
                    }
                    None => Vec::new(),
                }
            }
            Do::AddEntry if on_agenda => {
                vec![Request::Form(form::conference::agenda_add(id, lang))]
            }
            Do::AddEntry => vec![Request::Form(form::conference::attendee_add(
                cx.state, id, lang,
            ))],
            Do::AddAgency => vec![Request::Form(form::conference::agency_add(id, lang))],
            Do::RemoveEntry if on_agenda => {
                if sel < agenda.len() {
                    agenda.remove(sel);
                    agenda_change(agenda)
                } else {
                    Vec::new()
                }
            }
            Do::DeferEntry if on_agenda => match conf.agenda.get(sel) {
                Some(_) if !running => vec![Request::Fail(Message::DeferWhileRunning)],
                Some(item) if item.deferred => vec![Request::Fail(Message::AlreadyDeferred)],
                Some(item) => apply(
                    Command::DeferItem {
                        conference: id,
                        case: item.case,
                    },
                    MeetingStep::Defer,
                ),
                None => Vec::new(),
            },
            Do::RemoveEntry | Do::TogglePresent | Do::AttendanceTiming if !on_agenda => {
                let mut attendees = conf.attendees.clone();
                let at = self.attend_sel;
                if at >= attendees.len() {
                    return Some(Vec::new());
                }
                if action == Do::RemoveEntry {
                    attendees.remove(at);
                } else if let Some(a) = attendees.get_mut(at) {
                    a.status = if action == Do::TogglePresent {
                        a.status.toggled()
                    } else {
                        a.status.timing()
                    };
                }
                attendance_change(attendees)
            }
            Do::AllPresent => {
                let mut attendees = conf.attendees.clone();
                let mut changed = false;
                for a in attendees
                    .iter_mut()
                    .filter(|a| a.status == Presence::Absent)
                {
                    a.status = Presence::Present;
                    changed = true;
                }
                if changed {
                    attendance_change(attendees)
                } else {
                    Vec::new()
                }
            }
            Do::TogglePresent | Do::AttendanceTiming => {
                vec![Request::Fail(Message::AttendancePane)]
            }
            Do::EditDetails => form::conference::conference_details(cx.state, id, lang)
                .map(Request::Form)
                .into_iter()
                .collect(),
            Do::StartConference if running => Vec::new(),
            Do::StartConference => ask(
                Question::Start {
                    id,
                    items: conf.agenda.len(),
                    present: conf.attendees.iter().filter(|a| a.present()).count(),
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
