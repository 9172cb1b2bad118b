//! `casedesk check`: the journal's hash chain is intact and sled holds exactly what replaying the
//! journal gives — records and indexes. It changes nothing but what opening the store would
//! (applying what a crash left unapplied, dropping what was never confirmed), and reports that.

use std::collections::BTreeMap;
use std::path::Path;

use super::codec::{self, SCHEMA_VERSION, encode};
use super::journal::{self, GENESIS, LineError};
use super::{
    Applied, META_APPLIED, META_COUNTERS, META_OFFICE, META_SCHEMA, Store, StoreError, TreeId,
    cache, expected_index_ops,
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
    /// The journal is shorter than what sled has applied (truncated or replaced): sled holds
    /// changes the journal lacks, listed as records only in sled.
    JournalBehind {
        /// The last entry sled has applied.
        applied: u64,
        /// The journal's last entry.
        entries: u64,
    },
    /// sled has applied a journal line this journal does not have at that position.
    OtherHistory {
        /// The entry sled says it applied last.
        applied: u64,
    },
    /// The record cache reads whole but holds other records than the journal gives (it was
    /// removed).
    CacheDiffers,
    /// The anchor's position is past the journal's end: lines were removed since.
    AnchorBeyond {
        /// The anchor's position.
        seq: u64,
        /// The journal's last entry.
        entries: u64,
    },
    /// The journal's line at the anchor's position has another hash: the journal up to there
    /// was changed since the anchor was taken.
    AnchorMismatch {
        /// The anchor's position.
        seq: u64,
        /// The hash the journal has there now.
        found: String,
    },
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

/// What `check` found of the record cache (`state.cache`), which is derived and never the truth.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CacheCheck {
    /// There is none.
    #[default]
    Absent,
    /// It was written at another journal position; opening ignores it and writes it again.
    Stale,
    /// It reads whole and holds exactly what the journal gives.
    Matches,
    /// Its checksum does not match its contents: it was removed (opening writes it again).
    Damaged,
    /// It reads whole but differs from the journal: it was removed (a problem).
    Differs,
}

