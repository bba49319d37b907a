//! A token's overview: what its contract says about itself, read from the chain alone (no indexer
//! learns which tokens a shopper looks at), in **one JSON-RPC batch**: its name, symbol, decimals and
//! total supply; whether it is a proxy (EIP-1967's implementation and admin slots); who controls it
//! where it says (`owner()`, AccessControl's default admin where it enumerates its members); whether it
//! can be paused and is; and which signed payments it takes (EIP-3009, EIP-2612, and any ERC-20
//! through Permit2 where Permit2 is deployed): which checkouts need no ETH.
//!
//! Every answer is the contract's (or the node's) word and untrusted: each field is read on its own, a
//! call that fails or answers oddly is "not said", text is sanitised and cut, decimals are bounded.
//! What the contract says of its symbol and decimals is checked against what the wallet lists, and a
//! difference is reported, never silently used.

use alloy::eips::BlockId;
use alloy::primitives::{Address, B256, Bytes, U256, b256};
use alloy::rpc::types::TransactionRequest;
use alloy::sol_types::SolCall;

use crate::chain::network::{ChainClient, redact_error};
use crate::chain::token::{IERC20Metadata, MAX_DECIMALS, Token};
use crate::error::{Error, Result};

alloy::sol! {
    interface ITokenFacts {
        function totalSupply() external view returns (uint256);
        function owner() external view returns (address);
        function paused() external view returns (bool);
        function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);
        function nonces(address owner) external view returns (uint256);
        function DOMAIN_SEPARATOR() external view returns (bytes32);
        function supportsInterface(bytes4 interfaceId) external view returns (bool);
        function getRoleMember(bytes32 role, uint256 index) external view returns (address);
    }
}

/// EIP-1967's implementation slot: `keccak256("eip1967.proxy.implementation") - 1`.
pub const EIP1967_IMPLEMENTATION: B256 = b256!("360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc");
/// EIP-1967's admin slot: `keccak256("eip1967.proxy.admin") - 1`.
pub const EIP1967_ADMIN: B256 = b256!("b53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103");
/// ERC-165 id of AccessControlEnumerable (`getRoleMember`, `getRoleMemberCount`).
const ACCESS_CONTROL_ENUMERABLE: [u8; 4] = [0x5a, 0x05, 0x18, 0x0f];
/// Longest name and symbol shown (as [`crate::chain::token`] keeps them).
const MAX_NAME: usize = 64;
const MAX_SYMBOL: usize = 16;

/// What the contract says that differs from what the wallet lists: shown, never silently used.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "field", rename_all = "snake_case")]
pub enum Mismatch {
    /// Another symbol.
    Symbol {
        /// What the wallet lists (and shows).
        listed: String,
        /// What the contract says.
        on_chain: String,
    },
    /// Other decimals: amounts would be off by powers of ten.
    Decimals {
        /// What the wallet lists (and uses).
        listed: u8,
        /// What the contract says.
        on_chain: u8,
    },
}

/// A token's overview, as its contract says it at `block`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenOverview {
    /// The token as the wallet lists it (verified: from Tender's network data; else added by hand).
    pub token: Token,
    /// The block this was read at (the node's latest when asked).
    pub block: u64,
    /// Its name, as it says (sanitised).
    pub name: Option<String>,
    /// Its symbol, as it says (sanitised).
    pub symbol: Option<String>,
    /// Its decimals, as it says (at most [`MAX_DECIMALS`]).
    pub decimals: Option<u8>,
    /// Its total supply, in base units.
    #[serde(serialize_with = "crate::text::serialize_opt_decimal")]
    pub total_supply: Option<U256>,
    /// The implementation behind it, when it is an EIP-1967 proxy (its code can be replaced).
    #[serde(serialize_with = "crate::text::serialize_opt_checksummed")]
    pub implementation: Option<Address>,
    /// The EIP-1967 proxy admin, when set.
    #[serde(serialize_with = "crate::text::serialize_opt_checksummed")]
    pub proxy_admin: Option<Address>,
    /// Its `owner()`, when it has one (zero: renounced).
    #[serde(serialize_with = "crate::text::serialize_opt_checksummed")]
    pub owner: Option<Address>,
    /// AccessControl's first default admin, when it enumerates its role members.
    #[serde(serialize_with = "crate::text::serialize_opt_checksummed")]
    pub admin: Option<Address>,
    /// Whether it is paused, when it can be (`paused()`).
    pub paused: Option<bool>,
    /// It takes EIP-3009 authorizations (a gasless checkout without any approval).
    pub eip3009: bool,
    /// It takes EIP-2612 permits (a shop may send the Permit2 approval for the shopper).
    pub eip2612: bool,
    /// Permit2 is deployed here as Tender signs for it: any ERC-20 can be paid through it once approved.
    pub permit2: bool,
    /// What it says that differs from what the wallet lists.
    pub mismatches: Vec<Mismatch>,
}

