//! A cache of the records kept in memory, written beside the store so that opening a large store
//! need not decode every JSON record again. It is derived, never the truth: it is used only when
//! it was written at exactly the journal position sled is at and its contents match the
//! SHA-256 checksum written with them, and ignored (then rewritten) otherwise. Knows files and
//! postcard, not sled.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Applied;
use super::codec::SCHEMA_VERSION;
use crate::domain::model::Counters;
use crate::domain::{Action, ActionId, Case, Office, State, Team, TeamCode};

/// The cache file's name in the store directory.
pub const CACHE_FILE: &str = "state.cache";

/// What a cache was written from; any difference and it is not used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    schema: u32,
    version: String,
    layout: String,
    seq: u64,
    hash: String,
    /// SHA-256 of the body that follows.
    checksum: [u8; 32],
}

impl Header {
    fn now(applied: &Applied, checksum: [u8; 32]) -> Header {
        Header {
            schema: SCHEMA_VERSION,
            version: env!("CARGO_PKG_VERSION").to_string(),
            layout: layout(),
            seq: applied.seq,
            hash: applied.hash.clone(),
            checksum,
        }
    }
}

pub(super) fn checksum(bytes: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).into()
}

/// The largest cache read (a cache of 200,000 cases is well under it).
const MAX_CACHE: u64 = 1 << 30;

