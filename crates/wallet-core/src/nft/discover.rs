//! Finding the accounts' NFTs from the chain alone (no indexer learns the addresses): the logs of items
//! arriving at them — ERC-721 `Transfer` (four topics: the id is indexed, which tells it from an ERC-20's
//! three), ERC-1155 `TransferSingle` and `TransferBatch`, ERC-2309 `ConsecutiveTransfer` (batch mints,
//! which emit no `Transfer`) — read in bounded ranges from a cursor, like the history. A log only says
//! what *arrived*: what an account owns **now** is asked of each contract (`ownerOf`, `balanceOf`) in
//! one batched request, and a contract counts as a collection only once its ERC-165 answer says so.

use std::collections::{BTreeMap, BTreeSet};

use alloy::eips::BlockId;
use alloy::primitives::{Address, B256, Bytes, U256};
use alloy::rpc::types::{Filter, Log, TransactionRequest};
use alloy::sol_types::{SolCall, SolEvent};

use crate::chain::history::{MAX_LOG_SPLITS, logs_halving};
use crate::chain::network::{ChainClient, rpc_error};
use crate::error::Result;
use crate::store::NftStandard;

alloy::sol! {
    interface INftEvents {
        event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
        event TransferSingle(address indexed operator, address indexed from, address indexed to, uint256 id, uint256 value);
        event TransferBatch(address indexed operator, address indexed from, address indexed to, uint256[] ids, uint256[] values);
        event ConsecutiveTransfer(uint256 indexed fromTokenId, uint256 toTokenId, address indexed fromAddress, address indexed toAddress);
    }
    interface INft {
        function supportsInterface(bytes4 interfaceId) external view returns (bool);
        function ownerOf(uint256 tokenId) external view returns (address);
        function balanceOf(address account, uint256 id) external view returns (uint256);
        function tokenURI(uint256 tokenId) external view returns (string);
        function uri(uint256 id) external view returns (string);
        function name() external view returns (string);
        function symbol() external view returns (string);
    }
}

/// ERC-165 id of ERC-721.
pub const ERC721_ID: [u8; 4] = [0x80, 0xac, 0x58, 0xcd];
/// ERC-165 id of ERC-1155.
pub const ERC1155_ID: [u8; 4] = [0xd9, 0xb6, 0x7a, 0x26];
/// Most ids one `ConsecutiveTransfer` is taken to mint (OpenZeppelin's own batch limit): a log claiming
/// more costs no more than this.
pub const MAX_CONSECUTIVE: u64 = 5_000;
/// Most ids of one `TransferBatch` read.
const MAX_BATCH_IDS: usize = 1_000;
/// Most calls in one batched request.
const CALLS_PER_BATCH: usize = 500;

/// An item seen arriving at an account: (account, contract, id, standard the log says, block).
pub type Sighting = (Address, Address, U256, NftStandard, u64);

/// What arrived at `accounts` in blocks `from..=to`, and the requests made.
pub async fn fetch_range(
    client: &ChainClient,
    accounts: &[Address],
    from: u64,
    to: u64,
) -> Result<(Vec<Sighting>, u32)> {
    let topics: Vec<B256> = accounts.iter().map(|a| a.into_word()).collect();
    let mut requests = 0;
    let erc721 = Filter::new().event_signature(INftEvents::Transfer::SIGNATURE_HASH).topic2(topics.clone());
    let others = Filter::new()
        .event_signature(vec![
            INftEvents::TransferSingle::SIGNATURE_HASH,
            INftEvents::TransferBatch::SIGNATURE_HASH,
            INftEvents::ConsecutiveTransfer::SIGNATURE_HASH,
        ])
        .topic3(topics);
    let mut logs = logs_halving(client, &erc721, from, to, MAX_LOG_SPLITS, &mut requests).await?;
    logs.extend(logs_halving(client, &others, from, to, MAX_LOG_SPLITS, &mut requests).await?);
    let mut seen = Vec::new();
    for log in &logs {
        sightings(log, accounts, &mut seen);
    }
    Ok((seen, requests))
}