/// What `check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// The journal's last line: its sequence number and hash (`0` and the genesis hash for an
    /// empty journal). With the time, this is an anchor for `check --anchor`.
    pub head: (u64, String),
    /// True when an anchor was given and holds.
    pub anchor_holds: bool,
    /// What opening cleaned up, quarantined or rebuilt before checking.
    pub recovery: super::Recovery,
    /// What was found of the record cache.
    pub cache: CacheCheck,
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
            Problem::JournalBehind { applied, entries } => {
                if ko {
                    format!(
                        "데이터베이스는 저널 {applied}번까지 적용했는데 저널은 {entries}번에서 끝납니다 (잘렸거나 바뀌었습니다): 저널에 없는 변경이 데이터베이스에만 있습니다 (아래 목록)"
                    )
                } else {
                    format!(
                        "the database has applied journal entries up to {applied}, but the journal ends at {entries} (cut short or replaced): the database holds changes the journal lacks (listed below)"
                    )
                }
            }
            Problem::OtherHistory { applied } => {
                if ko {
                    format!(
                        "데이터베이스가 마지막으로 적용한 저널 {applied}번 줄이 이 저널의 {applied}번 줄과 다릅니다 (저널이 바뀌었습니다)"
                    )
                } else {
                    format!(
                        "the journal entry {applied} the database applied last is not this journal's line {applied} (the journal was replaced)"
                    )
                }
            }
            Problem::CacheDiffers => lang
                .pick(
                    "기록 캐시(state.cache)가 저널과 다른 내용을 담고 있어 지웠습니다 (다음에 열 때 다시 만듭니다)",
                    "the record cache (state.cache) held other records than the journal gives; it was removed (the next open writes it again)",
                )
                .to_string(),
            Problem::AnchorBeyond { seq, entries } => {
                if ko {
                    format!(
                        "기준점 {seq}번이 저널 끝({entries}번)보다 뒤에 있습니다: 기준점 이후 저널 줄이 지워졌습니다"
                    )
                } else {
                    format!(
                        "the anchor is at entry {seq}, past the journal's end ({entries}): journal lines were removed since the anchor was taken"
                    )
                }
            }
            Problem::AnchorMismatch { seq, found } => {
                if ko {
                    format!(
                        "기준점이 맞지 않습니다: 저널 {seq}번 줄의 해시가 지금은 {found}입니다. 기준점을 잡은 뒤 저널 1~{seq}번 줄이 바뀌었습니다"
                    )
                } else {
                    format!(
                        "the anchor does not hold: journal line {seq} now has the hash {found}; the journal up to line {seq} was changed since the anchor was taken"
                    )
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
    check_anchored(dir, None)
}

/// Checks the store in `dir` and, when given, that the journal up to the anchor is unchanged.
pub fn check_anchored(dir: &Path, anchor: Option<&Anchor>) -> Result<CheckReport, StoreError> {
    let mut store = Store::open_for_check(dir)?;
    let mut report = CheckReport {
        head: (0, GENESIS.to_string()),
        ..CheckReport::default()
    };
    let mut reading = read_journal(&store)?;
    let applied = store.applied.clone();
    if let Some(damage) = reading.damage.take() {
        report.problems.push(Problem::Journal {
            line: damage.line,
            error: damage.error,
        });
        report.recovery = store.recovery.clone();
        return Ok(report);
    }
    let last_seq = reading.lines.last().map_or(0, |l| l.entry.seq);
    let mut diverged = false;
    if let Some(end) = &reading.unconfirmed
        && end.offset < applied.offset
    {
        // The database applied lines that no longer read: confirmed lines were damaged.
        let error = match &end.why {
            journal::Unconfirmed::Damaged(e) => e.clone(),
            _ => LineError::Malformed("the line is cut short".into()),
        };
        report.problems.push(Problem::Journal {
            line: end.line,
            error,
        });
        report.recovery = store.recovery.clone();
        return Ok(report);
    }
    if applied.offset > store.journal.len() || applied.seq > last_seq {
        report.problems.push(Problem::JournalBehind {
            applied: applied.seq,
            entries: last_seq,
        });
        diverged = true;
    } else {
        // What sled says it applied must be a line of this journal.
        let at_applied = match applied.seq {
            0 => Some((GENESIS.to_string(), 0)),
            n => reading
                .lines
                .get(n as usize - 1)
                .map(|l| (l.hash.clone(), l.end)),
        };
        if at_applied != Some((applied.hash.clone(), applied.offset)) {
            report.problems.push(Problem::OtherHistory {
                applied: applied.seq,
            });
            diverged = true;
        }
    }
    if !diverged && (applied.seq < last_seq || reading.unconfirmed.is_some()) {
        // Finish what a crash interrupted, exactly as opening the store would, then look again.
        store.replay_tail()?;
        reading = read_journal(&store)?;
        if let Some(damage) = reading.damage.take() {
            report.problems.push(Problem::Journal {
                line: damage.line,
                error: damage.error,
            });
        }
    }
    let recovery = store.recovery().clone();
    report.recovered = recovery.applied;
    report.dropped_torn_line = recovery.torn_bytes > 0;
    report.dropped_batch = recovery.dropped_batch;
    report.recovery = recovery;
    let lines = reading.lines;
    report.entries = lines.len() as u64;
    if let Some(last) = lines.last() {
        report.head = (last.entry.seq, last.hash.clone());
    }
    if let Some(anchor) = anchor {
        match lines.get(
            usize::try_from(anchor.seq)
                .unwrap_or(usize::MAX)
                .wrapping_sub(1),
        ) {
            _ if anchor.seq == 0 => report.anchor_holds = true,
            None => report.problems.push(Problem::AnchorBeyond {
                seq: anchor.seq,
                entries: report.entries,
            }),
            Some(line) if anchor.matches(&line.hash) => report.anchor_holds = true,
            Some(line) => report.problems.push(Problem::AnchorMismatch {
                seq: anchor.seq,
                found: line.hash.clone(),
            }),
        }
    }

    let Replayed { state, notes } = match replay(&lines) {
        Ok(replayed) => replayed,
        Err((line, reason)) => {
            report.problems.push(Problem::Replay { line, reason });
            return Ok(report);
        }
    };
    report.cases = state.cases.len();
    report.actions = state.actions.len();
    report.notes = notes.len();

    let last = lines.last().map(|l| Applied {
        seq: l.entry.seq,
        offset: l.end,
        hash: l.hash.clone(),
    });
    let at = if diverged {
        store.applied.clone()
    } else {
        last.unwrap_or_default()
    };
    let expected = expected_trees(&state, &notes, &at).map_err(|e| StoreError::Damaged {
        dir: store.dir.clone(),
        what: "record".into(),
        reason: e.to_string(),
    })?;
    for (t, want) in expected {
        compare(&store, t, &want, &mut report.problems)?;
    }
    if !diverged {
        report.cache = check_cache(&store.dir, &store.applied, &state);
        if report.cache == CacheCheck::Differs {
            report.problems.push(Problem::CacheDiffers);
        }
    }
    Ok(report)
}

/// A point in the journal taken outside the machine (printed on minutes, noted with a
/// backup): the sequence number of a line and its hash, `SEQ:HASH`. The hash may be shortened
/// to its first 16 hexadecimal digits or more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// The line's sequence number.
    pub seq: u64,
    /// Its hash, or the first digits of it (lower case).
    pub hash: String,
}

