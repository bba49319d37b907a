//! Who is asking to be paid, as far as this wallet knows: whether a payee was paid before, and
//! whether it merely *looks like* an address the wallet knows (address poisoning).
//!
//! Address poisoning: an attacker makes an address whose first and last characters match one the
//! victim uses (cheap to find by brute force), sends the victim a zero-value or dust transfer from
//! it, and waits for the victim to copy "the address from last time" out of the history. Tender
//! counters it three ways: a payee that looks like a known address, and is not it, gets a warning
//! that needs an explicit tick; such transfers are labelled in the history and hidden by default; and
//! a transfer that is dust or nothing never makes its sender "known".
//!
//! "Known" means: this wallet's own accounts, every payee it paid (on chain or gasless), and the
//! senders of transfers it received that were worth something (not dust).

use std::collections::HashMap;

use alloy::primitives::{Address, U256};

use crate::error::{Error, Result};
use crate::pay::payment::Warning;
use crate::store::{AuthorizationRecord, Db, PaymentRecord, Received};

/// Hex digits after `0x` that must match at the start for two addresses to look alike.
pub const LOOKALIKE_PREFIX: usize = 3;
/// Hex digits that must match at the end.
pub const LOOKALIKE_SUFFIX: usize = 3;

/// Whether `a` and `b` are different addresses that share their first [`LOOKALIKE_PREFIX`] and
/// last [`LOOKALIKE_SUFFIX`] hex digits: what a person checking "0x1a2…9f3" by eye would confuse.
///
/// Wallets abbreviate addresses to their first and last four or so digits, so poisoners match at
/// least those; matching three and three catches them and more. Two random addresses look alike
/// with probability 16⁻⁶ (about 1 in 17 million), so a wallet with a thousand counterparties sees a
/// false alarm about once in 17 000 wallets.
pub fn looks_like(a: Address, b: Address) -> bool {
    if a == b {
        return false;
    }
    let (a, b) = (a.0.0, b.0.0);
    // Nibbles: 40 hex digits, 20 bytes.
    let nibble = |bytes: &[u8; 20], i: usize| if i.is_multiple_of(2) { bytes[i / 2] >> 4 } else { bytes[i / 2] & 0x0f };
    (0..LOOKALIKE_PREFIX).all(|i| nibble(&a, i) == nibble(&b, i))
        && (40 - LOOKALIKE_SUFFIX..40).all(|i| nibble(&a, i) == nibble(&b, i))
}

/// Whether `amount` of an asset with `decimals` is dust: less than a hundredth of one unit (a cent
/// of a dollar-like token). Zero is dust.
pub fn is_dust(amount: U256, decimals: u8) -> bool {
    let hundredth = U256::from(10u8).pow(U256::from(decimals.saturating_sub(2)));
    amount < hundredth
}

/// What this wallet knows of one payee, for the confirmation sheet.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PayeeFacts {
    /// Payments to it from this wallet that paid or may still pay (on chain and gasless, any account).
    pub paid_before: u32,
    /// When the newest of them was made (Unix seconds).
    pub last_paid_at: Option<u64>,
    /// It is one of this wallet's own accounts.
    pub own_account: bool,
    /// The sheet points out that nothing was ever paid to it: an address given without a shop's order
    /// (typed, pasted, or a person's code), where a first payment is worth a second look. A shop's order
    /// (an order reference, or the shop's own checkout) is paid to an address the shop chose for it,
    /// new on every order by design: pointing that out each time would teach people to ignore it.
    pub first_payment_caution: bool,
}

/// Why a received transfer is suspect.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Suspicion {
    /// Its sender looks like an address this wallet knows, and is not it.
    Lookalike {
        /// The known address it imitates.
        #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
        #[cfg_attr(feature = "specta", specta(type = String))]
        looks_like: Address,
    },
    /// It moved nothing (a zero-value transfer: anyone can make one appear in anyone's history).
    ZeroValue,
}

/// Everyone this wallet has dealt with on one chain.
#[derive(Debug, Clone, Default)]
pub struct Counterparties {
    own: Vec<Address>,
    paid: HashMap<Address, (u32, u64)>,
    received_from: Vec<Address>,
}

impl Counterparties {
    /// Who the wallet with accounts `own` dealt with on `chain_id`; `decimals` gives each received
    /// asset's decimals (`None` for ether), to tell dust.
    pub fn load(db: &Db, chain_id: u64, own: &[Address], decimals: impl Fn(Option<Address>) -> u8) -> Result<Self> {
        let mut payments = Vec::new();
        let mut authorizations = Vec::new();
        let mut received = Vec::new();
        for &account in own {
            // A payment sped up or cancelled counts once, by its outcome; an approval and an NFT sent
            // paid no one.
            let paid = crate::pay::replace::collapse(db.payments(chain_id, account)?);
            let kinds = [crate::store::PaymentKind::Approval, crate::store::PaymentKind::NftTransfer];
            payments.extend(paid.into_iter().filter(|p| !kinds.contains(&p.kind)));
            authorizations.extend(db.authorizations(chain_id, account)?);
            received.extend(db.received(chain_id, account)?);
        }
        Ok(Self::of(own, &payments, &authorizations, &received, decimals))
    }

