// Tab sync: the lock and channel each store kind gets, the duplicated-tab check, and what a tab
// does with the messages of other tabs.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AuthError } from '../errors'
import { resolveOptions, type AuthClientOptions } from '../options'
import type { Session } from '../session/session'
import { sessionFromTokens } from '../protocol/tokens'
import { createStore } from '../store'
import type { TabMessage } from '../tabs/channel'
import { CLIENT_ID, ISSUER } from '../test/fakeProvider'
import { createTabHub, type TabHub } from '../test/fakeTabs'
import { createClientStorage } from './clientStorage'
import type { EndScope, Keeper } from './keeper'
import { createTabSync, tabMessageHandler } from './tabSync'

let hub: TabHub
const T0 = Date.now()
const options = (extra: Partial<AuthClientOptions> = {}) =>
  resolveOptions({
    issuer: ISSUER,
    clientId: CLIENT_ID,
    redirectUri: `${location.origin}/callback`,
    tabs: { lock: hub.lock, channel: hub.channel() },
    ...extra,
  })
function setUp(extra: Partial<AuthClientOptions> = {}) {
  const opts = options(extra)
  const storage = createClientStorage(opts, () => {})
  return { storage, tabs: createTabSync(opts, storage) }
}
const session = (seq: number, refreshToken: string | undefined = `rt-${seq}`): Session => ({
  ...sessionFromTokens({ access_token: `at-${seq}`, token_type: 'Bearer', expires_in: 300, ...(refreshToken ? { refresh_token: refreshToken } : {}) }, { sub: 'alice' }, T0),
  seq,
})

/** navigator.locks as far as the page-lifetime claim uses it; `held` are names other live tabs hold. */
let held: Set<string>
function fakeLocks() {
  held = new Set()
  vi.stubGlobal('navigator', {
    locks: {
      request(name: string, opts: { ifAvailable?: boolean }, cb: (lock: { name: string } | null) => unknown) {
        if (opts.ifAvailable && held.has(name)) return Promise.resolve(cb(null))
        held.add(name)
        return Promise.resolve(cb({ name }))
      },
    },
  })
}

