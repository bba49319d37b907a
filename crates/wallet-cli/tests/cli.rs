//! The `tender` command end to end: real processes, secrets through stdin and the environment, a
//! real Secret Service for `--store keyring` (started by `scripts/test.sh`; see `keyring_available`).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use alloy::primitives::{Address, Signature};
use serde_json::Value;

const DEV: &str = "test test test test test test test test test test test junk";
const PW: &str = "correct horse battery";

fn tender(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tender"));
    cmd.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.env_remove("TENDER_PASSWORD").env_remove("TENDER_NEW_PASSWORD").env_remove("TENDER_DATA_DIR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn tender");
    let mut pipe = child.stdin.take().expect("stdin");
    pipe.write_all(stdin.unwrap_or("").as_bytes()).expect("write stdin");
    drop(pipe);
    child.wait_with_output().expect("wait")
}

fn ok_json(out: &Output) -> Value {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn err_json(out: &Output) -> Value {
    assert_eq!(out.status.code(), Some(1), "expected exit 1; stdout: {}", String::from_utf8_lossy(&out.stdout));
    assert!(out.stdout.is_empty(), "nothing on stdout for an error");
    let v: Value =
        serde_json::from_slice(&out.stderr).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v["error"].clone()
}

fn pw() -> [(&'static str, &'static str); 1] {
    [("TENDER_PASSWORD", PW)]
}

/// Restores the dev phrase into `dir` (file store), with `extra` arguments; the JSON answer.
fn restore_dev(dir: &str, extra: &[&str]) -> Value {
    let mut args = vec!["wallet", "restore", "--store", "file", "--data-dir", dir, "--json"];
    args.extend_from_slice(extra);
    ok_json(&tender(&args, Some(DEV), &pw()))
}

#[test]
fn phrase_new_and_check() {
    for (words, lang) in [("12", "english"), ("24", "french")] {
        let v = ok_json(&tender(&["phrase", "new", "--words", words, "--lang", lang, "--json"], None, &[]));
        assert_eq!(v["words"].to_string(), words);
        let phrase = v["phrase"].as_str().expect("phrase");
        let check = ok_json(&tender(&["phrase", "check", "--json"], Some(phrase), &[]));
        assert_eq!(check["language"], lang);
        let plain = tender(&["phrase", "check"], Some(phrase), &[]);
        assert_eq!(String::from_utf8_lossy(&plain.stdout).trim(), "valid");
    }
    let two = tender(&["phrase", "new"], None, &[]);
    let three = tender(&["phrase", "new"], None, &[]);
    assert_ne!(two.stdout, three.stdout);
    assert_eq!(String::from_utf8_lossy(&two.stdout).split_whitespace().count(), 12);
    assert_eq!(tender(&["phrase", "new", "--words", "13"], None, &[]).status.code(), Some(2));
}

#[test]
fn phrase_check_reports_each_kind_of_mistake() {
    let e = err_json(&tender(
        &["phrase", "check", "--json"],
        Some("test test test test test tset test test test test test junk"),
        &[],
    ));
    assert_eq!(e["code"], "unknown_word");
    // Audit finding: the suggestions (most likely the real word) went to standard error, which ends up
    // in logs; they are shown only on a terminal.
    assert_eq!(e["message"], "word 6 is not a recovery-phrase word: check it against your written phrase");
    assert!(!e.to_string().contains("tset"), "the typed word is not echoed");
    assert!(!e.to_string().contains("did you mean"), "{e}");
    let e = err_json(&tender(
        &["phrase", "check", "--json"],
        Some("test test test test test test test test test test junk"),
        &[],
    ));
    assert_eq!(e["code"], "bad_word_count");
    let e = err_json(&tender(&["phrase", "check", "--json"], Some(&DEV.replace("junk", "test")), &[]));
    assert_eq!(e["code"], "bad_checksum");
    let plain = tender(&["phrase", "check"], Some("test test"), &[]);
    assert_eq!(plain.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&plain.stderr).starts_with("error: a recovery phrase has 12, 15, 18, 21 or 24 words")
    );
}

#[test]
fn derive_prints_accounts() {
    let v =
        ok_json(&tender(&["derive", "--count", "3", "--json"], Some(&format!("1. {}", DEV.replace(' ', "\n"))), &[]));
    let rows = v.as_array().expect("array");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2]["index"], 2);
    assert_eq!(rows[2]["path"], "m/44'/60'/0'/0/2");
    assert_eq!(rows[2]["address"], "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
    assert!(rows[0].get("private_key").is_none(), "keys only when asked");

    let v = ok_json(&tender(&["derive", "--index", "1", "--show-private-key", "--json"], Some(DEV), &[]));
    assert_eq!(v[0]["private_key"], "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");

    let v = ok_json(&tender(&["derive", "--path", "m/44'/60'/{i}'/0/0", "--index", "1", "--json"], Some(DEV), &[]));
    assert_eq!(v[0]["address"], "0x8C8d35429F74ec245F8Ef2f4Fd1e551cFF97d650");
    let v = ok_json(&tender(&["derive", "--scheme", "ledger-live", "--index", "2", "--json"], Some(DEV), &[]));
    assert_eq!(v[0]["path"], "m/44'/60'/2'/0/0");

    // alloy's MyCrypto case with BIP39 passphrase TREZOR123, from the environment, never argv.
    let phrase = "work man father plunge mystery proud hollow address reunion sauce theory bonus";
    let v = ok_json(&tender(&["derive", "--passphrase-env", "P", "--json"], Some(phrase), &[("P", "TREZOR123")]));
    assert_eq!(v[0]["address"], "0x431a00DA1D54c281AeF638A73121B3D153e0b0F6");
    let e = err_json(&tender(&["derive", "--passphrase-env", "UNSET_VAR_X", "--json"], Some(phrase), &[]));
    assert_eq!(e["code"], "input_missing");
    let e = err_json(&tender(&["derive", "--path", "m/44'/x", "--json"], Some(DEV), &[]));
    assert_eq!(e["code"], "invalid_path");
}

/// Every lowercase word of every file in `dir` (maximal runs of ASCII letters), for secret scans.
fn words_in(dir: &Path) -> (Vec<String>, Vec<u8>) {
    let mut words = Vec::new();
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let bytes = std::fs::read(entry.path()).expect("read");
        for w in bytes.split(|b| !b.is_ascii_alphabetic()) {
            if !w.is_empty() {
                words.push(String::from_utf8_lossy(w).to_lowercase());
            }
        }
        all.extend_from_slice(&bytes);
        all.push(0);
    }
    (words, all)
}

fn assert_no_secrets_on_disk(dir: &Path, phrase: &str, keys: &[String]) {
    let (words, raw) = words_in(dir);
    // Words of Tender's own metadata vocabulary ("index", "label", "account", …) may collide with
    // phrase words by chance; a phrase word is a leak only when it is not one of those.
    const VOCABULARY: &[&str] = &[
        "format", "id", "store", "file", "keyring", "created", "at", "scheme", "bip", "accounts", "index", "label",
        "account", "address", "failed", "unlocks", "last", "unlock", "x",
    ];
    for w in phrase.split_whitespace() {
        assert!(!words.iter().any(|x| x == w) || VOCABULARY.contains(&w), "phrase word {w:?} found on disk");
    }
    let text = String::from_utf8_lossy(&raw).to_lowercase();
    assert!(!text.contains(phrase), "the phrase is on disk");
    for key in keys {
        assert!(!text.contains(key.trim_start_matches("0x")), "a private key (hex) is on disk");
        let bytes = alloy::hex::decode(key).expect("hex");
        assert!(!raw.windows(bytes.len()).any(|w| w == bytes.as_slice()), "a private key (bytes) is on disk");
    }
}

