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
    check_open(&mut store, anchor)
}

/// Checks a store that is open (a server's), against `anchor` when given.
pub fn check_open(store: &mut Store, anchor: Option<&Anchor>) -> Result<CheckReport, StoreError> {
    let mut report = CheckReport {
        head: (0, GENESIS.to_string()),
        ..CheckReport::default()
    };
    if let Some(quick) = quick(store, anchor) {
        report.recovery = store.recovery.clone();
        report.entries = quick.entries;
        report.head = quick.head;
        if let Some(anchor) = anchor {
            match judge(anchor, quick.entries, quick.at_anchor.as_deref()) {
                Ok(()) => report.anchor_holds = true,
                Err(problem) => report.problems.push(problem),
            }
        }
        report.cases = quick.replayed.state.cases.len();
        report.actions = quick.replayed.state.actions.len();
        report.notes = quick.replayed.notes.len();
        let at = store.applied.clone();
        let (compared, cache) = std::thread::scope(|s| {
            let cache = s.spawn(|| check_cache(&store.dir, &at, &quick.replayed.state));
            let compared = compare_all(store, &quick.replayed, &at);
            (compared, cache.join().unwrap_or(CacheCheck::Absent))
        });
        report.problems.extend(compared?);
        report.cache = cache;
        if report.cache == CacheCheck::Differs {
            report.problems.push(Problem::CacheDiffers);
        }
        // A million records take a moment to free: not on the way to the answer.
        std::thread::spawn(move || drop(quick.replayed));
        return Ok(report);
    }
    let mut reading = read_journal(store)?;
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
        reading = read_journal(store)?;
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
        let found = usize::try_from(anchor.seq)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| lines.get(i))
            .map(|l| l.hash.as_str());
        match judge(anchor, report.entries, found) {
            Ok(()) => report.anchor_holds = true,
            Err(problem) => report.problems.push(problem),
        }
    }

    let replayed = match replay(&lines) {
        Ok(replayed) => replayed,
        Err((line, reason)) => {
            report.problems.push(Problem::Replay { line, reason });
            return Ok(report);
        }
    };
    report.cases = replayed.state.cases.len();
    report.actions = replayed.state.actions.len();
    report.notes = replayed.notes.len();

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
    report.problems.extend(compare_all(store, &replayed, &at)?);
    if !diverged {
        report.cache = check_cache(&store.dir, &store.applied, &replayed.state);
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

/// Replays journal entries one after another from an empty store, checking that each gives
/// what it recorded.
#[derive(Default)]
pub(crate) struct Replayer {
    state: State,
    notes: BTreeMap<[u8; 10], Note>,
}

impl Replayer {
    /// Applies one entry; `Err((line, why))` when it does not give what it recorded.
    pub(crate) fn apply(&mut self, entry: &journal::Entry) -> Result<(), (u64, String)> {
        let ctx = Ctx {
            at: entry.at,
            user: entry.user.clone(),
        };
        match self.state.execute(&entry.cmd, &ctx) {
            Ok((outcome, changes)) if outcome == entry.out => {
                for note in &changes.notes {
                    self.notes
                        .insert(codec::note_key(note.case, note.n), note.clone());
                }
                for (case, n) in &changes.removed_notes {
                    self.notes.remove(&codec::note_key(*case, *n));
                }
                self.state.commit(changes);
                Ok(())
            }
            Ok((outcome, _)) => Err((
                entry.seq,
                format!("it assigns {outcome:?}, the journal says {:?}", entry.out),
            )),
            Err(e) => Err((entry.seq, e.to_string())),
        }
    }

    /// The records the entries gave.
    pub(crate) fn finish(self) -> Replayed {
        Replayed {
            state: self.state,
            notes: self.notes,
        }
    }
}

/// Replays `lines` from an empty store, checking that each gives what it recorded; `Err((line,
/// why))` at the first that does not.
pub(crate) fn replay(lines: &[journal::Line]) -> Result<Replayed, (u64, String)> {
    let mut replayer = Replayer::default();
    for line in lines {
        replayer.apply(&line.entry)?;
    }
    Ok(replayer.finish())
}

/// What the quick path read.
struct Quick {
    entries: u64,
    head: (u64, String),
    at_anchor: Option<String>,
    replayed: Replayed,
}

/// The usual case, quickly: the database has applied exactly the whole journal. One thread
/// reads and parses the journal (checking each line's hash) while this one checks the chain and
/// replays it, batch by batch. `None` when anything is out of the ordinary: the careful path
/// then reads it again and says what.
fn quick(store: &Store, anchor: Option<&Anchor>) -> Option<Quick> {
    use std::io::{BufRead, BufReader, Read};
    type Batch = Vec<Result<(journal::Entry, String), LineError>>;
    let applied = &store.applied;
    let len = store.journal.len();
    if applied.offset != len {
        return None;
    }
    if applied.seq > 0
        && store.journal.line_ending_at(len).ok()? != Some((applied.seq, applied.hash.clone()))
    {
        return None;
    }
    let path = store.journal.path().to_path_buf();
    // Lines go out in batches, in turn to each parser; they come back in the same turn.
    const PARSERS: usize = 2;
    let mut raw_txs = Vec::new();
    let mut raw_rxs = Vec::new();
    let mut out_txs = Vec::new();
    let mut out_rxs = Vec::new();
    for _ in 0..PARSERS {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(Vec<u8>, Vec<usize>)>(4);
        raw_txs.push(tx);
        raw_rxs.push(rx);
        let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(4);
        out_txs.push(tx);
        out_rxs.push(rx);
    }
    std::thread::scope(|s| {
        let reader = s.spawn(move || -> std::io::Result<bool> {
            let file = std::fs::File::open(&path)?;
            let mut reader = BufReader::with_capacity(1 << 20, file.take(len));
            let mut bytes: Vec<u8> = Vec::with_capacity(1 << 20);
            let mut ends: Vec<usize> = Vec::with_capacity(2048);
            let mut turn = 0;
            loop {
                let n = reader.read_until(b'\n', &mut bytes)?;
                if n == 0 {
                    break;
                }
                if bytes.last() != Some(&b'\n') {
                    return Ok(false);
                }
                ends.push(bytes.len());
                if ends.len() == 2048 {
                    let batch = (std::mem::take(&mut bytes), std::mem::take(&mut ends));
                    let to = raw_txs.get(turn % PARSERS);
                    if to.is_none_or(|tx| tx.send(batch).is_err()) {
                        return Ok(false);
                    }
                    turn += 1;
                }
            }
            Ok(ends.is_empty()
                || raw_txs
                    .get(turn % PARSERS)
                    .is_some_and(|tx| tx.send((bytes, ends)).is_ok()))
        });
        for (raw, out) in raw_rxs.into_iter().zip(out_txs) {
            s.spawn(move || {
                for (bytes, ends) in raw.iter() {
                    let mut start = 0;
                    let batch: Batch = ends
                        .iter()
                        .map(|&end| {
                            // Every end is just past a newline, after the one before it.
                            let line = bytes.get(start..end - 1).unwrap_or_default();
                            start = end;
                            journal::parse(line)
                        })
                        .collect();
                    if out.send(batch).is_err() {
                        return;
                    }
                }
            });
        }
        let batches = (0..)
            .map_while(|turn: usize| out_rxs.get(turn % PARSERS).and_then(|rx| rx.recv().ok()));
        let mut replayer = Replayer::default();
        let mut seq = 0u64;
        let mut prev = GENESIS.to_string();
        let mut at_anchor = None;
        let mut ok = true;
        'read: for batch in batches {
            for parsed in batch {
                let Ok((entry, hash)) = parsed else {
                    ok = false;
                    break 'read;
                };
                if entry.seq != seq + 1 || entry.prev != prev || replayer.apply(&entry).is_err() {
                    ok = false;
                    break 'read;
                }
                seq = entry.seq;
                prev = hash;
                if anchor.is_some_and(|a| a.seq == seq) {
                    at_anchor = Some(prev.clone());
                }
            }
        }
        drop(out_rxs);
        let whole = reader.join().ok()?.ok()?;
        (ok && whole && seq == applied.seq).then(|| Quick {
            entries: seq,
            head: (seq, prev),
            at_anchor,
            replayed: replayer.finish(),
        })
    })
}

