//! The one interface the screens and the command line use to read records and send commands:
//! the store in this process (`embedded`) or a shared server over a Unix socket (`client`).
//! Both answer as the person using them may see (their role and teams), and both tell changes
//! made by others. Knows the store's API and the socket, never the terminal.

pub mod client;
pub mod embedded;
pub mod engine;
pub mod protocol;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::access::{Access, Denied};
use crate::domain::revision::{ChangeSummary, Expect, RecordField, RecordRef};
use crate::domain::vocab::{Level, Stage};
use crate::domain::{
    Action, CaseNumber, Command, DomainError, Note, Outcome, State, TeamCode, User,
};
use crate::i18n::{Lang, Localize};
use crate::store::StoreError;

pub use embedded::Embedded;

/// What a confirmed command got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// Journal sequence number.
    pub seq: u64,
    /// Numbers assigned.
    pub outcome: Outcome,
    /// The command that would undo it, when it can be undone.
    pub undo: Option<Command>,
}

/// A person's own latest change that can still be taken back (`casedesk undo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnChange {
    /// Its journal sequence number.
    pub seq: u64,
    /// When it was made.
    pub at: DateTime<FixedOffset>,
    /// Its kind as the journal names it (`complete_action`).
    pub kind: String,
    /// The records it touched (`2026-0003`, `2026-0003/2`, `conference 4`).
    pub records: Vec<String>,
    /// The command that undoes it; `None` when it cannot be undone.
    pub undo: Option<Command>,
}

/// Somebody else's change (or the connection's news), told to an open screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Remote {
    /// A change was confirmed; the records it touched are already in the snapshot.
    Changed {
        /// Its journal sequence number.
        seq: u64,
        /// The account that made it.
        by: String,
        /// What it was, in a few words.
        summary: ChangeSummary,
        /// True when it was made through this connection.
        own: bool,
    },
    /// The whole view was read again (after many changes at once, or a change of role).
    Resynced,
    /// How many other people have casedesk open on the store.
    Presence {
        /// People other than this connection.
        others: usize,
    },
    /// The server went away; the backend keeps trying to reach it again.
    Lost,
    /// The server is back and the view was read again.
    Back,
}

/// Part of the records, for a command that needs less than everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// Everything the person may see.
    All,
    /// The office, the teams and the users the person may see.
    Teams,
    /// One case with its open actions and the conferences that had it on their agenda.
    Case(CaseNumber),
    /// The cases a filter lets through, with their open actions.
    Cases(CaseFilter),
    /// Every conference, with the cases on their agendas and those cases' open actions.
    Conferences,
}

/// Which cases a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFilter {
    /// Cases a team leads, cooperates on or owes an action on.
    pub team: Option<TeamCode>,
    /// At this level.
    pub level: Option<Level>,
    /// At this stage (closed ones included when asked for).
    pub stage: Option<Stage>,
    /// Closed cases and aftercare too.
    pub closed: bool,
}

/// A person connected to the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Their account.
    pub account: String,
    /// The screens (with the terminal's name), or a command (with its name).
    pub kind: ClientKind,
    /// Process id of their casedesk.
    pub pid: u32,
    /// When they connected.
    pub since: DateTime<FixedOffset>,
}

/// What a connecting casedesk is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientKind {
    /// The screens, on a terminal.
    Screens {
        /// The terminal (`/dev/pts/3`), when known.
        tty: Option<String>,
    },
    /// A command-line command.
    Command {
        /// Its name (`case list`).
        name: String,
    },
    /// A read-only view following a running conference.
    Follower {
        /// The terminal, when known.
        tty: Option<String>,
    },
}

impl ClientKind {
    /// True for the screens (a dashboard or a follower), which stay connected.
    pub fn is_screen(&self) -> bool {
        !matches!(self, ClientKind::Command { .. })
    }
}

/// A server's state, for `casedesk serve --status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerStatus {
    /// Process id.
    pub pid: u32,
    /// The account it runs under (owner of the store's files).
    pub account: String,
    /// The store directory.
    pub dir: String,
    /// When it started.
    pub since: DateTime<FixedOffset>,
    /// Who is connected.
    pub sessions: Vec<Session>,
    /// The journal position.
    pub seq: u64,
}

