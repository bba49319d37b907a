//! Crash-safe file replacement: write a temporary file beside the target, fsync it, rename it over
//! the target, fsync the folder. A crash at any point leaves either the old file or the new one.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

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
    getrandom::getrandom(&mut suffix).map_err(|e| Error::Random(e.to_string()))?;
    let tmp = dir.join(format!("{prefix}{}", alloy::hex::encode(suffix)));

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
        file.write_all(&bytes[half..]).map_err(|e| Error::io(format!("cannot write {}", tmp.display()), e))?;
        file.sync_all().map_err(|e| Error::io(format!("cannot sync {}", tmp.display()), e))?;
        drop(file);
        crash_here(CrashPoint::BeforeRename)?;
        fs::rename(&tmp, path).map_err(|e| Error::io(format!("cannot replace {}", path.display()), e))?;
        crash_here(CrashPoint::AfterRename)?;
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

/// Deletes temporary files a crashed write left behind (they hold nothing the target does not).
fn remove_stale_temps(dir: &Path, prefix: &str) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(prefix) {
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

/// Creates `dir` (and parents) readable by its owner only.
pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))
}