/// The items `log` says arrived at one of `accounts`.
pub fn sightings(log: &Log, accounts: &[Address], out: &mut Vec<Sighting>) {
    let Some(block) = log.block_number else { return }; // pending: picked up once mined
    let contract = log.address();
    let topics = log.topics();
    let Some(signature) = topics.first() else { return };
    let mut push = |to: Address, id: U256, standard| {
        if accounts.contains(&to) {
            out.push((to, contract, id, standard, block));
        }
    };
    if *signature == INftEvents::Transfer::SIGNATURE_HASH {
        // Four topics: ERC-721's indexed id. An ERC-20 transfer has three.
        if let (4, Ok(e)) = (topics.len(), INftEvents::Transfer::decode_log(&log.inner)) {
            push(e.to, e.tokenId, NftStandard::Erc721);
        }
    } else if let Ok(e) = INftEvents::TransferSingle::decode_log(&log.inner) {
        push(e.to, e.id, NftStandard::Erc1155);
    } else if let Ok(e) = INftEvents::TransferBatch::decode_log(&log.inner) {
        for id in e.ids.iter().take(MAX_BATCH_IDS) {
            push(e.to, *id, NftStandard::Erc1155);
        }
    } else if let Ok(e) = INftEvents::ConsecutiveTransfer::decode_log(&log.inner) {
        let (first, last) = (e.fromTokenId, e.toTokenId);
        if last >= first {
            let count = (last - first).saturating_add(U256::from(1u8)).min(U256::from(MAX_CONSECUTIVE));
            for i in 0..count.to::<u64>() {
                push(e.toAddress, first + U256::from(i), NftStandard::Erc721);
            }
        }
    }
}

/// One `eth_call` of a batch, waiting for its answer.
type Pending = alloy::rpc::client::Waiter<Bytes>;

/// One call's answer: the contract's data, the contract's refusal, or nothing known (the node failed to
/// answer it: never taken as the contract's word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// What the contract returned.
    Data(Bytes),
    /// The contract reverted (the node says "execution reverted").
    Reverted,
    /// The node did not say (an error of its own, an answer that could not be read).
    Unknown,
}

impl Answer {
    /// The returned data, when the contract returned some.
    pub fn data(&self) -> Option<&Bytes> {
        match self {
            Answer::Data(d) => Some(d),
            _ => None,
        }
    }

    fn of(result: std::result::Result<Bytes, alloy::transports::TransportError>) -> Self {
        match result {
            Ok(data) => Answer::Data(data),
            Err(e) if crate::chain::transport::is_revert(&e) => Answer::Reverted,
            Err(_) => Answer::Unknown,
        }
    }
}

/// `calls` (contract, calldata) in batched requests of at most [`CALLS_PER_BATCH`]: each one's
/// [`Answer`]. Only a batch the node does not answer at all is an error.
pub async fn call_all(client: &ChainClient, calls: &[(Address, Vec<u8>)]) -> Result<Vec<Answer>> {
    let unavailable = |e| rpc_error(&client.endpoint, e);
    let mut out = Vec::with_capacity(calls.len());
    for chunk in calls.chunks(CALLS_PER_BATCH) {
        let mut batch = client.rpc.new_batch();
        let mut waiting: Vec<Pending> = Vec::with_capacity(chunk.len());
        for (to, data) in chunk {
            let tx = TransactionRequest::default().to(*to).input(Bytes::from(data.clone()).into());
            waiting.push(batch.add_call("eth_call", &(tx, BlockId::latest())).map_err(unavailable)?);
        }
        batch.send().await.map_err(unavailable)?;
        for w in waiting {
            out.push(Answer::of(w.await));
        }
    }
    Ok(out)
}

fn word(answer: &Answer) -> Option<U256> {
    answer.data().filter(|d| d.len() == 32).map(|d| U256::from_be_slice(d))
}

/// Which of `contracts` say (ERC-165) they follow the standard their logs claimed, and which say they do
/// not (answering `false`, or reverting: no ERC-165); a contract whose answer the node did not give is in
/// neither (asked again on the next look).
pub async fn classify(
    client: &ChainClient,
    contracts: &BTreeMap<Address, NftStandard>,
) -> Result<(BTreeMap<Address, NftStandard>, BTreeSet<Address>)> {
    let id = |s: NftStandard| if s == NftStandard::Erc721 { ERC721_ID } else { ERC1155_ID };
    let calls: Vec<_> = contracts
        .iter()
        .map(|(c, s)| (*c, INft::supportsInterfaceCall { interfaceId: id(*s).into() }.abi_encode()))
        .collect();
    let answers = call_all(client, &calls).await?;
    let mut yes = BTreeMap::new();
    let mut no = BTreeSet::new();
    for ((c, s), a) in contracts.iter().zip(&answers) {
        match (a, word(a)) {
            (_, Some(v)) if v == U256::from(1u8) => {
                yes.insert(*c, *s);
            }
            (Answer::Reverted, _) | (Answer::Data(_), _) => {
                no.insert(*c);
            }
            (Answer::Unknown, _) => {}
        }
    }
    Ok((yes, no))
}