/// A change refused because the record changed since it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stale {
    /// The record.
    pub record: RecordRef,
    /// Who changed it last, when known.
    pub by: Option<String>,
    /// When.
    pub at: Option<DateTime<FixedOffset>>,
    /// What that change changed, when known.
    pub fields: Vec<RecordField>,
}

/// What kind of failure the server reported, so the screens can act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FailureKind {
    /// The store stopped taking changes after a failed write; it needs reopening.
    Poisoned,
    /// The disk or a file failed.
    Io,
    /// A stored record or the journal is damaged.
    Damaged,
    /// Anything else.
    Other,
}

/// Why the connection to a server failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConnectionError {
    /// No server could be reached or started.
    Unreachable {
        /// The store directory.
        dir: String,
        /// Why.
        reason: String,
    },
    /// The server went away in the middle of a request; whether the change was made is
    /// known only once it is back.
    Lost,
    /// The other side spoke another version of the protocol, or nonsense.
    Protocol {
        /// What was wrong.
        reason: String,
    },
    /// The server refused this casedesk's message.
    Refused {
        /// The server's reason.
        reason: String,
    },
    /// No server can start: a casedesk opened with `--no-server` has the store.
    HeldWithoutServer {
        /// The store directory.
        dir: String,
        /// That casedesk's process.
        pid: u32,
    },
}

/// Why a backend could not do what was asked. A refused command changed nothing.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.localize(Lang::En))]
pub enum BackendError {
    /// The rules refused the command.
    Refused(DomainError),
    /// The role rules refused it.
    Denied(Denied),
    /// Someone changed the record since it was read.
    Stale(Stale),
    /// An undo the server does not know (made before it last started, or by someone else).
    UndoUnknown {
        /// The change's sequence number.
        seq: u64,
    },
    /// The store in this process failed.
    Store(StoreError),
    /// The store failed on the server.
    Failed {
        /// What kind of failure.
        kind: FailureKind,
        /// The server's message in Korean.
        ko: String,
        /// And in English.
        en: String,
    },
    /// The server could not be reached or went away.
    Connection(ConnectionError),
}

impl From<StoreError> for BackendError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Domain(e) => BackendError::Refused(e),
            e => BackendError::Store(e),
        }
    }
}

impl From<DomainError> for BackendError {
    fn from(e: DomainError) -> Self {
        BackendError::Refused(e)
    }
}

impl From<Denied> for BackendError {
    fn from(e: Denied) -> Self {
        BackendError::Denied(e)
    }
}

impl BackendError {
    /// True when the command may have been made although no answer came (the server died
    /// mid-request): look again before repeating it.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, BackendError::Connection(ConnectionError::Lost))
    }

    /// The failure as the server sends it.
    pub fn to_wire(&self) -> protocol::WireError {
        match self {
            BackendError::Refused(e) => protocol::WireError::Refused(e.clone()),
            BackendError::Denied(e) => protocol::WireError::Denied(e.clone()),
            BackendError::Stale(s) => protocol::WireError::Stale(s.clone()),
            BackendError::UndoUnknown { seq } => protocol::WireError::UndoUnknown { seq: *seq },
            BackendError::Store(e) => protocol::WireError::Failed {
                kind: match e {
                    StoreError::Poisoned { .. } => FailureKind::Poisoned,
                    StoreError::Io { .. } => FailureKind::Io,
                    StoreError::Damaged { .. }
                    | StoreError::Journal { .. }
                    | StoreError::Replay { .. }
                    | StoreError::Sled { .. } => FailureKind::Damaged,
                    _ => FailureKind::Other,
                },
                ko: e.localize(Lang::Ko),
                en: e.localize(Lang::En),
            },
            BackendError::Failed { kind, ko, en } => protocol::WireError::Failed {
                kind: *kind,
                ko: ko.clone(),
                en: en.clone(),
            },
            BackendError::Connection(c) => protocol::WireError::Connection(c.clone()),
        }
    }

    /// The failure a server sent.
    pub fn from_wire(e: protocol::WireError) -> BackendError {
        match e {
            protocol::WireError::Refused(e) => BackendError::Refused(e),
            protocol::WireError::Denied(e) => BackendError::Denied(e),
            protocol::WireError::Stale(s) => BackendError::Stale(s),
            protocol::WireError::UndoUnknown { seq } => BackendError::UndoUnknown { seq },
            protocol::WireError::Failed { kind, ko, en } => BackendError::Failed { kind, ko, en },
            protocol::WireError::Connection(c) => BackendError::Connection(c),
        }
    }
}

