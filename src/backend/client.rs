//! A shared server's store, through its Unix socket: starts the server in the background when
//! none runs (as tmux does), keeps a screen's records current with every change the server
//! tells, and reconnects by itself when the server went away. Knows sockets and processes,
//! never the terminal.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::protocol::{
    self, Envelope, FrameError, FrameKind, Hello, PROTOCOL, Reply, Request, ServerMsg,
    StoreNotices, Welcome,
};
use super::{
    Backend, BackendError, CheckSummary, ClientKind, ConnectionError, Receipt, Remote, Scope,
    ServerStatus, Session, Waker,
};
use crate::domain::access::Access;
use crate::domain::revision::Expect;
use crate::domain::{Action, CaseNumber, Command, Note, State, User};
use crate::store::{HolderKind, StoreError};

/// How long a client waits for a server it started to open the store (a large store being
/// upgraded takes minutes).
const START_WAIT: Duration = Duration::from_secs(300);

/// How long a client keeps trying when the store is held by a casedesk that is not a server
/// it can reach (one closing, or one opened with --no-server).
const TAKEN_WAIT: Duration = Duration::from_secs(60);

/// How often a screen that lost its server tries again.
const RETRY_EVERY: Duration = Duration::from_secs(1);

/// The exit status of a background server that found the store taken (by another server
/// starting at the same moment, or a `--no-server` casedesk).
pub const EXIT_STORE_TAKEN: i32 = 3;

/// What a connection's reader thread hands over.
enum Incoming {
    Msg(Box<ServerMsg>),
    State(Vec<u8>),
    Bytes(Vec<u8>),
    Closed,
}

type SharedWaker = Arc<Mutex<Option<Waker>>>;

/// One connection to the server.
struct Link {
    write: UnixStream,
    rx: Receiver<Incoming>,
    /// What the server said about its store when this link was made.
    store: StoreNotices,
}

impl Drop for Link {
    fn drop(&mut self) {
        let _ = self.write.shutdown(std::net::Shutdown::Both);
    }
}

/// How to reach a store's server.
#[derive(Debug, Clone)]
pub struct Target {
    /// The store directory.
    pub dir: PathBuf,
    /// What this casedesk is.
    pub kind: ClientKind,
    /// An account to claim (honoured only by a server started for tests).
    pub claimed: Option<String>,
    /// Start a server in the background when none runs.
    pub start: bool,
}

/// The store, through its server.
pub struct Client {
    target: Target,
    link: Option<Link>,
    access: Access,
    state: Option<State>,
    subscribed: bool,
    /// Read everything again (after a reconnection, or many changes at once).
    resync: bool,
    /// Say hello again first (the server may now take this person for someone else).
    rehello: bool,
    /// The server went away while a screen was subscribed.
    offline: bool,
    news: Vec<Remote>,
    waker: SharedWaker,
    next_id: u64,
    last_try: Instant,
    started: Option<Child>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("dir", &self.target.dir)
            .field("account", &self.access.account)
            .finish()
    }
}

/// Why no connection was made.
enum NoLink {
    /// No server listens (no socket, or a dead one's).
    NoServer(String),
    /// The socket could not be reached for another reason (permissions).
    Unreachable(String),
    /// The server said no.
    Refused(BackendError),
}

fn unreachable(dir: &Path, reason: impl Into<String>) -> BackendError {
    BackendError::Connection(ConnectionError::Unreachable {
        dir: dir.display().to_string(),
        reason: reason.into(),
    })
}

