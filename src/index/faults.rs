//! A kill at a chosen point inside Tantivy's own file writes, for tests of
//! crash safety that must hit a window of a few milliseconds every time
//! (a random SIGKILL finds it once in forty runs): with
//! `KUTIP_ABORT_AFTER_CREATING=SUFFIX` in the environment, the process
//! aborts right after it creates the first engine file whose name ends in
//! SUFFIX (`.del`: a checkpoint's delete file), as a kill would leave it;
//! `KUTIP_ABORT_AFTER_CHECKPOINT=N` aborts after the Nth checkpoint.

use std::path::Path;
use std::sync::Arc;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

/// The environment variable that arms the kill point.
pub const VAR: &str = "KUTIP_ABORT_AFTER_CREATING";

/// With `KUTIP_ABORT_AFTER_CHECKPOINT=N`, the process aborts right after
/// its Nth checkpoint is committed: a run killed between two commits.
pub fn after_checkpoint(done: usize) {
    let n: Option<usize> = std::env::var("KUTIP_ABORT_AFTER_CHECKPOINT")
        .ok()
        .and_then(|v| v.parse().ok());
    if n == Some(done) {
        std::process::abort();
    }
}

/// The armed suffix, if any.
pub fn armed() -> Option<String> {
    std::env::var(VAR).ok().filter(|s| !s.is_empty())
}

/// A memory-mapped directory that aborts the process after creating a
/// file whose name ends in its suffix.
#[derive(Clone, Debug)]
pub struct AbortingDirectory {
    inner: MmapDirectory,
    suffix: String,
}

impl AbortingDirectory {
    /// Opens `path`, armed with `suffix`.
    pub fn open(path: &Path, suffix: String) -> tantivy::Result<Self> {
        MmapDirectory::open(path)
            .map(|inner| AbortingDirectory { inner, suffix })
            .map_err(|e| tantivy::TantivyError::SystemError(e.to_string()))
    }
}

impl Directory for AbortingDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let w = self.inner.open_write(path)?;
        if path.to_string_lossy().ends_with(&self.suffix) {
            std::process::abort();
        }
        Ok(w)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}
