//! The shared server: one process owns the store and serves every casedesk on it over a Unix
//! socket beside it. The operating system says who connects (peer credentials); the engine's
//! role rules decide what they see and may change; every confirmed change goes out at once to
//! every open screen, cut to what each may see. One thread owns the store; each connection has
//! a reader and a writer thread of its own, so a slow or stuck client never holds up the rest.

pub mod peer;

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufReader;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TrySendError};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

use crate::backend::engine::{Confirmed, Engine};
use crate::backend::protocol::{
    self, Envelope, FrameError, FrameKind, Hello, PROTOCOL, Reply, Request, ServerMsg,
    StoreNotices, Welcome, WireError,
};
use crate::backend::{BackendError, ClientKind, ConnectionError, ServerStatus, Session};
use crate::domain::access::{Access, Denied};
use crate::domain::vocab::Role;
use crate::domain::{CaseNumber, Changes, State};
use crate::i18n::{Lang, Localize};
use crate::store::{Store, StoreError};

/// The socket's file name in the store directory.
pub const SOCKET_FILE: &str = "casedesk.sock";

/// Frames a connection's writer may have queued before the client counts as stuck.
const QUEUE: usize = 512;

/// The largest first message.
const MAX_HELLO: usize = 64 << 10;

/// The path of the server's socket for the store in `dir`.
pub fn socket_path(dir: &Path) -> PathBuf {
    dir.join(SOCKET_FILE)
}

/// The server's clock.
pub type Clock = Box<dyn Fn() -> DateTime<FixedOffset> + Send>;

/// How a server runs.
pub struct Options {
    /// Stop after this long with nobody connected (`None`: never).
    pub idle: Option<Duration>,
    /// Trust the account a client claims (tests only: the store's owner starts such a server
    /// with `CASEDESK_TEST_IDENTITIES=1`).
    pub test_identities: bool,
    /// The clock changes are stamped with.
    pub clock: Clock,
}

/// Why a server could not run.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.localize(Lang::En))]
pub enum ServeError {
    /// The store could not be opened.
    Store(#[from] StoreError),
    /// The store failed.
    Backend(#[from] BackendError),
    /// The socket could not be made.
    Socket {
        /// Its path.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

impl Localize for ServeError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            ServeError::Store(e) => e.localize(lang),
            ServeError::Backend(e) => e.localize(lang),
            ServeError::Socket { path, reason } => match lang {
                Lang::Ko => format!(
                    "서버 소켓 {}을(를) 만들 수 없습니다 ({reason}): 저장소 디렉터리의 권한과 경로 길이를 확인하세요",
                    path.display()
                ),
                Lang::En => format!(
                    "cannot make the server socket {} ({reason}): check the store directory's permissions and the path's length",
                    path.display()
                ),
            },
        }
    }
}

/// A frame on its way to a client.
type Frame = (FrameKind, Arc<Vec<u8>>);

/// Where a connection's frames go: a bounded queue to its writer thread.
#[derive(Clone)]
struct Outbox {
    tx: SyncSender<Frame>,
    stream: Arc<UnixStream>,
}

impl Outbox {
    /// Queues a frame; a client whose queue is full is stuck and is cut off (false).
    fn send(&self, kind: FrameKind, body: Arc<Vec<u8>>) -> bool {
        match self.tx.try_send((kind, body)) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                self.close();
                false
            }
            Err(TrySendError::Disconnected(_)) => false,
        }
    }

    fn json<T: serde::Serialize>(&self, value: &T) -> bool {
        match serde_json::to_vec(value) {
            Ok(body) => self.send(FrameKind::Json, Arc::new(body)),
            Err(_) => false,
        }
    }

    fn reply(&self, id: u64, reply: Reply) -> bool {
        self.json(&ServerMsg::Reply { id, reply })
    }

    fn close(&self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }
}

/// Work for the thread that owns the store.
enum Job {
    /// A client said hello.
    Hello {
        conn: u64,
        account: String,
        hello: Hello,
        out: Outbox,
    },
    /// A client asked something.
    Request { conn: u64, envelope: Envelope },
    /// A client went away.
    Gone { conn: u64 },
    /// Stop (a signal, or the last client leaving an idle server).
    Stop,
}

