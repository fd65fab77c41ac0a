// The redirect sign-in on its own: login() leaves for the provider, resume() on the way back
// finishes the callback once, cleans the URL, returns to the page, and on failure changes nothing.
import { kit } from '../start/loader'
import { describe, expect, it } from 'vitest'
import type { AuthClientOptions } from '../options'
import { createKeeper } from '../start/keeper'
import { createTabSync } from '../start/tabSync'
import { createTabHub } from '../test/fakeTabs'
import { assigned, op, useFakeProvider } from '../test/harness'
import { createAuthorization } from './authorization'
import { createProtocolContext } from './context'
import { createProtocol } from './protocol'
import { createRedirectLogin } from './redirectLogin'
import { createRenewal } from './renewal'
import { createTransactions } from './transactions'

const { context } = useFakeProvider()

/** One page load: the parts a redirect sign-in uses, over sessionStorage. */
function page(extra: Partial<AuthClientOptions> = {}) {
  const hub = createTabHub()
  const ctx = context({ tabs: { lock: hub.lock, channel: hub.channel() }, ...extra })
  const tabs = createTabSync(ctx.opts, ctx.storage)
  // The keeper loads the protocol only to renew, which these tests never do.
  const keeper = createKeeper(ctx, tabs, async () => createProtocol({ kit, ctx, keeper, tabs, silent: undefined }), false)
  const p = createProtocolContext(ctx)
  const transactions = createTransactions(p.opts, p.storage)
  const renewal = createRenewal(p, keeper, tabs, undefined)
  const redirect = createRedirectLogin(p, createAuthorization(p, transactions, keeper.current), transactions, keeper, renewal.signedIn)
  return { ctx, redirect, snapshot: () => ctx.store.getSnapshot() }
}
/** login() on one page, then the provider's answer in the address bar. */
async function toCallback(answer: Parameters<typeof op.authorize>[1] = {}) {
  await page().redirect.login({})
  history.replaceState(null, '', op.authorize(assigned.pop()!, answer))
}
const here = () => new URL(location.href)
const tokenRequests = () => op.calls.filter((c) => c === 'POST /token').length
const txKeys = () => Object.keys(sessionStorage).filter((k) => k.includes(':tx:'))
const dump = (except: (key: string) => boolean = () => false) =>
  JSON.stringify(Object.entries(sessionStorage).filter(([k]) => !k.endsWith(':tab') && !except(k)).sort())

describe('redirect login', () => {
  it('login stores one transaction and sends the browser to the provider with it', async () => {
    await page().redirect.login({})
    expect(assigned).toHaveLength(1)
    const url = new URL(assigned[0]!)
    expect(url.pathname).toBe('/auth')
    expect(txKeys()).toEqual([expect.stringContaining(url.searchParams.get('state')!)])
  })

  it('login refuses a returnTo on another origin, before any request or navigation', async () => {
    await expect(page().redirect.login({ returnTo: 'https://evil.example/' })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    expect(assigned).toEqual([])
    expect(op.calls).toEqual([])
  })

  it('resume on the callback signs in, removes code, state and iss from the URL, and returns to the page the login began on', async () => {
    history.replaceState(null, '', '/orders/7?tab=2#top')
    await toCallback()
    const { redirect, snapshot } = page()
    await redirect.resume(here())
    expect(snapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' }, error: null })
    expect(location.pathname + location.search + location.hash).toBe('/orders/7?tab=2#top')
    expect(txKeys()).toEqual([])
  })

  // Issue 14: a failed sign-in no longer leaves the app on the callback route.
  it('the code leaves the URL even when the sign-in fails, and the page goes back to where the login began', async () => {
    await toCallback()
    history.replaceState(null, '', `${location.pathname}${location.search}&keep=1`)
    op.override('/token', () => Response.json({ error: 'invalid_grant' }, { status: 400 }))
    await page().redirect.resume(here())
    expect(location.pathname).toBe('/')
    expect(location.search).not.toContain('code=')
    expect(location.search).not.toContain('state=')
  })

  it('the callback runs once: a replay finds no transaction, sends no request, and keeps the session', async () => {
    await toCallback()
    const callback = location.href
    await page().redirect.resume(here())
    expect(tokenRequests()).toBe(1)
    const before = dump()
    history.replaceState(null, '', callback)
    const again = page()
    await again.redirect.resume(here())
    expect(tokenRequests()).toBe(1)
    expect(again.snapshot()).toMatchObject({ status: 'authenticated', error: { code: 'ERR_CALLBACK_STATE_MISMATCH' } })
    expect(dump()).toBe(before)
  })

  it('a failed exchange leaves storage as it was: the signed-in session untouched, only the used transaction gone', async () => {
    await toCallback({ sub: 'alice' })
    await page().redirect.resume(here())
    history.replaceState(null, '', '/')
    await toCallback({ sub: 'bob' })
    const state = here().searchParams.get('state')!
    const before = dump((k) => k.endsWith(`:tx:${state}`))
    op.override('/token', () => Response.json({ error: 'invalid_grant' }, { status: 400 }))
    const { redirect, snapshot } = page()
    await redirect.resume(here())
    expect(snapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' }, error: { code: 'ERR_TOKEN_RESPONSE' } })
    expect(dump()).toBe(before)
  })

  it('a failed first sign-in shows signed out with its error, and keeps no session or transaction', async () => {
    await toCallback({ error: 'access_denied' })
    const { redirect, snapshot } = page()
    await redirect.resume(here())
    expect(snapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_AUTHORIZATION', error: 'access_denied' } })
    expect(Object.keys(sessionStorage).filter((k) => k.endsWith(':session') || k.includes(':tx:'))).toEqual([])
  })

  it('away from the redirect URI a code and state are not a callback: the stored session is restored, the URL left alone', async () => {
    history.replaceState(null, '', '/elsewhere?code=abc&state=xyz')
    const { redirect, snapshot } = page()
    await redirect.resume(here())
    expect(snapshot()).toMatchObject({ status: 'unauthenticated', error: null })
    expect(location.search).toBe('?code=abc&state=xyz')
    expect(op.calls).toEqual([])
  })
})
