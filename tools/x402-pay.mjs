#!/usr/bin/env node
// The OFFICIAL x402 client (@x402/fetch with @x402/evm's `exact` scheme) paying one link: the test that
// Tender's demo merchant serves any x402 wallet, not just Tender (tests/integration/gasless.rs).
//
//   X402_PAYER_KEY=0x… node tools/x402-pay.mjs URL
//
// The payer's key signs the EIP-3009 authorization; it needs the token, no ether. The official
// client's spend controls allow only well-known dollar assets up to $1 by default: the store token is
// opted in (for exactly the amounts the link asks, up to 1000 tokens of 18 decimals). Prints one JSON
// line: the HTTP status, the body and the decoded settlement header.
import { wrapFetchWithPaymentFromConfig, decodePaymentResponseHeader } from '@x402/fetch'
import { ExactEvmScheme } from '@x402/evm'
import { privateKeyToAccount } from 'viem/accounts'

const url = process.argv[2]
const key = process.env.X402_PAYER_KEY
if (!url || !key) {
  console.error('usage: X402_PAYER_KEY=0x… node tools/x402-pay.mjs URL')
  process.exit(2)
}
const account = privateKeyToAccount(key)
const pay = wrapFetchWithPaymentFromConfig(fetch, {
  schemes: [{ network: 'eip155:*', client: new ExactEvmScheme(account) }],
  spendControls: {
    allowedAssets: [{ network: 'eip155:31337', asset: '0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35', maxAmountPerPayment: '1000000000000000000000' }],
  },
})
const response = await pay(url, { method: 'GET', signal: AbortSignal.timeout(30_000) })
const header = response.headers.get('PAYMENT-RESPONSE') || response.headers.get('X-PAYMENT-RESPONSE')
const body = await response.text()
process.stdout.write(JSON.stringify({
  status: response.status,
  body,
  settlement: header ? decodePaymentResponseHeader(header) : null,
}) + '\n')