/// Whether `anchor` holds for a journal of `entries` lines whose line at the anchor has the
/// hash `found`.
fn judge(anchor: &Anchor, entries: u64, found: Option<&str>) -> Result<(), Problem> {
    if anchor.seq == 0 {
        return Ok(());
    }
    match found {
        _ if anchor.seq > entries => Err(Problem::AnchorBeyond {
            seq: anchor.seq,
            entries,
        }),
        Some(hash) if anchor.matches(hash) => Ok(()),
        found => Err(Problem::AnchorMismatch {
            seq: anchor.seq,
            found: found.unwrap_or_default().to_string(),
        }),
    }
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
    TreeId::ALL
        .iter()
        .map(|t| Ok((*t, expected_tree(*t, state, notes, applied)?)))
        .collect()
}

/// The records (keys and encoded values) tree `t` must hold for `state`.
pub(crate) fn expected_tree(
    t: TreeId,
    state: &State,
    notes: &BTreeMap<[u8; 10], Note>,
    applied: &Applied,
) -> Result<BTreeMap<Vec<u8>, Vec<u8>>, serde_json::Error> {
    let mut tree = BTreeMap::new();
    match t {
        TreeId::Meta => {
            if let Some(office) = &state.office {
                tree.insert(META_OFFICE.to_vec(), encode(office)?);
            }
            if state.counters != Counters::default() {
                tree.insert(META_COUNTERS.to_vec(), encode(&state.counters)?);
            }
            tree.insert(
                META_SCHEMA.to_vec(),
                SCHEMA_VERSION.to_string().into_bytes(),
            );
            if applied.seq > 0 {
                tree.insert(META_APPLIED.to_vec(), encode(applied)?);
            }
        }
        TreeId::Teams => {
            for team in state.teams.values() {
                tree.insert(team.code.as_str().as_bytes().to_vec(), encode(team)?);
            }
        }
        TreeId::Cases => {
            for case in state.cases.values() {
                tree.insert(codec::case_key(case.number).to_vec(), encode(case)?);
            }
        }
        TreeId::Actions => {
            for action in state.actions.values() {
                tree.insert(codec::action_key(action.id).to_vec(), encode(action)?);
            }
        }
        TreeId::Notes => {
            for (key, note) in notes {
                tree.insert(key.to_vec(), encode(note)?);
            }
        }
        TreeId::Conferences => {
            for conference in state.conferences.values() {
                tree.insert(
                    codec::conference_key(conference.id).to_vec(),
                    encode(conference)?,
                );
            }
        }
        TreeId::Users => {
            for user in state.users.values() {
                tree.insert(user.account.as_bytes().to_vec(), encode(user)?);
            }
        }
        TreeId::DueIndex | TreeId::TeamIndex | TreeId::OwnerIndex => {
            for op in expected_index_ops(state)
                .into_iter()
                .filter(|op| op.tree == t)
            {
                tree.insert(op.key, op.value.unwrap_or_default());
            }
        }
    }
    Ok(tree)
}

