#!/usr/bin/env node
// The next lever for 10 000 balances (BENCHMARKS.md "How cost grows"), measured, not built into the
// wallet yet: a balance reader that is never deployed. Its code is given to eth_call as a state
// override at an unused address; it reads `balanceOf` of packed 20-byte holders for one token and
// returns 32 bytes each. Compared with Multicall3 `aggregate3` (what `balance::sync` sends today) on
// the same 10 000 holders of the dev chain's store token: request bytes, gas, answer bytes and
// the median time of the whole read in 1, 2 and 3 concurrent chunks.
// Usage: node bench/reader-lever.mjs RPC_URL MULTICALL TOKEN [ROUNDS]
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'tools', 'package.json'))
const solc = require('solc')
const { encodeFunctionData, erc20Abi, keccak256, toHex, getAddress } = require('viem')

const [rpc, multicall, token, roundsText] = process.argv.slice(2)
const rounds = Number(roundsText || 15)
const N = 10_000

// The reader: calldata = token (20 bytes) ‖ holders (20 bytes each); answer = one word per holder,
// all ones where the token's answer was not a balance.
const source = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
contract BalanceReader {
  fallback() external {
    assembly {
      let token := shr(96, calldataload(0))
      let n := div(sub(calldatasize(), 20), 20)
      let out := 0x80
      mstore(0x00, shl(224, 0x70a08231))
      for { let i := 0 } lt(i, n) { i := add(i, 1) } {
        mstore(0x04, shr(96, calldataload(add(20, mul(i, 20)))))
        let ok := staticcall(gas(), token, 0x00, 0x24, 0x40, 0x20)
        let v := mload(0x40)
        if or(iszero(ok), lt(returndatasize(), 0x20)) { v := not(0) }
        mstore(add(out, mul(i, 0x20)), v)
      }
      return(out, mul(n, 0x20))
    }
  }
}`
const compiled = JSON.parse(solc.compile(JSON.stringify({
  language: 'Solidity',
  sources: { 'BalanceReader.sol': { content: source } },
  settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: 'cancun', outputSelection: { '*': { '*': ['evm.deployedBytecode.object'] } } },
})))
const code = '0x' + compiled.contracts['BalanceReader.sol'].BalanceReader.evm.deployedBytecode.object
const READER = '0x' + keccak256(toHex('tender balance reader')).slice(26)

const holders = Array.from({ length: N }, (_, i) => getAddress(keccak256(toHex(`deposit ${i}`)).slice(0, 42)))
const aggregate3 = [{
  type: 'function', name: 'aggregate3', stateMutability: 'payable',
  inputs: [{ name: 'calls', type: 'tuple[]', components: [{ name: 'target', type: 'address' }, { name: 'allowFailure', type: 'bool' }, { name: 'callData', type: 'bytes' }] }],
  outputs: [{ name: 'returnData', type: 'tuple[]', components: [{ name: 'success', type: 'bool' }, { name: 'returnData', type: 'bytes' }] }],
}]
const ways = {
  aggregate3: (part) => ({ tx: { to: multicall, data: encodeFunctionData({ abi: aggregate3, functionName: 'aggregate3', args: [part.map((h) => ({ target: token, allowFailure: true, callData: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [h] }) }))] }) }, extra: [] }),
  reader: (part) => ({ tx: { to: READER, data: '0x' + token.slice(2).toLowerCase() + part.map((h) => h.slice(2).toLowerCase()).join('') }, extra: [{ [READER]: { code } }] }),
}

let id = 0
async function post(method, params) {
  const body = JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params })
  const response = await fetch(rpc, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  const text = await response.text()
  const json = JSON.parse(text)
  if (json.error) throw new Error(`${method}: ${json.error.message}`)
  return { bytes: body.length, answer: text.length, result: json.result }
}

console.log('| way | chunks | request bytes (all) | gas (all) | answer bytes (all) | median ms |')
console.log('|---|---|---|---|---|---|')
for (const [name, build] of Object.entries(ways)) {
  for (const chunks of [1, 2, 3]) {
    const size = Math.ceil(N / chunks)
    const parts = Array.from({ length: chunks }, (_, i) => holders.slice(i * size, (i + 1) * size))
    const calls = parts.map(build)
    let gas = 0, bytes = 0, answer = 0, ok = true
    try {
      for (const c of calls) {
        gas += Number(BigInt((await post('eth_estimateGas', [c.tx, 'latest', ...c.extra])).result))
        const r = await post('eth_call', [c.tx, 'latest', ...c.extra])
        bytes += r.bytes
        answer += r.answer
      }
    } catch (e) {
      console.log(`| ${name} | ${chunks} | — | — | — | refused: ${String(e.message).slice(0, 60)} |`)
      ok = false
    }
    if (!ok) continue
    const samples = []
    for (let i = 0; i < rounds + 3; i++) {
      const t = performance.now()
      await Promise.all(calls.map((c) => post('eth_call', [c.tx, 'latest', ...c.extra])))
      if (i >= 3) samples.push(performance.now() - t)
    }
    samples.sort((a, b) => a - b)
    const median = samples[Math.floor(samples.length / 2)]
    console.log(`| ${name} | ${chunks} | ${bytes.toLocaleString('en')} | ${gas.toLocaleString('en')} | ${answer.toLocaleString('en')} | ${median.toFixed(1)} |`)
  }
}
