//! `casedesk check`: the journal's hash chain is intact and sled holds exactly what replaying the
//! journal gives — records and indexes. It changes nothing but what opening the store would
//! (applying what a crash left unapplied, dropping what was never confirmed), and reports that.

use std::collections::BTreeMap;
use std::path::Path;

use super::codec::{self, SCHEMA_VERSION, encode};
use super::journal::{self, GENESIS, LineError};
use super::{
    Applied, META_APPLIED, META_COUNTERS, META_OFFICE, META_SCHEMA, Store, StoreError, TreeId,
    expected_index_ops,
};
use crate::domain::model::Counters;
use crate::domain::{Ctx, Note, State};
use crate::i18n::{Lang, Localize};

/// One thing `check` found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A journal line is damaged; nothing after it can be trusted.
    Journal {
        /// Line number, from 1.
        line: u64,
        /// What is wrong with it.
        error: LineError,
    },
    /// A journal line does not replay to what it recorded.
    Replay {
        /// Line number, from 1.
        line: u64,
        /// Why.
        reason: String,
    },
    /// The journal is shorter than what sled has applied (truncated or replaced).
    JournalBehind,
    /// sled's record differs from the journal's.
    Differs {
        /// The tree.
        tree: &'static str,
        /// The record's key, readable.
        key: String,
        /// Missing, extra or different.
        how: Diff,
    },
}

/// How a record in sled differs from the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Diff {
    /// The journal has it, sled does not.
    Missing,
    /// sled has it, the journal does not.
    Extra,
    /// Both have it, with different content.
    Different,
}

/// What `check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Journal lines read.
    pub entries: u64,
    /// Cases, actions and notes the journal gives.
    pub cases: usize,
    /// Actions.
    pub actions: usize,
    /// Notes.
    pub notes: usize,
    /// Journal entries sled lacked and that were applied now (after a crash).
    pub recovered: u64,
    /// True when a partial last line (never confirmed) was dropped.
    pub dropped_torn_line: bool,
    /// Sequence numbers of an unfinished batch (never confirmed) that was dropped.
    pub dropped_batch: Option<(u64, u64)>,
    /// What is wrong; empty when all is well.
    pub problems: Vec<Problem>,
}

impl CheckReport {
    /// True when nothing is wrong.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Localize for Problem {
    fn localize(&self, lang: Lang) -> String {
        let ko = lang == Lang::Ko;
        match self {
            Problem::Journal { line, error } => {
                if ko {
                    format!("저널 {line}번째 줄: {error}")
                } else {
                    format!("journal line {line}: {error}")
                }
            }
            Problem::Replay { line, reason } => {
                if ko {
                    format!("저널 {line}번째 줄을 다시 적용할 수 없습니다: {reason}")
                } else {
                    format!("journal line {line} does not replay: {reason}")
                }
            }
            Problem::JournalBehind => {
                if ko {
                    "저널이 저장소가 적용한 것보다 짧습니다 (잘렸거나 바뀌었습니다): 백업에서 복원하세요".to_string()
                } else {
                    "the journal is shorter than what the store has applied (truncated or replaced): restore it from a backup".to_string()
                }
            }
            Problem::Differs { tree, key, how } => {
                let (k, e) = match how {
                    Diff::Missing => (
                        "저널에는 있으나 저장소에 없음",
                        "in the journal but missing from sled",
                    ),
                    Diff::Extra => (
                        "저장소에만 있고 저널에는 없음",
                        "in sled but not in the journal",
                    ),
                    Diff::Different => (
                        "저장소 내용이 저널과 다름",
                        "differs between sled and the journal",
                    ),
                };
                if ko {
                    format!("{tree} {key}: {k}")
                } else {
                    format!("{tree} {key}: {e}")
                }
            }
        }
    }
}

/// Checks the store in `dir`.
pub fn check(dir: &Path) -> Result<CheckReport, StoreError> {
    let mut store = Store::open_for_check(dir)?;
    check_open(&mut store)
}