fn verify_personal(message: &str, sig_hex: &str, expected: &str) {
    let sig: Signature = sig_hex.parse().expect("signature");
    let recovered = sig.recover_address_from_msg(message).expect("recover");
    assert_eq!(recovered, expected.parse::<Address>().expect("address"));
}

/// The whole life of a wallet, once per store: create, info, sign (message, typed data, tx), wrong
/// password, change password, add and rename accounts, show the phrase, restore elsewhere, delete.
fn wallet_lifecycle(store: &str) {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("wallet");
    let d = dir.to_str().expect("utf8");
    let at = ["--data-dir", d, "--store", store, "--json"];
    let with = |extra: &[&str]| -> Vec<String> { extra.iter().chain(at.iter()).map(|s| s.to_string()).collect() };
    let run = |extra: &[&str], stdin: Option<&str>, env: &[(&str, &str)]| {
        let args = with(extra);
        tender(&args.iter().map(String::as_str).collect::<Vec<_>>(), stdin, env)
    };

    let created = ok_json(&run(&["wallet", "create", "--words", "24"], None, &pw()));
    let phrase = created["phrase"].as_str().expect("phrase").to_owned();
    assert_eq!(phrase.split_whitespace().count(), 24);
    let address = created["wallet"]["accounts"][0]["address"].as_str().expect("address").to_owned();
    let derived = ok_json(&tender(&["derive", "--count", "2", "--show-private-key", "--json"], Some(&phrase), &[]));
    assert_eq!(derived[0]["address"], address.as_str());
    let keys: Vec<String> = (0..2).map(|i| derived[i]["private_key"].as_str().expect("key").to_owned()).collect();
    assert!(created["wallet"].get("phrase").is_none());

    let e = err_json(&run(&["wallet", "create"], None, &pw()));
    assert_eq!(e["code"], "wallet_exists");

    let info = ok_json(&run(&["wallet", "info"], None, &[]));
    assert_eq!(info["wallet"]["store"], store);
    assert_eq!(info["wallet"]["accounts"][0]["address"], address.as_str());

    let signed = ok_json(&run(&["sign", "message", "Pay 12.50 at shop.example"], None, &pw()));
    assert_eq!(signed["address"], address.as_str());
    verify_personal("Pay 12.50 at shop.example", signed["signature"].as_str().expect("sig"), &address);

    let typed = tmp.path().join("permit.json");
    std::fs::write(&typed, r#"{"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"chainId","type":"uint256"}],"Hello":[{"name":"who","type":"string"}]},"primaryType":"Hello","domain":{"name":"Tender","chainId":1},"message":{"who":"shopper"}}"#).expect("write");
    // Shown decoded first, signed only with --yes (from the audit: it signed whatever it was given).
    let shown = ok_json(&run(&["sign", "typed-data", typed.to_str().expect("utf8")], None, &[]));
    assert_eq!(shown["signed"], false);
    assert_eq!(
        (shown["shown"]["domain"]["name"].as_str(), shown["shown"]["message"]["who"].as_str()),
        (Some("Tender"), Some("shopper")),
        "{shown}"
    );
    let t = ok_json(&run(&["sign", "typed-data", "--yes", typed.to_str().expect("utf8")], None, &pw()));
    let sig: Signature = t["signature"].as_str().expect("sig").parse().expect("sig");
    let digest: alloy::primitives::B256 = t["digest"].as_str().expect("digest").parse().expect("digest");
    assert_eq!(sig.recover_address_from_prehash(&digest).expect("recover").to_checksum(None), address);

    let tx = r#"{"chainId":31337,"nonce":0,"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":"1000","gas":21000,"maxFeePerGas":"2000000000","maxPriorityFeePerGas":"1"}"#;
    let shown = ok_json(&run(&["sign", "tx", "-"], Some(tx), &[]));
    assert_eq!(shown["signed"], false);
    assert!(shown["shown"]["call"].is_string(), "{shown}");
    let stx = ok_json(&run(&["sign", "tx", "--yes", "-"], Some(tx), &pw()));
    assert_eq!(stx["from"], address.as_str());
    assert!(stx["raw"].as_str().expect("raw").starts_with("0x02"));
    let e = err_json(&run(&["sign", "tx", "--yes", "-"], Some(r#"{"chainId":1,"nonce":0,"gas":1}"#), &pw()));
    assert_eq!(e["code"], "invalid_transaction");

    let e = err_json(&run(&["sign", "message", "x"], None, &[("TENDER_PASSWORD", "not the password")]));
    assert_eq!((e["code"].as_str(), e["message"].as_str()), (Some("wrong_password"), Some("wrong password")));

    let e = err_json(&run(
        &["wallet", "change-password"],
        None,
        &[("TENDER_PASSWORD", PW), ("TENDER_NEW_PASSWORD", "short")],
    ));
    assert_eq!(e["code"], "weak_password");
    ok_json(&run(
        &["wallet", "change-password"],
        None,
        &[("TENDER_PASSWORD", PW), ("TENDER_NEW_PASSWORD", "a new long password")],
    ));
    let e = err_json(&run(&["sign", "message", "x"], None, &pw()));
    assert_eq!(e["code"], "wrong_password");
    let new_pw = [("TENDER_PASSWORD", "a new long password")];

    let added = ok_json(&run(&["wallet", "add-account", "--label", "Groceries"], None, &new_pw));
    assert_eq!(added["account"]["index"], 1);
    assert_eq!(added["account"]["address"], derived[1]["address"]);
    ok_json(&run(&["wallet", "label", "--index", "0", "Everyday"], None, &[]));
    let signed1 = ok_json(&run(&["sign", "message", "--index", "1", "hi"], None, &new_pw));
    assert_eq!(signed1["address"], derived[1]["address"]);
    let e = err_json(&run(&["sign", "message", "--index", "5", "hi"], None, &new_pw));
    assert_eq!(e["code"], "unknown_account");

    let shown = ok_json(&run(&["wallet", "show-phrase"], None, &new_pw));
    assert_eq!(shown["phrase"], phrase.as_str());

    // A forgotten password (issue 21): the wallet's own phrase sets a new one; another phrase changes nothing.
    let other = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    let reset_pw = [("TENDER_NEW_PASSWORD", "velvet hinge orbit lantern")];
    let e = err_json(&run(&["wallet", "reset-password"], Some(other), &reset_pw));
    assert_eq!(e["code"], "phrase_not_this_wallet");
    ok_json(&run(&["sign", "message", "x"], None, &new_pw));
    ok_json(&run(&["wallet", "reset-password"], Some(phrase.as_str()), &reset_pw));
    let e = err_json(&run(&["sign", "message", "x"], None, &new_pw));
    assert_eq!(e["code"], "wrong_password", "the forgotten password is gone");
    ok_json(&run(&["sign", "message", "x"], None, &[("TENDER_PASSWORD", "velvet hinge orbit lantern")]));

    let on_disk: Vec<String> =
        std::fs::read_dir(&dir).expect("dir").flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    // Besides the metadata: the folder's lock (empty), and with the file store the vault and its
    // wrong-password record (with the keyring both live there).
    let expected_files: &[&str] = if store == "file" {
        &[".tender.lock", "vault.attempts", "vault.tender", "wallet.json"]
    } else {
        &[".tender.lock", "wallet.json"]
    };
    let mut sorted = on_disk.clone();
    sorted.sort();
    assert_eq!(sorted, expected_files, "{store}: the data folder holds only these");
    assert_no_secrets_on_disk(&dir, &phrase, &keys);

    // Restore the same phrase into a fresh folder: same accounts.
    let other = tmp.path().join("restored");
    let o = other.to_str().expect("utf8");
    let restored = ok_json(&tender(
        &["wallet", "restore", "--accounts", "2", "--data-dir", o, "--store", store, "--json"],
        Some(&phrase),
        &pw(),
    ));
    assert_eq!(restored["wallet"]["accounts"][1]["address"], derived[1]["address"]);
    assert_no_secrets_on_disk(&other, &phrase, &keys);
    let e = err_json(&tender(
        &["wallet", "restore", "--data-dir", &tmp.path().join("x").to_string_lossy(), "--store", store, "--json"],
        Some(&phrase.replacen(' ', "x ", 1)),
        &pw(),
    ));
    assert_eq!(e["code"], "unknown_word");
    assert_eq!(e["message"].as_str().map(|m| m.starts_with("word 1 is not")), Some(true));

    let e = err_json(&run(&["wallet", "delete"], None, &[]));
    assert_eq!(e["code"], "confirmation_required");
    // Audit finding: `delete --yes` deleted without the password.
    let e = err_json(&run(&["wallet", "delete", "--yes"], None, &[("TENDER_PASSWORD", "not the password")]));
    assert_eq!(e["code"], "wrong_password");
    ok_json(&run(&["wallet", "info"], None, &[]));
    ok_json(&run(&["wallet", "delete", "--yes"], None, &[("TENDER_PASSWORD", "velvet hinge orbit lantern")]));
    let e = err_json(&run(&["wallet", "info"], None, &[]));
    assert_eq!(e["code"], "no_wallet");
    ok_json(&tender(&["wallet", "delete", "--yes", "--data-dir", o, "--store", store, "--json"], None, &pw()));
}

#[test]
fn wallet_lifecycle_with_file_store() {
    wallet_lifecycle("file");
}

/// Whether a Secret Service answers on the session bus. `scripts/test.sh` starts one (gnome-keyring
/// in dbus-run-session) and sets TENDER_REQUIRE_KEYRING=1, so there the keyring tests cannot be
/// skipped; a developer's plain `cargo test` without a session bus skips them and says so.
fn keyring_available() -> bool {
    let required = std::env::var_os("TENDER_REQUIRE_KEYRING").is_some();
    let present = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
    assert!(present || !required, "TENDER_REQUIRE_KEYRING is set but there is no D-Bus session bus");
    if !present {
        eprintln!("skipping: no D-Bus session bus, so no Secret Service (scripts/test.sh provides one)");
    }
    present
}

fn secret_tool_count(wallet_id: &str) -> usize {
    let out = Command::new("secret-tool")
        .args(["search", "--all", "service", "Tender", "username", &format!("vault-{wallet_id}")])
        .output()
        .expect("secret-tool (libsecret-tools) is installed by scripts/setup.sh");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .chain(String::from_utf8_lossy(&out.stderr).lines())
        .filter(|l| l.starts_with("[/"))
        .count()
}

#[test]
fn wallet_lifecycle_with_the_real_os_keyring() {
    if keyring_available() {
        wallet_lifecycle("keyring");
    }
}

#[test]
fn the_vault_really_is_in_the_os_keyring() {
    if !keyring_available() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("w");
    let d = d.to_str().expect("utf8");
    let created = ok_json(&tender(&["wallet", "create", "--data-dir", d, "--json"], None, &pw()));
    let id = created["wallet"]["id"].as_str().expect("id").to_owned();
    assert_eq!(secret_tool_count(&id), 1, "one Secret Service item for the wallet");
    ok_json(&tender(&["wallet", "delete", "--yes", "--data-dir", d, "--json"], None, &pw()));
    assert_eq!(secret_tool_count(&id), 0, "deleted from the Secret Service");
}

#[test]
fn no_keyring_is_a_clear_error_and_the_file_store_is_opt_in() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("w");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tender"));
    cmd.args(["wallet", "create", "--data-dir", d.to_str().expect("utf8"), "--json"]);
    cmd.env_remove("DBUS_SESSION_BUS_ADDRESS").env_remove("XDG_RUNTIME_DIR").env("TENDER_PASSWORD", PW);
    let out = cmd.stdin(Stdio::null()).output().expect("run");
    let e = err_json(&out);
    assert_eq!(e["code"], "keyring_unavailable");
    assert!(e["message"].as_str().expect("msg").contains("file store"), "{e}");
    assert!(!d.join("wallet.json").exists(), "nothing written");
}

#[test]
fn without_password_variable_or_terminal_it_fails_cleanly() {
    // setsid detaches tender from any controlling terminal, as under CI or a service manager.
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("w");
    let out = Command::new("setsid")
        .args(["--wait", env!("CARGO_BIN_EXE_tender"), "wallet", "create", "--store", "file", "--json", "--data-dir"])
        .arg(&d)
        .env_remove("TENDER_PASSWORD")
        .stdin(Stdio::null())
        .output()
        .expect("run setsid (util-linux)");
    let e = err_json(&out);
    assert_eq!(e["code"], "input_missing");
    assert!(e["message"].as_str().expect("msg").contains("set TENDER_PASSWORD"), "{e}");
    assert!(!d.join("wallet.json").exists(), "nothing written");
}

#[test]
fn uri_parse_prints_exact_base_units_or_the_reason() {
    let usdt = "0xdAC17F958D2ee523a2206206994597C13D831ec7";
    let payee = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359";
    let v = ok_json(&tender(
        &["uri", "parse", &format!("ethereum:{usdt}@1/transfer?address={payee}&uint256=1.5e6"), "--json"],
        None,
        &[],
    ));
    assert_eq!(
        v,
        serde_json::json!({"chain_id": 1, "recipient": payee, "token": usdt, "amount": "1500000", "gas_limit": null, "gas_price": null, "label": null, "message": null, "order": null, "expires": null})
    );
    let v = ok_json(&tender(&["uri", "parse", &format!("ethereum:{payee}?value=2.014e18"), "--json"], None, &[]));
    assert_eq!(
        (v["amount"].as_str(), v["token"].is_null(), v["chain_id"].is_null()),
        (Some("2014000000000000000"), true, true)
    );
    let e = err_json(&tender(&["uri", "parse", &format!("ethereum:{payee}?value=5e-1"), "--json"], None, &[]));
    assert_eq!(e["code"], "fractional_amount");
    let plain = tender(&["uri", "parse", "ethereum:0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d358"], None, &[]);
    assert_eq!(plain.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&plain.stderr).contains("wrong checksum"));
}

#[test]
fn tender_devnet_prints_one_line_and_stops_on_sigterm() {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tender"))
        .arg("devnet")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("line");
    let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    let url = v["rpc_url"].as_str().expect("url").to_owned();
    let port: u16 = url.rsplit(':').next().and_then(|p| p.parse().ok()).expect("port");
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_ok(), "anvil is listening");
    assert_eq!(v["tokens"]["STORE"], "0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35");
    assert_eq!(v["phrase"], DEV);
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(status.success());
    let exit = child.wait().expect("wait");
    assert!(exit.success(), "devnet exits 0 on SIGTERM: {exit:?}");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err(), "anvil stopped with it");
}