    /// The same, from records already read.
    pub fn of(
        own: &[Address],
        payments: &[PaymentRecord],
        authorizations: &[AuthorizationRecord],
        received: &[Received],
        decimals: impl Fn(Option<Address>) -> u8,
    ) -> Self {
        let mut paid: HashMap<Address, (u32, u64)> = HashMap::new();
        let mut count = |payee: Address, at: u64| {
            let entry = paid.entry(payee).or_insert((0, 0));
            entry.0 += 1;
            entry.1 = entry.1.max(at);
        };
        for p in payments.iter().filter(|p| p.status.may_have_paid()) {
            count(p.payee, p.created_at);
        }
        for a in authorizations.iter().filter(|a| a.status.may_have_paid()) {
            count(a.payee, a.created_at);
        }
        let mut received_from: Vec<Address> =
            received.iter().filter(|r| !is_dust(r.amount, decimals(r.token))).map(|r| r.from).collect();
        received_from.sort_unstable();
        received_from.dedup();
        Self { own: own.to_vec(), paid, received_from }
    }

    fn known(&self) -> impl Iterator<Item = Address> + '_ {
        self.own.iter().copied().chain(self.paid.keys().copied()).chain(self.received_from.iter().copied())
    }

    /// A known address that `payee` looks like without being it, if any.
    pub fn lookalike_of(&self, payee: Address) -> Option<Address> {
        // The payee itself being known does not clear it: a poisoner paid once is still a lookalike.
        self.known().filter(|&k| looks_like(payee, k)).min()
    }

    /// What the wallet knows of paying `payee`.
    pub fn facts(&self, payee: Address) -> PayeeFacts {
        let (paid_before, last) = self.paid.get(&payee).copied().unwrap_or((0, 0));
        PayeeFacts {
            paid_before,
            last_paid_at: (paid_before > 0).then_some(last),
            own_account: self.own.contains(&payee),
            first_payment_caution: false,
        }
    }

    /// Why the received transfer `r` is suspect, if it is.
    pub fn suspicion(&self, r: &Received) -> Option<Suspicion> {
        if let Some(known) = self.lookalike_of(r.from) {
            return Some(Suspicion::Lookalike { looks_like: known });
        }
        r.amount.is_zero().then_some(Suspicion::ZeroValue)
    }

    /// Whether the history hides the received transfer `r` by default: nothing or dust from an
    /// address that imitates a known one, and any zero-value transfer.
    pub fn hides(&self, r: &Received, decimals: u8) -> bool {
        match self.suspicion(r) {
            Some(Suspicion::ZeroValue) => true,
            Some(Suspicion::Lookalike { .. }) => is_dust(r.amount, decimals),
            None => false,
        }
    }
}

/// Sets the lookalike warning among `warnings` for paying `payee` (replacing an earlier one) and
/// returns what the wallet knows of the payee, for the sheet. Warnings are shown, not signed: no
/// digest changes.
pub fn judge(who: &Counterparties, payee: Address, warnings: &mut Vec<Warning>) -> PayeeFacts {
    warnings.retain(|w| !matches!(w, Warning::LookalikePayee { .. }));
    if let Some(known) = who.lookalike_of(payee) {
        warnings.push(Warning::LookalikePayee { looks_like: known });
    }
    who.facts(payee)
}

