//! What a casedesk client and server say to each other over the Unix socket, and how it is
//! framed: a 4-byte big-endian length, a 1-byte kind (JSON, a state, a chunk of bytes), then the
//! body. Every frame's size is checked before it is read. Knows serde and byte streams only.

use std::io::{Read, Write};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{
    CheckSummary, ClientKind, ConnectionError, FailureKind, Receipt, Scope, ServerStatus, Session,
    Stale,
};
use crate::domain::access::{Access, Denied};
use crate::domain::revision::{ChangeSummary, Expect};
use crate::domain::{Action, CaseNumber, Changes, Command, DomainError, Note, User};
use crate::transfer::backup::BackupReport;

/// The protocol's version: a client and a server must speak the same one.
pub const PROTOCOL: u32 = 1;

/// The largest frame a server reads from a client (an import of many rows fits).
pub const MAX_REQUEST: usize = 64 << 20;

/// The largest frame a client reads from a server (a whole store's records fit).
pub const MAX_ANSWER: usize = u32::MAX as usize;

/// What a frame holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameKind {
    /// A JSON message.
    Json = 0,
    /// Records, in the compact form of the record cache.
    State = 1,
    /// A chunk of raw bytes (a backup's journal).
    Bytes = 2,
}

/// Why a frame could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The other side closed the connection.
    #[error("the connection closed")]
    Closed,
    /// Reading or writing failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A frame larger than allowed.
    #[error("a message of {size} bytes is larger than the {max} allowed")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// A frame of an unknown kind.
    #[error("a message of unknown kind {0}")]
    UnknownKind(u8),
    /// A JSON frame that is not a message this side understands.
    #[error("a malformed message: {0}")]
    Malformed(String),
}

/// Writes one frame.
pub fn write_frame(out: &mut impl Write, kind: FrameKind, body: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(body.len()).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "a message larger than 4 GiB",
        )
    })?;
    let mut head = [0u8; 5];
    head[..4].copy_from_slice(&len.to_be_bytes());
    head[4] = kind as u8;
    out.write_all(&head)?;
    out.write_all(body)?;
    out.flush()
}

/// Writes one JSON message.
pub fn write_json<T: Serialize>(out: &mut impl Write, value: &T) -> std::io::Result<()> {
    let body = serde_json::to_vec(value).map_err(std::io::Error::other)?;
    write_frame(out, FrameKind::Json, &body)
}

/// Reads one frame of at most `max` bytes.
pub fn read_frame(input: &mut impl Read, max: usize) -> Result<(FrameKind, Vec<u8>), FrameError> {
    let mut head = [0u8; 5];
    if let Err(e) = input.read_exact(&mut head) {
        return Err(match e.kind() {
            std::io::ErrorKind::UnexpectedEof => FrameError::Closed,
            _ => FrameError::Io(e),
        });
    }
    let [a, b, c, d, kind] = head;
    let size = u32::from_be_bytes([a, b, c, d]) as usize;
    if size > max {
        return Err(FrameError::TooLarge { size, max });
    }
    let kind = match kind {
        0 => FrameKind::Json,
        1 => FrameKind::State,
        2 => FrameKind::Bytes,
        other => return Err(FrameError::UnknownKind(other)),
    };
    // Read into spare capacity (no zeroing of a large buffer first).
    let mut body = Vec::with_capacity(size);
    let got = input
        .take(size as u64)
        .read_to_end(&mut body)
        .map_err(FrameError::Io)?;
    if got < size {
        return Err(FrameError::Closed);
    }
    Ok((kind, body))
}

/// Reads a JSON body as `T`.
pub fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, FrameError> {
    serde_json::from_slice(body).map_err(|e| FrameError::Malformed(e.to_string()))
}

/// The first message a client sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    /// The protocol version it speaks.
    pub protocol: u32,
    /// Its casedesk version.
    pub version: String,
    /// What it is.
    pub kind: ClientKind,
    /// Its process id.
    pub pid: u32,
    /// An account it claims to be: honoured only by a server started for tests with
    /// `CASEDESK_TEST_IDENTITIES=1`; every other server reads the account from the socket.
    #[serde(default)]
    pub claimed: Option<String>,
}

/// The server's answer to `Hello`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Welcome {
    /// Connected.
    Ok {
        /// Who the store knows the client as.
        access: Access,
        /// The server's process id.
        server_pid: u32,
        /// Other people connected.
        others: usize,
        /// What the server's store says about itself.
        #[serde(default)]
        store: StoreNotices,
    },
    /// Not connected, and why.
    Refused(WireError),
}

/// What opening the server's store repaired, in both languages (told once, to the first
/// casedesk to connect — usually the one that started the server), and whether it is open
/// read-only because of damage (told to everyone).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreNotices {
    /// In Korean, one line each.
    pub ko: Vec<String>,
    /// In English, one line each.
    pub en: Vec<String>,
    /// The store takes no changes until it is repaired.
    pub read_only: bool,
}

/// A request, numbered by the client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// The client's number for it; the reply carries it back.
    pub id: u64,
    /// What is asked.
    pub request: Request,
}

