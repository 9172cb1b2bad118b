//! The diagnostic log: what casedesk did — a store opened, the journal replayed, a crash's
//! leftovers repaired, slow changes and requests, a server's start, stop and connections — in
//! `casedesk.YYYY-MM-DD.log` in the state directory (`$XDG_STATE_HOME/casedesk`), a file a
//! day, the last fourteen kept, owner-only. Never case content: events name commands and
//! requests by their kind, stores by their directory and people by their account, never a
//! student, a note, an action or a typed value. The rest of casedesk only emits `tracing`
//! events; this module, called once by the binary, decides where they go.

use std::fs::{DirBuilder, Permissions};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tracing_appender::rolling::{RollingFileAppender, Rotation};

/// Log files kept (one a day).
pub const KEPT_FILES: usize = 14;

/// Where the diagnostic log goes: `$XDG_STATE_HOME/casedesk` (usually
/// `~/.local/state/casedesk`); `None` where the system has no state directory.
pub fn log_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().and_then(|d| d.state_dir().map(|s| s.join("casedesk")))
}

/// Sends this process's diagnostic events to the log in `dir` (`CASEDESK_LOG=off` turns it off,
/// `CASEDESK_LOG=debug` says more). A log that cannot be written is no reason to stop: then
/// nothing is logged. Returns the directory when the log is on.
pub fn init(dir: Option<PathBuf>) -> Option<PathBuf> {
    let level = match std::env::var("CASEDESK_LOG").ok().as_deref().map(str::trim) {
        Some("off" | "none" | "0") => return None,
        Some("debug") => tracing::Level::DEBUG,
        _ => tracing::Level::INFO,
    };
    let dir = dir?;
    let appender = open(&dir)?;
    let subscriber = tracing_subscriber::fmt()
        .with_writer(appender)
        .with_ansi(false)
        .with_target(false)
        .with_max_level(level)
        .finish();
    tracing::subscriber::set_global_default(subscriber).ok()?;
    Some(dir)
}

/// The rotating log in `dir`, owner-only: the directory `0700`, the files `0600`.
fn open(dir: &Path) -> Option<RollingFileAppender> {
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .ok()?;
    let _ = std::fs::set_permissions(dir, Permissions::from_mode(0o700));
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("casedesk")
        .filename_suffix("log")
        .max_log_files(KEPT_FILES)
        .build(dir)
        .ok()?;
    // casedesk runs with umask 077, so new files are the owner's alone; a file left by another
    // program with a wider mode is narrowed.
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("casedesk.") && name.ends_with(".log") {
            let _ = std::fs::set_permissions(entry.path(), Permissions::from_mode(0o600));
        }
    }
    Some(appender)
}

/// Milliseconds since `started`, for an event.
pub fn millis(started: std::time::Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// A change or request taking at least this long is logged as slow.
pub const SLOW_MILLIS: u64 = 250;