impl Localize for Stale {
    fn localize(&self, lang: Lang) -> String {
        let ko = lang == Lang::Ko;
        let who = match (&self.by, self.at) {
            (Some(by), Some(at)) => format!("{by} {}", at.format("%m-%d %H:%M")),
            (Some(by), None) => by.clone(),
            _ => lang.pick("다른 사람", "someone else").to_string(),
        };
        let what = if self.fields.is_empty() {
            String::new()
        } else {
            let list: Vec<&str> = self.fields.iter().map(|f| f.label(lang)).collect();
            format!(" ({})", list.join(", "))
        };
        if ko {
            format!(
                "{}을(를) 읽은 뒤 {who}이(가) 바꾸었습니다{what}: 저장하지 않았습니다 — 바뀐 내용을 보고 다시 하세요",
                self.record
            )
        } else {
            format!(
                "{} was changed by {who}{what} since you read it: nothing was saved — look at the change and do yours again",
                self.record
            )
        }
    }
}

impl Localize for ConnectionError {
    fn localize(&self, lang: Lang) -> String {
        let ko = lang == Lang::Ko;
        match self {
            ConnectionError::Unreachable { dir, reason } => {
                if ko {
                    format!(
                        "{dir}의 casedesk 서버에 연결할 수 없습니다 ({reason}): `casedesk serve --status`로 확인하거나, 혼자 쓰는 저장소라면 --no-server로 여세요"
                    )
                } else {
                    format!(
                        "cannot reach the casedesk server of {dir} ({reason}): see `casedesk serve --status`, or open a store only you use with --no-server"
                    )
                }
            }
            ConnectionError::Lost => {
                if ko {
                    "요청 중에 서버 연결이 끊겼습니다: 저장되었는지 확인한 뒤 필요하면 다시 하세요"
                        .to_string()
                } else {
                    "the connection to the server was lost mid-request: check whether it was saved before doing it again".to_string()
                }
            }
            ConnectionError::Protocol { reason } => {
                if ko {
                    format!(
                        "서버와 말이 통하지 않습니다 ({reason}): casedesk를 같은 버전으로 맞추세요"
                    )
                } else {
                    format!(
                        "the server speaks another protocol ({reason}): use the same casedesk version for both"
                    )
                }
            }
            ConnectionError::Refused { reason } => {
                if ko {
                    format!("서버가 거절했습니다: {reason}")
                } else {
                    format!("the server refused: {reason}")
                }
            }
            ConnectionError::HeldWithoutServer { dir, pid } => {
                if ko {
                    format!(
                        "{dir}의 저장소를 --no-server로 연 casedesk(pid {pid})가 사용 중입니다: 그 프로그램을 닫은 뒤 다시 실행하세요"
                    )
                } else {
                    format!(
                        "the store at {dir} is open in a casedesk started with --no-server (pid {pid}): close that one, then try again"
                    )
                }
            }
        }
    }
}

impl Localize for BackendError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            BackendError::Refused(e) => e.localize(lang),
            BackendError::Denied(e) => e.localize(lang),
            BackendError::Stale(s) => s.localize(lang),
            BackendError::UndoUnknown { seq } => match lang {
                Lang::Ko => format!(
                    "저널 {seq}번 변경은 여기서 되돌릴 수 없습니다 (다른 사람의 변경이거나 서버가 그 뒤에 다시 시작했습니다)"
                ),
                Lang::En => format!(
                    "change {seq} cannot be undone here (it is someone else's, or the server restarted since)"
                ),
            },
            BackendError::Store(e) => e.localize(lang),
            BackendError::Failed { ko, en, .. } => lang.pick(ko, en).to_string(),
            BackendError::Connection(c) => c.localize(lang),
        }
    }
}

