// The login and session options through the whole client against the in-memory provider: app
// state, step-up and re-authentication, RFC 8707 resource indicators, userinfo, debug logging.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient as create, type AuthClient } from './client'
import { POPUP_CHANNEL, popupResponseMessage } from './popup/message'
import { debugLogger } from './debugLogger'
import type { LogEntry } from './logger'
import type { AuthClientOptions } from './options'
import { popupLogin } from './popup/popupLogin'
import { userinfoClaims, type UserinfoClaims } from './userinfo/userinfoClaims'
import { FakeBroadcastChannel } from './test/fakeChannel'
import { CLIENT_ID, ISSUER, createFakeProvider, type FakeProvider } from './test/fakeProvider'
import { createTabHub } from './test/fakeTabs'

const API = 'https://api.example.test/'
const BILLING = 'https://billing.example.test/'
const POPUP_REDIRECT = `${location.origin}/popup-callback.html`

let op: FakeProvider
const clients: AuthClient[] = []
const createAuthClient: typeof create = (o) => {
  const c = create(o)
  clients.push(c)
  return c
}
let assigned: string[]

const options = (extra: Partial<AuthClientOptions> = {}): AuthClientOptions => ({
  issuer: ISSUER,
  clientId: CLIENT_ID,
  redirectUri: `${location.origin}/callback`,
  fetch: op.fetch,
  ...extra,
})