fn open_link(target: &Target, waker: &SharedWaker) -> Result<(Link, Access), NoLink> {
    let path = crate::server::socket_path(&target.dir);
    let mut stream = match UnixStream::connect(&path) {
        Ok(stream) => stream,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
            ) =>
        {
            return Err(NoLink::NoServer(e.to_string()));
        }
        Err(e) => return Err(NoLink::Unreachable(e.to_string())),
    };
    let hello = Hello {
        protocol: PROTOCOL,
        version: env!("CARGO_PKG_VERSION").to_string(),
        kind: target.kind.clone(),
        pid: std::process::id(),
        claimed: target.claimed.clone(),
    };
    let lost = |e: &dyn std::fmt::Display| NoLink::Unreachable(e.to_string());
    protocol::write_json(&mut stream, &hello).map_err(|e| lost(&e))?;
    let welcome: Welcome = match protocol::read_frame(&mut stream, protocol::MAX_ANSWER) {
        Ok((FrameKind::Json, body)) => protocol::parse(&body).map_err(|e| {
            NoLink::Refused(BackendError::Connection(ConnectionError::Protocol {
                reason: e.to_string(),
            }))
        })?,
        Ok(_) => {
            return Err(NoLink::Refused(BackendError::Connection(
                ConnectionError::Protocol {
                    reason: "the server did not greet".into(),
                },
            )));
        }
        // A server going away as we came: none is there.
        Err(FrameError::Closed) => return Err(NoLink::NoServer("closed".into())),
        Err(e) => return Err(lost(&e)),
    };
    let (access, store) = match welcome {
        Welcome::Ok { access, store, .. } => (access, store),
        Welcome::Refused(e) => return Err(NoLink::Refused(BackendError::from_wire(e))),
    };
    let read = stream.try_clone().map_err(|e| lost(&e))?;
    let (tx, rx) = mpsc::channel();
    let waker = waker.clone();
    std::thread::spawn(move || {
        let mut reader = BufReader::with_capacity(1 << 16, read);
        loop {
            let incoming = match protocol::read_frame(&mut reader, protocol::MAX_ANSWER) {
                Ok((FrameKind::Json, body)) => match protocol::parse::<ServerMsg>(&body) {
                    Ok(msg) => Incoming::Msg(Box::new(msg)),
                    Err(_) => Incoming::Closed,
                },
                Ok((FrameKind::State, body)) => Incoming::State(body),
                Ok((FrameKind::Bytes, body)) => Incoming::Bytes(body),
                Err(_) => Incoming::Closed,
            };
            let news = match &incoming {
                Incoming::Msg(msg) => !matches!(**msg, ServerMsg::Reply { .. }),
                Incoming::Closed => true,
                Incoming::State(_) | Incoming::Bytes(_) => false,
            };
            let closed = matches!(incoming, Incoming::Closed);
            if tx.send(incoming).is_err() {
                return;
            }
            if news
                && let Ok(guard) = waker.lock()
                && let Some(wake) = guard.as_ref()
            {
                wake();
            }
            if closed {
                return;
            }
        }
    });
    Ok((
        Link {
            write: stream,
            rx,
            store,
        },
        access,
    ))
}

/// Starts `casedesk serve --background` for the store and waits until it listens.
fn start_server(
    target: &Target,
    waker: &SharedWaker,
) -> Result<(Link, Access, Child), BackendError> {
    let dir = &target.dir;
    // Only a store that exists gets a server; one this account cannot read is said so.
    match std::fs::metadata(dir.join(crate::store::JOURNAL_FILE)) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(BackendError::Store(StoreError::NotFound {
                dir: dir.clone(),
            }));
        }
        Err(e) => {
            return Err(BackendError::Connection(ConnectionError::Unreachable {
                dir: dir.display().to_string(),
                reason: format!(
                    "no server is running and this account cannot open the store itself ({e}); ask its admin to start one with `casedesk serve`"
                ),
            }));
        }
    }
    let mut child = spawn_server(dir)?;
    let started = Instant::now();
    let mut taken_since: Option<Instant> = None;
    loop {
        match open_link(target, waker) {
            Ok((link, access)) => {
                // The server is on its own from here: nothing more is read from it.
                drop(child.stdout.take());
                drop(child.stderr.take());
                return Ok((link, access, child));
            }
            Err(NoLink::Refused(e)) => return Err(e),
            Err(NoLink::Unreachable(reason)) => return Err(unreachable(dir, reason)),
            Err(NoLink::NoServer(_)) => {}
        }
        if let Ok(Some(status)) = child.try_wait() {
            if status.code() == Some(EXIT_STORE_TAKEN) {
                // A --no-server casedesk keeps the store until someone closes it: say so now.
                if let Some(holder) = crate::store::holder(dir)
                    && holder.kind == HolderKind::Embedded
                    && holder.pid != std::process::id()
                    && alive(holder.pid)
                {
                    return Err(BackendError::Connection(
                        ConnectionError::HeldWithoutServer {
                            dir: dir.display().to_string(),
                            pid: holder.pid,
                        },
                    ));
                }
                // Another server is starting or still closing the store (a large store takes
                // a while): try again for a while.
                let since = *taken_since.get_or_insert_with(Instant::now);
                if since.elapsed() > TAKEN_WAIT {
                    return Err(why_not(&mut child, dir));
                }
                std::thread::sleep(Duration::from_millis(200));
                if !crate::server::listening(dir) {
                    child = spawn_server(dir)?;
                }
            } else {
                return Err(why_not(&mut child, dir));
            }
        }
        if started.elapsed() > START_WAIT {
            let _ = child.kill();
            return Err(unreachable(dir, "the server did not start in time"));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Starts `casedesk serve --background` on the store in `dir`.
fn spawn_server(dir: &Path) -> Result<Child, BackendError> {
    let exe = std::env::current_exe().map_err(|e| unreachable(dir, e.to_string()))?;
    Process::new(exe)
        .arg("--db")
        .arg(dir)
        .args(["serve", "--background"])
        .env_remove("CASEDESK_NO_SERVER")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group: the terminal's signals (Ctrl-C, a dropped SSH session) are
        // for this casedesk, not for the server everyone shares.
        .process_group(0)
        .spawn()
        .map_err(|e| unreachable(dir, format!("cannot start the server: {e}")))
}

/// True while process `pid` runs (one that has ended but was not yet reaped by its parent
/// counts as ended).
fn alive(pid: u32) -> bool {
    let Some(raw) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    if rustix::process::test_kill_process(raw).is_err() {
        return false;
    }
    // /proc/PID/stat: "pid (name) S …": the state follows the last ')'.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.trim_start().chars().next())
            .is_none_or(|state| state != 'Z' && state != 'X'),
        Err(_) => true,
    }
}

/// Why a server this client started did not come up: its own words.
fn why_not(child: &mut Child, dir: &Path) -> BackendError {
    let mut text = String::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut text);
    }
    if text.trim().is_empty()
        && let Some(out) = child.stdout.take()
    {
        let mut lines = BufReader::new(out).lines();
        if let Some(Ok(line)) = lines.next() {
            text = line;
        }
    }
    let line = text
        .lines()
        .map(|l| l.trim().trim_start_matches("casedesk:").trim())
        .find(|l| !l.is_empty())
        .unwrap_or("it stopped at once")
        .to_string();
    BackendError::Connection(ConnectionError::Unreachable {
        dir: dir.display().to_string(),
        reason: line,
    })
}