/// One `eth_call` of the batch, waiting for its answer.
type Pending = alloy::rpc::client::Waiter<Bytes>;

/// Reads the overview of `token` in one JSON-RPC batch; `permit2` is Permit2's address and the domain
/// separator it must answer with on this chain (the payment side's to say). Only a batch the node does
/// not answer at all is an error; each field the contract does not say is `None` (or `false`).
pub async fn read(client: &ChainClient, token: &Token, permit2: (Address, B256)) -> Result<TokenOverview> {
    let unavailable = |e| crate::chain::network::rpc_error(&client.endpoint, e);
    let at = BlockId::latest();
    let mut batch = client.rpc.new_batch();
    let mut call = |to: Address, data: Vec<u8>| -> Result<Pending> {
        let tx = TransactionRequest::default().to(to).input(Bytes::from(data).into());
        batch.add_call::<_, Bytes>("eth_call", &(tx, at)).map_err(unavailable)
    };
    let t = token.address;
    let name = call(t, IERC20Metadata::nameCall {}.abi_encode())?;
    let symbol = call(t, IERC20Metadata::symbolCall {}.abi_encode())?;
    let decimals = call(t, IERC20Metadata::decimalsCall {}.abi_encode())?;
    let supply = call(t, ITokenFacts::totalSupplyCall {}.abi_encode())?;
    let owner = call(t, ITokenFacts::ownerCall {}.abi_encode())?;
    let paused = call(t, ITokenFacts::pausedCall {}.abi_encode())?;
    let eip3009 =
        call(t, ITokenFacts::authorizationStateCall { authorizer: Address::ZERO, nonce: B256::ZERO }.abi_encode())?;
    let nonces = call(t, ITokenFacts::noncesCall { owner: Address::ZERO }.abi_encode())?;
    let separator = call(t, ITokenFacts::DOMAIN_SEPARATORCall {}.abi_encode())?;
    let enumerable =
        call(t, ITokenFacts::supportsInterfaceCall { interfaceId: ACCESS_CONTROL_ENUMERABLE.into() }.abi_encode())?;
    let admin = call(t, ITokenFacts::getRoleMemberCall { role: B256::ZERO, index: U256::ZERO }.abi_encode())?;
    let (permit2, expected) = (call(permit2.0, ITokenFacts::DOMAIN_SEPARATORCall {}.abi_encode())?, permit2.1);
    let slot = |batch: &mut alloy::rpc::client::BatchRequest<'_>, slot: B256| {
        batch.add_call::<_, U256>("eth_getStorageAt", &(t, U256::from_be_bytes(slot.0), at)).map_err(unavailable)
    };
    let implementation = slot(&mut batch, EIP1967_IMPLEMENTATION)?;
    let proxy_admin = slot(&mut batch, EIP1967_ADMIN)?;
    let block = batch.add_call::<_, U256>("eth_blockNumber", &()).map_err(unavailable)?;
    batch.send().await.map_err(unavailable)?;

    // Each answer on its own: a revert, an error or an odd answer says nothing.
    let block = block.await.map_err(unavailable)?;
    let block = u64::try_from(block)
        .map_err(|_| Error::BadRpcResponse { detail: redact_error("a block number past 2^64", &client.endpoint) })?;
    let answer = |w: Pending| async move { w.await.ok() };
    let word = |w: Pending| async move { w.await.ok().filter(|d| d.len() == 32).map(|d| U256::from_be_slice(&d)) };
    let text =
        |raw: Option<Bytes>, max: usize| raw.and_then(|d| decode_text(&d)).map(|s| crate::text::displayable(&s, max));
    let name = text(answer(name).await, MAX_NAME).filter(|s| !s.is_empty());
    let symbol = text(answer(symbol).await, MAX_SYMBOL).map(|s| s.replace(' ', "")).filter(|s| !s.is_empty());
    let decimals = word(decimals).await.and_then(|d| u8::try_from(d).ok()).filter(|d| *d <= MAX_DECIMALS);
    let total_supply = word(supply).await;
    let address = |w: Option<U256>| w.filter(|v| *v >> 160usize == U256::ZERO).map(|v| Address::from_word(v.into()));
    let boolean = |w: Option<U256>| w.filter(|v| *v <= U256::from(1u8)).map(|v| v == U256::from(1u8));
    let owner = address(word(owner).await);
    let paused = boolean(word(paused).await);
    let eip3009 = boolean(word(eip3009).await).is_some();
    let eip2612 = word(nonces).await.is_some() && word(separator).await.is_some();
    let admin = if boolean(word(enumerable).await) == Some(true) {
        address(word(admin).await).filter(|a| !a.is_zero())
    } else {
        None
    };
    let permit2 = word(permit2).await.is_some_and(|s| B256::from(s) == expected);
    let slot_address = |v: std::result::Result<U256, _>| address(v.ok()).filter(|a| !a.is_zero());
    let implementation = slot_address(implementation.await);
    let proxy_admin = slot_address(proxy_admin.await);

    let mut mismatches = Vec::new();
    if let Some(s) = &symbol
        && *s != token.symbol
    {
        mismatches.push(Mismatch::Symbol { listed: token.symbol.clone(), on_chain: s.clone() });
    }
    if let Some(d) = decimals
        && d != token.decimals
    {
        mismatches.push(Mismatch::Decimals { listed: token.decimals, on_chain: d });
    }
    Ok(TokenOverview {
        token: token.clone(),
        block,
        name,
        symbol,
        decimals,
        total_supply,
        implementation,
        proxy_admin,
        owner,
        admin,
        paused,
        eip3009,
        eip2612,
        permit2,
        mismatches,
    })
}

