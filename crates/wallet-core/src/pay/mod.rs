//! Paying: payment requests (EIP-681 links and QR codes) and payments (quote → sign → store → send →
//! confirm).

pub mod payment;
pub mod request;
pub mod verdict;
