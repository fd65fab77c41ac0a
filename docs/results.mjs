#!/usr/bin/env node
// Numbers in the docs come from results, never from typing. The bench writes bench/results.json
// (the same run as bench/RESULTS.md) and bench/size-budget.json holds the size budget; this script
// fills the marked blocks of the pages from those two files:
//
//   <!-- results:kB size.entries.scenario.startGzip -->19.7 kB<!-- /results -->
//   <!-- results:ratio size.entries.scenario.startGzip / size.peers.oidc-client-ts.startGzip -->0.40×<!-- /results -->
//   <!-- results:table startup -->
//   | ...a table, written by this script... |
//   <!-- /results -->
//
// A block is `<!-- results:NAME -->` ... `<!-- /results -->`. NAME is either a table (see TABLES)
// or a format followed by a path into the results (`budget.` paths read bench/size-budget.json):
// `kB` (bytes as kB, one decimal), `B` (bytes with thousands separators), `ms` (whole ms),
// `num` (a number as it is), `x1` (one decimal), `text` (a string), or `ratio A / B` (two decimals
// and ×). What sits between the markers is replaced; the rest of the page is left alone.
//
//   pnpm docs:results            rewrites the blocks of every page from the results
//   pnpm docs:results --check    changes nothing; lists the blocks that differ, exit 1 if any
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { pages, root } from './samples.mjs'

export const RESULTS_FILE = join(root, 'bench', 'results.json')
export const BUDGET_FILE = join(root, 'bench', 'size-budget.json')

/** The pages that may hold blocks: every page the samples rule reads, and the bench's README. */
export function resultPages() {
  return [...pages(), join(root, 'bench', 'README.md')].filter((p) => existsSync(p) && !p.includes('/docs/api/'))
}

/** `{ results, budget }` from the two files (a missing results file throws, naming the command). */
export function loadData(resultsFile = RESULTS_FILE, budgetFile = BUDGET_FILE) {
  if (!existsSync(resultsFile)) {
    throw new Error(`${relative(root, resultsFile)} is missing: run \`pnpm bench\` (it writes it beside bench/RESULTS.md), then \`pnpm docs:results\``)
  }
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'))
  const budget = existsSync(budgetFile) ? JSON.parse(readFileSync(budgetFile, 'utf8')) : {}
  return { results, budget }
}

/** The value at a dotted path (`size.peers.oidc-client-ts.startGzip`); throws on a missing one. */
export function lookup(data, path) {
  const [head, ...rest] = path.split('.')
  let value = head === 'budget' ? data.budget : data.results[head]
  let walked = head
  for (const key of rest) {
    if (value === null || typeof value !== 'object' || !(key in value)) {
      throw new Error(`results: "${path}" does not exist (no "${key}" under "${walked}")`)
    }
    value = value[key]
    walked += `.${key}`
  }
  if (value === undefined) throw new Error(`results: "${path}" does not exist`)
  return value
}

const number = (data, path) => {
  const v = lookup(data, path)
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`results: "${path}" is not a number`)
  return v
}

