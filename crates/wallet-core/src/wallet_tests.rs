use super::*;
use crate::keys::mnemonic::{Language, RecoveryPhrase};
use crate::vault::atomic::{CRASH_AT, CrashPoint};
use crate::vault::keyring::{Fault, MemoryStore};

const PW: &str = "correct horse battery";
const DEV: &str = "test test test test test test test test test test test junk";

fn fast(store: StoreKind) -> WalletOptions {
    WalletOptions { store, kdf: KdfParams::INSECURE_TEST_ONLY, accounts: 2, ..WalletOptions::default() }
}

fn secret(phrase: &str, passphrase: &str) -> VaultSecret {
    VaultSecret { phrase: RecoveryPhrase::parse(phrase).expect("phrase"), passphrase: passphrase.into() }
}

fn dev_wallet(dir: &Path) -> Wallet {
    Wallet::create(dir, secret(DEV, ""), &PW.into(), &fast(StoreKind::File)).expect("create")
}

#[test]
fn create_lock_unlock_round_trip_with_file_store() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut w = dev_wallet(tmp.path());
    assert!(w.is_unlocked());
    let info = w.info();
    assert_eq!(info.accounts.len(), 2);
    assert_eq!(info.accounts[0].address.to_checksum(None), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assert_eq!(info.accounts[1].address.to_checksum(None), "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    w.lock();
    assert!(matches!(w.signer(0), Err(Error::Locked)));

    let mut w = Wallet::open(tmp.path(), StoreKind::File).expect("open");
    assert!(!w.is_unlocked());
    w.unlock(&PW.into()).expect("unlock");
    assert_eq!(w.signer(1).expect("signer").address(), info.accounts[1].address);
    assert_eq!(w.reveal_phrase(&PW.into()).expect("phrase").expose(), DEV);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for name in [METADATA_FILE, FileStore::FILE_NAME] {
            let mode = std::fs::metadata(tmp.path().join(name)).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
    }
}

#[test]
fn opening_with_the_other_store_is_refused_with_a_hint() {
    let tmp = tempfile::tempdir().expect("tmp");
    dev_wallet(tmp.path());
    let err = Wallet::open(tmp.path(), StoreKind::Keyring).expect_err("mismatch");
    assert!(matches!(err, Error::StoreMismatch { actual: StoreKind::File, requested: StoreKind::Keyring }));
    assert!(err.to_string().contains("--store file"));
    assert!(matches!(Wallet::open(&tmp.path().join("nope"), StoreKind::File), Err(Error::NoWallet { .. })));
}

#[test]
fn create_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().expect("tmp");
    dev_wallet(tmp.path());
    let before = std::fs::read(tmp.path().join(FileStore::FILE_NAME)).expect("vault");
    let again = Wallet::create(tmp.path(), secret(DEV, "x"), &PW.into(), &fast(StoreKind::File));
    assert!(matches!(again, Err(Error::WalletExists { .. })));
    assert_eq!(std::fs::read(tmp.path().join(FileStore::FILE_NAME)).expect("vault"), before);
    // Leftover vault without metadata (an interrupted create): still never overwritten.
    std::fs::remove_file(tmp.path().join(METADATA_FILE)).expect("rm");
    let again = Wallet::create(tmp.path(), secret(DEV, "x"), &PW.into(), &fast(StoreKind::File));
    assert!(matches!(again, Err(Error::WalletExists { .. })));
}

#[test]
fn weak_passwords_are_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    // Long enough, and among the first a thief tries (defect 13: "password" was accepted).
    for pw in ["", "short", "        ", "password", "Password1", "qwertyuiop", "12345678", "tender2026", "aaaaaaaaaaaa"]
    {
        let r = Wallet::create(tmp.path(), secret(DEV, ""), &pw.into(), &fast(StoreKind::File));
        assert!(matches!(r, Err(Error::WeakPassword { .. })), "{pw:?}");
    }
    assert!(!Wallet::exists(tmp.path()));
}

#[test]
fn password_strength_follows_zxcvbn_from_guessable_to_strong() {
    use crate::wallet::password_strength;
    let s = |p: &str| password_strength(&p.into());
    assert_eq!(s("password"), 0);
    assert!(s("Password1") <= 1);
    assert!(s("correct horse battery") >= 3, "{}", s("correct horse battery"));
    assert!(s("T3nder!Shop#2026-x") >= 3);
    assert_eq!(s("Tr0ub4dor&3 but much longer and stranger ✓"), 4);
    assert_eq!(s(&"x".repeat(10_000)), s(&"x".repeat(100)), "long input is cut, not slow");
}