/// What `account` owns now of each item (contract, id, standard): 1 or 0 for ERC-721 (`ownerOf`), the
/// balance for ERC-1155. An `ownerOf` (or `balanceOf`) the contract reverts is none owned (a burned
/// token); an answer the node did not give, or that cannot be read, leaves the item out (unknown, not
/// gone).
pub async fn owned(
    client: &ChainClient,
    account: Address,
    items: &[(Address, U256, NftStandard)],
) -> Result<Vec<(Address, U256, U256)>> {
    let calls: Vec<_> = items
        .iter()
        .map(|(c, id, s)| match s {
            NftStandard::Erc721 => (*c, INft::ownerOfCall { tokenId: *id }.abi_encode()),
            NftStandard::Erc1155 => (*c, INft::balanceOfCall { account, id: *id }.abi_encode()),
        })
        .collect();
    let answers = call_all(client, &calls).await?;
    Ok(amounts(account, items, &answers))
}

/// What `account` owns of each of `items` by `answers` (their `ownerOf`/`balanceOf`, in order): a revert
/// is none owned; an answer not given or not readable leaves the item out.
fn amounts(account: Address, items: &[(Address, U256, NftStandard)], answers: &[Answer]) -> Vec<(Address, U256, U256)> {
    items
        .iter()
        .zip(answers)
        .filter_map(|((c, id, s), answer)| {
            let amount = match (answer, word(answer), s) {
                // A burned token reverts `ownerOf`: owned by nobody, so not by this account.
                (Answer::Reverted, ..) => U256::ZERO,
                (_, Some(owner), NftStandard::Erc721) => {
                    U256::from(u8::from(owner == U256::from_be_bytes(account.into_word().0)))
                }
                (_, Some(balance), NftStandard::Erc1155) => balance,
                _ => return None,
            };
            Some((*c, *id, amount))
        })
        .collect()
}

/// The metadata URI of each item (`tokenURI`, or `uri` with `{id}` substituted), `None` where the
/// contract does not say.
pub async fn uris(client: &ChainClient, items: &[(Address, U256, NftStandard)]) -> Result<Vec<Option<String>>> {
    let calls: Vec<_> = items
        .iter()
        .map(|(c, id, s)| match s {
            NftStandard::Erc721 => (*c, INft::tokenURICall { tokenId: *id }.abi_encode()),
            NftStandard::Erc1155 => (*c, INft::uriCall { id: *id }.abi_encode()),
        })
        .collect();
    let answers = call_all(client, &calls).await?;
    Ok(items
        .iter()
        .zip(answers)
        .map(|((_, id, _), a)| {
            let uri = INft::tokenURICall::abi_decode_returns(a.data()?).ok()?;
            Some(super::metadata::substitute_id(&uri, *id))
        })
        .collect())
}

