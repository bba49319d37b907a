//! Tokens and balances: the cache first, then the network.

use super::*;
use crate::chain::token_list;

/// One line of a portfolio.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Holding {
    /// The token, or `None` for the native currency.
    pub token: Option<Token>,
    /// Symbol.
    pub symbol: String,
    /// Name.
    pub name: String,
    /// Decimals.
    pub decimals: u8,
    /// Base units (zero when never read).
    #[serde(with = "crate::text::decimal")]
    pub amount: U256,
    /// Exact, in the asset's units.
    pub display: String,
    /// When it was read (Unix seconds), if ever.
    pub fetched_at: Option<u64>,
    /// The block it was read at, if ever.
    pub block_number: Option<u64>,
}

/// The balances of one account: the featured store token first, then the native currency, then the
/// other tokens.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Portfolio {
    /// The account.
    pub account: AccountInfo,
    /// Its holdings, in the order shown.
    pub holdings: Vec<Holding>,
}

/// Balances of some accounts, live or as last known.
#[derive(Debug, Clone)]
pub struct Portfolios {
    /// The network.
    pub network: Network,
    /// One per account asked.
    pub accounts: Vec<Portfolio>,
    /// Read from the network just now.
    pub live: bool,
    /// Requests it took (0 when not live).
    pub requests: u32,
    /// Why not live (the network's error code and message), for the offline banner.
    pub offline: Option<Notice>,
}

impl Session {
    // ----- tokens and balances -----

    /// The tokens known on the network in use: Tender's list, then the person's own (hidden ones too: a
    /// shop may still ask for one).
    pub async fn tokens(&self) -> Result<Vec<Token>> {
        let chain_id = self.network().await?.chain_id;
        let db = self.db().await?;
        token::known_tokens(&db, chain_id)
    }

    /// Hides the known token `token` from the balances (`hidden: false` shows it again). The store's
    /// featured token is always shown.
    pub async fn hide_token(&self, token: Address, hidden: bool) -> Result<()> {
        let known = self.tokens().await?.into_iter().find(|t| t.address == token);
        let Some(known) = known else { return Err(Error::Blocked(Blocker::UnknownToken { address: token })) };
        if known.featured && hidden {
            return Err(Error::InputMissing { what: "the store's own token is always shown".into() });
        }
        self.db().await?.hide_token(known.chain_id, token, hidden)
    }

    /// The tokens hidden from the balances on the network in use.
    pub async fn hidden_tokens(&self) -> Result<Vec<Token>> {
        let chain_id = self.network().await?.chain_id;
        let db = self.db().await?;
        let hidden = db.hidden_tokens(chain_id)?;
        Ok(token::known_tokens(&db, chain_id)?.into_iter().filter(|t| hidden.contains(&t.address)).collect())
    }

    /// The tokens the balances show: the known ones the shopper did not hide.
    fn shown_tokens(db: &Db, chain_id: u64) -> Result<Vec<Token>> {
        let hidden = db.hidden_tokens(chain_id)?;
        Ok(token::known_tokens(db, chain_id)?.into_iter().filter(|t| !hidden.contains(&t.address)).collect())
    }

    /// Takes the retailer's token list (`bytes`, the file as published) with its detached `signature`
    /// for the network in use: checked offline against the key Tender's network data pins for it ([`crate::chain::token_list`]);
    /// a list older than the one in use is refused. Its tokens then show as the retailer's.
    pub async fn import_token_list(&self, bytes: &[u8], signature: &str) -> Result<token_list::SignedList> {
        let network = self.network().await?;
        let data = crate::chain::network::network_data(network.chain_id).ok_or_else(|| Error::TokenListRefused {
            reason: format!("{} has no retailer token list", network.name),
        })?;
        let list = token_list::read(bytes, signature, data, &token::builtin_tokens(network.chain_id))?;
        let db = self.db().await?;
        let in_use = db.token_list(network.chain_id)?;
        token_list::check_newer(&list, in_use.as_ref().map(|(_, v, ..)| v.as_str()))?;
        let about = (list.name.as_str(), list.version.to_string(), list.timestamp.as_str(), list.signer);
        db.store_token_list(
            network.chain_id,
            (about.0, &about.1, about.2, about.3),
            &list.tokens,
            payment::now_secs(),
        )?;
        Ok(list)
    }

    /// The retailer's list in use on the network in use, if one was taken.
    pub async fn token_list(&self) -> Result<Option<token_list::ListInUse>> {
        let chain_id = self.network().await?.chain_id;
        let db = self.db().await?;
        let Some((name, version, timestamp, signer)) = db.token_list(chain_id)? else { return Ok(None) };
        Ok(Some(token_list::ListInUse { name, version, timestamp, signer, tokens: db.listed_tokens(chain_id)? }))
    }

    /// Adds the token at `address` (read from the chain; shown as unverified). False when it was
    /// listed already.
    pub async fn add_token(&self, address: Address) -> Result<(Token, bool)> {
        if let Some(known) = self.tokens().await?.into_iter().find(|t| t.address == address) {
            return Ok((known, false));
        }
        let client = self.client().await?;
        let token = token::read_token(&client, address).await?;
        let db = self.db().await?;
        db.add_custom_token(&token, payment::now_secs())?;
        Ok((token, true))
    }

