// Pending authorization transactions: single use, checked for mode and expiry, expired slots
// cleaned up, and one slot per state so two tabs never overwrite each other's login.
import { describe, expect, it } from 'vitest'
import type { Transaction } from './flows/authorize'
import { resolveOptions, type AuthClientOptions } from '../options'
import { CLIENT_ID, ISSUER } from '../test/fakeProvider'
import { createTabHub } from '../test/fakeTabs'
import { createClientContext } from '../start/context'
import { createTransactions } from './transactions'

let now = 1_000_000

const tx = (state: string, extra: Partial<Transaction> = {}): Transaction => ({
  state,
  codeVerifier: `verifier-${state}`,
  nonce: `nonce-${state}`,
  redirectUri: `${location.origin}/callback`,
  mode: 'redirect',
  expiresAt: now + 600_000,
  ...extra,
})

// No provider: transactions never touch the network.
function setUp(extra: Partial<AuthClientOptions> = {}) {
  const ctx = createClientContext(
    resolveOptions({ issuer: ISSUER, clientId: CLIENT_ID, redirectUri: `${location.origin}/callback`, storage: 'memory', now: () => now, ...extra }),
  )
  return { ctx, transactions: createTransactions(ctx.opts, ctx.storage) }
}

describe('transactions', () => {
  it('take returns the saved transaction once; a second take (a replayed callback) finds nothing', async () => {
    const { transactions } = setUp()
    await transactions.save(tx('s1'))
    expect(await transactions.take('s1', 'redirect')).toEqual(tx('s1'))
    expect(await transactions.take('s1', 'redirect')).toBeUndefined()
  })

  it('an unknown or empty state finds nothing', async () => {
    const { transactions } = setUp()
    await transactions.save(tx('s1'))
    expect(await transactions.take('other', 'redirect')).toBeUndefined()
    expect(await transactions.take('', 'redirect')).toBeUndefined()
    expect(await transactions.take('s1', 'redirect')).toBeDefined()
  })

  it('a transaction of another mode is refused, and used up all the same', async () => {
    const { transactions } = setUp()
    await transactions.save(tx('p1', { mode: 'popup' }))
    expect(await transactions.take('p1', 'redirect')).toBeUndefined()
    expect(await transactions.take('p1', 'popup')).toBeUndefined()
    await transactions.save(tx('p2', { mode: 'popup' }))
    expect(await transactions.take('p2', 'popup')).toMatchObject({ state: 'p2', mode: 'popup' })
  })

  it('an expired transaction is refused and removed', async () => {
    const { ctx, transactions } = setUp()
    await transactions.save(tx('s1', { expiresAt: now + 1_000 }))
    now += 1_000
    expect(await transactions.take('s1', 'redirect')).toBeUndefined()
    expect(await (await ctx.storage.open()).get(ctx.storage.keys.tx('s1'))).toBeUndefined()
  })

  it('a stored record that is not a transaction is refused', async () => {
    const { ctx, transactions } = setUp()
    await (await ctx.storage.open()).set(ctx.storage.keys.tx('bad'), { state: 'bad', mode: 'redirect' })
    expect(await transactions.take('bad', 'redirect')).toBeUndefined()
  })

  it('saving deletes the expired slots the index knows of, and keeps the live ones', async () => {
    const { ctx, transactions } = setUp()
    const s = await ctx.storage.open()
    await transactions.save(tx('old', { expiresAt: now + 1_000 }))
    await transactions.save(tx('live', { expiresAt: now + 10_000 }))
    now += 5_000
    await transactions.save(tx('new'))
    expect(await s.get(ctx.storage.keys.tx('old'))).toBeUndefined()
    expect(await s.get(ctx.storage.keys.tx('live'))).toBeDefined()
    expect(await s.get(ctx.storage.keys.txIndex)).toEqual({ live: now + 5_000, new: now + 600_000 })
  })

  it('a corrupt index does not stop a save', async () => {
    const { ctx, transactions } = setUp()
    await (await ctx.storage.open()).set(ctx.storage.keys.txIndex, 'garbage')
    await transactions.save(tx('s1'))
    expect(await transactions.take('s1', 'redirect')).toBeDefined()
  })

  it('two tabs saving at the same moment into one store both keep their transaction', async () => {
    const hub = createTabHub()
    const a = setUp({ storage: hub.storage }).transactions
    const b = setUp({ storage: hub.storage }).transactions
    await Promise.all([a.save(tx('from-a')), b.save(tx('from-b'))])
    expect(await b.take('from-a', 'redirect')).toEqual(tx('from-a'))
    expect(await a.take('from-b', 'redirect')).toEqual(tx('from-b'))
  })
})
