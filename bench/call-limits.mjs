#!/usr/bin/env node
// What one Multicall3 `aggregate3` eth_call of N `balanceOf` reads costs a node: request bytes, gas used
// (eth_estimateGas of the same call) and answer bytes, for growing N, on the dev chain; and where the
// node refuses it. The chunk size of `balance::sync` (wallet-core `SyncOptions`) is chosen from these
// figures and the published limits of common nodes (BENCHMARKS.md "How cost grows").
// Usage: node bench/call-limits.mjs RPC_URL MULTICALL TOKEN [N...]
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'tools', 'package.json'))
const { encodeFunctionData, erc20Abi, keccak256, toHex, getAddress } = require('viem')

const [rpc, multicall, token, ...sizes] = process.argv.slice(2)
const ns = sizes.length ? sizes.map(Number) : [100, 1000, 2000, 3000, 3400, 4000, 5000, 6000, 8000, 10000]
const aggregate3 = [{
  type: 'function', name: 'aggregate3', stateMutability: 'payable',
  inputs: [{ name: 'calls', type: 'tuple[]', components: [{ name: 'target', type: 'address' }, { name: 'allowFailure', type: 'bool' }, { name: 'callData', type: 'bytes' }] }],
  outputs: [{ name: 'returnData', type: 'tuple[]', components: [{ name: 'success', type: 'bool' }, { name: 'returnData', type: 'bytes' }] }],
}]
// Distinct holders, as deposit addresses are: each read is a cold storage slot.
const holder = (i) => getAddress(keccak256(toHex(`deposit ${i}`)).slice(0, 42))

async function post(method, params) {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params })
  const t = performance.now()
  const response = await fetch(rpc, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  const text = await response.text()
  return { ms: performance.now() - t, status: response.status, requestBytes: body.length, answerBytes: text.length, json: (() => { try { return JSON.parse(text) } catch { return { error: { message: text.slice(0, 120) } } } })() }
}

console.log('| balances | request bytes | gas used | answer bytes | eth_call ms | node says |')
console.log('|---|---|---|---|---|---|')
for (const n of ns) {
  const calls = Array.from({ length: n }, (_, i) => ({ target: token, allowFailure: true, callData: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [holder(i)] }) }))
  const data = encodeFunctionData({ abi: aggregate3, functionName: 'aggregate3', args: [calls] })
  const tx = { to: multicall, data }
  const gas = await post('eth_estimateGas', [tx, 'latest'])
  const call = await post('eth_call', [tx, 'latest'])
  const said = call.json.error ? `refused: ${call.json.error.message.slice(0, 80)}` : 'ok'
  const used = gas.json.result ? Number(BigInt(gas.json.result)).toLocaleString('en') : `(${(gas.json.error?.message ?? '').slice(0, 60)})`
  console.log(`| ${n} | ${call.requestBytes.toLocaleString('en')} | ${used} | ${call.answerBytes.toLocaleString('en')} | ${call.ms.toFixed(1)} | ${said} |`)
}