#[test]
fn wrong_passwords_are_counted_and_delayed_across_restarts() {
    let tmp = tempfile::tempdir().expect("tmp");
    dev_wallet(tmp.path());
    let mut w = Wallet::open(tmp.path(), StoreKind::File).expect("open");
    for _ in 0..FREE_ATTEMPTS {
        assert!(matches!(w.unlock(&"wrong password".into()), Err(Error::WrongPassword)));
    }
    // A restart does not reset the count: the next attempt must wait, even with the right password.
    let mut w = Wallet::open(tmp.path(), StoreKind::File).expect("reopen");
    match w.unlock(&PW.into()) {
        Err(Error::TooManyAttempts { retry_after_secs }) => assert!((1..=1).contains(&retry_after_secs)),
        other => panic!("expected TooManyAttempts, got {other:?}"),
    }
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert!(matches!(w.unlock(&"wrong again".into()), Err(Error::WrongPassword)));
    assert!(w.retry_after_secs() >= 1, "the delay grows after a fourth failure");
    std::thread::sleep(std::time::Duration::from_millis(2100));
    w.unlock(&PW.into()).expect("right password after the delay");
    assert_eq!(w.retry_after_secs(), 0);
    let store = FileStore::new(tmp.path());
    let record = Throttle::load(&store, &read_meta(tmp.path()).expect("meta")).expect("record");
    assert_eq!(record, Throttle::default(), "success resets the count");
}

/// Audit finding: the counter lived in plain `wallet.json` (deleting two fields reset it) and was
/// checked on a stale in-memory copy (8 processes in parallel = 8 guesses per step).
#[test]
fn the_wrong_password_count_survives_editing_the_data_folder_and_parallel_attempts() {
    let tmp = tempfile::tempdir().expect("tmp");
    let store = MemoryStore::new();
    Wallet::create_in(tmp.path(), Box::new(store.clone()), secret(DEV, ""), &PW.into(), &fast(StoreKind::Memory))
        .expect("create");
    // Eight handles opened before any failure (eight processes), all guessing at once.
    let handles: Vec<_> = (0..8).map(|_| Wallet::open_in(tmp.path(), Box::new(store.clone())).expect("open")).collect();
    let results: Vec<_> = std::thread::scope(|scope| {
        let runs: Vec<_> = handles
            .into_iter()
            .enumerate()
            .map(|(i, mut w)| scope.spawn(move || w.unlock(&format!("wrong guess {i}").into()).err()))
            .collect();
        runs.into_iter().map(|r| r.join().expect("thread")).collect()
    });
    let guesses = results.iter().filter(|e| matches!(e, Some(Error::WrongPassword))).count();
    let refused = results.iter().filter(|e| matches!(e, Some(Error::TooManyAttempts { .. }))).count();
    assert_eq!((guesses, refused), (FREE_ATTEMPTS as usize, 8 - FREE_ATTEMPTS as usize), "{results:?}");

    // Rewriting wallet.json (its old counter fields gone) resets nothing: the count is in the store.
    let meta = read_meta(tmp.path()).expect("meta");
    atomic::write(&tmp.path().join(METADATA_FILE), &serde_json::to_vec(&meta).expect("json")).expect("rewrite");
    let mut w = Wallet::open_in(tmp.path(), Box::new(store.clone())).expect("open");
    assert!(matches!(w.unlock(&PW.into()), Err(Error::TooManyAttempts { .. })));
    // A garbled record is the worst case, not a reset.
    store.save_throttle(b"{garbage").expect("tamper");
    let mut w = Wallet::open_in(tmp.path(), Box::new(store.clone())).expect("open");
    assert!(matches!(w.unlock(&PW.into()), Err(Error::TooManyAttempts { retry_after_secs }) if retry_after_secs > 60));
}

/// Audit finding: two processes on one data folder overwrote each other's metadata.
#[test]
fn two_handles_on_one_folder_keep_each_others_changes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut a = dev_wallet(tmp.path());
    let mut b = Wallet::open(tmp.path(), StoreKind::File).expect("open");
    b.unlock(&PW.into()).expect("unlock");
    a.set_label(0, "From A").expect("label");
    let added = b.add_account(Some("From B")).expect("add");
    b.set_label(1, "Renamed by B").expect("label");
    a.set_label(added.index, "B's account, renamed by A").expect("a sees b's account");
    let labels: Vec<_> =
        Wallet::read_info(tmp.path()).expect("info").accounts.iter().map(|x| x.label.clone()).collect();
    assert_eq!(labels, ["From A", "Renamed by B", "B's account, renamed by A"]);
}

