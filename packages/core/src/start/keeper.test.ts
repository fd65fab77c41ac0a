// The keeper on its own, with the protocol it loads: tabs are keepers over one shared store, lock
// and channel; sign-ins come from the fake provider through the protocol's steps. Covers the
// renewal rules: re-read under the lock, the sequence rule, transient failures, dead grants, the
// leeway, and sessions that nothing can renew.
import { kit } from './loader'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthError } from '../errors'
import type { AuthClientOptions } from '../options'
import { createProtocol } from '../protocol/protocol'
import { parseSession } from '../session/session'
import type { TabMessage } from '../tabs/channel'
import { createTabHub, type TabHub } from '../test/fakeTabs'
import { op, useFakeProvider } from '../test/harness'
import { createKeeper, type Keeper } from './keeper'
import { createTabSync, tabMessageHandler } from './tabSync'

let hub: TabHub
let now: number
/** What a tab that is not one of the keepers hears on the channel. */
let heard: TabMessage[]
/** The protocol code cannot be downloaded (offline, or a redeploy removed its chunk). */
let offline: boolean
const keepers: Keeper[] = []
const { context } = useFakeProvider({
  options: () => ({ storage: hub.storage, tabs: { lock: hub.lock, channel: hub.channel() }, now: () => now }),
})

/** `listen`: the tab hears the others' messages, as client.ts wires it. */
function tab(extra: Partial<AuthClientOptions> = {}, listen = false) {
  const ctx = context(extra)
  const tabs = createTabSync(ctx.opts, ctx.storage)
  // Like start/loader's: a failed download is ERR_NETWORK.
  const load = async () => {
    if (offline) throw new AuthError('ERR_NETWORK', 'Could not load the sign-in code')
    return protocol
  }
  const keeper = createKeeper(ctx, tabs, load, false)
  const protocol = createProtocol({ kit, ctx, keeper, tabs, silent: undefined })
  keepers.push(keeper)
  if (listen) tabs.listen(tabMessageHandler(tabs, ctx.store, keeper, async () => {}))
  /** A redirect sign-in without the page: begin, the provider's answer, then the exchange and signedIn. */
  const signIn = async () => {
    const { url, state } = await protocol.begin('redirect', ctx.opts.redirectUri, {})
    const tx = (await protocol.take(state, 'redirect'))!
    await protocol.complete(tx, new URL(op.authorize(url.href)))
  }
  const stored = async () => parseSession(await hub.storage.get(ctx.storage.keys.session))
  return { ctx, keeper, signIn, stored, snapshot: () => ctx.store.getSnapshot() }
}