impl Client {
    /// Connects to the server of the store in `target.dir`, starting it when none runs and
    /// `target.start` allows.
    pub fn connect(target: Target) -> Result<Client, BackendError> {
        let waker: SharedWaker = Arc::new(Mutex::new(None));
        let (link, access, started) = match open_link(&target, &waker) {
            Ok((link, access)) => (link, access, None),
            Err(NoLink::Refused(e)) => return Err(e),
            Err(NoLink::Unreachable(reason)) => return Err(unreachable(&target.dir, reason)),
            Err(NoLink::NoServer(reason)) => {
                if !target.start {
                    return Err(unreachable(&target.dir, reason));
                }
                let (link, access, child) = start_server(&target, &waker)?;
                (link, access, Some(child))
            }
        };
        Ok(Client {
            target,
            link: Some(link),
            access,
            state: None,
            subscribed: false,
            resync: false,
            rehello: false,
            offline: false,
            news: Vec::new(),
            waker,
            next_id: 0,
            last_try: Instant::now(),
            started,
        })
    }

    /// Connects only when a server runs (never starts one).
    pub fn if_running(dir: &Path, kind: ClientKind, claimed: Option<String>) -> Option<Client> {
        Client::connect(Target {
            dir: dir.to_path_buf(),
            kind,
            claimed,
            start: false,
        })
        .ok()
    }

    /// The server's state.
    pub fn status(&mut self) -> Result<ServerStatus, BackendError> {
        match self.call(Request::Status, &mut |_| Ok(()))? {
            (Reply::Status(status), _) => Ok(status),
            (other, _) => Err(unexpected(&other)),
        }
    }

    /// Asks the server to stop (admins), and waits until it has.
    pub fn stop(&mut self) -> Result<(), BackendError> {
        let pid = self.status()?.pid;
        self.call(Request::Stop, &mut |_| Ok(()))?;
        self.link = None;
        // Stopped means the store is closed and free: wait for the process to end (a large
        // store takes a moment to write its cache and settle its files).
        let deadline = Instant::now() + Duration::from_secs(300);
        while alive(pid) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }

    fn lost(&mut self) {
        self.link = None;
        if self.subscribed && !self.offline {
            self.offline = true;
            self.news.push(Remote::Lost);
        }
        self.last_try = Instant::now();
    }