/// Audit finding: NFC and NFD forms of "Café" were different passwords.
#[test]
fn passwords_are_compared_in_one_unicode_form() {
    let tmp = tempfile::tempdir().expect("tmp");
    let nfc = "Café au lait 42";
    let nfd = "Cafe\u{301} au lait 42";
    Wallet::create(tmp.path(), secret(DEV, ""), &nfc.into(), &fast(StoreKind::File)).expect("create");
    let mut w = Wallet::open(tmp.path(), StoreKind::File).expect("open");
    w.unlock(&nfd.into()).expect("the decomposed form is the same password");
}

#[test]
fn change_password_re_encrypts_and_old_password_stops_working() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut w = dev_wallet(tmp.path());
    let before = std::fs::read(tmp.path().join(FileStore::FILE_NAME)).expect("vault");
    assert!(matches!(w.change_password(&"not it at all".into(), &"new password 1".into()), Err(Error::WrongPassword)));
    assert!(matches!(w.change_password(&PW.into(), &"short".into()), Err(Error::WeakPassword { .. })));
    assert_eq!(std::fs::read(tmp.path().join(FileStore::FILE_NAME)).expect("vault"), before);
    w.change_password(&PW.into(), &"new password 1".into()).expect("change");
    let after = std::fs::read(tmp.path().join(FileStore::FILE_NAME)).expect("vault");
    assert_ne!(before[18..58], after[18..58], "fresh salt and nonce");
    let mut w = Wallet::open(tmp.path(), StoreKind::File).expect("open");
    assert!(matches!(w.unlock(&PW.into()), Err(Error::WrongPassword)));
    w.unlock(&"new password 1".into()).expect("new works");
}

#[test]
fn interrupted_writes_leave_a_loadable_vault() {
    for point in [CrashPoint::AfterCreate, CrashPoint::MidWrite, CrashPoint::BeforeRename, CrashPoint::AfterRename] {
        let tmp = tempfile::tempdir().expect("tmp");
        let mut w = dev_wallet(tmp.path());
        CRASH_AT.with(|c| c.set(Some(point)));
        let result = w.change_password(&PW.into(), &"new password 1".into());
        CRASH_AT.with(|c| c.set(None));
        assert!(result.is_err() || point == CrashPoint::AfterRename, "{point:?}");
        // The process "restarts": whichever vault is on disk opens with its own password.
        let mut w = Wallet::open(tmp.path(), StoreKind::File).expect("open");
        let expected = if point == CrashPoint::AfterRename { "new password 1" } else { PW };
        w.unlock(&expected.into()).unwrap_or_else(|e| panic!("{point:?}: {e}"));
        // The next write cleans up the temporary file the crash left.
        w.set_label(0, "Shopping").expect("label");
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("dir")
            .flatten()
            .filter(|e| {
                e.file_name().to_string_lossy().contains(".tmp-")
                    && e.file_name().to_string_lossy().contains("wallet.json")
            })
            .collect();
        assert!(leftovers.is_empty(), "{point:?}");
    }
}

#[test]
fn corrupt_vault_is_reported_and_left_untouched() {
    let tmp = tempfile::tempdir().expect("tmp");
    dev_wallet(tmp.path());
    let path = tmp.path().join(FileStore::FILE_NAME);
    let original = std::fs::read(&path).expect("vault");
    for i in 0..original.len() {
        let mut bad = original.clone();
        bad[i] ^= 0x20;
        std::fs::write(&path, &bad).expect("write");
        let mut w = Wallet::open(tmp.path(), StoreKind::File).expect("open");
        match w.unlock(&PW.into()) {
            Err(Error::WrongPassword | Error::VaultCorrupt { .. } | Error::UnsupportedVaultVersion { .. }) => {}
            other => panic!("byte {i}: {other:?}"),
        }
        assert_eq!(std::fs::read(&path).expect("vault"), bad, "byte {i}: never overwritten");
        // Reset the throttle so the loop measures the vault, not the delay.
        FileStore::new(tmp.path()).save_throttle(b"{\"failed\":0,\"last\":0}").expect("reset");
    }
}

