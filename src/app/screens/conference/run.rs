//! Running a conference, projected: one item at a time, with one key each to record a
//! decision, an action, the review date, the level or the stage, to defer the item and to move
//! on; every entry is one store command, saved at once. Closing asks first. Pure.

use super::{apply, ask, key_for, no_new_actions};
use crate::app::MeetingStep;
use crate::app::form;
use crate::app::message::{Message, Question};
use crate::app::route::{Cx, Hint, Request};
use crate::domain::{Command, Conference};
use crate::keymap::Action as Do;

/// The run screen's state: everything it shows is in the records.
#[derive(Debug, Default)]
pub struct Run;

/// The keys shown while a conference runs.
pub(super) const HINTS: &[Hint] = &[
    (Do::Decision, "결정", "decision"),
    (Do::MeetingAction, "조치", "action"),
    (Do::SetReview, "점검일", "review"),
    (Do::SetLevel, "위기", "level"),
    (Do::SetStage, "단계", "stage"),
    (Do::MeetingConsent, "동의", "consent"),
    (Do::DeferItem, "보류", "defer"),
    (Do::ItemNext, "다음", "next"),
    (Do::ItemPrev, "이전", "previous"),
    (Do::Undo, "되돌리기", "undo"),
    (Do::CloseConference, "마치기", "close"),
    (Do::Help, "도움말", "help"),
];

impl Run {
    /// A key while `conf` runs; `None` when it is not one of the meeting's (or no item is up).
    pub(super) fn act(&mut self, cx: &Cx, conf: &Conference, action: Do) -> Option<Vec<Request>> {
        let lang = cx.session.lang;
        let state = cx.state;
        let id = conf.id;
        let item = conf.current_item()?;
        let case = item.case;
        let form = |form: Option<form::Form>| form.map(Request::Form).into_iter().collect();
        Some(match action {
            Do::Decision => vec![Request::Form(form::meeting::decision(id, case, lang))],
            Do::MeetingAction => {
                match form::action::add_action(state, case, lang)
                    .filter(|_| state.cases.get(&case).is_some_and(|c| c.is_open()))
                {
                    Some(mut form) => {
                        form.conference = Some(id);
                        vec![Request::Form(form)]
                    }
                    None => vec![no_new_actions()],
                }
            }
            Do::SetReview => form(form::meeting::review(state, case, Some(id), lang)),
            Do::SetLevel => form(form::meeting::level(state, case, Some(id), lang)),
            Do::SetStage => form(form::meeting::stage(state, case, Some(id), lang)),
            Do::DeferItem => {
                if item.deferred {
                    vec![Request::Fail(Message::AlreadyDeferred)]
                } else {
                    apply(
                        Command::DeferItem {
                            conference: id,
                            case,
                        },
                        MeetingStep::Defer,
                    )
                }
            }
            Do::ItemNext | Do::ItemPrev => {
                let to = if action == Do::ItemNext {
                    conf.current + 1
                } else {
                    conf.current.wrapping_sub(1)
                };
                match conf.agenda.get(to) {
                    Some(next) => apply(
                        Command::OpenItem {
                            conference: id,
                            case: next.case,
                        },
                        MeetingStep::Move,
                    ),
                    None if action == Do::ItemNext => vec![Request::Fail(Message::LastItem {
                        key: key_for(cx, Do::CloseConference),
                    })],
                    None => vec![Request::Fail(Message::FirstItem)],
                }
            }
            Do::MeetingConsent => {
                let mut consent = form::consent::consent_form(state, case, cx.session.today, lang);
                if let Some(f) = &mut consent {
                    f.conference = Some(id);
                }
                form(consent)
            }
            Do::OpenItemCase => vec![Request::OpenCase(case)],
            Do::AddItem => vec![Request::Form(form::conference::agenda_add(id, lang))],
            Do::CloseConference => ask(
                Question::Close {
                    id,
                    open: conf.agenda.iter().filter(|i| !i.touched()).count(),
                },
                Command::CloseConference { conference: id },
                MeetingStep::Close,
            ),
            _ => return None,
        })
    }
}
