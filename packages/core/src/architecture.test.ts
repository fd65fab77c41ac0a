/// <reference types="node" />
// The module map (DESIGN.md), enforced: one job per module, imports that point one way, no cycles,
// and the seam between the start path and the protocol. Reads the sources (tests aside) and
// follows their relative imports, type imports too.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const src = dirname(fileURLToPath(import.meta.url))

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'test' ? [] : sources(path)
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : []
  })
}

const files = sources(src)
const id = (path: string) => relative(src, path).replace(/\.tsx?$/, '')
const target = (from: string, spec: string) => {
  const path = resolve(dirname(from), spec)
  return id(files.find((f) => f.replace(/\.tsx?$/, '') === path || f === path) ?? path)
}
const fileOf = (name: string) => files.find((f) => id(f) === name)

/** Every relative import: static, type-only and `import()`. */
function importsOf(path: string): string[] {
  const found: string[] = []
  for (const m of readFileSync(path, 'utf8').matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)) {
    found.push(target(path, m[1] ?? m[2]!))
  }
  return found
}

const graph = new Map(files.map((f) => [id(f), importsOf(f)]))

/** Relative modules `path` imports values from statically (not `import type`, not `import()`). */
function valueImportsOf(path: string): string[] {
  const found: string[] = []
  for (const m of readFileSync(path, 'utf8').matchAll(/^(?:import|export)\s+(?!type\s)[^'"]*from\s+'(\.[^']+)'/gm)) found.push(target(path, m[1]!))
  return found
}

/** Every module reachable from `roots` through static value imports, the roots included. */
function valueClosure(roots: string[]): Set<string> {
  const seen = new Set<string>()
  const visit = (name: string) => {
    if (seen.has(name)) return
    seen.add(name)
    const file = fileOf(name)
    if (file) for (const next of valueImportsOf(file)) visit(next)
  }
  for (const r of roots) visit(r)
  return seen
}

/** `from -> to` for every `import()` in the sources. */
function dynamicImports(): [string, string][] {
  const found: [string, string][] = []
  for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(/(?<!typeof )import\(\s*'(\.[^']+)'\s*\)/g)) found.push([id(f), target(f, m[1]!)])
  return found
}

/** What the page runs before start() settles: the client and its static value imports. */
const startPath = valueClosure(['client'])
const OPT_IN = /^(protocol|popup|silent|dpop|userinfo|idle)\/|^debugLogger$|^authFetch(StepUp)?$/

describe('core module map', () => {
  it('reads the sources', () => {
    expect(graph.get('client')).toContain('start/keeper')
    expect(startPath.has('start/keeper')).toBe(true)
  })

  it('has no import cycle', () => {
    const cycles: string[] = []
    const state = new Map<string, 'open' | 'done'>()
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === 'done') return
      if (state.get(node) === 'open') {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '))
        return
      }
      state.set(node, 'open')
      for (const next of graph.get(node) ?? []) visit(next, [...path, node])
      state.set(node, 'done')
    }
    for (const node of graph.keys()) visit(node, [])
    expect(cycles).toEqual([])
  })

  it('keeps client.ts to wiring and every module under 300 lines', () => {
    const lines = (f: string) => readFileSync(f, 'utf8').split('\n').length
    expect(lines(join(src, 'client.ts'))).toBeLessThanOrEqual(150)
    expect(files.filter((f) => lines(f) > 300).map(id)).toEqual([])
  })

  // The seam of "the page loads the session, not the protocol": a value import from the start
  // path into protocol code (or an opt-in feature) would put it in every app's start bundle.
  it('the start path, rooted at client.ts, imports no protocol code and no opt-in feature', () => {
    expect([...startPath].filter((m) => OPT_IN.test(m))).toEqual([])
    expect([...startPath].filter((m) => m.startsWith('start/')).length).toBeGreaterThanOrEqual(6)
  })

  it('the protocol is reached only through start/loader.ts, by import()', () => {
    const into = dynamicImports().filter(([, to]) => to.startsWith('protocol/'))
    expect(into.filter(([from]) => !from.startsWith('protocol/'))).toEqual([['start/loader', 'protocol/protocol']])
    const offenders: string[] = []
    for (const from of graph.keys()) {
      if (from.startsWith('protocol/') || from === 'index') continue
      for (const to of valueImportsOf(fileOf(from)!)) if (to.startsWith('protocol/')) offenders.push(`${from} -> ${to}`)
    }
    expect(offenders).toEqual([])
  })

  it('points imports one way: nothing imports the client; leaves import no start or protocol modules; protocol imports start/ only as types', () => {
    const offenders: string[] = []
    for (const [from, targets] of graph) {
      for (const to of targets) {
        if (to === 'client' && from !== 'index') offenders.push(`${from} -> client`)
        const leaf = /^(storage|session|scheduler|tabs)\//.test(from) || from === 'store' || from === 'errors'
        if (leaf && /^(start|protocol|popup|silent)\//.test(to)) offenders.push(`${from} -> ${to}`)
      }
      if (from.startsWith('protocol/')) for (const to of valueImportsOf(fileOf(from)!)) if (to.startsWith('start/')) offenders.push(`${from} -> ${to} (value)`)
    }
    expect(offenders).toEqual([])
  })

  // protocol/kit.ts: a value the protocol imported from a start-path module would be shared by the
  // start bundle and the protocol's chunk, and bundlers would give it a chunk of its own that every
  // page fetches at start. The protocol borrows those values through the kit instead.
  it('the protocol imports no value from the rest of core (the kit hands them over; logger codes are inlined)', () => {
    const offenders: string[] = []
    for (const from of graph.keys()) {
      if (!from.startsWith('protocol/')) continue
      for (const to of valueImportsOf(fileOf(from)!)) if (!to.startsWith('protocol/') && to !== 'logger') offenders.push(`${from} -> ${to}`)
    }
    expect(offenders).toEqual([])
  })

  // The same for every other lazily loaded module (DPoP, step-up, userinfo's request, ...): what
  // it shares with the start bundle must come as an argument. esbuild reaches these modules through
  // index.ts's re-exports even in apps that never use them, so a shared value costs every app a chunk.
  it('lazily loaded modules import no value that the start bundle holds', () => {
    const atStart = valueClosure(['index'])
    const offenders: string[] = []
    for (const lazy of new Set(dynamicImports().map(([, to]) => to))) {
      if (lazy === 'protocol/protocol') continue
      for (const reached of valueClosure([lazy])) if (reached !== lazy && atStart.has(reached)) offenders.push(`${lazy} reaches ${reached}`)
    }
    expect(offenders).toEqual([])
  })

  it('lazy features are loaded by import() only: DPoP, signature checks, IndexedDB by name', () => {
    const lazy = new Set(dynamicImports().map(([, to]) => to))
    for (const m of ['protocol/protocol', 'dpop/wiring', 'protocol/flows/idTokenSignature', 'storage/indexedDbByName']) expect(lazy).toContain(m)
    const statically = new Set([...graph.keys()].flatMap((f) => valueImportsOf(fileOf(f)!)))
    expect(['protocol/protocol', 'dpop/wiring', 'protocol/flows/idTokenSignature', 'storage/indexedDbByName'].filter((m) => statically.has(m))).toEqual([])
  })
})
