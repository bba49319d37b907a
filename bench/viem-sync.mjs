#!/usr/bin/env node
// The reference side of the sync benchmark (bench/sync.sh): the same 255 balances read with viem's
// multicall configured for a single eth_call, and the floor: posting one pre-built eth_call with
// plain fetch. Prints one JSON line. Usage: node bench/viem-sync.mjs RPC_URL INPUT_JSON ITERATIONS
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'tools', 'package.json'))
const { createPublicClient, http, erc20Abi, encodeFunctionData } = require('viem')

const [rpc, inputJson, iterationsText] = process.argv.slice(2)
const { accounts, tokens, multicall } = JSON.parse(inputJson)
const iterations = Number(iterationsText || 200)

const multicallAbi = [
  { type: 'function', name: 'getEthBalance', stateMutability: 'view', inputs: [{ name: 'addr', type: 'address' }], outputs: [{ name: 'balance', type: 'uint256' }] },
  {
    type: 'function', name: 'aggregate3', stateMutability: 'payable',
    inputs: [{ name: 'calls', type: 'tuple[]', components: [{ name: 'target', type: 'address' }, { name: 'allowFailure', type: 'bool' }, { name: 'callData', type: 'bytes' }] }],
    outputs: [{ name: 'returnData', type: 'tuple[]', components: [{ name: 'success', type: 'bool' }, { name: 'returnData', type: 'bytes' }] }],
  },
]

let requests = 0
const client = createPublicClient({ transport: http(rpc, { onFetchRequest: () => { requests++ } }) })
const contracts = []
for (const account of accounts) {
  contracts.push({ address: multicall, abi: multicallAbi, functionName: 'getEthBalance', args: [account] })
  for (const token of tokens) contracts.push({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [account] })
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)]
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length
  return { median_ms: +median.toFixed(3), mean_ms: +mean.toFixed(3), p90_ms: +sorted[Math.floor(sorted.length * 0.9)].toFixed(3) }
}

async function measure(fn) {
  for (let i = 0; i < Math.min(20, iterations); i++) await fn() // warm-up
  requests = 0
  const samples = []
  for (let i = 0; i < iterations; i++) {
    const t = performance.now()
    await fn()
    samples.push(performance.now() - t)
  }
  return { ...stats(samples), requests_per_sync: requests / iterations }
}

const viemResult = await measure(async () => {
  const results = await client.multicall({ contracts, allowFailure: true, multicallAddress: multicall, batchSize: 0 })
  if (results.length !== contracts.length) throw new Error('viem returned the wrong number of results')
})

// The floor: one pre-built aggregate3 eth_call posted with fetch (no encoding or decoding timed).
const calls = contracts.map((c) => ({ target: c.address, allowFailure: true, callData: encodeFunctionData({ abi: c.abi, functionName: c.functionName, args: c.args }) }))
const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ to: multicall, data: encodeFunctionData({ abi: multicallAbi, functionName: 'aggregate3', args: [calls] }) }, 'latest'] })
const fetchResult = await measure(async () => {
  requests++
  const response = await fetch(rpc, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  const json = await response.json()
  if (!json.result) throw new Error('no result')
})

console.log(JSON.stringify({ balances: contracts.length, viem_multicall: viemResult, fetch_floor: fetchResult }))
