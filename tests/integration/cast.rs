//! Cross-checks against an independent implementation: foundry's `cast` (npm `@foundry-rs/cast`,
//! installed by `scripts/setup.sh` into `tools/`). cast derives with coins-bip39/coins-bip32, not the
//! bip39/bip32 crates Tender uses, so agreement on random phrases is real evidence.

use std::path::PathBuf;
use std::process::Command;

use alloy::hex;
use alloy::primitives::{Address, U256};
use unicode_normalization::UnicodeNormalization;
use wallet_core::keys::derivation::{AccountScheme, DerivationPath, address_of, derive_signing_key};
use wallet_core::keys::signer::{self, TxRequest};
use wallet_core::{Language, RecoveryPhrase, SecretString};

use crate::vector;

fn cast_path() -> PathBuf {
    if let Some(p) = std::env::var_os("TENDER_CAST") {
        return PathBuf::from(p);
    }
    // The binary the npm package ships, not its node wrapper in .bin/, which loses exit codes.
    let p =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/node_modules/@foundry-rs/cast-linux-amd64/bin/cast");
    assert!(p.exists(), "cast is not installed: run scripts/setup.sh (or set TENDER_CAST)");
    p
}

pub(crate) fn cast(args: &[&str]) -> String {
    try_cast(args).unwrap_or_else(|e| panic!("cast {args:?} failed: {e}"))
}

/// cast's answer, or what it printed on failure (a reverted transaction, say).
pub(crate) fn try_cast(args: &[&str]) -> Result<String, String> {
    let out = Command::new(cast_path()).args(args).output().expect("run cast");
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8(out.stdout).expect("utf8").trim().to_owned())
}

fn random_u32() -> u32 {
    let mut b = [0u8; 4];
    getrandom::getrandom(&mut b).expect("random");
    u32::from_le_bytes(b)
}

fn random_passphrase() -> String {
    // Printable ASCII and a few non-ASCII letters (normalisation matters for those).
    const CHARS: &[char] = &['a', 'Z', '7', ' ', '-', '_', '!', 'é', 'ß', 'ü', 'q', 'K', '0', '.', 'ñ', 'x'];
    let len = 1 + random_u32() as usize % 24;
    (0..len).map(|_| CHARS[random_u32() as usize % CHARS.len()]).collect()
}

/// 40 random phrases (12 and 24 words), half with a random BIP39 passphrase, random account indexes
/// and both account schemes: Tender and cast must derive the same address every time.
#[test]
fn derivation_agrees_with_cast_on_random_phrases() {
    for round in 0..40 {
        let words = if round % 2 == 0 { 12 } else { 24 };
        let phrase = RecoveryPhrase::generate(words, Language::English).expect("phrase");
        let passphrase = if round % 4 < 2 { String::new() } else { random_passphrase() };
        let scheme = if round % 5 == 4 { AccountScheme::LedgerLive } else { AccountScheme::Bip44 };
        let index = random_u32() % 20;
        let path = scheme.path(index).expect("path");
        let seed = phrase.to_seed(&SecretString::from(passphrase.as_str()));
        let ours = address_of(&derive_signing_key(&seed, &path).expect("derive"));
        let text = phrase.to_phrase_string();
        let path_text = path.to_string();
        // BIP39 says the passphrase is NFKD-normalised before use; Tender does it, cast 1.7.1 does not
        // (it hashes the bytes as given), so cast gets the normalised form to compute the spec's seed.
        let nfkd: String = passphrase.nfkd().collect();
        let pass_arg = format!("--mnemonic-passphrase={nfkd}");
        let mut args = vec!["wallet", "address", "--mnemonic", text.expose(), "--mnemonic-derivation-path", &path_text];
        if !passphrase.is_empty() {
            args.push(&pass_arg);
        }
        let theirs: Address = cast(&args).parse().expect("cast address");
        // Test phrases are throw-away; printing one on failure makes the case reproducible.
        assert_eq!(
            ours,
            theirs,
            "round {round}: {words} words, passphrase {passphrase:?}, path {path}: {}",
            text.expose()
        );
    }
}

