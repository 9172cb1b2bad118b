//! How records lie in sled: the trees, the meta keys, the journal position, and the writes a
//! change makes to the records and their indexes (open actions by due date, cases by team,
//! actions by owner). Pure but for the types sled takes.

use std::path::PathBuf;

use super::codec::{self, encode};
use super::journal::GENESIS;
use super::*;
use crate::domain::{Case, Changes, State};
use serde::{Deserialize, Serialize};

pub(crate) const META_SCHEMA: &[u8] = b"schema";

pub(crate) const META_OFFICE: &[u8] = b"office";

pub(crate) const META_COUNTERS: &[u8] = b"counters";

pub(crate) const META_APPLIED: &[u8] = b"applied";

// Large batches (demo data, imports) go to sled in transactions of about this many writes.
pub(crate) const OPS_PER_TRANSACTION: usize = 20_000;

/// The sled trees, in the order the transaction sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TreeId {
    Teams = 0,
    Cases = 1,
    Actions = 2,
    Notes = 3,
    Meta = 4,
    DueIndex = 5,
    TeamIndex = 6,
    Conferences = 7,
    Users = 8,
    OwnerIndex = 9,
}

impl TreeId {
    pub(crate) const ALL: [TreeId; 10] = [
        TreeId::Teams,
        TreeId::Cases,
        TreeId::Actions,
        TreeId::Notes,
        TreeId::Meta,
        TreeId::DueIndex,
        TreeId::TeamIndex,
        TreeId::Conferences,
        TreeId::Users,
        TreeId::OwnerIndex,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            TreeId::Teams => "teams",
            TreeId::Cases => "cases",
            TreeId::Actions => "actions",
            TreeId::Notes => "notes",
            TreeId::Meta => "meta",
            TreeId::DueIndex => "idx_due",
            TreeId::TeamIndex => "idx_team",
            TreeId::Conferences => "conferences",
            TreeId::Users => "users",
            TreeId::OwnerIndex => "idx_owner",
        }
    }
}

/// One write to sled: put `value` at `key`, or remove `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Op {
    pub(crate) tree: TreeId,
    pub(crate) key: Vec<u8>,
    pub(crate) value: Option<Vec<u8>>,
}

/// How far sled has applied the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Applied {
    pub(crate) seq: u64,
    pub(crate) offset: u64,
    pub(crate) hash: String,
}

impl Default for Applied {
    fn default() -> Self {
        Applied {
            seq: 0,
            offset: 0,
            hash: GENESIS.to_string(),
        }
    }
}

