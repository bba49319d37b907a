//! What a shopper takes away: a payment's **proof** (the request, the shop's signed offer and
//! receipt, the transaction, in one JSON document a merchant or a return desk can verify without
//! Tender) and the history as **CSV** for bookkeeping.

use alloy::primitives::B256;
use serde_json::{Value, json};

use super::{History, Session};
use crate::chain::network::Network;
use crate::chain::token::format_amount;
use crate::error::{Error, Result};
use crate::pay::offer::Paid;
use crate::session::Entry;

/// The proof document's format name (its version travels with it).
pub const PROOF_FORMAT: &str = "tender-payment-proof/1";

/// Seconds since the epoch as RFC 3339, UTC (`2026-12-07T13:05:00Z`).
fn date(secs: u64) -> String {
    i64::try_from(secs)
        .ok()
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn parsed(text: Option<&str>) -> Value {
    text.and_then(|t| serde_json::from_str(t).ok()).unwrap_or(Value::Null)
}

/// The proof of `paid` on `network` (its token's `symbol` and `decimals`).
pub fn proof(paid: &Paid, network: &Network, symbol: &str, decimals: u8) -> Value {
    let chain = format!("eip155:{}", network.chain_id);
    let tx = paid.tx_hash().map(|t| t.to_string());
    let common = json!({
        "network": chain,
        "payer": paid.account().to_checksum(None),
        "payee": paid.payee().to_checksum(None),
        "token": paid.token().map(|t| t.to_checksum(None)),
        "symbol": symbol,
        "decimals": decimals,
        "status": paid.status(),
        "transaction": tx,
        "explorer": paid.tx_hash().and_then(|h| network.explorer_tx_url(&h)),
        "signed_at": date(paid.created_at()),
    });
    let mut doc = match paid {
        Paid::OnChain(p) => json!({
            "format": PROOF_FORMAT,
            "kind": "on_chain",
            "request": { "uri": p.request_uri, "order": p.order },
            "payment": common,
            "amount": { "base_units": p.amount.to_string(), "display": format_amount(p.amount, decimals) },
            "block": p.block_number,
        }),
        Paid::Gasless(a) => json!({
            "format": PROOF_FORMAT,
            "kind": "gasless",
            "request": { "link": a.resource, "shop": a.domain, "description": a.description },
            "payment": common,
            "method": a.method,
            "authorization": {
                "nonce": a.nonce.to_string(),
                "amount": a.amount.to_string(),
                "valid_after": a.valid_after,
                "valid_before": a.valid_before,
            },
            "amount": {
                "base_units": paid.amount().to_string(),
                "display": format_amount(paid.amount(), decimals),
                "received_by_payee": a.received.map(|r| r.to_string()),
            },
            "block": a.block_number,
            "offer": parsed(a.offer.as_deref()),
            "receipt": parsed(a.receipt.as_deref()),
            "verify": {
                "offer": "EIP-712, domain {name: \"x402 offer\", version: \"1\", chainId: 1}, type Offer(uint256 version,string resourceUrl,string scheme,string network,string asset,string payTo,string amount,uint256 validUntil); its signer is below",
                "receipt": "EIP-712, domain {name: \"x402 receipt\", version: \"1\", chainId: 1}, type Receipt(uint256 version,string network,string resourceUrl,string payer,uint256 issuedAt,string transaction)",
                "signer": a.offer_signer.map(|s| s.to_checksum(None)),
                "transaction": "the token's Transfer from the payer to the payee in this transaction, on this network",
            },
        }),
    };
    if let Some(map) = doc.as_object_mut().filter(|m| m.get("offer").is_some_and(Value::is_null)) {
        map.remove("offer");
        map.remove("receipt");
    }
    doc
}

impl History {
    /// The history as CSV (RFC 4180, a header row, newest first): for bookkeeping. Only what moved
    /// is a debit or a credit (`moved`); amounts are exact decimals in the token's units.
    pub fn to_csv(&self) -> Result<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let csv_error = |e: csv::Error| Error::Internal { detail: format!("writing CSV: {e}") };
        w.write_record([
            "date",
            "account",
            "direction",
            "status",
            "moved",
            "amount",
            "symbol",
            "counterparty",
            "shop",
            "description",
            "method",
            "transaction",
            "network",
        ])
        .map_err(csv_error)?;
        for item in &self.items {
            let (direction, counterparty, shop, description, method, tx) = match &item.entry {
                Entry::Sent(paid) => {
                    let (shop, description, method) = match paid {
                        Paid::Gasless(a) => {
                            (a.domain.clone(), a.description.clone().unwrap_or_default(), a.method.as_str().to_owned())
                        }
                        Paid::OnChain(p) if p.kind == crate::store::PaymentKind::Approval => {
                            (String::new(), String::new(), "approval".into())
                        }
                        Paid::OnChain(p) => (String::new(), p.order.clone().unwrap_or_default(), "transaction".into()),
                    };
                    let tx = paid.tx_hash().map(|t| t.to_string()).unwrap_or_default();
                    ("sent", paid.payee().to_checksum(None), shop, description, method, tx)
                }
                Entry::Received { transfer, .. } => (
                    "received",
                    transfer.from.to_checksum(None),
                    String::new(),
                    String::new(),
                    "transfer".into(),
                    transfer.tx_hash.to_string(),
                ),
            };
            w.write_record([
                date(item.time()),
                item.account_index.to_string(),
                direction.into(),
                item.status().as_str().into(),
                item.moved().to_string(),
                item.amount_display.clone(),
                item.symbol.clone(),
                counterparty,
                shop,
                description,
                method,
                tx,
                self.network.name.clone(),
            ])
            .map_err(csv_error)?;
        }
        let bytes = w.into_inner().map_err(|e| Error::Internal { detail: format!("writing CSV: {e}") })?;
        String::from_utf8(bytes).map_err(|e| Error::Internal { detail: format!("writing CSV: {e}") })
    }
}

impl Session {
    /// The proof of payment `id` (a transaction hash, or a gasless payment's authorization nonce), as
    /// stored: nothing is asked of the network.
    pub async fn payment_proof(&self, id: B256) -> Result<Value> {
        let network = self.network().await?;
        let db = self.db().await?;
        let paid: Paid = match (db.authorization(&id)?, db.payment(&id)?) {
            (Some(a), _) => a.into(),
            (None, Some(p)) => p.into(),
            (None, None) => return Err(Error::UnknownPayment { tx_hash: id }),
        };
        let tokens = crate::chain::token::known_tokens(&db, network.chain_id)?;
        let (symbol, decimals) = super::asset_of(&network, &tokens, paid.token());
        Ok(proof(&paid, &network, &symbol, decimals))
    }

    /// Saves the proof of payment `id` ([`Session::payment_proof`]) as pretty JSON in the folder
    /// `dir` (a face's downloads folder), named after the payment (`tender-proof-…json`; saved again,
    /// it is replaced). Returns the file's path.
    pub async fn save_payment_proof(&self, id: B256, dir: &std::path::Path) -> Result<std::path::PathBuf> {
        let proof = self.payment_proof(id).await?;
        let text =
            serde_json::to_string_pretty(&proof).map_err(|e| Error::Internal { detail: format!("the proof: {e}") })?;
        std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
        let path = dir.join(format!("tender-proof-{}.json", &alloy::hex::encode(id)[..16]));
        crate::vault::atomic::write(&path, format!("{text}\n").as_bytes())?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc3339_utc() {
        assert_eq!(date(0), "1970-01-01T00:00:00Z");
        assert_eq!(date(1_796_648_700), "2026-12-07T13:05:00Z");
    }
}