beforeEach(async () => {
  sessionStorage.clear()
  localStorage.clear()
  history.replaceState(null, '', '/')
  op = await createFakeProvider()
  assigned = []
  vi.spyOn(location, 'assign').mockImplementation((url: string | URL) => void assigned.push(String(url)))
  // The provider's logout page replaces the page (location.replace): recorded alike.
  vi.spyOn(location, 'replace').mockImplementation((url: string | URL) => void assigned.push(String(url)))
})
afterEach(() => {
  for (const c of clients.splice(0)) c.stop()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

type Login = Parameters<AuthClient['login']>[0]

/** login() on one "page", the provider's answer, then start() on the callback page. */
async function redirectLogin(extra: Partial<AuthClientOptions> = {}, login: Login = {}, sub = 'alice'): Promise<AuthClient> {
  await createAuthClient(options(extra)).login(login)
  history.replaceState(null, '', op.authorize(assigned.pop()!, { sub }))
  const auth = createAuthClient(options(extra))
  await auth.start()
  return auth
}

const storedSession = () => {
  const key = Object.keys(sessionStorage).find((k) => k.endsWith(':session'))
  return key ? (JSON.parse(sessionStorage.getItem(key)!) as Record<string, unknown>) : undefined
}
const txKeys = () => Object.keys(sessionStorage).filter((k) => k.includes(':tx:'))
const nowS = () => Math.floor(Date.now() / 1000)

/** Popup windows the test drives (a new one per login): they record where the client sends them. */
function fakePopup() {
  FakeBroadcastChannel.reset()
  vi.stubGlobal('BroadcastChannel', FakeBroadcastChannel)
  const navigations: string[] = []
  let answered = 0
  const newWindow = () => {
    const win = {
      closed: false,
      location: {
        replace: (url: string) => void navigations.push(url),
        get href(): string {
          throw new DOMException('Blocked a frame', 'SecurityError')
        },
      },
      close() {
        win.closed = true
      },
      focus() {},
      postMessage() {},
    }
    return win as unknown as Window
  }
  const open = vi.spyOn(window, 'open').mockImplementation(newWindow)
  return {
    open,
    navigations,
    /** The provider answers the latest popup's authorization request; the callback page posts it. */
    async answer(opts: { sub?: string } = {}) {
      await vi.waitFor(() => expect(navigations.length).toBeGreaterThan(answered))
      answered = navigations.length
      new FakeBroadcastChannel(POPUP_CHANNEL).postMessage(popupResponseMessage(op.authorize(navigations.at(-1)!, opts)))
    },
  }
}
const withPopup = { popup: popupLogin({ redirectUri: POPUP_REDIRECT }) }

describe('app state through login', () => {
  it('redirect: appState comes back on the snapshot after the callback and never travels in a URL', async () => {
    const appState = { to: '/cart', items: [1, 2], at: new Date(0) }
    await createAuthClient(options()).login({ appState })
    expect(assigned[0]).not.toMatch(/cart|items/)
    const callback = op.authorize(assigned.pop()!)
    expect(callback).not.toMatch(/cart|items/)
    history.replaceState(null, '', callback)
    const auth = createAuthClient(options())
    await auth.start()
    // As it went through JSON: the same whatever the store (a Date becomes its ISO string).
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', appState: { to: '/cart', items: [1, 2], at: '1970-01-01T00:00:00.000Z' } })
    expect(auth.getSnapshot().appState).toBe(auth.getSnapshot().appState)
  })

  it('a restored session carries no appState, a sign-out clears it, a login without it leaves it undefined', async () => {
    const auth = await redirectLogin({}, { appState: 'x' })
    expect(auth.getSnapshot().appState).toBe('x')
    const reloaded = createAuthClient(options())
    await reloaded.start()
    expect(reloaded.getSnapshot()).toMatchObject({ status: 'authenticated', appState: undefined })
    await auth.logout({ localOnly: true })
    expect(auth.getSnapshot().appState).toBeUndefined()
    expect((await redirectLogin()).getSnapshot().appState).toBeUndefined()
  })

  it.each([
    ['a function', () => 1],
    ['a bigint', 10n],
    ['a cycle', (() => {
      const o: Record<string, unknown> = {}
      o.self = o
      return o
    })()],
  ])('refuses %s with a TypeError, before anything is stored or sent (a popup opened in the click is closed)', async (_name, appState) => {
    const popup = fakePopup()
    const auth = createAuthClient(options(withPopup))
    await expect(auth.login({ appState })).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_OPTION', message: expect.stringContaining('appState') })
    await expect(auth.login({ appState, popup: true })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    // The check is protocol code, loaded after the click opened the window: it closes unvisited.
    expect(popup.navigations).toEqual([])
    expect(popup.open.mock.results.every((r) => (r.value as Window).closed)).toBe(true)
    expect(assigned).toEqual([])
    expect(txKeys()).toEqual([])
  })

  it('popup: appState comes back on the snapshot once the popup sign-in is done', async () => {
    const popup = fakePopup()
    const auth = createAuthClient(options(withPopup))
    await auth.start()
    const login = auth.login({ popup: true, appState: { tab: 'billing' } })
    expect(popup.navigations.join()).not.toContain('billing')
    await popup.answer()
    await login
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', appState: { tab: 'billing' } })
  })
})

describe('step-up and re-authentication', () => {
  it('sends the login defaults and the call options, the call replacing a default of the same name', async () => {
    const auth = createAuthClient(options({ login: { uiLocales: ['de', 'en'], prompt: 'consent', resource: API }, authorizationParams: { audience: 'x' } }))
    await auth.login({ prompt: 'login', maxAgeS: 0, loginHint: 'alice@example.test', acrValues: 'urn:mfa' })
    const p = new URL(assigned[0]!).searchParams
    expect(Object.fromEntries(['prompt', 'max_age', 'ui_locales', 'login_hint', 'acr_values', 'resource', 'audience'].map((k) => [k, p.getAll(k)]))).toEqual({
      prompt: ['login'],
      max_age: ['0'],
      ui_locales: ['de en'],
      login_hint: ['alice@example.test'],
      acr_values: ['urn:mfa'],
      resource: [API],
      audience: ['x'],
    })
  })

  it('refuses bad options when the first login needs them: the defaults and each call, before anything is sent (no popup visits the provider)', async () => {
    // The checks are protocol code: a page that only restores a session never loads them.
    await expect(create(options({ login: { prompt: 'now' as 'login' } })).login()).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('"login.prompt"') })
    await expect(create(options({ authorizationParams: { max_age: 5 as unknown as string } })).login()).rejects.toThrow(/authorizationParams.max_age/)
    const popup = fakePopup()
    const auth = createAuthClient(options(withPopup))
    await expect(auth.login({ popup: true, maxAgeS: -1 })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('"login.maxAgeS"') })
    await expect(auth.login({ resource: 'not a uri' })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    expect(popup.navigations).toEqual([])
    expect(assigned).toEqual([])
    expect(op.calls).toEqual([])
  })

  it('redirect: a step-up whose acr falls short keeps the signed-in session and shows ERR_ACR_MISMATCH', async () => {
    op.idTokenClaims = { acr: 'urn:pwd' }
    await redirectLogin()
    const before = storedSession()
    await createAuthClient(options()).login({ acrValues: ['urn:mfa'] })
    history.replaceState(null, '', op.authorize(assigned.pop()!))
    const auth = createAuthClient(options())
    await auth.start()
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' }, error: { code: 'ERR_ACR_MISMATCH' } })
    expect(auth.getIdTokenClaims()).toMatchObject({ acr: 'urn:pwd' })
    expect(storedSession()).toEqual(before)
    expect(location.search).toBe('')
  })

  it('redirect: a successful step-up replaces the session', async () => {
    op.idTokenClaims = { acr: 'urn:pwd' }
    await redirectLogin()
    const before = storedSession()!
    op.idTokenClaims = { acr: 'urn:mfa', auth_time: nowS() }
    const auth = await redirectLogin({}, { acrValues: ['urn:mfa'], maxAgeS: 0 })
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', error: null })
    expect(auth.getIdTokenClaims()).toMatchObject({ acr: 'urn:mfa' })
    expect(storedSession()!.accessToken).not.toBe(before.accessToken)
    expect(storedSession()!.seq).toBe((before.seq as number) + 1)
  })

  it('redirect: a re-authentication older than maxAgeS keeps the old session (ERR_ID_TOKEN)', async () => {
    await redirectLogin()
    const before = storedSession()
    op.idTokenClaims = { auth_time: nowS() - 600 }
    const auth = await redirectLogin({}, { maxAgeS: 60, prompt: 'login' })
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', error: { code: 'ERR_ID_TOKEN', message: expect.stringMatching(/authentication/) } })
    expect(storedSession()).toEqual(before)
  })

  it('popup: a step-up that falls short rejects with ERR_ACR_MISMATCH and the page stays signed in as before', async () => {
    op.idTokenClaims = { acr: 'urn:pwd' }
    const popup = fakePopup()
    const auth = createAuthClient(options(withPopup))
    await auth.start()
    let login = auth.login({ popup: true })
    await popup.answer()
    await login
    const before = storedSession()
    const token = await auth.getAccessToken()
    login = auth.login({ popup: true, acrValues: 'urn:mfa' })
    await popup.answer()
    await expect(login).rejects.toMatchObject({ code: 'ERR_ACR_MISMATCH' })
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' }, error: { code: 'ERR_ACR_MISMATCH' } })
    expect(auth.getIdTokenClaims()).toMatchObject({ acr: 'urn:pwd' })
    expect(await auth.getAccessToken()).toBe(token)
    expect(storedSession()).toEqual(before)
  })

  it('popup: a successful re-authentication replaces the session', async () => {
    const popup = fakePopup()
    const auth = createAuthClient(options(withPopup))
    await auth.start()
    let login = auth.login({ popup: true })
    await popup.answer()
    await login
    const token = await auth.getAccessToken()
    // Read the clock once: comparing with a second nowS() failed whenever a second boundary fell between.
    const authTime = nowS()
    op.idTokenClaims = { auth_time: authTime }
    login = auth.login({ popup: true, maxAgeS: 0, prompt: 'login' })
    await popup.answer()
    await login
    expect(new URL(popup.navigations.at(-1)!).searchParams.get('max_age')).toBe('0')
    expect(await auth.getAccessToken()).not.toBe(token)
    expect(auth.getIdTokenClaims()?.auth_time).toBe(authTime)
  })
})

describe('resource indicators (RFC 8707)', () => {
  it('go on the authorization request, the code exchange and every refresh of that session, across reloads', async () => {
    await redirectLogin({}, { resource: [API, BILLING] })
    expect(op.lastAuthorization!.getAll('resource')).toEqual([API, BILLING])
    expect(op.tokenRequests[0]!.getAll('resource')).toEqual([API, BILLING])
    const reloaded = createAuthClient(options())
    await reloaded.start()
    await reloaded.getAccessToken({ forceRefresh: true })
    expect(op.tokenRequests[1]!.get('grant_type')).toBe('refresh_token')
    expect(op.tokenRequests[1]!.getAll('resource')).toEqual([API, BILLING])
  })

  it('a login default applies; repeated raw authorizationParams are sent once per value', async () => {
    await redirectLogin({ login: { resource: BILLING } })
    expect(op.tokenRequests[0]!.getAll('resource')).toEqual([BILLING])
    await createAuthClient(options({ authorizationParams: { resource: [API, BILLING] } })).login()
    expect(new URL(assigned.pop()!).searchParams.getAll('resource')).toEqual([API, BILLING])
  })

  it('without resource, no token request carries one', async () => {
    const auth = await redirectLogin()
    await auth.getAccessToken({ forceRefresh: true })
    expect(op.tokenRequests.map((b) => b.has('resource'))).toEqual([false, false])
  })
})

describe('userinfo', () => {
  it('is off by default: no request to the userinfo endpoint', async () => {
    const auth = await redirectLogin()
    await auth.getAccessToken({ forceRefresh: true })
    expect(op.calls).not.toContain('GET /me')
  })

  it('on: after sign-in its claims are merged into getUser(), never over the ID token’s own', async () => {
    op.userinfoClaims = { picture: 'https://img.example/a.png', name: 'Alice A.', iss: 'https://evil.example' }
    const auth = await redirectLogin({ protocol: { userinfo: userinfoClaims() } })
    expect(auth.getUser()).toMatchObject({ sub: 'alice', name: 'Alice A.', picture: 'https://img.example/a.png' })
    expect(auth.getUser()).not.toHaveProperty('iss')
    expect(auth.getIdTokenClaims()).toMatchObject({ iss: ISSUER, aud: CLIENT_ID })
    expect(op.calls.filter((c) => c === 'GET /me')).toHaveLength(1)
    // Without afterRefresh, a refresh keeps the merged claims and asks nothing more.
    await auth.getAccessToken({ forceRefresh: true })
    expect(auth.getUser()).toMatchObject({ picture: 'https://img.example/a.png' })
    expect(op.calls.filter((c) => c === 'GET /me')).toHaveLength(1)
  })

  it('a response for another user fails the sign-in with ERR_USERINFO; nothing is stored', async () => {
    op.userinfoClaims = { sub: 'mallory' }
    const auth = await redirectLogin({ protocol: { userinfo: userinfoClaims() } })
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_USERINFO' } })
    expect(storedSession()).toBeUndefined()
    expect(txKeys()).toEqual([])
  })

  it('a failed fetch during a step-up keeps the session signed in before', async () => {
    await redirectLogin({ protocol: { userinfo: userinfoClaims() } })
    const before = storedSession()
    op.override('/me', () => new Response('down', { status: 503 }))
    const auth = await redirectLogin({ protocol: { userinfo: userinfoClaims() } }, { prompt: 'login' })
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', error: { code: 'ERR_USERINFO' } })
    expect(storedSession()).toEqual(before)
  })

  it('afterRefresh: fetched again after each refresh; a failure keeps the new tokens with the claims known before', async () => {
    op.userinfoClaims = { picture: 'one.png' }
    const auth = await redirectLogin({ protocol: { userinfo: userinfoClaims({ afterRefresh: true }) } })
    op.userinfoClaims = { picture: 'two.png' }
    const renewed = await auth.getAccessToken({ forceRefresh: true })
    expect(auth.getUser()).toMatchObject({ picture: 'two.png' })
    expect(op.calls.filter((c) => c === 'GET /me')).toHaveLength(2)
    op.userinfoClaims = { picture: 'three.png' }
    op.override('/me', () => new Response('down', { status: 503 }))
    const again = await auth.getAccessToken({ forceRefresh: true })
    expect(again).not.toBe(renewed)
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', user: { picture: 'two.png' }, warning: { code: 'ERR_USERINFO' } })
    expect(storedSession()).toMatchObject({ accessToken: again, userinfo: { picture: 'two.png' } })
  })

  it('validates the option', () => {
    expect(() => create(options({ protocol: { userinfo: true as unknown as UserinfoClaims } }))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('protocol.userinfo') }))
    expect(() => userinfoClaims({ afterRefresh: 'yes' as unknown as boolean })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('protocol.userinfo.afterRefresh') }))
  })
})

