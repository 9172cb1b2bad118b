//! How records sit in sled: big-endian keys that scan in order, and JSON values in a versioned
//! envelope. Knows serde and byte layouts, not files.

use chrono::{Datelike, NaiveDate};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::domain::{ActionId, CaseNumber, TeamCode};

/// The schema version this casedesk writes and reads.
pub const SCHEMA_VERSION: u32 = 3;

#[derive(Serialize)]
struct EnvelopeOut<'a, T> {
    v: u32,
    d: &'a T,
}

#[derive(Deserialize)]
struct EnvelopeIn<T> {
    v: u32,
    d: T,
}

#[derive(Deserialize)]
struct VersionOnly {
    v: u32,
}

/// Why a stored value could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// Written by a newer casedesk.
    #[error("written by a newer casedesk (schema {0})")]
    Newer(u32),
    /// Not what it should be.
    #[error("damaged value: {0}")]
    Damaged(#[from] serde_json::Error),
}

/// Wraps a record in the envelope.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(&EnvelopeOut {
        v: SCHEMA_VERSION,
        d: value,
    })
}

/// Reads a record out of its envelope.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    match serde_json::from_slice::<EnvelopeIn<T>>(bytes) {
        Ok(env) if env.v > SCHEMA_VERSION => Err(DecodeError::Newer(env.v)),
        // Older envelopes read as they are: the fields added since have defaults, and a store
        // written by an older version is rebuilt from its journal when it is opened.
        Ok(env) => Ok(env.d),
        Err(e) => match serde_json::from_slice::<VersionOnly>(bytes) {
            Ok(only) if only.v > SCHEMA_VERSION => Err(DecodeError::Newer(only.v)),
            _ => Err(DecodeError::Damaged(e)),
        },
    }
}

/// Key of a case: year then number, big-endian.
pub fn case_key(n: CaseNumber) -> [u8; 6] {
    let mut k = [0u8; 6];
    k[..2].copy_from_slice(&n.year.to_be_bytes());
    k[2..].copy_from_slice(&n.seq.to_be_bytes());
    k
}

/// Key of a conference: its number.
pub fn conference_key(id: u32) -> [u8; 4] {
    id.to_be_bytes()
}

/// Key of an action: its case's key then its number.
pub fn action_key(id: ActionId) -> [u8; 10] {
    child_key(id.case, id.n)
}

/// Key of a note: its case's key then its number.
pub fn note_key(case: CaseNumber, n: u32) -> [u8; 10] {
    child_key(case, n)
}

fn child_key(case: CaseNumber, n: u32) -> [u8; 10] {
    let mut k = [0u8; 10];
    k[..6].copy_from_slice(&case_key(case));
    k[6..].copy_from_slice(&n.to_be_bytes());
    k
}

/// A day as a big-endian number, so keys that start with it scan in date order.
pub fn day_key(date: NaiveDate) -> [u8; 4] {
    // Days from the common era are positive for every date casedesk deals with.
    let days = u32::try_from(date.num_days_from_ce()).unwrap_or(0);
    days.to_be_bytes()
}

/// Index key: open action by due date.
pub fn due_index_key(due: NaiveDate, id: ActionId) -> Vec<u8> {
    let mut k = Vec::with_capacity(14);
    k.extend_from_slice(&day_key(due));
    k.extend_from_slice(&action_key(id));
    k
}

/// Reads the action id back out of a due-index key.
pub fn due_index_action(key: &[u8]) -> Option<ActionId> {
    if key.len() != 14 {
        return None;
    }
    action_from_key(key.get(4..)?)
}

/// Reads an action id back out of its key.
pub fn action_from_key(key: &[u8]) -> Option<ActionId> {
    let bytes: &[u8; 10] = key.try_into().ok()?;
    let [y0, y1, s0, s1, s2, s3, n0, n1, n2, n3] = *bytes;
    Some(ActionId {
        case: CaseNumber {
            year: u16::from_be_bytes([y0, y1]),
            seq: u32::from_be_bytes([s0, s1, s2, s3]),
        },
        n: u32::from_be_bytes([n0, n1, n2, n3]),
    })
}

/// Index key: case by team (lead or cooperating).
pub fn team_index_key(team: &TeamCode, case: CaseNumber) -> Vec<u8> {
    let mut k = Vec::with_capacity(team.as_str().len() + 7);
    k.extend_from_slice(team.as_str().as_bytes());
    k.push(0);
    k.extend_from_slice(&case_key(case));
    k
}

/// Value of a team-index entry: how the team is involved.
pub fn team_role(lead: bool) -> &'static [u8] {
    if lead { b"lead" } else { b"co" }
}
