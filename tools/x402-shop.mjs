#!/usr/bin/env node
// The demo merchant's gasless checkout: each order of the shop (`tender merchant`, crates/devtools)
// behind an x402-protected payment link, served by the OFFICIAL x402 packages (@x402/express's
// payment middleware, @x402/core's resource server and facilitator, @x402/evm's `exact` scheme with
// EIP-3009). Nothing of the protocol is written here: the wallet is proven against code nobody in this
// project wrote. The facilitator verifies and settles on the chain with the merchant's funded key, so
// the shopper needs no ether.
//
// Beside EIP-3009 the same orders are offered through Permit2 (any ERC-20; @x402/evm's `exact` with
// `assetTransferMethod: "permit2"`, and `upto`), with the official @x402/extensions declarations:
// `payment-identifier` on every route, `eip2612GasSponsoring` on the sponsored one.
//
//   node tools/x402-shop.mjs --rpc URL --shop URL [--port N] [--description TEXT] [--upto-charge PERCENT] [--stay]
//   env X402_FACILITATOR_KEY   the facilitator's private key (0x…, funded with ether for the fees)
//
// Routes: GET /pay/:order  — 402 with the order's terms (payTo: the order's own deposit address,
// amount and token from the shop's GET /orders/:order), 200 once paid and settled.
//   GET /permit2/:order            the same through Permit2 (the shopper's one-time approval needed)
//   GET /permit2-sponsored/:order  the same, the approval sponsored (an EIP-2612 permit in the payment)
//   GET /upto/:order               `upto`: the order's amount is the maximum; the till then charges
//                                  --upto-charge percent of it (default 75), through Settlement-Overrides;
//                                  the approval sponsored (an EIP-2612 permit) when it is missing
//   GET /signed/:order             EIP-3009, the offer signed and a receipt returned (@x402/extensions'
//                                  offer-receipt, EIP-712), the signing key published in
//   GET /.well-known/did.json      (did:web)
// A payment carrying a `payment-identifier` id is answered once: the same id with the same payment
// gets the first answer again, with another payment HTTP 409 (the specification's idempotency, which
// the official server declares but leaves to the shop). Prints one JSON
// line {"url": …, "facilitator": …} when it listens. Listens on 127.0.0.1 only.
import express from 'express'
import { paymentMiddleware, x402ResourceServer } from '@x402/express'
import { x402Facilitator } from '@x402/core/facilitator'
import { ExactEvmScheme as ExactEvmServer } from '@x402/evm/exact/server'
import { ExactEvmScheme as ExactEvmFacilitator } from '@x402/evm/exact/facilitator'
import { UptoEvmScheme as UptoEvmServer } from '@x402/evm/upto/server'
import { UptoEvmScheme as UptoEvmFacilitator } from '@x402/evm/upto/facilitator'
import {
  createEIP712OfferReceiptIssuer,
  createOfferReceiptExtension,
  declareEip2612GasSponsoringExtension,
  declareOfferReceiptExtension,
  declarePaymentIdentifierExtension,
  extractPaymentIdentifier,
  PAYMENT_IDENTIFIER,
} from '@x402/extensions'
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
const uptoCharge = BigInt(arg('upto-charge', '75'))
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
const facilitator = new x402Facilitator()
  .register(network, new ExactEvmFacilitator(signer))
  .register(network, new UptoEvmFacilitator(signer))
const facilitatorClient = {
  verify: (payload, requirements) => facilitator.verify(payload, requirements),
  settle: (payload, requirements) => facilitator.settle(payload, requirements),
  getSupported: async () => facilitator.getSupported(),
}
// The shop signs its offers and receipts (the official offer-receipt extension, EIP-712) with its own
// key, here the facilitator's, which it publishes at /.well-known/did.json (did:web).
const issuer = createEIP712OfferReceiptIssuer(`did:web:shop#key-1`, (typed) => wallet.signTypedData({ account, ...typed }))
const server = new x402ResourceServer(facilitatorClient)
  .register(network, new ExactEvmServer())
  .register(network, new UptoEvmServer())