/// A running `tender devnet`, stopped (SIGTERM) when dropped.
struct DevChain {
    child: std::process::Child,
    rpc_url: String,
}

impl DevChain {
    /// A chain that makes a block for each transaction only.
    fn start() -> Self {
        Self::start_with_block_time("0")
    }

    /// A chain that makes a block every `seconds` (the demo's default: 2).
    fn start_with_block_time(seconds: &str) -> Self {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_tender"))
            .args(["devnet", "--block-time", seconds])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn devnet");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("line");
        let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
        Self { child, rpc_url: v["rpc_url"].as_str().expect("url").to_owned() }
    }
}

impl Drop for DevChain {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let _ = self.child.wait();
    }
}

#[test]
fn balance_shows_the_store_token_first_and_the_cache_when_offline() {
    let chain = DevChain::start();
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("w");
    let d = d.to_str().expect("utf8");
    restore_dev(d, &["--accounts", "2"]);
    let live = ok_json(&tender(&["balance", "--data-dir", d, "--rpc", &chain.rpc_url, "--json"], None, &[]));
    assert_eq!(
        (live["chain_id"].as_u64(), live["live"].as_bool(), live["requests"].as_u64()),
        (Some(31337), Some(true), Some(1))
    );
    let first = &live["accounts"][0];
    assert_eq!(first["address"], "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    let symbols: Vec<_> = first["balances"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|b| b["symbol"].as_str().expect("s").to_owned())
        .collect();
    assert_eq!(symbols, ["STORE", "ETH", "tUSD"], "the featured store token first");
    assert_eq!(first["balances"][0]["display"], "1000");
    assert_eq!(first["balances"][2]["amount"], "1000000000", "tUSD has 6 decimals");
    let url = chain.rpc_url.clone();
    drop(chain);
    let offline =
        ok_json(&tender(&["balance", "--data-dir", d, "--rpc", &url, "--chain-id", "31337", "--json"], None, &[]));
    assert_eq!(offline["live"], false);
    assert_eq!(offline["error"]["code"], "rpc_unavailable");
    assert_eq!(offline["accounts"], live["accounts"], "the last known balances, with their age");
    let e = err_json(&tender(&["balance", "--data-dir", d, "--json"], None, &[]));
    assert_eq!(e["code"], "input_missing");
}

#[test]
fn pay_prints_the_quote_then_pays_once_with_yes() {
    let chain = DevChain::start();
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("w");
    let d = d.to_str().expect("utf8");
    restore_dev(d, &[]);
    let merchant = "0x4242424242424242424242424242424242424242";
    let uri = format!(
        "ethereum:0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35@31337/transfer?address={merchant}&uint256=19.99e18&label=Corner%20Shop&order=A-17"
    );
    let at = ["--data-dir", d, "--store", "file", "--rpc", &chain.rpc_url, "--json"];
    let args = |extra: &[&str]| -> Vec<String> {
        [&["pay", uri.as_str()][..], extra, &at[..]].concat().iter().map(|s| s.to_string()).collect()
    };
    let run = |extra: &[&str]| {
        let a = args(extra);
        tender(&a.iter().map(String::as_str).collect::<Vec<_>>(), None, &pw())
    };

    let q = ok_json(&run(&[]));
    assert_eq!(q["paid"], false);
    assert_eq!(
        (q["quote"]["amount"].as_str(), q["quote"]["amount_display"].as_str()),
        (Some("19990000000000000000"), Some("19.99"))
    );
    assert_eq!(
        (q["quote"]["payee"].as_str(), q["quote"]["symbol"].as_str()),
        (Some("0x4242424242424242424242424242424242424242"), Some("STORE"))
    );
    assert_eq!(q["quote"]["merchant"], "Corner Shop");
    let digest = q["quote"]["digest"].as_str().expect("digest")[2..18].to_owned();

    // Audit finding: `--yes` signed a fresh quote, not the one printed. Now it needs the printed
    // quote's digest, or a fee limit.
    let e = err_json(&run(&["--yes"]));
    assert_eq!(e["code"], "confirmation_required");
    let e = err_json(&run(&["--yes", "--quote", "0123456789abcdef"]));
    assert_eq!(e["code"], "quote_expired", "an unknown digest pays nothing");
    let other_uri = uri.replace("19.99e18", "20e18");
    let e = err_json(&tender(
        &[
            "pay",
            &other_uri,
            "--yes",
            "--quote",
            &digest,
            "--data-dir",
            d,
            "--store",
            "file",
            "--rpc",
            &chain.rpc_url,
            "--json",
        ],
        None,
        &pw(),
    ));
    assert_eq!(e["code"], "quote_mismatch", "a digest pays only the request it was shown for");
    let paid = ok_json(&run(&["--yes", "--quote", &digest]));
    assert_eq!((paid["paid"].as_bool(), paid["payment"]["status"].as_str()), (Some(true), Some("confirmed")));
    assert_eq!(paid["quote"]["digest"], q["quote"]["digest"], "exactly the quote that was printed");
    assert_eq!(paid["payment"]["quote_digest"], q["quote"]["digest"]);
    let e = err_json(&run(&["--yes", "--quote", &digest]));
    assert_eq!(e["code"], "probable_duplicate", "the same quote confirmed twice pays once");
    let e = err_json(&run(&["--yes", "--max-fee", "0.01"]));
    assert_eq!(e["code"], "probable_duplicate");
    let e = err_json(&run(&["--yes", "--max-fee", "0.000000001", "--allow-duplicate"]));
    assert_eq!(e["code"], "confirmation_required", "a fee above --max-fee is not paid");
    let wrong = err_json(&tender(
        &[
            "pay",
            &uri,
            "--data-dir",
            d,
            "--store",
            "file",
            "--rpc",
            &chain.rpc_url,
            "--yes",
            "--max-fee",
            "0.01",
            "--json",
        ],
        None,
        &[("TENDER_PASSWORD", "nope nope nope")],
    ));
    assert_eq!(wrong["code"], "wrong_password");

    let h = ok_json(&tender(&["history", "--data-dir", d, "--rpc", &chain.rpc_url, "--json"], None, &[]));
    let items = h["items"].as_array().expect("items");
    let sent: Vec<_> = items.iter().filter(|i| i["direction"] == "sent").collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["payment"]["tx_hash"], paid["payment"]["tx_hash"]);
    assert_eq!(sent[0]["payment"]["order"], "A-17");
    let received: Vec<_> = items.iter().filter(|i| i["direction"] == "received").collect();
    assert_eq!(received.len(), 2, "the dev chain funded the account with STORE and tUSD");

    // The history as CSV for bookkeeping: a header and one row per line, the order reference kept.
    let out = tender(&["history", "--data-dir", d, "--rpc", &chain.rpc_url, "--csv"], None, &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8(out.stdout).expect("utf8");
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[0].starts_with("date,account,direction,status,moved,amount,symbol,counterparty"), "{}", rows[0]);
    assert_eq!(rows.len(), 4, "{csv}");
    let tx = paid["payment"]["tx_hash"].as_str().expect("tx");
    let row = rows.iter().find(|r| r.contains(tx)).expect("the payment's row");
    assert!(row.contains(",sent,confirmed,true,") && row.contains(",A-17,"), "{row}");
    // A payment's proof, from what is stored.
    let proof =
        ok_json(&tender(&["history", "--data-dir", d, "--rpc", &chain.rpc_url, "--proof", tx, "--json"], None, &[]));
    assert_eq!(proof["format"], "tender-payment-proof/1");
    assert_eq!(proof["payment"]["transaction"], tx);
    assert_eq!(proof["request"]["order"], "A-17");
    let b = ok_json(&tender(&["balance", "--data-dir", d, "--rpc", &chain.rpc_url, "--json"], None, &[]));
    assert_eq!(b["accounts"][0]["balances"][0]["display"], "980.01");
}