/// Compares every tree of the store with what `replayed` gives at `at`, the trees side by side
/// on as many threads (encoding the expected records and reading sled's are the bulk of a
/// check). At most 50 problems.
fn compare_all(
    store: &Store,
    replayed: &Replayed,
    at: &Applied,
) -> Result<Vec<Problem>, StoreError> {
    let dir = store.dir.as_path();
    let results: Vec<Result<Vec<Problem>, StoreError>> = std::thread::scope(|s| {
        let handles: Vec<_> = TreeId::ALL
            .iter()
            .map(|&t| {
                let tree = store.tree(t);
                s.spawn(move || -> Result<Vec<Problem>, StoreError> {
                    let tree = tree?;
                    let want =
                        expected_tree(t, &replayed.state, &replayed.notes, at).map_err(|e| {
                            StoreError::Damaged {
                                dir: dir.to_path_buf(),
                                what: "record".into(),
                                reason: e.to_string(),
                            }
                        })?;
                    let mut problems = Vec::new();
                    compare(tree, dir, t, &want, &mut problems)?;
                    Ok(problems)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(StoreError::Damaged {
                        dir: dir.to_path_buf(),
                        what: "records".into(),
                        reason: "a checking thread failed".into(),
                    })
                })
            })
            .collect()
    });
    let mut problems = Vec::new();
    for result in results {
        problems.extend(result?);
    }
    problems.truncate(MAX_REPORTED);
    Ok(problems)
}

