//! Opening a store: the lock that keeps a second casedesk out, finding the store (or saying
//! why there is none), sled's settings, owner-only permissions, and what opening had to repair
//! (a crash's leftovers, an older schema, unreadable database files rebuilt from the journal).

use std::fs::{DirBuilder, File, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use super::codec::{SCHEMA_VERSION, decode};
use super::journal::Journal;
use super::recover::{self, DB_DIR};
use super::*;

impl Store {
    /// Opens the store in `dir`; it must exist. What a crash left is cleaned up, journal entries
    /// sled lacks are applied, an unconfirmed end of the journal is moved to a quarantine file,
    /// and sled's files, if they cannot be read, are moved aside and rebuilt from the journal.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        present(dir)?;
        let store = Store::open_inner(dir, Replay::Yes)?;
        announce(dir, &store.recovery);
        Ok(store)
    }

    /// Opens the store in `dir`, creating an empty one (owner-only) if there is none.
    pub fn open_or_create(dir: &Path) -> Result<Store, StoreError> {
        // A store goes into a new or empty directory, never among someone's other files.
        match present(dir) {
            Ok(()) => return Store::open(dir),
            Err(StoreError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        if let Ok(mut entries) = std::fs::read_dir(dir) {
            let ours = |name: &std::ffi::OsStr| name == LOCK_FILE || name == DB_DIR;
            if entries.any(|e| e.map(|e| !ours(&e.file_name())).unwrap_or(true)) {
                return Err(StoreError::NotEmpty {
                    dir: dir.to_path_buf(),
                });
            }
        }
        let existed = dir.exists();
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| StoreError::io("create the store directory", dir, e))?;
        if !existed {
            // The new directory's name must survive a crash too.
            let _ = crate::fsio::sync_dir(crate::fsio::parent_of(dir));
        }
        let store = Store::open_inner(dir, Replay::Yes)?;
        announce(dir, &store.recovery);
        Ok(store)
    }

    /// Opens without applying journal entries sled lacks, for `check` to look at first.
    pub(crate) fn open_for_check(dir: &Path) -> Result<Store, StoreError> {
        present(dir)?;
        Store::open_inner(dir, Replay::No)
    }

    fn open_inner(dir: &Path, replay: Replay) -> Result<Store, StoreError> {
        let started = std::time::Instant::now();
        let opened = Store::open_repairing(dir, replay);
        match &opened {
            Ok(store) => {
                tracing::info!(
                    dir = %dir.display(),
                    seq = store.applied.seq,
                    ms = crate::diagnostics::millis(started),
                    "store opened"
                );
                store.recovery.log();
            }
            Err(e) => tracing::warn!(dir = %dir.display(), error = e.kind(), "store not opened"),
        }
        opened
    }

    /// Opens the store under its lock, repairing what a crash left, an older schema, or
    /// database files that cannot be read (rebuilt from the journal).
    fn open_repairing(dir: &Path, replay: Replay) -> Result<Store, StoreError> {
        let lock = lock(dir)?;
        let mut recovery = Recovery {
            tidied: recover::tidy(dir)
                .map_err(|e| StoreError::io("clean up after an interrupted run", dir, e))?,
            ..Recovery::default()
        };
        match Store::open_locked(dir, lock.clone(), replay, recovery.clone()) {
            Err(StoreError::OlderSchema { found, .. }) => {
                let built = build::rebuild(dir, &lock, false)?;
                recovery.upgraded = Some((found, built.aside.unwrap_or_default()));
                if let Some(q) = built.quarantined {
                    recovery.quarantined = Some(q);
                }
                Store::open_locked(dir, lock, replay, recovery)
            }
            Err(e) if e.sled_unreadable() => {
                // The journal is the truth: build sled's files again from it, keeping the old
                // ones aside.
                let started = std::time::Instant::now();
                let reason = e.sled_reason();
                let built = build::rebuild(dir, &lock, false)?;
                recovery.rebuilt = Some(Rebuilt {
                    reason,
                    aside: built.aside,
                    entries: built.entries,
                    millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                });
                if let Some(q) = built.quarantined {
                    recovery.quarantined = Some(q);
                }
                Store::open_locked(dir, lock, replay, recovery)
            }
            other => other,
        }
    }

    /// Rebuilds the store from its journal, for `check --rebuild`: the new sled files are built
    /// beside the old ones and only then put in their place; the old ones are kept (named
    /// `db.damaged-…`). An end of the journal that was never confirmed is moved to a quarantine
    /// file first; damage in its middle is refused. When sled holds changes the journal lacks,
    /// the rebuild is refused unless `discard_newer`, and those records are named. A failed
    /// rebuild leaves the store as it was.
    pub fn rebuild(dir: &Path, discard_newer: bool) -> Result<(Store, build::Rebuild), StoreError> {
        present(dir)?;
        let lock = lock(dir)?;
        let recovery = Recovery {
            tidied: recover::tidy(dir)
                .map_err(|e| StoreError::io("clean up after an interrupted run", dir, e))?,
            ..Recovery::default()
        };
        let built = build::rebuild(dir, &lock, discard_newer)?;
        let store = Store::open_locked(dir, lock, Replay::Yes, recovery)?;
        Ok((store, built))
    }

    fn open_locked(
        dir: &Path,
        lock: Lock,
        replay: Replay,
        recovery: Recovery,
    ) -> Result<Store, StoreError> {
        let sled_err = |source| StoreError::Sled {
            dir: dir.to_path_buf(),
            source,
        };
        let db_path = dir.join(DB_DIR);
        let fresh = !db_path.join("conf").exists() || !db_path.join("db").exists();
        let db = open_sled(&db_path, dir)?;
        let trees = guarded(dir, || {
            TreeId::ALL
                .iter()
                .map(|t| db.open_tree(t.name()))
                .collect::<Result<Vec<_>, _>>()
        })?
        .map_err(sled_err)?;
        if fresh {
            // sled never syncs its folder or its settings file: a power cut must not leave a
            // new store's database without them.
            let _ = crate::fsio::sync_tree(&db_path);
            let _ = crate::fsio::sync_dir(dir);
        }
        restrict_permissions(dir);

        let unreadable = |what: &str, why: String| StoreError::SledUnreadable {
            dir: dir.to_path_buf(),
            why: format!("its {what} does not read: {why}"),
        };
        let Some(meta) = trees.get(TreeId::Meta as usize) else {
            return Err(unreadable("meta tree", "it did not open".into()));
        };
        match guarded(dir, || meta.get(META_SCHEMA))?.map_err(sled_err)? {
            Some(v) => {
                let found: u32 = serde_json::from_slice(&v)
                    .map_err(|e| unreadable("schema version", e.to_string()))?;
                if found > SCHEMA_VERSION {
                    return Err(StoreError::NewerSchema {
                        dir: dir.to_path_buf(),
                        found,
                        supported: SCHEMA_VERSION,
                    });
                }
                if found < SCHEMA_VERSION {
                    // Written by an older casedesk: everything in sled derives from the journal,
                    // so the files are made again from it, in this version's layout.
                    return Err(StoreError::OlderSchema {
                        dir: dir.to_path_buf(),
                        found,
                    });
                }
            }
            None => {
                meta.insert(META_SCHEMA, SCHEMA_VERSION.to_string().as_bytes())
                    .map_err(sled_err)?;
            }
        }
        let applied: Applied = match guarded(dir, || meta.get(META_APPLIED))?.map_err(sled_err)? {
            Some(v) => decode(&v).map_err(|e| unreadable("journal position", e.to_string()))?,
            None => Applied::default(),
        };
        let journal_path = dir.join(JOURNAL_FILE);
        let created = !journal_path.exists();
        let journal = Journal::open(&journal_path)
            .map_err(|e| access(dir, e, "open the journal", &journal_path))?;
        if created {
            // The new file's name must survive a crash too.
            let _ = crate::fsio::sync_dir(dir);
        }
        if replay == Replay::Yes {
            if journal.len() < applied.offset {
                return Err(StoreError::JournalBehind {
                    path: journal_path,
                    applied: applied.seq,
                });
            }
            if applied.seq > 0 {
                // The line sled says it applied last must be this journal's line there.
                let at = journal
                    .line_ending_at(applied.offset)
                    .map_err(|e| StoreError::io("read the journal", &journal_path, e))?;
                if at.as_ref().map(|(seq, hash)| (*seq, hash.as_str()))
                    != Some((applied.seq, applied.hash.as_str()))
                {
                    return Err(StoreError::JournalDiverged {
                        path: journal_path,
                        applied: applied.seq,
                    });
                }
            }
        }
        let mut store = Store {
            dir: dir.to_path_buf(),
            _lock: lock,
            db: Some(db),
            trees,
            journal,
            applied,
            state: None,
            #[cfg(any(test, feature = "test-hooks"))]
            fault: None,
            poisoned: false,
            recovery,
            cached_at: None,
            listeners: Vec::new(),
            wrote: false,
            own: Default::default(),
        };
        if replay == Replay::Yes {
            store.replay_tail()?;
        }
        store.own = super::undo::read(dir, &store.applied);
        Ok(store)
    }
}

static ANNOUNCE: std::sync::OnceLock<fn(&Path, &Recovery)> = std::sync::OnceLock::new();

/// Sets who tells a person what opening a store repaired (the command line prints it). Only
/// the first call counts.
pub fn on_recovery(tell: fn(&Path, &Recovery)) {
    let _ = ANNOUNCE.set(tell);
}

fn announce(dir: &Path, recovery: &Recovery) {
    if recovery.worth_telling()
        && let Some(tell) = ANNOUNCE.get()
    {
        tell(dir, recovery);
    }
}

/// Whether opening replays journal entries sled lacks (normal) or leaves them (for `check`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Replay {
    Yes,
    No,
}

