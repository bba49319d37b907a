//! `cargo bench -p wallet-core`: the costs a shopper feels. Numbers go in BENCHMARKS.md.
#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use wallet_core::keys::derivation::{AccountScheme, derive_accounts};
use wallet_core::keys::signer::{self, TxRequest};
use wallet_core::vault::{self, KdfParams, VaultSecret};
use wallet_core::{RecoveryPhrase, SecretString};

const DEV: &str = "test test test test test test test test test test test junk";

fn benches(c: &mut Criterion) {
    let phrase = RecoveryPhrase::parse(DEV).expect("phrase");
    let none = SecretString::default();

    c.bench_function("phrase parse + validate (12 words)", |b| {
        b.iter(|| RecoveryPhrase::parse(black_box(DEV)).expect("parse"))
    });
    c.bench_function("phrase -> seed (PBKDF2-HMAC-SHA512, 2048 rounds)", |b| {
        b.iter(|| phrase.to_seed(black_box(&none)))
    });

    let seed = phrase.to_seed(&none);
    c.bench_function("derive 20 accounts (BIP44)", |b| {
        b.iter(|| derive_accounts(black_box(&seed), AccountScheme::Bip44, 0, 20).expect("derive"))
    });

    let account = signer::signer_at(&seed, &AccountScheme::Bip44.path(0).expect("path")).expect("signer");
    let request: TxRequest = serde_json::from_str(
        r#"{"chainId":8453,"nonce":3,"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":"0","gas":65000,"maxFeePerGas":"2000000000","maxPriorityFeePerGas":"1000000","data":"0xa9059cbb00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c800000000000000000000000000000000000000000000000000000000000f4240"}"#,
    )
    .expect("request");
    c.bench_function("sign EIP-1559 token transfer", |b| {
        b.iter(|| {
            signer::sign_transaction(&account, signer::build_transaction(black_box(&request)).expect("tx"))
                .expect("sign")
        })
    });
    c.bench_function("derive signer + sign (per-operation key)", |b| {
        b.iter(|| {
            let s = signer::signer_at(&seed, &AccountScheme::Bip44.path(0).expect("path")).expect("signer");
            signer::sign_transaction(&s, signer::build_transaction(&request).expect("tx")).expect("sign")
        })
    });

    let password = SecretString::from("correct horse battery");
    let secret = VaultSecret { phrase: phrase.clone(), passphrase: SecretString::default() };
    let sealed = vault::seal(&secret, &password, KdfParams::DEFAULT).expect("seal");
    let mut group = c.benchmark_group("vault");
    group.sample_size(10);
    group.bench_function("unlock (Argon2id 128 MiB x 6 + XChaCha20-Poly1305)", |b| {
        b.iter(|| vault::open(black_box(&sealed), &password).expect("open"))
    });
    let mobile = vault::seal(&secret, &password, KdfParams::MOBILE).expect("seal");
    group.bench_function("unlock, mobile parameters (Argon2id 64 MiB x 3)", |b| {
        b.iter(|| vault::open(black_box(&mobile), &password).expect("open"))
    });
    group.finish();

    // The cost model behind the phone budget (BENCHMARKS.md): one core's Argon2id time is linear in
    // memory × passes; these points measure the slope.
    let mut model = c.benchmark_group("argon2id one core");
    model.sample_size(10);
    for (mib, passes) in [(16u32, 3u32), (32, 3), (64, 1), (64, 3), (64, 6), (128, 3), (128, 6)] {
        let params = KdfParams { memory_kib: mib * 1024, iterations: passes, lanes: 1 };
        let sealed = vault::seal(&secret, &password, params).expect("seal");
        model.bench_function(format!("{mib} MiB x {passes}"), |b| {
            b.iter(|| vault::open(black_box(&sealed), &password).expect("open"))
        });
    }
    model.finish();
}

criterion_group!(core, benches);
criterion_main!(core);
