#!/usr/bin/env node
// The OFFICIAL x402 package's Permit2 typed data, signed by viem: the peer Tender's Permit2 signatures
// are checked against (tests/integration/cast.rs). The types, the domain and the message are built as
// @x402/evm 2.27 builds them in its client (`signPermit2Authorization`: `permit2WitnessTypes`, or
// `uptoPermit2WitnessTypes` for `upto`; domain { name "Permit2", chainId, verifyingContract
// PERMIT2_ADDRESS }; the proxy its package names as the spender).
//
//   X402_PAYER_KEY=0x… node tools/x402-permit2-sign.mjs CHAIN_ID '<permit2Authorization JSON>'
//
// Prints one JSON line: the signature, and the proxy the package names for the scheme.
import {
  PERMIT2_ADDRESS, permit2WitnessTypes, uptoPermit2WitnessTypes, x402ExactPermit2ProxyAddress, x402UptoPermit2ProxyAddress,
} from '@x402/evm'
import { privateKeyToAccount } from 'viem/accounts'
import { getAddress } from 'viem'

const [chainId, json] = process.argv.slice(2)
const key = process.env.X402_PAYER_KEY
if (!chainId || !json || !key) {
  console.error("usage: X402_PAYER_KEY=0x… node tools/x402-permit2-sign.mjs CHAIN_ID '<permit2Authorization JSON>'")
  process.exit(2)
}
const a = JSON.parse(json)
const upto = a.witness.facilitator !== undefined
const witness = upto
  ? { to: getAddress(a.witness.to), facilitator: getAddress(a.witness.facilitator), validAfter: BigInt(a.witness.validAfter) }
  : { to: getAddress(a.witness.to), validAfter: BigInt(a.witness.validAfter) }
const signature = await privateKeyToAccount(key).signTypedData({
  domain: { name: 'Permit2', chainId: Number(chainId), verifyingContract: PERMIT2_ADDRESS },
  types: upto ? uptoPermit2WitnessTypes : permit2WitnessTypes,
  primaryType: 'PermitWitnessTransferFrom',
  message: {
    permitted: { token: getAddress(a.permitted.token), amount: BigInt(a.permitted.amount) },
    spender: getAddress(a.spender),
    nonce: BigInt(a.nonce),
    deadline: BigInt(a.deadline),
    witness,
  },
})
console.log(JSON.stringify({ signature, proxy: upto ? x402UptoPermit2ProxyAddress : x402ExactPermit2ProxyAddress }))
