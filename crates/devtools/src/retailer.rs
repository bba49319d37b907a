//! The retailer's signed token list for the dev chain (`crates/devtools/retailer/`): a Uniswap-format
//! token list that vouches for the second stablecoin ([`crate::devnet::PLAIN_STABLE`]), and its detached
//! signature, made with foundry's `cast wallet sign` (EIP-191, the file's exact bytes as hex) by the
//! retailer's dev key (anvil account 7, [`crate::devnet::RECEIPT_MINTER_KEY`]), whose address Tender's
//! network data pins for the dev chain. To change the list, sign it again:
//! `cast wallet sign --private-key <key> 0x$(xxd -p tokenlist.json | tr -d '\n') > tokenlist.json.sig`.

/// The list, byte for byte as signed.
pub const TOKEN_LIST: &[u8] = include_bytes!("../retailer/tokenlist.json");
/// Its detached signature (65 bytes in hex).
pub const TOKEN_LIST_SIGNATURE: &str = include_str!("../retailer/tokenlist.json.sig");

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::signers::SignerSync as _;

    /// The committed signature is the retailer key's signature of the committed file (cast made it;
    /// alloy makes the same one, RFC 6979), and the core takes the list, vouching for tEUR only.
    #[test]
    fn the_committed_list_is_signed_by_the_pinned_key() {
        let key = crate::devnet::receipt_minter().expect("key");
        let again = key.sign_message_sync(TOKEN_LIST).expect("sign").to_string();
        assert_eq!(again, TOKEN_LIST_SIGNATURE.trim(), "sign the list again (see the module's doc)");
        let network = wallet_core::chain::network::network_data(crate::devnet::CHAIN_ID).expect("dev chain");
        assert_eq!(network.token_list_signer, Some(key.address()));
        let builtin = wallet_core::chain::token::builtin_tokens(crate::devnet::CHAIN_ID);
        let list =
            wallet_core::chain::token_list::read(TOKEN_LIST, TOKEN_LIST_SIGNATURE, network, &builtin).expect("taken");
        let listed: Vec<_> = list.tokens.iter().map(|t| (t.symbol.as_str(), t.address, t.decimals)).collect();
        let euro = crate::devnet::PLAIN_STABLE;
        assert_eq!(listed, [(euro.symbol, euro.address, euro.decimals)]);
        assert!(list.left_out.is_empty(), "{:?}", list.left_out);
    }
}
