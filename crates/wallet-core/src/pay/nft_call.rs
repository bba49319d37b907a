//! What an NFT transfer's transaction says, read from its bytes and from its receipt's logs: the call
//! data that sends an item ([`call_data`]), what a stored transaction sends ([`call_of`]) and how many of
//! the item a receipt's logs say went to the recipient ([`sent_in_logs`]). Decoding only: the sheet and
//! the signing are [`crate::pay::nft_send`]'s.

use alloy::primitives::{Address, Bytes, U256};
use alloy::sol_types::{SolCall, SolEvent};

use crate::store::{NftStandard, PaymentRecord};

alloy::sol! {
    interface INftSend {
        function safeTransferFrom(address from, address to, uint256 tokenId) external;
        function safeTransferFrom(address from, address to, uint256 id, uint256 value, bytes data) external;
        function transferFrom(address from, address to, uint256 tokenId) external;
        event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
        event TransferSingle(address indexed operator, address indexed from, address indexed to, uint256 id, uint256 value);
    }
}

/// The item an NFT transfer sends.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NftItem {
    /// Its collection's contract.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub contract: Address,
    /// Its token id.
    #[serde(with = "crate::text::decimal")]
    pub token_id: U256,
    /// Its standard.
    pub standard: NftStandard,
    /// How many are sent (1 for ERC-721).
    #[serde(with = "crate::text::decimal")]
    pub amount: U256,
}

/// The call data that sends `item` from `from` to `to`.
pub fn call_data(item: &NftItem, from: Address, to: Address) -> Bytes {
    match item.standard {
        NftStandard::Erc721 => INftSend::safeTransferFrom_0Call { from, to, tokenId: item.token_id }.abi_encode(),
        NftStandard::Erc1155 => {
            INftSend::safeTransferFrom_1Call { from, to, id: item.token_id, value: item.amount, data: Bytes::new() }
                .abi_encode()
        }
    }
    .into()
}

/// What a stored transaction sends when it is an NFT transfer from `record`'s account to its collection
/// (the transaction's own bytes say it, whichever record of its nonce it is): (to, the item).
pub fn call_of(record: &PaymentRecord) -> Option<(Address, NftItem)> {
    use alloy::consensus::Transaction as _;
    let contract = record.token?;
    let tx = crate::pay::fees::stored_transaction(record).ok()?;
    if tx.to() != Some(contract) {
        return None;
    }
    let input = tx.input();
    if let Ok(c) = INftSend::safeTransferFrom_0Call::abi_decode(input) {
        let item = NftItem { contract, token_id: c.tokenId, standard: NftStandard::Erc721, amount: U256::from(1u8) };
        return (c.from == record.account).then_some((c.to, item));
    }
    let c = INftSend::safeTransferFrom_1Call::abi_decode(input).ok()?;
    let item = NftItem { contract, token_id: c.id, standard: NftStandard::Erc1155, amount: c.value };
    (c.from == record.account && c.data.is_empty()).then_some((c.to, item))
}

/// How many of `item` went from `from` to `to` by the contract's own logs among `logs` (a receipt's).
pub fn sent_in_logs(logs: &[alloy::rpc::types::Log], item: &NftItem, from: Address, to: Address) -> U256 {
    let mine = logs.iter().filter(|l| l.address() == item.contract);
    match item.standard {
        NftStandard::Erc721 => U256::from(
            mine.filter(|l| l.topics().len() == 4)
                .filter_map(|l| INftSend::Transfer::decode_log(&l.inner).ok())
                .any(|e| e.from == from && e.to == to && e.tokenId == item.token_id),
        ),
        NftStandard::Erc1155 => mine
            .filter_map(|l| INftSend::TransferSingle::decode_log(&l.inner).ok())
            .filter(|e| e.from == from && e.to == to && e.id == item.token_id)
            .fold(U256::ZERO, |sum, e| sum.saturating_add(e.value)),
    }
}