/// A connected client, as the store's thread keeps it.
struct Conn {
    access: Access,
    kind: ClientKind,
    pid: u32,
    since: DateTime<FixedOffset>,
    out: Outbox,
    /// Receiving every change (an open screen).
    subscribed: bool,
    /// The cases a team member's screen holds (others see every case).
    visible: Option<BTreeSet<CaseNumber>>,
}

/// Runs a server for the store in `dir` until it is stopped (a `serve --stop`, SIGTERM or
/// SIGINT, or `idle` with nobody connected). `ready` is called once it listens.
pub fn serve(dir: &Path, options: Options, ready: impl FnOnce(&Path)) -> Result<(), ServeError> {
    let store = Store::open(dir)?;
    serve_store(store, options, ready)
}

/// Serves an open store (the tests start a server on a store they made).
pub fn serve_store(
    store: Store,
    options: Options,
    ready: impl FnOnce(&Path),
) -> Result<(), ServeError> {
    let dir = store.dir().to_path_buf();
    let owner = peer::own_account();
    let mut engine = Engine::new(store, Some(owner.clone()));
    // Every record is read before the first client comes: a client waits for nothing.
    engine.state()?;
    let path = socket_path(&dir);
    // The store's lock is ours, so a socket file left here is a dead server's.
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path).map_err(|e| ServeError::Socket {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    share_socket(&dir, &path)?;

    let (jobs, rx) = mpsc::channel::<Job>();
    let stopping = Arc::new(AtomicBool::new(false));
    accept(
        listener,
        jobs.clone(),
        stopping.clone(),
        options.test_identities,
    );
    watch_signals(jobs.clone());
    ready(&path);

    let mut server = Server {
        engine,
        conns: BTreeMap::new(),
        clock: options.clock,
        dir: dir.clone(),
        owner,
        since: chrono::DateTime::default(),
        full: None,
        told_recovery: false,
    };
    server.since = (server.clock)();
    tracing::info!(
        dir = %dir.display(),
        pid = std::process::id(),
        account = %server.owner,
        "server started"
    );
    let mut idle_since = Some(Instant::now());
    let why = loop {
        let job = match rx.recv_timeout(Duration::from_millis(500)) {
            Ok(job) => job,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let (Some(idle), Some(since)) = (options.idle, idle_since)
                    && since.elapsed() >= idle
                {
                    break "idle";
                }
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break "no more connections",
        };
        match job {
            Job::Hello {
                conn,
                account,
                hello,
                out,
            } => server.hello(conn, &account, hello, out),
            Job::Request { conn, envelope } => {
                if server.request(conn, envelope) {
                    break "asked to stop";
                }
            }
            Job::Gone { conn } => server.gone(conn),
            Job::Stop => break "signal",
        }
        idle_since = if server.conns.is_empty() {
            idle_since.or_else(|| Some(Instant::now()))
        } else {
            None
        };
    };
    // Going: the socket first, so that no client comes while the store closes.
    stopping.store(true, Ordering::SeqCst);
    let _ = std::fs::remove_file(&path);
    for conn in server.conns.values() {
        conn.out.json(&ServerMsg::Closing);
    }
    // The accept thread waits in accept(): a last connection lets it see that it is over.
    let _ = UnixStream::connect(&path);
    drop(server);
    tracing::info!(dir = %dir.display(), why, "server stopped");
    Ok(())
}

/// What kind of casedesk is connecting, in a word, for the diagnostic log.
fn client_kind(kind: &ClientKind) -> &'static str {
    match kind {
        ClientKind::Screens { .. } => "screens",
        ClientKind::Command { .. } => "command",
        ClientKind::Follower { .. } => "follower",
    }
}

/// A request's kind, for the diagnostic log: a change by its command's kind, never its content.
fn request_kind(request: &Request) -> &'static str {
    match request {
        Request::Subscribe => "subscribe",
        Request::View(_) => "view",
        Request::Apply { cmd, .. } => cmd.kind(),
        Request::ApplyAll { .. } => "apply_all",
        Request::NotesOf(_) => "notes_of",
        Request::LastOwnChange => "last_own_change",
        Request::CaseActions(_) => "case_actions",
        Request::AllActions => "all_actions",
        Request::FinishedSince(_) => "finished_since",
        Request::OpenActionsDue(_) => "open_actions_due",
        Request::Users => "users",
        Request::Who => "who",
        Request::Check { .. } => "check",
        Request::Backup => "backup",
        Request::Demo { .. } => "demo",
        Request::Status => "status",
        Request::Head => "head",
        Request::Propose { .. } => "propose",
        Request::Stop => "stop",
    }
}

