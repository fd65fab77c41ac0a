// Logout on its own: the session is forgotten under the tab lock and other tabs told; the newest
// refresh token is revoked, best effort; then the provider's end-session endpoint, unless localOnly.
import { beforeEach, describe, expect, it } from 'vitest'
import type { AuthClientOptions } from '../options'
import { parseSession } from '../session/session'
import type { TabMessage } from '../tabs/channel'
import type { Lock } from '../tabs/lock'
import { CLIENT_ID } from '../test/fakeProvider'
import { createTabHub, type TabHub } from '../test/fakeTabs'
import { assigned, op, useFakeProvider } from '../test/harness'
import { createAuthorization } from './authorization'
import { createLogout } from './logout'
import { createSessionKeeper } from './sessionKeeper'
import { createTabSync } from './tabSync'
import { createTransactions } from './transactions'

/** The client's start() has settled: logout awaits it first. */
const ready = () => Promise.resolve()

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

function tab(extra: Partial<AuthClientOptions> = {}) {
  const ctx = context(extra)
  const tabs = createTabSync(ctx.opts, ctx.storage)
  const keeper = createSessionKeeper(ctx, tabs, undefined)
  const transactions = createTransactions(ctx.opts, ctx.storage)
  const authorization = createAuthorization(ctx, transactions)
  const signIn = async () => {
    const { url, state } = await authorization.begin('redirect', ctx.opts.redirectUri, {})
    const tx = (await transactions.take(state, 'redirect'))!
    await keeper.signedIn(await authorization.exchange(tx, new URL(op.authorize(url.href))), tx)
  }
  const stored = async () => parseSession(await hub.storage.get(ctx.storage.keys.session))
  return { ctx, keeper, signIn, stored, logout: createLogout(ctx, tabs, keeper), snapshot: () => ctx.store.getSnapshot() }
}

beforeEach(() => {
  hub = createTabHub()
  heard = []
  locked = false
  hub.channel().subscribe((m) => heard.push(m))
})

describe('logout', () => {
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
    await a.logout.logout({ localOnly: true }, ready)
    expect(removals).toEqual([true])
    expect(await a.stored()).toBeUndefined()
    expect(a.snapshot()).toMatchObject({ status: 'unauthenticated', error: null })
    await Promise.resolve()
    expect(heard).toEqual([{ type: 'signedOut' }])
  })

  it('revokes the newest refresh token, even one another tab stored after this tab last looked', async () => {
    const a = tab()
    await a.signIn()
    const b = tab()
    await b.keeper.restore()
    await b.keeper.accessToken({ forceRefresh: true }) // A never heard of it
    const newest = (await b.stored())!.refreshToken
    expect(a.keeper.current()?.refreshToken).not.toBe(newest)
    await a.logout.logout({}, ready)
    expect(op.revoked).toEqual([newest])
  })

  it('then sends the browser to the end-session endpoint with client_id and post_logout_redirect_uri, and no token', async () => {
    const a = tab()
    await a.signIn()
    await a.logout.logout({}, ready)
    expect(assigned).toHaveLength(1)
    const url = new URL(assigned[0]!)
    expect(url.pathname).toBe('/session/end')
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID)
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${location.origin}/bye`)
    expect(url.searchParams.has('id_token_hint')).toBe(false)
  })

  it('idTokenHint and a per-call postLogoutRedirectUri are honoured', async () => {
    const a = tab()
    await a.signIn()
    const idToken = a.keeper.current()!.idToken
    await a.logout.logout({ idTokenHint: true, postLogoutRedirectUri: `${location.origin}/other` }, ready)
    const url = new URL(assigned[0]!)
    expect(url.searchParams.get('id_token_hint')).toBe(idToken)
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${location.origin}/other`)
  })

  it('revocation is best effort: a failure is shown, never thrown, and the provider logout still happens', async () => {
    const a = tab()
    await a.signIn()
    op.override('/revoke', () => Response.json({ error: 'server_error' }, { status: 500 }))
    await expect(a.logout.logout({}, ready)).resolves.toBeUndefined()
    // The page is leaving for the provider's logout: the snapshot stays signingOut (issue 14).
    expect(a.snapshot()).toMatchObject({ status: 'signingOut', warning: { code: 'ERR_TOKEN_RESPONSE' } })
    expect(await a.stored()).toBeUndefined()
    expect(assigned.map((u) => new URL(u).pathname)).toEqual(['/session/end'])
  })

  it('localOnly: revokes, but stays on the page', async () => {
    const a = tab()
    await a.signIn()
    const refreshToken = a.keeper.current()!.refreshToken
    await a.logout.logout({ localOnly: true }, ready)
    expect(op.revoked).toEqual([refreshToken])
    expect(assigned).toEqual([])
  })

  it('localOnly with the provider unreachable: signed out here, nothing shown', async () => {
    const a = tab()
    await a.signIn()
    await hub.storage.remove(a.ctx.storage.keys.metadata)
    const b = tab() // a new page: metadata not loaded yet
    await b.keeper.restore()
    op.override('/.well-known/openid-configuration', () => new Response('down', { status: 503 }))
    await b.logout.logout({ localOnly: true }, ready)
    expect(b.snapshot()).toMatchObject({ status: 'unauthenticated', error: null })
    expect(await b.stored()).toBeUndefined()
  })

  it('the provider unreachable without localOnly: signed out here, ERR_DISCOVERY shown, no navigation', async () => {
    const a = tab()
    await a.signIn()
    await hub.storage.remove(a.ctx.storage.keys.metadata)
    const b = tab()
    await b.keeper.restore()
    op.override('/.well-known/openid-configuration', () => new Response('down', { status: 503 }))
    await b.logout.logout({}, ready)
    expect(b.snapshot()).toMatchObject({ status: 'unauthenticated', warning: { code: 'ERR_DISCOVERY' } })
    expect(assigned).toEqual([])
  })
})
