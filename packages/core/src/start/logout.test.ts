// Logout's local part on its own (the provider's part loads as protocol code: see
// protocol/logout.test.ts): the snapshot is signingOut at once; the session is forgotten under the
// tab lock and the other tabs are told; when the protocol code cannot load, the local logout holds.
import { kit } from './loader'
import { beforeEach, describe, expect, it } from 'vitest'
import type { LogoutOptions } from '../api'
import { AuthError } from '../errors'
import type { AuthClientOptions } from '../options'
import { createProtocol } from '../protocol/protocol'
import { parseSession } from '../session/session'
import type { TabMessage } from '../tabs/channel'
import type { Lock } from '../tabs/lock'
import { createTabHub, type TabHub } from '../test/fakeTabs'
import { assigned, op, useFakeProvider } from '../test/harness'
import { createKeeper } from './keeper'
import { createLogout } from './logout'
import { createTabSync } from './tabSync'

let hub: TabHub
let heard: TabMessage[]
/** The hub's lock, recording whether someone holds it. */
let locked: boolean
const lock: Lock = (name, fn) =>
  hub.lock(name, async () => {
    locked = true
    try {
      return await fn()
    } finally {
      locked = false
    }
  })
const { context } = useFakeProvider({
  options: () => ({ storage: hub.storage, tabs: { lock, channel: hub.channel() }, postLogoutRedirectUri: `${location.origin}/bye` }),
})

/**
 * One tab: its keeper, the protocol it loads, and its logout. `ready` stands for start() (logout
 * awaits it first); `offline` makes the protocol code fail to load, as start/loader reports it.
 */
function tab(extra: Partial<AuthClientOptions> = {}, { ready = () => Promise.resolve(), offline = false } = {}) {
  const ctx = context(extra)
  const tabs = createTabSync(ctx.opts, ctx.storage)
  let loads = 0
  const load = async () => {
    loads += 1
    if (offline) throw new AuthError('ERR_NETWORK', 'Could not load the sign-in code')
    return protocol
  }
  const keeper = createKeeper(ctx, tabs, load, false)
  const protocol = createProtocol({ kit, ctx, keeper, tabs, silent: undefined })
  const signIn = async () => {
    const { url, state } = await protocol.begin('redirect', ctx.opts.redirectUri, {})
    const tx = (await protocol.take(state, 'redirect'))!
    await protocol.complete(tx, new URL(op.authorize(url.href)))
  }
  const stored = async () => parseSession(await hub.storage.get(ctx.storage.keys.session))
  const logout: (options: LogoutOptions) => Promise<void> = createLogout(ctx, tabs, keeper, ready, load)
  return { ctx, keeper, signIn, stored, logout, loads: () => loads, snapshot: () => ctx.store.getSnapshot() }
}

beforeEach(() => {
  hub = createTabHub()
  heard = []
  locked = false
  hub.channel().subscribe((m) => heard.push(m))
})

describe('logout, here', () => {
  it('the snapshot is signingOut at once, before anything is awaited: no user, no moment still signed in', async () => {
    const a = tab()
    await a.signIn()
    expect(a.snapshot().status).toBe('authenticated')
    const done = a.logout({ localOnly: true })
    expect(a.snapshot()).toMatchObject({ status: 'signingOut', user: null, expiresAt: null })
    expect(a.keeper.current()).toBeUndefined()
    await done
    expect(a.snapshot()).toMatchObject({ status: 'unauthenticated', error: null })
  })

  it('a logoutUrl that is not https is refused before anything changes', async () => {
    const a = tab()
    await a.signIn()
    const before = await a.stored()
    await expect(a.logout({ logoutUrl: 'http://op.example.test/logout' })).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_OPTION' })
    expect(a.snapshot().status).toBe('authenticated')
    expect(await a.stored()).toEqual(before)
    expect(a.loads()).toBe(0)
    expect(assigned).toEqual([])
  })

  it('forgets the session under the tab lock, then tells the other tabs (no reason: a logout)', async () => {
    const a = tab()
    await a.signIn()
    heard.length = 0
    const removals: boolean[] = []
    const remove = hub.storage.remove
    hub.storage.remove = async (key) => {
      if (key.endsWith(':session')) removals.push(locked)
      return remove(key)
    }
    await a.logout({ localOnly: true })
    expect(removals).toEqual([true])
    expect(await a.stored()).toBeUndefined()
    expect(a.snapshot()).toMatchObject({ status: 'unauthenticated', error: null })
    await Promise.resolve()
    expect(heard).toEqual([{ type: 'signedOut' }])
  })

  it('waits for start() to settle before it forgets anything, so a restore cannot bring the session back', async () => {
    const a = tab()
    await a.signIn()
    let started!: () => void
    const b = tab({}, { ready: () => new Promise<void>((r) => (started = r)) })
    const done = b.logout({ localOnly: true })
    await new Promise((r) => setTimeout(r, 20))
    expect(await b.stored()).toBeDefined()
    started()
    await done
    expect(await b.stored()).toBeUndefined()
  })

  it('revokes the newest refresh token, even one another tab stored after this tab last looked', async () => {
    const a = tab()
    await a.signIn()
    const b = tab()
    await b.keeper.restore()
    await b.keeper.token({ forceRefresh: true }) // A never heard of it
    const newest = (await b.stored())!.refreshToken
    expect(a.keeper.current()?.refreshToken).not.toBe(newest)
    await a.logout({})
    expect(op.revoked).toEqual([newest])
  })
})

describe('logout when the protocol code cannot load', () => {
  it('signed out here, in storage and in the other tabs; ERR_NETWORK shown; no navigation', async () => {
    const a = tab()
    await a.signIn()
    heard.length = 0
    const b = tab({}, { offline: true })
    await b.keeper.restore()
    await b.logout({})
    expect(b.snapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_NETWORK' } })
    expect(await b.stored()).toBeUndefined()
    expect(op.revoked).toEqual([])
    expect(assigned).toEqual([])
    await Promise.resolve()
    expect(heard).toEqual([{ type: 'signedOut' }])
  })

  it('with a logoutUrl: still leaves for it (it needs no protocol code), staying signingOut', async () => {
    const a = tab()
    await a.signIn()
    const b = tab({}, { offline: true })
    await b.keeper.restore()
    await b.logout({ logoutUrl: 'https://op.example.test/v2/logout?returnTo=x' })
    expect(assigned).toEqual(['https://op.example.test/v2/logout?returnTo=x'])
    expect(b.snapshot()).toMatchObject({ status: 'signingOut', error: null })
    expect(await b.stored()).toBeUndefined()
  })

  it('localOnly with a logoutUrl: stays on the page', async () => {
    const a = tab()
    await a.signIn()
    const b = tab({}, { offline: true })
    await b.keeper.restore()
    await b.logout({ localOnly: true, logoutUrl: 'https://op.example.test/v2/logout' })
    expect(assigned).toEqual([])
    expect(b.snapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_NETWORK' } })
  })
})