    fn handle(&mut self, msg: ServerMsg) {
        match msg {
            ServerMsg::Reply { .. } => {}
            ServerMsg::Changed {
                seq,
                by,
                summary,
                own,
                changes,
                hidden,
                ..
            } => {
                if let Some(state) = &mut self.state {
                    for number in hidden {
                        state.cases.remove(&number);
                        let ids: Vec<_> = state.actions_of(number).map(|a| a.id).collect();
                        for id in ids {
                            state.actions.remove(&id);
                            state.action_teams.remove(&id);
                        }
                    }
                    state.commit(changes);
                }
                if let Some(summary) = summary {
                    self.news.push(Remote::Changed {
                        seq,
                        by,
                        summary,
                        own,
                    });
                }
            }
            ServerMsg::Resync => {
                self.resync = true;
                self.rehello = true;
            }
            ServerMsg::Presence { others } => self.news.push(Remote::Presence { others }),
            ServerMsg::Closing => self.lost(),
        }
    }

    /// Sends `request` and waits for its answer, taking in the news that comes meanwhile;
    /// chunks of bytes (a backup) go to `sink`.
    fn call(
        &mut self,
        request: Request,
        sink: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
    ) -> Result<(Reply, Option<Vec<u8>>), BackendError> {
        if self.link.is_none() {
            self.reconnect()?;
        }
        self.next_id += 1;
        let id = self.next_id;
        let envelope = Envelope { id, request };
        let sent = match &mut self.link {
            Some(link) => protocol::write_json(&mut link.write, &envelope).is_ok(),
            None => false,
        };
        if !sent {
            // Nothing reached the server: try once more on a new connection.
            self.lost();
            self.reconnect()?;
            let sent = match &mut self.link {
                Some(link) => protocol::write_json(&mut link.write, &envelope).is_ok(),
                None => false,
            };
            if !sent {
                self.lost();
                return Err(unreachable(&self.target.dir, "the server went away"));
            }
        }
        let mut reply: Option<Reply> = None;
        loop {
            let incoming = match &self.link {
                Some(link) => link.rx.recv().unwrap_or(Incoming::Closed),
                None => Incoming::Closed,
            };
            match incoming {
                Incoming::Msg(msg) => match *msg {
                    ServerMsg::Reply { id: got, reply: r } if got == id => {
                        if matches!(r, Reply::State) {
                            reply = Some(r);
                            continue;
                        }
                        if let Reply::Error(e) = r {
                            return Err(BackendError::from_wire(e));
                        }
                        return Ok((r, None));
                    }
                    ServerMsg::Reply {
                        id: 0,
                        reply: Reply::Error(e),
                    } => {
                        self.lost();
                        return Err(BackendError::from_wire(e));
                    }
                    msg => self.handle(msg),
                },
                Incoming::State(bytes) => {
                    if let Some(r) = reply.take() {
                        return Ok((r, Some(bytes)));
                    }
                }
                Incoming::Bytes(bytes) => {
                    sink(&bytes).map_err(|e| BackendError::Failed {
                        kind: super::FailureKind::Io,
                        ko: format!("백업 파일을 쓸 수 없습니다: {e}"),
                        en: format!("cannot write the backup: {e}"),
                    })?;
                }
                Incoming::Closed => {
                    self.lost();
                    return Err(BackendError::Connection(ConnectionError::Lost));
                }
            }
        }
    }

    fn reconnect(&mut self) -> Result<(), BackendError> {
        let fresh = Client::connect(Target {
            start: self.target.start,
            ..self.target.clone()
        })?;
        let Client {
            link,
            access,
            started,
            ..
        } = fresh;
        self.link = link;
        self.access = access;
        if started.is_some() {
            self.started = started;
        }
        // A new connection is a new subscription: the screen's records are read again.
        self.resync |= self.subscribed;
        self.rehello = false;
        Ok(())
    }

    fn subscribe(&mut self) -> Result<(), BackendError> {
        let (reply, bytes) = self.call(Request::Subscribe, &mut |_| Ok(()))?;
        let state = match (reply, bytes) {
            (Reply::State, Some(bytes)) => decode(&bytes)?,
            (other, _) => return Err(unexpected(&other)),
        };
        self.state = Some(state);
        if self.subscribed {
            self.news.push(if self.offline {
                Remote::Back
            } else {
                Remote::Resynced
            });
        }
        self.subscribed = true;
        self.resync = false;
        self.offline = false;
        Ok(())
    }

