/// <reference types="node" />
// @vitest-environment node
// The module map in the README, enforced: one job per module, imports that point one way, no
// cycles. Reads the sources (tests aside) and follows their relative imports, type imports too.
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

function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8')
  const found: string[] = []
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)) {
    const target = resolve(dirname(path), m[1] ?? m[2]!)
    found.push(id(files.find((f) => f.replace(/\.tsx?$/, '') === target || f === target) ?? target))
  }
  return found
}

const graph = new Map(files.map((f) => [id(f), importsOf(f)]))

/** Relative modules `path` imports values from (statically: not `import type`, not `import()`). */
function valueImportsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8')
  const found: string[] = []
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\s)[^'"]*from\s+'(\.[^']+)'/gm)) {
    const target = resolve(dirname(path), m[1]!)
    found.push(id(files.find((f) => f.replace(/\.tsx?$/, '') === target || f === target) ?? target))
  }
  return found
}

/** Every module reachable from `roots` through static value imports, the roots included. */
function valueClosure(roots: string[]): Set<string> {
  const seen = new Set<string>()
  const visit = (name: string) => {
    if (seen.has(name)) return
    seen.add(name)
    const file = files.find((f) => id(f) === name)
    if (file) for (const next of valueImportsOf(file)) visit(next)
  }
  for (const r of roots) visit(r)
  return seen
}

/** Modules the client reaches through `import()`: loaded only when a feature is used. */
function lazyModules(): string[] {
  const found = new Set<string>()
  for (const f of files) {
    for (const m of readFileSync(f, 'utf8').matchAll(/import\(\s*'(\.[^']+)'\s*\)/g)) found.add(id(resolve(dirname(f), m[1]!)))
  }
  return [...found]
}

describe('core module map', () => {
  it('reads the sources', () => {
    expect(graph.get('client')).toContain('parts/sessionKeeper')
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
    const long = files.filter((f) => lines(f) > 300).map(id)
    expect(long).toEqual([])
  })

  it('points imports one way: nothing imports the client, parts or flows import no parts above them', () => {
    const offenders: string[] = []
    for (const [from, targets] of graph) {
      for (const to of targets) {
        if (to === 'client' && from !== 'index') offenders.push(`${from} -> client`)
        if (to.startsWith('parts/') && !from.startsWith('parts/') && from !== 'client') offenders.push(`${from} -> ${to}`)
        const leaf = /^(flows|storage|session|scheduler|tabs)\//.test(from) || from === 'store' || from === 'errors'
        if (leaf && /^(parts|popup|silent)\//.test(to)) offenders.push(`${from} -> ${to}`)
      }
    }
    expect(offenders).toEqual([])
  })

  // A value a lazy module shares with the main bundle makes bundlers put the shared module in a
  // chunk of its own, which every app then loads at start (measured: 0.2 kB gz for errors.ts).
  it('lazy modules import only types from the rest of core', () => {
    const lazy = lazyModules()
    expect(lazy).toContain('flows/idTokenSignature')
    // What the page loads at start: the value imports reachable from the entry, without import().
    const atStart = valueClosure(['index'])
    const offenders: string[] = []
    for (const name of lazy) {
      // A lazy feature may span several modules of its own (dpop/): they travel in its chunk.
      // What it must not reach, directly or through them, is a module the start bundle holds.
      for (const reached of valueClosure([name])) {
        if (reached !== name && atStart.has(reached)) offenders.push(`${name} reaches ${reached}, which the start bundle loads`)
      }
    }
    expect(offenders).toEqual([])
  })
})