#[test]
fn corrupt_metadata_is_a_clear_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    dev_wallet(tmp.path());
    for junk in [&b""[..], b"{", b"[]", b"{\"format\":1}", b"\xff\xfe"] {
        std::fs::write(tmp.path().join(METADATA_FILE), junk).expect("write");
        assert!(matches!(Wallet::open(tmp.path(), StoreKind::File), Err(Error::MetadataCorrupt { .. })));
    }
}

#[test]
fn a_vault_from_another_wallet_is_rejected() {
    let a = tempfile::tempdir().expect("a");
    let b = tempfile::tempdir().expect("b");
    dev_wallet(a.path());
    let other = RecoveryPhrase::generate(12, Language::English).expect("phrase");
    Wallet::create(b.path(), VaultSecret { phrase: other, passphrase: "".into() }, &PW.into(), &fast(StoreKind::File))
        .expect("b");
    std::fs::copy(b.path().join(FileStore::FILE_NAME), a.path().join(FileStore::FILE_NAME)).expect("swap");
    let mut w = Wallet::open(a.path(), StoreKind::File).expect("open");
    assert!(matches!(w.unlock(&PW.into()), Err(Error::VaultCorrupt { .. })));
}

/// From the audit: only the first account's address was checked on unlock, so another program of
/// the same user could swap account 2's receive address in `wallet.json` and have it shown.
#[test]
fn a_swapped_address_of_any_account_is_caught_on_unlock() {
    let tmp = tempfile::tempdir().expect("tmp");
    let w = dev_wallet(tmp.path());
    let second = w.info().accounts[1].address.to_checksum(None);
    drop(w);
    let path = tmp.path().join(METADATA_FILE);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(&second), "the metadata lists account 2's address");
    let thief = alloy::primitives::Address::repeat_byte(0x66).to_checksum(None);
    std::fs::write(&path, text.replace(&second, &thief)).expect("swap");
    let mut w = Wallet::open(tmp.path(), StoreKind::File).expect("open");
    match w.unlock(&PW.into()) {
        Err(Error::VaultCorrupt { reason }) => assert!(reason.contains("account 2"), "{reason}"),
        other => panic!("a swapped address must be refused, got {other:?}"),
    }
}

/// From the audit: a FIFO or `/dev/zero` in place of a data-folder file hung the app (a FIFO blocks
/// the open until a writer comes; `/dev/zero` never ends). Both are an error at once now.
#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_in_place_of_a_data_file_is_an_error_not_a_hang() {
    let tmp = tempfile::tempdir().expect("tmp");
    drop(dev_wallet(tmp.path()));
    let meta = tmp.path().join(METADATA_FILE);
    for replace in ["fifo", "device"] {
        std::fs::remove_file(&meta).expect("remove");
        if replace == "fifo" {
            let made = std::process::Command::new("mkfifo").arg(&meta).status().expect("mkfifo");
            assert!(made.success());
        } else {
            std::os::unix::fs::symlink("/dev/zero", &meta).expect("symlink");
        }
        let dir = tmp.path().to_owned();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(Wallet::open(&dir, StoreKind::File).map(|_| ())));
        let opened =
            rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap_or_else(|_| panic!("{replace}: it hung"));
        assert!(matches!(opened, Err(Error::Io { .. })), "{replace}: {opened:?}");
    }
}

#[test]
fn keyring_faults_surface_as_typed_errors() {
    // Mock store: a real keyring cannot be made to be locked or to vanish on demand.
    let tmp = tempfile::tempdir().expect("tmp");
    let store = MemoryStore::new();
    let opts = fast(StoreKind::Memory);
    store.set_fault(Some(Fault::Unavailable));
    let r = Wallet::create_in(tmp.path(), Box::new(store.clone()), secret(DEV, ""), &PW.into(), &opts);
    assert!(matches!(r, Err(Error::KeyringUnavailable { .. })));
    assert!(!Wallet::exists(tmp.path()), "nothing half-written");

    store.set_fault(None);
    Wallet::create_in(tmp.path(), Box::new(store.clone()), secret(DEV, ""), &PW.into(), &opts).expect("create");
    let mut w = Wallet::open_in(tmp.path(), Box::new(store.clone())).expect("open");
    store.set_fault(Some(Fault::Locked));
    assert!(matches!(w.unlock(&PW.into()), Err(Error::KeyringLocked { .. })));
    store.set_fault(Some(Fault::ReadOnly));
    assert!(matches!(w.change_password(&PW.into(), &"new password 1".into()), Err(Error::Keyring { .. })));
    store.set_fault(None);
    w.unlock(&PW.into()).expect("old password still works after the refused write");
    store.set_raw(None);
    let mut w = Wallet::open_in(tmp.path(), Box::new(store.clone())).expect("open");
    assert!(matches!(w.unlock(&PW.into()), Err(Error::VaultMissing { store: StoreKind::Memory })));
}

