//! Crash-safe file replacement: write a temporary file beside the target, fsync it, rename it over
//! the target, fsync the folder. A crash at any point leaves either the old file or the new one.
//!
//! Also: one writer per data folder ([`lock_dir`], an advisory lock held around every
//! read-modify-write, across processes), private files and folders, and the fault-injection hook
//! [`crash_point`] that only test builds compile; and [`read_data_file`], the one way a data-folder
//! file is read (a regular file of bounded size: a FIFO or a device in its place is an error, not a
//! hang or an endless read).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Reads the data-folder file at `path`: a regular file (after links) of at most `max` bytes. A FIFO,
/// a device (`/dev/zero`), a folder or a larger file in its place is an `InvalidData` error, never a
/// hang or an endless read; a missing file is `NotFound`, as from `std::fs::read`.
pub fn read_data_file(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let invalid = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
    let meta = fs::metadata(path)?;
    if !meta.is_file() {
        return Err(invalid("not a regular file"));
    }
    if meta.len() > max {
        return Err(invalid("larger than such a file ever is"));
    }
    let file = File::open(path)?;
    // Checked again on the open file: it may have been swapped since.
    if !file.metadata()?.is_file() {
        return Err(invalid("not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(invalid("larger than such a file ever is"));
    }
    Ok(bytes)
}

/// Points at which a test can make a write "crash" (return early, leaving what a crash would leave).
#[cfg_attr(not(test), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CrashPoint {
    /// The temporary file exists but is empty.
    AfterCreate,
    /// Half the bytes are in the temporary file.
    MidWrite,
    /// The temporary file is complete and synced, not yet renamed.
    BeforeRename,
    /// Renamed, the folder not yet synced.
    AfterRename,
}

#[cfg(test)]
thread_local! {
    pub(crate) static CRASH_AT: std::cell::Cell<Option<CrashPoint>> = const { std::cell::Cell::new(None) };
}

#[cfg(test)]
fn crash_here(point: CrashPoint) -> Result<()> {
    if CRASH_AT.with(|c| c.get()) == Some(point) {
        return Err(Error::io("simulated crash", std::io::Error::other(format!("{point:?}"))));
    }
    Ok(())
}

#[cfg(not(test))]
#[inline(always)]
fn crash_here(_: CrashPoint) -> Result<()> {
    Ok(())
}

/// A named point where a test build can be made to die (SIGKILL, no clean-up of any kind) when the
/// environment variable `TENDER_CRASH_AT` names it. Compiled only with the `test-util` feature;
/// elsewhere it is nothing at all.
#[cfg(feature = "test-util")]
pub fn crash_point(name: &str) {
    if std::env::var("TENDER_CRASH_AT").is_ok_and(|v| v == name) {
        // SIGKILL from outside: no destructor, no flush, no unwinding (`unsafe` is forbidden here,
        // so no direct kill(2)).
        let _ = std::process::Command::new("kill").args(["-KILL", &std::process::id().to_string()]).status();
        loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
    }
}

/// A named point where a test build can be made to die; nothing in this build.
#[cfg(not(feature = "test-util"))]
#[inline(always)]
pub fn crash_point(_name: &str) {}

/// The lock file of a data folder.
pub const LOCK_FILE: &str = ".tender.lock";

/// An exclusive advisory lock on a data folder, released when dropped (or when the process dies).
#[derive(Debug)]
pub struct DirLock {
    _file: File,
}

/// Takes the data folder's lock, waiting for another process (or thread) that holds it.
pub fn lock_dir(dir: &Path) -> Result<DirLock> {
    create_private_dir(dir)?;
    let path = dir.join(LOCK_FILE);
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(&path).map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
    file.lock().map_err(|e| Error::io(format!("cannot lock {}", path.display()), e))?;
    Ok(DirLock { _file: file })
}

/// Creates `path` readable by its owner only if it does not exist, and makes an existing one so.
pub fn ensure_private_file(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
    restrict(path, 0o600)
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let meta = fs::metadata(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    if meta.permissions().mode() & 0o777 != mode {
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
            .map_err(|e| Error::io(format!("cannot protect {}", path.display()), e))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn restrict(_: &Path, _: u32) -> Result<()> {
    Ok(())
}

/// How old a temporary file must be before a later write may delete it as left by a crash (a younger
/// one may belong to a write under way in another process).
pub const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(600);

fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    format!(".{name}.tmp-")
}

/// Replaces `path` with `bytes` atomically; the file is created readable by its owner only.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let prefix = temp_prefix(path);
    remove_stale_temps(dir, &prefix);
    let mut suffix = [0u8; 8];
    getrandom::getrandom(&mut suffix).map_err(Error::Random)?;
    let tmp = dir.join(format!("{prefix}{}", alloy::hex::encode(suffix)));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();

    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let result = (|| {
        let mut file = options.open(&tmp).map_err(|e| Error::io(format!("cannot create {}", tmp.display()), e))?;
        crash_here(CrashPoint::AfterCreate)?;
        let half = bytes.len() / 2;
        file.write_all(&bytes[..half]).map_err(|e| Error::io(format!("cannot write {}", tmp.display()), e))?;
        crash_here(CrashPoint::MidWrite)?;
        crash_point(&format!("write:{name}:mid"));
        file.write_all(&bytes[half..]).map_err(|e| Error::io(format!("cannot write {}", tmp.display()), e))?;
        file.sync_all().map_err(|e| Error::io(format!("cannot sync {}", tmp.display()), e))?;
        drop(file);
        crash_here(CrashPoint::BeforeRename)?;
        crash_point(&format!("write:{name}:before_rename"));
        fs::rename(&tmp, path).map_err(|e| Error::io(format!("cannot replace {}", path.display()), e))?;
        crash_here(CrashPoint::AfterRename)?;
        crash_point(&format!("write:{name}:after_rename"));
        sync_dir(dir);
        Ok(())
    })();
    if result.is_err() && !is_simulated_crash(&result) {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn is_simulated_crash(result: &Result<()>) -> bool {
    matches!(result, Err(Error::Io { context, .. }) if context == "simulated crash")
}

/// Deletes temporary files a crashed write left behind (they hold nothing the target does not),
/// once they are older than [`STALE_TEMP_AGE`]: a younger one may be another process's write.
fn remove_stale_temps(dir: &Path, prefix: &str) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            if !entry.file_name().to_string_lossy().starts_with(prefix) {
                continue;
            }
            let age = entry.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
            if age.is_some_and(|a| a >= STALE_TEMP_AGE) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

fn sync_dir(dir: &Path) {
    // Making the rename durable; not supported on every platform, and harmless to skip there.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Creates `dir` (and parents) readable by its owner only, and makes an existing `dir` so (a data
/// folder lists every address and payment of a wallet).
pub fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    restrict(dir, 0o700)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Audit finding: two processes on one data folder deleted each other's temporary files.
    #[test]
    fn only_stale_temporary_files_are_cleaned_up() {
        let dir = tempfile::tempdir().expect("tmp");
        let target = dir.path().join("settings.json");
        let fresh = dir.path().join(".settings.json.tmp-another-process");
        let stale = dir.path().join(".settings.json.tmp-crashed-long-ago");
        std::fs::write(&fresh, b"half").expect("fresh");
        std::fs::write(&stale, b"half").expect("stale");
        let old = std::time::SystemTime::now() - STALE_TEMP_AGE - std::time::Duration::from_secs(1);
        File::options().write(true).open(&stale).expect("open").set_modified(old).expect("age it");
        write(&target, b"{}").expect("write");
        assert!(fresh.exists(), "another writer's file is left alone");
        assert!(!stale.exists(), "a crash's leftover is cleaned");
    }

    /// Audit finding: the data folder (0755) and chain.sqlite (0644) could be world-readable.
    #[cfg(unix)]
    #[test]
    fn data_folders_and_databases_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tmp");
        let data = dir.path().join("data");
        fs::create_dir(&data).expect("dir");
        fs::set_permissions(&data, fs::Permissions::from_mode(0o755)).expect("chmod");
        let db = data.join("chain.sqlite");
        fs::write(&db, b"").expect("db");
        fs::set_permissions(&db, fs::Permissions::from_mode(0o644)).expect("chmod");
        crate::store::Db::open(&db).expect("open");
        let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!((mode(&data), mode(&db)), (0o700, 0o600));
        for side in ["chain.sqlite-wal", "chain.sqlite-shm"] {
            if data.join(side).exists() {
                assert_eq!(mode(&data.join(side)), 0o600, "{side}");
            }
        }
    }
}