/// Called from another thread when something arrives for `poll`.
pub type Waker = Box<dyn Fn() + Send>;

/// Where records come from and commands go, as one person sees them.
pub trait Backend {
    /// Who is using it, as the store knows them.
    fn access(&self) -> &Access;

    /// What opening the store repaired, to tell the person (and whether it is open read-only
    /// because of damage); nothing for a server's store, which says it where it runs.
    fn notices(&self, lang: Lang) -> (Vec<String>, bool);

    /// Every record this person may see but the notes and finished actions, kept current with
    /// every confirmed change (theirs and, after `poll`, everyone's).
    fn snapshot(&mut self) -> Result<&State, BackendError>;

    /// Part of the records (for a command that needs less than everything).
    fn view(&mut self, scope: &Scope) -> Result<State, BackendError>;

    /// Applies one command durably at `at`, or refuses it and changes nothing; refused as stale
    /// when a record in `expect` changed since it was read.
    fn apply(
        &mut self,
        cmd: Command,
        at: DateTime<FixedOffset>,
        expect: &[Expect],
    ) -> Result<Receipt, BackendError>;

    /// Applies several commands, all or nothing (imports).
    fn apply_all(
        &mut self,
        cmds: Vec<Command>,
        at: DateTime<FixedOffset>,
    ) -> Result<Vec<Receipt>, BackendError>;

    /// A case's notes (those this person may read), oldest first.
    fn notes_of(&mut self, case: CaseNumber) -> Result<Vec<Note>, BackendError>;

    /// This person's own latest change that is not undone yet, with the command that undoes
    /// it (which [`Backend::apply`] then accepts).
    fn last_own_change(&mut self) -> Result<Option<OwnChange>, BackendError>;

    /// All of a case's actions, finished ones too.
    fn case_actions(&mut self, case: CaseNumber) -> Result<Vec<Action>, BackendError>;

    /// Every action of the cases this person may see, done and dropped ones too.
    fn all_actions(&mut self) -> Result<Vec<Action>, BackendError>;

    /// The actions done or dropped on or after `since`, of the cases this person may see.
    fn finished_since(&mut self, since: NaiveDate) -> Result<Vec<Action>, BackendError>;

    /// Open actions due on or before `last` (all when `None`), earliest first.
    fn open_actions_due(&mut self, last: Option<NaiveDate>) -> Result<Vec<Action>, BackendError>;

    /// The store's users (admins and coordinators see all; others themselves).
    fn users(&mut self) -> Result<Vec<User>, BackendError>;

    /// Who has casedesk open on the store (a server's sessions; nobody else in this process).
    fn who(&mut self) -> Result<Vec<Session>, BackendError>;

    /// Changes made by others and news of the connection since the last call; the snapshot
    /// already holds the changes.
    fn poll(&mut self) -> Vec<Remote>;

    /// Asks to be woken (from another thread) when `poll` has something.
    fn set_waker(&mut self, waker: Waker);

    /// A new conference as the store proposes it on `date`, lasting `length_minutes`: its
    /// agenda (most pressing first, as many as fit) and the teams expected (coordinators).
    fn propose(
        &mut self,
        date: NaiveDate,
        kind: crate::domain::vocab::ConferenceKind,
        title: Option<String>,
        facilitator: String,
        lang: Lang,
        length_minutes: u16,
    ) -> Result<crate::domain::NewConference, BackendError>;

    /// Runs `check` on the store (proving the journal up to `anchor`, `SEQ:HASH`, when given)
    /// and says what it found.
    fn check(&mut self, anchor: Option<&str>) -> Result<CheckSummary, BackendError>;

    /// The journal's head: the number of confirmed changes and the last one's hash (what a
    /// printed set of minutes anchors).
    fn head(&mut self) -> Result<(u64, String), BackendError>;

    /// Writes a verifiable copy of the journal to `out`.
    fn backup(
        &mut self,
        out: &mut dyn std::io::Write,
    ) -> Result<crate::transfer::backup::BackupReport, BackendError>;