#[test]
fn commands_use_the_store_the_wallet_records_without_repeating_store() {
    // Audit finding: after `wallet restore --store file`, every later command failed with
    // `store_mismatch` unless `--store file` was repeated.
    let chain = DevChain::start();
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("w");
    let d = d.to_str().expect("utf8");
    restore_dev(d, &[]);
    let info = ok_json(&tender(&["wallet", "info", "--data-dir", d, "--json"], None, &[]));
    assert_eq!(info["wallet"]["store"], "file");
    let uri = "ethereum:0x4242424242424242424242424242424242424242@31337?value=1e15";
    let at = ["--data-dir", d, "--rpc", &chain.rpc_url, "--json"];
    let q = ok_json(&tender(&[&["pay", uri][..], &at[..]].concat(), None, &pw()));
    let digest = q["quote"]["digest"].as_str().expect("digest")[2..18].to_owned();
    let paid = ok_json(&tender(&[&["pay", uri, "--yes", "--quote", &digest][..], &at[..]].concat(), None, &pw()));
    assert_eq!(paid["payment"]["status"], "confirmed");
    let signed = ok_json(&tender(&["sign", "message", "--data-dir", d, "--json", "hello"], None, &pw()));
    assert!(signed["signature"].is_string());
    // Naming another store than the recorded one is still refused, with the way out.
    let e = err_json(&tender(&["wallet", "info", "--data-dir", d, "--store", "keyring", "--json"], None, &[]));
    assert_eq!(e["code"], "store_mismatch");
}

