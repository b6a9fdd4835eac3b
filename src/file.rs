//! Opening the files a user names, under every layer that reads them: only
//! regular files, never blocking, never reading past the size seen at open.
//! A walk sees a file; by the time it is read it may have been replaced by
//! a FIFO (a read would block forever while the index lock is held) or a
//! link to `/dev/zero` (a read would never end).

use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Opens `path` for reading without blocking on a FIFO or device, and
/// refuses anything that is not a regular file, as checked on the opened
/// handle (a name checked before opening may change before the open).
/// Returns the file and its size at open.
pub fn open_regular(path: &Path) -> std::io::Result<(std::fs::File, u64)> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    Ok((file, meta.len()))
}

/// The error for a FIFO, socket or device found where a file was expected.
pub fn not_regular() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        "not a regular file (a FIFO, socket or device)",
    )
}

/// Whether `e` is [`not_regular`]'s error.
pub fn is_not_regular(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::InvalidInput && e.to_string() == not_regular().to_string()
}

/// Reads a regular file whole: at most the size it had when opened, and
/// at most `limit` bytes (a larger file is an error that says so).
pub fn read_regular(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let (file, size) = open_regular(path)?;
    if size > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!(
                "{} MB, more than the {} MB this kind of file may have",
                size >> 20,
                limit >> 20
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(size).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_fifos_are_refused_without_blocking() {
        let e = open_regular(Path::new("/dev/zero")).unwrap_err();
        assert!(is_not_regular(&e), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        // No writer: a blocking open would never return.
        let e = open_regular(&fifo).unwrap_err();
        assert!(is_not_regular(&e), "{e}");
    }

    #[test]
    fn a_file_is_read_up_to_its_size_at_open_and_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.txt");
        std::fs::write(&p, "kota kembar").unwrap();
        assert_eq!(read_regular(&p, 100).unwrap(), b"kota kembar");
        let e = read_regular(&p, 4).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::FileTooLarge);
    }
}
