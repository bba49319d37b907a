//! Ethereum addresses as people paste them: EIP-55 checksums enforced whenever the case is mixed.

use alloy::primitives::Address;

use crate::error::{Error, Result};

/// Parses a `0x`-prefixed 40-hex-digit address. All-lowercase and all-uppercase hex carry no
/// checksum and are accepted; mixed case must be a correct EIP-55 checksum, so a mistyped
/// character is caught instead of sending funds to the wrong address.
pub fn parse_address(text: &str) -> Result<Address> {
    let invalid = |reason: &str| Error::InvalidAddress { reason: reason.to_owned() };
    let hex = text.strip_prefix("0x").ok_or_else(|| invalid("an address starts with 0x"))?;
    if hex.len() != 40 {
        return Err(invalid("an address has 40 hexadecimal digits after 0x"));
    }
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid("an address has only the digits 0-9 and a-f"));
    }
    let address: Address = text.parse().map_err(|_| invalid("not an address"))?;
    let has_lower = hex.bytes().any(|b| b.is_ascii_lowercase());
    let has_upper = hex.bytes().any(|b| b.is_ascii_uppercase());
    if has_lower && has_upper && address.to_checksum(None) != text {
        return Err(Error::BadAddressChecksum);
    }
    Ok(address)
}

pub use crate::text::serialize_checksummed;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_are_enforced_only_on_mixed_case() {
        let good = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        assert_eq!(parse_address(good).expect("good").to_checksum(None), good);
        assert!(parse_address(&good.to_lowercase()).is_ok());
        assert!(parse_address(&format!("0x{}", good[2..].to_uppercase())).is_ok());
        assert!(matches!(parse_address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"), Err(Error::BadAddressChecksum)));
        for bad in [
            "",
            "0x",
            "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
            "0X5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
            "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae",
            "0xg aeb6053f3e94c9b9a09f33669435e7ef1beaed",
        ] {
            assert!(matches!(parse_address(bad), Err(Error::InvalidAddress { .. })), "{bad:?}");
        }
    }
}
