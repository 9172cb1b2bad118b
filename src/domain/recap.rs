//! What a conference agreed, by team — the closing screen's recap and the last part of the
//! minutes — and what came of an agenda item, in a few words. Pure.

use std::collections::BTreeMap;

use super::model::{AgendaItem, ItemChange};
use super::{Action, ActionId, CaseNumber, Conference, State, TeamCode};
use crate::i18n::Lang;

/// One agreed action in a team's recap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecapLine {
    /// The case.
    pub case: CaseNumber,
    /// The student, masked unless asked.
    pub student: String,
    /// The action.
    pub action: Action,
}

/// What one team agreed to do at the conference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRecap {
    /// The team.
    pub team: TeamCode,
    /// `WEE Wee센터`.
    pub label: String,
    /// Its actions, soonest due first.
    pub lines: Vec<RecapLine>,
}

/// Each team's actions agreed at `conference` (read in `actions`, finished ones too), the teams
/// in code order, each team's soonest due first; students masked when `masked`.
pub fn team_recap(
    state: &State,
    conference: &Conference,
    actions: &BTreeMap<ActionId, Action>,
    masked: bool,
    lang: Lang,
) -> Vec<TeamRecap> {
    let mut by_team: BTreeMap<TeamCode, Vec<RecapLine>> = BTreeMap::new();
    for item in &conference.agenda {
        for action in item.actions.iter().filter_map(|id| actions.get(id)) {
            by_team
                .entry(action.team.clone())
                .or_default()
                .push(RecapLine {
                    case: item.case,
                    student: state.student_label(item.case, masked),
                    action: action.clone(),
                });
        }
    }
    by_team
        .into_iter()
        .map(|(team, mut lines)| {
            lines.sort_by_key(|l| (l.action.due_on, l.action.id));
            TeamRecap {
                label: match state.team(&team) {
                    Some(t) => format!("{} {}", t.code, t.name(lang)),
                    None => team.to_string(),
                },
                team,
                lines,
            }
        })
        .collect()
}

/// What came of an item, in a few words: `결정 2 · 조치 1 · 점검일`.
pub fn outcome(item: &AgendaItem, lang: Lang) -> String {
    let mut parts = Vec::new();
    if !item.decisions.is_empty() {
        parts.push(format!(
            "{} {}",
            lang.pick("결정", "decisions"),
            item.decisions.len()
        ));
    }
    if !item.actions.is_empty() {
        parts.push(format!(
            "{} {}",
            lang.pick("조치", "actions"),
            item.actions.len()
        ));
    }
    if item.review_set().is_some() {
        parts.push(lang.pick("점검일", "review").to_string());
    }
    let other = item
        .changes
        .iter()
        .filter(|c| !matches!(c, ItemChange::Review { .. }))
        .count();
    if other > 0 {
        parts.push(format!("{} {other}", lang.pick("변경", "changes")));
    }
    if item.deferred {
        parts.push(lang.pick("보류", "deferred").to_string());
    }
    if parts.is_empty() {
        "-".into()
    } else {
        parts.join(" · ")
    }
}
