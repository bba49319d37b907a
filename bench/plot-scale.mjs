#!/usr/bin/env node
// Draws bench/scale.svg from bench/results/scale.json (written by `cargo bench --bench scale`): for
// 100, 1 000 and 10 000 open orders, the median time of one check (left) and the eth_calls it takes
// (right), for Tender, viem (defaults, and tuned to Tender's chunks) and the naive way. Both axes
// logarithmic. Plain SVG, no dependencies. Usage: node bench/plot-scale.mjs IN.json OUT.svg
import { readFileSync, writeFileSync } from 'node:fs'

const [input, output] = process.argv.slice(2)
const { orders } = JSON.parse(readFileSync(input, 'utf8'))
const ways = [
  { key: 'tender', name: 'Tender', color: '#1b7f4c' },
  { key: 'viem_tuned', name: "viem, Tender's chunks", color: '#7a4fd1', dash: '6 4' },
  { key: 'viem_default', name: 'viem, defaults', color: '#d17a22' },
  { key: 'naive', name: 'naive (one call each)', color: '#b3261e' },
]
const W = 920, H = 400, panel = { w: 340, h: 270, top: 58 }
const lefts = [80, 540]
const log = Math.log10
const sizes = orders.map((o) => o.size)
const x = (left, size) => left + ((log(size) - log(sizes[0])) / (log(sizes.at(-1)) - log(sizes[0]) || 1)) * panel.w
const decades = (values) => {
  const lo = Math.floor(log(Math.min(...values))), hi = Math.ceil(log(Math.max(...values)))
  return { lo, hi: hi === lo ? hi + 1 : hi }
}
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;')
const fmt = (v) => (v >= 1000 ? `${v / 1000}k` : v >= 1 ? `${v}` : `${v}`)

let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">\n`
svg += `<rect width="${W}" height="${H}" fill="#fff"/>\n`
svg += `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">A shop's check of its open orders on anvil: one balance per order</text>\n`

for (const [i, [metric, title]] of [['median_ms', 'Median time of one check'], ['requests', 'eth_calls per check']].entries()) {
  const left = lefts[i]
  const values = orders.flatMap((o) => ways.map((w) => o[w.key]?.[metric]).filter((v) => v > 0))
  const { lo, hi } = decades(values)
  const y = (v) => panel.top + panel.h - ((log(v) - lo) / (hi - lo)) * panel.h
  svg += `<text x="${left + panel.w / 2}" y="${panel.top - 12}" text-anchor="middle" font-weight="bold">${esc(title)}</text>\n`
  svg += `<rect x="${left}" y="${panel.top}" width="${panel.w}" height="${panel.h}" fill="none" stroke="#999"/>\n`
  for (let d = lo; d <= hi; d++) {
    const yy = y(10 ** d)
    svg += `<line x1="${left}" x2="${left + panel.w}" y1="${yy}" y2="${yy}" stroke="#e4e4e4"/>`
    svg += `<text x="${left - 6}" y="${yy + 4}" text-anchor="end">${fmt(10 ** d)}</text>\n`
  }
  for (const s of sizes) {
    const xx = x(left, s)
    svg += `<line x1="${xx}" x2="${xx}" y1="${panel.top}" y2="${panel.top + panel.h}" stroke="#eee"/>`
    svg += `<text x="${xx}" y="${panel.top + panel.h + 16}" text-anchor="middle">${s.toLocaleString('en')}</text>\n`
  }
  svg += `<text x="${left + panel.w / 2}" y="${panel.top + panel.h + 34}" text-anchor="middle">open orders</text>\n`
  svg += `<text transform="translate(${left - 48} ${panel.top + panel.h / 2}) rotate(-90)" text-anchor="middle">${esc(metric === 'requests' ? 'eth_calls per check' : 'ms (median)')}</text>\n`
  for (const w of [...ways].reverse()) {
    const points = orders.filter((o) => o[w.key]?.[metric] > 0).map((o) => [x(left, o.size), y(o[w.key][metric])])
    if (!points.length) continue
    svg += `<polyline fill="none" stroke="${w.color}" stroke-width="2.5"${w.dash ? ` stroke-dasharray="${w.dash}"` : ''} points="${points.map((p) => p.map((n) => n.toFixed(1)).join(',')).join(' ')}"/>`
    svg += points.map(([px, py]) => `<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3.5" fill="${w.color}"/>`).join('') + '\n'
  }
}
ways.forEach((w, i) => {
  const lx = 110 + i * 200
  svg += `<line x1="${lx}" x2="${lx + 24}" y1="${H - 18}" y2="${H - 18}" stroke="${w.color}" stroke-width="3"/><text x="${lx + 30}" y="${H - 14}">${esc(w.name)}</text>\n`
})
svg += '</svg>\n'
writeFileSync(output, svg)
console.log(`wrote ${output}`)
