//! Tender's Tauri 2 shell: thin commands over `wallet_core`, the managed state that holds the
//! unlocked wallet (in Rust only), auto-lock, deep links (`ethereum:`) and the generated TypeScript
//! bindings. The same code is the desktop app and, through [`run`] as the mobile entry point, the
//! Android and iOS app.

pub mod commands;
pub mod dto;
pub mod error;
pub mod events;
#[cfg(all(desktop, unix))]
mod handoff;
mod lifecycle;
pub mod state;

use std::path::PathBuf;

use tauri::{Manager, Runtime};
use tauri_specta::{ErrorHandlingMode, collect_commands, collect_events};

pub use events::{NewBlock, PaymentLinkOpened, WalletLocked};
pub use state::AppState;

/// The commands and events, as registered with Tauri and as exported to TypeScript.
pub fn specta_builder<R: Runtime>() -> tauri_specta::Builder<R> {
    use commands::{accounts, history, nfts, onboarding, payment, settings, sync, wallet};
    tauri_specta::Builder::<R>::new()
        .commands(collect_commands![
            onboarding::onboarding_new_phrase,
            onboarding::onboarding_create,
            onboarding::onboarding_check_phrase,
            onboarding::onboarding_wordlist,
            onboarding::onboarding_word_lists,
            onboarding::onboarding_quiz_check,
            onboarding::onboarding_show_phrase,
            onboarding::onboarding_keyring_available,
            onboarding::onboarding_restore,
            wallet::wallet_status,
            wallet::wallet_unlock,
            wallet::wallet_reset_password,
            wallet::wallet_lock,
            wallet::wallet_touch,
            wallet::wallet_reveal_phrase,
            wallet::wallet_change_password,
            wallet::wallet_password_strength,
            wallet::wallet_delete,
            accounts::accounts_add,
            sync::balances_cached,
            sync::balances_refresh,
            history::history_list,
            payment::payment_quote,
            payment::payment_pay,
            payment::payment_resend,
            payment::payment_proof,
            payment::payment_proof_save,
            payment::payment_replacement,
            payment::payment_replace,
            payment::token_overview,
            payment::token_holders,
            payment::token_hide,
            payment::token_hidden,
            payment::token_list_get,
            payment::token_list_import,
            nfts::nft_list,
            nfts::nft_review,
            nfts::nft_remote,
            nfts::nft_send_quote,
            nfts::nft_send_confirm,
            settings::privacy_get,
            settings::privacy_set,
            payment::approval_allowance,
            payment::approval_quote,
            payment::approval_confirm,
            payment::payment_pending_links,
            payment::receive_request,
            settings::settings_set,
            settings::network_presets,
            settings::network_set,
        ])
        .events(collect_events![WalletLocked, PaymentLinkOpened, NewBlock])
        .error_handling(ErrorHandlingMode::Throw)
}

/// Where `ui/src/bindings.ts` is, from this crate.
pub const BINDINGS_PATH: &str = "../ui/src/bindings.ts";

/// The TypeScript bindings (types, commands, events) as committed in [`BINDINGS_PATH`].
pub fn bindings() -> Result<String, String> {
    let ts = specta_typescript::Typescript::default()
        .bigint(specta_typescript::BigIntExportBehavior::Number)
        .header("// Generated from src-tauri (TENDER_UPDATE_BINDINGS=1 cargo test -p tender-app bindings). Do not edit.\n// @ts-nocheck");
    specta_builder::<tauri::Wry>().export_str(ts).map_err(|e| e.to_string())
}

/// The data folder: `--data-dir=PATH`, else `TENDER_DATA_DIR`, else the platform's app data folder.
fn data_dir<R: Runtime>(app: &tauri::App<R>) -> tauri::Result<PathBuf> {
    let arg = std::env::args().find_map(|a| a.strip_prefix("--data-dir=").map(PathBuf::from));
    match arg.or_else(|| std::env::var_os("TENDER_DATA_DIR").map(PathBuf::from)) {
        Some(d) => Ok(d),
        None => app.path().app_data_dir(),
    }
}

