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

    // An NFT's image made into pixels (issue 23): the dev chain's store card as its contract draws it, and
    // a 1000 × 1000 photo as a JPEG, each to a PNG of at most 384 px.
    let card = r##"<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320" viewBox="0 0 320 320"><rect width="320" height="320" rx="28" fill="#0f766e"/><rect x="40" y="72" width="240" height="176" rx="16" fill="#ffffff" fill-opacity="0.92"/><rect x="64" y="104" width="120" height="16" rx="8" fill="#94a3b8"/><rect x="64" y="140" width="192" height="12" rx="6" fill="#cbd5e1"/><rect x="64" y="168" width="160" height="12" rx="6" fill="#cbd5e1"/><circle cx="240" cy="208" r="20" fill="#f59e0b"/><text x="40" y="50" font-size="24" fill="#fff">Store</text></svg>"##;
    wallet_core::nft::render::to_png("image/svg+xml", card.as_bytes()).expect("fonts loaded once, outside the timing");
    c.bench_function("NFT image: SVG store card -> PNG (resvg)", |b| {
        b.iter(|| wallet_core::nft::render::to_png("image/svg+xml", black_box(card.as_bytes())).expect("png"))
    });
    let photo = image::RgbImage::from_fn(1000, 1000, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x * y) % 256) as u8])
    });
    let mut jpeg = std::io::Cursor::new(Vec::new());
    photo.write_to(&mut jpeg, image::ImageFormat::Jpeg).expect("jpeg");
    let jpeg = jpeg.into_inner();
    c.bench_function("NFT image: 1000x1000 JPEG -> PNG (image)", |b| {
        b.iter(|| wallet_core::nft::render::to_png("image/jpeg", black_box(&jpeg)).expect("png"))
    });

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
