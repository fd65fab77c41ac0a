// @vitest-environment node
// Size budget: bundle size is deterministic, so the suite fails when one of tokenkeep's entries
// grows past its budget in bench/size-budget.json. Measured on what users install: the packed
// tarballs, in an app outside the workspace (lib/installed.mjs), built by Vite (and, for the common
// scenario, by esbuild with code splitting), min+gzip bytes:
//   startGzip   what a page load downloads (Vite's own preload helper left out, as in RESULTS.md)
//   loadsGzip   start plus the chunks login, the callback, a renewal and logout load
//   allGzip     every chunk
//   startDeltaGzip  (feature:<id>) what turning that one opt-in feature on adds at start
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM module without types
import { prepareInstalled } from './lib/installed.mjs'
// @ts-expect-error plain ESM module without types
import { FEATURE_ENTRIES, measureEntry, measureEsbuild, TOKENKEEP_ENTRIES } from './lib/size.mjs'
import budget from './size-budget.json'

interface Entry {
  id: string
  label: string
  file: string
  external?: RegExp[]
}
interface Measured {
  startGzip: number
  loadsGzip: number
  gzip: number
  preloadGzip: number
}
type Limits = Partial<Record<'startGzip' | 'loadsGzip' | 'allGzip' | 'startDeltaGzip', number>>

const budgets = Object.fromEntries(Object.entries(budget).filter(([k]) => !k.startsWith('$'))) as Record<string, Limits>
const entries = TOKENKEEP_ENTRIES as Entry[]
const features = FEATURE_ENTRIES as Entry[]

let installed: { root: string; remove(): void } | undefined
const vite = async (entry: Entry) => {
  const m = (await measureEntry(entry, { root: installed!.root })) as Measured
  return { startGzip: m.startGzip - m.preloadGzip, loadsGzip: m.loadsGzip - m.preloadGzip, allGzip: m.gzip - m.preloadGzip }
}

function within(id: string, measured: Record<string, number>, limits: Limits): void {
  for (const [field, limit] of Object.entries(limits)) {
    const value = measured[field]
    expect(value, `${id}: ${field} missing`).toBeTypeOf('number')
    expect(value, `${id}: ${value} B ${field}, budget ${limit} B`).toBeLessThanOrEqual(limit)
  }
}

describe('size budget', () => {
  beforeAll(() => {
    installed = prepareInstalled()
  }, 180_000)
  afterAll(() => installed?.remove())

  it('covers every entry, the esbuild scenario and every opt-in feature', () => {
    const want = [...entries.map((e) => e.id), 'esbuild:scenario', ...features.map((f) => `feature:${f.id}`)].sort()
    expect(Object.keys(budgets).sort()).toEqual(want)
  })

  for (const entry of entries) {
    it(`${entry.label} stays within its budget`, { timeout: 60_000 }, async () => {
      const size = await vite(entry)
      within(entry.id, size, budgets[entry.id]!)
      // A build that lost the client entirely would pass any budget.
      expect(size.allGzip).toBeGreaterThan((budgets[entry.id]!.allGzip ?? 0) * 0.5)
    })
  }

  it('the common scenario built by esbuild with code splitting stays within its budget', { timeout: 60_000 }, async () => {
    const scenario = entries.find((e) => e.id === 'scenario')!
    within('esbuild:scenario', (await measureEsbuild(scenario, { root: installed!.root })) as Record<string, number>, budgets['esbuild:scenario']!)
  })

  // Unused, a feature costs nothing: the scenario above does not turn any on. Used, it may cost
  // this much at start, and no more without a commit that names it and the bytes.
  it('each opt-in feature adds at most its budget at start', { timeout: 180_000 }, async () => {
    const base = (await vite(entries.find((e) => e.id === 'scenario')!)).startGzip
    for (const feature of features) {
      const startDeltaGzip = (await vite(feature)).startGzip - base
      within(`feature:${feature.id}`, { startDeltaGzip }, budgets[`feature:${feature.id}`]!)
    }
  })
})