fn decode_signer(raw: &str) -> Address {
    let out = cast(&["decode-tx", raw]);
    // cast prints the JSON object as a JSON string.
    let value: serde_json::Value = serde_json::from_str(&out).expect("json");
    let value: serde_json::Value = match value {
        serde_json::Value::String(inner) => serde_json::from_str(&inner).expect("inner json"),
        other => other,
    };
    value["signer"].as_str().expect("signer").parse().expect("address")
}

/// Transactions signed by Tender (EIP-1559 and EIP-155 legacy, with call data, to and without a
/// recipient): cast decodes each and recovers Tender's address as the sender.
#[test]
fn cast_recovers_the_sender_of_tender_transactions() {
    let phrase = RecoveryPhrase::generate(12, Language::English).expect("phrase");
    let seed = phrase.to_seed(&SecretString::default());
    for index in 0..3 {
        let path: DerivationPath = AccountScheme::Bip44.path(index).expect("path");
        let signer = signer::signer_at(&seed, &path).expect("signer");
        let requests = [
            serde_json::json!({"chainId": 31337, "nonce": index, "to": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "value": "1000000000000000000", "gas": 21000, "maxFeePerGas": "30000000000", "maxPriorityFeePerGas": "1000000000"}),
            serde_json::json!({"chainId": 1, "nonce": 7, "to": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "value": "0x1", "gas": 60000, "gasPrice": "20000000000", "data": "0xa9059cbb"}),
            serde_json::json!({"chainId": 8453, "nonce": 0, "gas": 500000, "maxFeePerGas": "1000", "data": "0x6080604052"}),
        ];
        for request in requests {
            let req: TxRequest = serde_json::from_value(request.clone()).expect("request");
            let signed = signer::sign_transaction(&signer, signer::build_transaction(&req).expect("tx")).expect("sign");
            assert_eq!(decode_signer(&hex::encode_prefixed(&signed.raw)), signer.address(), "{request}");
        }
    }
}

