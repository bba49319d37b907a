//! The merchant side, for tests and the demo checkout: orders with their EIP-681 requests, and
//! payment detection.
//!
//! Each order gets its own deposit address, derived with the core's BIP32 code from the merchant's
//! phrase at `m/44'/60'/1'/0/n` (order `n`), so every payment is attributed to its order by address
//! alone, whatever the amount or who paid; the amount is then checked. Detection reads every
//! order's balance in one request ([`wallet_core::chain::balance::sync`]).

use alloy::primitives::{Address, U256};

use wallet_core::chain::balance::{self, SyncOptions};
use wallet_core::chain::network::ChainClient;
use wallet_core::error::Result;
use wallet_core::keys::derivation::{DerivationPath, address_of, derive_signing_key};
use wallet_core::pay::request::{PaymentRequest, Target};
use wallet_core::secret::Seed;

/// An order and where it must be paid.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Order {
    /// Order number (the derivation index of its deposit address).
    pub number: u32,
    /// The merchant's reference, shown to the shopper.
    pub reference: String,
    /// The chain.
    pub chain_id: u64,
    /// The token asked for, or `None` for the native currency.
    pub token: Option<Address>,
    /// The amount in base units.
    #[serde(serialize_with = "wallet_core::text::serialize_decimal")]
    pub amount: U256,
    /// The order's own deposit address.
    #[serde(serialize_with = "wallet_core::keys::address::serialize_checksummed")]
    pub deposit: Address,
    /// The shop's name.
    pub label: String,
}

impl Order {
    /// The order's payment request.
    pub fn request(&self) -> PaymentRequest {
        let payee = Some(Target::Address(self.deposit));
        PaymentRequest {
            chain_id: Some(self.chain_id),
            recipient: payee,
            token: self.token.map(Target::Address),
            amount: Some(self.amount),
            label: Some(self.label.clone()),
            order: Some(self.reference.clone()),
            ..PaymentRequest::default()
        }
    }

    /// The `ethereum:` link and QR payload.
    pub fn uri(&self) -> String {
        self.request().to_uri()
    }
}

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// Nothing received.
    Unpaid,
    /// Something, but less than the amount.
    Underpaid,
    /// Exactly the amount received.
    Paid,
    /// More than the amount received (the page says how much of what).
    Overpaid,
}

impl OrderState {
    /// The state of an order of `amount` whose deposit address holds `received`.
    pub fn of(received: U256, amount: U256) -> Self {
        if received.is_zero() {
            OrderState::Unpaid
        } else if received < amount {
            OrderState::Underpaid
        } else if received == amount {
            OrderState::Paid
        } else {
            OrderState::Overpaid
        }
    }
}

/// An order's state as of a block.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrderStatus {
    /// The order number.
    pub number: u32,
    /// Its state.
    pub state: OrderState,
    /// What its deposit address holds of the asked asset.
    #[serde(serialize_with = "wallet_core::text::serialize_decimal")]
    pub received: U256,
    /// The block this was read at.
    pub block_number: u64,
}

/// A shop: the seed its deposit addresses come from, and its next order number.
pub struct Merchant {
    seed: Seed,
    label: String,
    next: u32,
}

impl std::fmt::Debug for Merchant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Merchant").field("label", &self.label).field("next", &self.next).finish_non_exhaustive()
    }
}

impl Merchant {
    /// A shop named `label` whose deposit addresses derive from `seed`, numbering orders from `next`.
    pub fn new(seed: Seed, label: &str, next: u32) -> Self {
        Self { seed, label: label.to_owned(), next }
    }

    /// The deposit address of order `number`.
    pub fn deposit_address(&self, number: u32) -> Result<Address> {
        let path: DerivationPath = format!("m/44'/60'/1'/0/{number}").parse()?;
        Ok(address_of(&derive_signing_key(&self.seed, &path)?))
    }

    /// A new order for `amount` base units of `token` (`None`: native) on `chain_id`.
    pub fn new_order(&mut self, reference: &str, chain_id: u64, token: Option<Address>, amount: U256) -> Result<Order> {
        let number = self.next;
        let deposit = self.deposit_address(number)?;
        self.next += 1;
        Ok(Order {
            number,
            reference: reference.to_owned(),
            chain_id,
            token,
            amount,
            deposit,
            label: self.label.clone(),
        })
    }
}

/// What one check of the open orders found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderCheck {
    /// Each order's state, in the order given.
    pub statuses: Vec<OrderStatus>,
    /// The eth_calls the check took (3 for 10 000 orders).
    pub requests: u32,
}

/// The state of every order, from one balance sync of their deposit addresses.
pub async fn check_orders(client: &ChainClient, orders: &[Order]) -> Result<OrderCheck> {
    // One balance per order (its deposit address in its token), read together at one block, and
    // matched back by position: the cost grows linearly with the open orders.
    let wanted: Vec<balance::Wanted> = orders.iter().map(|o| (o.deposit, o.token)).collect();
    let snapshot = balance::read(client, &wanted, SyncOptions::default()).await?;
    let statuses = orders
        .iter()
        .zip(&snapshot.balances)
        .map(|(o, b)| {
            let received = b.amount.unwrap_or_default();
            let state = OrderState::of(received, o.amount);
            OrderStatus { number: o.number, state, received, block_number: snapshot.block_number }
        })
        .collect();
    Ok(OrderCheck { statuses, requests: snapshot.requests })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_is_unpaid_underpaid_paid_or_overpaid_by_what_its_address_holds() {
        let n = |x: u64| U256::from(x);
        assert_eq!(OrderState::of(n(0), n(125)), OrderState::Unpaid);
        assert_eq!(OrderState::of(n(1), n(125)), OrderState::Underpaid);
        assert_eq!(OrderState::of(n(125), n(125)), OrderState::Paid);
        assert_eq!(OrderState::of(n(250), n(125)), OrderState::Overpaid, "defect 14: it said just Paid");
    }
}