/// The store's lock file, held open (and locked) for as long as the store is.
pub(crate) type Lock = std::sync::Arc<File>;

/// Removes a store that was just created in `dir` and failed to be set up: casedesk's files
/// only, and the directory itself when `remove_dir` (it was created for it). Nothing else in
/// the directory is touched.
pub fn discard_new(dir: &Path, remove_dir: bool) {
    for name in [
        JOURNAL_FILE,
        cache::CACHE_FILE,
        &format!("{}.tmp", cache::CACHE_FILE),
        super::undo::UNDO_FILE,
        &format!("{}.tmp", super::undo::UNDO_FILE),
        LOCK_FILE,
    ] {
        let _ = std::fs::remove_file(dir.join(name));
    }
    for name in [DB_DIR, recover::NEW_DIR, recover::OLD_DIR] {
        let _ = std::fs::remove_dir_all(dir.join(name));
    }
    if remove_dir {
        let _ = std::fs::remove_dir(dir);
    }
}

/// What kind of casedesk holds a store: the shared server, or one that opened the store in
/// its own process (`--no-server`, or the tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolderKind {
    /// `casedesk serve`.
    Server,
    /// A casedesk with the store in its own process.
    Embedded,
}

/// The casedesk holding a store, as its lock file says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holder {
    /// Its process.
    pub pid: u32,
    /// What it is.
    pub kind: HolderKind,
}