export const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`
export const B = (bytes) => `${Math.round(bytes).toLocaleString('en-US')} B`
export const ms = (n) => `${Math.round(n)} ms`
export const ratio = (a, b) => `${(a / b).toFixed(2)}×`

const FORMATS = {
  kB: (data, path) => kB(number(data, path)),
  B: (data, path) => B(number(data, path)),
  ms: (data, path) => ms(number(data, path)),
  num: (data, path) => String(number(data, path)),
  x1: (data, path) => number(data, path).toFixed(1),
  text: (data, path) => String(lookup(data, path)),
  ratio: (data, expr) => {
    const m = /^(\S+)\s*\/\s*(\S+)$/.exec(expr)
    if (!m) throw new Error(`results: "ratio ${expr}" must be "ratio A / B"`)
    return ratio(number(data, m[1]), number(data, m[2]))
  },
}

const row = (cells) => `| ${cells.join(' | ')} |`
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n')
const entries = (obj, what) => {
  if (!obj || typeof obj !== 'object') throw new Error(`results: ${what} is missing`)
  return Object.entries(obj)
}

/** The tables a page can ask for by name. Each returns markdown (no trailing newline). */
export const TABLES = {
  /** tokenkeep's entries (Vite build of the packed tarballs), with the ratios to oidc-client-ts. */
  size(data) {
    const peer = number(data, 'size.peers.oidc-client-ts.startGzip')
    return table(
      ['entry', 'at start', 'loads (start + login, callback, renewal, logout)', 'all chunks', 'chunks', 'at start ÷ oidc-client-ts', 'loads ÷ oidc-client-ts'],
      entries(data.results.size?.entries, 'size.entries').map(([id, e]) => {
        const adapter = id === 'react' || id === 'vue'
        return [e.label ?? id, B(e.startGzip), B(e.loadsGzip), B(e.allGzip), String(e.chunks), adapter ? '–' : ratio(e.startGzip, peer), adapter ? '–' : ratio(e.loadsGzip, peer)]
      }),
    )
  },
  /** The same scenarios built with esbuild (code splitting on), peers included. */
  esbuild(data) {
    const peer = number(data, 'size.esbuild.oidc-client-ts.startGzip')
    return table(
      ['scenario (esbuild, splitting)', 'at start', 'loads', 'all chunks', 'at start ÷ oidc-client-ts', 'loads ÷ oidc-client-ts'],
      entries(data.results.size?.esbuild, 'size.esbuild').map(([id, e]) => [id, B(e.startGzip), B(e.loadsGzip), B(e.allGzip), ratio(e.startGzip, peer), ratio(e.loadsGzip, peer)]),
    )
  },
  /** The peer SDKs on the same scenario. */
  peers(data) {
    const ours = number(data, 'size.entries.scenario.startGzip')
    return table(
      ['SDK', 'version', 'at start (min+gzip)', 'all chunks (min+gzip)', 'tokenkeep scenario ÷ this (at start)'],
      entries(data.results.size?.peers, 'size.peers').map(([id, p]) => [p.label ?? id, p.version, kB(p.startGzip), kB(p.allGzip), ratio(ours, p.startGzip)]),
    )
  },
  /** What each opt-in feature adds when turned on (0 B when unused: the scenario has none on). */
  features(data) {
    return table(
      ['feature', 'added at start, Vite', 'added at start, esbuild', 'added to what the scenario loads', 'added to all chunks'],
      entries(data.results.size?.features, 'size.features').map(([id, f]) => [`\`${id}\``, B(f.startDeltaGzip), B(f.esbuildStartDeltaGzip), B(f.loadsDeltaGzip), B(f.allDeltaGzip)]),
    )
  },
  /** Start-up with a stored session, per store. */
  startup(data) {
    return table(
      ['store', 'ms after the page script to `authenticated`', 'requests to the provider'],
      entries(data.results.startup, 'startup').map(([id, s]) => [s.label ?? id, ms(s.msAfterScript), String(s.providerRequests)]),
    )
  },
  /** Refresh grants per token expiry for 1, 5, 10 tabs, per SDK. */
  tabs(data) {
    const sdks = entries(data.results.tabs, 'tabs')
    const counts = [...new Set(sdks.flatMap(([, byTabs]) => Object.keys(byTabs)))].sort((a, b) => Number(a) - Number(b))
    return table(
      ['SDK', ...counts.map((n) => `${n} tab${n === '1' ? '' : 's'}: grants per expiry (signed in after)`)],
      sdks.map(([id, byTabs]) => [id, ...counts.map((n) => (byTabs[n] ? `${byTabs[n].grantsPerExpiry.toFixed(1)} (${byTabs[n].signedIn})` : '–'))]),
    )
  },
  /** The size budget that `bench/size.test.ts` enforces. */
  budget(data) {
    const fields = [...new Set(Object.values(data.budget).filter((v) => v && typeof v === 'object').flatMap((v) => Object.keys(v)))]
    return table(
      ['budget entry', ...fields.map((f) => `\`${f}\``)],
      Object.entries(data.budget)
        .filter(([, v]) => v && typeof v === 'object')
        .map(([id, v]) => [id, ...fields.map((f) => (typeof v[f] === 'number' ? B(v[f]) : '–'))]),
    )
  },
}

/** What the generator writes for one block NAME. */
export function render(name, data) {
  const spec = name.trim()
  const table = /^table\s+(\S+)$/.exec(spec)
  if (table) {
    const make = TABLES[table[1]]
    if (!make) throw new Error(`results: no table "${table[1]}" (tables: ${Object.keys(TABLES).join(', ')})`)
    return `\n${make(data)}\n`
  }
  const m = /^(\S+)\s+(.+)$/.exec(spec)
  const format = m && FORMATS[m[1]]
  if (!format) throw new Error(`results: "${spec}" is neither "table NAME" nor "FORMAT path" (formats: ${Object.keys(FORMATS).join(', ')})`)
  return format(data, m[2].trim())
}

// a marker written in inline code (`<!-- results:...`) is an example, not a block
const BLOCK = /(?<!`)<!-- results:([^>]*?)\s*-->([\s\S]*?)<!-- \/results -->/g

/** Every block of a page: `{ name, content, line }`. */
export function blocks(markdown) {
  return [...markdown.matchAll(BLOCK)].map((m) => ({ name: m[1].trim(), content: m[2], line: markdown.slice(0, m.index).split('\n').length }))
}

/** The page with every block filled from the data. */
export function fill(markdown, data) {
  return markdown.replace(BLOCK, (_, name) => `<!-- results:${name.trim()} -->${render(name, data)}<!-- /results -->`)
}

/** The blocks that are not what the generator would write now, as readable lines. */
export function staleBlocks(files, data) {
  const problems = []
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    for (const block of blocks(text)) {
      let want
      try {
        want = render(block.name, data)
      } catch (e) {
        problems.push(`${relative(root, file)}:${block.line}: ${e.message}`)
        continue
      }
      if (want !== block.content) {
        const shown = (s) => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s)
        problems.push(`${relative(root, file)}:${block.line}: results:${block.name} says ${shown(block.content)}, the results say ${shown(want)} (run pnpm docs:results)`)
      }
    }
  }
  return problems
}

/** Rewrites every page's blocks; returns the pages it changed. */
export function writeResults(files, data) {
  const changed = []
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const next = fill(text, data)
    if (next !== text) {
      writeFileSync(file, next)
      changed.push(relative(root, file))
    }
  }
  return changed
}

if (process.argv[1] && join(process.argv[1]) === join(root, 'docs', 'results.mjs')) {
  const data = loadData()
  const files = resultPages()
  if (process.argv.includes('--check')) {
    const problems = staleBlocks(files, data)
    for (const p of problems) console.error(p)
    if (problems.length) process.exit(1)
    console.log(`docs results: every block matches bench/results.json (commit ${data.results.commit})`)
  } else {
    for (const page of writeResults(files, data)) console.log(`updated ${page}`)
    const problems = staleBlocks(files, data)
    for (const p of problems) console.error(p)
    if (problems.length) process.exit(1)
    console.log(`docs results: filled from bench/results.json (commit ${data.results.commit})`)
  }
}