const MAX_REPORTED: usize = 50;

fn compare(
    tree: &sled::Tree,
    dir: &Path,
    t: TreeId,
    want: &BTreeMap<Vec<u8>, Vec<u8>>,
    problems: &mut Vec<Problem>,
) -> Result<(), StoreError> {
    let sled_err = |source| StoreError::Sled {
        dir: dir.to_path_buf(),
        source,
    };
    let mut seen = 0usize;
    for item in tree.iter() {
        let (k, v) = item.map_err(sled_err)?;
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
            if !tree.contains_key(k).map_err(sled_err)? {
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

/// What `check` found, in words: what opening repaired, the problems, and the journal's head
/// (and whether `anchor` holds). The command line prints it; a server sends it.
pub fn describe(report: &CheckReport, anchor: Option<&Anchor>, lang: Lang) -> String {
    let ko = lang == Lang::Ko;
    let mut text = String::new();
    for line in report.recovery.notices(lang) {
        text.push_str(&format!("{line}\n"));
    }
    if report.recovered > 0 {
        text.push_str(&if ko {
            format!(
                "복구: 저장소에 빠져 있던 저널 {}건을 적용했습니다\n",
                report.recovered
            )
        } else {
            format!(
                "recovered: applied {} journal entries the store lacked\n",
                report.recovered
            )
        });
    }
    if report.cache == CacheCheck::Damaged {
        text.push_str(if ko {
            "복구: 기록 캐시(state.cache)의 체크섬이 맞지 않아 지웠습니다 (다음에 열 때 다시 만듭니다)\n"
        } else {
            "repaired: the record cache (state.cache) did not match its checksum; it was removed (the next open writes it again)\n"
        });
    }
    for problem in &report.problems {
        text.push_str(&format!("{}\n", problem.localize(lang)));
    }
    if report.ok() {
        text.push_str(&if ko {
            format!(
                "이상 없음: 저널 {}건의 해시 체인이 온전하고 저장소가 저널과 일치합니다 (사례 {}, 조치 {}, 기록 {})\n",
                report.entries, report.cases, report.actions, report.notes
            )
        } else {
            format!(
                "ok: {} journal entries, hash chain intact, store agrees with the journal ({} cases, {} actions, {} notes)\n",
                report.entries, report.cases, report.actions, report.notes
            )
        });
    }
    let (seq, hash) = &report.head;
    text.push_str(&if ko {
        format!("저널 머리 (기준점): {seq}:{hash}\n")
    } else {
        format!("journal head (anchor): {seq}:{hash}\n")
    });
    if let Some(anchor) = anchor
        && report.anchor_holds
    {
        text.push_str(&if ko {
            format!(
                "기준점 {anchor} 확인: 저널 1~{}번 줄은 기준점을 잡은 뒤 바뀌지 않았습니다\n",
                anchor.seq
            )
        } else {
            format!(
                "anchor {anchor} holds: journal lines 1 to {} are unchanged since it was taken\n",
                anchor.seq
            )
        });
    }
    text
}
