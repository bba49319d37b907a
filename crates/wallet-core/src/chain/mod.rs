//! The chain: networks (presets are data, see `networks.json`) and the bounded transport to their
//! nodes, tokens, balances (one multicall), account discovery and the history of received transfers.

pub mod balance;
pub mod choice;
pub mod discovery;
pub mod history;
pub mod holders;
pub mod network;
pub mod overview;
pub mod privacy;
pub mod reach;
pub mod token;
pub mod token_list;
pub mod transport;