/// Where new vaults go: the OS keyring, unless `TENDER_STORE=file` (an Argon2id-encrypted file in
/// the data folder, for systems without a keyring).
fn store_kind() -> wallet_core::StoreKind {
    match std::env::var("TENDER_STORE").as_deref() {
        Ok("file") => wallet_core::StoreKind::File,
        _ => wallet_core::StoreKind::Keyring,
    }
}

/// The anvil binary for a dev chain, when this build has one (the `dev-chain` feature: debug builds,
/// or `TENDER_ANVIL`).
#[cfg(feature = "dev-chain")]
fn anvil() -> Option<PathBuf> {
    (std::env::var_os("TENDER_ANVIL").is_some() || cfg!(debug_assertions))
        .then(tender_devtools::devnet::find_anvil)
        .and_then(|found| found.ok())
}

/// A shopper's build has no dev chain: `TENDER_ANVIL` runs nothing.
#[cfg(not(feature = "dev-chain"))]
fn anvil() -> Option<PathBuf> {
    None
}

/// The app: state, commands, events, auto-lock, and with `platform` the deep-link and sleep hooks.
/// `dir` overrides the data folder (tests). Generic over the runtime so tests run it on
/// `tauri::test::mock_builder()` (without `platform`).
pub fn app_builder<R: Runtime>(builder: tauri::Builder<R>, dir: Option<PathBuf>, platform: bool) -> tauri::Builder<R> {
    let specta = specta_builder::<R>();
    builder.invoke_handler(specta.invoke_handler()).setup(move |app| {
        specta.mount_events(app);
        if app.try_state::<AppState>().is_none() {
            let state = match dir.clone() {
                Some(d) => AppState::new(d, store_kind(), anvil()),
                None => {
                    AppState::new(data_dir(app)?, store_kind(), anvil()).with_device_dir(app.path().app_config_dir()?)
                }
            };
            let paths = app.path();
            let saves = paths.download_dir().or_else(|_| paths.document_dir()).or_else(|_| paths.home_dir()).ok();
            let state = state.with_save_dir(saves);
            app.manage(state);
        }
        lifecycle::start(app.handle());
        if platform {
            lifecycle::platform(app)?;
        }
        Ok(())
    })
}

/// Runs the app (desktop `main`, and the mobile entry point).
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    // First of all: a second launch (the OS opening an `ethereum:` link) hands its arguments to the
    // running app and exits, with or without a session bus.
    #[cfg(all(desktop, unix))]
    let handoff = handoff::socket_path();
    #[cfg(all(desktop, unix))]
    if let Some(path) = &handoff {
        // Only a launch with a link: one with just a data folder is another app, not a hand-over.
        let links: Vec<String> = std::env::args().skip(1).filter(|a| lifecycle::is_link(a)).collect();
        if !links.is_empty() && handoff::hand_over(path, &links).is_ok() {
            return;
        }
    }
    let mut builder = tauri::Builder::default();
    #[cfg(desktop)]
    {
        // First: a second launch (e.g. the OS opening an `ethereum:` link) hands its arguments to
        // the running app and exits.
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            lifecycle::show_main(app);
            for arg in args.iter().skip(1) {
                lifecycle::open_link(app, arg);
            }
        }));
    }
    builder = builder.plugin(tauri_plugin_deep_link::init());
    #[cfg(mobile)]
    {
        builder = builder.plugin(tauri_plugin_barcode_scanner::init());
    }
    let app = app_builder(builder, None, true).build(tauri::generate_context!());
    #[cfg(all(desktop, unix))]
    if let (Ok(app), Some(path)) = (&app, &handoff) {
        let handle = app.handle().clone();
        let listening = handoff::listen(path, move |args| {
            lifecycle::show_main(&handle);
            for arg in &args {
                lifecycle::open_link(&handle, arg);
            }
        });
        if let Err(e) = listening {
            eprintln!("tender: links from a second launch go through the system bus only ({e})");
        }
    }
    match app {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                handle.state::<AppState>().shutdown();
            }
        }),
        Err(e) => {
            eprintln!("tender: could not start: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests;