/// Checks a store that is open (a server's).
pub fn check_open(store: &mut Store) -> Result<CheckReport, StoreError> {
    let mut report = CheckReport::default();
    let (mut lines, torn) = match read_chain(store, &mut report)? {
        Some(read) => read,
        None => return Ok(report),
    };
    let applied = store.applied.clone();
    if applied.offset > store.journal.len() {
        report.problems.push(Problem::JournalBehind);
        return Ok(report);
    }
    // What sled says it applied must be a line of this journal.
    let at_applied = match applied.seq {
        0 => Some((GENESIS.to_string(), 0)),
        n => lines.get(n as usize - 1).map(|l| (l.hash.clone(), l.end)),
    };
    if at_applied != Some((applied.hash.clone(), applied.offset)) {
        report.problems.push(Problem::Differs {
            tree: "meta",
            key: "applied".into(),
            how: Diff::Different,
        });
        return Ok(report);
    }
    if applied.seq < lines.len() as u64 || torn {
        // Finish what a crash interrupted, exactly as opening the store would, then look again.
        store.replay_tail()?;
        let recovery = store.recovery().clone();
        report.recovered = recovery.applied;
        report.dropped_torn_line = recovery.torn_bytes > 0;
        report.dropped_batch = recovery.dropped_batch;
        lines = match read_chain(store, &mut report)? {
            Some((lines, _)) => lines,
            None => return Ok(report),
        };
    }
    report.entries = lines.len() as u64;

    let mut state = State::default();
    let mut notes: BTreeMap<[u8; 10], Note> = BTreeMap::new();
    for line in &lines {
        let ctx = Ctx {
            at: line.entry.at,
            user: line.entry.user.clone(),
        };
        match state.execute(&line.entry.cmd, &ctx) {
            Ok((outcome, changes)) if outcome == line.entry.out => {
                for note in &changes.notes {
                    notes.insert(codec::note_key(note.case, note.n), note.clone());
                }
                for (case, n) in &changes.removed_notes {
                    notes.remove(&codec::note_key(*case, *n));
                }
                state.commit(changes);
            }
            Ok((outcome, _)) => {
                report.problems.push(Problem::Replay {
                    line: line.entry.seq,
                    reason: format!(
                        "it assigns {outcome:?}, the journal says {:?}",
                        line.entry.out
                    ),
                });
                return Ok(report);
            }
            Err(e) => {
                report.problems.push(Problem::Replay {
                    line: line.entry.seq,
                    reason: e.to_string(),
                });
                return Ok(report);
            }
        }
    }
    report.cases = state.cases.len();
    report.actions = state.actions.len();
    report.notes = notes.len();

    let last = lines.last().map(|l| Applied {
        seq: l.entry.seq,
        offset: l.end,
        hash: l.hash.clone(),
    });
    let expected = expected_trees(&state, &notes, &last.unwrap_or_default()).map_err(|e| {
        StoreError::Damaged {
            dir: store.dir.clone(),
            what: "record".into(),
            reason: e.to_string(),
        }
    })?;
    for (t, want) in expected {
        compare(store, t, &want, &mut report.problems)?;
    }
    Ok(report)
}

/// Reads and verifies the whole journal, and says whether a torn last line follows it; `None`
/// (with the problem recorded) when the chain is broken.
fn read_chain(
    store: &Store,
    report: &mut CheckReport,
) -> Result<Option<(Vec<journal::Line>, bool)>, StoreError> {
    let tail = store
        .journal
        .read_from(0)
        .map_err(|e| StoreError::io("read the journal", store.journal.path(), e))?;
    let torn = tail.torn_at.is_some();
    match journal::verify(tail.lines, GENESIS.to_string(), 0) {
        Ok(lines) => Ok(Some((lines, torn))),
        Err((i, error)) => {
            report.problems.push(Problem::Journal {
                line: i as u64 + 1,
                error,
            });
            Ok(None)
        }
    }
}

type Expected = Vec<(TreeId, BTreeMap<Vec<u8>, Vec<u8>>)>;

