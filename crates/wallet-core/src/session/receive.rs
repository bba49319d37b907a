//! Receiving and following the chain: requests to be paid, the block watcher.

use super::*;

/// A request to be paid to one of the accounts.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReceiveRequest {
    /// The account's address.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub address: Address,
    /// The `ethereum:` URI for the QR code.
    pub uri: String,
}

impl Session {
    // ----- receiving -----

    /// A request to pay account `index`: plain, or for `amount` (a decimal number in the asset's
    /// units) of `token` (`None`: the native currency) on the network in use.
    pub async fn receive_request(
        &self,
        index: u32,
        token: Option<Address>,
        amount: Option<&str>,
    ) -> Result<ReceiveRequest> {
        let address = self.account(index).await?.address;
        let network = self.network().await?;
        let mut request = PaymentRequest { chain_id: Some(network.chain_id), ..PaymentRequest::default() };
        request.recipient = Some(Target::Address(address));
        let decimals = match token {
            None => network.native.decimals,
            Some(t) => {
                let known = self.tokens().await?;
                let decimals = known.iter().find(|k| k.address == t).map(|k| k.decimals).ok_or(Error::Blocked(
                    Blocker::NotAToken {
                        address: t,
                        reason: "this token is not shown by the wallet on this network".into(),
                    },
                ))?;
                request.token = Some(Target::Address(t));
                decimals
            }
        };
        if let Some(a) = amount.map(str::trim).filter(|a| !a.is_empty()) {
            let value = token::parse_amount(a, decimals).ok_or(Error::InvalidAmount { decimals })?;
            if value.is_zero() {
                return Err(Error::InvalidAmount { decimals });
            }
            request.amount = Some(value);
        }
        Ok(ReceiveRequest { address, uri: request.to_uri() })
    }

    /// Follows the chain's head: calls `on_block` with each new block number, until it returns
    /// false. Polls every `poll` while the node answers, backing off (up to a minute) while it does
    /// not; waits, without connecting, while no network is in use yet (nothing is started for it).
    pub async fn watch_blocks(&self, poll: Duration, mut on_block: impl FnMut(u64) -> bool) {
        use alloy::providers::Provider;
        let mut last = None;
        let mut wait = poll;
        loop {
            tokio::time::sleep(wait).await;
            if lock(&self.shown).is_none() {
                continue;
            }
            let head = match self.client().await {
                Ok(c) => c.provider.get_block_number().await.ok(),
                Err(_) => None,
            };
            match head {
                Some(h) => {
                    wait = poll;
                    if Some(h) != last {
                        last = Some(h);
                        if !on_block(h) {
                            return;
                        }
                    }
                }
                None => {
                    // Reconnect next time, and back off while the network is down.
                    self.drop_client().await;
                    wait = (wait * 2).min(Duration::from_secs(60));
                }
            }
        }
    }
}