/// A fingerprint of the records' shape: postcard is not self-describing, so a cache written by a
/// build whose records have other fields must not be read by this one. Sample records with
/// every field filled are written as JSON and hashed; a field added, removed or renamed
/// changes it.
fn layout() -> String {
    use sha2::{Digest, Sha256};
    let day = chrono::NaiveDate::default();
    let at = chrono::DateTime::<chrono::FixedOffset>::default();
    let number = crate::domain::CaseNumber { year: 2026, seq: 1 };
    // A code that reads (the sample's shape, not its values, is what counts).
    let Some(team) = crate::domain::TeamCode::new("WEE") else {
        return String::new();
    };
    let case = Case {
        number,
        student: crate::domain::model::Student {
            name: String::new(),
            birth_on: Some(day),
            sex: None,
        },
        school: String::new(),
        grade: crate::domain::model::Grade {
            year: 1,
            class: Some(1),
        },
        domains: Vec::new(),
        concerns: Vec::new(),
        level: crate::domain::vocab::Level::Watch,
        level_history: Vec::new(),
        stage: crate::domain::vocab::Stage::Intake,
        stage_history: Vec::new(),
        lead_team: team.clone(),
        lead_person: None,
        co_teams: Vec::new(),
        referral_source: None,
        referred_on: day,
        review_on: None,
        consent: crate::domain::model::Consent {
            collection_on: Some(day),
            third_party: vec![team.clone()],
            records: vec![crate::domain::model::ConsentRecord {
                kind: crate::domain::vocab::ConsentKind::Sharing,
                agency: Some(team.clone()),
                given_on: Some(day),
                given_by: crate::domain::vocab::ConsentGiver::Both,
                withdrawn_on: Some(day),
                recorded_by: String::new(),
            }],
        },
        urgent: false,
        safety: false,
        summary: String::new(),
        background: vec![String::new()],
        merged_into: Some(number),
        opened_at: at,
        opened_by: String::new(),
        closed_on: None,
        actions_made: 0,
        notes_made: 0,
    };
    let action = Action {
        id: crate::domain::ActionId { case: number, n: 1 },
        title: String::new(),
        team: case.lead_team.clone(),
        person: None,
        due_on: day,
        status: crate::domain::vocab::ActionStatus::Open,
        closed_on: None,
        result: None,
        created_at: at,
        closed_by: None,
        created_by: String::new(),
        conference: None,
        progress: Vec::new(),
        referral: Vec::new(),
        sessions: Vec::new(),
        without_consent: Some(String::new()),
    };
    let office = Office {
        name: String::new(),
        demo: false,
    };
    let teams = crate::domain::model::default_teams();
    let counters = Counters {
        conferences: 1,
        ..Counters::default()
    };
    let sample = serde_json::json!([case, action, office, teams.first(), counters]);
    let digest = Sha256::digest(sample.to_string().as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

#[derive(Serialize, Deserialize)]
struct Body {
    office: Option<Office>,
    // Not `Counters` itself: its JSON form leaves out a zero, which postcard cannot read back.
    case_counters: std::collections::BTreeMap<u16, u32>,
    conference_counter: u32,
    teams: Vec<Team>,
    cases: Vec<Case>,
    actions: Vec<Action>,
    action_teams: Vec<(ActionId, TeamCode)>,
}

impl Body {
    fn of(state: &State) -> Body {
        Body {
            office: state.office.clone(),
            case_counters: state.counters.cases.clone(),
            conference_counter: state.counters.conferences,
            teams: state.teams.values().cloned().collect(),
            cases: state.cases.values().cloned().collect(),
            // Only open actions are kept in memory; finished ones read since stay out.
            actions: state
                .actions
                .values()
                .filter(|a| a.is_open())
                .cloned()
                .collect(),
            action_teams: state
                .action_teams
                .iter()
                .map(|(id, team)| (*id, team.clone()))
                .collect(),
        }
    }

    fn into_state(self) -> State {
        let mut state = State::from_records(
            self.office,
            Some(Counters {
                cases: self.case_counters,
                conferences: self.conference_counter,
            }),
            self.teams,
            self.cases,
            self.actions,
        );
        state.set_action_teams(self.action_teams);
        state
    }
}

/// Records as they cross a socket: the cache's compact form, with the users, and the
/// conferences as JSON (their shape is not one postcard can read back).
#[derive(Serialize, Deserialize)]
struct Wire {
    body: Body,
    users: Vec<crate::domain::User>,
    conferences: Vec<u8>,
}

/// `state` in the compact form a server sends its clients.
pub fn encode_state(state: &State) -> Result<Vec<u8>, String> {
    let conferences: Vec<&crate::domain::Conference> = state.conferences.values().collect();
    let wire = Wire {
        body: Body::of(state),
        users: state.users.values().cloned().collect(),
        conferences: serde_json::to_vec(&conferences).map_err(|e| e.to_string())?,
    };
    postcard::to_stdvec(&wire).map_err(|e| e.to_string())
}

/// Reads what `encode_state` wrote.
pub fn decode_state(bytes: &[u8]) -> Result<State, String> {
    let wire: Wire = postcard::from_bytes(bytes).map_err(|e| e.to_string())?;
    let conferences: Vec<crate::domain::Conference> =
        serde_json::from_slice(&wire.conferences).map_err(|e| e.to_string())?;
    let mut state = wire.body.into_state();
    state.set_conferences(conferences);
    state.set_users(wire.users);
    Ok(state)
}

/// What is in the cache file.
pub(crate) enum Inspected {
    /// There is none.
    Absent,
    /// Written at another journal position, or by another build.
    Stale,
    /// It does not read, or its contents do not match their checksum.
    Damaged,
    /// It reads whole: the records as they were at the position it was written.
    Whole(Box<State>),
}

/// The records as they were at `applied`, if a cache written there exists and reads whole.
pub(crate) fn read(dir: &Path, applied: &Applied) -> Option<State> {
    match inspect(dir, applied) {
        Inspected::Whole(state) => Some(*state),
        _ => None,
    }
}

/// Reads the cache and says what it is.
pub(crate) fn inspect(dir: &Path, applied: &Applied) -> Inspected {
    let bytes = match crate::fsio::read_bounded(&dir.join(CACHE_FILE), MAX_CACHE) {
        Ok(bytes) => bytes,
        Err(crate::fsio::ReadError::NotFound) => return Inspected::Absent,
        Err(_) => return Inspected::Damaged,
    };
    let Ok((header, rest)) = postcard::take_from_bytes::<Header>(&bytes) else {
        return Inspected::Damaged;
    };
    if header.schema != SCHEMA_VERSION
        || header.version != env!("CARGO_PKG_VERSION")
        || header.layout != layout()
        || header.seq != applied.seq
        || header.hash != applied.hash
    {
        return Inspected::Stale;
    }
    if header.checksum != checksum(rest) {
        return Inspected::Damaged;
    }
    let Ok(body) = postcard::from_bytes::<Body>(rest) else {
        return Inspected::Damaged;
    };
    Inspected::Whole(Box::new(body.into_state()))
}

/// Writes the cache for `state` at `applied` (owner-only, synced, replaced in one rename that
/// is synced with the directory).
pub(crate) fn write(dir: &Path, applied: &Applied, state: &State) -> std::io::Result<()> {
    let body = Body::of(state);
    let body = postcard::to_stdvec(&body).map_err(std::io::Error::other)?;
    let mut bytes = postcard::to_stdvec(&Header::now(applied, checksum(&body)))
        .map_err(std::io::Error::other)?;
    bytes.extend(body);
    crate::fsio::replace_private(&dir.join(CACHE_FILE), &bytes, true)
}

/// Removes the cache (when the store is rebuilt).
pub fn remove(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(CACHE_FILE));
}
