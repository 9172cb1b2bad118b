//! One student, one case, from the screens: the merge form opens on the case shown, what the
//! other case would bring is read, and the merge is asked about — both cases and what moves —
//! before it goes to the store as one command (undone like any change). Pure.

use super::message::{MergePlan, MergeSide};
use super::{Answer, App, Confirm, Effect, Intent, Question, form};
use crate::domain::revision::{Expect, RecordRef, case_rev};
use crate::domain::{Action, CaseNumber, Command, Note, State};

impl App {
    /// `merge_case`: the form that merges another case into `keep`.
    pub(super) fn open_merge(&mut self, state: &State, keep: CaseNumber) {
        self.form = form::merge::merge_case(state, keep, self.session.lang);
    }

    /// The merge form was saved: it closes, and what the other case would bring is read
    /// before anything is done.
    pub(super) fn merge_chosen(&mut self, keep: CaseNumber, other: CaseNumber) -> Vec<Effect> {
        self.form = None;
        vec![Effect::LoadMerge { keep, other }]
    }

    /// What the other case would bring was read: the question, with both cases and what
    /// moves; yes sends the merge, resting on both cases as they are now.
    pub(super) fn merge_loaded(
        &mut self,
        state: &State,
        keep: CaseNumber,
        other: CaseNumber,
        actions: &[Action],
        notes: &[Note],
    ) {
        let (Some(keep_side), Some(other_side)) = (side(state, keep), side(state, other)) else {
            // Gone meanwhile (someone else's change): the store says why when it is tried.
            return;
        };
        let items = state
            .conferences
            .values()
            .filter(|c| c.item(other).is_some())
            .count();
        let plan = MergePlan {
            keep: keep_side,
            other: other_side,
            actions: actions.len(),
            open: actions.iter().filter(|a| a.is_open()).count(),
            notes: notes.len(),
            items,
        };
        let expect = [keep, other]
            .iter()
            .filter_map(|n| state.cases.get(n))
            .map(|c| Expect {
                record: RecordRef::Case(c.number),
                rev: case_rev(c),
            })
            .collect();
        self.confirm = Some(Confirm {
            question: Question::Merge(plan),
            on_yes: Answer::Effect(Effect::Apply {
                command: Command::MergeCases { keep, other },
                intent: Intent::Merge { keep, other },
                expect,
            }),
        });
    }
}

/// A case as the merge question shows it (the student masked).
fn side(state: &State, number: CaseNumber) -> Option<MergeSide> {
    let case = state.cases.get(&number)?;
    Some(MergeSide {
        number,
        student: crate::domain::masking::mask_name(&case.student.name),
        school: case.school.clone(),
        grade: case.grade,
        stage: case.stage,
    })
}
