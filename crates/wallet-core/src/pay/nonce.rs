//! The nonce a new transaction takes: the chain's count checked against what the wallet knows.

use alloy::primitives::Address;
use alloy::providers::Provider;

use crate::chain::network::ChainClient;
use crate::error::{Error, Result};
use crate::store::{PaymentRecord, PaymentStatus};

/// The most transactions of an account a node may report waiting that this wallet did not sign.
/// None: whether another device sent them or the node lies (a "future" nonce), a payment signed
/// behind them could wait for ever; the person is told to pay once they are through.
pub const MAX_FOREIGN_PENDING: u64 = 0;

/// The nonce a new payment from `from` takes: the node's count of this account's transactions
/// (waiting ones included), checked against what the wallet itself knows (`own`: this account's
/// stored payments on this chain). Never below a nonce the wallet knows is mined or outstanding, so
/// a node that does not see the wallet's own waiting payment cannot make a new one silently replace
/// it. A node whose waiting count is below its mined count, whose mined count is behind what the
/// wallet saw mined, or that reports more than [`MAX_FOREIGN_PENDING`] waiting transactions the
/// wallet did not sign ([`Error::ForeignPending`]) is refused. An outstanding payment the node does not hold (refused, or never
/// sent) would keep a new one waiting behind it: [`Error::EarlierPaymentOutstanding`], unless the new
/// payment is that very payment again (`same`), which the duplicate guard resumes.
pub async fn next_nonce(
    client: &ChainClient,
    from: Address,
    own: &[PaymentRecord],
    same: impl Fn(&PaymentRecord) -> bool,
) -> Result<u64> {
    let provider = &client.provider;
    let mined = provider.get_transaction_count(from).latest().await.map_err(|e| client.rpc_error(e))?;
    let waiting = provider.get_transaction_count(from).pending().await.map_err(|e| client.rpc_error(e))?;
    nonce_from_counts(mined, waiting, own, same)
}

/// [`next_nonce`] from the node's two counts.
pub fn nonce_from_counts(
    mined: u64,
    waiting: u64,
    own: &[PaymentRecord],
    same: impl Fn(&PaymentRecord) -> bool,
) -> Result<u64> {
    let bad = |detail: &str| Error::BadRpcResponse { detail: detail.to_owned() };
    if waiting < mined {
        return Err(bad("it counts fewer transactions of this account with the waiting ones than without"));
    }
    let seen_mined = own
        .iter()
        .filter(|r| {
            r.block_number.is_some()
                && matches!(r.status, PaymentStatus::Confirmed | PaymentStatus::Unconfirmed | PaymentStatus::Failed)
        })
        .map(|r| r.nonce + 1)
        .max()
        .unwrap_or(0);
    if mined < seen_mined {
        return Err(Error::RpcUnavailable {
            detail: "the network is behind: it has not seen this account's last payment yet; try again in a moment"
                .into(),
        });
    }
    let outstanding: Vec<&PaymentRecord> =
        own.iter().filter(|r| r.status.is_unfinished() && r.nonce >= mined).collect();
    let held = outstanding.iter().map(|r| r.nonce + 1).max().unwrap_or(0);
    if waiting > mined.max(held) + MAX_FOREIGN_PENDING {
        return Err(Error::ForeignPending { count: waiting - mined.max(held) });
    }
    // An outstanding payment that never reached a node as far as the wallet knows (signed, or
    // refused so far), and that this node does not hold either, keeps anything signed after it
    // waiting: it goes first (sent again), or is cancelled. One sent (`pending`) is out there: the
    // next payment simply comes after it.
    let unsent = |r: &&&PaymentRecord| r.status != PaymentStatus::Pending && r.nonce >= waiting && !same(r);
    if let Some(first) = outstanding.iter().filter(unsent).min_by_key(|r| r.nonce) {
        let root = first.replaces.unwrap_or(first.tx_hash);
        return Err(Error::EarlierPaymentOutstanding { tx_hash: root });
    }
    Ok(waiting.max(held))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::primitives::U256;

    fn sent(nonce: u64, status: PaymentStatus, payee: u8) -> PaymentRecord {
        let mined = matches!(status, PaymentStatus::Confirmed | PaymentStatus::Failed);
        PaymentRecord {
            block_number: mined.then_some(nonce + 10),
            ..PaymentRecord::for_tests(nonce, status, Address::repeat_byte(payee), U256::from(1u8))
        }
    }

    /// The nonce is the chain's and the wallet's together: a node hiding the wallet's own waiting
    /// payment cannot make a new one replace it; a node's count below the mined one, behind what the
    /// wallet saw mined, or with waiting transactions the wallet never signed is refused.
    #[test]
    fn the_next_nonce_never_reuses_an_outstanding_one_and_refuses_a_lying_count() {
        use PaymentStatus::*;
        let never = |_: &PaymentRecord| false;
        assert_eq!(nonce_from_counts(5, 5, &[], never).ok(), Some(5));
        // The node does not see our waiting payment of nonce 5 (it answers 5 with waiting ones).
        let waiting = [sent(5, Pending, 9)];
        assert_eq!(nonce_from_counts(5, 5, &waiting, never).ok(), Some(6), "never nonce 5 again");
        assert_eq!(nonce_from_counts(5, 6, &waiting, never).ok(), Some(6));
        // Refused so far and not held by the node: a new payment would wait behind it.
        let refused = [sent(5, Rejected, 9)];
        assert!(matches!(
            nonce_from_counts(5, 5, &refused, never),
            Err(Error::EarlierPaymentOutstanding { tx_hash }) if tx_hash == refused[0].tx_hash
        ));
        // ...unless it is that very payment again (the duplicate guard resumes it).
        assert_eq!(nonce_from_counts(5, 5, &refused, |r| r.payee == Address::repeat_byte(9)).ok(), Some(6));
        // Mined and replaced ones hold nothing.
        assert_eq!(nonce_from_counts(6, 6, &[sent(5, Confirmed, 9), sent(4, Replaced, 9)], never).ok(), Some(6));
        // A future nonce (waiting transactions nobody here signed).
        assert!(matches!(nonce_from_counts(5, 8, &[], never), Err(Error::ForeignPending { count: 3 })));
        // Fewer with the waiting ones than without; behind a payment the wallet saw mined.
        assert_eq!(nonce_from_counts(5, 4, &[], never).err().map(|e| e.code().as_str()), Some("bad_rpc_response"));
        assert_eq!(
            nonce_from_counts(4, 4, &[sent(4, Confirmed, 9)], never).err().map(|e| e.code().as_str()),
            Some("rpc_unavailable")
        );
    }
}