const refreshes = () => op.calls.filter((c) => c === 'POST /token').length
const realSetTimeout = globalThis.setTimeout.bind(globalThis)
/** Under fake timers: gives real time to what runs off the event loop (crypto, response bodies). */
async function settle(until: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !until(); i++) await new Promise((r) => realSetTimeout(r, 5))
  expect(until()).toBe(true)
}
const useClock = () => {
  vi.useFakeTimers({ now: Date.now(), toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  now = Date.now()
}

beforeEach(() => {
  hub = createTabHub()
  now = Date.now()
  heard = []
  offline = false
  hub.channel().subscribe((m) => heard.push(m))
})
afterEach(() => {
  for (const k of keepers.splice(0)) k.pause()
  vi.useRealTimers()
})

describe('refresh, once for all tabs', () => {
  it('under the lock it re-reads storage: another tab renewed already, so its tokens are used with no request', async () => {
    const a = tab()
    const b = tab()
    await a.signIn()
    await b.keeper.restore()
    expect(b.keeper.current()?.seq).toBe(1)
    now += 280_000
    const fromA = await a.keeper.token({})
    expect(refreshes()).toBe(2) // the code, then A's refresh
    const fromB = await b.keeper.token({})
    expect(fromB).toBe(fromA)
    expect(refreshes()).toBe(2)
    expect(b.keeper.current()?.seq).toBe(2)
    expect(hub.lockCount).toBe(2)
  })

  it('the sequence rule: a stale stored record never replaces the newer session, and is not used to refresh', async () => {
    const a = tab()
    await a.signIn()
    const first = await a.stored()
    await a.keeper.token({ forceRefresh: true })
    expect(a.keeper.current()?.seq).toBe(2)
    // A write of the first session lands late (localStorage across tab processes).
    await hub.storage.set(a.ctx.storage.keys.session, first)
    expect((await a.keeper.latest())?.seq).toBe(2)
    // The rotated refresh token of seq 1 is dead at the provider: using it would end the session.
    await a.keeper.token({ forceRefresh: true })
    expect(a.keeper.current()?.seq).toBe(3)
    expect(a.snapshot()).toMatchObject({ status: 'authenticated', error: null })
    expect((await a.stored())?.seq).toBe(3)
  })

  it('a new sign-in continues the stored sequence number', async () => {
    const a = tab()
    await a.signIn()
    await hub.storage.set(a.ctx.storage.keys.session, { ...(await a.stored())!, seq: 7 })
    await a.signIn()
    expect((await a.stored())?.seq).toBe(8)
    expect(heard.filter((m) => m.type === 'session').map((m) => m.type === 'session' && m.session.seq)).toEqual([1, 8])
  })

  it('a transient failure keeps the valid session, is reported, and is retried on backoff', async () => {
    const a = tab({ now: () => Date.now() })
    await a.signIn()
    const before = (await a.stored())!
    vi.spyOn(Math, 'random').mockReturnValue(0) // no jitter; the first backoff is 1 s
    useClock()
    op.override('/token', () => Response.json({ error: 'temporarily_unavailable' }, { status: 503 }))
    a.keeper.run()
    await vi.advanceTimersByTimeAsync(before.expiresAt - 37_500 - Date.now()) // renewAfter: 30 s leeway (a tenth of 300 s) + 7.5 s most jitter
    await settle(() => a.snapshot().warning !== null)
    expect(a.snapshot()).toMatchObject({ status: 'authenticated', warning: { code: 'ERR_REFRESH_FAILED' } })
    expect(await a.stored()).toEqual(before)
    expect(a.keeper.current()).toEqual(before)
    expect(refreshes()).toBe(2)
    await vi.advanceTimersByTimeAsync(999)
    expect(refreshes()).toBe(2)
    await vi.advanceTimersByTimeAsync(1)
    await settle(() => a.snapshot().warning === null)
    expect(refreshes()).toBe(3)
    expect(a.keeper.current()?.seq).toBe(2)
    expect(a.snapshot()).toMatchObject({ status: 'authenticated', warning: null })
  })

  it('the protocol code cannot load: the session is kept, ERR_NETWORK shown, and the renewal done once it loads', async () => {
    const a = tab()
    await a.signIn()
    const b = tab()
    await b.keeper.restore()
    const before = (await b.stored())!
    now += 280_000
    offline = true
    expect(await b.keeper.token({})).toBe(before.accessToken)
    expect(b.snapshot()).toMatchObject({ status: 'authenticated', error: null, warning: { code: 'ERR_NETWORK' } })
    expect(await b.stored()).toEqual(before)
    expect(refreshes()).toBe(1)
    offline = false
    expect(await b.keeper.token({})).not.toBe(before.accessToken)
    expect(refreshes()).toBe(2)
    expect(b.keeper.current()?.seq).toBe(2)
  })

  it('run() renews a restored session that is already due, with no event to wake it', async () => {
    const a = tab()
    await a.signIn()
    now += 280_000
    const b = tab()
    await b.keeper.restore()
    expect(refreshes()).toBe(1)
    b.keeper.run()
    await vi.waitFor(() => expect(b.keeper.current()?.seq).toBe(2))
    expect(refreshes()).toBe(2)
  })

  it('a transient failure inside the leeway still gives the working token', async () => {
    const a = tab()
    await a.signIn()
    const token = a.keeper.current()!.accessToken
    now += 280_000
    op.override('/token', () => Response.json({ error: 'server_error' }, { status: 500 }))
    expect(await a.keeper.token({})).toBe(token)
    expect(a.snapshot().warning?.code).toBe('ERR_REFRESH_FAILED')
  })

  it('invalid_grant ends the session once, in storage and on the snapshot, and tells the other tabs why', async () => {
    const a = tab()
    await a.signIn()
    heard.length = 0
    op.override('/token', () => Response.json({ error: 'invalid_grant' }, { status: 400 }))
    const results = await Promise.allSettled([a.keeper.token({ forceRefresh: true }), a.keeper.token({ forceRefresh: true })])
    expect(results.map((r) => r.status === 'rejected' && (r.reason as { code: string }).code)).toEqual(['ERR_SESSION_EXPIRED', 'ERR_SESSION_EXPIRED'])
    expect(refreshes()).toBe(2)
    expect(await a.stored()).toBeUndefined()
    expect(a.snapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_SESSION_EXPIRED' } })
    await Promise.resolve()
    expect(heard).toEqual([{ type: 'signedOut', code: 'ERR_SESSION_EXPIRED' }])
    await expect(a.keeper.token({})).rejects.toMatchObject({ code: 'ERR_LOGIN_REQUIRED' })
    expect(refreshes()).toBe(2)
    await Promise.resolve()
    expect(heard).toHaveLength(1)
  })
})

describe('the provider asks for quiet (Retry-After): every tab keeps it', () => {
  const quietFor30s = () => op.override('/token', () => new Response(null, { status: 429, headers: { 'retry-after': '30' } }))

  it('regression: after one tab got 429 + Retry-After: 30, no tab sends a renewal for 30 s, a tab opened meanwhile neither', async () => {
    const a = tab({}, true)
    const b = tab({}, true)
    await a.signIn()
    await b.keeper.restore()
    const token = a.keeper.current()!.accessToken
    now += 280_000 // inside the leeway: due
    quietFor30s()
    expect(await a.keeper.token({})).toBe(token)
    expect(refreshes()).toBe(2)
    await Promise.resolve()
    expect(heard).toContainEqual({ type: 'quiet', until: now + 30_000, code: 'ERR_REFRESH_FAILED' })
    // The other tab is due too, and even a forced renewal sends nothing: its token still works.
    expect(await b.keeper.token({ forceRefresh: true })).toBe(token)
    expect(b.snapshot()).toMatchObject({ error: null, warning: { code: 'ERR_REFRESH_FAILED', retryAfterMs: 30_000 } })
    // A tab opened later heard no message: it finds the quiet in storage.
    now += 10_000
    const c = tab()
    await c.keeper.restore()
    expect(await c.keeper.token({ forceRefresh: true })).toBe(token)
    expect(refreshes()).toBe(2)
    now += 20_001
    expect(await b.keeper.token({})).not.toBe(token)
    expect(refreshes()).toBe(3)
  })

  it('a tab already waiting for the lock when the 429 came sends nothing after it', async () => {
    const a = tab({}, true)
    const b = tab({}, true)
    await a.signIn()
    await b.keeper.restore()
    now += 280_000
    quietFor30s()
    await Promise.all([a.keeper.token({ forceRefresh: true }), b.keeper.token({ forceRefresh: true })])
    expect(refreshes()).toBe(2)
    expect(hub.lockCount).toBeGreaterThanOrEqual(2)
  })
})

describe('token', () => {
  it('a fresh token comes with no request; inside the leeway it is renewed first; forceRefresh always renews', async () => {
    const a = tab()
    await a.signIn()
    const first = a.keeper.current()!.accessToken
    now += 269_000 // the leeway starts 30 s (a tenth of the lifetime) before the 300 s expiry
    expect(await a.keeper.token({})).toBe(first)
    expect(refreshes()).toBe(1)
    now += 2_000
    const second = await a.keeper.token({})
    expect(second).not.toBe(first)
    expect(refreshes()).toBe(2)
    expect(await a.keeper.token({ forceRefresh: true })).not.toBe(second)
    expect(refreshes()).toBe(3)
  })

  it('signed out: ERR_LOGIN_REQUIRED with no request', async () => {
    const a = tab()
    await a.keeper.restore()
    await expect(a.keeper.token({})).rejects.toMatchObject({ code: 'ERR_LOGIN_REQUIRED' })
    expect(op.calls).toEqual([])
  })
})

describe('a session with nothing to renew it', () => {
  it('is used until its expiry with no request, then ends there, once, in every tab', async () => {
    op.issueRefreshTokens = false
    const a = tab({ now: () => Date.now() })
    await a.signIn()
    const s = (await a.stored())!
    expect(s.refreshToken).toBeUndefined()
    useClock()
    a.keeper.run()
    heard.length = 0
    await vi.advanceTimersByTimeAsync(s.expiresAt - Date.now() - 1_000)
    expect(await a.keeper.token({})).toBe(s.accessToken)
    expect(a.snapshot().status).toBe('authenticated')
    await vi.advanceTimersByTimeAsync(1_000)
    await settle(() => a.snapshot().status === 'unauthenticated')
    expect(a.snapshot().error?.code).toBe('ERR_LOGIN_REQUIRED')
    expect(await a.stored()).toBeUndefined()
    expect(refreshes()).toBe(1) // only the login's code
    await Promise.resolve()
    expect(heard).toEqual([{ type: 'signedOut', code: 'ERR_LOGIN_REQUIRED' }])
  })

  it('restore keeps it while the token works and ends it in storage once it has expired', async () => {
    op.issueRefreshTokens = false
    const a = tab()
    await a.signIn()
    const b = tab()
    await b.keeper.restore()
    expect(b.snapshot().status).toBe('authenticated')
    now += 300_000
    const c = tab()
    await c.keeper.restore()
    expect(c.snapshot()).toMatchObject({ status: 'unauthenticated', error: null })
    expect(await c.stored()).toBeUndefined()
  })
})