#[test]
fn accounts_and_labels() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut w = dev_wallet(tmp.path());
    let third = w.add_account(Some("  Groceries ")).expect("add");
    assert_eq!((third.index, third.label.as_str()), (2, "Groceries"));
    assert_eq!(third.address.to_checksum(None), "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
    assert!(matches!(w.set_label(9, "x"), Err(Error::UnknownAccount { index: 9 })));
    assert!(matches!(w.set_label(0, ""), Err(Error::InvalidLabel { .. })));
    assert!(matches!(w.set_label(0, "a\nb"), Err(Error::InvalidLabel { .. })));
    w.set_label(0, "Main").expect("label");
    w.lock();
    assert!(matches!(w.add_account(None), Err(Error::Locked)));
    let w = Wallet::open(tmp.path(), StoreKind::File).expect("open");
    let labels: Vec<_> = w.info().accounts.iter().map(|a| a.label.clone()).collect();
    assert_eq!(labels, ["Main", "Account 2", "Groceries"]);
    // A face words the default name in the person's language: only a name given is the person's.
    let given: Vec<_> = w.info().accounts.iter().map(|a| a.given_label().map(str::to_owned)).collect();
    assert_eq!(given, [Some("Main".to_owned()), None, Some("Groceries".to_owned())]);
}

#[test]
fn delete_removes_vault_and_metadata() {
    let tmp = tempfile::tempdir().expect("tmp");
    let w = dev_wallet(tmp.path());
    let w = match w.delete(&"not the password".into()) {
        Err(Error::WrongPassword) => Wallet::open(tmp.path(), StoreKind::File).expect("still there"),
        other => panic!("deleting needs the password: {other:?}"),
    };
    assert!(Wallet::exists(tmp.path()), "a wrong password deletes nothing");
    w.delete(&PW.into()).expect("delete");
    assert!(!Wallet::exists(tmp.path()));
    assert!(!tmp.path().join(FileStore::FILE_NAME).exists());
    dev_wallet(tmp.path());
}

/// Issue 21: the lock screen offered no way back for a person who forgot the password. The recovery
/// phrase proves ownership instead; another phrase, or the right one with another passphrase, changes
/// nothing.
#[test]
fn a_forgotten_password_is_replaced_with_the_wallets_own_phrase_and_no_other() {
    let tmp = tempfile::tempdir().expect("tmp");
    drop(Wallet::create(tmp.path(), secret(DEV, "pepper"), &PW.into(), &fast(StoreKind::File)).expect("create"));
    let mut w = Wallet::open(tmp.path(), StoreKind::File).expect("open");
    w.set_label(0, "Main").expect("a name of its own");
    let before = w.info();
    for _ in 0..FREE_ATTEMPTS + 1 {
        let _ = w.unlock(&"a forgotten guess".into());
    }
    assert!(w.retry_after_secs() > 0, "locked out by wrong guesses");
    let new = "a brand new passphrase 2026";
    let other = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    for (phrase, passphrase) in [(other, "pepper"), (DEV, ""), (DEV, "salt")] {
        let err = w.reset_password(secret(phrase, passphrase), &new.into(), KdfParams::INSECURE_TEST_ONLY);
        assert!(matches!(err, Err(Error::PhraseNotThisWallet)), "{phrase} / {passphrase:?}");
        assert!(!w.is_unlocked());
    }
    assert!(matches!(
        w.reset_password(secret(DEV, "pepper"), &"short".into(), KdfParams::INSECURE_TEST_ONLY),
        Err(Error::WeakPassword { .. })
    ));
    w.reset_password(secret(DEV, "pepper"), &new.into(), KdfParams::INSECURE_TEST_ONLY).expect("reset");
    assert!(w.is_unlocked() && w.retry_after_secs() == 0, "unlocked, the wrong guesses forgotten");
    let mut again = Wallet::open(tmp.path(), StoreKind::File).expect("reopen");
    assert!(matches!(again.unlock(&PW.into()), Err(Error::WrongPassword)), "the old password is gone");
    again.unlock(&new.into()).expect("the new password");
    assert_eq!(again.info().accounts, before.accounts, "the same accounts, names kept");
}