/// Lets the office's group reach the socket when the store's directory is shared with a group
/// (mode 0710): the socket gets that group and mode 0660. Otherwise it is the owner's alone.
fn share_socket(dir: &Path, path: &Path) -> Result<(), ServeError> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(dir).map_err(|e| ServeError::Socket {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let shared = meta.mode() & 0o010 != 0;
    let mode = if shared { 0o660 } else { 0o600 };
    if shared {
        std::os::unix::fs::chown(path, None, Some(meta.gid())).map_err(|e| ServeError::Socket {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(|e| {
        ServeError::Socket {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }
    })
}

/// Accepts connections on a thread of its own; each gets a reader thread.
fn accept(
    listener: UnixListener,
    jobs: Sender<Job>,
    stopping: Arc<AtomicBool>,
    test_identities: bool,
) {
    std::thread::spawn(move || {
        let mut next = 0u64;
        for stream in listener.incoming() {
            if stopping.load(Ordering::SeqCst) {
                return;
            }
            let Ok(stream) = stream else {
                continue;
            };
            next += 1;
            let conn = next;
            let jobs = jobs.clone();
            std::thread::spawn(move || read_client(stream, conn, jobs, test_identities));
        }
    });
}

/// Stops the server cleanly on SIGTERM, SIGINT or SIGHUP.
fn watch_signals(jobs: Sender<Job>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP]) {
        std::thread::spawn(move || {
            if signals.forever().next().is_some() {
                let _ = jobs.send(Job::Stop);
            }
        });
    }
}

/// A refusal sent before the connection is closed.
fn refuse(stream: &mut UnixStream, reason: String) {
    let _ = protocol::write_json(
        stream,
        &Welcome::Refused(WireError::Connection(ConnectionError::Protocol { reason })),
    );
}

/// Reads one client's hello and requests and hands them to the store's thread.
fn read_client(stream: UnixStream, conn: u64, jobs: Sender<Job>, test_identities: bool) {
    let mut stream = stream;
    let Ok(peer) = peer::peer(&stream) else {
        return;
    };
    // A client that connects and says nothing is let go.
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let hello: Hello = match protocol::read_frame(&mut stream, MAX_HELLO) {
        Ok((FrameKind::Json, body)) => match protocol::parse(&body) {
            Ok(hello) => hello,
            Err(e) => return refuse(&mut stream, e.to_string()),
        },
        Ok(_) => return refuse(&mut stream, "the first message must be a greeting".into()),
        Err(FrameError::Closed) => return,
        Err(e) => return refuse(&mut stream, e.to_string()),
    };
    if hello.protocol != PROTOCOL {
        return refuse(
            &mut stream,
            format!(
                "the client speaks protocol {}, this server {PROTOCOL} (casedesk {})",
                hello.protocol,
                env!("CARGO_PKG_VERSION")
            ),
        );
    }
    let _ = stream.set_read_timeout(None);
    let Ok(write_half) = stream.try_clone() else {
        return;
    };
    let write_half = Arc::new(write_half);
    let (tx, rx) = mpsc::sync_channel::<Frame>(QUEUE);
    let out = Outbox {
        tx,
        stream: write_half.clone(),
    };
    write_client(write_half, rx);
    let account = match (&hello.claimed, test_identities) {
        (Some(claimed), true) => claimed.clone(),
        _ => peer.account.clone(),
    };
    let hello = Hello {
        pid: if test_identities { hello.pid } else { peer.pid },
        ..hello
    };
    if jobs
        .send(Job::Hello {
            conn,
            account,
            hello,
            out: out.clone(),
        })
        .is_err()
    {
        return;
    }
    let mut reader = BufReader::new(stream);
    loop {
        match protocol::read_frame(&mut reader, protocol::MAX_REQUEST) {
            Ok((FrameKind::Json, body)) => match protocol::parse::<Envelope>(&body) {
                Ok(envelope) => {
                    if jobs.send(Job::Request { conn, envelope }).is_err() {
                        break;
                    }
                }
                Err(e) => {
                    out.reply(0, malformed(e.to_string()));
                    break;
                }
            },
            Ok(_) => {
                out.reply(0, malformed("a client sends messages only".into()));
                break;
            }
            Err(FrameError::Closed | FrameError::Io(_)) => break,
            Err(e) => {
                out.reply(0, malformed(e.to_string()));
                break;
            }
        }
    }
    let _ = jobs.send(Job::Gone { conn });
}

fn malformed(reason: String) -> Reply {
    Reply::Error(WireError::Connection(ConnectionError::Refused { reason }))
}

/// Writes a client's frames as they come; a write that fails ends the connection.
fn write_client(stream: Arc<UnixStream>, rx: Receiver<Frame>) {
    std::thread::spawn(move || {
        let mut writer = std::io::BufWriter::new(&*stream);
        for (kind, body) in rx {
            if protocol::write_frame(&mut writer, kind, &body).is_err() {
                let _ = stream.shutdown(std::net::Shutdown::Both);
                return;
            }
        }
        // Everything said: the connection ends (a refused client reads why, then the end).
        let _ = stream.shutdown(std::net::Shutdown::Both);
    });
}

/// The store's thread: the engine and who is connected.
struct Server {
    engine: Engine,
    conns: BTreeMap<u64, Conn>,
    clock: Clock,
    dir: PathBuf,
    owner: String,
    since: DateTime<FixedOffset>,
    /// Everything, encoded, for those who see everything, and the position it was made at.
    full: Option<(u64, Arc<Vec<u8>>)>,
    /// What opening the store repaired has been told to a casedesk (the first to connect).
    told_recovery: bool,
}

impl Server {
    fn now(&self) -> DateTime<FixedOffset> {
        (self.clock)()
    }

    fn screens(&self) -> usize {
        self.conns.values().filter(|c| c.kind.is_screen()).count()
    }

    fn presence(&self) {
        let screens = self.screens();
        for conn in self.conns.values().filter(|c| c.subscribed) {
            let others = screens.saturating_sub(usize::from(conn.kind.is_screen()));
            conn.out.json(&ServerMsg::Presence { others });
        }
    }

    fn hello(&mut self, conn: u64, account: &str, hello: Hello, out: Outbox) {
        let access = match self.engine.access(account) {
            Ok(access) => access,
            Err(e) => {
                tracing::warn!(conn, account, "connection refused: not a user");
                out.json(&Welcome::Refused(e.to_wire()));
                // The writer ends the connection once the refusal is out.
                drop(out);
                return;
            }
        };
        let screen = hello.kind.is_screen();
        tracing::info!(
            conn,
            account,
            client = client_kind(&hello.kind),
            client_pid = hello.pid,
            "connected"
        );
        let others = self.screens();
        let recovery = self.engine.recovery();
        let (ko, en) = if self.told_recovery {
            (Vec::new(), Vec::new())
        } else {
            self.told_recovery = true;
            (recovery.notices(Lang::Ko), recovery.notices(Lang::En))
        };
        let store = StoreNotices {
            ko,
            en,
            read_only: recovery.read_only.is_some(),
        };
        out.json(&Welcome::Ok {
            access: access.clone(),
            server_pid: std::process::id(),
            others,
            store,
        });
        let since = self.now();
        self.conns.insert(
            conn,
            Conn {
                access,
                kind: hello.kind,
                pid: hello.pid,
                since,
                out,
                subscribed: false,
                visible: None,
            },
        );
        if screen {
            self.presence();
        }
    }

    fn gone(&mut self, conn: u64) {
        if let Some(gone) = self.conns.remove(&conn) {
            tracing::info!(conn, account = %gone.access.account, "disconnected");
            if gone.kind.is_screen() {
                self.presence();
            }
        }
    }

    /// Handles a request; true when the server is to stop. A slow one is logged (by kind and
    /// account, never what it carried).
    fn request(&mut self, conn: u64, envelope: Envelope) -> bool {
        let started = Instant::now();
        let kind = request_kind(&envelope.request);
        let stop = self.handle(conn, envelope);
        let ms = crate::diagnostics::millis(started);
        if ms >= crate::diagnostics::SLOW_MILLIS {
            let account = self.conns.get(&conn).map(|c| c.access.account.clone());
            tracing::warn!(conn, account, request = kind, ms, "slow request");
        }
        stop
    }

    fn handle(&mut self, conn: u64, envelope: Envelope) -> bool {
        let Some(access) = self.conns.get(&conn).map(|c| c.access.clone()) else {
            return false;
        };
        let id = envelope.id;
        let reply = match envelope.request {
            Request::Subscribe => {
                self.subscribe(conn, id, &access);
                return false;
            }
            Request::View(scope) => match self.engine.view(&access, &scope) {
                Ok(state) => {
                    self.send_state(conn, id, &state);
                    return false;
                }
                Err(e) => Reply::Error(e.to_wire()),
            },
            Request::Apply { cmd, expect } => {
                let now = self.now();
                match self.engine.apply(&access, *cmd, now, &expect) {
                    Ok(confirmed) => {
                        let receipt = confirmed.receipt.clone();
                        self.changed(conn, &confirmed);
                        Reply::Receipt(receipt)
                    }
                    Err(e) => Reply::Error(e.to_wire()),
                }
            }
            Request::ApplyAll { cmds } => {
                let now = self.now();
                match self.engine.apply_all(&access, cmds, now) {
                    Ok(receipts) => {
                        self.resync_all();
                        Reply::Receipts(receipts)
                    }
                    Err(e) => Reply::Error(e.to_wire()),
                }
            }
            Request::NotesOf(case) => answer(self.engine.notes_of(&access, case), Reply::Notes),
            Request::LastOwnChange => {
                answer(self.engine.last_own_change(&access), Reply::OwnChange)
            }
            Request::CaseActions(case) => {
                answer(self.engine.case_actions(&access, case), Reply::Actions)
            }
            Request::AllActions => answer(self.engine.all_actions(&access), Reply::Actions),
            Request::FinishedSince(since) => {
                answer(self.engine.finished_since(&access, since), Reply::Actions)
            }
            Request::OpenActionsDue(last) => {
                answer(self.engine.open_actions_due(&access, last), Reply::Actions)
            }
            Request::Users => answer(self.engine.users(&access), Reply::Users),
            Request::Who => Reply::Sessions(self.sessions()),
            Request::Check { anchor } => {
                answer(self.engine.check(&access, anchor.as_deref()), Reply::Check)
            }
            Request::Backup => match access.coordinates().and_then(|()| access.may_unmask()) {
                Ok(()) => {
                    // The reply goes out from the backup's own thread once the journal is through.
                    self.backup(conn, id);
                    return false;
                }
                Err(e) => Reply::Error(WireError::Denied(e)),
            },
            Request::Demo { cases, seed } => {
                let now = self.now();
                match self.engine.demo(&access, cases, seed, now) {
                    Ok((cases, actions)) => {
                        self.resync_all();
                        Reply::Demo(cases, actions)
                    }
                    Err(e) => Reply::Error(e.to_wire()),
                }
            }
            Request::Status => Reply::Status(self.status()),
            Request::Propose {
                date,
                kind,
                title,
                facilitator,
                lang,
                length_minutes,
            } => answer(
                self.engine.propose(
                    &access,
                    date,
                    kind,
                    title,
                    facilitator,
                    lang,
                    length_minutes,
                ),
                |c| Reply::Proposal(Box::new(c)),
            ),
            Request::Head => {
                let (seq, hash) = self.engine.store().head();
                Reply::Head(seq, hash)
            }
            Request::Stop => {
                if access.role == Role::Admin {
                    if let Some(c) = self.conns.get(&conn) {
                        c.out.reply(id, Reply::Done);
                    }
                    return true;
                }
                Reply::Error(WireError::Denied(Denied::AdminsOnly {
                    account: access.account.clone(),
                }))
            }
        };
        if let Some(c) = self.conns.get(&conn) {
            c.out.reply(id, reply);
        }
        false
    }

    fn status(&mut self) -> ServerStatus {
        ServerStatus {
            pid: std::process::id(),
            account: self.owner.clone(),
            dir: self.dir.display().to_string(),
            since: self.since,
            sessions: self.sessions(),
            seq: self.engine.store().seq(),
        }
    }

    fn sessions(&self) -> Vec<Session> {
        self.conns
            .values()
            .map(|c| Session {
                account: c.access.account.clone(),
                kind: c.kind.clone(),
                pid: c.pid,
                since: c.since,
            })
            .collect()
    }

    /// Everything `access` may see, encoded (shared by all who see everything).
    fn encoded_for(&mut self, access: &Access) -> Result<Arc<Vec<u8>>, BackendError> {
        let seq = self.engine.store().seq();
        match self.engine.snapshot_for(access)? {
            Some(cut) => Ok(Arc::new(encode(&cut)?)),
            None => {
                if let Some((at, bytes)) = &self.full
                    && *at == seq
                {
                    return Ok(bytes.clone());
                }
                let bytes = Arc::new(encode(self.engine.state()?)?);
                self.full = Some((seq, bytes.clone()));
                Ok(bytes)
            }
        }
    }

    fn subscribe(&mut self, conn: u64, id: u64, access: &Access) -> bool {
        let bytes = match self.encoded_for(access) {
            Ok(bytes) => bytes,
            Err(e) => {
                if let Some(c) = self.conns.get(&conn) {
                    c.out.reply(id, Reply::Error(e.to_wire()));
                }
                return false;
            }
        };
        let visible = if access.sees_all() {
            None
        } else {
            self.engine.state().ok().map(|state| {
                state
                    .cases
                    .values()
                    .filter(|c| access.sees_case(state, c))
                    .map(|c| c.number)
                    .collect()
            })
        };
        let screens = self.screens();
        let Some(c) = self.conns.get_mut(&conn) else {
            return false;
        };
        c.subscribed = true;
        c.visible = visible;
        c.out.reply(id, Reply::State);
        c.out.send(FrameKind::State, bytes);
        let others = screens.saturating_sub(usize::from(c.kind.is_screen()));
        c.out.json(&ServerMsg::Presence { others })
    }

    fn send_state(&mut self, conn: u64, id: u64, state: &State) -> bool {
        let Some(c) = self.conns.get(&conn) else {
            return false;
        };
        match encode(state) {
            Ok(bytes) => {
                c.out.reply(id, Reply::State);
                c.out.send(FrameKind::State, Arc::new(bytes))
            }
            Err(e) => c.out.reply(id, Reply::Error(e.to_wire())),
        }
    }

    /// Tells every open screen about a confirmed change, cut to what each may see.
    fn changed(&mut self, origin: u64, confirmed: &Confirmed) {
        let users_changed =
            !confirmed.changes.users.is_empty() || !confirmed.changes.removed_users.is_empty();
        if users_changed {
            self.roles_changed();
        }
        let Ok(state) = self.engine.state() else {
            return;
        };
        for (id, conn) in &mut self.conns {
            if !conn.subscribed {
                continue;
            }
            let msg = event_for(conn, state, confirmed, *id == origin);
            if !conn.out.json(&msg) {
                continue;
            }
        }
    }

    /// After a change of users: everyone's access is looked up again; a screen whose access
    /// changed reads everything again, and one whose account lost access is closed.
    fn roles_changed(&mut self) {
        let ids: Vec<u64> = self.conns.keys().copied().collect();
        for id in ids {
            let Some(account) = self.conns.get(&id).map(|c| c.access.account.clone()) else {
                continue;
            };
            match self.engine.access(&account) {
                Ok(access) => {
                    if let Some(c) = self.conns.get_mut(&id)
                        && c.access != access
                    {
                        c.access = access;
                        if c.subscribed {
                            c.out.json(&ServerMsg::Resync);
                        }
                    }
                }
                Err(_) => {
                    if let Some(c) = self.conns.remove(&id) {
                        c.out.json(&ServerMsg::Closing);
                        c.out.close();
                    }
                }
            }
        }
    }

    fn resync_all(&mut self) {
        for conn in self.conns.values().filter(|c| c.subscribed) {
            conn.out.json(&ServerMsg::Resync);
        }
    }

    /// Streams the journal to `conn` from a thread of its own: the journal as it is now is
    /// only ever appended to, so it is read without holding up anyone else.
    fn backup(&mut self, conn: u64, id: u64) {
        let Some(out) = self.conns.get(&conn).map(|c| c.out.clone()) else {
            return;
        };
        let dir = self.dir.clone();
        std::thread::spawn(move || {
            let mut emit = |bytes: &[u8]| -> std::io::Result<()> {
                out.tx
                    .send((FrameKind::Bytes, Arc::new(bytes.to_vec())))
                    .map_err(|_| std::io::Error::other("the client went away"))
            };
            let reply = match crate::transfer::backup::copy_journal(&dir, &mut emit) {
                Ok(report) => Reply::Backup(report),
                Err(e) => Reply::Error(WireError::Failed {
                    kind: crate::backend::FailureKind::Io,
                    ko: e.localize(Lang::Ko),
                    en: e.localize(Lang::En),
                }),
            };
            if let Ok(body) = serde_json::to_vec(&ServerMsg::Reply { id, reply }) {
                let _ = out.tx.send((FrameKind::Json, Arc::new(body)));
            }
        });
    }
}

fn answer<T>(result: Result<T, BackendError>, ok: impl FnOnce(T) -> Reply) -> Reply {
    match result {
        Ok(value) => ok(value),
        Err(e) => Reply::Error(e.to_wire()),
    }
}

fn encode(state: &State) -> Result<Vec<u8>, BackendError> {
    crate::store::cache::encode_state(state).map_err(|reason| BackendError::Failed {
        kind: crate::backend::FailureKind::Other,
        ko: format!("기록을 보낼 수 없습니다: {reason}"),
        en: format!("cannot send the records: {reason}"),
    })
}

/// A confirmed change as `conn` may see it.
fn event_for(conn: &mut Conn, state: &State, c: &Confirmed, own: bool) -> ServerMsg {
    let access = &conn.access;
    let mut changes = Changes {
        office: c.changes.office.clone(),
        teams: c.changes.teams.clone(),
        counters: c.changes.counters.clone(),
        ..Changes::default()
    };
    let mut hidden = Vec::new();
    let full = access.sees_all() && !access.masked_only();
    if full {
        changes.cases = c.changes.cases.clone();
        changes.actions = c.changes.actions.clone();
        changes.removed_cases = c.changes.removed_cases.clone();
        changes.removed_actions = c.changes.removed_actions.clone();
        changes.conferences = c.changes.conferences.clone();
        changes.removed_conferences = c.changes.removed_conferences.clone();
    } else {
        let mut touched: BTreeSet<CaseNumber> = c.changes.cases.iter().map(|x| x.number).collect();
        touched.extend(c.changes.actions.iter().map(|a| a.id.case));
        touched.extend(c.changes.removed_actions.iter().map(|a| a.case));
        for number in touched {
            let now = access.sees_number(state, number);
            let was = conn.visible.as_ref().is_none_or(|v| v.contains(&number));
            match (now, state.cases.get(&number)) {
                (true, Some(case)) => {
                    changes.cases.push(access.case(case));
                    if !was {
                        // Newly theirs: the case comes with its open actions.
                        for action in state.actions_of(number).filter(|a| a.is_open()) {
                            changes.actions.push(access.action(case, action));
                        }
                    }
                    if let Some(v) = &mut conn.visible {
                        v.insert(number);
                    }
                }
                _ if was && conn.visible.is_some() => {
                    hidden.push(number);
                    if let Some(v) = &mut conn.visible {
                        v.remove(&number);
                    }
                }
                _ => {}
            }
        }
        let mine = |n: CaseNumber, v: &Option<BTreeSet<CaseNumber>>| {
            v.as_ref().is_none_or(|v| v.contains(&n))
        };
        for action in &c.changes.actions {
            if mine(action.id.case, &conn.visible)
                && !changes.actions.iter().any(|a| a.id == action.id)
                && let Some(case) = state.cases.get(&action.id.case)
            {
                changes.actions.push(access.action(case, action));
            }
        }
        changes.removed_actions = c
            .changes
            .removed_actions
            .iter()
            .filter(|a| mine(a.case, &conn.visible))
            .copied()
            .collect();
        changes.removed_cases = c
            .changes
            .removed_cases
            .iter()
            .filter(|n| mine(**n, &conn.visible))
            .copied()
            .collect();
        changes.conferences = c
            .changes
            .conferences
            .iter()
            .map(|conf| access.conference(state, conf))
            .collect();
        changes.removed_conferences = c.changes.removed_conferences.clone();
    }
    let summary = match c.summary.record.and_then(|r| r.case()) {
        Some(case) if !access.sees_number(state, case) => None,
        _ => Some(c.summary),
    };
    ServerMsg::Changed {
        seq: c.receipt.seq,
        by: c.by.clone(),
        at: c.at,
        summary,
        own,
        changes,
        hidden,
    }
}

/// Whether a server listens on the store in `dir` (a connection succeeds).
pub fn listening(dir: &Path) -> bool {
    UnixStream::connect(socket_path(dir)).is_ok()
}

/// Keeps `dir`'s group-search bit when the store directory is shared with a group.
pub fn store_is_shared(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).is_ok_and(|m| m.mode() & 0o010 != 0)
}
