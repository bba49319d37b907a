//! The bounds Tender puts on what a node says about gas and fees, per network (the ceilings come from
//! `networks.json`): the gas a payment may take, the fee per gas and the tip from the network's own
//! recent blocks, one payment's fee, and the fees signed in an hour.

use alloy::eips::BlockNumberOrTag;
use alloy::primitives::{Address, U256};
use alloy::providers::Provider;

use crate::chain::network::{ChainClient, FeeCeilings, Network};
use crate::chain::token::format_amount;
use crate::error::{Blocker, Error, Result};
use crate::store::{Db, PaymentRecord};

/// Gas headroom over the node's estimate, in percent (token transfers and contract payees only).
pub const GAS_HEADROOM_PERCENT: u64 = 20;

/// The gas of a plain ether transfer to an account without code: fixed by the protocol.
pub const PLAIN_TRANSFER_GAS: u64 = 21_000;

/// Blocks of fee history the fee is derived from.
pub const FEE_HISTORY_BLOCKS: u64 = 10;

/// A network fee over this share of a native amount (in percent) is a warning.
pub const HIGH_FEE_PERCENT: u64 = 10;

/// How long the network fees signed are added up for the hourly bound ([`check_fee_budget`]).
pub const FEE_BUDGET_WINDOW_SECS: u64 = 3600;

/// How many payments' worth of the network's per-payment fee ceiling may be signed in that window.
pub const FEE_BUDGET_PAYMENTS: u64 = 10;

/// The bounds Tender puts on what a node says about gas and fees, per network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeePolicy {
    /// The most gas a token `transfer` may take (real ERC-20 transfers take 30 000 to 80 000).
    pub max_token_gas: u64,
    /// The most gas an ether payment to a contract (a smart-contract wallet) may take.
    pub max_contract_gas: u64,
    /// The highest fee per gas Tender signs, in wei.
    pub max_fee_per_gas: U256,
    /// The highest tip per gas a node's fee history may propose, in wei.
    pub max_priority_fee_per_gas: U256,
    /// The most one payment's network fee may be, in wei: above it, Tender refuses.
    pub max_fee: U256,
}

const GWEI: u64 = 1_000_000_000;

impl FeePolicy {
    /// The ceilings for `network`: generous enough for a busy day, far below what a lying node asks.
    pub fn for_network(network: &Network) -> Self {
        Self::from_ceilings(network.fees)
    }

    /// The ceilings for the chain `chain_id` (see [`FeePolicy::for_network`]): from Tender's network
    /// data, mainnet-like for a chain it does not know.
    pub fn for_chain(chain_id: u64) -> Self {
        Self::from_ceilings(crate::chain::network::network_data(chain_id).map_or(FeeCeilings::DEFAULT, |n| n.fees))
    }

    fn from_ceilings(ceilings: FeeCeilings) -> Self {
        Self {
            max_token_gas: 150_000,
            max_contract_gas: 100_000,
            max_fee_per_gas: U256::from(ceilings.max_gwei_per_gas) * U256::from(GWEI),
            max_priority_fee_per_gas: U256::from(ceilings.max_tip_gwei) * U256::from(GWEI),
            // milli-units of the native currency (18 decimals).
            max_fee: U256::from(ceilings.max_fee_milli) * U256::from(10u64).pow(U256::from(15)),
        }
    }
}

pub(crate) fn check_fee(policy: &FeePolicy, gas: u64, max_fee_per_gas: U256, symbol: &str) -> Result<()> {
    let fee = U256::from(gas) * max_fee_per_gas;
    if max_fee_per_gas > policy.max_fee_per_gas || fee > policy.max_fee {
        return Err(Error::Blocked(Blocker::FeeTooHigh {
            fee: format_amount(fee, 18),
            ceiling: format_amount(policy.max_fee, 18),
            symbol: symbol.to_owned(),
        }));
    }
    Ok(())
}

/// The fee per gas to offer: from the network's recent blocks (`eth_feeHistory`): twice the next
/// block's base fee plus the median tip, within `policy`. A base fee already over the ceiling is a
/// refusal: the network (or the node) asks for more than Tender signs.
pub(crate) async fn fees(client: &ChainClient, policy: &FeePolicy) -> Result<(U256, U256)> {
    let history = client
        .provider
        .get_fee_history(FEE_HISTORY_BLOCKS, BlockNumberOrTag::Latest, &[50.0])
        .await
        .map_err(|e| client.rpc_error(e))?;
    fees_from_history(&history, policy, &client.network.native.symbol)
}

