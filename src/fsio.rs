//! Reading files safely and making writes durable: regular files only, bounded in size, never
//! blocking on a FIFO or a device; a file's directory synced after it is created or renamed.
//! Depends on nothing else in casedesk but the language of its messages.

use std::fs::{File, Metadata, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

use crate::i18n::{Lang, Localize};

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.localize(Lang::En))]
pub enum ReadError {
    /// There is no such file.
    NotFound,
    /// It is something other than a regular file (a FIFO, a device, a directory, a socket).
    NotRegular {
        /// What it is.
        kind: FileKind,
    },
    /// It is larger than the reader accepts.
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The most accepted.
        max: u64,
    },
    /// The system refused.
    Io(#[from] std::io::Error),
}

/// What a path is, when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A named pipe.
    Fifo,
    /// A character or block device (`/dev/zero`).
    Device,
    /// A directory.
    Directory,
    /// A socket.
    Socket,
    /// Anything else.
    Other,
}

impl FileKind {
    fn of(meta: &Metadata) -> FileKind {
        let t = meta.file_type();
        if t.is_fifo() {
            FileKind::Fifo
        } else if t.is_char_device() || t.is_block_device() {
            FileKind::Device
        } else if t.is_dir() {
            FileKind::Directory
        } else if t.is_socket() {
            FileKind::Socket
        } else {
            FileKind::Other
        }
    }
}

impl Localize for ReadError {
    fn localize(&self, lang: Lang) -> String {
        let ko = lang == Lang::Ko;
        match self {
            ReadError::NotFound => lang.pick("파일이 없습니다", "there is no such file").into(),
            ReadError::NotRegular { kind } => {
                let (k, e) = match kind {
                    FileKind::Fifo => ("이름 있는 파이프(FIFO)", "a named pipe (FIFO)"),
                    FileKind::Device => ("장치 파일", "a device"),
                    FileKind::Directory => ("디렉터리", "a directory"),
                    FileKind::Socket => ("소켓", "a socket"),
                    FileKind::Other => ("일반 파일이 아닌 것", "not a regular file"),
                };
                if ko {
                    format!("일반 파일이 아니라 {k}입니다: 일반 파일을 주세요")
                } else {
                    format!("it is {e}, not a regular file: give a regular file")
                }
            }
            ReadError::TooLarge { size, max } => {
                if ko {
                    format!(
                        "파일이 너무 큽니다 ({} 바이트, 최대 {} 바이트)",
                        thousands(*size),
                        thousands(*max)
                    )
                } else {
                    format!(
                        "it is too large ({} bytes; at most {} bytes)",
                        thousands(*size),
                        thousands(*max)
                    )
                }
            }
            ReadError::Io(e) => e.to_string(),
        }
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Opens `path` (following links) for reading if it is a regular file. Never blocks: a FIFO is
/// opened without waiting for a writer, then refused.
pub fn open_regular(path: &Path) -> Result<(File, Metadata), ReadError> {
    let nonblocking = i32::try_from(rustix::fs::OFlags::NONBLOCK.bits()).unwrap_or(0);
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(nonblocking)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound,
            _ => ReadError::Io(e),
        })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            kind: FileKind::of(&meta),
        });
    }
    Ok((file, meta))
}

/// Reads the whole of `path` if it is a regular file of at most `max` bytes (a file that grows
/// while it is read is held to the limit too).
pub fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > max {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            max,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            max,
        });
    }
    Ok(bytes)
}

/// Makes the entries of directory `dir` (a file created, renamed or removed in it) durable.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Writes `bytes` as `path`, owner-only, through `NAME.tmp` beside it put in place in one
/// rename — the file and its directory synced first when `durable` — so that a reader finds the
/// old file or the new one whole. The temporary file is removed when anything fails.
pub fn replace_private(path: &Path, bytes: &[u8], durable: bool) -> std::io::Result<()> {
    use std::io::Write;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!("{name}.tmp"));
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        file.write_all(bytes)?;
        if durable {
            file.sync_all()?;
        }
        drop(file);
        std::fs::rename(&tmp, path)?;
        if durable {
            sync_dir(parent_of(path))?;
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Syncs every file and directory under `path` (and `path` itself): a directory built aside is
/// on disk whole before it is renamed into place.
pub fn sync_tree(path: &Path) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(path)?;
    if meta.is_dir() {
        for entry in std::fs::read_dir(path)? {
            sync_tree(&entry?.path())?;
        }
        File::open(path)?.sync_all()
    } else if meta.is_file() {
        OpenOptions::new().read(true).open(path)?.sync_all()
    } else {
        Ok(())
    }
}

/// The parent directory of `path` (`.` for a bare name).
pub fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(128_000), "128,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn a_device_and_a_directory_are_refused_and_a_large_file_too() {
        assert!(matches!(
            read_bounded(Path::new("/dev/zero"), 1024),
            Err(ReadError::NotRegular {
                kind: FileKind::Device
            })
        ));
        assert!(matches!(
            read_bounded(Path::new("/"), 1024),
            Err(ReadError::NotRegular {
                kind: FileKind::Directory
            })
        ));
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let big = tmp.path().join("big");
        std::fs::write(&big, vec![b'x'; 2048]).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            read_bounded(&big, 1024),
            Err(ReadError::TooLarge { size: 2048, .. })
        ));
        assert_eq!(read_bounded(&big, 4096).map(|b| b.len()).ok(), Some(2048));
    }
}
