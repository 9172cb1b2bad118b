//! One student, one case: merging a case registered twice into the one kept. The other case's
//! actions move (renumbered after the kept case's own), its consents, teams, domains and flags
//! join the kept case's, its agenda items become the kept case's, and it stays as a pointer
//! whose timeline the kept case shows. Pure: no IO.

use super::command::{Changes, Ctx, Outcome};
use super::error::DomainError;
use super::ids::{ActionId, CaseNumber};
use super::model::{Action, AgendaItem, Change, Conference, ConferenceState};
use super::state::State;
use super::vocab::NoteKind;

impl State {
    /// Merges `other` into `keep` (see [`super::Command::MergeCases`]). Every action of `other`
    /// must be in memory (the store reads the finished ones in first).
    pub(super) fn merge_cases(
        &self,
        keep: CaseNumber,
        other: CaseNumber,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        if keep == other {
            return Err(DomainError::MergeSelf { case: keep });
        }
        let kept = self.case(keep)?;
        let merged = self.case(other)?;
        let owners: Vec<ActionId> = self
            .action_teams
            .range(
                ActionId { case: other, n: 0 }..=ActionId {
                    case: other,
                    n: u32::MAX,
                },
            )
            .map(|(id, _)| *id)
            .collect();
        let mut actions: Vec<&Action> = Vec::new();
        for id in &owners {
            match self.actions.get(id) {
                Some(a) => actions.push(a),
                // The store reads every action of the case in before a merge; one missing
                // would be lost by it.
                None => {
                    return Err(DomainError::NotRead {
                        what: id.to_string(),
                    });
                }
            }
        }
        let open_actions = actions.iter().filter(|a| a.is_open()).count();
        if open_actions > 0 && !kept.is_open() {
            return Err(DomainError::MergeIntoClosed {
                keep,
                other,
                open: open_actions,
            });
        }
        if let Some(running) = self
            .conferences
            .values()
            .find(|c| c.state == ConferenceState::Running && c.item(other).is_some())
        {
            return Err(DomainError::MergeWhileRunning {
                case: other,
                conference: running.id,
            });
        }

        let mut changes = Changes::default();
        let mut case = kept.clone();
        let mut moved = Vec::new();
        for action in &actions {
            case.actions_made += 1;
            let to = ActionId {
                case: keep,
                n: case.actions_made,
            };
            moved.push((action.id, to));
            changes.actions.push(Action {
                id: to,
                ..(*action).clone()
            });
            changes.removed_actions.push(action.id);
        }
        let renumber = |id: &ActionId| {
            moved
                .iter()
                .find(|(from, _)| from == id)
                .map_or(*id, |(_, to)| *to)
        };

        let mut said = vec![format!("{other}을(를) 이 사례에 병합")];
        if !moved.is_empty() {
            said.push(format!(
                "조치 {}건 이동({})",
                moved.len(),
                moved
                    .iter()
                    .map(|(from, to)| format!("{from}→{to}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        // Everyone who worked on the other case keeps seeing the student's case.
        let mut joined = Vec::new();
        for team in std::iter::once(&merged.lead_team).chain(&merged.co_teams) {
            if !case.involves(team) {
                case.co_teams.push(team.clone());
                joined.push(team.to_string());
            }
        }
        if !joined.is_empty() {
            said.push(format!("협력부서 추가: {}", joined.join(", ")));
        }
        let own = case.consent.entries();
        let mut consents = 0;
        for record in merged.consent.entries() {
            if !own.contains(&record) {
                case.consent.records.push(record);
                consents += 1;
            }
        }
        if consents > 0 {
            said.push(format!("동의 기록 {consents}건"));
        }
        for d in &merged.domains {
            if !case.domains.contains(d) {
                case.domains.push(*d);
            }
        }
        case.domains.sort();
        for c in &merged.concerns {
            if !case.concerns.contains(c) {
                case.concerns.push(*c);
            }
        }
        for b in &merged.background {
            if !case.background.contains(b) {
                case.background.push(b.clone());
            }
        }
        case.urgent |= merged.urgent && merged.is_open();
        case.safety |= merged.safety;
        if case.summary.is_empty() {
            case.summary = merged.summary.clone();
        }
        if case.lead_person.is_none() {
            case.lead_person = merged.lead_person.clone();
        }
        if case.referral_source.is_none() {
            case.referral_source = merged.referral_source.clone();
        }
        case.referred_on = case.referred_on.min(merged.referred_on);
        // A higher crisis level on an open duplicate is the student's level now.
        if merged.is_open() && merged.level > case.level {
            said.push(format!(
                "위기수준 {} → {}",
                case.level.ko(),
                merged.level.ko()
            ));
            case.level = merged.level;
            case.level_history.push(Change {
                on: ctx.today(),
                to: merged.level,
                by: ctx.user.clone(),
                skipped: false,
            });
        }
        if merged.is_open() {
            case.review_on = match (case.review_on, merged.review_on) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }

        for conference in self.conferences.values() {
            if let Some(updated) = repoint(conference, keep, other, &renumber) {
                changes.conferences.push(updated);
            }
        }
        let items = changes.conferences.len();
        if items > 0 {
            said.push(format!("사례회의 안건 {items}건"));
        }

        let note = State::note(&mut case, NoteKind::Merge, said.join("; "), false, ctx);
        changes.notes.push(note);
        let mut pointer = merged.clone();
        pointer.merged_into = Some(keep);
        let note = State::note(
            &mut pointer,
            NoteKind::Merge,
            format!("{keep}에 병합됨"),
            false,
            ctx,
        );
        changes.notes.push(note);
        changes.cases.push(case);
        changes.cases.push(pointer);
        Ok((Outcome::Merged { moved }, changes))
    }

    /// The cases merged into `number`, directly or through another merged case, oldest first.
    pub fn merged_into(&self, number: CaseNumber) -> Vec<CaseNumber> {
        let mut out = Vec::new();
        let mut wanted = vec![number];
        while let Some(into) = wanted.pop() {
            for case in self.cases.values().filter(|c| c.merged_into == Some(into)) {
                if !out.contains(&case.number) && case.number != number {
                    out.push(case.number);
                    wanted.push(case.number);
                }
            }
        }
        out.sort();
        out
    }

    /// The case a merged case now lives on (following merges of merges); the case itself when it
    /// was not merged.
    pub fn merge_target(&self, number: CaseNumber) -> CaseNumber {
        let mut at = number;
        // A chain is never longer than the cases there are; the bound keeps a damaged store
        // with a loop from hanging.
        for _ in 0..self.cases.len() {
            match self.cases.get(&at).and_then(|c| c.merged_into) {
                Some(next) if next != number => at = next,
                _ => break,
            }
        }
        at
    }
}

/// The conference with `other`'s agenda item (and its actions and corrections) made `keep`'s,
/// joined to `keep`'s own item when it has one; `None` when it does not mention `other`.
fn repoint(
    conference: &Conference,
    keep: CaseNumber,
    other: CaseNumber,
    renumber: &impl Fn(&ActionId) -> ActionId,
) -> Option<Conference> {
    let mentions = conference.item(other).is_some()
        || conference.amendments.iter().any(|a| a.case == Some(other));
    if !mentions {
        return None;
    }
    let mut updated = conference.clone();
    for amendment in &mut updated.amendments {
        if amendment.case == Some(other) {
            amendment.case = Some(keep);
        }
    }
    if let Some((at, item)) = conference.item(other) {
        let mut item: AgendaItem = item.clone();
        item.case = keep;
        item.actions = item.actions.iter().map(renumber).collect();
        match updated.item(keep).map(|(i, _)| i) {
            Some(own) => {
                if let Some(target) = updated.agenda.get_mut(own) {
                    join(target, item);
                }
                updated.agenda.remove(at);
                if updated.current > at {
                    updated.current -= 1;
                }
            }
            None => {
                if let Some(slot) = updated.agenda.get_mut(at) {
                    *slot = item;
                }
            }
        }
    }
    Some(updated)
}

/// Joins `other`'s item for the same student onto `target`: reasons, time, decisions, actions
/// and changes; deferred only when both were.
fn join(target: &mut AgendaItem, other: AgendaItem) {
    for reason in other.reasons {
        if !target.reasons.contains(&reason) {
            target.reasons.push(reason);
        }
    }
    target.budget_minutes = target.budget_minutes.saturating_add(other.budget_minutes);
    target.used_seconds = target.used_seconds.saturating_add(other.used_seconds);
    target.decisions.extend(other.decisions);
    target.actions.extend(other.actions);
    target.changes.extend(other.changes);
    target.deferred &= other.deferred;
}
