//! The events the shell sends the UI (exported to TypeScript with the commands): the wallet locked by
//! itself, a payment link opened, a new block.

use serde::{Deserialize, Serialize};

/// Sent when the wallet locked by itself (inactivity, system sleep): the UI shows the lock screen.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct WalletLocked {
    /// `inactivity` or `sleep`.
    pub reason: String,
}

/// Sent when an `ethereum:` link was opened (deep link, second launch): the UI opens the pay sheet.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct PaymentLinkOpened {
    /// The link, as received.
    pub uri: String,
}

/// Sent when the chain has a new block (the core's watcher): the home screen refreshes its balances
/// then, instead of polling on a timer.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct NewBlock {
    /// The block number.
    pub number: u64,
}