/// What a client asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Everything the person may see, followed by the changes as they happen.
    Subscribe,
    /// Part of the records.
    View(Scope),
    /// One command.
    Apply {
        /// The command.
        cmd: Box<Command>,
        /// Records it is based on, as they were read.
        expect: Vec<Expect>,
    },
    /// Several commands, all or nothing.
    ApplyAll {
        /// The commands.
        cmds: Vec<Command>,
    },
    /// A case's notes.
    NotesOf(CaseNumber),
    /// The person's own latest change still to be undone.
    LastOwnChange,
    /// All of a case's actions.
    CaseActions(CaseNumber),
    /// Every action.
    AllActions,
    /// The actions done or dropped on or after a day.
    FinishedSince(NaiveDate),
    /// Open actions due by a day.
    OpenActionsDue(Option<NaiveDate>),
    /// The users.
    Users,
    /// Who is connected.
    Who,
    /// Run `check`, proving the journal up to an anchor (`SEQ:HASH`) when given.
    Check {
        /// The anchor.
        anchor: Option<String>,
    },
    /// Stream a backup of the journal.
    Backup,
    /// Fill an empty store with demo data.
    Demo {
        /// Cases.
        cases: usize,
        /// Seed.
        seed: u64,
    },
    /// The server's status.
    Status,
    /// The journal's head.
    Head,
    /// A new conference as proposed.
    Propose {
        /// Its day.
        date: NaiveDate,
        /// Its kind.
        kind: crate::domain::vocab::ConferenceKind,
        /// Its title (made from the day and kind when not given).
        title: Option<String>,
        /// Who runs it.
        facilitator: String,
        /// The language of a made-up title.
        lang: crate::i18n::Lang,
        /// How long it runs, in minutes.
        length_minutes: u16,
    },
    /// Stop the server.
    Stop,
}

/// A server's answer to a request.
// One reply at a time crosses the socket: a receipt's size (it carries the command that undoes
// the change) is not worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// Done, nothing to say.
    Done,
    /// Records follow in a state frame.
    State,
    /// A command's receipt.
    Receipt(Receipt),
    /// A batch's receipts.
    Receipts(Vec<Receipt>),
    /// Notes.
    Notes(Vec<Note>),
    /// The person's own latest change still to be undone.
    OwnChange(Option<super::OwnChange>),
    /// Actions.
    Actions(Vec<Action>),
    /// Users.
    Users(Vec<User>),
    /// Sessions.
    Sessions(Vec<Session>),
    /// What check found.
    Check(CheckSummary),
    /// Backup chunks were sent; this is what they hold.
    Backup(BackupReport),
    /// Demo data made: cases and actions.
    Demo(usize, usize),
    /// The server's status.
    Status(ServerStatus),
    /// The journal's head: confirmed changes and the last one's hash.
    Head(u64, String),
    /// A proposed conference.
    Proposal(Box<crate::domain::NewConference>),
    /// Refused or failed.
    Error(WireError),
}

/// What a server sends: a reply, or news.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ServerMsg {
    /// The answer to request `id`.
    Reply {
        /// The request's number.
        id: u64,
        /// The answer.
        reply: Reply,
    },
    /// A change confirmed, with the records it wrote that the subscriber may see.
    Changed {
        /// Journal sequence number.
        seq: u64,
        /// Who made it.
        by: String,
        /// When.
        at: DateTime<FixedOffset>,
        /// What it was.
        summary: Option<ChangeSummary>,
        /// True when it came through this connection.
        own: bool,
        /// The records written (what the subscriber may see of them).
        changes: Changes,
        /// Cases the subscriber no longer sees.
        hidden: Vec<CaseNumber>,
    },
    /// Too much changed to tell: read everything again.
    Resync,
    /// How many other people are connected.
    Presence {
        /// People other than the subscriber.
        others: usize,
    },
    /// The server is stopping.
    Closing,
}

/// A failure as it crosses the socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum WireError {
    /// The rules refused.
    Refused(DomainError),
    /// The role rules refused.
    Denied(Denied),
    /// Changed since read.
    Stale(Stale),
    /// An undo the server does not know.
    UndoUnknown {
        /// The change's number.
        seq: u64,
    },
    /// The store failed.
    Failed {
        /// What kind.
        kind: FailureKind,
        /// In Korean.
        ko: String,
        /// In English.
        en: String,
    },
    /// The connection's rules.
    Connection(ConnectionError),
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn frames_round_trip_and_sizes_are_checked() {
        let mut buf = Vec::new();
        write_frame(&mut buf, FrameKind::Json, b"{}").unwrap_or_default();
        let (kind, body) =
            read_frame(&mut buf.as_slice(), 10).unwrap_or((FrameKind::Bytes, vec![]));
        assert_eq!(kind, FrameKind::Json);
        assert_eq!(body, b"{}");
        assert!(matches!(
            read_frame(&mut buf.as_slice(), 1),
            Err(FrameError::TooLarge { size: 2, max: 1 })
        ));
        let mut bad = buf.clone();
        if let Some(k) = bad.get_mut(4) {
            *k = 9;
        }
        assert!(matches!(
            read_frame(&mut bad.as_slice(), 10),
            Err(FrameError::UnknownKind(9))
        ));
        assert!(matches!(
            read_frame(&mut &buf[..3], 10),
            Err(FrameError::Closed)
        ));
    }
}