server.registerExtension(createOfferReceiptExtension(issuer))

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
    try {
      const [, name, version] = await wallet.readContract({ address: token, abi: eip712DomainAbi, functionName: 'eip712Domain' })
      domains.set(token, { name, version })
    } catch {
      // A plain ERC-20 (the dev chain's tEUR) has no EIP-712 domain of its own: it is paid through
      // Permit2 only, whose signature needs none. Not kept: the next order asks again.
      return {}
    }
  }
  return domains.get(token)
}

// The order named by the request's path, as the shop has it.
async function order(context) {
  const number = (context.path.match(/\/(\d+)$/) || [])[1]
  if (number === undefined) throw new Error('no such order')
  const answer = await fetch(`${shop}orders/${number}`, { signal: AbortSignal.timeout(5_000) })
  if (!answer.ok) throw new Error(`the shop does not know order ${number}`)
  return answer.json()
}

// One route's terms: the order's deposit address, amount and token, `extra` as the method needs.
function route(scheme, method, extensions = {}) {
  return {
    accepts: {
      scheme,
      network,
      payTo: async (context) => (await order(context)).deposit,
      price: async (context) => {
        const o = await order(context)
        const extra = await domainOf(o.token)
        return { amount: o.amount, asset: o.token, extra: method ? { ...extra, assetTransferMethod: method } : extra }
      },
      maxTimeoutSeconds: 300,
    },
    description,
    mimeType: 'application/json',
    extensions,
  }
}
const paymentId = { [PAYMENT_IDENTIFIER]: declarePaymentIdentifierExtension(false) }

// `payment-identifier`: the first answer to an id, kept (in memory: a dev shop).
const answered = new Map()
function idempotent(req, res, next) {
  const header = req.get('PAYMENT-SIGNATURE')
  let id
  try {
    id = header && extractPaymentIdentifier(JSON.parse(Buffer.from(header, 'base64').toString('utf8')))
  } catch {
    id = undefined
  }
  if (!id) return next()
  const earlier = answered.get(id)
  if (earlier) {
    if (earlier.header !== header) return res.status(409).json({ error: 'payment_identifier_conflict' })
    for (const [k, v] of Object.entries(earlier.headers)) res.setHeader(k, v)
    return res.status(earlier.status).json(earlier.body)
  }
  const json = res.json.bind(res)
  res.json = (body) => {
    if (res.statusCode === 200) {
      const headers = {}
      for (const k of ['payment-response']) if (res.getHeader(k)) headers[k] = String(res.getHeader(k))
      answered.set(id, { header, status: 200, body, headers })
    }
    return json(body)
  }
  next()
}

const app = express()
app.disable('x-powered-by')
app.use(idempotent)
app.use(
  paymentMiddleware(
    {
      'GET /pay/:order': route('exact'),
      'GET /permit2/:order': route('exact', 'permit2', paymentId),
      'GET /permit2-sponsored/:order': route('exact', 'permit2', {
        ...paymentId,
        ...declareEip2612GasSponsoringExtension(),
      }),
      'GET /upto/:order': route('upto', 'permit2', { ...paymentId, ...declareEip2612GasSponsoringExtension() }),
      'GET /signed/:order': route('exact', undefined, { ...paymentId, ...declareOfferReceiptExtension({ includeTxHash: true }) }),
    },
    server,
  ),
)
app.get('/.well-known/did.json', (req, res) => res.json({
  '@context': ['https://www.w3.org/ns/did/v1'],
  id: 'did:web:shop',
  verificationMethod: [{
    id: 'did:web:shop#key-1',
    type: 'EcdsaSecp256k1RecoveryMethod2020',
    controller: 'did:web:shop',
    blockchainAccountId: `eip155:${chainId}:${account.address}`,
  }],
}))
for (const kind of ['pay', 'permit2', 'permit2-sponsored', 'signed']) {
  app.get(`/${kind}/:order`, (req, res) => res.json({ paid: true, order: req.params.order }))
}
// `upto`: the till's total, never above the maximum the shopper authorized.
app.get('/upto/:order', async (req, res) => {
  const o = await order({ path: req.path })
  const charge = (BigInt(o.amount) * uptoCharge) / 100n
  res.setHeader('Settlement-Overrides', JSON.stringify({ amount: charge.toString() }))
  res.json({ paid: true, order: req.params.order, charged: charge.toString() })
})

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
