//! What a crash can leave in a store directory, and how opening deals with it under the store's
//! lock: sled's half-written snapshots and configuration, a database being rebuilt or compacted
//! when the process died. Also the one way a rebuilt or compacted database replaces the old
//! one, so that every crash state is one of those handled here. Knows files and sled's file
//! names, not records.

use std::path::{Path, PathBuf};

use super::journal;
use crate::fsio::{sync_dir, sync_tree};
use crate::i18n::{Lang, Localize};

/// sled's folder in the store directory.
pub(crate) const DB_DIR: &str = "db";
/// Where a new database is built before it replaces `db`.
pub(crate) const NEW_DIR: &str = "db.new";
/// Where a compacted-away database waits to be removed.
pub(crate) const OLD_DIR: &str = "db.old";
/// Written into `db.new` once it is whole and synced.
const COMPLETE: &str = "casedesk.complete";

/// What opening the store had to repair after a crash.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovery {
    /// Bytes of a half-written last line that were moved to quarantine (never confirmed).
    pub torn_bytes: u64,
    /// Sequence numbers of an unfinished batch that was moved to quarantine (never confirmed).
    pub dropped_batch: Option<(u64, u64)>,
    /// Journal entries sled lacked and that were applied.
    pub applied: u64,
    /// The store's files were written by an older casedesk (this schema) and were made again
    /// from the journal; the old ones are kept in this directory.
    pub upgraded: Option<(u32, PathBuf)>,
    /// What a crash left that was cleaned up before sled opened.
    pub tidied: Vec<Tidied>,
    /// The end of the journal that was never confirmed, moved to a quarantine file.
    pub quarantined: Option<Quarantined>,
    /// sled's files could not be read: they were moved aside and rebuilt from the journal.
    pub rebuilt: Option<Rebuilt>,
    /// The journal is damaged with confirmed lines after the damage: the store is open
    /// read-only.
    pub read_only: Option<journal::Break>,
}

impl Recovery {
    /// Writes what opening repaired to the diagnostic log: kinds, counts, lines and files —
    /// never what the journal lines say.
    pub fn log(&self) {
        for tidied in &self.tidied {
            tracing::warn!(what = ?tidied, "cleaned up after an interrupted run");
        }
        if let Some((schema, aside)) = &self.upgraded {
            tracing::warn!(schema, aside = %aside.display(), "database made again for this version");
        }
        if let Some(q) = &self.quarantined {
            tracing::warn!(
                line = q.line,
                bytes = q.bytes,
                file = %q.file.display(),
                "unconfirmed end of the journal moved to quarantine"
            );
        }
        if let Some(r) = &self.rebuilt {
            tracing::warn!(
                entries = r.entries,
                ms = r.millis,
                reason = %r.reason,
                "unreadable database rebuilt from the journal"
            );
        }
        if let Some(damage) = &self.read_only {
            tracing::error!(
                line = damage.line,
                "journal damaged in its middle: store read-only"
            );
        }
    }

    /// True when opening did something a person should be told about.
    pub fn worth_telling(&self) -> bool {
        self.upgraded.is_some()
            || !self.tidied.is_empty()
            || self.quarantined.is_some()
            || self.rebuilt.is_some()
            || self.read_only.is_some()
    }
}

/// The end of the journal that was never confirmed, and where it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quarantined {
    /// Number of its first line.
    pub line: u64,
    /// Byte offset in the journal where it started.
    pub offset: u64,
    /// Its length in bytes.
    pub bytes: u64,
    /// Why it was never confirmed.
    pub why: journal::Unconfirmed,
    /// The quarantine file beside the journal.
    pub file: PathBuf,
}

/// An automatic rebuild of sled's files from the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    /// Why sled could not be read (sled's words).
    pub reason: String,
    /// Where the old files were moved (kept), if there were any.
    pub aside: Option<PathBuf>,
    /// Journal entries the new files were built from.
    pub entries: u64,
    /// How long it took, in milliseconds.
    pub millis: u64,
}

/// One thing cleaned up after a crash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tidied {
    /// A snapshot sled was writing when the process died (`db/snap.….generating`).
    HalfSnapshot(String),
    /// sled's configuration file was cut short (it is written again).
    Conf,
    /// A database being rebuilt or compacted was not finished: it was removed.
    UnfinishedBuild,
    /// A finished rebuild or compaction was put in place.
    FinishedBuild,
    /// A compacted-away database was removed.
    OldDatabase,
    /// A half-written record cache.
    CacheTemp,
}