/// The fee per gas and tip to offer from a node's `eth_feeHistory` answer (see [`crate::pay::payment::quote`]): the
/// answer is untrusted, so the result is bounded by `policy` and a base fee above its ceiling is
/// [`Error::Blocked(Blocker::FeeTooHigh)`].
pub fn fees_from_history(
    history: &alloy::rpc::types::FeeHistory,
    policy: &FeePolicy,
    symbol: &str,
) -> Result<(U256, U256)> {
    let bad = |what: &str| Error::BadRpcResponse { detail: format!("fee history: {what}") };
    let next_base = history.base_fee_per_gas.last().copied().ok_or_else(|| bad("no base fee"))?;
    let next_base = U256::from(next_base);
    let mut tips: Vec<u128> = history.reward.iter().flatten().filter_map(|r| r.first().copied()).collect();
    tips.sort_unstable();
    // The node's tip is bounded by the network's data, like its base fee.
    let tip = U256::from(tips.get(tips.len() / 2).copied().unwrap_or(0).max(1)).min(policy.max_priority_fee_per_gas);
    if next_base > policy.max_fee_per_gas {
        return Err(Error::Blocked(Blocker::FeeTooHigh {
            fee: format!("{} gwei per gas", format_amount(next_base, 9)),
            ceiling: format!("{} gwei per gas", format_amount(policy.max_fee_per_gas, 9)),
            symbol: symbol.to_owned(),
        }));
    }
    let max_fee = (next_base * U256::from(2u8) + tip).min(policy.max_fee_per_gas);
    Ok((max_fee, tip.min(max_fee)))
}

/// The node's gas estimate with headroom, refused above `limit`.
pub(crate) fn bounded_gas(estimate: u64, limit: u64) -> Result<u64> {
    let gas = estimate.saturating_mul(100 + GAS_HEADROOM_PERCENT) / 100;
    if gas > limit {
        return Err(Error::Blocked(Blocker::GasTooHigh { gas: estimate, limit }));
    }
    Ok(gas)
}

/// A stored transaction, decoded from its signed bytes (never asked from a node).
pub(crate) fn stored_transaction(record: &PaymentRecord) -> Result<alloy::consensus::TxEnvelope> {
    use alloy::eips::eip2718::Decodable2718;
    alloy::consensus::TxEnvelope::decode_2718(&mut record.raw_tx.as_ref())
        .map_err(|_| Error::Database { detail: "bad stored transaction".into() })
}

/// The most a stored transaction's network fee can be (gas limit × fee cap), from its signed bytes.
pub(crate) fn signed_fee_cap(record: &PaymentRecord) -> Result<U256> {
    use alloy::consensus::Transaction as _;
    let tx = stored_transaction(record)?;
    Ok(U256::from(tx.gas_limit()) * U256::from(tx.max_fee_per_gas()))
}

