//! What a JSON-RPC node answers (untrusted): the response envelope, fee history and receipts as
//! Tender reads them. Decoding never panics; the fee Tender would offer from any fee history stays
//! within the network's ceiling; the amount read from a receipt's logs is never more than the logs
//! say.
#![no_main]

use alloy::primitives::{Address, U256};
use alloy::rpc::json_rpc::ResponsePacket;
use alloy::rpc::types::{FeeHistory, TransactionReceipt};
use libfuzzer_sys::fuzz_target;
use wallet_core::pay::payment::{FeePolicy, fees_from_history, received_in_logs};

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<ResponsePacket>(data);
    let policy = FeePolicy::for_chain(1);
    if let Ok(history) = serde_json::from_slice::<FeeHistory>(data) {
        if let Ok((max_fee, tip)) = fees_from_history(&history, &policy, "ETH") {
            assert!(max_fee <= policy.max_fee_per_gas && tip <= max_fee);
        }
    }
    if let Ok(receipt) = serde_json::from_slice::<TransactionReceipt>(data) {
        let logs = receipt.inner.logs();
        let token = logs.first().map(|l| l.address()).unwrap_or_default();
        let got = received_in_logs(logs, token, Address::ZERO, Address::repeat_byte(1));
        assert!(logs.len() > 0 || got == U256::ZERO);
    }
});
