// @vitest-environment node
// Size budget: bundle size is deterministic, so the suite fails when one of tokenkeep's entries
// grows past its budget in bench/size-budget.json (minified and min+gzip bytes). Measured on what
// users install: the packed tarballs, in an app outside the workspace (lib/installed.mjs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM module without types
import { prepareInstalled } from './lib/installed.mjs'
// @ts-expect-error plain ESM module without types
import { measureEntry, TOKENKEEP_ENTRIES } from './lib/size.mjs'
import budget from './size-budget.json'

interface Entry {
  id: string
  label: string
  file: string
}
interface Budget {
  min: number
  gzip: number
  /** min+gzip of what the page loads at start (the entry and its static imports). */
  initialGzip?: number
}
interface Size extends Budget {
  lazyGzip: number
}

const budgets = budget as unknown as Record<string, Budget>
const entries = (TOKENKEEP_ENTRIES as Entry[]).filter((e) => e.id in budgets)

let installed: { root: string; remove(): void } | undefined

describe('size budget', () => {
  beforeAll(() => {
    installed = prepareInstalled()
  }, 180_000)
  afterAll(() => installed?.remove())

  it('covers minimal, full and both adapters', () => {
    expect(entries.map((e) => e.id).sort()).toEqual(['full', 'minimal', 'react', 'vue'])
  })

  for (const entry of entries) {
    it(`${entry.label} stays within its budget`, { timeout: 60_000 }, async () => {
      const size = (await measureEntry(entry, { root: installed!.root })) as Size
      const limit = budgets[entry.id]!
      expect(size.min, `${entry.id}: ${size.min} B minified, budget ${limit.min} B`).toBeLessThanOrEqual(limit.min)
      expect(size.gzip, `${entry.id}: ${size.gzip} B min+gzip, budget ${limit.gzip} B`).toBeLessThanOrEqual(limit.gzip)
      // Lazy chunks (signature checks, PAR, IndexedDB) load only when used; what every page pays is this.
      const initial = size.gzip - size.lazyGzip
      const initialLimit = limit.initialGzip ?? limit.gzip
      expect(initial, `${entry.id}: ${initial} B min+gzip loaded at start, budget ${initialLimit} B`).toBeLessThanOrEqual(initialLimit)
      // A build that lost the client entirely would pass any budget.
      expect(size.gzip).toBeGreaterThan(limit.gzip * 0.5)
    })
  }
})
