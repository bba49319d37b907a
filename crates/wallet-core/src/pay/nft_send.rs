//! Sending an NFT to someone: ERC-721 `safeTransferFrom(from, to, id)` or ERC-1155
//! `safeTransferFrom(from, to, id, amount, "")`, one more kind of payment ([`PaymentKind::NftTransfer`])
//! under the same rules as the others.
//!
//! It is [`quote`]d first (which item, to whom, and the network fee at most, bound by a digest): the
//! account must own it now (as the contract says), the recipient must be able to take it (the
//! contract's own answer to this very call: a contract that cannot hold NFTs makes `safeTransferFrom`
//! revert, and nothing is signed), the gas and fee are bounded. It is signed only as quoted ([`sign`]:
//! the call data re-checked against what was shown), stored before it leaves the process and decided by
//! the chain: mined, and the contract's own `Transfer` (or `TransferSingle`) log says the item went from
//! this account to the recipient. Kept as a payment record (payee: the recipient; token: the
//! collection; amount: how many), its token id read back from its own signed bytes
//! ([`crate::pay::nft_call::call_of`]).

use alloy::primitives::{Address, B256, U256};

use crate::chain::network::ChainClient;
use crate::error::{Blocker, Error, Result};
pub use crate::pay::nft_call::{NftItem, call_data, call_of, sent_in_logs};
use crate::pay::replace::ReplacementQuote;
use crate::store::{NftStandard, PaymentKind, PaymentRecord};
use crate::wallet::Wallet;

/// What sending an NFT will sign, and what it may cost. Public data only.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NftTransferQuote {
    /// The transaction (kind [`PaymentKind::NftTransfer`]), its fee at most and the digest that binds it.
    pub transaction: ReplacementQuote,
    /// What it sends.
    pub item: NftItem,
    /// To whom (EIP-55).
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub to: Address,
}

impl NftTransferQuote {
    /// Its id (what the person confirms names it).
    pub fn id(&self) -> &str {
        &self.transaction.id
    }

    /// The digest of everything signed or shown.
    pub fn digest(&self) -> B256 {
        self.transaction.digest
    }
}

/// The quote for sending `item` from `from` to `to`. Refused when `to` is no one (the zero address),
/// the sender itself or the collection's own contract; when the account does not own it (or not that
/// many) now; when the contract would refuse the call (a recipient that cannot hold NFTs); and without
/// the native currency for the fee. `own` is the account's stored payments on this chain (the nonce).
pub async fn quote(
    client: &ChainClient,
    from: Address,
    item: NftItem,
    to: Address,
    own: &[PaymentRecord],
) -> Result<NftTransferQuote> {
    if to.is_zero() || to == from || to == item.contract {
        return Err(Error::InvalidAddress { reason: "not someone an NFT can be sent to".into() });
    }
    if item.amount.is_zero() || (item.standard == NftStandard::Erc721 && item.amount != U256::from(1u8)) {
        return Err(Error::InvalidAmount { decimals: 0 });
    }
    let owned = crate::nft::discover::owned(client, from, &[(item.contract, item.token_id, item.standard)]).await?;
    let have = owned.first().map(|o| o.2).unwrap_or_default();
    if have < item.amount {
        return Err(Error::Blocked(Blocker::InsufficientFunds {
            symbol: format!("#{}", item.token_id),
            needed: item.amount.to_string(),
            available: have.to_string(),
        }));
    }
    let input = call_data(&item, from, to);
    let transaction =
        ReplacementQuote::for_call(client, from, item.contract, input, PaymentKind::NftTransfer, own).await?;
    Ok(NftTransferQuote { transaction, item, to })
}