impl Localize for Tidied {
    fn localize(&self, lang: Lang) -> String {
        let ko = lang == Lang::Ko;
        match self {
            Tidied::HalfSnapshot(name) => {
                if ko {
                    format!("반쯤 쓰인 데이터베이스 스냅숏 db/{name}을(를) 지웠습니다")
                } else {
                    format!("removed a half-written database snapshot, db/{name}")
                }
            }
            Tidied::Conf => lang
                .pick(
                    "잘린 데이터베이스 설정 파일 db/conf를 다시 썼습니다",
                    "rewrote the database settings file db/conf, which was cut short",
                )
                .into(),
            Tidied::UnfinishedBuild => lang
                .pick(
                    "끝나지 않은 데이터베이스 재구성(db.new)을 지웠습니다",
                    "removed an unfinished database rebuild (db.new)",
                )
                .into(),
            Tidied::FinishedBuild => lang
                .pick(
                    "다 만들어진 새 데이터베이스(db.new)를 제자리에 놓았습니다",
                    "put a finished database rebuild (db.new) in place",
                )
                .into(),
            Tidied::OldDatabase => lang
                .pick(
                    "정리가 끝난 이전 데이터베이스(db.old)를 지웠습니다",
                    "removed the database a compaction replaced (db.old)",
                )
                .into(),
            Tidied::CacheTemp => lang
                .pick(
                    "반쯤 쓰인 캐시 파일을 지웠습니다",
                    "removed a half-written cache file",
                )
                .into(),
        }
    }
}

/// Cleans up what a crash left, before sled opens. Our lock is held: no other casedesk is
/// writing any of these files.
pub(crate) fn tidy(dir: &Path) -> std::io::Result<Vec<Tidied>> {
    let mut done = Vec::new();
    let db = dir.join(DB_DIR);
    let new = dir.join(NEW_DIR);
    let old = dir.join(OLD_DIR);
    if new.exists() {
        if !db.exists() && new.join(COMPLETE).exists() {
            // The process died between moving the old database away and putting the new one
            // in its place: finish it.
            std::fs::rename(&new, &db)?;
            sync_dir(dir)?;
            let _ = std::fs::remove_file(db.join(COMPLETE));
            done.push(Tidied::FinishedBuild);
        } else {
            std::fs::remove_dir_all(&new)?;
            done.push(Tidied::UnfinishedBuild);
        }
    }
    if old.exists() {
        if db.exists() {
            std::fs::remove_dir_all(&old)?;
            done.push(Tidied::OldDatabase);
        } else {
            std::fs::rename(&old, &db)?;
            sync_dir(dir)?;
        }
    }
    if db.is_dir() {
        for entry in std::fs::read_dir(&db)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            // sled reads a `.generating` snapshot as if it were whole; it is only ever one
            // that a crash interrupted (a whole one is renamed), so it goes.
            if name.starts_with("snap.") && name.ends_with(".generating") {
                std::fs::remove_file(entry.path())?;
                done.push(Tidied::HalfSnapshot(name));
            }
        }
        if !conf_is_whole(&db.join("conf")) {
            // sled writes it again from the settings casedesk opens it with (the same ones it
            // was created with: casedesk never changes them).
            std::fs::remove_file(db.join("conf"))?;
            done.push(Tidied::Conf);
        }
        if !done.is_empty() {
            sync_dir(&db)?;
        }
    }
    let cache_tmp = dir.join(format!("{}.tmp", super::cache::CACHE_FILE));
    if cache_tmp.exists() {
        std::fs::remove_file(&cache_tmp)?;
        done.push(Tidied::CacheTemp);
    }
    Ok(done)
}

/// True when sled's configuration file is missing (sled writes it), or whole: its text followed
/// by the CRC-32 of it. sled reads a cut one and fails to start.
fn conf_is_whole(path: &Path) -> bool {
    let Ok(bytes) = crate::fsio::read_bounded(path, 4096) else {
        return !path.exists();
    };
    if bytes.len() <= 4 {
        return false;
    }
    let (text, crc) = bytes.split_at(bytes.len() - 4);
    let expected = crc32fast::hash(text).to_le_bytes();
    crc == expected && std::str::from_utf8(text).is_ok_and(|t| t.ends_with('\n'))
}

/// Marks a database built in `NEW_DIR` as whole, after syncing every file of it.
pub(crate) fn seal(new: &Path) -> std::io::Result<()> {
    sync_tree(new)?;
    let marker = new.join(COMPLETE);
    std::fs::write(&marker, b"")?;
    std::fs::File::open(&marker)?.sync_all()?;
    sync_dir(new)
}

/// Puts the sealed database in `db.new` in place of `db`, which goes to `aside` (kept) or to
/// `db.old` (removed). Every step is one rename, synced with the directory; `tidy` finishes or
/// undoes whatever a crash interrupts.
pub(crate) fn install(dir: &Path, aside: Option<&Path>) -> std::io::Result<()> {
    let db = dir.join(DB_DIR);
    let old = dir.join(OLD_DIR);
    let away: PathBuf = aside.map_or(old.clone(), Path::to_path_buf);
    if db.exists() {
        std::fs::rename(&db, &away)?;
        sync_dir(dir)?;
    }
    std::fs::rename(dir.join(NEW_DIR), &db)?;
    sync_dir(dir)?;
    let _ = std::fs::remove_file(db.join(COMPLETE));
    if aside.is_none() && old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(())
}