    pub(super) fn portfolios(
        network: &Network,
        accounts: &[AccountInfo],
        tokens: &[Token],
        balances: &[CachedBalance],
    ) -> Vec<Portfolio> {
        accounts
            .iter()
            .map(|account| {
                let holding = |token: Option<&Token>| {
                    let cached =
                        balances.iter().find(|b| b.account == account.address && b.token == token.map(|t| t.address));
                    let (symbol, name, decimals) = match token {
                        Some(t) => (t.symbol.clone(), t.name.clone(), t.decimals),
                        None => (network.native.symbol.clone(), network.native.name.clone(), network.native.decimals),
                    };
                    let amount = cached.map(|b| b.amount).unwrap_or_default();
                    Holding {
                        token: token.cloned(),
                        symbol,
                        name,
                        decimals,
                        amount,
                        display: format_amount(amount, decimals),
                        fetched_at: cached.map(|b| b.fetched_at),
                        block_number: cached.map(|b| b.block_number),
                    }
                };
                let mut holdings: Vec<Holding> =
                    tokens.iter().filter(|t| t.featured).map(|t| holding(Some(t))).collect();
                holdings.push(holding(None));
                holdings.extend(tokens.iter().filter(|t| !t.featured).map(|t| holding(Some(t))));
                Portfolio { account: account.clone(), holdings }
            })
            .collect()
    }

    pub(super) async fn accounts_named(&self, index: Option<u32>) -> Result<Vec<AccountInfo>> {
        let all = self.accounts().await?;
        match index {
            None => Ok(all),
            Some(i) => Ok(vec![all.into_iter().find(|a| a.index == i).ok_or(Error::UnknownAccount { index: i })?]),
        }
    }

    /// The last known balances of account `index` (all accounts with `None`), from the database
    /// only: what a face paints first, without waiting for the network.
    pub async fn cached_portfolios(&self, index: Option<u32>) -> Result<Portfolios> {
        let accounts = self.accounts_named(index).await?;
        let network = self.network().await?;
        let db = self.db().await?;
        let db = &*db;
        let tokens = Self::shown_tokens(db, network.chain_id)?;
        let addresses: Vec<_> = accounts.iter().map(|a| a.address).collect();
        let cached = db.cached_balances(network.chain_id, &addresses)?;
        let accounts = Self::portfolios(&network, &accounts, &tokens, &cached);
        Ok(Portfolios { network, accounts, live: false, requests: 0, offline: None })
    }

    /// Reads the balances of account `index` (all with `None`) from the network in one request,
    /// stores and returns them; offline, the last known ones with the reason. A node that does not
    /// answer within [`LIVE_BALANCES_DEADLINE`] counts as offline (the faces show the cache's age
    /// instead of waiting).
    pub async fn portfolios_live(&self, index: Option<u32>) -> Result<Portfolios> {
        match tokio::time::timeout(LIVE_BALANCES_DEADLINE, self.portfolios_from_network(index)).await {
            Ok(read) => read,
            Err(_) => {
                self.drop_client().await;
                let mut cached = self.cached_portfolios(index).await?;
                let e = Error::RpcUnavailable { detail: "the network did not answer in time".into() };
                cached.offline = Some(Notice::from(&e));
                Ok(cached)
            }
        }
    }

    pub(super) async fn portfolios_from_network(&self, index: Option<u32>) -> Result<Portfolios> {
        let accounts = self.accounts_named(index).await?;
        let network = self.network().await?;
        let client = self.client().await;
        if let Err(e @ Error::ChainIdMismatch { .. }) = client {
            return Err(e);
        }
        let tokens = {
            let db = self.db().await?;
            Self::shown_tokens(&db, network.chain_id)?
        };
        let addresses: Vec<_> = accounts.iter().map(|a| a.address).collect();
        let token_addresses: Vec<_> = tokens.iter().map(|t| t.address).collect();
        // The database is not held while the network answers: the cache stays readable meanwhile.
        // Each group of accounts the privacy setting reads together is read and stored on its own.
        let privacy = self.privacy()?;
        let mut refresh: Option<Refresh> = None;
        for (n, group) in privacy.groups(&addresses).into_iter().enumerate() {
            if n > 0 {
                privacy.pause().await;
            }
            let live = balance::read_live(client.as_ref(), &group, &token_addresses).await?;
            let mut db = self.db().await?;
            let read = balance::store_live(live, network.chain_id, &mut db, &addresses, payment::now_secs())?;
            refresh = Some(match refresh {
                None => read,
                // Live only if every group was; the first reason not to be is kept.
                Some(before) => Refresh {
                    balances: read.balances,
                    live: before.live && read.live,
                    requests: before.requests + read.requests,
                    error: before.error.or(read.error),
                    error_code: before.error_code.or(read.error_code),
                },
            });
        }
        let refresh = match refresh {
            Some(r) => r,
            None => {
                let db = self.db().await?;
                Refresh {
                    balances: db.cached_balances(network.chain_id, &addresses)?,
                    live: false,
                    requests: 0,
                    error: None,
                    error_code: None,
                }
            }
        };
        if !refresh.live {
            self.drop_client().await;
        }
        let offline = refresh.error_code.map(|code| Notice {
            code,
            message: refresh.error.clone().unwrap_or_default(),
            params: Vec::new(),
        });
        let portfolios = Self::portfolios(&network, &accounts, &tokens, &refresh.balances);
        Ok(Portfolios { network, accounts: portfolios, live: refresh.live, requests: refresh.requests, offline })
    }
}
