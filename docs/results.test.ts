// @vitest-environment node
// The generator that writes the docs' numbers from bench/results.json, tested on a fixture.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { blocks, fill, loadData, render, staleBlocks, writeResults } from './results.mjs'

const here = import.meta.dirname
const data = loadData(join(here, 'test', 'results.fixture.json'), join(here, 'test', 'size-budget.fixture.json'))

describe('docs/results.mjs', () => {
  it('formats single numbers from a path: kB, B, ms, one decimal, text, ratio', () => {
    expect(render('kB size.entries.scenario.startGzip', data)).toBe('6.5 kB')
    expect(render('B size.entries.scenario.allGzip', data)).toBe('15,432 B')
    expect(render('ms startup.indexeddb.msAfterScript', data)).toBe('25 ms')
    expect(render('x1 tabs.oidc-client-ts.10.grantsPerExpiry', data)).toBe('4.0')
    expect(render('text tabs.oidc-client-ts.10.signedIn', data)).toBe('0 / 10')
    expect(render('ratio size.entries.scenario.startGzip / size.peers.oidc-client-ts.startGzip', data)).toBe('0.38×')
    expect(render('B budget.scenario.initialGzip', data)).toBe('6,800 B')
    expect(render('text commit', data)).toBe('fixture')
  })

  it('writes tables, each row from the results', () => {
    const size = render('table size', data)
    expect(size.startsWith('\n| entry |')).toBe(true)
    expect(size).toContain('| common scenario | 6,543 B | 14,432 B | 15,432 B | 5 | 0.38× | 0.85× |')
    expect(size).toContain('| React adapter | 1,020 B | 1,020 B | 1,020 B | 1 | – | – |')
    expect(render('table esbuild', data)).toContain('| scenario | 6,400 B | 14,200 B | 15,100 B | 0.36× | 0.80× |')
    expect(render('table startup', data)).toContain("| 'indexeddb' by name | 25 ms | 0 |")
    expect(render('table features', data)).toContain('| `dpop` | 102 B | 106 B | 102 B | 5,700 B |')
    expect(render('table tabs', data)).toContain('| oidc-client-ts | 1.0 (1 / 1) | 4.0 (0 / 10) |')
    expect(render('table budget', data)).toContain('| react | 2,250 B | 1,180 B | – |')
    expect(render('table peers', data)).toContain('| @auth0/auth0-spa-js | 2.28.3 | 60.7 kB | 60.7 kB | 0.11× |')
  })

  it('fails loudly on a path or a name that does not exist', () => {
    expect(() => render('kB size.entries.nope.startGzip', data)).toThrow(/no "nope" under "size.entries"/)
    expect(() => render('kB size.entries.scenario.label', data)).toThrow(/not a number/)
    expect(() => render('table nope', data)).toThrow(/no table "nope"/)
    expect(() => render('bogus', data)).toThrow(/neither/)
    expect(() => loadData(join(here, 'test', 'absent.json'))).toThrow(/pnpm bench/)
  })

  it('fills the blocks of a page and leaves the rest alone', () => {
    const page = 'At start: <!-- results:kB size.entries.scenario.startGzip -->99.9 kB<!-- /results -->, fine.\n\n<!-- results:table startup -->\nold\n<!-- /results -->\nend\n'
    const filled = fill(page, data)
    expect(filled).toContain('At start: <!-- results:kB size.entries.scenario.startGzip -->6.5 kB<!-- /results -->, fine.')
    expect(filled).toContain("<!-- results:table startup -->\n| store |")
    expect(filled.endsWith('<!-- /results -->\nend\n')).toBe(true)
    expect(blocks(filled).map((b) => b.name)).toEqual(['kB size.entries.scenario.startGzip', 'table startup'])
    expect(fill(filled, data)).toBe(filled)
  })

  it('reports a block that differs from the results, and rewrites it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-results-'))
    const file = join(dir, 'page.md')
    writeFileSync(file, 'Size: <!-- results:kB size.entries.scenario.startGzip -->6.5 kB<!-- /results -->\n')
    expect(staleBlocks([file], data)).toEqual([])
    writeFileSync(file, 'Size: <!-- results:kB size.entries.scenario.startGzip -->6.4 kB<!-- /results -->\n')
    const [problem] = staleBlocks([file], data)
    expect(problem).toMatch(/page\.md:1: results:kB size\.entries\.scenario\.startGzip says "6\.4 kB", the results say "6\.5 kB"/)
    expect(writeResults([file], data)).toHaveLength(1)
    expect(readFileSync(file, 'utf8')).toContain('-->6.5 kB<!--')
    expect(staleBlocks([file], data)).toEqual([])
  })
})
