//! A second launch hands its link to the running app, on every desktop. When the OS opens an
//! `ethereum:` link it starts the app again with the link as an argument; that second process gives
//! its arguments to the running app and exits. Tauri's single-instance plugin does this over D-Bus on
//! Linux, which is missing without a session bus (the demo under Xvfb, minimal desktops): there a
//! second, separate Tender opened on the default data folder at its welcome screen. This hand-over
//! uses a Unix socket private to the user (in `$XDG_RUNTIME_DIR`, else under `~/.local/state`, in a
//! 0700 folder, the socket itself 0600), and comes first; the plugin stays for the other platforms.
//!
//! Bounded like every outside input: at most [`MAX_ARGS`] arguments of at most
//! [`crate::lifecycle::MAX_LINK_LEN`] bytes each are read, for at most [`READ_TIMEOUT`]; the app then
//! treats them as any link from the OS (only `ethereum:` links, queued, never replacing an open sheet).

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Most arguments one launch hands over.
pub(crate) const MAX_ARGS: usize = 8;
/// How long the running app waits for a launch's arguments.
pub(crate) const READ_TIMEOUT: Duration = Duration::from_secs(2);

/// Where the running app listens, or `None` when no private place for it exists.
pub(crate) fn socket_path() -> Option<PathBuf> {
    let dir = match std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d).join("tender"),
        None => PathBuf::from(std::env::var_os("HOME")?).join(".local/state/tender"),
    };
    let path = dir.join("app.sock");
    // A Unix socket's path has at most 107 bytes.
    (path.as_os_str().len() < 100).then_some(path)
}

/// Gives `args` to the app listening at `path`; an error when none listens (the caller then runs as
/// the app itself).
pub(crate) fn hand_over(path: &Path, args: &[String]) -> std::io::Result<()> {
    let mut stream = UnixStream::connect(path)?;
    stream.set_write_timeout(Some(READ_TIMEOUT))?;
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    for arg in args.iter().take(MAX_ARGS) {
        if arg.len() <= crate::lifecycle::MAX_LINK_LEN && !arg.contains('\n') {
            stream.write_all(arg.as_bytes())?;
            stream.write_all(b"\n")?;
        }
    }
    stream.shutdown(std::net::Shutdown::Write)?;
    // The running app answers once it took the arguments.
    let mut answer = [0u8; 2];
    stream.read_exact(&mut answer)?;
    if &answer != b"ok" {
        return Err(std::io::Error::other("the running app did not take the link"));
    }
    Ok(())
}

/// Listens at `path` (replacing a socket nobody listens at any more) and calls `on_args` with each
/// launch's arguments, on a thread of its own.
pub(crate) fn listen(path: &Path, on_args: impl Fn(Vec<String>) + Send + 'static) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = path.parent().ok_or_else(|| std::io::Error::other("no folder"))?;
    std::fs::create_dir_all(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    if path.exists() && UnixStream::connect(path).is_err() {
        std::fs::remove_file(path)?;
    }
    let listener = UnixListener::bind(path)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    std::thread::Builder::new().name("link-handoff".into()).spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let limit = (MAX_ARGS * (crate::lifecycle::MAX_LINK_LEN + 1)) as u64;
            // One deadline for the whole launch, not per read: a client that trickles its bytes
            // cannot hold the hand-over (and the next launch's link) for longer than that.
            let within = Deadline { stream: &stream, until: std::time::Instant::now() + READ_TIMEOUT };
            let args: Vec<String> = BufReader::new(within.take(limit))
                .lines()
                .map_while(Result::ok)
                .take(MAX_ARGS)
                .filter(|l| l.len() <= crate::lifecycle::MAX_LINK_LEN)
                .collect();
            let _ = stream.write_all(b"ok");
            on_args(args);
        }
    })?;
    Ok(())
}

/// Reads `stream` until `until`, however its bytes arrive; then every read fails (timed out).
struct Deadline<'a> {
    stream: &'a UnixStream,
    until: std::time::Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.until.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_launch_hands_its_link_to_the_running_app_and_nothing_oversized() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("run/app.sock");
        assert!(hand_over(&path, &["ethereum:0x42".into()]).is_err(), "nobody listens: run as the app");
        let (tx, rx) = std::sync::mpsc::channel();
        listen(&path, move |args| {
            let _ = tx.send(args);
        })
        .expect("listen");
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).expect("socket").permissions().mode() & 0o777, 0o600);
        let huge = format!("ethereum:0x{}", "4".repeat(5000));
        let args: Vec<String> =
            ["ethereum:0x42".to_owned(), huge].into_iter().chain((0..20).map(|i| format!("a{i}"))).collect();
        hand_over(&path, &args).expect("handed over");
        let got = rx.recv_timeout(Duration::from_secs(5)).expect("received");
        assert_eq!(got.first().map(String::as_str), Some("ethereum:0x42"));
        assert!(got.len() <= MAX_ARGS && got.iter().all(|a| a.len() <= crate::lifecycle::MAX_LINK_LEN), "{got:?}");
    }

    /// Defect (issue 21): a slow local client could hold the hand-over (each read had its own
    /// timeout), and a second launch then opened a second app.
    #[test]
    fn a_client_that_trickles_its_bytes_cannot_hold_the_hand_over() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("app.sock");
        let (tx, rx) = std::sync::mpsc::channel();
        listen(&path, move |args| {
            let _ = tx.send(args);
        })
        .expect("listen");
        let slow_path = path.clone();
        let slow = std::thread::spawn(move || {
            let mut s = UnixStream::connect(&slow_path).expect("connect");
            // A byte every half second, for far longer than the hand-over's deadline.
            for _ in 0..30 {
                if s.write_all(b"x").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(500));
            }
        });
        std::thread::sleep(Duration::from_millis(200));
        let started = std::time::Instant::now();
        hand_over(&path, &["ethereum:0x51".into()]).expect("handed over");
        // What the slow client sent, once its deadline passed, comes first: not a link.
        let got = loop {
            let args = rx.recv_timeout(Duration::from_secs(10)).expect("the link, in time");
            if args.iter().any(|a| a.starts_with("ethereum:")) {
                break args;
            }
        };
        assert_eq!(got, ["ethereum:0x51"]);
        assert!(started.elapsed() < READ_TIMEOUT * 2, "the link waited {:?} behind a slow client", started.elapsed());
        slow.join().expect("the slow client");
    }

    #[test]
    fn a_socket_left_by_an_app_that_died_is_replaced() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("app.sock");
        drop(UnixListener::bind(&path).expect("a dead app's socket"));
        assert!(path.exists());
        let (tx, rx) = std::sync::mpsc::channel();
        listen(&path, move |args| {
            let _ = tx.send(args);
        })
        .expect("listen over the stale socket");
        hand_over(&path, &["ethereum:0x51".into()]).expect("handed over");
        assert_eq!(rx.recv_timeout(Duration::from_secs(5)).expect("received"), ["ethereum:0x51"]);
    }
}