#[test]
fn restore_discovers_used_accounts_or_says_why_not() {
    let chain = DevChain::start();
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = |name: &str| tmp.path().join(name).to_str().expect("utf8").to_owned();
    let v = restore_dev(&dir("a"), &["--rpc", &chain.rpc_url]);
    assert_eq!(v["discovery"]["accounts"], 10, "anvil funds accounts 0-9");
    assert_eq!(v["wallet"]["accounts"].as_array().map(Vec::len), Some(10));
    let v = restore_dev(&dir("b"), &[]);
    assert!(v["notice"].as_str().expect("notice").contains("discovery skipped"));
    assert_eq!(v["wallet"]["accounts"].as_array().map(Vec::len), Some(1));
    let v = restore_dev(&dir("c"), &["--rpc", "http://127.0.0.1:9", "--chain-id", "31337"]);
    assert!(v["notice"].as_str().expect("notice").contains("cannot be reached"), "{v}");
}

#[test]
fn a_saved_network_is_used_when_no_flag_is_given_and_its_token_never_shown() {
    let chain = DevChain::start();
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("w");
    let d = d.to_str().expect("utf8");
    restore_dev(d, &[]);
    let set = ok_json(&tender(&["network", "set", "--data-dir", d, "--rpc", &chain.rpc_url, "--json"], None, &[]));
    assert_eq!(set["network"]["chain_id"], 31337);
    let b = ok_json(&tender(&["balance", "--data-dir", d, "--json"], None, &[]));
    assert_eq!((b["live"].as_bool(), b["chain_id"].as_u64()), (Some(true), Some(31337)));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(std::path::Path::new(d).join("network.json")).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A provider URL with an access token: saved for use, shown redacted, never echoed in errors.
    let secret_url = "http://127.0.0.1:9/v3/9aa3d95b3bc440fa88ea12eaa4456161";
    let e = err_json(&tender(
        &["network", "set", "--data-dir", d, "--rpc", secret_url, "--chain-id", "1", "--json"],
        None,
        &[],
    ));
    assert_eq!(e["code"], "rpc_unavailable");
    assert!(!e.to_string().contains("9aa3d95b3bc440fa88ea12eaa4456161"), "{e}");
    let shown = ok_json(&tender(&["network", "show", "--data-dir", d, "--json"], None, &[]));
    assert_eq!(shown["network"]["rpc_urls"][0], format!("{}/", chain.rpc_url), "the failed set changed nothing");
    let e = err_json(&tender(&["network", "set", "--data-dir", d, "--network", "atlantis", "--json"], None, &[]));
    assert_eq!(e["code"], "invalid_network");

    let known = ok_json(&tender(
        &["token-add", "0xA15BB66138824a1c7167f5E85b957d04Dd34E468", "--data-dir", d, "--json"],
        None,
        &[],
    ));
    assert_eq!((known["added"].as_bool(), known["token"]["symbol"].as_str()), (Some(false), Some("tUSD")));
    let e = err_json(&tender(
        &["token-add", "0xcA11bde05977b3631167028862bE2a173976CA11", "--data-dir", d, "--json"],
        None,
        &[],
    ));
    assert_eq!(e["code"], "not_a_token", "Multicall3 has no decimals()");
    let e = err_json(&tender(
        &["token-add", "0xcA11bde05977b3631167028862bE2a173976CA1l", "--data-dir", d, "--json"],
        None,
        &[],
    ));
    assert_eq!(e["code"], "invalid_address");
}

/// Runs `tender` with `TENDER_CRASH_AT=point`: it must die there by SIGKILL (no clean-up at all).
fn killed_at(point: &str, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) {
    use std::os::unix::process::ExitStatusExt;
    let mut env = env.to_vec();
    env.push(("TENDER_CRASH_AT", point));
    let out = tender(args, stdin, &env);
    assert_eq!(out.status.signal(), Some(9), "{point}: not killed there: {}", String::from_utf8_lossy(&out.stderr));
}

