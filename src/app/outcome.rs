//! What comes back from the store: a saved change (what to say, what `u` can take back, what
//! to read again), a refusal decided on by its kind, and the changes other people make. Pure.

use super::form::FormKind;
use super::{
    Answer, App, Confirm, Effect, Failure, FormError, Intent, MeetingStep, Message, Question,
    Saved, Undo,
};
use crate::backend::{BackendError, Receipt, Remote};
use crate::domain::revision::ChangeKind;
use crate::domain::{CaseNumber, Command, Outcome, State};

impl App {
    /// A command came back: saved, or refused.
    pub(super) fn applied(
        &mut self,
        state: &State,
        result: Result<Receipt, BackendError>,
        intent: Intent,
    ) -> Vec<Effect> {
        match result {
            Ok(receipt) => self.saved(state, receipt, intent),
            Err(e) => {
                self.refused(Failure::from(e), &intent);
                Vec::new()
            }
        }
    }

    /// A command that did not go through; nothing was changed. What is said depends on the
    /// kind (a changed record names who changed what, a lost connection says to look before
    /// trying again, …); what was typed is always kept.
    fn refused(&mut self, failure: Failure, intent: &Intent) {
        // A failed undo (the record changed since, a rule or role refused it), or a store that
        // takes no more changes until it is opened again: later undos rest on what can no
        // longer be done, so none is offered any more.
        if *intent == Intent::Undo || failure.store_stopped() {
            self.undo.clear();
        }
        match &mut self.form {
            // The form stays open with what was typed and says why.
            Some(form) => form.error = Some(FormError::Failed(failure)),
            None => self.fail(Message::Failed(failure)),
        }
    }

    /// A command that went through: the lists, the undo list, what to say and what to read.
    fn saved(&mut self, state: &State, receipt: Receipt, intent: Intent) -> Vec<Effect> {
        self.refresh(state);
        let what = describe(&intent, &receipt);
        match intent {
            // An undo is taken off the list; the one before it comes next.
            Intent::Undo => {
                self.undo.pop();
            }
            // The clock starting and stopping with casedesk is bookkeeping, not an entry: taking
            // it back would count the time casedesk was closed.
            Intent::Meeting(MeetingStep::Resume | MeetingStep::Pause) => {}
            _ => {
                if let Some(command) = receipt.undo.clone() {
                    self.undo.push(Undo {
                        command,
                        what: what.clone(),
                    });
                }
            }
        }
        if intent == Intent::Meeting(MeetingStep::Close) {
            // A closed conference is read-only: nothing recorded in it can be undone now.
            self.undo.retain(|u| {
                !matches!(&u.command, Command::Revert { revert } if !revert.conferences.is_empty())
            });
        }
        let undo = !self.undo.is_empty();
        self.say(Message::Saved { what, undo });
        let mut effects = Vec::new();
        let opened_form = self.form.take().map(|f| f.kind);
        let new_conference = match receipt.outcome {
            Outcome::Conference { id } => Some(id),
            _ => None,
        };
        if new_conference.is_some() || matches!(intent, Intent::Meeting(_)) {
            effects.extend(self.meeting_applied(state, &intent, new_conference));
        }
        if let (Some(FormKind::NewCase), Outcome::Case { number }) = (opened_form, &receipt.outcome)
        {
            effects.extend(self.open_case(*number));
        }
        // The open case is read again whatever screen the change came from, so it is never
        // shown as it was.
        effects.extend(self.reread(None));
        effects
    }

    /// What the screens read again after the records changed (`case`: the one that changed,
    /// when known).
    fn reread(&self, case: Option<CaseNumber>) -> Vec<Effect> {
        self.screens
            .rooms()
            .into_iter()
            .flat_map(|(screen, room)| room.reread(screen == self.screen, case))
            .collect()
    }

    /// Somebody else's change, already in `state`, or the connection's news.
    pub(super) fn remote(&mut self, state: &State, remote: Remote) -> Vec<Effect> {
        match remote {
            Remote::Changed {
                by, summary, own, ..
            } => {
                self.refresh(state);
                // A merge changes two cases — the one kept, and the one that now points to it —
                // and an undo may change several (a merge's too): whichever is open is read.
                let case = match summary.kind {
                    ChangeKind::Merged | ChangeKind::Undone => None,
                    _ => summary.record.and_then(|r| r.case()),
                };
                let effects = self.reread(case);
                if !own {
                    self.say(Message::Changed { summary, by });
                }
                effects
            }
            Remote::Resynced => {
                self.refresh(state);
                self.reread(None)
            }
            Remote::Presence { others } => {
                self.session.others = others;
                Vec::new()
            }
            Remote::Lost => {
                self.session.offline = true;
                self.fail(Message::ServerLost);
                Vec::new()
            }
            Remote::Back => {
                self.session.offline = false;
                self.refresh(state);
                let effects = self.reread(None);
                self.say(Message::ServerBack);
                effects
            }
        }
    }

    /// `u`: asks before taking back the last change made here.
    pub(super) fn ask_undo(&mut self) {
        match self.undo.last() {
            Some(undo) => {
                self.confirm = Some(Confirm {
                    question: Question::Undo(undo.what.clone()),
                    on_yes: Answer::Effect(Effect::Apply {
                        command: undo.command.clone(),
                        intent: Intent::Undo,
                        expect: Vec::new(),
                    }),
                });
            }
            None => self.fail(Message::NothingToUndo),
        }
    }
}

/// What a saved change was, from why it was sent and what it assigned.
fn describe(intent: &Intent, receipt: &Receipt) -> Saved {
    match (intent, &receipt.outcome) {
        (Intent::Merge { keep, other }, Outcome::Merged { moved }) => Saved::Merged {
            keep: *keep,
            other: *other,
            moved: moved.len(),
        },
        (_, Outcome::Case { number }) => Saved::Case(*number),
        (_, Outcome::Action { id }) => Saved::Action(*id),
        (_, Outcome::Conference { id }) => Saved::Conference(*id),
        (Intent::Form(FormKind::Decision(_, case)), _) => Saved::Decision(*case),
        (Intent::Form(FormKind::Review(case)), _) => Saved::Review(*case),
        (Intent::Form(FormKind::Amend(id)), _) => Saved::Amended(*id),
        (Intent::Form(FormKind::Level(case)), _) => Saved::Level(*case),
        (Intent::Form(FormKind::Stage(case)), _) => Saved::Stage(*case),
        (Intent::Meeting(step), _) => Saved::Meeting(*step),
        (
            Intent::Form(
                FormKind::AttendeeAdd(_) | FormKind::AgencyAdd(_) | FormKind::AgendaAdd(_),
            ),
            _,
        ) => Saved::Meeting(MeetingStep::Arrange),
        (_, Outcome::Note { case, .. }) => Saved::Note(*case),
        (Intent::Done(id), _) => Saved::Done(*id),
        (Intent::Form(FormKind::DropAction(id)), _) => Saved::Dropped(*id),
        (Intent::Form(FormKind::ActionProgress(id)), _) => Saved::Progress(*id),
        (Intent::Form(FormKind::Referral(id)), _) => Saved::Referral(*id),
        (Intent::Form(FormKind::Session(id)), _) => Saved::Session(*id),
        (Intent::Form(FormKind::EditAction(id)), _) => Saved::ActionChanged(*id),
        (Intent::Form(FormKind::EditCase(n)), _) => Saved::CaseChanged(*n),
        (Intent::Form(FormKind::Consent(n)), _) => Saved::Consent(*n),
        (Intent::Undo, _) => Saved::Undone,
        _ => Saved::Other,
    }
}