/// Refuses `record` when the network fees signed on its chain in the last [`FEE_BUDGET_WINDOW_SECS`]
/// (from any account; of a payment and its replacements, only one can be mined, so the highest
/// counts), with its own, would pass [`FEE_BUDGET_PAYMENTS`] times the network's per-payment fee
/// ceiling: many small payments, or a face tricked into paying again and again, cannot drain the
/// ether.
pub fn check_fee_budget(db: &Db, record: &PaymentRecord) -> Result<()> {
    let policy = FeePolicy::for_chain(record.chain_id);
    let ceiling = policy.max_fee * U256::from(FEE_BUDGET_PAYMENTS);
    let since = record.created_at.saturating_sub(FEE_BUDGET_WINDOW_SECS);
    let mut per_nonce: std::collections::HashMap<(Address, u64), U256> = std::collections::HashMap::new();
    let earlier = db.payments_signed_since(record.chain_id, since)?;
    for r in earlier.iter().filter(|r| r.tx_hash != record.tx_hash).chain(std::iter::once(record)) {
        let fee = signed_fee_cap(r)?;
        let slot = per_nonce.entry((r.account, r.nonce)).or_default();
        *slot = (*slot).max(fee);
    }
    let total = per_nonce.values().fold(U256::ZERO, |sum, fee| sum.saturating_add(*fee));
    if total > ceiling {
        let symbol = crate::chain::network::network_data(record.chain_id).map_or("ETH", |n| n.native.symbol.as_str());
        let spent = total.saturating_sub(signed_fee_cap(record)?);
        return Err(Error::FeeBudgetExceeded {
            spent: format_amount(spent, 18),
            ceiling: format_amount(ceiling, 18),
            symbol: symbol.to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::signer::TxRequest;
    use crate::store::PaymentStatus;
    use alloy::primitives::{B256, Bytes};

    fn signed(nonce: u64, gwei_per_gas: u64, created_at: u64) -> PaymentRecord {
        let key = crate::keys::signer::PrivateKeySigner::from_bytes(&B256::repeat_byte(7)).expect("key");
        let tx = TxRequest {
            chain_id: 31337,
            nonce,
            to: Some(Address::repeat_byte(9)),
            value: U256::from(1u8),
            gas: 21_000,
            max_fee_per_gas: Some(U256::from(gwei_per_gas) * U256::from(GWEI)),
            max_priority_fee_per_gas: Some(U256::from(1u8)),
            gas_price: None,
            input: Bytes::new(),
        };
        let s = crate::keys::signer::sign_transaction(&key, crate::keys::signer::build_transaction(&tx).expect("tx"))
            .expect("sign");
        PaymentRecord {
            account: key.address(),
            tx_hash: s.hash,
            raw_tx: s.raw,
            created_at,
            payee: Address::repeat_byte(nonce as u8 + 100),
            ..PaymentRecord::for_tests(nonce, PaymentStatus::Pending, Address::repeat_byte(9), U256::from(1u8))
        }
    }

    /// From the audit: nothing bounded the fees spent over a short time, so many small payments (or a
    /// face tricked into paying again and again) could drain the ether. The network fees signed in an
    /// hour are bounded to ten payments at the network's ceiling; of one nonce's transactions (a
    /// payment and its speed-ups) only the highest counts, since only one can be mined.
    #[test]
    fn the_network_fees_signed_in_an_hour_are_bounded() {
        let db = Db::open_in_memory().expect("db");
        // The dev chain: 0.05 ETH a payment at most, so 0.5 ETH an hour; each of these may cost 0.0105.
        let now = 10_000_000;
        for nonce in 0..47 {
            let r = signed(nonce, 500, now - 60);
            check_fee_budget(&db, &r).expect("within the hour's bound");
            db.insert_payment(&r).expect("insert");
        }
        // A speed-up of the last one adds only its raise.
        check_fee_budget(&db, &signed(46, 600, now)).expect("one nonce counts once");
        let over = check_fee_budget(&db, &signed(47, 500, now)).expect_err("past 0.5 ETH an hour");
        assert!(
            matches!(&over, Error::FeeBudgetExceeded { ceiling, symbol, .. } if ceiling == "0.5" && symbol == "ETH"),
            "{over:?}"
        );
        // An hour later the old ones no longer count.
        check_fee_budget(&db, &signed(47, 500, now + FEE_BUDGET_WINDOW_SECS)).expect("a new hour");
    }

    /// From the audit: the tip a node proposed was bounded only by the fee cap, so a node could make
    /// every payment pay the ceiling per gas to the block builder. It is bounded by the network's data.
    #[test]
    fn a_nodes_tip_is_bounded_by_the_networks_data() {
        let policy = FeePolicy::for_chain(8453);
        let history = alloy::rpc::types::FeeHistory {
            base_fee_per_gas: vec![1_000_000; 11],
            gas_used_ratio: vec![0.5; 10],
            reward: Some(vec![vec![9 * GWEI as u128]; 10]),
            oldest_block: 1,
            ..Default::default()
        };
        let (max_fee, tip) = fees_from_history(&history, &policy, "ETH").expect("fees");
        assert_eq!(tip, U256::from(GWEI), "Base: 1 gwei of tip at most, not the node's 9");
        assert_eq!(max_fee, U256::from(2_000_000u64) + U256::from(GWEI));
    }

    /// The ceilings moved from code into `networks.json`: they are still what Tender signs at most.
    #[test]
    fn fee_ceilings_per_network_are_the_documented_ones() {
        let gwei = |n: u64| U256::from(n) * U256::from(GWEI);
        let milli = |n: u64| U256::from(n) * U256::from(10u64).pow(U256::from(15));
        for (chain, per_gas, fee, tip) in [
            (1, 1_000, 50, 50),
            (11_155_111, 1_000, 50, 50),
            (8453, 10, 2, 1),
            (84532, 10, 2, 1),
            (42161, 10, 2, 1),
            (10, 10, 2, 1),
            (137, 10_000, 5_000, 1_000),
            (31337, 500, 50, 50),
            (999_999, 1_000, 50, 50),
        ] {
            let p = FeePolicy::for_chain(chain);
            assert_eq!((p.max_fee_per_gas, p.max_fee), (gwei(per_gas), milli(fee)), "chain {chain}");
            assert_eq!(p.max_priority_fee_per_gas, gwei(tip), "chain {chain}");
            assert_eq!((p.max_token_gas, p.max_contract_gas), (150_000, 100_000));
        }
    }
}