/// Fault injection: the process is killed (SIGKILL) at every write point and started again. Nothing
/// is lost, no file is half-written, no payment is made twice or without consent.
#[test]
fn every_write_point_survives_a_sigkill() {
    let chain = DevChain::start();
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("w");
    let d = d.to_str().expect("utf8");
    restore_dev(d, &[]);
    let at = ["--data-dir", d, "--store", "file", "--json"];
    let with = |args: &[&str]| -> Vec<String> { args.iter().chain(at.iter()).map(|s| s.to_string()).collect() };
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let a = with(args);
        tender(&a.iter().map(String::as_str).collect::<Vec<_>>(), None, env)
    };
    let kill = |point: &str, args: &[&str], env: &[(&str, &str)]| {
        let a = with(args);
        killed_at(point, &a.iter().map(String::as_str).collect::<Vec<_>>(), None, env);
    };
    let stages = ["mid", "before_rename", "after_rename"];

    // Metadata: the label is the old one or the new one, and the file always parses.
    for stage in stages {
        kill(&format!("write:wallet.json:{stage}"), &["wallet", "label", "--index", "0", "Renamed"], &[]);
        let label = ok_json(&run(&["wallet", "info"], &[]))["wallet"]["accounts"][0]["label"].clone();
        assert!(label == "Account 1" || label == "Renamed", "{stage}: {label}");
        ok_json(&run(&["wallet", "label", "--index", "0", "Account 1"], &[]));
    }
    // The vault: it opens with exactly one of the two passwords.
    let new = "another long password";
    let mut current = PW;
    for stage in stages {
        kill(
            &format!("write:vault.tender:{stage}"),
            &["wallet", "change-password"],
            &[("TENDER_PASSWORD", current), ("TENDER_NEW_PASSWORD", if current == PW { new } else { PW })],
        );
        let old_works = run(&["sign", "message", "x"], &[("TENDER_PASSWORD", current)]).status.success();
        let other = if current == PW { new } else { PW };
        let new_works = run(&["sign", "message", "x"], &[("TENDER_PASSWORD", other)]).status.success();
        assert!(old_works ^ new_works, "{stage}: exactly one password opens the vault");
        if new_works {
            current = other;
        }
    }
    // The wrong-password record: a crash while counting never unlocks more guesses than it should.
    kill("write:vault.attempts:before_rename", &["sign", "message", "x"], &[("TENDER_PASSWORD", "wrong guess!")]);
    ok_json(&run(&["sign", "message", "x"], &[("TENDER_PASSWORD", current)]));
    // The network choice.
    let folder = ["--data-dir", d, "--json"];
    let set: Vec<&str> = [&["network", "set", "--rpc", chain.rpc_url.as_str()][..], &folder[..]].concat();
    killed_at("write:network.json:before_rename", &set, None, &[]);
    let e = err_json(&tender(&["network", "show", "--data-dir", d, "--json"], None, &[]));
    assert_eq!(e["code"], "input_missing", "no half-written choice");
    killed_at("write:network.json:after_rename", &set, None, &[]);
    let shown = ok_json(&tender(&["network", "show", "--data-dir", d, "--json"], None, &[]));
    assert_eq!(shown["network"]["chain_id"], 31337);
    let history = |extra: &[&str]| ok_json(&tender(&[&["history"][..], extra, &folder[..]].concat(), None, &[]));

    // A payment killed after it was stored, before it left: not sent, not paid, until the person
    // sends it (the very same transaction); then it is paid once.
    let merchant = "0x5151515151515151515151515151515151515151";
    let uri = format!("ethereum:0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35/transfer?address={merchant}&uint256=2e18");
    let pay = |extra: &[&str]| -> Vec<String> {
        [&["pay", uri.as_str(), "--max-fee", "0.01"][..], extra, &at[..]]
            .concat()
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    let args = pay(&["--yes"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let env = [("TENDER_PASSWORD", current)];
    killed_at("payment.signed", &args, None, &env);
    let h = history(&[]);
    let sent: Vec<_> =
        h["items"].as_array().expect("items").iter().filter(|i| i["direction"] == "sent").cloned().collect();
    assert_eq!((sent.len(), sent[0]["payment"]["status"].as_str()), (1, Some("signed")), "reading sent nothing");
    let hash = sent[0]["payment"]["tx_hash"].as_str().expect("hash").to_owned();
    let store_of = |who: &str| {
        let out = Command::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tools/node_modules/@foundry-rs/cast-linux-amd64/bin/cast"
        ))
        .args([
            "call",
            "0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35",
            "balanceOf(address)(uint256)",
            who,
            "--rpc-url",
            &chain.rpc_url,
        ])
        .output()
        .expect("cast");
        String::from_utf8_lossy(&out.stdout).split_whitespace().next().unwrap_or("").to_owned()
    };
    assert_eq!(store_of(merchant), "0");
    // The person pays it again: the stored transaction goes out, not a second one.
    let again = ok_json(&tender(&args, None, &env));
    assert_eq!((again["payment"]["tx_hash"].as_str(), again["paid"].as_bool()), (Some(hash.as_str()), Some(true)));
    assert_eq!(store_of(merchant), "2000000000000000000");
    let resent = history(&["--resend", &hash]);
    let mine = |h: &Value| {
        h["items"].as_array().expect("items").iter().find(|i| i["payment"]["tx_hash"] == hash.as_str()).cloned()
    };
    assert_eq!(mine(&resent).expect("listed")["payment"]["status"], "confirmed", "final: sending again is a no-op");
    assert_eq!(store_of(merchant), "2000000000000000000");

    // Killed after the broadcast, before its status was saved: the chain has it; the history sees
    // it confirmed without sending anything; paid once.
    let uri2 = uri.replace("2e18", "3e18");
    let args2: Vec<String> = [&["pay", uri2.as_str(), "--max-fee", "0.01", "--yes"][..], &at[..]]
        .concat()
        .iter()
        .map(|s| s.to_string())
        .collect();
    killed_at("payment.broadcast", &args2.iter().map(String::as_str).collect::<Vec<_>>(), None, &env);
    let h = history(&[]);
    let statuses: Vec<_> = h["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["direction"] == "sent")
        .map(|i| i["payment"]["status"].clone())
        .collect();
    assert_eq!(statuses, ["confirmed", "confirmed"], "{h}");
    assert_eq!(store_of(merchant), "5000000000000000000");

    // History cursors: killed inside the transaction that stores transfers and moves the cursor.
    let fresh = tmp.path().join("h");
    let fresh = fresh.to_str().expect("utf8");
    restore_dev(fresh, &[]);
    killed_at("history.cursor", &["history", "--data-dir", fresh, "--rpc", &chain.rpc_url, "--json"], None, &[]);
    let h = ok_json(&tender(&["history", "--data-dir", fresh, "--rpc", &chain.rpc_url, "--json"], None, &[]));
    let received = h["items"].as_array().expect("items").iter().filter(|i| i["direction"] == "received").count();
    assert_eq!(received, 2, "the dev chain's two funding transfers, each once");
}

/// Audit finding: a custom RPC URL's access token sat in the clear in `network.json`.
#[test]
fn an_endpoint_token_is_kept_in_the_keyring_not_in_the_data_folder() {
    if !keyring_available() {
        return;
    }
    let chain = DevChain::start();
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("w");
    let d = d.to_str().expect("utf8");
    restore_dev(d, &[]);
    // anvil ignores the query; a provider would read its key there.
    let token = "k3y0123456789abcdefSECRET";
    let url = format!("{}/?apikey={token}", chain.rpc_url);
    ok_json(&tender(&["network", "set", "--data-dir", d, "--rpc", &url, "--json"], None, &[]));
    let saved = std::fs::read_to_string(Path::new(d).join("network.json")).expect("network.json");
    assert!(!saved.contains(token), "{saved}");
    assert!(saved.contains("rpc_url_in_keyring"), "{saved}");
    let b = ok_json(&tender(&["balance", "--data-dir", d, "--json"], None, &[]));
    assert_eq!(b["live"], true, "the full URL comes back from the keyring");
    let shown = ok_json(&tender(&["network", "show", "--data-dir", d, "--json"], None, &[]));
    assert!(!shown.to_string().contains(token), "{shown}");
}

/// `tender merchant` on a dev chain: its shop page and its gasless checkout (the official x402
/// packages). Stopped (with the checkout, by its lifeline) when dropped.
struct Merchant {
    child: std::process::Child,
    gasless_url: String,
}

impl Merchant {
    fn start(rpc_url: &str) -> Self {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_tender"))
            .args(["merchant", "--rpc", rpc_url])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn merchant");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("line");
        let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
        Self { child, gasless_url: v["gasless_url"].as_str().expect("gasless checkout").to_owned() }
    }
}

impl Drop for Merchant {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let _ = self.child.wait();
    }
}

/// A gasless payment killed after its authorization was signed and stored, before it left: the next
/// run sends that same authorization (same nonce), and the shop is paid once.
#[test]
fn a_gasless_payment_killed_before_it_left_resumes_with_the_same_nonce() {
    let chain = DevChain::start();
    let merchant = Merchant::start(&chain.rpc_url);
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("w");
    let d = d.to_str().expect("utf8");
    restore_dev(d, &[]);
    let link = format!("{}pay/0", merchant.gasless_url);
    let at = ["--data-dir", d, "--store", "file", "--rpc", chain.rpc_url.as_str(), "--json"];
    let pay: Vec<&str> = [&["pay", link.as_str(), "--yes", "--max-fee", "0"][..], &at[..]].concat();
    let history: Vec<&str> = [&["history"][..], &at[..]].concat();
    let history: Vec<&str> = history.into_iter().filter(|a| *a != "--store" && *a != "file").collect();
    let authorizations = || -> Vec<Value> {
        let h = ok_json(&tender(&history, None, &[]));
        h["items"].as_array().expect("items").iter().filter_map(|i| i.get("authorization").cloned()).collect()
    };

    killed_at("authorization.signed", &pay, None, &pw());
    let stored = authorizations();
    assert_eq!(stored.len(), 1, "stored before it left: {stored:?}");
    assert_eq!(stored[0]["status"], "signed");
    let nonce = stored[0]["nonce"].clone();

    let paid = ok_json(&tender(&pay, None, &pw()));
    assert_eq!(paid["paid"], true, "{paid}");
    assert_eq!(paid["authorization"]["nonce"], nonce, "the same authorization, not a new one");
    let after = authorizations();
    assert_eq!(after.len(), 1);
    assert_eq!((after[0]["status"].clone(), after[0]["nonce"].clone()), (Value::from("confirmed"), nonce));
}

