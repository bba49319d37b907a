//! What happens around the commands: auto-lock on inactivity and before system sleep, and
//! `ethereum:` links from the OS.

use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event;

use crate::dto::Settings;
use crate::events::{NewBlock, PaymentLinkOpened, WalletLocked};
use crate::state::AppState;

/// How often the chain's head is asked for while the node answers.
const BLOCK_POLL: Duration = Duration::from_secs(2);

/// How often the auto-lock timer is checked.
const TICK: Duration = Duration::from_secs(2);

/// The idle time after which `settings` lock the wallet; `None` when auto-lock is off.
pub(crate) fn auto_lock_after(settings: &Settings) -> Option<Duration> {
    (settings.auto_lock_minutes > 0).then(|| Duration::from_secs(u64::from(settings.auto_lock_minutes) * 60))
}

/// Locks the wallet and tells the UI why.
async fn lock_now<R: Runtime>(app: &AppHandle<R>, reason: &str) {
    let state = app.state::<AppState>();
    if state.lock_wallet().await {
        // No window listening (closed to the tray, or not loaded yet) is fine: the state is locked.
        let _ = WalletLocked { reason: reason.into() }.emit(app);
    }
}

/// Starts the auto-lock timer, and the block watcher that tells the UI when balances may have
/// changed (`NewBlock`).
pub(crate) fn start<R: Runtime>(app: &AppHandle<R>) {
    let watcher = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = watcher.state::<AppState>();
        state
            .session
            .watch_blocks(BLOCK_POLL, |number| {
                // No window listening is fine: the next screen reads the balances itself.
                let _ = NewBlock { number }.emit(&watcher);
                true
            })
            .await;
    });
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(TICK).await;
            let state = app.state::<AppState>();
            if auto_lock_after(&state.settings()).is_some_and(|after| state.idle() >= after) {
                lock_now(&app, "inactivity").await;
            }
        }
    });
}

/// Brings the main window to the front.
pub(crate) fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        // Phones have no minimised windows (the call exists on desktop only).
        #[cfg(desktop)]
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// Whether a media request for (`video`, `audio`) is the camera alone, the one thing granted (asked
/// by WebKitGTK; the phones' webviews ask through the barcode-scanner plugin instead).
#[cfg(target_os = "linux")]
pub(crate) fn camera_only(video: bool, audio: bool) -> bool {
    video && !audio
}

/// Most links kept for the UI at once, until it takes them: beyond that (a program flooding the app
/// with links) the oldest not taken yet make way for the newest.
pub(crate) const MAX_PENDING_LINKS: usize = 16;

/// Longest link accepted from the OS (a payment request is far shorter).
pub(crate) const MAX_LINK_LEN: usize = 2048;

/// Keeps an `ethereum:` link until the UI takes it (`payment_pending_links`), and tells the UI there
/// is one: a UI that listens takes it at once, one that is starting takes it when it loads. Other
/// arguments are ignored.
pub(crate) fn open_link<R: Runtime>(app: &AppHandle<R>, arg: &str) {
    if !is_link(arg) {
        return;
    }
    let arg = arg.trim();
    let state = app.state::<AppState>();
    queue_link(&mut state.links(), arg);
    let _ = PaymentLinkOpened { uri: arg.to_owned() }.emit(app);
}

/// Whether a launch argument is a payment link the app takes: `ethereum:`, at most [`MAX_LINK_LEN`].
pub(crate) fn is_link(arg: &str) -> bool {
    let arg = arg.trim();
    arg.get(..9).is_some_and(|s| s.eq_ignore_ascii_case("ethereum:")) && arg.len() <= MAX_LINK_LEN
}

/// Keeps `link` for the UI, newest last: a link already waiting moves to the end (it was opened
/// again), and a full queue lets its oldest go.
pub(crate) fn queue_link(queue: &mut Vec<String>, link: &str) {
    queue.retain(|l| l != link);
    if queue.len() >= MAX_PENDING_LINKS {
        queue.remove(0);
    }
    queue.push(link.to_owned());
}

/// Platform hooks of the real app: deep links (launch arguments, the OS's open-URL events) and,
/// on Linux, locking before the system sleeps.
pub(crate) fn platform<R: Runtime>(app: &mut tauri::App<R>) -> tauri::Result<()> {
    use tauri_plugin_deep_link::DeepLinkExt;
    let handle = app.handle().clone();
    // Linux and Windows start the app with the link as an argument.
    for arg in std::env::args().skip(1) {
        open_link(&handle, &arg);
    }
    let on_url = handle.clone();
    app.deep_link().on_open_url(move |event| {
        show_main(&on_url);
        for url in event.urls() {
            open_link(&on_url, url.as_str());
        }
    });
    #[cfg(any(target_os = "linux", target_os = "windows"))]
    if cfg!(debug_assertions) {
        // Installed packages register the scheme in their .desktop file / registry entries; a
        // development build registers itself so that links reach it too.
        // Without the desktop-file tools (xdg-utils) there is nothing to register with; links
        // still reach the app as arguments.
        let _ = app.deep_link().register_all();
    }
    #[cfg(target_os = "linux")]
    {
        let sleep = handle.clone();
        tauri::async_runtime::spawn(async move {
            if let Err(e) = lock_before_sleep(&sleep).await {
                eprintln!("tender: no system sleep notifications ({e}); auto-lock still works");
            }
        });
    }
    #[cfg(target_os = "linux")]
    configure_webview(app);
    Ok(())
}

/// Listens to logind's `PrepareForSleep` and locks before the system sleeps.
#[cfg(target_os = "linux")]
async fn lock_before_sleep<R: Runtime>(app: &AppHandle<R>) -> zbus::Result<()> {
    use futures_util::StreamExt;
    let connection = zbus::Connection::system().await?;
    let proxy = zbus::Proxy::new(
        &connection,
        "org.freedesktop.login1",
        "/org/freedesktop/login1",
        "org.freedesktop.login1.Manager",
    )
    .await?;
    let mut signals = proxy.receive_signal("PrepareForSleep").await?;
    while let Some(message) = signals.next().await {
        if message.body().deserialize::<bool>()? {
            lock_now(app, "sleep").await;
        }
    }
    Ok(())
}

/// WebKitGTK refuses camera access unless the app grants it: allow the camera, and only the camera,
/// for the main window, so the scan screen can use the webcam. A request that includes the
/// microphone (or is not for a video device) is denied: the scan screen never asks for sound.
///
/// (Drawing without GPU compositing, `HardwareAccelerationPolicy::Never`, made the web process 86 MiB
/// smaller when idle, but WebKitWebDriver's screenshots then never answered: left out, BENCHMARKS.md.)
#[cfg(target_os = "linux")]
fn configure_webview<R: Runtime>(app: &tauri::App<R>) {
    use webkit2gtk::{
        PermissionRequestExt, SettingsExt, UserMediaPermissionRequest, UserMediaPermissionRequestExt, WebViewExt,
    };
    let Some(window) = app.get_webview_window("main") else { return };
    let _ = window.with_webview(|webview| {
        let view = webview.inner();
        if let Some(settings) = WebViewExt::settings(&view) {
            settings.set_enable_media_stream(true);
        }
        view.connect_permission_request(|_, request| {
            use webkit2gtk::glib::prelude::Cast;
            match request.downcast_ref::<UserMediaPermissionRequest>() {
                Some(media) if camera_only(media.is_for_video_device(), media.is_for_audio_device()) => {
                    media.allow();
                    true
                }
                Some(media) => {
                    media.deny();
                    true
                }
                None => false,
            }
        });
    });
}
