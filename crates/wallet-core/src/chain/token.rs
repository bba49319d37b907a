//! Tokens per network: the featured store token, stablecoins, and tokens a person adds by address
//! (their symbol, name and decimals read from the chain, and marked unverified).

use alloy::primitives::{Address, U256};
use alloy::sol;
use alloy::sol_types::{SolCall, SolEvent};

use crate::chain::network::ChainClient;
use crate::error::{Blocker, Error, Result};

sol! {
    #[sol(rpc)]
    interface IERC20Metadata {
        function name() external view returns (string);
        function symbol() external view returns (string);
        function decimals() external view returns (uint8);
        function balanceOf(address owner) external view returns (uint256);
        function totalSupply() external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        function allowance(address owner, address spender) external view returns (uint256);
        event Transfer(address indexed from, address indexed to, uint256 value);
        event Approval(address indexed owner, address indexed spender, uint256 value);
    }
}

/// Most decimals a token may declare: beyond this a display would be meaningless (hostile answer).
pub const MAX_DECIMALS: u8 = 36;
const MAX_SYMBOL_CHARS: usize = 16;
const MAX_NAME_CHARS: usize = 64;

pub use crate::store::records::Token;

/// Tender's own token list for `chain_id`, the featured store token first.
pub fn builtin_tokens(chain_id: u64) -> Vec<Token> {
    let Some(network) = crate::chain::network::network_data(chain_id) else { return Vec::new() };
    network
        .tokens
        .iter()
        .map(|t| Token {
            chain_id,
            address: t.address,
            symbol: t.symbol.clone(),
            name: t.name.clone(),
            decimals: t.decimals,
            featured: t.featured,
            verified: true,
            list: None,
        })
        .collect()
}

/// The tokens Tender shows on `chain_id`: its own list (the featured store token first), then the
/// retailer's signed list ([`crate::chain::token_list`]), then the ones the person added (each contract
/// once: the first source that lists it vouches for it).
pub fn known_tokens(db: &crate::store::Db, chain_id: u64) -> crate::Result<Vec<Token>> {
    let mut tokens = builtin_tokens(chain_id);
    for token in db.listed_tokens(chain_id)?.into_iter().chain(db.custom_tokens(chain_id)?) {
        if !tokens.iter().any(|t| t.address == token.address) {
            tokens.push(token);
        }
    }
    Ok(tokens)
}