/// A `string` answer, or the `bytes32` one of early tokens (MKR, SAI): its bytes up to the first zero.
/// `None` for anything else, or text that is not UTF-8.
pub fn decode_text(data: &[u8]) -> Option<String> {
    if let Ok(s) = IERC20Metadata::symbolCall::abi_decode_returns(data) {
        return Some(s);
    }
    if data.len() == 32 {
        let end = data.iter().position(|b| *b == 0).unwrap_or(32);
        return String::from_utf8(data[..end].to_vec()).ok();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::sol_types::SolValue;

    #[test]
    fn the_eip1967_slots_are_the_standards() {
        let minus_one = |s: &str| B256::from(U256::from_be_bytes(alloy::primitives::keccak256(s).0) - U256::from(1u8));
        assert_eq!(EIP1967_IMPLEMENTATION, minus_one("eip1967.proxy.implementation"));
        assert_eq!(EIP1967_ADMIN, minus_one("eip1967.proxy.admin"));
        let id = ITokenFacts::getRoleMemberCall::SELECTOR;
        let count: [u8; 4] = alloy::primitives::keccak256("getRoleMemberCount(bytes32)")[..4].try_into().expect("4");
        let xor: Vec<u8> = id.iter().zip(count).map(|(a, b)| a ^ b).collect();
        assert_eq!(xor, ACCESS_CONTROL_ENUMERABLE, "ERC-165 id: the XOR of its two selectors");
    }

    /// Names and symbols as `string` or as early tokens' `bytes32`; anything else says nothing.
    #[test]
    fn text_answers_are_strings_or_bytes32_and_nothing_else() {
        assert_eq!(decode_text(&"Store Credit".to_owned().abi_encode()), Some("Store Credit".into()));
        let mut mkr = [0u8; 32];
        mkr[..3].copy_from_slice(b"MKR");
        assert_eq!(decode_text(&mkr), Some("MKR".into()));
        assert_eq!(decode_text(&[0xff; 32]), None, "not UTF-8");
        assert_eq!(decode_text(&[1, 2, 3]), None);
        assert_eq!(decode_text(&[]), None);
    }
}
