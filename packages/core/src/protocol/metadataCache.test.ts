// Provider metadata: cached in storage while fresh, discovered when stale, one request in flight,
// failures not cached, and a cache written for another issuer never used.
import { describe, expect, it } from 'vitest'
import { ISSUER } from '../test/fakeProvider'
import { op, useFakeProvider } from '../test/harness'
import { createProtocolContext } from './context'
import { createMetadataCache } from './metadataCache'

const DISCOVERY = 'GET /.well-known/openid-configuration'
const MAX_AGE = 60_000
let now = 5_000_000
const { context } = useFakeProvider({ options: () => ({ storage: 'memory', now: () => now, http: { metadataMaxAgeMs: MAX_AGE } }) })

function setUp() {
  const ctx = createProtocolContext(context())
  const metadata = createMetadataCache(ctx.opts, ctx.http, ctx.storage)
  const cache = async (value: unknown) => (await ctx.storage.open()).set(ctx.storage.keys.metadata, value)
  const cached = async () => (await ctx.storage.open()).get<{ as: { issuer: string }; fetchedAt: number }>(ctx.storage.keys.metadata)
  return { metadata, cache, cached }
}
const asFor = (issuer: string) => ({ issuer, authorization_endpoint: `${issuer}/cached-auth`, token_endpoint: `${issuer}/cached-token` })
const discoveries = () => op.calls.filter((c) => c === DISCOVERY).length

describe('metadata cache', () => {
  it('nothing cached: discovers once and stores what it found with the time', async () => {
    const { metadata, cached } = setUp()
    expect(await metadata()).toMatchObject({ issuer: ISSUER, token_endpoint: `${ISSUER}/token` })
    expect(op.calls).toEqual([DISCOVERY])
    expect(await cached()).toMatchObject({ as: { issuer: ISSUER }, fetchedAt: now })
  })

  it('a fresh cache is used with no request', async () => {
    const { metadata, cache } = setUp()
    await cache({ as: asFor(ISSUER), fetchedAt: now - MAX_AGE + 1 })
    expect(await metadata()).toEqual(asFor(ISSUER))
    expect(op.calls).toEqual([])
  })

  it('a stale cache is discovered again and replaced', async () => {
    const { metadata, cache, cached } = setUp()
    await cache({ as: asFor(ISSUER), fetchedAt: now - MAX_AGE })
    expect((await metadata()).token_endpoint).toBe(`${ISSUER}/token`)
    expect(op.calls).toEqual([DISCOVERY])
    expect((await cached())?.fetchedAt).toBe(now)
  })

  it('cached metadata of another issuer is ignored', async () => {
    const { metadata, cache } = setUp()
    await cache({ as: asFor('https://other.example.test'), fetchedAt: now })
    expect((await metadata()).issuer).toBe(ISSUER)
    expect(op.calls).toEqual([DISCOVERY])
  })

  it('a cache entry of the wrong shape is ignored', async () => {
    const { metadata, cache } = setUp()
    await cache({ as: asFor(ISSUER) }) // no fetchedAt
    await metadata()
    expect(discoveries()).toBe(1)
  })

  it('concurrent calls share one request and one answer', async () => {
    const { metadata } = setUp()
    const answers = await Promise.all([metadata(), metadata(), metadata()])
    expect(discoveries()).toBe(1)
    expect(new Set(answers).size).toBe(1)
  })

  it('a failure is not cached: the next call retries and succeeds', async () => {
    const { metadata, cached } = setUp()
    op.override('/.well-known/openid-configuration', () => new Response('down', { status: 503 }))
    await expect(metadata()).rejects.toThrow()
    expect(await cached()).toBeUndefined()
    expect((await metadata()).issuer).toBe(ISSUER)
    expect(discoveries()).toBe(2)
  })
})