beforeEach(() => {
  sessionStorage.clear()
  hub = createTabHub()
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('lock and channel', () => {
  it('a shared store takes the cross-tab lock; a per-tab store needs none', async () => {
    const shared = setUp({ storage: hub.storage }).tabs
    const perTab = setUp({ storage: 'session' }).tabs
    expect([shared.shared, perTab.shared]).toEqual([true, false])
    expect(await shared.withLock(async () => 'a')).toBe('a')
    expect(hub.lockCount).toBe(1)
    expect(await perTab.withLock(async () => 'b')).toBe('b')
    expect(setUp({ storage: 'memory' }).tabs.shared).toBe(false)
    expect(hub.lockCount).toBe(1)
  })

  it('posts to the other tabs, never to itself, until it stops listening', async () => {
    const a = setUp({ storage: hub.storage }).tabs
    const b = setUp({ storage: hub.storage }).tabs
    const heardA: TabMessage[] = []
    const heardB: TabMessage[] = []
    a.listen((m) => heardA.push(m))
    const stop = b.listen((m) => heardB.push(m))
    a.post({ type: 'signedOut' })
    await Promise.resolve()
    expect(heardB).toEqual([{ type: 'signedOut' }])
    expect(heardA).toEqual([])
    stop()
    a.post({ type: 'signedOut' })
    await Promise.resolve()
    expect(heardB).toHaveLength(1)
  })
})

describe('duplicated-tab check (sessionStorage)', () => {
  beforeEach(fakeLocks)

  it('the copy of a tab drops the copied refresh token and takes a new id; the original keeps both', async () => {
    const original = setUp()
    await (await original.storage.open()).set(original.storage.keys.session, session(1))
    await original.tabs.checkDuplicate()
    const originalId = sessionStorage.getItem(original.storage.keys.tab)
    expect(originalId).toMatch(/^"[\w-]{36}"$/)
    expect(await original.storage.readSession()).toEqual(session(1))
    const originalStorage = Object.entries(sessionStorage)

    // Duplicating copies sessionStorage, tab id included; the original tab still holds its id's lock.
    const copy = setUp()
    await copy.tabs.checkDuplicate()
    await copy.tabs.ready()
    const kept = await copy.storage.readSession()
    expect(kept?.refreshToken).toBeUndefined()
    expect(kept).toMatchObject({ accessToken: 'at-1', seq: 1 })
    expect(sessionStorage.getItem(copy.storage.keys.tab)).not.toBe(originalId)

    // The original tab's own storage was never the copy's to change.
    sessionStorage.clear()
    for (const [k, v] of originalStorage) sessionStorage.setItem(k, v)
    expect(await original.storage.readSession()).toEqual(session(1))
  })

  it('a reload keeps its id and its refresh token: the lock died with the old page', async () => {
    const before = setUp()
    await before.tabs.checkDuplicate()
    await (await before.storage.open()).set(before.storage.keys.session, session(2))
    const id = sessionStorage.getItem(before.storage.keys.tab)
    held.clear() // the page went away, and its page-lifetime lock with it
    const reloaded = setUp()
    await reloaded.tabs.checkDuplicate()
    expect(sessionStorage.getItem(reloaded.storage.keys.tab)).toBe(id)
    expect((await reloaded.storage.readSession())?.refreshToken).toBe('rt-2')
  })

  it('shared stores are not checked (no tab id is written)', async () => {
    const { storage, tabs } = setUp({ storage: hub.storage })
    await tabs.checkDuplicate()
    expect(await hub.storage.get(storage.keys.tab)).toBeUndefined()
    expect(held.size).toBe(0)
  })

  it('a failing check never rejects: ready() settles', async () => {
    const { storage, tabs } = setUp()
    vi.spyOn(storage, 'open').mockRejectedValue(new Error('boom'))
    await expect(tabs.checkDuplicate()).resolves.toBeUndefined()
    await expect(tabs.ready()).resolves.toBeUndefined()
  })
})

describe('messages from other tabs', () => {
  let current: Session | undefined
  let calls: string[]
  const view: Pick<Keeper, 'current' | 'adopt' | 'end' | 'heardQuiet'> = {
    current: () => current,
    heardQuiet: (until, code) => void calls.push(`quiet ${until} ${code}`),
    adopt: (s) => {
      calls.push(`adopt ${s.seq}`)
      current = s
    },
    end: async (e: AuthError | null, scope: EndScope) => {
      calls.push(`end ${scope} ${e?.code ?? null}`)
      current = undefined
    },
  }
  const revoke = async (ended: Session | undefined) => void calls.push(`revoke ${ended?.refreshToken}`)
  const handler = (storage: AuthClientOptions['storage']) => tabMessageHandler(setUp({ storage }).tabs, createStore(), view, revoke)
  beforeEach(() => {
    current = session(2)
    calls = []
  })

  it('a quiet message (Retry-After in another tab) reaches the keeper, per-tab stores too', () => {
    handler(hub.storage)({ type: 'quiet', until: 42, code: 'ERR_REFRESH_FAILED' })
    handler('session')({ type: 'quiet', until: 43, code: 'ERR_REFRESH_FAILED' })
    expect(calls).toEqual(['quiet 42 ERR_REFRESH_FAILED', 'quiet 43 ERR_REFRESH_FAILED'])
  })

  it('shared store: a newer session is adopted, the same or an older one ignored', () => {
    const on = handler(hub.storage)
    on({ type: 'session', session: session(1) })
    on({ type: 'session', session: session(2) })
    expect(calls).toEqual([])
    on({ type: 'session', session: session(3) })
    expect(calls).toEqual(['adopt 3'])
  })

  it('shared store: a sign-in elsewhere is adopted by a signed-out tab; a malformed session is not', () => {
    current = undefined
    const on = handler(hub.storage)
    on({ type: 'session', session: { ...session(1), v: 2 } as unknown as Session })
    expect(calls).toEqual([])
    on({ type: 'session', session: session(1) })
    expect(calls).toEqual(['adopt 1'])
  })

  it('shared store: a logout or an end elsewhere ends the session in this tab only, saying why', () => {
    handler(hub.storage)({ type: 'signedOut' })
    current = session(2)
    handler(hub.storage)({ type: 'signedOut', code: 'ERR_SESSION_EXPIRED' })
    current = session(2)
    handler(hub.storage)({ type: 'signedOut', code: 'ERR_LOGIN_REQUIRED' })
    current = session(2)
    handler(hub.storage)({ type: 'signedOut', code: 'ERR_NETWORK' }) // not a reason another tab sends
    expect(calls).toEqual(['end tab null', 'end tab ERR_SESSION_EXPIRED', 'end tab ERR_LOGIN_REQUIRED', 'end tab null'])
  })

  it('a signed-out tab ignores a signed-out message', () => {
    current = undefined
    handler(hub.storage)({ type: 'signedOut' })
    expect(calls).toEqual([])
  })

  it('per-tab store: other tabs sessions and expiries are not ours, but a logout ends ours and revokes it', async () => {
    const on = handler('session')
    on({ type: 'session', session: session(9) })
    on({ type: 'signedOut', code: 'ERR_SESSION_EXPIRED' })
    on({ type: 'signedOut', code: 'ERR_LOGIN_REQUIRED' })
    expect(calls).toEqual([])
    on({ type: 'signedOut' })
    await vi.waitFor(() => expect(calls).toEqual(['end stored null', 'revoke rt-2']))
  })
})
