//! The wallet: status, unlock and lock, create and restore (with discovery), accounts, the phrase,
//! the password, and deleting.

use super::*;

/// What a restore found and made.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Restored {
    /// The new wallet.
    pub wallet: WalletInfo,
    /// What discovery found, when it ran.
    pub discovery: Option<Discovery>,
    /// Why it did not run (no network, offline).
    pub notice: Option<Notice>,
}

impl Session {
    // ----- the wallet -----

    pub(super) fn open_wallet<'a>(&self, slot: &'a mut Option<Wallet>) -> Result<&'a mut Wallet> {
        if slot.is_none() {
            if !Wallet::exists(&self.dir) {
                return Err(Error::NoWallet { path: self.dir.clone() });
            }
            let dir = &self.dir;
            *slot = Some(blocking(|| Wallet::open_recorded(dir))?);
        }
        slot.as_mut().ok_or_else(|| Error::NoWallet { path: self.dir.clone() })
    }

    /// Where the wallet stands (never waits for the network).
    pub async fn status(&self) -> Result<Status> {
        let network = lock(&self.shown).clone();
        let mut slot = self.wallet.lock().await;
        if !Wallet::exists(&self.dir) && slot.is_none() {
            return Ok(Status { wallet: None, unlocked: false, network, retry_after_secs: 0 });
        }
        let w = self.open_wallet(&mut slot)?;
        Ok(Status {
            wallet: Some(w.info()),
            unlocked: w.is_unlocked(),
            network,
            retry_after_secs: w.retry_after_secs(),
        })
    }

    /// The wallet's accounts (public).
    pub async fn accounts(&self) -> Result<Vec<AccountInfo>> {
        let mut slot = self.wallet.lock().await;
        Ok(self.open_wallet(&mut slot)?.info().accounts)
    }

    /// The addresses of every account of the wallet.
    pub(super) async fn own_addresses(&self) -> Result<Vec<Address>> {
        Ok(self.accounts().await?.into_iter().map(|a| a.address).collect())
    }

    /// Account `index`.
    pub async fn account(&self, index: u32) -> Result<AccountInfo> {
        self.accounts().await?.into_iter().find(|a| a.index == index).ok_or(Error::UnknownAccount { index })
    }

    /// Unlocks with `password` (wrong guesses are slowed down by the wallet).
    pub async fn unlock(&self, password: &SecretString) -> Result<()> {
        let mut slot = self.wallet.lock().await;
        let w = self.open_wallet(&mut slot)?;
        blocking(|| w.unlock(password))
    }

    /// Unlocks, and returns the last known balances of account `index` (all with `None`) for the
    /// screen that follows: they are read from the database in the same call as the key is derived,
    /// so a face paints them as soon as the password is confirmed, without another round trip.
    /// Nothing is returned unless the password was right; `None` when the cache cannot be read
    /// (the screen then reads it itself and shows why).
    pub async fn unlock_to(&self, password: &SecretString, index: Option<u32>) -> Result<Option<Portfolios>> {
        let (cached, unlocked) = tokio::join!(self.cached_portfolios(index), self.unlock(password));
        unlocked?;
        Ok(cached.ok())
    }

    /// Locks now: every secret in memory is zeroized, and the quotes shown are forgotten (after
    /// unlocking, the person reviews a payment again). True when it was unlocked.
    pub async fn lock(&self) -> bool {
        lock(&self.quotes).clear();
        let mut slot = self.wallet.lock().await;
        match slot.as_mut() {
            Some(w) if w.is_unlocked() => {
                w.lock();
                true
            }
            _ => false,
        }
    }

    /// Creates a wallet protecting `secret` under `password`, with `accounts` accounts, its vault in
    /// `store` (default: the session's). It stays unlocked.
    pub async fn create(
        &self,
        secret: VaultSecret,
        password: &SecretString,
        accounts: u32,
        store: Option<StoreKind>,
    ) -> Result<WalletInfo> {
        crate::wallet::check_password(password)?;
        let mut slot = self.wallet.lock().await;
        if Wallet::exists(&self.dir) {
            return Err(Error::WalletExists { path: self.dir.clone() });
        }
        self.create_dir()?;
        let options = WalletOptions {
            store: store.unwrap_or(self.options.new_store),
            kdf: self.options.kdf,
            accounts,
            ..WalletOptions::default()
        };
        let wallet = blocking(|| Wallet::create(&self.dir, secret, password, &options))?;
        let info = wallet.info();
        *slot = Some(wallet);
        Ok(info)
    }

    /// Restores a wallet from `phrase` (and BIP39 `passphrase`): finds the accounts in use on the
    /// network (reporting `(scanned, used)` to `progress`), then creates it with at least
    /// `min_accounts` accounts. Without a reachable network, discovery is skipped with a notice.
    pub async fn restore(
        &self,
        phrase: RecoveryPhrase,
        passphrase: SecretString,
        password: &SecretString,
        min_accounts: u32,
        store: Option<StoreKind>,
        progress: impl FnMut(u32, usize),
    ) -> Result<Restored> {
        crate::wallet::check_password(password)?;
        if Wallet::exists(&self.dir) {
            return Err(Error::WalletExists { path: self.dir.clone() });
        }
        let (found, notice) = match self.client().await {
            Ok(client) => {
                let seed = phrase.to_seed(&passphrase);
                let tokens: Vec<_> = token::builtin_tokens(client.network.chain_id).iter().map(|t| t.address).collect();
                let privacy = self.privacy()?;
                match discovery::discover_with(
                    &client,
                    &seed,
                    AccountScheme::Bip44,
                    &tokens,
                    MAX_DISCOVERY,
                    privacy,
                    progress,
                )
                .await
                {
                    Ok(d) => (Some(d), None),
                    Err(e) => (None, Some(Notice::from(&e))),
                }
            }
            Err(e @ Error::ChainIdMismatch { .. }) => return Err(e),
            Err(e) => (None, Some(Notice::from(&e))),
        };
        let accounts = min_accounts.max(found.as_ref().map_or(1, |d| d.accounts));
        let wallet = self.create(VaultSecret { phrase, passphrase }, password, accounts, store).await?;
        Ok(Restored { wallet, discovery: found, notice })
    }

    /// Adds the next account (needs the wallet unlocked).
    pub async fn add_account(&self, label: Option<&str>) -> Result<AccountInfo> {
        let mut slot = self.wallet.lock().await;
        let w = self.open_wallet(&mut slot)?;
        blocking(|| w.add_account(label))
    }

    /// Renames account `index`.
    pub async fn rename_account(&self, index: u32, label: &str) -> Result<WalletInfo> {
        let mut slot = self.wallet.lock().await;
        let w = self.open_wallet(&mut slot)?;
        blocking(|| w.set_label(index, label))?;
        Ok(w.info())
    }

    /// The recovery phrase, for the password-guarded "show recovery phrase" screen.
    pub async fn reveal_phrase(&self, password: &SecretString) -> Result<SecretString> {
        let mut slot = self.wallet.lock().await;
        let w = self.open_wallet(&mut slot)?;
        blocking(|| w.reveal_phrase(password))
    }

    /// Sets the password `new` for a person who forgot theirs, proven by the wallet's recovery
    /// `phrase` (and `passphrase`): see [`Wallet::reset_password`]. The wallet is then unlocked.
    pub async fn reset_password(
        &self,
        phrase: RecoveryPhrase,
        passphrase: SecretString,
        new: &SecretString,
    ) -> Result<()> {
        let mut slot = self.wallet.lock().await;
        let w = self.open_wallet(&mut slot)?;
        let kdf = self.options.kdf;
        blocking(|| w.reset_password(VaultSecret { phrase, passphrase }, new, kdf))
    }

    /// Re-encrypts the vault under `new`.
    pub async fn change_password(&self, old: &SecretString, new: &SecretString) -> Result<()> {
        let mut slot = self.wallet.lock().await;
        let w = self.open_wallet(&mut slot)?;
        blocking(|| w.change_password(old, new))
    }

    /// Deletes the wallet from this device: only with its `password` (the owner, not someone at an
    /// unlocked screen), and only after the person confirmed the phrase is written down
    /// (`phrase_saved`). Nothing is deleted on a refusal.
    pub async fn delete(&self, password: &SecretString, phrase_saved: bool) -> Result<()> {
        if !phrase_saved {
            return Err(Error::ConfirmationRequired {
                what: "confirm that your recovery phrase is written down: it is the only way back to these funds"
                    .into(),
            });
        }
        let mut slot = self.wallet.lock().await;
        self.open_wallet(&mut slot)?;
        let Some(w) = slot.take() else { return Err(Error::NoWallet { path: self.dir.clone() }) };
        if let Err(e) = blocking(|| w.delete(password)) {
            // Nothing was deleted: the wallet stays open, as it was.
            let dir = &self.dir;
            *slot = blocking(|| Wallet::open_recorded(dir)).ok();
            return Err(e);
        }
        lock(&self.quotes).clear();
        Ok(())
    }

    /// Signs with the unlocked wallet under its lock (no network call is made while it is held).
    pub async fn with_unlocked<T>(&self, f: impl FnOnce(&Wallet) -> Result<T>) -> Result<T> {
        let mut slot = self.wallet.lock().await;
        let w = self.open_wallet(&mut slot)?;
        if !w.is_unlocked() {
            return Err(Error::Locked);
        }
        f(w)
    }
}