describe('debug logger', () => {
  it('is off by default: nothing reaches the console', async () => {
    const spies = (['debug', 'info', 'warn', 'log', 'error'] as const).map((m) => vi.spyOn(console, m))
    const auth = await redirectLogin()
    await auth.getAccessToken({ forceRefresh: true })
    for (const spy of spies) expect(spy).not.toHaveBeenCalled()
  })

  it('takes what debugLogger() makes: console itself or a bad target is refused before anything runs', () => {
    expect(() => create(options({ logger: console as never }))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('debugLogger(console)') }))
    expect(() => debugLogger({ debug: () => {} } as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('"logger"') }))
  })

  it('a logger that throws is ignored', async () => {
    const auth = await redirectLogin({ logger: debugLogger(() => { throw new Error('broken logger') }) })
    expect(auth.getSnapshot().status).toBe('authenticated')
  })

  it('logger: console prints tagged lines at debug, info and warn', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    await redirectLogin({ logger: debugLogger(console) })
    expect(debug.mock.calls.map((c) => c[0])).toContain('[tokenkeep] callback.received')
    expect(info.mock.calls.map((c) => c[0])).toContain('[tokenkeep] signed.in')
  })

  it('says what it decided and why: restored, refresh scheduled at, retry in N ms, storage fell back', async () => {
    const entries: LogEntry[] = []
    const logger = debugLogger((e: LogEntry) => void entries.push(e))
    await redirectLogin()
    const auth = createAuthClient(options({ logger }))
    await auth.start()
    const events = () => entries.map((e) => e.event)
    expect(entries.find((e) => e.event === 'session.restored')?.data).toMatchObject({ refreshToken: true })
    expect(entries.find((e) => e.event === 'refresh.scheduled')?.data).toMatchObject({ at: expect.stringMatching(/^\d{4}-/), inMs: expect.any(Number) })
    op.override('/token', () => new Response('busy', { status: 503 }))
    await auth.getAccessToken({ forceRefresh: true }).catch(() => {})
    expect(entries.find((e) => e.event === 'refresh.retry')).toMatchObject({ level: 'warn', data: { inMs: expect.any(Number), attempt: 1, code: 'ERR_REFRESH_FAILED' } })

    const broken = createAuthClient(options({ logger, storage: { get: () => Promise.reject(new Error('denied')), set: () => Promise.reject(new Error('denied')), remove: () => Promise.reject(new Error('denied')) } }))
    await broken.start()
    expect(entries.find((e) => e.event === 'storage.fallback')).toMatchObject({ level: 'warn', data: { code: 'ERR_STORAGE' } })
    expect(events()).not.toContain(undefined)
  })

  it('says when another tab renewed and how long the lock was waited for', async () => {
    const hub = createTabHub()
    const entries: LogEntry[] = []
    const tab = (logger?: (e: LogEntry) => void) =>
      createAuthClient(options({ storage: hub.storage, tabs: { lock: hub.lock, channel: hub.channel() }, ...(logger ? { logger: debugLogger(logger) } : {}) }))
    await tab().login()
    history.replaceState(null, '', op.authorize(assigned.pop()!))
    const first = tab()
    await first.start()
    const second = tab((e) => void entries.push(e))
    await second.start()
    // The second tab asks while the first holds the lock and renews.
    await Promise.all([first.getAccessToken({ forceRefresh: true }), second.getAccessToken()])
    const sleeper = createAuthClient(options({ storage: hub.storage, tabs: { lock: hub.lock }, logger: debugLogger((e) => void entries.push(e)) }))
    await sleeper.start()
    await first.getAccessToken({ forceRefresh: true })
    await sleeper.getAccessToken({ forceRefresh: true })
    expect(entries.some((e) => e.event === 'lock.waited' && typeof e.data.ms === 'number')).toBe(true)
    expect(entries.some((e) => e.event === 'refresh.adopted')).toBe(true)
  })

  it('never prints a token, code, verifier, state, nonce or key, through every flow', async () => {
    const lines: string[] = []
    const capture = (...args: unknown[]) => void lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '))
    for (const m of ['debug', 'info', 'warn', 'log', 'error'] as const) vi.spyOn(console, m).mockImplementation(capture)
    const entries: LogEntry[] = []
    const secrets = new Set<string>()
    const collect = () => {
      for (const [key, raw] of Object.entries(sessionStorage)) {
        if (!key.startsWith('tk:')) continue
        const value = JSON.parse(raw) as Record<string, unknown>
        for (const k of ['accessToken', 'refreshToken', 'idToken', 'codeVerifier', 'state', 'nonce']) if (typeof value[k] === 'string') secrets.add(value[k] as string)
      }
      for (const t of op.refreshTokensIssued) secrets.add(t)
    }
    const popup = fakePopup()
    const opts = { ...withPopup, logger: debugLogger(console), protocol: { userinfo: userinfoClaims({ afterRefresh: true }) }, login: { resource: API } } as const
    // Redirect sign-in, with everything secret collected at each step.
    const starter = createAuthClient(options({ ...opts, logger: debugLogger((e) => void entries.push(e)) }))
    await starter.login({ appState: { secret: 'no' } })
    collect()
    const callback = op.authorize(assigned.pop()!)
    secrets.add(new URL(callback).searchParams.get('code')!)
    history.replaceState(null, '', callback)
    const auth = createAuthClient(options(opts))
    await auth.start()
    collect()
    // Refresh, a failed refresh and its retry, a popup step-up, a failed popup, logout.
    await auth.getAccessToken({ forceRefresh: true })
    collect()
    op.override('/token', () => Response.json({ error: 'temporarily_unavailable' }, { status: 503 }))
    await auth.getAccessToken({ forceRefresh: true }).catch(() => {})
    const login = auth.login({ popup: true, maxAgeS: 0 })
    collect()
    op.idTokenClaims = { auth_time: nowS() }
    await popup.answer()
    await login
    collect()
    op.idTokenClaims = {}
    const failing = auth.login({ popup: true, acrValues: 'urn:mfa' })
    await popup.answer()
    await failing.catch(() => {})
    collect()
    await auth.logout()
    for (const url of popup.navigations) secrets.add(new URL(url).searchParams.get('state')!)

    expect(secrets.size).toBeGreaterThan(10)
    expect(lines.length).toBeGreaterThan(10)
    expect(entries.length).toBeGreaterThan(0)
    const printed = [...lines, ...entries.map((e) => JSON.stringify(e))].join('\n')
    for (const secret of secrets) expect(printed.includes(secret), `a secret (${secret.slice(0, 6)}…) was logged`).toBe(false)
    for (const word of ['Bearer', 'eyJ', 'code_verifier', 'refresh_token=']) expect(printed).not.toContain(word)
  })
})