    fn state_reply(&mut self, request: Request) -> Result<State, BackendError> {
        match self.call(request, &mut |_| Ok(()))? {
            (Reply::State, Some(bytes)) => decode(&bytes),
            (other, _) => Err(unexpected(&other)),
        }
    }

    fn actions(&mut self, request: Request) -> Result<Vec<Action>, BackendError> {
        match self.call(request, &mut |_| Ok(()))? {
            (Reply::Actions(actions), _) => Ok(actions),
            (other, _) => Err(unexpected(&other)),
        }
    }
}

fn decode(bytes: &[u8]) -> Result<State, BackendError> {
    crate::store::cache::decode_state(bytes)
        .map_err(|reason| BackendError::Connection(ConnectionError::Protocol { reason }))
}

fn unexpected(reply: &Reply) -> BackendError {
    BackendError::Connection(ConnectionError::Protocol {
        reason: format!("an unexpected answer ({})", reply_name(reply)),
    })
}

fn reply_name(reply: &Reply) -> &'static str {
    match reply {
        Reply::Done => "done",
        Reply::State => "records",
        Reply::Receipt(_) => "receipt",
        Reply::Receipts(_) => "receipts",
        Reply::Notes(_) => "notes",
        Reply::OwnChange(_) => "own change",
        Reply::Actions(_) => "actions",
        Reply::Users(_) => "users",
        Reply::Sessions(_) => "sessions",
        Reply::Check(_) => "check",
        Reply::Backup(_) => "backup",
        Reply::Demo(..) => "demo",
        Reply::Status(_) => "status",
        Reply::Head(..) => "head",
        Reply::Proposal(_) => "proposal",
        Reply::Error(_) => "error",
    }
}

impl Backend for Client {
    fn access(&self) -> &Access {
        &self.access
    }

    fn notices(&self, lang: crate::i18n::Lang) -> (Vec<String>, bool) {
        match &self.link {
            Some(link) => (
                match lang {
                    crate::i18n::Lang::Ko => link.store.ko.clone(),
                    crate::i18n::Lang::En => link.store.en.clone(),
                },
                link.store.read_only,
            ),
            None => (Vec::new(), false),
        }
    }

    fn snapshot(&mut self) -> Result<&State, BackendError> {
        if !self.subscribed || self.resync {
            // With no server to ask, a screen keeps showing what it had.
            if let Err(e) = self.subscribe()
                && self.state.is_none()
            {
                return Err(e);
            }
        }
        match &self.state {
            Some(state) => Ok(state),
            None => Err(unreachable(&self.target.dir, "no records yet")),
        }
    }

    fn view(&mut self, scope: &Scope) -> Result<State, BackendError> {
        self.state_reply(Request::View(scope.clone()))
    }

    fn apply(
        &mut self,
        cmd: Command,
        _at: DateTime<FixedOffset>,
        expect: &[Expect],
    ) -> Result<Receipt, BackendError> {
        // The server stamps the change with its own clock and the account it knows.
        let request = Request::Apply {
            cmd: Box::new(cmd),
            expect: expect.to_vec(),
        };
        match self.call(request, &mut |_| Ok(()))? {
            (Reply::Receipt(receipt), _) => Ok(receipt),
            (other, _) => Err(unexpected(&other)),
        }
    }

    fn apply_all(
        &mut self,
        cmds: Vec<Command>,
        _at: DateTime<FixedOffset>,
    ) -> Result<Vec<Receipt>, BackendError> {
        match self.call(Request::ApplyAll { cmds }, &mut |_| Ok(()))? {
            (Reply::Receipts(receipts), _) => Ok(receipts),
            (other, _) => Err(unexpected(&other)),
        }
    }

    fn notes_of(&mut self, case: CaseNumber) -> Result<Vec<Note>, BackendError> {
        match self.call(Request::NotesOf(case), &mut |_| Ok(()))? {
            (Reply::Notes(notes), _) => Ok(notes),
            (other, _) => Err(unexpected(&other)),
        }
    }

    fn last_own_change(&mut self) -> Result<Option<super::OwnChange>, BackendError> {
        match self.call(Request::LastOwnChange, &mut |_| Ok(()))? {
            (Reply::OwnChange(change), _) => Ok(change),
            (other, _) => Err(unexpected(&other)),
        }
    }

