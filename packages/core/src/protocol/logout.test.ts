// Logout at the provider, through the client's logout (start/logout.ts, which loads this code
// after the local part: see start/logout.test.ts): the ended session's refresh token is revoked,
// best effort; then the provider's end-session endpoint, unless localOnly.
import { kit } from '../start/loader'
import { beforeEach, describe, expect, it } from 'vitest'
import type { AuthClientOptions } from '../options'
import { parseSession } from '../session/session'
import { createKeeper } from '../start/keeper'
import { createLogout } from '../start/logout'
import { createTabSync } from '../start/tabSync'
import { CLIENT_ID } from '../test/fakeProvider'
import { createTabHub, type TabHub } from '../test/fakeTabs'
import { assigned, op, useFakeProvider } from '../test/harness'
import { createProtocol } from './protocol'

/** The client's start() has settled: logout awaits it first. */
const ready = () => Promise.resolve()

let hub: TabHub
const { context } = useFakeProvider({
  options: () => ({ storage: hub.storage, tabs: { lock: hub.lock, channel: hub.channel() }, postLogoutRedirectUri: `${location.origin}/bye` }),
})

function tab(extra: Partial<AuthClientOptions> = {}) {
  const ctx = context(extra)
  const tabs = createTabSync(ctx.opts, ctx.storage)
  const keeper = createKeeper(ctx, tabs, async () => protocol, false)
  const protocol = createProtocol({ kit, ctx, keeper, tabs, silent: undefined })
  const signIn = async () => {
    const { url, state } = await protocol.begin('redirect', ctx.opts.redirectUri, {})
    const tx = (await protocol.take(state, 'redirect'))!
    await protocol.complete(tx, new URL(op.authorize(url.href)))
  }
  const stored = async () => parseSession(await hub.storage.get(ctx.storage.keys.session))
  return { ctx, keeper, signIn, stored, logout: createLogout(ctx, tabs, keeper, ready, async () => protocol), snapshot: () => ctx.store.getSnapshot() }
}

beforeEach(() => {
  hub = createTabHub()
})

describe('logout at the provider', () => {
  it('revokes the refresh token, then sends the browser to the end-session endpoint with client_id and post_logout_redirect_uri, and no token', async () => {
    const a = tab()
    await a.signIn()
    const refreshToken = a.keeper.current()!.refreshToken
    await a.logout({})
    expect(assigned).toHaveLength(1)
    const url = new URL(assigned[0]!)
    expect(url.pathname).toBe('/session/end')
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID)
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${location.origin}/bye`)
    expect(url.searchParams.has('id_token_hint')).toBe(false)
    expect(op.revoked).toEqual([refreshToken])
    expect(a.snapshot().status).toBe('signingOut')
  })

  it('a logoutUrl is used exactly as given (no state, no hint), after the revocation; with the provider unreachable too', async () => {
    const a = tab()
    await a.signIn()
    await a.logout({ logoutUrl: 'https://op.example.test/v2/logout?returnTo=x', idTokenHint: true })
    expect(op.revoked).toHaveLength(1)
    await hub.storage.remove(a.ctx.storage.keys.metadata)
    const b = tab()
    await b.signIn()
    await hub.storage.remove(b.ctx.storage.keys.metadata)
    const c = tab()
    await c.keeper.restore()
    op.override('/.well-known/openid-configuration', () => new Response('down', { status: 503 }))
    await c.logout({ logoutUrl: 'https://op.example.test/v2/logout?returnTo=y' })
    expect(assigned).toEqual(['https://op.example.test/v2/logout?returnTo=x', 'https://op.example.test/v2/logout?returnTo=y'])
    expect(c.snapshot()).toMatchObject({ status: 'signingOut', error: null })
  })

  it('idTokenHint and a per-call postLogoutRedirectUri are honoured', async () => {
    const a = tab()
    await a.signIn()
    const idToken = a.keeper.current()!.idToken
    await a.logout({ idTokenHint: true, postLogoutRedirectUri: `${location.origin}/other` })
    const url = new URL(assigned[0]!)
    expect(url.searchParams.get('id_token_hint')).toBe(idToken)
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${location.origin}/other`)
  })

  it('revocation is best effort: a failure is shown, never thrown, and the provider logout still happens', async () => {
    const a = tab()
    await a.signIn()
    op.override('/revoke', () => Response.json({ error: 'server_error' }, { status: 500 }))
    await expect(a.logout({})).resolves.toBeUndefined()
    // The page is leaving for the provider's logout: the snapshot stays signingOut (issue 14).
    expect(a.snapshot()).toMatchObject({ status: 'signingOut', warning: { code: 'ERR_TOKEN_RESPONSE' } })
    expect(await a.stored()).toBeUndefined()
    expect(assigned.map((u) => new URL(u).pathname)).toEqual(['/session/end'])
  })

  it('localOnly: revokes, but stays on the page', async () => {
    const a = tab()
    await a.signIn()
    const refreshToken = a.keeper.current()!.refreshToken
    await a.logout({ localOnly: true })
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
    await b.logout({ localOnly: true })
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
    await b.logout({})
    expect(b.snapshot()).toMatchObject({ status: 'unauthenticated', warning: { code: 'ERR_DISCOVERY' } })
    expect(assigned).toEqual([])
  })
})