impl Anchor {
    /// The shortest hash prefix accepted.
    pub const MIN_DIGITS: usize = 16;

    /// True when `hash` (a full line hash) is the one the anchor names.
    pub fn matches(&self, hash: &str) -> bool {
        hash.starts_with(&self.hash)
    }
}

impl std::str::FromStr for Anchor {
    type Err = ();

    fn from_str(text: &str) -> Result<Anchor, ()> {
        let (seq, hash) = text.trim().split_once(':').ok_or(())?;
        let seq: u64 = seq.trim().parse().map_err(|_| ())?;
        let hash = hash.trim().to_ascii_lowercase();
        if hash.len() < Anchor::MIN_DIGITS
            || hash.len() > 64
            || !hash.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Err(());
        }
        Ok(Anchor { seq, hash })
    }
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

/// Compares the record cache with the records the journal gives; a damaged or differing one
/// is removed (opening writes it again).
fn check_cache(dir: &Path, applied: &Applied, state: &State) -> CacheCheck {
    let found = cache::inspect(dir, applied);
    let verdict = match found {
        cache::Inspected::Absent => return CacheCheck::Absent,
        cache::Inspected::Stale => return CacheCheck::Stale,
        cache::Inspected::Damaged => CacheCheck::Damaged,
        cache::Inspected::Whole(cached) => {
            let open: BTreeMap<_, _> = state.actions.iter().filter(|(_, a)| a.is_open()).collect();
            let cached_open: BTreeMap<_, _> = cached.actions.iter().collect();
            if cached.office == state.office
                && cached.counters == state.counters
                && cached.teams == state.teams
                && cached.cases == state.cases
                && cached_open == open
            {
                return CacheCheck::Matches;
            }
            CacheCheck::Differs
        }
    };
    cache::remove(dir);
    verdict
}

/// The records replaying journal lines gives: every record, and the notes by key.
pub(crate) struct Replayed {
    pub(crate) state: State,
    pub(crate) notes: BTreeMap<[u8; 10], Note>,
}

/// Replays `lines` from an empty store, checking that each gives what it recorded; `Err((line,
/// why))` at the first that does not.
pub(crate) fn replay(lines: &[journal::Line]) -> Result<Replayed, (u64, String)> {
    let mut state = State::default();
    let mut notes: BTreeMap<[u8; 10], Note> = BTreeMap::new();
    for line in lines {
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
                return Err((
                    line.entry.seq,
                    format!(
                        "it assigns {outcome:?}, the journal says {:?}",
                        line.entry.out
                    ),
                ));
            }
            Err(e) => return Err((line.entry.seq, e.to_string())),
        }
    }
    Ok(Replayed { state, notes })
}

/// Reads the whole journal and sorts out its end.
fn read_journal(store: &Store) -> Result<journal::Reading, StoreError> {
    let tail = store
        .journal
        .read_from(0)
        .map_err(|e| StoreError::io("read the journal", store.journal.path(), e))?;
    journal::sort_out(tail, 0, GENESIS.to_string(), 0).map_err(|(_, found)| {
        StoreError::NewerSchema {
            dir: store.dir.clone(),
            found,
            supported: SCHEMA_VERSION,
        }
    })
}

pub(crate) type Expected = Vec<(TreeId, BTreeMap<Vec<u8>, Vec<u8>>)>;

pub(crate) fn expected_trees(
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

pub(crate) fn readable_key(t: TreeId, key: &[u8]) -> String {
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
        TreeId::Actions | TreeId::Notes => child(key),
        TreeId::DueIndex => codec::due_index_action(key).map(|id| id.to_string()),
        TreeId::Conferences => key
            .try_into()
            .ok()
            .map(|b: [u8; 4]| format!("#{}", u32::from_be_bytes(b))),
        TreeId::Teams | TreeId::Meta | TreeId::TeamIndex => {
            Some(String::from_utf8_lossy(key).replace('\0', "/"))
        }
    };
    text.unwrap_or_else(|| format!("{key:02x?}"))
}
