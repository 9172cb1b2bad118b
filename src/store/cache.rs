//! A cache of the records kept in memory, written beside the store so that opening a large store
//! need not decode every JSON record again. It is derived, never the truth: it is used only when
//! it was written at exactly the journal position sled is at, and ignored (then rewritten)
//! otherwise. Knows files and postcard, not sled.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Applied;
use super::codec::SCHEMA_VERSION;
use crate::domain::model::Counters;
use crate::domain::{Action, Case, Office, State, Team};

/// The cache file's name in the store directory.
pub const CACHE_FILE: &str = "state.cache";

/// What a cache was written from; any difference and it is not used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    schema: u32,
    version: String,
    seq: u64,
    hash: String,
}

impl Header {
    fn now(applied: &Applied) -> Header {
        Header {
            schema: SCHEMA_VERSION,
            version: env!("CARGO_PKG_VERSION").to_string(),
            seq: applied.seq,
            hash: applied.hash.clone(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Body {
    office: Option<Office>,
    counters: Counters,
    teams: Vec<Team>,
    cases: Vec<Case>,
    actions: Vec<Action>,
}

/// The records as they were at `applied`, if a cache written there exists and reads.
pub(crate) fn read(dir: &Path, applied: &Applied) -> Option<State> {
    let bytes = std::fs::read(dir.join(CACHE_FILE)).ok()?;
    let (header, rest): (Header, &[u8]) = postcard::take_from_bytes(&bytes).ok()?;
    if header != Header::now(applied) {
        return None;
    }
    let body: Body = postcard::from_bytes(rest).ok()?;
    Some(State::from_records(
        body.office,
        Some(body.counters),
        body.teams,
        body.cases,
        body.actions,
    ))
}

/// Writes the cache for `state` at `applied` (owner-only, replaced in one rename).
pub(crate) fn write(dir: &Path, applied: &Applied, state: &State) -> std::io::Result<()> {
    let body = Body {
        office: state.office.clone(),
        counters: state.counters.clone(),
        teams: state.teams.values().cloned().collect(),
        cases: state.cases.values().cloned().collect(),
        // Only open actions are kept in memory; finished ones read since stay out.
        actions: state
            .actions
            .values()
            .filter(|a| a.is_open())
            .cloned()
            .collect(),
    };
    let mut bytes = postcard::to_stdvec(&Header::now(applied)).map_err(std::io::Error::other)?;
    bytes.extend(postcard::to_stdvec(&body).map_err(std::io::Error::other)?);
    let tmp = dir.join(format!("{CACHE_FILE}.tmp"));
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    file.write_all(&bytes)?;
    drop(file);
    std::fs::rename(&tmp, dir.join(CACHE_FILE))
}

/// Removes the cache (when the store is rebuilt).
pub fn remove(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(CACHE_FILE));
}
