#!/usr/bin/env node
// The demo merchant's gasless checkout: each order of the shop (`tender merchant`, crates/devtools)
// behind an x402-protected payment link, served by the OFFICIAL x402 packages (@x402/express's
// payment middleware, @x402/core's resource server and facilitator, @x402/evm's `exact` scheme with
// EIP-3009). Nothing of the protocol is written here: the wallet is proven against code nobody in this
// project wrote. The facilitator verifies and settles on the chain with the merchant's funded key, so
// the shopper needs no ether.
//
//   node tools/x402-shop.mjs --rpc URL --shop URL [--port N] [--description TEXT] [--stay]
//   env X402_FACILITATOR_KEY   the facilitator's private key (0x…, funded with ether for the fees)
//
// Routes: GET /pay/:order  — 402 with the order's terms (payTo: the order's own deposit address,
// amount and token from the shop's GET /orders/:order), 200 once paid and settled. Prints one JSON
// line {"url": …, "facilitator": …} when it listens. Listens on 127.0.0.1 only.
import express from 'express'
import { paymentMiddleware, x402ResourceServer } from '@x402/express'
import { x402Facilitator } from '@x402/core/facilitator'
import { ExactEvmScheme as ExactEvmServer } from '@x402/evm/exact/server'
import { ExactEvmScheme as ExactEvmFacilitator } from '@x402/evm/exact/facilitator'
import { toFacilitatorEvmSigner } from '@x402/evm'
import { createWalletClient, defineChain, http, publicActions } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`)
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1]
  if (fallback !== undefined) return fallback
  console.error(`x402-shop: --${name} is required`)
  process.exit(2)
}

const rpc = arg('rpc')
const shop = arg('shop').replace(/\/?$/, '/')
const port = Number(arg('port', '0'))
const description = arg('description', 'Your order')
const key = process.env.X402_FACILITATOR_KEY
if (!key) {
  console.error('x402-shop: X402_FACILITATOR_KEY is required')
  process.exit(2)
}

const transport = http(rpc, { timeout: 20_000 })
const probe = createWalletClient({ transport }).extend(publicActions)
const chainId = await probe.getChainId()
const chain = defineChain({
  id: chainId,
  name: `chain ${chainId}`,
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [rpc] } },
})
const network = `eip155:${chainId}`
const account = privateKeyToAccount(key)
const wallet = createWalletClient({ account, chain, transport }).extend(publicActions)
const signer = toFacilitatorEvmSigner(
  {
    address: account.address,
    readContract: (a) => wallet.readContract(a),
    verifyTypedData: (a) => wallet.verifyTypedData(a),
    writeContract: (a) => wallet.writeContract(a),
    sendTransaction: (a) => wallet.sendTransaction(a),
    waitForTransactionReceipt: (a) => wallet.waitForTransactionReceipt(a),
    getCode: (a) => wallet.getCode(a),
  },
  { confirmationTimeoutMs: 20_000 },
)

// The facilitator in this process (the official one, not an HTTP service elsewhere).
const facilitator = new x402Facilitator().register(network, new ExactEvmFacilitator(signer))
const facilitatorClient = {
  verify: (payload, requirements) => facilitator.verify(payload, requirements),
  settle: (payload, requirements) => facilitator.settle(payload, requirements),
  getSupported: async () => facilitator.getSupported(),
}
const server = new x402ResourceServer(facilitatorClient).register(network, new ExactEvmServer())

const eip712DomainAbi = [{
  type: 'function', name: 'eip712Domain', stateMutability: 'view', inputs: [],
  outputs: [
    { name: 'fields', type: 'bytes1' }, { name: 'name', type: 'string' }, { name: 'version', type: 'string' },
    { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' },
    { name: 'salt', type: 'bytes32' }, { name: 'extensions', type: 'uint256[]' },
  ],
}]
const domains = new Map()
async function domainOf(token) {
  if (!domains.has(token)) {
    const [, name, version] = await wallet.readContract({ address: token, abi: eip712DomainAbi, functionName: 'eip712Domain' })
    domains.set(token, { name, version })
  }
  return domains.get(token)
}

// The order named by the request's path, as the shop has it.
async function order(context) {
  const number = (context.path.match(/\/pay\/(\d+)$/) || [])[1]
  if (number === undefined) throw new Error('no such order')
  const answer = await fetch(`${shop}orders/${number}`, { signal: AbortSignal.timeout(5_000) })
  if (!answer.ok) throw new Error(`the shop does not know order ${number}`)
  return answer.json()
}

const app = express()
app.disable('x-powered-by')
app.use(
  paymentMiddleware(
    {
      'GET /pay/:order': {
        accepts: {
          scheme: 'exact',
          network,
          payTo: async (context) => (await order(context)).deposit,
          price: async (context) => {
            const o = await order(context)
            return { amount: o.amount, asset: o.token, extra: await domainOf(o.token) }
          },
          maxTimeoutSeconds: 300,
        },
        description,
        mimeType: 'application/json',
      },
    },
    server,
  ),
)
app.get('/pay/:order', (req, res) => res.json({ paid: true, order: req.params.order }))

const listener = app.listen(port, '127.0.0.1', () => {
  const url = `http://127.0.0.1:${listener.address().port}/`
  process.stdout.write(JSON.stringify({ url, facilitator: account.address }) + '\n')
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0))
// Started by `tender merchant` with a pipe on stdin: when it ends (the parent is gone, however it
// died), so does this server. Run by hand, pass --stay to ignore stdin.
if (!process.argv.includes('--stay')) {
  process.stdin.on('end', () => process.exit(0))
  process.stdin.resume()
}