/// Removes an unfinished build.
pub(crate) fn discard_build(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir.join(NEW_DIR));
}

/// A name for moved-aside database files that no earlier one has.
pub(crate) fn aside_name(dir: &Path) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let mut path = dir.join(format!("{DB_DIR}.damaged-{stamp}"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("{DB_DIR}.damaged-{stamp}-{n}"));
    }
    path
}

/// The size of everything under `path`, in bytes.
pub(crate) fn size_of(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if meta.is_dir() {
        std::fs::read_dir(path)
            .map(|entries| entries.flatten().map(|e| size_of(&e.path())).sum())
            .unwrap_or(0)
    } else {
        meta.len()
    }
}

impl Recovery {
    /// What opening repaired, one line each, for a person.
    pub fn notices(&self, lang: Lang) -> Vec<String> {
        let ko = lang == Lang::Ko;
        let mut lines = Vec::new();
        if let Some((found, aside)) = &self.upgraded {
            lines.push(if ko {
                format!(
                    "이전 casedesk(스키마 {found})가 쓴 저장소 파일을 이번 버전에 맞게 저널에서 다시 만들었습니다. 이전 파일은 {}에 남겨 두었습니다 (확인 후 지워도 됩니다)",
                    aside.display()
                )
            } else {
                format!(
                    "the store's files were written by an older casedesk (schema {found}): made them again from the journal for this version; the old files are kept at {} (remove them once you are satisfied)",
                    aside.display()
                )
            });
        }
        if !self.tidied.is_empty() {
            let items: Vec<String> = self.tidied.iter().map(|t| t.localize(lang)).collect();
            lines.push(if ko {
                format!("중단된 실행의 흔적을 정리했습니다: {}", items.join("; "))
            } else {
                format!("cleaned up after an interrupted run: {}", items.join("; "))
            });
        }
        if let Some(r) = &self.rebuilt {
            let secs = format!("{:.1}", r.millis as f64 / 1000.0);
            let aside = r.aside.as_ref().map(|p| p.display().to_string());
            lines.push(match (ko, aside) {
                (true, Some(a)) => format!(
                    "데이터베이스 파일을 읽을 수 없어 ({}) 저널 {}건으로 다시 만들었습니다 ({secs}초). 이전 파일은 {a}에 남겨 두었습니다",
                    r.reason, r.entries
                ),
                (true, None) => format!(
                    "데이터베이스 파일을 읽을 수 없어 ({}) 저널 {}건으로 다시 만들었습니다 ({secs}초)",
                    r.reason, r.entries
                ),
                (false, Some(a)) => format!(
                    "the database files could not be read ({}): rebuilt them from the journal ({} entries, {secs} s); the old files are kept at {a}",
                    r.reason, r.entries
                ),
                (false, None) => format!(
                    "the database files could not be read ({}): rebuilt them from the journal ({} entries, {secs} s)",
                    r.reason, r.entries
                ),
            });
        }
        if let Some(q) = &self.quarantined {
            lines.push(q.localize(lang));
        }
        if let Some(b) = &self.read_only {
            lines.push(if ko {
                format!(
                    "저널 {}번째 줄이 손상되었고 ({}) 그 뒤에도 기록이 이어집니다: 저장소를 읽기 전용으로 열었습니다. `casedesk check`로 확인하고 백업에서 복원하세요",
                    b.line, b.error
                )
            } else {
                format!(
                    "the journal is damaged at line {} ({}) and goes on after it: the store is open read-only; run `casedesk check`, then restore it from a backup",
                    b.line, b.error
                )
            });
        }
        lines
    }
}

impl Localize for Quarantined {
    fn localize(&self, lang: Lang) -> String {
        use super::journal::Unconfirmed;
        let ko = lang == Lang::Ko;
        let why = match (&self.why, ko) {
            (Unconfirmed::Torn, true) => "쓰다 끊긴 줄".to_string(),
            (Unconfirmed::Torn, false) => "a line cut short while it was written".to_string(),
            (Unconfirmed::UnfinishedBatch { first, last }, true) => {
                format!("끝나지 않은 일괄 입력, {first}~{last}번")
            }
            (Unconfirmed::UnfinishedBatch { first, last }, false) => {
                format!("an unfinished batch, entries {first} to {last}")
            }
            (Unconfirmed::Damaged(e), _) => e.to_string(),
        };
        let bytes = crate::fsio::thousands(self.bytes);
        let offset = crate::fsio::thousands(self.offset);
        if ko {
            format!(
                "저널 {}번째 줄(바이트 {offset})부터 끝까지 {bytes}바이트는 확인된 변경이 아니었습니다 ({why}): {}(으)로 옮기고 그 앞까지로 저장소를 열었습니다",
                self.line,
                self.file.display()
            )
        } else {
            format!(
                "the journal's end from line {} (byte {offset}, {bytes} bytes) was never a confirmed change ({why}): moved it to {} and opened the store without it",
                self.line,
                self.file.display()
            )
        }
    }
}