/// Refuses to pay despite a lookalike warning among `warnings` unless the person `acknowledged` it.
pub fn require_acknowledged(warnings: &[Warning], acknowledged: bool) -> Result<()> {
    match warnings.iter().find_map(|w| match w {
        Warning::LookalikePayee { looks_like } => Some(*looks_like),
        _ => None,
    }) {
        Some(looks_like) if !acknowledged => Err(Error::LookalikePayee { looks_like }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::primitives::{B256, address};

    const KNOWN: Address = address!("1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5");

    /// `a` with every digit but its first four and last four changed: what a poisoner makes.
    fn imitation(a: Address) -> Address {
        let mut bytes = a.0.0;
        for b in &mut bytes[2..18] {
            *b ^= 0xff;
        }
        Address::from(bytes)
    }

    /// `a` with hex digit `i` changed.
    fn with_digit_changed(a: Address, i: usize) -> Address {
        let mut bytes = a.0.0;
        bytes[i / 2] ^= if i.is_multiple_of(2) { 0x10 } else { 0x01 };
        Address::from(bytes)
    }

    fn received(from: Address, amount: u64) -> Received {
        Received {
            block_time: None,
            chain_id: 31337,
            account: Address::repeat_byte(0x77),
            token: Some(Address::repeat_byte(0x70)),
            from,
            amount: U256::from(amount),
            tx_hash: B256::repeat_byte(1),
            log_index: 0,
            block_number: 9,
        }
    }

    #[test]
    fn lookalikes_share_three_leading_and_three_trailing_digits_and_differ() {
        let poison = imitation(KNOWN);
        assert_ne!(poison, KNOWN);
        assert!(looks_like(KNOWN, poison) && looks_like(poison, KNOWN));
        assert!(!looks_like(KNOWN, KNOWN), "an address does not imitate itself");
        // Changed within the first three or the last three digits: not alike.
        for i in [0, 1, 2, 37, 38, 39] {
            assert!(!looks_like(KNOWN, with_digit_changed(poison, i)), "digit {i}");
        }
        // The fourth digit from either end is not compared.
        assert!(looks_like(KNOWN, with_digit_changed(poison, 3)) && looks_like(KNOWN, with_digit_changed(poison, 36)));
        // Letter case is display only: the checksummed and the lower-case forms are one address.
        let lower: Address = poison.to_checksum(None).to_lowercase().parse().expect("address");
        assert!(looks_like(KNOWN, lower));
    }

    #[test]
    fn dust_is_less_than_a_hundredth_of_a_unit() {
        assert!(is_dust(U256::ZERO, 18));
        assert!(is_dust(U256::from(10u64.pow(16) - 1), 18));
        assert!(!is_dust(U256::from(10u64.pow(16)), 18));
        assert!(is_dust(U256::from(9_999u64), 6));
        assert!(!is_dust(U256::from(10_000u64), 6));
        // Tokens with fewer than two decimals: only zero is dust.
        assert!(is_dust(U256::ZERO, 0) && !is_dust(U256::from(1u8), 0));
    }

    #[test]
    fn a_poisoner_sending_dust_is_never_known_and_is_hidden_and_labelled() {
        let me = Address::repeat_byte(0x77);
        let poison = imitation(KNOWN);
        let genuine = received(KNOWN, 5 * 10u64.pow(18));
        let dust = received(poison, 1);
        let zero = received(Address::repeat_byte(0x33), 0);
        let who = Counterparties::of(&[me], &[], &[], &[genuine.clone(), dust.clone(), zero.clone()], |_| 18);
        // The genuine sender is known and clean; its imitator is suspect and hidden.
        assert_eq!(who.lookalike_of(KNOWN), None, "the dust never made the poisoner known");
        assert_eq!(who.lookalike_of(poison), Some(KNOWN));
        assert_eq!(who.suspicion(&genuine), None);
        assert!(!who.hides(&genuine, 18));
        assert_eq!(who.suspicion(&dust), Some(Suspicion::Lookalike { looks_like: KNOWN }));
        assert!(who.hides(&dust, 18));
        // A zero-value transfer from anyone is labelled and hidden.
        assert_eq!(who.suspicion(&zero), Some(Suspicion::ZeroValue));
        assert!(who.hides(&zero, 18));
        // Real money from a lookalike is labelled, not hidden.
        let sizeable = received(poison, 10u64.pow(18));
        assert!(who.suspicion(&sizeable).is_some() && !who.hides(&sizeable, 18));
    }

    #[test]
    fn own_accounts_are_known_too() {
        let who = Counterparties::of(&[KNOWN], &[], &[], &[], |_| 18);
        assert_eq!(who.lookalike_of(imitation(KNOWN)), Some(KNOWN));
        assert!(who.facts(KNOWN).own_account);
        assert_eq!(
            who.facts(Address::repeat_byte(9)),
            PayeeFacts { paid_before: 0, last_paid_at: None, own_account: false, first_payment_caution: false }
        );
    }

    #[test]
    fn a_lookalike_payee_is_warned_and_refused_without_the_tick() {
        let who =
            Counterparties::of(&[Address::repeat_byte(0x77)], &[], &[], &[received(KNOWN, 10u64.pow(18))], |_| 18);
        let mut warnings = vec![Warning::LookalikePayee { looks_like: Address::repeat_byte(1) }];
        judge(&who, imitation(KNOWN), &mut warnings);
        assert_eq!(warnings, [Warning::LookalikePayee { looks_like: KNOWN }], "one warning, the current one");
        assert!(warnings[0].needs_ack());
        assert!(
            matches!(require_acknowledged(&warnings, false), Err(Error::LookalikePayee { looks_like }) if looks_like == KNOWN)
        );
        assert!(require_acknowledged(&warnings, true).is_ok());
        // The genuine address: no warning, nothing to tick.
        let mut clean = Vec::new();
        judge(&who, KNOWN, &mut clean);
        assert!(clean.is_empty() && require_acknowledged(&clean, false).is_ok());
    }
}