/// Who holds the store in `dir`, found without writing anything: the process the kernel
/// lists as holding the lock file's lock (`/proc/locks`), and whether it runs `casedesk
/// serve`. `None` when that cannot be told (no lock held, another system, a process this account
/// cannot see).
pub fn holder(dir: &Path) -> Option<Holder> {
    use std::os::unix::fs::MetadataExt;
    let inode = std::fs::metadata(dir.join(LOCK_FILE)).ok()?.ino();
    let mut locks = String::new();
    File::open("/proc/locks")
        .ok()?
        .take(1 << 20)
        .read_to_string(&mut locks)
        .ok()?;
    // "1: FLOCK  ADVISORY  WRITE 31882 fd:01:1234567 0 EOF"
    let mut pids = locks.lines().filter_map(|line| {
        let mut words = line.split_whitespace().skip(4);
        let pid: u32 = words.next()?.parse().ok()?;
        let file_inode: u64 = words.next()?.rsplit(':').next()?.parse().ok()?;
        (file_inode == inode).then_some(pid)
    });
    let pid = pids.next()?;
    if pids.any(|other| other != pid) {
        // Another file system's file with the same number: no telling which.
        return None;
    }
    let mut cmdline = Vec::new();
    File::open(format!("/proc/{pid}/cmdline"))
        .ok()?
        .take(1 << 16)
        .read_to_end(&mut cmdline)
        .ok()?;
    let serves = cmdline.split(|b| *b == 0).any(|arg| arg == b"serve");
    Some(Holder {
        pid,
        kind: if serves {
            HolderKind::Server
        } else {
            HolderKind::Embedded
        },
    })
}