/// Issue 19: every window the chain checks comes from the chain's clock. A machine clock a quarter of
/// an hour ahead or behind (`TENDER_CLOCK_SKEW_SECS`, a test build's hook on the wallet's clock) still
/// pays the shop's gasless checkout, on the demo's chain (a block every 2 s): the authorization's
/// `validAfter`/`validBefore` were this machine's clock, so the token or the facilitator refused it.
#[test]
fn a_machine_clock_a_quarter_hour_wrong_still_pays_a_gasless_checkout() {
    let chain = DevChain::start_with_block_time("2");
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("w");
    let d = d.to_str().expect("utf8");
    restore_dev(d, &[]);
    for skew in ["900", "-900"] {
        let merchant = Merchant::start(&chain.rpc_url);
        let link = format!("{}pay/0", merchant.gasless_url);
        let args = [
            "pay",
            link.as_str(),
            "--yes",
            "--max-fee",
            "0",
            "--data-dir",
            d,
            "--rpc",
            chain.rpc_url.as_str(),
            "--json",
        ];
        let env = [pw()[0], ("TENDER_CLOCK_SKEW_SECS", skew)];
        let paid = ok_json(&tender(&args, None, &env));
        assert_eq!(paid["paid"], true, "clock {skew} s off: {paid}");
        assert_eq!(paid["authorization"]["status"], "confirmed", "clock {skew} s off: {paid}");
        let a = &paid["authorization"];
        let (after, before) = (a["valid_after"].as_u64().expect("after"), a["valid_before"].as_u64().expect("before"));
        assert!(before - after <= 300 + 60 + 15, "a window of minutes, not an hour: {a}");
    }
}

/// Issue 20: a bare address is read by the core for both faces (the app accepted it, `tender pay 0x…`
/// refused it): with --amount it is quoted and paid, in ether, the quote printed first.
#[test]
fn a_bare_address_is_paid_with_an_amount() {
    let chain = DevChain::start();
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("w");
    let d = d.to_str().expect("utf8");
    restore_dev(d, &[]);
    let payee = "0x5353535353535353535353535353535353535353";
    let at = ["--data-dir", d, "--store", "file", "--rpc", chain.rpc_url.as_str(), "--json"];
    let e = err_json(&tender(&[&["pay", payee][..], &at[..]].concat(), None, &pw()));
    assert_eq!(e["code"], "amount_missing", "{e}");
    let q = ok_json(&tender(&[&["pay", payee, "--amount", "0.25"][..], &at[..]].concat(), None, &pw()));
    assert_eq!((q["paid"].as_bool(), q["quote"]["amount_display"].as_str()), (Some(false), Some("0.25")), "{q}");
    let digest = q["quote"]["digest"].as_str().expect("digest")[2..18].to_owned();
    let paid = ok_json(&tender(&[&["pay", payee, "--yes", "--quote", &digest][..], &at[..]].concat(), None, &pw()));
    assert_eq!((paid["paid"].as_bool(), paid["status"].as_str()), (Some(true), Some("confirmed")), "{paid}");
}

/// A payment stored but never sent (the process died after signing) is sped up from the command
/// line: the quote is printed first; with --yes and a --max-fee it covers, the same payment goes out
/// at a higher fee with the same nonce, once. Then it is settled: no cancelling, and sending the
/// first transaction again changes nothing.
#[test]
fn a_stuck_payment_is_sped_up_from_the_command_line_and_paid_once() {
    let chain = DevChain::start();
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("w");
    let d = d.to_str().expect("utf8");
    restore_dev(d, &[]);
    let merchant = "0x6161616161616161616161616161616161616161";
    let uri = format!("ethereum:0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35/transfer?address={merchant}&uint256=4e18");
    let at = ["--data-dir", d, "--rpc", chain.rpc_url.as_str(), "--json"];
    let run = |args: &[&str]| tender(&[args, &at[..]].concat(), None, &pw());
    killed_at(
        "payment.signed",
        &[&["pay", uri.as_str(), "--max-fee", "0.01", "--yes"][..], &at[..]].concat(),
        None,
        &pw(),
    );
    let sent = |h: &Value| -> Vec<Value> {
        h["items"].as_array().expect("items").iter().filter(|i| i["direction"] == "sent").cloned().collect()
    };
    let first = sent(&ok_json(&run(&["history"])));
    assert_eq!(first.len(), 1);
    let original = first[0]["payment"]["tx_hash"].as_str().expect("hash").to_owned();

    let shown = ok_json(&run(&["speed-up", &original]));
    assert_eq!(shown["sent"], false, "printing the quote signs nothing");
    assert_eq!(
        (shown["replacement"]["kind"].as_str(), shown["replacement"]["tx"]["nonce"].as_u64()),
        (Some("speed_up"), Some(0))
    );
    let e = err_json(&run(&["speed-up", &original, "--yes", "--max-fee", "0.000000000000000001"]));
    assert_eq!(e["code"], "confirmation_required", "a fee over --max-fee is not sent");
    assert!(!run(&["speed-up", &original, "--yes"]).status.success(), "--yes needs --max-fee");
    // Found on the way: "--max-fee -1" read as 2^256 - 10^18 wei (alloy's parse_units, two's
    // complement), so any fee passed. An amount is digits and one point, nothing else.
    let e = err_json(&run(&["speed-up", &original, "--yes", "--max-fee=-1"]));
    assert_eq!(e["code"], "input_missing", "{e}");
    let e = err_json(&run(&["pay", &uri, "--yes", "--max-fee=-1"]));
    assert_eq!(e["code"], "input_missing", "{e}");

    let done = ok_json(&run(&["speed-up", &original, "--yes", "--max-fee", "0.01"]));
    assert_eq!((done["sent"].as_bool(), done["payment"]["status"].as_str()), (Some(true), Some("confirmed")));
    assert_eq!(done["payment"]["kind"], "speed_up");
    let faster = done["payment"]["tx_hash"].as_str().expect("hash").to_owned();
    assert_ne!(faster, original);

    let lines = sent(&ok_json(&run(&["history", "--resend", &original])));
    assert_eq!(lines.len(), 1, "one payment: {lines:?}");
    assert_eq!(
        (lines[0]["payment"]["status"].as_str(), lines[0]["payment"]["tx_hash"].as_str()),
        (Some("confirmed"), Some(faster.as_str()))
    );
    let balance = Command::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tools/node_modules/@foundry-rs/cast-linux-amd64/bin/cast"
    ))
    .args([
        "call",
        "0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35",
        "balanceOf(address)(uint256)",
        merchant,
        "--rpc-url",
        &chain.rpc_url,
    ])
    .output()
    .expect("cast");
    assert_eq!(
        String::from_utf8_lossy(&balance.stdout).split_whitespace().next(),
        Some("4000000000000000000"),
        "paid once"
    );
    let e = err_json(&run(&["cancel", &original]));
    assert_eq!(e["code"], "payment_settled");
}

