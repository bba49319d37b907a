//! What the person must see before confirming a payment: each warning, and whether paying despite it
//! needs an explicit acknowledgement. Shown, never signed: a warning never changes a quote's digest.

use alloy::primitives::{Address, B256};

use crate::store::PaymentStatus;

/// Something the person must see before confirming.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// The token is not on Tender's list for this network.
    UnverifiedToken {
        /// Its contract.
        token: String,
    },
    /// What is paid here (same payee, token, amount and order) was paid, or is being paid, from
    /// this wallet recently.
    ProbableDuplicate {
        /// The earlier payment's transaction.
        #[cfg_attr(feature = "specta", specta(type = String))]
        tx_hash: B256,
        /// When it was made.
        paid_at: u64,
        /// Its status.
        status: PaymentStatus,
        /// The account that paid it.
        #[serde(default)]
        #[cfg_attr(feature = "specta", specta(type = Option<String>))]
        account: Option<Address>,
    },
    /// The network fee is a large share of what is paid.
    HighFee {
        /// The most the fee can be, as a percentage of the amount (rounded up).
        percent: u64,
    },
    /// The payee is an ENS name with characters beyond ASCII: check it letter by letter.
    NonAsciiName {
        /// The normalised name.
        name: String,
    },
    /// This shop's checkout (same link, payee, token and amount) was paid, or is being paid, from
    /// this wallet recently (a gasless payment).
    DuplicateCheckout {
        /// The earlier authorization's nonce.
        #[cfg_attr(feature = "specta", specta(type = String))]
        nonce: B256,
        /// When it was signed.
        paid_at: u64,
        /// Its status.
        status: PaymentStatus,
        /// The account that signed it.
        #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
        #[cfg_attr(feature = "specta", specta(type = String))]
        account: Address,
    },
    /// The payee looks like an address this wallet knows (the same first and last digits) and is
    /// not it: the mark of address poisoning ([`crate::pay::payee`]).
    LookalikePayee {
        /// The known address it imitates.
        #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
        #[cfg_attr(feature = "specta", specta(type = String))]
        looks_like: Address,
    },
}

impl Warning {
    /// Whether paying despite it needs the person's explicit acknowledgement.
    pub fn needs_ack(&self) -> bool {
        matches!(
            self,
            Warning::ProbableDuplicate { .. } | Warning::DuplicateCheckout { .. } | Warning::LookalikePayee { .. }
        )
    }
}
