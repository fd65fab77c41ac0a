// @vitest-environment node
// The docs cannot drift from the code or the measurements: every number about size or speed comes
// from bench/results.json through a generated block, no link is dead, and what ships in the
// tarballs links the repository. See docs/results.mjs and docs/drift.mjs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { root } from './samples.mjs'
import { describe, expect, it } from 'vitest'
import { ALLOWED, brokenLinks, strayNumbers } from './drift.mjs'
import { loadData, resultPages, staleBlocks } from './results.mjs'

describe('numbers come from the results', () => {
  it('every <!-- results:... --> block is what `pnpm docs:results` writes from bench/results.json now', () => {
    // bench/results.json is written by `pnpm bench` (same run as bench/RESULTS.md); without it
    // nothing here can be checked, so its absence fails (loadData says which command to run).
    const data = loadData()
    expect(staleBlocks(resultPages(), data)).toEqual([])
  })

  it('no size, ratio or time is typed by hand outside a generated block', () => {
    expect(strayNumbers()).toEqual([])
  })

  it('every allowed number is still on its page (no stale exceptions)', () => {
    for (const { file, text } of ALLOWED) expect(readFileSync(join(root, file), 'utf8'), `${file}: ${text}`).toMatch(text)
  })

  it('catches a hand-typed size (the check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-drift-'))
    const page = join(dir, 'page.md')
    writeFileSync(page, 'At start: <!-- results:kB size.entries.scenario.startGzip -->6.5 kB<!-- /results -->.\nThe scenario is 17.4 kB, 0.92× oidc-client-ts, restored in 215 ms (`1.5 kB` in code is fine).\n')
    const found = strayNumbers([page])
    expect(found).toHaveLength(3)
    expect(found[0]).toMatch(/page\.md:2: "17\.4 kB" typed by hand/)
  })
})

describe('links', () => {
  it('no relative link or heading link is dead; package READMEs and JSDoc link the repository', () => {
    expect(brokenLinks()).toEqual([])
  })

  it('catches a dead link, a dead heading and a relative link in what ships (the check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-links-'))
    const page = join(dir, 'page.md')
    writeFileSync(page, '# Title\n\n[ok](#title), [gone](nope.md), [heading](#nope), [repo](https://github.com/tokenkeep/tokenkeep/blob/main/docs/nope.md)\n')
    const source = join(dir, 'source.ts')
    writeFileSync(source, '/** See docs/popup.md. */\nexport const x = 1\n')
    const found = brokenLinks([page], [source])
    expect(found).toEqual([
      expect.stringMatching(/page\.md:3 -> nope\.md: no such file/),
      expect.stringMatching(/page\.md:3 -> #nope: no heading/),
      expect.stringMatching(/page\.md:3 -> https:\/\/github\.com\/tokenkeep\/tokenkeep\/blob\/main\/docs\/nope\.md: no such file/),
      expect.stringMatching(/source\.ts:1 -> docs\/popup\.md: JSDoc ships in the tarball/),
    ])
  })
})
