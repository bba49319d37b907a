#!/usr/bin/env node
// Compiles contracts/src/*.sol offline with the npm `solc` package (pinned in tools/package.json) and
// writes one artifact per contract to contracts/out/<Name>.json: ABI, creation and runtime bytecode,
// the compiler version and a hash of the sources. The artifacts are committed.
//   node contracts/build.mjs           regenerate
//   node contracts/build.mjs --check   exit 1 if the committed artifacts differ from the sources
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'tools', 'package.json'))
const solc = require('solc')
const check = process.argv.includes('--check')

const srcDir = join(root, 'contracts', 'src')
const outDir = join(root, 'contracts', 'out')
const sources = {}
for (const file of readdirSync(srcDir).filter((f) => f.endsWith('.sol')).sort()) {
  sources[`src/${file}`] = { content: readFileSync(join(srcDir, file), 'utf8') }
}

function findImports(path) {
  if (path.startsWith('@openzeppelin/')) {
    return { contents: readFileSync(join(root, 'tools', 'node_modules', path), 'utf8') }
  }
  return { error: `import not found: ${path}` }
}

const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    // No metadata hash: the bytecode then depends only on the sources and settings.
    metadata: { bytecodeHash: 'none', appendCBOR: false },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }))
const errors = (output.errors || []).filter((e) => e.severity === 'error')
for (const e of output.errors || []) console.error(e.formattedMessage)
if (errors.length) process.exit(1)

const hasher = createHash('sha256')
for (const [name, { content }] of Object.entries(sources)) hasher.update(name).update('\0').update(content)
const sourcesSha256 = hasher.digest('hex')

let stale = []
for (const [file, contracts] of Object.entries(output.contracts)) {
  if (!file.startsWith('src/')) continue // OpenZeppelin's own files
  for (const [name, c] of Object.entries(contracts)) {
    const artifact = {
      contractName: name,
      sourceName: file,
      compiler: `solc ${solc.version()}`,
      sourcesSha256,
      abi: c.abi,
      bytecode: { object: `0x${c.evm.bytecode.object}` },
      deployedBytecode: { object: `0x${c.evm.deployedBytecode.object}` },
    }
    const text = JSON.stringify(artifact, null, 2) + '\n'
    const path = join(outDir, `${name}.json`)
    if (check) {
      if (!existsSync(path) || readFileSync(path, 'utf8') !== text) stale.push(path)
    } else {
      writeFileSync(path, text)
      console.log(`wrote ${path}`)
    }
  }
}
if (check && stale.length) {
  console.error(`stale contract artifacts (run: node contracts/build.mjs):\n  ${stale.join('\n  ')}`)
  process.exit(1)
}
if (check) console.log('contract artifacts match the sources')
