//! Tokens per network: the featured store token, stablecoins, and tokens a person adds by address
//! (their symbol, name and decimals read from the chain, and marked unverified).

use alloy::primitives::Address;
use alloy::sol;

use crate::address::parse_address;
use crate::devnet;
use crate::error::{Error, Result};
use crate::network::ChainClient;

sol! {
    #[sol(rpc)]
    interface IERC20Metadata {
        function name() external view returns (string);
        function symbol() external view returns (string);
        function decimals() external view returns (uint8);
        function balanceOf(address owner) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
        event Transfer(address indexed from, address indexed to, uint256 value);
    }
}

/// Most decimals a token may declare: beyond this a display would be meaningless (hostile answer).
pub const MAX_DECIMALS: u8 = 36;
const MAX_SYMBOL_CHARS: usize = 16;
const MAX_NAME_CHARS: usize = 64;

/// A token Tender shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Token {
    /// The chain it lives on.
    pub chain_id: u64,
    /// The contract.
    #[serde(serialize_with = "crate::address::serialize_checksummed")]
    pub address: Address,
    /// Symbol, e.g. `USDC`.
    pub symbol: String,
    /// Name.
    pub name: String,
    /// Decimals (amounts are integers of 10^-decimals tokens).
    pub decimals: u8,
    /// The store's own token, shown first.
    pub featured: bool,
    /// From Tender's list (true) or added by the person (false: shown as unverified).
    pub verified: bool,
}

fn known(chain_id: u64, address: &str, symbol: &str, name: &str, decimals: u8, featured: bool) -> Option<Token> {
    let address = parse_address(address).ok()?;
    Some(Token { chain_id, address, symbol: symbol.into(), name: name.into(), decimals, featured, verified: true })
}

/// Tender's own token list for `chain_id`, the featured store token first.
pub fn builtin_tokens(chain_id: u64) -> Vec<Token> {
    let list: &[(&str, &str, &str, u8, bool)] = match chain_id {
        devnet::CHAIN_ID => &[
            ("0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35", "STORE", "Store Credit", 18, true),
            ("0xA15BB66138824a1c7167f5E85b957d04Dd34E468", "tUSD", "Test USD", 6, false),
        ],
        1 => &[
            ("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", "USDC", "USD Coin", 6, false),
            ("0xdAC17F958D2ee523a2206206994597C13D831ec7", "USDT", "Tether USD", 6, false),
        ],
        8453 => &[("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "USDC", "USD Coin", 6, false)],
        137 => &[("0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359", "USDC", "USD Coin", 6, false)],
        42161 => &[("0xaf88d065e77c8cC2239327C5EDb3A432268e5831", "USDC", "USD Coin", 6, false)],
        11_155_111 => &[("0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238", "USDC", "USD Coin", 6, false)],
        84532 => &[("0x036CbD53842c5426634e7929541eC2318f3dCF7e", "USDC", "USD Coin", 6, false)],
        _ => &[],
    };
    list.iter().filter_map(|(a, s, n, d, f)| known(chain_id, a, s, n, *d, *f)).collect()
}

/// The tokens Tender shows on `chain_id`: its own list (the featured store token first), then the
/// ones the person added.
pub fn known_tokens(db: &crate::db::Db, chain_id: u64) -> crate::Result<Vec<Token>> {
    let mut tokens = builtin_tokens(chain_id);
    tokens.extend(db.custom_tokens(chain_id)?);
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

/// Text from a contract, made safe to show (see [`crate::text::displayable`]); spaces removed from
/// symbols.
fn clean(text: &str, max: usize) -> String {
    crate::text::displayable(text, max)
}

/// Reads a token's symbol, name and decimals from the chain; the result is unverified.
/// A contract that does not answer as an ERC-20, or declares absurd decimals, is refused.
pub async fn read_token(client: &ChainClient, address: Address) -> Result<Token> {
    let not_token = |what: &str| Error::NotAToken { address, reason: what.to_owned() };
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
    Ok(Token { chain_id: client.network.chain_id, address, symbol, name, decimals, featured: false, verified: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lists_are_well_formed() {
        for chain in [devnet::CHAIN_ID, 1, 8453, 137, 42161, 11_155_111, 84532] {
            let tokens = builtin_tokens(chain);
            assert!(!tokens.is_empty(), "{chain}");
            assert!(tokens.iter().all(|t| t.verified && t.chain_id == chain));
        }
        // Every literal above is a correctly checksummed address (parse_address would drop a typo).
        assert_eq!(builtin_tokens(1).len(), 2);
        let dev = builtin_tokens(devnet::CHAIN_ID);
        assert!(dev[0].featured && dev[0].symbol == "STORE");
        assert_eq!(dev[0].address, devnet::STORE_TOKEN);
        assert_eq!(dev[1].address, devnet::STABLE_TOKEN);
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