/// The sled writes for `changes` made against `state` (which still holds the old records).
pub(crate) fn ops_for(state: &State, changes: &Changes) -> Result<Vec<Op>, serde_json::Error> {
    let mut ops = Vec::new();
    let put = |tree, key: &[u8], value: Vec<u8>| Op {
        tree,
        key: key.to_vec(),
        value: Some(value),
    };
    if let Some(office) = &changes.office {
        ops.push(put(TreeId::Meta, META_OFFICE, encode(office)?));
    }
    if let Some(counters) = &changes.counters {
        ops.push(put(TreeId::Meta, META_COUNTERS, encode(counters)?));
    }
    for team in &changes.teams {
        ops.push(put(
            TreeId::Teams,
            team.code.as_str().as_bytes(),
            encode(team)?,
        ));
    }
    for case in &changes.cases {
        ops.push(put(
            TreeId::Cases,
            &codec::case_key(case.number),
            encode(case)?,
        ));
        let old = state.cases.get(&case.number);
        let entries = |c: &Case| -> Vec<(Vec<u8>, &'static [u8])> {
            std::iter::once((
                codec::team_index_key(&c.lead_team, c.number),
                codec::team_role(true),
            ))
            .chain(
                c.co_teams
                    .iter()
                    .map(|t| (codec::team_index_key(t, c.number), codec::team_role(false))),
            )
            .collect()
        };
        let new_entries = entries(case);
        if let Some(old) = old {
            for (key, _) in entries(old) {
                if !new_entries.iter().any(|(k, _)| *k == key) {
                    ops.push(Op {
                        tree: TreeId::TeamIndex,
                        key,
                        value: None,
                    });
                }
            }
        }
        for (key, role) in new_entries {
            ops.push(Op {
                tree: TreeId::TeamIndex,
                key,
                value: Some(role.to_vec()),
            });
        }
    }
    for action in &changes.actions {
        ops.push(put(
            TreeId::Actions,
            &codec::action_key(action.id),
            encode(action)?,
        ));
        if let Some(old) = state.actions.get(&action.id).filter(|a| a.is_open()) {
            ops.push(Op {
                tree: TreeId::DueIndex,
                key: codec::due_index_key(old.due_on, old.id),
                value: None,
            });
        }
        if action.is_open() {
            ops.push(put(
                TreeId::DueIndex,
                &codec::due_index_key(action.due_on, action.id),
                Vec::new(),
            ));
        }
        ops.push(put(
            TreeId::OwnerIndex,
            &codec::action_key(action.id),
            action.team.as_str().as_bytes().to_vec(),
        ));
    }
    for note in &changes.notes {
        ops.push(put(
            TreeId::Notes,
            &codec::note_key(note.case, note.n),
            encode(note)?,
        ));
    }
    for number in &changes.removed_cases {
        ops.push(Op {
            tree: TreeId::Cases,
            key: codec::case_key(*number).to_vec(),
            value: None,
        });
        if let Some(old) = state.cases.get(number) {
            for team in std::iter::once(&old.lead_team).chain(&old.co_teams) {
                ops.push(Op {
                    tree: TreeId::TeamIndex,
                    key: codec::team_index_key(team, *number),
                    value: None,
                });
            }
        }
    }
    for id in &changes.removed_actions {
        ops.push(Op {
            tree: TreeId::Actions,
            key: codec::action_key(*id).to_vec(),
            value: None,
        });
        ops.push(Op {
            tree: TreeId::OwnerIndex,
            key: codec::action_key(*id).to_vec(),
            value: None,
        });
        if let Some(old) = state.actions.get(id).filter(|a| a.is_open()) {
            ops.push(Op {
                tree: TreeId::DueIndex,
                key: codec::due_index_key(old.due_on, old.id),
                value: None,
            });
        }
    }
    for (case, n) in &changes.removed_notes {
        ops.push(Op {
            tree: TreeId::Notes,
            key: codec::note_key(*case, *n).to_vec(),
            value: None,
        });
    }
    for conference in &changes.conferences {
        ops.push(put(
            TreeId::Conferences,
            &codec::conference_key(conference.id),
            encode(conference)?,
        ));
    }
    for id in &changes.removed_conferences {
        ops.push(Op {
            tree: TreeId::Conferences,
            key: codec::conference_key(*id).to_vec(),
            value: None,
        });
    }
    for user in &changes.users {
        ops.push(put(TreeId::Users, user.account.as_bytes(), encode(user)?));
    }
    for account in &changes.removed_users {
        ops.push(Op {
            tree: TreeId::Users,
            key: account.as_bytes().to_vec(),
            value: None,
        });
    }
    Ok(ops)
}

/// The index entries the records in `state` call for; `check` compares them with sled's.
pub(crate) fn expected_index_ops(state: &State) -> Vec<Op> {
    let mut ops = Vec::new();
    for case in state.cases.values() {
        ops.push(Op {
            tree: TreeId::TeamIndex,
            key: codec::team_index_key(&case.lead_team, case.number),
            value: Some(codec::team_role(true).to_vec()),
        });
        for t in &case.co_teams {
            ops.push(Op {
                tree: TreeId::TeamIndex,
                key: codec::team_index_key(t, case.number),
                value: Some(codec::team_role(false).to_vec()),
            });
        }
    }
    for action in state.actions.values().filter(|a| a.is_open()) {
        ops.push(Op {
            tree: TreeId::DueIndex,
            key: codec::due_index_key(action.due_on, action.id),
            value: Some(Vec::new()),
        });
    }
    for (id, team) in &state.action_teams {
        ops.push(Op {
            tree: TreeId::OwnerIndex,
            key: codec::action_key(*id).to_vec(),
            value: Some(team.as_str().as_bytes().to_vec()),
        });
    }
    ops
}

/// The write that records how far sled has applied the journal.
pub(crate) fn applied_op(applied: &Applied) -> Result<Op, StoreError> {
    let value = encode(applied).map_err(|e| StoreError::Damaged {
        dir: PathBuf::new(),
        what: "journal position".into(),
        reason: e.to_string(),
    })?;
    Ok(Op {
        tree: TreeId::Meta,
        key: META_APPLIED.to_vec(),
        value: Some(value),
    })
}