/// EIP-191: cast verifies Tender's signatures, and refuses them for another address.
#[test]
fn cast_verifies_tender_personal_signatures() {
    let phrase = RecoveryPhrase::generate(24, Language::English).expect("phrase");
    let seed = phrase.to_seed(&SecretString::default());
    let signer = signer::signer_at(&seed, &AccountScheme::Bip44.path(0).expect("path")).expect("signer");
    for message in ["Hello, Tender", "Sign in to shop.example: nonce 8c1f", "ünïcödé ✓"] {
        let sig = hex::encode_prefixed(signer::sign_message(&signer, message.as_bytes()).expect("sign").as_bytes());
        let address = signer.address().to_checksum(None);
        cast(&["wallet", "verify", "--address", &address, message, &sig]);
        let other = Command::new(cast_path())
            .args(["wallet", "verify", "--address", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", message, &sig])
            .output()
            .expect("cast");
        assert!(!other.status.success(), "cast accepted the signature for another address");
    }
}

/// EIP-712: cast signs the same typed data with the same key and gets Tender's signature
/// (deterministic RFC 6979 signatures make them comparable byte for byte).
#[test]
fn typed_data_signatures_match_cast() {
    let v = vector("eip712_vectors.json");
    let mail = v["groups"][0]["typed_data"].to_string();
    let permit = serde_json::json!({
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"}, {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
            "Permit": [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"}, {"name": "value", "type": "uint256"}, {"name": "nonce", "type": "uint256"}, {"name": "deadline", "type": "uint256"}]
        },
        "primaryType": "Permit",
        "domain": {"name": "Store Token", "version": "1", "chainId": 31337, "verifyingContract": "0x5FbDB2315678afecb367f032d93F642f64180aa3"},
        "message": {"owner": "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "spender": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "value": U256::from(1_500_000u64).to_string(), "nonce": "0", "deadline": "1893456000"}
    })
    .to_string();
    let dir = tempfile::tempdir().expect("tmp");
    let phrase = RecoveryPhrase::generate(12, Language::English).expect("phrase");
    let seed = phrase.to_seed(&SecretString::default());
    let key = derive_signing_key(&seed, &AccountScheme::Bip44.path(0).expect("path")).expect("key");
    let key_hex = zeroize::Zeroizing::new(hex::encode_prefixed(key.to_bytes()));
    let signer = signer::PrivateKeySigner::from_signing_key(key);
    for (name, json) in [("mail", mail), ("permit", permit)] {
        let file = dir.path().join(format!("{name}.json"));
        std::fs::write(&file, &json).expect("write");
        let data = signer::parse_typed_data(&json).expect("typed data");
        let ours = hex::encode_prefixed(signer::sign_typed_data(&signer, &data).expect("sign").as_bytes());
        let theirs = cast(&[
            "wallet",
            "sign",
            "--private-key",
            key_hex.as_str(),
            "--data",
            "--from-file",
            file.to_str().expect("path"),
        ]);
        assert_eq!(ours, theirs, "{name}");
    }
}

/// The EIP-3009 authorization a gasless payment signs: Tender's EIP-712 signing hash, signed, equals
/// cast's `wallet sign --data` of the same typed data (domain from the shop's `extra`, the chain and
/// the token; the official packages' field names and types), for random amounts, times and nonces.
#[test]
fn transfer_with_authorization_signatures_match_cast() {
    use alloy::signers::SignerSync;
    use wallet_core::pay::gasless::signing_hash;
    use wallet_core::pay::x402::Authorization;
    let signer = crate::dev_signer(0);
    let key = format!("0x{}", hex::encode(signer.to_bytes()));
    let token: Address = "0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35".parse().expect("token");
    let tmp = tempfile::tempdir().expect("tmp");
    for round in 0..3 {
        let mut nonce = [0u8; 32];
        getrandom::getrandom(&mut nonce).expect("random");
        let after = u64::from(random_u32());
        let a = Authorization {
            from: signer.address(),
            to: Address::from_word(alloy::primitives::B256::from(nonce)),
            value: U256::from(random_u32()) * U256::from(10u64).pow(U256::from(12)),
            valid_after: after,
            valid_before: after + 300,
            nonce: nonce.into(),
        };
        let (name, version, chain_id) = if round == 0 { ("Store Credit", "1", 31337) } else { ("USD Coin", "2", 8453) };
        let typed = serde_json::json!({
            "types": {
                "EIP712Domain": [
                    { "name": "name", "type": "string" }, { "name": "version", "type": "string" },
                    { "name": "chainId", "type": "uint256" }, { "name": "verifyingContract", "type": "address" }
                ],
                "TransferWithAuthorization": [
                    { "name": "from", "type": "address" }, { "name": "to", "type": "address" },
                    { "name": "value", "type": "uint256" }, { "name": "validAfter", "type": "uint256" },
                    { "name": "validBefore", "type": "uint256" }, { "name": "nonce", "type": "bytes32" }
                ]
            },
            "primaryType": "TransferWithAuthorization",
            "domain": { "name": name, "version": version, "chainId": chain_id, "verifyingContract": token.to_checksum(None) },
            "message": {
                "from": a.from.to_checksum(None), "to": a.to.to_checksum(None), "value": a.value.to_string(),
                "validAfter": a.valid_after.to_string(), "validBefore": a.valid_before.to_string(),
                "nonce": a.nonce.to_string()
            }
        });
        let file = tmp.path().join(format!("typed-{round}.json"));
        std::fs::write(&file, typed.to_string()).expect("write");
        let theirs =
            cast(&["wallet", "sign", "--private-key", &key, "--data", "--from-file", file.to_str().expect("utf8")]);
        let hash = signing_hash(&a, name, version, chain_id, token);
        let ours = signer.sign_hash_sync(&hash).expect("sign");
        assert_eq!(format!("0x{}", hex::encode(ours.as_bytes())), theirs, "round {round}");
    }
}

/// Permit2's `PermitWitnessTransferFrom` for the x402 proxies (issue 22's first part): Tender's EIP-712
/// hash, signed, equals foundry's `cast wallet sign --data` of the same typed data, and the signature
/// the official package's types give through viem (`tools/x402-permit2-sign.mjs`), for `exact` and
/// `upto`, random amounts, deadlines, payees and nonces (the full 256-bit range Permit2's bitmap uses).
#[test]
fn permit2_witness_signatures_match_cast_and_the_official_package() {
    use alloy::signers::SignerSync;
    use wallet_core::pay::permit2::{Authorization, PERMIT2, Scheme, random_nonce};
    let signer = crate::dev_signer(0);
    let key = format!("0x{}", hex::encode(signer.to_bytes()));
    let tmp = tempfile::tempdir().expect("tmp");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/x402-permit2-sign.mjs");
    for round in 0..4 {
        let mut random = [0u8; 20];
        getrandom::getrandom(&mut random).expect("random");
        let scheme = if round % 2 == 0 { Scheme::Exact } else { Scheme::Upto { facilitator: Address::from(random) } };
        let a = Authorization {
            from: signer.address(),
            token: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913".parse().expect("token"),
            amount: U256::from(random_u32()) * U256::from(10u64).pow(U256::from(12)),
            nonce: random_nonce().expect("nonce"),
            deadline: 1_700_000_000 + u64::from(random_u32() % 100_000_000),
            to: Address::from_word(alloy::primitives::keccak256(random)),
            valid_after: u64::from(random_u32() % 1_000),
            scheme,
        };
        let chain_id: u64 = if round < 2 { 8453 } else { 31337 };
        let wire = a.to_wire();
        // The message is the payload's `permit2Authorization` without `from` (recovered, not signed).
        let mut message = wire.clone();
        message.as_object_mut().expect("object").remove("from");
        let mut witness_types = vec![serde_json::json!({ "name": "to", "type": "address" })];
        if matches!(scheme, Scheme::Upto { .. }) {
            witness_types.push(serde_json::json!({ "name": "facilitator", "type": "address" }));
        }
        witness_types.push(serde_json::json!({ "name": "validAfter", "type": "uint256" }));
        let typed = serde_json::json!({
            "types": {
                "EIP712Domain": [
                    { "name": "name", "type": "string" }, { "name": "chainId", "type": "uint256" },
                    { "name": "verifyingContract", "type": "address" }
                ],
                "PermitWitnessTransferFrom": [
                    { "name": "permitted", "type": "TokenPermissions" }, { "name": "spender", "type": "address" },
                    { "name": "nonce", "type": "uint256" }, { "name": "deadline", "type": "uint256" },
                    { "name": "witness", "type": "Witness" }
                ],
                "TokenPermissions": [{ "name": "token", "type": "address" }, { "name": "amount", "type": "uint256" }],
                "Witness": witness_types
            },
            "primaryType": "PermitWitnessTransferFrom",
            "domain": { "name": "Permit2", "chainId": chain_id, "verifyingContract": PERMIT2.to_checksum(None) },
            "message": message
        });
        let file = tmp.path().join(format!("permit2-{round}.json"));
        std::fs::write(&file, typed.to_string()).expect("write");
        let ours =
            format!("0x{}", hex::encode(signer.sign_hash_sync(&a.signing_hash(chain_id)).expect("sign").as_bytes()));
        let cast_sig =
            cast(&["wallet", "sign", "--private-key", &key, "--data", "--from-file", file.to_str().expect("utf8")]);
        assert_eq!(ours, cast_sig, "round {round}: cast");
        let out = Command::new("node")
            .arg(&script)
            .arg(chain_id.to_string())
            .arg(wire.to_string())
            .env("X402_PAYER_KEY", &key)
            .output()
            .expect("node (run scripts/setup.sh)");
        assert!(out.status.success(), "official package: {}", String::from_utf8_lossy(&out.stderr));
        let official: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(official["signature"], ours, "round {round}: the official package");
        assert_eq!(official["proxy"], wire["spender"], "round {round}: the canonical proxy");
    }
}

/// The shop's signed offer and receipt (x402 offer-receipt, EIP-712): the digests Tender checks
/// signatures against equal cast's, for random field values (the domain has no verifying contract).
#[test]
fn offer_and_receipt_digests_match_cast() {
    use alloy::signers::SignerSync;
    use alloy::sol_types::{Eip712Domain, SolStruct};
    use wallet_core::pay::signed::{Offer, Receipt};
    let signer = crate::dev_signer(1);
    let key = format!("0x{}", hex::encode(signer.to_bytes()));
    let tmp = tempfile::tempdir().expect("tmp");
    let domain = |name: &str| serde_json::json!({ "name": name, "version": "1", "chainId": 1 });
    let domain_types = serde_json::json!([
        { "name": "name", "type": "string" }, { "name": "version", "type": "string" }, { "name": "chainId", "type": "uint256" }
    ]);
    for round in 0..3 {
        let n = random_u32();
        let offer = Offer {
            version: U256::from(1),
            resourceUrl: format!("https://shop.example/pay/{n}?q=é"),
            scheme: if round == 1 { "upto".into() } else { "exact".into() },
            network: format!("eip155:{}", 1 + n % 100_000),
            asset: Address::from_word(alloy::primitives::keccak256(n.to_be_bytes())).to_checksum(None),
            payTo: Address::from_word(alloy::primitives::keccak256((n ^ 7).to_be_bytes())).to_checksum(None),
            amount: (u64::from(n) * 1_000_003).to_string(),
            validUntil: U256::from(if round == 2 { 0 } else { 1_700_000_000 + u64::from(n % 1_000_000) }),
        };
        let receipt = Receipt {
            version: U256::from(1),
            network: offer.network.clone(),
            resourceUrl: offer.resourceUrl.clone(),
            payer: signer.address().to_checksum(None),
            issuedAt: U256::from(1_700_000_000 + u64::from(n % 1_000)),
            transaction: if round == 0 {
                String::new()
            } else {
                format!("{}", alloy::primitives::keccak256(n.to_le_bytes()))
            },
        };
        let cases = [
            (
                "Offer",
                "x402 offer",
                serde_json::json!([
                    { "name": "version", "type": "uint256" }, { "name": "resourceUrl", "type": "string" },
                    { "name": "scheme", "type": "string" }, { "name": "network", "type": "string" },
                    { "name": "asset", "type": "string" }, { "name": "payTo", "type": "string" },
                    { "name": "amount", "type": "string" }, { "name": "validUntil", "type": "uint256" }
                ]),
                serde_json::json!({ "version": 1, "resourceUrl": offer.resourceUrl, "scheme": offer.scheme,
                    "network": offer.network, "asset": offer.asset, "payTo": offer.payTo, "amount": offer.amount,
                    "validUntil": offer.validUntil.to_string() }),
                offer.eip712_signing_hash(&Eip712Domain::new(
                    Some("x402 offer".into()),
                    Some("1".into()),
                    Some(U256::from(1)),
                    None,
                    None,
                )),
            ),
            (
                "Receipt",
                "x402 receipt",
                serde_json::json!([
                    { "name": "version", "type": "uint256" }, { "name": "network", "type": "string" },
                    { "name": "resourceUrl", "type": "string" }, { "name": "payer", "type": "string" },
                    { "name": "issuedAt", "type": "uint256" }, { "name": "transaction", "type": "string" }
                ]),
                serde_json::json!({ "version": 1, "network": receipt.network, "resourceUrl": receipt.resourceUrl,
                    "payer": receipt.payer, "issuedAt": receipt.issuedAt.to_string(), "transaction": receipt.transaction }),
                receipt.eip712_signing_hash(&Eip712Domain::new(
                    Some("x402 receipt".into()),
                    Some("1".into()),
                    Some(U256::from(1)),
                    None,
                    None,
                )),
            ),
        ];
        for (primary, name, fields, message, hash) in cases {
            let typed = serde_json::json!({
                "types": { "EIP712Domain": domain_types, primary: fields },
                "primaryType": primary, "domain": domain(name), "message": message
            });
            let file = tmp.path().join(format!("{primary}-{round}.json"));
            std::fs::write(&file, typed.to_string()).expect("write");
            let ours = format!("0x{}", hex::encode(signer.sign_hash_sync(&hash).expect("sign").as_bytes()));
            let theirs =
                cast(&["wallet", "sign", "--private-key", &key, "--data", "--from-file", file.to_str().expect("utf8")]);
            assert_eq!(ours, theirs, "{primary} round {round}");
        }
    }
}