/// The `name()` and `symbol()` of each contract, sanitised (the collection's own words).
pub async fn names(
    client: &ChainClient,
    contracts: &BTreeSet<Address>,
) -> Result<Vec<(Option<String>, Option<String>)>> {
    let calls: Vec<_> = contracts
        .iter()
        .flat_map(|c| [(*c, INft::nameCall {}.abi_encode()), (*c, INft::symbolCall {}.abi_encode())])
        .collect();
    let answers = call_all(client, &calls).await?;
    let text = |a: &Answer, max| {
        a.data()
            .and_then(|d| crate::chain::overview::decode_text(d))
            .map(|s| crate::text::displayable(&s, max))
            .filter(|s| !s.is_empty())
    };
    Ok(answers.chunks(2).map(|pair| (text(&pair[0], 64), text(&pair[1], 16))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::primitives::{LogData, address};

    fn log(address: Address, topics: Vec<B256>, data: Vec<u8>) -> Log {
        Log {
            inner: alloy::primitives::Log { address, data: LogData::new_unchecked(topics, data.into()) },
            block_number: Some(7),
            ..Log::default()
        }
    }

    /// Only the contract's own word counts: a revert (EIP-1474's code 3, or a node's "execution reverted"
    /// wording) is none owned; a node's own error, or an answer that cannot be read, leaves the item out
    /// (it stays, asked again next look) — a lagging node never makes an NFT disappear.
    #[test]
    fn only_the_contracts_word_decides_what_is_owned() {
        use alloy::rpc::json_rpc::ErrorPayload;
        let err = |code: i64, message: &str| {
            Answer::of(Err(alloy::transports::RpcError::ErrorResp(ErrorPayload {
                code,
                message: message.to_owned().into(),
                data: None,
            })))
        };
        assert_eq!(err(3, "execution reverted: ERC721NonexistentToken"), Answer::Reverted);
        assert_eq!(err(-32000, "execution reverted"), Answer::Reverted);
        assert_eq!(err(-32603, "internal error"), Answer::Unknown);
        assert_eq!(err(-32005, "rate limited"), Answer::Unknown);
        let me = address!("0x1111111111111111111111111111111111111111");
        let c = address!("0x3333333333333333333333333333333333333333");
        let items: Vec<_> = (0..5u8).map(|i| (c, U256::from(i), NftStandard::Erc721)).collect();
        let answers = [
            Answer::Data(me.into_word().0.to_vec().into()),
            Answer::Data(Address::repeat_byte(2).into_word().0.to_vec().into()),
            Answer::Reverted,
            Answer::Unknown,
            Answer::Data(vec![1, 2, 3].into()),
        ];
        let got = amounts(me, &items, &answers);
        let ids_amounts: Vec<(u8, u8)> = got.iter().map(|(_, id, a)| (id.to::<u8>(), a.to::<u8>())).collect();
        assert_eq!(ids_amounts, [(0, 1), (1, 0), (2, 0)], "mine, another's, burned; the unknown two left out");
    }

    #[test]
    fn the_interface_ids_are_the_standards() {
        assert_eq!(ERC721_ID, [0x80, 0xac, 0x58, 0xcd], "EIP-721");
        assert_eq!(ERC1155_ID, [0xd9, 0xb6, 0x7a, 0x26], "EIP-1155");
        assert_eq!(
            INftEvents::ConsecutiveTransfer::SIGNATURE,
            "ConsecutiveTransfer(uint256,uint256,address,address)",
            "EIP-2309"
        );
    }

    /// ERC-721 transfers carry four topics; an ERC-20 transfer (three) is no NFT; a batch mint that
    /// claims two hundred thousand ids yields at most [`MAX_CONSECUTIVE`]; only the accounts' own count.
    #[test]
    fn logs_say_what_arrived_and_nothing_else() {
        let me = address!("0x1111111111111111111111111111111111111111");
        let other = address!("0x2222222222222222222222222222222222222222");
        let c = address!("0x3333333333333333333333333333333333333333");
        let sig = INftEvents::Transfer::SIGNATURE_HASH;
        let id = |n: u64| B256::from(U256::from(n));
        let mut out = Vec::new();
        sightings(&log(c, vec![sig, Address::ZERO.into_word(), me.into_word(), id(5)], vec![]), &[me], &mut out);
        sightings(
            &log(c, vec![sig, Address::ZERO.into_word(), me.into_word()], U256::from(5u8).to_be_bytes_vec()),
            &[me],
            &mut out,
        );
        sightings(&log(c, vec![sig, Address::ZERO.into_word(), other.into_word(), id(6)], vec![]), &[me], &mut out);
        let batch = INftEvents::ConsecutiveTransfer::SIGNATURE_HASH;
        let data = U256::from(200_000u32).to_be_bytes_vec();
        sightings(&log(c, vec![batch, id(1), Address::ZERO.into_word(), me.into_word()], data), &[me], &mut out);
        assert_eq!(out[0], (me, c, U256::from(5u8), NftStandard::Erc721, 7));
        assert_eq!(out.len(), 1 + MAX_CONSECUTIVE as usize, "the ERC-20 and the other account's are not mine");
        assert_eq!(out[1].2, U256::from(1u8));
    }
}