/// Signs the NFT transfer `quote` with the unlocked `wallet` (no network call). Refused past the quote's
/// validity, with a broken digest, a fee over the network's ceilings, or call data other than sending
/// the item shown to the recipient shown. Not stored yet.
pub fn sign(wallet: &Wallet, quote: &NftTransferQuote) -> Result<PaymentRecord> {
    let t = &quote.transaction;
    if t.kind != PaymentKind::NftTransfer
        || t.tx.to != Some(quote.item.contract)
        || !t.tx.value.is_zero()
        || t.tx.input != call_data(&quote.item, t.from, quote.to)
    {
        return Err(Error::QuoteMismatch);
    }
    t.sign_new(wallet, quote.to, Some(quote.item.contract), quote.item.amount)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::signer::TxRequest;
    use crate::pay::nft_call::INftSend;
    use crate::pay::replace::REPLACEMENT_TTL_SECS;
    use alloy::primitives::{Bytes, address};
    use alloy::sol_types::SolCall;

    const CARDS: Address = address!("b19b36b1456E65E3A6D514D3F715f204BD59f431");
    const ME: Address = address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    const FRIEND: Address = address!("70997970C51812dc3A010C7d01b50e0d17dc79C8");

    fn card(id: u8) -> NftItem {
        NftItem { contract: CARDS, token_id: U256::from(id), standard: NftStandard::Erc721, amount: U256::from(1u8) }
    }

    /// A quote whose digest holds for its transaction: `input` is what is signed, `item` and `to` what
    /// the sheet shows.
    fn quote(input: Bytes, item: NftItem, to: Address) -> NftTransferQuote {
        let now = crate::pay::clock::now_secs();
        let mut transaction = ReplacementQuote {
            id: "q".into(),
            digest: B256::ZERO,
            kind: PaymentKind::NftTransfer,
            created_at: now,
            expires_at: now + REPLACEMENT_TTL_SECS,
            chain_id: 31337,
            from: ME,
            payment: B256::ZERO,
            max_network_fee: U256::from(90_000u64) * U256::from(1_000_000_000u64),
            max_network_fee_display: "0.00009".into(),
            previous_max_network_fee_display: "0".into(),
            native_symbol: "ETH".into(),
            tx: TxRequest {
                chain_id: 31337,
                nonce: 0,
                to: Some(CARDS),
                value: U256::ZERO,
                gas: 90_000,
                max_fee_per_gas: Some(U256::from(1_000_000_000u64)),
                max_priority_fee_per_gas: Some(U256::from(1_000_000u64)),
                gas_price: None,
                input,
            },
        };
        transaction.digest = transaction.compute_digest();
        NftTransferQuote { transaction, item, to }
    }

    /// What is signed is what the sheet showed: this item, to this recipient; its own bytes say so when
    /// read back. Another item, another recipient, or a plain `transferFrom` (which skips the recipient's
    /// check) is refused even where the digest holds.
    #[test]
    fn only_the_item_shown_to_the_recipient_shown_is_signed() {
        let tmp = tempfile::tempdir().expect("tmp");
        let wallet = Wallet::dev_for_tests(tmp.path());
        let signed = sign(&wallet, &quote(call_data(&card(3), ME, FRIEND), card(3), FRIEND)).expect("signed");
        assert_eq!((signed.kind, signed.payee, signed.token), (PaymentKind::NftTransfer, FRIEND, Some(CARDS)));
        assert_eq!(call_of(&signed), Some((FRIEND, card(3))), "read back from its own bytes");
        let stranger = address!("5353535353535353535353535353535353535353");
        let plain: Bytes =
            INftSend::transferFromCall { from: ME, to: FRIEND, tokenId: U256::from(3u8) }.abi_encode().into();
        for (what, q) in [
            ("another item than shown", quote(call_data(&card(4), ME, FRIEND), card(3), FRIEND)),
            ("another recipient than shown", quote(call_data(&card(3), ME, stranger), card(3), FRIEND)),
            ("a plain transferFrom", quote(plain, card(3), FRIEND)),
        ] {
            assert!(matches!(sign(&wallet, &q), Err(Error::QuoteMismatch)), "{what}");
        }
    }
}
