//! Tauri's build step: the context (config, capabilities, icons) the app embeds. The app manifest
//! lists Tender's commands so that capabilities grant them explicitly, window by window.
fn main() {
    let attributes = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {e:#}");
    }
}

/// Every command of `src/lib.rs`'s `specta_builder` (the test `commands_are_all_granted` checks it).
const COMMANDS: &[&str] = &[
    "onboarding_new_phrase",
    "onboarding_create",
    "onboarding_check_phrase",
    "onboarding_wordlist",
    "onboarding_word_lists",
    "onboarding_quiz_check",
    "onboarding_show_phrase",
    "onboarding_keyring_available",
    "onboarding_restore",
    "wallet_status",
    "wallet_unlock",
    "wallet_reset_password",
    "wallet_lock",
    "wallet_touch",
    "wallet_reveal_phrase",
    "wallet_change_password",
    "wallet_password_strength",
    "wallet_delete",
    "accounts_add",
    "balances_cached",
    "balances_refresh",
    "history_list",
    "payment_quote",
    "payment_pay",
    "payment_resend",
    "payment_proof",
    "payment_proof_save",
    "payment_replacement",
    "payment_replace",
    "token_overview",
    "token_holders",
    "token_hide",
    "token_hidden",
    "token_list_get",
    "token_list_import",
    "nft_list",
    "nft_review",
    "nft_remote",
    "nft_send_quote",
    "nft_send_confirm",
    "privacy_get",
    "privacy_set",
    "approval_allowance",
    "approval_quote",
    "approval_confirm",
    "payment_pending_links",
    "receive_request",
    "settings_set",
    "network_presets",
    "network_set",
];
