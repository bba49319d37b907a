#!/usr/bin/env node
// The viem side of the scale benchmark (crates/devtools/benches/scale.rs, bench/scale.sh): the same
// balances read with viem 2's `multicall`, once with its defaults (chunks of 1 024 bytes of calldata,
// sent together) and once tuned to Tender's chunking (`batchSize` of 3 500 balanceOf calls). Prints one
// JSON line: per way, the median time, the eth_calls per read and the peak resident memory the read
// added (Linux: peak reset through /proc/self/clear_refs before each read).
// Usage: node bench/viem-scale.mjs RPC_URL MULTICALL PAIRS_JSON_FILE ITERATIONS
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'tools', 'package.json'))
const { createPublicClient, http, erc20Abi } = require('viem')

const [rpc, multicall, pairsFile, iterationsText] = process.argv.slice(2)
const pairs = JSON.parse(readFileSync(pairsFile, 'utf8'))
const iterations = Number(iterationsText || 20)
const getEthBalance = [{ type: 'function', name: 'getEthBalance', stateMutability: 'view', inputs: [{ name: 'addr', type: 'address' }], outputs: [{ name: 'balance', type: 'uint256' }] }]

let requests = 0
const client = createPublicClient({ transport: http(rpc, { onFetchRequest: () => { requests++ }, timeout: 60_000 }) })
const contracts = pairs.map(([account, token]) => token
  ? { address: token, abi: erc20Abi, functionName: 'balanceOf', args: [account] }
  : { address: multicall, abi: getEthBalance, functionName: 'getEthBalance', args: [account] })

const status = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0)

async function measure(batchSize) {
  const read = async () => {
    const results = await client.multicall({ contracts, allowFailure: true, multicallAddress: multicall, batchSize })
    if (results.length !== contracts.length || results.some((r) => r.status !== 'success')) throw new Error('viem: a balance failed')
  }
  for (let i = 0; i < Math.min(3, iterations); i++) await read() // warm-up
  requests = 0
  const samples = []
  let peakKiB = 0
  for (let i = 0; i < iterations; i++) {
    globalThis.gc?.()
    try { writeFileSync('/proc/self/clear_refs', '5') } catch {}
    const before = status('VmRSS')
    const t = performance.now()
    await read()
    samples.push(performance.now() - t)
    peakKiB = Math.max(peakKiB, status('VmHWM') - before)
  }
  const sorted = [...samples].sort((a, b) => a - b)
  return { median_ms: +sorted[Math.floor(sorted.length / 2)].toFixed(3), requests: requests / iterations, peak_kib: peakKiB }
}

const viemDefault = await measure(undefined)
const viemTuned = await measure(3_500 * 36)
console.log(JSON.stringify({ balances: contracts.length, viem_default: viemDefault, viem_tuned: viemTuned }))