    fn case_actions(&mut self, case: CaseNumber) -> Result<Vec<Action>, BackendError> {
        self.actions(Request::CaseActions(case))
    }

    fn all_actions(&mut self) -> Result<Vec<Action>, BackendError> {
        self.actions(Request::AllActions)
    }

    fn finished_since(&mut self, since: NaiveDate) -> Result<Vec<Action>, BackendError> {
        self.actions(Request::FinishedSince(since))
    }

    fn open_actions_due(&mut self, last: Option<NaiveDate>) -> Result<Vec<Action>, BackendError> {
        self.actions(Request::OpenActionsDue(last))
    }

    fn users(&mut self) -> Result<Vec<User>, BackendError> {
        match self.call(Request::Users, &mut |_| Ok(()))? {
            (Reply::Users(users), _) => Ok(users),
            (other, _) => Err(unexpected(&other)),
        }
    }

    fn who(&mut self) -> Result<Vec<Session>, BackendError> {
        match self.call(Request::Who, &mut |_| Ok(()))? {
            (Reply::Sessions(sessions), _) => Ok(sessions),
            (other, _) => Err(unexpected(&other)),
        }
    }

    fn poll(&mut self) -> Vec<Remote> {
        while let Some(link) = &self.link {
            let incoming = match link.rx.recv_timeout(Duration::ZERO) {
                Ok(incoming) => incoming,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => Incoming::Closed,
            };
            match incoming {
                Incoming::Msg(msg) => self.handle(*msg),
                Incoming::State(_) | Incoming::Bytes(_) => {}
                Incoming::Closed => self.lost(),
            }
        }
        if self.subscribed && self.link.is_none() {
            if self.last_try.elapsed() >= RETRY_EVERY {
                self.last_try = Instant::now();
                if self.reconnect().is_ok() {
                    let _ = self.subscribe();
                }
            }
        } else if self.subscribed && self.resync {
            if self.rehello {
                // A change of role: a new connection says who the server now takes them for.
                self.link = None;
                let _ = self.reconnect();
            }
            let _ = self.subscribe();
        }
        if let Some(child) = &mut self.started
            && let Ok(Some(_)) = child.try_wait()
        {
            self.started = None;
        }
        std::mem::take(&mut self.news)
    }

    fn set_waker(&mut self, waker: Waker) {
        if let Ok(mut slot) = self.waker.lock() {
            *slot = Some(waker);
        }
    }

    fn check(&mut self, anchor: Option<&str>) -> Result<CheckSummary, BackendError> {
        let request = Request::Check {
            anchor: anchor.map(str::to_string),
        };
        match self.call(request, &mut |_| Ok(()))? {
            (Reply::Check(summary), _) => Ok(summary),
            (other, _) => Err(unexpected(&other)),
        }
    }

    fn propose(
        &mut self,
        date: NaiveDate,
        kind: crate::domain::vocab::ConferenceKind,
        title: Option<String>,
        facilitator: String,
        lang: crate::i18n::Lang,
        length_minutes: u16,
    ) -> Result<crate::domain::NewConference, BackendError> {
        let request = Request::Propose {
            date,
            kind,
            title,
            facilitator,
            lang,
            length_minutes,
        };
        match self.call(request, &mut |_| Ok(()))? {
            (Reply::Proposal(conference), _) => Ok(*conference),
            (other, _) => Err(unexpected(&other)),
        }
    }

    fn head(&mut self) -> Result<(u64, String), BackendError> {
        match self.call(Request::Head, &mut |_| Ok(()))? {
            (Reply::Head(seq, hash), _) => Ok((seq, hash)),
            (other, _) => Err(unexpected(&other)),
        }
    }

    fn backup(
        &mut self,
        out: &mut dyn std::io::Write,
    ) -> Result<crate::transfer::backup::BackupReport, BackendError> {
        match self.call(Request::Backup, &mut |bytes| out.write_all(bytes))? {
            (Reply::Backup(report), _) => Ok(report),
            (other, _) => Err(unexpected(&other)),
        }
    }

    fn demo(
        &mut self,
        cases: usize,
        seed: u64,
        _at: DateTime<FixedOffset>,
    ) -> Result<(usize, usize), BackendError> {
        match self.call(Request::Demo { cases, seed }, &mut |_| Ok(()))? {
            (Reply::Demo(cases, actions), _) => Ok((cases, actions)),
            (other, _) => Err(unexpected(&other)),
        }
    }
}