    /// Fills an empty store with synthetic demo data; returns cases and actions made.
    fn demo(
        &mut self,
        cases: usize,
        seed: u64,
        at: DateTime<FixedOffset>,
    ) -> Result<(usize, usize), BackendError>;
}

/// What `check` found, in both languages, as a server sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckSummary {
    /// True when nothing is wrong.
    pub ok: bool,
    /// How many problems were found.
    pub problems: usize,
    /// The findings in Korean, a line each.
    pub ko: String,
    /// And in English.
    pub en: String,
}

impl CheckSummary {
    /// The summary of a report (checked against `anchor` when one was given).
    pub fn of(
        report: &crate::store::check::CheckReport,
        anchor: Option<&crate::store::check::Anchor>,
    ) -> CheckSummary {
        use crate::store::check::describe;
        CheckSummary {
            ok: report.ok(),
            problems: report.problems.len(),
            ko: describe(report, anchor, Lang::Ko),
            en: describe(report, anchor, Lang::En),
        }
    }

    /// The findings in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.ko, &self.en)
    }
}

impl<B: Backend + ?Sized> Backend for Box<B> {
    fn access(&self) -> &Access {
        (**self).access()
    }

    fn notices(&self, lang: Lang) -> (Vec<String>, bool) {
        (**self).notices(lang)
    }

    fn snapshot(&mut self) -> Result<&State, BackendError> {
        (**self).snapshot()
    }

    fn view(&mut self, scope: &Scope) -> Result<State, BackendError> {
        (**self).view(scope)
    }

    fn apply(
        &mut self,
        cmd: Command,
        at: DateTime<FixedOffset>,
        expect: &[Expect],
    ) -> Result<Receipt, BackendError> {
        (**self).apply(cmd, at, expect)
    }

    fn apply_all(
        &mut self,
        cmds: Vec<Command>,
        at: DateTime<FixedOffset>,
    ) -> Result<Vec<Receipt>, BackendError> {
        (**self).apply_all(cmds, at)
    }

    fn notes_of(&mut self, case: CaseNumber) -> Result<Vec<Note>, BackendError> {
        (**self).notes_of(case)
    }

    fn last_own_change(&mut self) -> Result<Option<OwnChange>, BackendError> {
        (**self).last_own_change()
    }

    fn case_actions(&mut self, case: CaseNumber) -> Result<Vec<Action>, BackendError> {
        (**self).case_actions(case)
    }

    fn all_actions(&mut self) -> Result<Vec<Action>, BackendError> {
        (**self).all_actions()
    }

    fn finished_since(&mut self, since: NaiveDate) -> Result<Vec<Action>, BackendError> {
        (**self).finished_since(since)
    }

    fn open_actions_due(&mut self, last: Option<NaiveDate>) -> Result<Vec<Action>, BackendError> {
        (**self).open_actions_due(last)
    }

    fn users(&mut self) -> Result<Vec<User>, BackendError> {
        (**self).users()
    }

    fn who(&mut self) -> Result<Vec<Session>, BackendError> {
        (**self).who()
    }

    fn poll(&mut self) -> Vec<Remote> {
        (**self).poll()
    }

    fn set_waker(&mut self, waker: Waker) {
        (**self).set_waker(waker);
    }

    fn check(&mut self, anchor: Option<&str>) -> Result<CheckSummary, BackendError> {
        (**self).check(anchor)
    }

    fn propose(
        &mut self,
        date: NaiveDate,
        kind: crate::domain::vocab::ConferenceKind,
        title: Option<String>,
        facilitator: String,
        lang: Lang,
        length_minutes: u16,
    ) -> Result<crate::domain::NewConference, BackendError> {
        (**self).propose(date, kind, title, facilitator, lang, length_minutes)
    }

    fn head(&mut self) -> Result<(u64, String), BackendError> {
        (**self).head()
    }

    fn backup(
        &mut self,
        out: &mut dyn std::io::Write,
    ) -> Result<crate::transfer::backup::BackupReport, BackendError> {
        (**self).backup(out)
    }

    fn demo(
        &mut self,
        cases: usize,
        seed: u64,
        at: DateTime<FixedOffset>,
    ) -> Result<(usize, usize), BackendError> {
        (**self).demo(cases, seed, at)
    }
}
