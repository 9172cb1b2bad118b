//! Free space on the store's disk: a write is refused up front, with what it needs, when the
//! disk cannot take it, and a disk-full failure is told as such. Knows the file system, not
//! records.

use std::path::Path;

/// sled writes its log in segments of this size; a change may need a new one.
pub(crate) const SEGMENT: u64 = 512 * 1024;

/// Bytes free for this account on the file system holding `dir`, when the system says.
pub(crate) fn free_bytes(dir: &Path) -> Option<u64> {
    #[cfg(any(test, feature = "test-hooks"))]
    if let Some(fake) = fake_free() {
        return Some(fake);
    }
    let stat = rustix::fs::statvfs(dir).ok()?;
    Some(stat.f_bavail.saturating_mul(stat.f_frsize))
}

/// A test hook (test builds only): `CASEDESK_TEST_FREE_BYTES` stands in for the free space, so
/// that a full disk can be shown where no small file system can be mounted.
#[cfg(any(test, feature = "test-hooks"))]
fn fake_free() -> Option<u64> {
    std::env::var("CASEDESK_TEST_FREE_BYTES").ok()?.parse().ok()
}

/// The free space a change writing `journal` bytes to the journal and `records` bytes of
/// records needs: the line, the records with sled's overhead, and a new log segment or two.
pub(crate) fn needed_for(journal: u64, records: u64) -> u64 {
    journal + records * 4 + 2 * SEGMENT + 64 * 1024
}

/// True when `e` says the disk (or the account's quota) is full.
pub(crate) fn is_full(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    ) || matches!(e.raw_os_error(), Some(28) | Some(122))
}

/// True when sled failed because the disk is full.
pub(crate) fn sled_full(e: &sled::Error) -> bool {
    match e {
        sled::Error::Io(io) => is_full(io),
        _ => false,
    }
}