/// Takes the store's lock, or says another casedesk has it.
pub(super) fn lock(dir: &Path) -> Result<Lock, StoreError> {
    let lock_path = dir.join(LOCK_FILE);
    let lock = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&lock_path)
        .map_err(|e| access(dir, e, "open the lock file", &lock_path))?;
    // A process that forks (to start another program) holds a copy of every open file until
    // the new program starts, and with it the lock: a lock held only that long is worth a
    // moment's wait. Another casedesk holds it for good, and is reported at once after that.
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(300);
    loop {
        match lock.try_lock() {
            Ok(()) => return Ok(std::sync::Arc::new(lock)),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(StoreError::InUse {
                    dir: dir.to_path_buf(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(StoreError::io("lock the store", &lock_path, e));
            }
        }
    }
}

/// How casedesk runs sled: no background flushing thread (every change is flushed before it is
/// confirmed, and nothing should write behind a reader's back), and a modest page cache (the
/// records people look at are kept in casedesk's own memory).
fn sled_config(path: &Path) -> sled::Config {
    sled::Config::new()
        .path(path)
        .flush_every_ms(None)
        .cache_capacity(128 << 20)
}

/// Opens sled's folder `db_path` of the store in `dir`. Our own lock is held, so no other
/// casedesk has the store; if sled's lock is still taken, it is by a `Store` this process
/// dropped a moment ago whose background threads are finishing. Wait for them briefly rather
/// than fail. A panic inside sled (it has some on damaged files) is an unreadable store.
pub(crate) fn open_sled(db_path: &Path, dir: &Path) -> Result<sled::Db, StoreError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match guarded(dir, || sled_config(db_path).open())? {
            Ok(db) => return Ok(db),
            Err(sled::Error::Io(e)) if e.to_string().contains("could not acquire lock") => {
                if std::time::Instant::now() >= deadline {
                    return Err(StoreError::InUse {
                        dir: dir.to_path_buf(),
                    });
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(sled::Error::Io(e)) => return Err(access(dir, e, "open the database", db_path)),
            Err(source) => {
                return Err(StoreError::Sled {
                    dir: dir.to_path_buf(),
                    source,
                });
            }
        }
    }
}

/// Runs `f` (a call into sled), turning a panic into an unreadable store.
pub(crate) fn guarded<T>(dir: &Path, f: impl FnOnce() -> T) -> Result<T, StoreError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        let why = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_string()))
            .unwrap_or_else(|| "an internal error".into());
        StoreError::SledUnreadable {
            dir: dir.to_path_buf(),
            why: format!("sled stopped: {why}"),
        }
    })
}

/// An IO failure on the store's own files: "permission denied" is a store this account cannot
/// read, a full disk is a full disk.
pub(crate) fn access(dir: &Path, e: std::io::Error, what: &str, path: &Path) -> StoreError {
    if e.kind() == std::io::ErrorKind::PermissionDenied {
        StoreError::Unreadable {
            dir: dir.to_path_buf(),
            owner: owner_of(dir),
        }
    } else if space::is_full(&e) {
        StoreError::DiskFull {
            dir: dir.to_path_buf(),
            free: space::free_bytes(dir),
            needed: space::needed_for(0, 0),
        }
    } else {
        StoreError::io(what, path, e)
    }
}

fn owner_of(dir: &Path) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).ok().map(|m| m.uid())
}

/// Says whether there is a store in `dir`: "no store" only when there is none, and a store this
/// account may not read as such.
pub(super) fn present(dir: &Path) -> Result<(), StoreError> {
    let journal = dir.join(JOURNAL_FILE);
    match std::fs::metadata(&journal) {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(_) => Err(StoreError::io(
            "open the journal",
            &journal,
            std::io::Error::other("it is not a regular file"),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Err(StoreError::Unreadable {
            dir: dir.to_path_buf(),
            owner: owner_of(dir),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match std::fs::read_dir(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                Err(StoreError::Unreadable {
                    dir: dir.to_path_buf(),
                    owner: owner_of(dir),
                })
            }
            _ => Err(StoreError::NotFound {
                dir: dir.to_path_buf(),
            }),
        },
        Err(e) => Err(StoreError::io("open the journal", &journal, e)),
    }
}

/// Makes the store directory and casedesk's files in it owner-only (sled creates its files with
/// the default mask). Touches nothing else in the directory.
fn restrict_permissions(dir: &Path) {
    fn walk(path: &Path) {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return;
        };
        if meta.is_dir() {
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700));
            if let Ok(entries) = std::fs::read_dir(path) {
                for entry in entries.flatten() {
                    walk(&entry.path());
                }
            }
        } else if meta.is_file() {
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
    }
    // An office that shares the store through a server gives the directory to a group with
    // search permission only (0710), so that the group reaches the socket and nothing else.
    let group_search = std::fs::metadata(dir).map_or(0, |m| m.permissions().mode() & 0o010);
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700 | group_search));
    for name in [DB_DIR, JOURNAL_FILE, LOCK_FILE, cache::CACHE_FILE] {
        walk(&dir.join(name));
    }
}