/// `amount` base units as a decimal number of tokens with `decimals` decimals, exactly, without
/// trailing zeros: `format_amount(1_500_000, 6) == "1.5"`.
pub fn format_amount(amount: alloy::primitives::U256, decimals: u8) -> String {
    let unit = alloy::primitives::U256::from(10u64).pow(alloy::primitives::U256::from(decimals));
    let (whole, frac) = (amount / unit, amount % unit);
    if frac.is_zero() {
        return whole.to_string();
    }
    let frac = format!("{frac:0>width$}", width = usize::from(decimals));
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

/// A decimal number of tokens with `decimals` decimals ("2.5", "0.001", ".5"), as base units,
/// exactly. Only digits, with at most one decimal point and at most `decimals` digits after it: no
/// sign, exponent, spaces inside or grouping (the faces turn a locale's "2,5" into "2.5" first).
/// `None` for anything else, and past 2^256 − 1. (alloy's `parse_units` reads "-1" as a negative
/// number, whose conversion to an unsigned amount is not what the person typed.)
pub fn parse_amount(text: &str, decimals: u8) -> Option<alloy::primitives::U256> {
    let text = text.trim();
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !digits(whole) || !digits(frac) || frac.len() > usize::from(decimals) {
        return None;
    }
    let all = format!("{whole}{frac:0<width$}", width = usize::from(decimals));
    let all = all.trim_start_matches('0');
    if all.is_empty() {
        return Some(alloy::primitives::U256::ZERO);
    }
    alloy::primitives::U256::from_str_radix(all, 10).ok()
}

/// Text from a contract, made safe to show (see [`crate::text::displayable`]); spaces removed from
/// symbols.
fn clean(text: &str, max: usize) -> String {
    crate::text::displayable(text, max)
}

/// Reads a token's symbol, name and decimals from the chain; the result is unverified.
/// A contract that does not answer as an ERC-20, or declares absurd decimals, is refused.
pub async fn read_token(client: &ChainClient, address: Address) -> Result<Token> {
    let not_token = |what: &str| Error::Blocked(Blocker::NotAToken { address, reason: what.to_owned() });
    let contract = IERC20Metadata::new(address, &client.provider);
    let decimals = contract.decimals().call().await.map_err(|_| not_token("no decimals()"))?;
    if decimals > MAX_DECIMALS {
        return Err(not_token(&format!("it declares {decimals} decimals")));
    }
    let symbol = clean(&contract.symbol().call().await.map_err(|_| not_token("no symbol()"))?, MAX_SYMBOL_CHARS)
        .replace(' ', "");
    let name = clean(&contract.name().call().await.unwrap_or_else(|_| symbol.clone()), MAX_NAME_CHARS);
    if symbol.is_empty() {
        return Err(not_token("an empty symbol"));
    }
    Ok(Token {
        chain_id: client.network.chain_id,
        address,
        symbol,
        name,
        decimals,
        featured: false,
        verified: false,
        list: None,
    })
}

/// Refuses to pay `token` (as the wallet lists it) when its contract says other decimals: the amount
/// shown would be off by powers of ten ([`Blocker::DecimalsMismatch`]). A contract that reverts or answers
/// something unreadable is left to the payment's own simulation; a node that does not answer (or answers
/// with an error of its own) is an error: the check is never skipped on the node's word.
pub async fn check_decimals(client: &ChainClient, token: &Token) -> Result<()> {
    let call = alloy::rpc::types::TransactionRequest::default()
        .to(token.address)
        .input(alloy::primitives::Bytes::from(IERC20Metadata::decimalsCall {}.abi_encode()).into());
    let answer = alloy::providers::Provider::call(&client.provider, call).await;
    decimals_verdict(token, answer).map_err(|e| match e {
        DecimalsCheck::Node(e) => client.rpc_error(e),
        DecimalsCheck::Blocked(b) => Error::Blocked(b),
    })
}

enum DecimalsCheck {
    Node(alloy::transports::TransportError),
    Blocked(Blocker),
}

/// [`check_decimals`]'s verdict on the contract's answer.
fn decimals_verdict(
    token: &Token,
    answer: std::result::Result<alloy::primitives::Bytes, alloy::transports::TransportError>,
) -> std::result::Result<(), DecimalsCheck> {
    let answer = match answer {
        Ok(answer) => answer,
        Err(e) if crate::chain::transport::is_revert(&e) => return Ok(()),
        Err(e) => return Err(DecimalsCheck::Node(e)),
    };
    let said = (answer.len() == 32).then(|| U256::from_be_slice(&answer)).and_then(|d| u8::try_from(d).ok());
    match said {
        Some(on_chain) if on_chain != token.decimals => Err(DecimalsCheck::Blocked(Blocker::DecimalsMismatch {
            symbol: token.symbol.clone(),
            listed: token.decimals,
            on_chain,
        })),
        _ => Ok(()),
    }
}

// ----- approvals (ERC-20 `approve`): what a transaction sets, and what the token says it set -----

/// The spender and allowance of an `approve(spender, value)` call, when `input` is one.
pub fn approve_call(input: &[u8]) -> Option<(Address, U256)> {
    let call = IERC20Metadata::approveCall::abi_decode(input).ok()?;
    Some((call.spender, call.value))
}

/// What the token says `owner` let `spender` move in a mined approval: its last `Approval(owner,
/// spender, value)` event among `logs` (a receipt's). Logs of other contracts, other events and
/// malformed logs count for nothing; `None` when it emitted none.
pub fn approved_in_logs(
    logs: &[alloy::rpc::types::Log],
    token: Address,
    owner: Address,
    spender: Address,
) -> Option<U256> {
    logs.iter()
        .filter(|l| l.address() == token)
        .filter_map(|l| IERC20Metadata::Approval::decode_log(&l.inner).ok())
        .filter(|e| e.owner == owner && e.spender == spender)
        .last()
        .map(|e| e.value)
}

/// How much `owner` lets `spender` move of `token` at `block`, by the token's word.
pub async fn allowance_at(
    client: &ChainClient,
    token: Address,
    owner: Address,
    spender: Address,
    block: u64,
) -> Result<U256> {
    IERC20Metadata::new(token, &client.provider)
        .allowance(owner, spender)
        .block(block.into())
        .call()
        .await
        .map_err(|e| client.contract_error(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_exactly_or_not_at_all() {
        use alloy::primitives::U256;
        let e = |n: u64, d: u32| U256::from(n) * U256::from(10u64).pow(U256::from(d));
        assert_eq!(parse_amount("2.5", 18), Some(e(25, 17)));
        assert_eq!(parse_amount(" 0.000001 ", 6), Some(U256::from(1u8)));
        assert_eq!(parse_amount(".5", 6), Some(e(5, 5)));
        assert_eq!(parse_amount("7.", 0), Some(U256::from(7u8)));
        assert_eq!(parse_amount("0", 18), Some(U256::ZERO));
        // A sign (alloy's parse_units read "-1" as minus one), an exponent, grouping, too many decimals.
        for bad in ["-1", "+1", "1e3", "1,5", "1 000", "0.0000001", "", ".", "1.2.3", "0x10", "١"] {
            assert_eq!(parse_amount(bad, 6), None, "{bad:?}");
        }
        assert_eq!(parse_amount(&"9".repeat(80), 0), None, "past 2^256");
        assert_eq!(format_amount(parse_amount("1234.5678", 6).expect("amount"), 6), "1234.5678");
    }

    /// The decimals check is skipped only on the contract's own refusal: a node's error of its own
    /// (rate limited, internal) stops the sheet instead of letting an unchecked amount through; the
    /// contract's answer decides otherwise.
    #[test]
    fn the_decimals_check_is_never_skipped_on_the_nodes_word() {
        use alloy::rpc::json_rpc::ErrorPayload;
        let store = builtin_tokens(31337).into_iter().find(|t| t.symbol == "STORE").expect("store");
        let err = |code: i64, message: &str| {
            Err(alloy::transports::RpcError::ErrorResp(ErrorPayload {
                code,
                message: message.to_owned().into(),
                data: None,
            }))
        };
        let word = |n: u8| Ok(U256::from(n).to_be_bytes::<32>().to_vec().into());
        assert!(decimals_verdict(&store, word(18)).is_ok());
        assert!(matches!(
            decimals_verdict(&store, word(6)),
            Err(DecimalsCheck::Blocked(Blocker::DecimalsMismatch { listed: 18, on_chain: 6, .. }))
        ));
        assert!(decimals_verdict(&store, err(3, "execution reverted")).is_ok(), "the contract's refusal");
        assert!(decimals_verdict(&store, Ok(vec![1, 2].into())).is_ok(), "unreadable: the simulation decides");
        for (code, message) in [(-32005, "rate limited"), (-32603, "internal error")] {
            assert!(matches!(decimals_verdict(&store, err(code, message)), Err(DecimalsCheck::Node(_))), "{message}");
        }
    }

    #[test]
    fn builtin_lists_are_well_formed() {
        for chain in [31337, 1, 8453, 137, 42161, 11_155_111, 84532] {
            let tokens = builtin_tokens(chain);
            assert!(!tokens.is_empty(), "{chain}");
            assert!(tokens.iter().all(|t| t.verified && t.chain_id == chain));
        }
        // Every address in the data is written with a correct EIP-55 checksum (a typo is refused).
        let data: serde_json::Value = serde_json::from_str(include_str!("networks.json")).expect("networks.json");
        for network in data.as_array().expect("list") {
            for token in network["tokens"].as_array().expect("tokens") {
                let written = token["address"].as_str().expect("address");
                assert!(crate::keys::address::parse_address(written).is_ok(), "{written}");
                assert!(written.chars().any(|c| c.is_ascii_uppercase()), "{written} carries its checksum");
            }
        }
        assert_eq!(builtin_tokens(1).len(), 4, "USDC, USDT, DAI, EURC");
        let dev = builtin_tokens(31337);
        assert!(dev[0].featured && dev[0].symbol == "STORE");
        assert_eq!(dev[1].decimals, 6);
        assert!(builtin_tokens(999).is_empty());
        assert_eq!(clean("US\u{202e}DC\0", 16), "USDC");
        use alloy::primitives::U256;
        assert_eq!(format_amount(U256::from(1_500_000u64), 6), "1.5");
        assert_eq!(format_amount(U256::from(1u64), 18), "0.000000000000000001");
        assert_eq!(format_amount(U256::from(2_014_000_000_000_000_000u64), 18), "2.014");
        assert_eq!(format_amount(U256::ZERO, 6), "0");
        assert_eq!(format_amount(U256::from(42u64), 0), "42");
        assert_eq!(format_amount(U256::MAX, 36).len(), 79);
        assert_eq!(clean(&"X".repeat(100), 16).chars().count(), 16);
    }
}
#[cfg(test)]
mod approval_tests {
    use super::*;
    use crate::pay::permit2::PERMIT2;
    use alloy::primitives::{LogData, address};

    fn log(token: Address, owner: Address, spender: Address, value: u64) -> alloy::rpc::types::Log {
        let event = IERC20Metadata::Approval { owner, spender, value: U256::from(value) };
        let data: LogData = event.encode_log_data();
        alloy::rpc::types::Log { inner: alloy::primitives::Log { address: token, data }, ..Default::default() }
    }

    /// Only the token's own `Approval` for this owner and Permit2 counts, the last one if several.
    #[test]
    fn the_approval_seen_is_the_tokens_own_for_this_owner_and_spender() {
        let token = address!("1111111111111111111111111111111111111111");
        let owner = address!("2222222222222222222222222222222222222222");
        let other = address!("3333333333333333333333333333333333333333");
        assert_eq!(approved_in_logs(&[], token, owner, PERMIT2), None);
        let logs = [
            log(other, owner, PERMIT2, 9), // another contract's event
            log(token, other, PERMIT2, 8), // another owner
            log(token, owner, other, 7),   // another spender
            log(token, owner, PERMIT2, 5),
            log(token, owner, PERMIT2, 6),
        ];
        assert_eq!(approved_in_logs(&logs, token, owner, PERMIT2), Some(U256::from(6)));
        assert_eq!(approved_in_logs(&logs[..3], token, owner, PERMIT2), None);
    }

    #[test]
    fn an_approve_call_is_read_back_and_nothing_else_is() {
        let input = IERC20Metadata::approveCall { spender: PERMIT2, value: U256::from(125) }.abi_encode();
        assert_eq!(approve_call(&input), Some((PERMIT2, U256::from(125))));
        assert_eq!(approve_call(&input[..input.len() - 1]), None);
        assert_eq!(approve_call(&[]), None);
        let transfer = IERC20Metadata::transferCall { to: PERMIT2, value: U256::from(1) };
        assert_eq!(approve_call(&transfer.abi_encode()), None);
    }
}