/// Issue 22: the shopper's own approval of Permit2 from the command line: what Permit2 may move is
/// printed; an amount is quoted first (nothing signed), then sent with --yes and a --max-fee that
/// covers it; 0 revokes it. Each is read back on chain; the history lists them as approvals, not as
/// money sent.
#[test]
fn a_tokens_overview_and_permit2_approved_and_revoked_from_the_command_line() {
    let chain = DevChain::start();
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("w");
    let d = d.to_str().expect("utf8");
    restore_dev(d, &[]);
    let store = "0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35";
    let at = ["--data-dir", d, "--rpc", chain.rpc_url.as_str(), "--json"];
    let run = |args: &[&str]| tender(&[args, &at[..]].concat(), None, &pw());
    // The token's overview from the chain: what the wallet lists, and which checkouts need no ETH.
    let info = ok_json(&run(&["token-info", store]));
    let o = &info["overview"];
    assert_eq!(
        (o["decimals"].as_u64(), o["symbol"].as_str(), o["token"]["verified"].as_bool()),
        (Some(18), Some("STORE"), Some(true)),
        "{info}"
    );
    assert_eq!(
        (o["eip3009"].as_bool(), o["eip2612"].as_bool(), o["permit2"].as_bool()),
        (Some(true), Some(true), Some(true))
    );
    assert!(
        o["total_supply"].as_str().is_some_and(|s| s.len() > 18) && o["mismatches"] == serde_json::json!([]),
        "{info}"
    );
    let h = &info["holders"];
    assert_eq!(h["supply_by_logs"], o["total_supply"], "the replayed transfers add up to the supply: {info}");
    assert!(
        h["count"].as_u64().is_some_and(|n| n >= 1) && h["complete"] == true && h["inconsistent"] == false,
        "{info}"
    );
    let now = ok_json(&run(&["approve", store]));
    assert_eq!(now["allowance"]["display"], "0", "{now}");
    assert_eq!(now["allowance"]["spender"], "0x000000000022D473030F116dDEE9F6B43aC78BA3");
    let shown = ok_json(&run(&["approve", store, "12.5"]));
    assert_eq!(
        (shown["sent"].as_bool(), shown["approval"]["sets"]["amount"].as_str()),
        (Some(false), Some("12500000000000000000"))
    );
    assert_eq!(ok_json(&run(&["approve", store]))["allowance"]["display"], "0", "printing the quote signs nothing");
    let e = err_json(&run(&["approve", store, "12.5", "--yes", "--max-fee", "0.000000000000000001"]));
    assert_eq!(e["code"], "confirmation_required", "{e}");
    let done = ok_json(&run(&["approve", store, "12.5", "--yes", "--max-fee", "0.01"]));
    assert_eq!((done["sent"].as_bool(), done["payment"]["status"].as_str()), (Some(true), Some("confirmed")), "{done}");
    assert_eq!(ok_json(&run(&["approve", store]))["allowance"]["display"], "12.5");
    let e = err_json(&run(&["approve", store, "12.5"]));
    assert_eq!(e["code"], "allowance_unchanged", "{e}");
    let revoked = ok_json(&run(&["approve", store, "0", "--yes", "--max-fee", "0.01"]));
    assert_eq!(revoked["payment"]["status"], "confirmed", "{revoked}");
    assert_eq!(ok_json(&run(&["approve", store]))["allowance"]["display"], "0");
    let history = ok_json(&run(&["history"]));
    let approvals: Vec<&Value> =
        history["items"].as_array().expect("items").iter().filter(|i| i.get("approval").is_some()).collect();
    assert_eq!(approvals.len(), 2, "{history}");
    let text = tender(&["history", "--data-dir", d, "--rpc", chain.rpc_url.as_str()], None, &pw());
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    assert_eq!(text.matches("approved Permit2").count(), 2, "{text}");
    assert!(!text.contains(" sent "), "no money sent: {text}");
}

/// Issue 23: the account's NFTs from the command line: the store's cards and tickets with their metadata
/// (images reported by size, never printed), and an unknown collection refused with a code the shopper can
/// act on.
#[test]
fn nfts_from_the_command_line() {
    let chain = DevChain::start();
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("w");
    let d = d.to_str().expect("utf8");
    restore_dev(d, &[]);
    let at = ["--data-dir", d, "--rpc", chain.rpc_url.as_str(), "--json"];
    let run = |args: &[&str]| tender(&[args, &at[..]].concat(), None, &pw());
    let g = ok_json(&run(&["nfts"]));
    let shown = g["shown"].as_array().expect("shown");
    assert_eq!(shown.len(), 6, "three cards, three tickets: {g}");
    assert_eq!(shown[0]["name"], "Loyalty card #0");
    assert!(shown.iter().all(|i| i["image"].as_str().is_some_and(|s| s.starts_with("png, "))), "{g}");
    assert_eq!((g["live"].as_bool(), g["unreviewed"].as_array().map(Vec::len)), (Some(true), Some(0)));
    let e = err_json(&run(&["nfts", "--show", "0x0000000000000000000000000000000000000009"]));
    assert_eq!(e["code"], "unknown_collection", "{e}");
    let text = tender(&["nfts", "--data-dir", d, "--rpc", chain.rpc_url.as_str()], None, &pw());
    assert!(String::from_utf8_lossy(&text.stdout).contains("Loyalty card #2"));
    // Sending card 0 to dev account 1: what will be signed first, then sent within the fee given.
    let (cards, friend) = ("0xb19b36b1456E65E3A6D514D3F715f204BD59f431", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    let shown = ok_json(&run(&["nft-send", cards, "0", friend]));
    assert_eq!((shown["sent"].as_bool(), shown["transfer"]["to"].as_str()), (Some(false), Some(friend)), "{shown}");
    let sent = ok_json(&run(&["nft-send", cards, "0", friend, "--yes", "--max-fee", "0.01"]));
    assert_eq!(sent["payment"]["status"], "confirmed", "{sent}");
    let g = ok_json(&run(&["nfts"]));
    assert_eq!(g["shown"].as_array().map(Vec::len), Some(5), "card 0 left");
    let h = ok_json(&run(&["history"]));
    assert!(h.to_string().contains("nft_transfer"), "{h}");
    // Hiding a token from the balances, and showing it again.
    let tusd = "0xA15BB66138824a1c7167f5E85b957d04Dd34E468";
    let hidden = ok_json(&run(&["token-hide", tusd]));
    assert_eq!(hidden["hidden"][0]["symbol"], "tUSD", "{hidden}");
    let shown = ok_json(&run(&["token-hide", tusd, "--show"]));
    assert_eq!(shown["hidden"], serde_json::json!([]), "{shown}");
    // The retailer's signed token list: none yet; a list without its signature asks for it; the
    // committed list (signed with cast) is taken, and its tEUR shows in the balances as the retailer's.
    let retailer = concat!(env!("CARGO_MANIFEST_DIR"), "/../devtools/retailer/tokenlist.json");
    let signature = concat!(env!("CARGO_MANIFEST_DIR"), "/../devtools/retailer/tokenlist.json.sig");
    assert_eq!(ok_json(&run(&["token-list"]))["list"], Value::Null);
    assert_eq!(err_json(&run(&["token-list", retailer]))["code"], "input_missing");
    let e = err_json(&run(&["token-list", retailer, "--signature", retailer]));
    assert_eq!(e["code"], "token_list_refused", "a file that is no signature: {e}");
    let taken = ok_json(&run(&["token-list", retailer, "--signature", signature]));
    assert_eq!(
        (taken["list"]["name"].as_str(), taken["list"]["tokens"][0]["symbol"].as_str()),
        (Some("Tender Store"), Some("tEUR"))
    );
    let balances = ok_json(&run(&["balance"]));
    assert!(balances.to_string().contains("tEUR"), "{balances}");
}

/// Issue 23: the privacy setting from the command line: off by default, turned on (and spread), kept.
#[test]
fn the_privacy_setting_from_the_command_line() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("w");
    let d = d.to_str().expect("utf8");
    let run = |args: &[&str]| tender(&[args, &["--data-dir", d, "--json"][..]].concat(), None, &pw());
    let p = ok_json(&run(&["privacy"]));
    assert_eq!((p["separate_accounts"].as_bool(), p["spread"].as_bool()), (Some(false), Some(false)));
    let p = ok_json(&run(&["privacy", "--separate", "on", "--spread", "on"]));
    assert_eq!((p["separate_accounts"].as_bool(), p["spread"].as_bool()), (Some(true), Some(true)));
    let p = ok_json(&run(&["privacy", "--spread", "off"]));
    assert_eq!((p["separate_accounts"].as_bool(), p["spread"].as_bool()), (Some(true), Some(false)), "kept");
    assert_eq!((p["remote_media_off"].as_bool(), &p["ipfs_gateway"]), (Some(false), &serde_json::Value::Null));
    let p = ok_json(&run(&["privacy", "--remote-media", "off", "--ipfs-gateway", "http://127.0.0.1:5080"]));
    assert_eq!(
        (p["remote_media_off"].as_bool(), p["ipfs_gateway"].as_str()),
        (Some(true), Some("http://127.0.0.1:5080"))
    );
    let bad = err_json(&run(&["privacy", "--ipfs-gateway", "ipfs.io"]));
    assert_eq!(bad["code"], "invalid_gateway", "{bad}");
    let p = ok_json(&run(&["privacy", "--ipfs-gateway", "default", "--remote-media", "on"]));
    assert_eq!((p["remote_media_off"].as_bool(), &p["ipfs_gateway"]), (Some(false), &serde_json::Value::Null));
}