fn expected_trees(
    state: &State,
    notes: &BTreeMap<[u8; 10], Note>,
    applied: &Applied,
) -> Result<Expected, serde_json::Error> {
    let mut trees: BTreeMap<TreeId, BTreeMap<Vec<u8>, Vec<u8>>> =
        TreeId::ALL.iter().map(|t| (*t, BTreeMap::new())).collect();
    let mut put = |t: TreeId, k: Vec<u8>, v: Vec<u8>| {
        if let Some(tree) = trees.get_mut(&t) {
            tree.insert(k, v);
        }
    };
    if let Some(office) = &state.office {
        put(TreeId::Meta, META_OFFICE.to_vec(), encode(office)?);
    }
    if state.counters != Counters::default() {
        put(
            TreeId::Meta,
            META_COUNTERS.to_vec(),
            encode(&state.counters)?,
        );
    }
    put(
        TreeId::Meta,
        META_SCHEMA.to_vec(),
        SCHEMA_VERSION.to_string().into_bytes(),
    );
    if applied.seq > 0 {
        put(TreeId::Meta, META_APPLIED.to_vec(), encode(applied)?);
    }
    for team in state.teams.values() {
        put(
            TreeId::Teams,
            team.code.as_str().as_bytes().to_vec(),
            encode(team)?,
        );
    }
    for case in state.cases.values() {
        put(
            TreeId::Cases,
            codec::case_key(case.number).to_vec(),
            encode(case)?,
        );
    }
    for action in state.actions.values() {
        put(
            TreeId::Actions,
            codec::action_key(action.id).to_vec(),
            encode(action)?,
        );
    }
    for (key, note) in notes {
        put(TreeId::Notes, key.to_vec(), encode(note)?);
    }
    for conference in state.conferences.values() {
        put(
            TreeId::Conferences,
            codec::conference_key(conference.id).to_vec(),
            encode(conference)?,
        );
    }
    for user in state.users.values() {
        put(
            TreeId::Users,
            user.account.as_bytes().to_vec(),
            encode(user)?,
        );
    }
    for op in expected_index_ops(state) {
        put(op.tree, op.key, op.value.unwrap_or_default());
    }
    Ok(trees.into_iter().collect())
}

fn compare(
    store: &Store,
    t: TreeId,
    want: &BTreeMap<Vec<u8>, Vec<u8>>,
    problems: &mut Vec<Problem>,
) -> Result<(), StoreError> {
    const MAX_REPORTED: usize = 50;
    let mut seen = 0usize;
    for item in store.tree(t).iter() {
        let (k, v) = item.map_err(store.sled_err())?;
        if problems.len() >= MAX_REPORTED {
            return Ok(());
        }
        match want.get(k.as_ref()) {
            None => problems.push(Problem::Differs {
                tree: t.name(),
                key: readable_key(t, &k),
                how: Diff::Extra,
            }),
            Some(w) => {
                seen += 1;
                if w.as_slice() != v.as_ref() {
                    problems.push(Problem::Differs {
                        tree: t.name(),
                        key: readable_key(t, &k),
                        how: Diff::Different,
                    });
                }
            }
        }
    }
    if seen < want.len() {
        for k in want.keys() {
            if problems.len() >= MAX_REPORTED {
                break;
            }
            if !store.tree(t).contains_key(k).map_err(store.sled_err())? {
                problems.push(Problem::Differs {
                    tree: t.name(),
                    key: readable_key(t, k),
                    how: Diff::Missing,
                });
            }
        }
    }
    Ok(())
}

fn readable_key(t: TreeId, key: &[u8]) -> String {
    let case = |k: &[u8]| -> Option<String> {
        let year = u16::from_be_bytes([*k.first()?, *k.get(1)?]);
        let seq = u32::from_be_bytes([*k.get(2)?, *k.get(3)?, *k.get(4)?, *k.get(5)?]);
        Some(format!("{year:04}-{seq:04}"))
    };
    let child = |k: &[u8]| -> Option<String> {
        let n = u32::from_be_bytes([*k.get(6)?, *k.get(7)?, *k.get(8)?, *k.get(9)?]);
        Some(format!("{}/{n}", case(k)?))
    };
    let text = match t {
        TreeId::Cases => case(key),
        TreeId::Actions | TreeId::Notes | TreeId::OwnerIndex => child(key),
        TreeId::DueIndex => codec::due_index_action(key).map(|id| id.to_string()),
        TreeId::Conferences => key
            .try_into()
            .ok()
            .map(|b: [u8; 4]| format!("#{}", u32::from_be_bytes(b))),
        TreeId::Teams | TreeId::Meta | TreeId::TeamIndex | TreeId::Users => {
            Some(String::from_utf8_lossy(key).replace('\0', "/"))
        }
    };
    text.unwrap_or_else(|| format!("{key:02x?}"))
}
