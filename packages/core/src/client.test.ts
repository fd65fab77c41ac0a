import { describe, expect, it, vi } from 'vitest'
import { sameOriginPath } from './protocol/sameOriginPath'
import { AuthError } from './errors'
import type { TokenStorage } from './storage/tokenStorage'
import { CLIENT_ID, ISSUER } from './test/fakeProvider'
import { assigned, op, useFakeProvider } from './test/harness'

const { options, createAuthClient, signIn } = useFakeProvider({ options: () => ({ postLogoutRedirectUri: `${location.origin}/` }) })

// The per-tab id (duplicate-tab detection) is not state the tests look at.
const storedKeys = () => Object.keys(sessionStorage).filter((k) => !k.endsWith(':tab')).sort()
const dump = () => JSON.stringify(Object.entries(sessionStorage).sort())

describe('redirect login', () => {
  it('starts signed out with no network request when nothing is stored', async () => {
    const auth = createAuthClient(options())
    expect(auth.getSnapshot().status).toBe('loading')
    await auth.start()
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', user: null, error: null })
    expect(op.calls).toEqual([])
  })

  it('sends PKCE S256, state and nonce, and stores one single-use transaction per state', async () => {
    await createAuthClient(options()).login()
    const url = new URL(assigned[0]!)
    const p = url.searchParams
    expect(url.origin + url.pathname).toBe(`${ISSUER}/auth`)
    expect(p.get('response_type')).toBe('code')
    expect(p.get('code_challenge_method')).toBe('S256')
    expect(p.get('code_challenge')).toMatch(/^[\w-]{43}$/)
    expect(p.get('state')).toBeTruthy()
    expect(p.get('nonce')).toBeTruthy()
    expect(p.get('redirect_uri')).toBe(`${location.origin}/callback`)
    expect(storedKeys().filter((k) => k.includes(':tx:'))).toEqual([expect.stringContaining(p.get('state')!)])
  })

  it('two logins started before either finishes keep separate transactions', async () => {
    await createAuthClient(options()).login()
    await createAuthClient(options()).login()
    const [first] = assigned
    const callback = op.authorize(first!)
    history.replaceState(null, '', callback)
    const auth = createAuthClient(options())
    await auth.start()
    expect(auth.getSnapshot().status).toBe('authenticated')
    expect(storedKeys().filter((k) => k.includes(':tx:'))).toHaveLength(1)
  })

  it('finishes the callback: user claims, expiry, clean URL, transaction consumed', async () => {
    const auth = await signIn()
    const snap = auth.getSnapshot()
    expect(snap.status).toBe('authenticated')
    // The profile: the protocol claims are on getIdTokenClaims() only.
    expect(snap.user).toEqual({ sub: 'alice', name: 'Alice' })
    expect(auth.getIdTokenClaims()).toMatchObject({ sub: 'alice', name: 'Alice', iss: ISSUER, aud: CLIENT_ID, nonce: expect.any(String) })
    expect(snap.expiresAt).toBeGreaterThan(Date.now() + 250_000)
    expect(location.search).toBe('')
    expect(location.pathname).toBe('/')
    expect(storedKeys().some((k) => k.includes(':tx:'))).toBe(false)
    expect(auth.getUser()).toBe(snap.user)
    expect(Object.isFrozen(snap)).toBe(true)
  })

  it('protocol.protocolClaims keeps every ID token claim in user', async () => {
    const auth = await signIn({ protocol: { protocolClaims: true } })
    expect(auth.getUser()).toMatchObject({ sub: 'alice', name: 'Alice', iss: ISSUER, aud: CLIENT_ID, nonce: expect.any(String), exp: expect.any(Number) })
    expect(auth.getUser()).toEqual(auth.getIdTokenClaims())
    expect(() => createAuthClient(options({ protocol: { protocolClaims: 'yes' as never } }))).toThrow(/protocol\.protocolClaims/)
  })

  it('getIdTokenClaims() is null without a session', async () => {
    const auth = createAuthClient(options())
    await auth.start()
    expect(auth.getIdTokenClaims()).toBeNull()
  })

  it('returns to the page the login started from', async () => {
    history.replaceState(null, '', '/orders/7?tab=2#top')
    await createAuthClient(options()).login()
    history.replaceState(null, '', op.authorize(assigned.pop()!))
    await createAuthClient(options()).start()
    expect(location.pathname + location.search + location.hash).toBe('/orders/7?tab=2#top')
  })

  it('refuses a returnTo on another origin (no open redirect)', async () => {
    const auth = createAuthClient(options())
    for (const bad of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
      await expect(auth.login({ returnTo: bad })).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_OPTION' })
    }
    expect(assigned).toEqual([])
  })

  it('restores a stored session on reload with zero requests', async () => {
    await signIn()
    const before = op.calls.length
    const auth = createAuthClient(options())
    await auth.start()
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' } })
    expect(op.calls.length).toBe(before)
  })
})

describe('bad callbacks leave storage as it was', () => {
  it('a forged state gives ERR_CALLBACK_STATE_MISMATCH and changes nothing', async () => {
    await signIn()
    await createAuthClient(options()).login() // a pending, legitimate login
    const before = dump()
    history.replaceState(null, '', '/callback?code=stolen&state=forged')
    const auth = createAuthClient(options())
    await auth.start()
    expect(auth.getSnapshot().error).toBeInstanceOf(AuthError)
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', error: { code: 'ERR_CALLBACK_STATE_MISMATCH' } })
    expect(dump()).toBe(before)
    expect(location.search).toBe('')
  })

  it('a missing state is a mismatch too', async () => {
    history.replaceState(null, '', '/callback?code=abc')
    const auth = createAuthClient(options())
    await auth.start()
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_CALLBACK_STATE_MISMATCH' } })
    expect(op.calls).toEqual([])
  })

  it('a replayed callback fails cleanly', async () => {
    await createAuthClient(options()).login()
    const callback = op.authorize(assigned.pop()!)
    history.replaceState(null, '', callback)
    await createAuthClient(options()).start()
    const before = dump()
    history.replaceState(null, '', callback)
    const again = createAuthClient(options())
    await again.start()
    expect(again.getSnapshot()).toMatchObject({ status: 'authenticated', error: { code: 'ERR_CALLBACK_STATE_MISMATCH' } })
    expect(dump()).toBe(before)
  })

  it('an iss from another issuer (mix-up, RFC 9207) is rejected before any token request', async () => {
    await createAuthClient(options()).login()
    history.replaceState(null, '', op.authorize(assigned.pop()!, { iss: 'https://evil.example' }))
    const auth = createAuthClient(options())
    await auth.start()
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_CALLBACK_INVALID' } })
    expect(op.calls.filter((c) => c.endsWith('/token'))).toEqual([])
    expect(storedKeys().some((k) => k.endsWith(':session'))).toBe(false)
  })

  it('a missing iss is rejected when the provider advertises it', async () => {
    await createAuthClient(options()).login()
    history.replaceState(null, '', op.authorize(assigned.pop()!, { iss: null }))
    const auth = createAuthClient(options())
    await auth.start()
    expect(auth.getSnapshot().error?.code).toBe('ERR_CALLBACK_INVALID')
  })

  it('a provider error keeps the OAuth error apart from our code', async () => {
    await createAuthClient(options()).login()
    history.replaceState(null, '', op.authorize(assigned.pop()!, { error: 'access_denied' }))
    const auth = createAuthClient(options())
    await auth.start()
    expect(auth.getSnapshot().error).toMatchObject({ code: 'ERR_AUTHORIZATION', error: 'access_denied' })
    expect(location.search).toBe('')
  })

  it('a failed callback reaches "signed out" and its error in one change (no error-free signed-out step)', async () => {
    await createAuthClient(options()).login()
    history.replaceState(null, '', op.authorize(assigned.pop()!, { error: 'access_denied' }))
    const auth = createAuthClient(options())
    const seen: unknown[] = []
    auth.subscribe(() => seen.push({ status: auth.getSnapshot().status, code: auth.getSnapshot().error?.code }))
    await auth.start()
    expect(seen).toEqual([{ status: 'unauthenticated', code: 'ERR_AUTHORIZATION' }])
  })

  it('a failed sign-in leaves the callback for the page the login began on, with the error (stayed on the callback before)', async () => {
    history.replaceState(null, '', '/orders/7?tab=2#total')
    await createAuthClient(options()).login()
    history.replaceState(null, '', op.authorize(assigned.pop()!, { error: 'access_denied' }))
    const auth = createAuthClient(options())
    await auth.start()
    expect(location.pathname + location.search + location.hash).toBe('/orders/7?tab=2#total')
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_AUTHORIZATION' } })
  })

  it('an ID token with the wrong nonce is rejected and nothing is stored', async () => {
    await createAuthClient(options()).login()
    op.idTokenClaims = { nonce: 'not-the-one' }
    history.replaceState(null, '', op.authorize(assigned.pop()!))
    const auth = createAuthClient(options())
    await auth.start()
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_ID_TOKEN' } })
    expect(storedKeys().some((k) => k.endsWith(':session'))).toBe(false)
  })

  it('a token endpoint answering HTML gives a typed error without leaking the body', async () => {
    await createAuthClient(options()).login()
    op.override('/token', () => new Response('<html>oops</html>', { status: 200, headers: { 'content-type': 'text/html' } }))
    history.replaceState(null, '', op.authorize(assigned.pop()!))
    const auth = createAuthClient(options())
    await auth.start()
    expect(auth.getSnapshot().error?.code).toBe('ERR_TOKEN_RESPONSE')
  })
})

describe('access tokens and refresh', () => {
  it('returns the stored token while it is fresh, without a request', async () => {
    const auth = await signIn()
    const before = op.calls.length
    expect(await auth.getAccessToken()).toMatch(/^at-/)
    expect(op.calls.length).toBe(before)
  })

  it('refreshes inside the leeway, keeps the claims when no ID token comes back, stores the rotated token in one record', async () => {
    let now = Date.now()
    const auth = await signIn({ now: () => now })
    now += 280_000 // 300 s token: the leeway is capped at a tenth of its lifetime (30 s): due
    const first = await auth.getAccessToken()
    const stored = JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage).find((k) => k.endsWith(':session'))!)!)
    expect(stored.accessToken).toBe(first)
    expect(stored.refreshToken).toBe(op.refreshTokensIssued.at(-1))
    expect(stored.claims.sub).toBe('alice')
    expect(op.refreshTokensIssued).toHaveLength(2)
    expect(auth.getSnapshot().user).toMatchObject({ sub: 'alice', name: 'Alice' })
  })

  it('concurrent callers share one refresh', async () => {
    let now = Date.now()
    const auth = await signIn({ now: () => now })
    now += 280_000
    const tokens = await Promise.all([auth.getAccessToken(), auth.getAccessToken(), auth.getAccessToken()])
    expect(new Set(tokens).size).toBe(1)
    expect(op.calls.filter((c) => c === 'POST /token')).toHaveLength(2) // code + one refresh
  })

  it('invalid_grant ends the session once with ERR_SESSION_EXPIRED', async () => {
    const auth = await signIn()
    op.override('/token', () => Response.json({ error: 'invalid_grant' }, { status: 400 }))
    const seen: string[] = []
    auth.subscribe(() => seen.push(auth.getSnapshot().status))
    await expect(auth.getAccessToken({ forceRefresh: true })).rejects.toMatchObject({ code: 'ERR_SESSION_EXPIRED', error: 'invalid_grant' })
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_SESSION_EXPIRED' } })
    expect(seen).toEqual(['unauthenticated'])
    expect(storedKeys().some((k) => k.endsWith(':session'))).toBe(false)
  })

  it('an empty 400 body counts as a rejected refresh token', async () => {
    const auth = await signIn()
    op.override('/token', () => new Response('', { status: 400 }))
    await expect(auth.getAccessToken({ forceRefresh: true })).rejects.toMatchObject({ code: 'ERR_SESSION_EXPIRED', status: 400 })
  })

  it('a 500 keeps a valid session and shows the error', async () => {
    const auth = await signIn()
    const token = await auth.getAccessToken()
    op.override('/token', () => new Response('', { status: 503 }))
    await expect(auth.getAccessToken({ forceRefresh: true })).resolves.toBe(token)
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', warning: { code: 'ERR_REFRESH_FAILED', status: 503 } })
    expect(storedKeys().some((k) => k.endsWith(':session'))).toBe(true)
  })

  it('a renewal that fails for now is a warning, not an error, and the next renewal clears it', async () => {
    const auth = await signIn()
    op.override('/token', () => new Response('', { status: 503 }))
    await auth.getAccessToken({ forceRefresh: true })
    // An app that shows an error screen on `error` (as apps coming from auth0-react do) keeps its page.
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', error: null, warning: { code: 'ERR_REFRESH_FAILED' } })
    await auth.getAccessToken({ forceRefresh: true })
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', error: null, warning: null })
  })

  it('a network failure keeps a valid session', async () => {
    const auth = await signIn()
    op.override('/token', () => Promise.reject(new TypeError('Failed to fetch')))
    await auth.getAccessToken({ forceRefresh: true })
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', warning: { code: 'ERR_NETWORK' } })
  })

  it('without a session getAccessToken says login is required', async () => {
    const auth = createAuthClient(options())
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'ERR_LOGIN_REQUIRED' })
  })

  it('errors never carry tokens in messages or enumerable properties', async () => {
    const auth = await signIn()
    const stored = Object.values(sessionStorage).join()
    op.override('/token', () => Response.json({ error: 'invalid_grant', error_description: 'nope' }, { status: 400 }))
    const error = (await auth.getAccessToken({ forceRefresh: true }).catch((e: unknown) => e)) as AuthError
    const tokens = (stored.match(/(at|rt)-[\w-]+/g) ?? []) as string[]
    expect(tokens.length).toBeGreaterThan(0)
    for (const t of tokens) {
      expect(error.message).not.toContain(t)
      expect(JSON.stringify(error)).not.toContain(t)
    }
  })
})

/** happy-dom's events lack `persisted`; a browser sets it on pages restored from the back/forward cache. */
function pageshow(persisted: boolean): Event {
  return Object.defineProperty(new Event('pageshow'), 'persisted', { value: persisted })
}

describe('logout', () => {
  it('forgets the session, revokes the refresh token and visits the end-session endpoint without tokens in the URL', async () => {
    const auth = await signIn()
    const refreshToken = op.refreshTokensIssued.at(-1)
    const statuses: string[] = []
    auth.subscribe(() => statuses.push(auth.getSnapshot().status))
    const done = auth.logout()
    // At once, before anything is awaited: the app shows no signed-in view while the logout runs.
    expect(auth.getSnapshot()).toMatchObject({ status: 'signingOut', user: null })
    await done
    // The page is leaving for the end-session endpoint: still signing out, never "unauthenticated"
    // in between (a guard would start a login that races the logout's redirect).
    expect(auth.getSnapshot().status).toBe('signingOut')
    expect(statuses).toEqual(['signingOut'])
    expect(storedKeys().some((k) => k.endsWith(':session'))).toBe(false)
    expect(op.revoked).toEqual([refreshToken])
    const url = new URL(assigned.pop()!)
    expect(url.origin + url.pathname).toBe(`${ISSUER}/session/end`)
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID)
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${location.origin}/`)
    expect(url.searchParams.has('id_token_hint')).toBe(false)
  })

  it('localOnly stays on the page', async () => {
    const auth = await signIn()
    await auth.logout({ localOnly: true })
    expect(assigned).toEqual([])
    expect(auth.getSnapshot().status).toBe('unauthenticated')
  })

  it('a page shown again from the back/forward cache mid-logout reads the session again', async () => {
    const auth = await signIn()
    await auth.logout()
    expect(auth.getSnapshot().status).toBe('signingOut')
    dispatchEvent(pageshow(true))
    await vi.waitFor(() => expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', user: null }))
    auth.stop()
  })

  it('a page shown again from the back/forward cache drops a session another tab ended meanwhile', async () => {
    const auth = await signIn({ storage: 'local' })
    // Another tab logged out while this page sat in the cache (its message never arrived).
    localStorage.removeItem(Object.keys(localStorage).find((k) => k.endsWith(':session'))!)
    dispatchEvent(pageshow(false))
    expect(auth.getSnapshot().status).toBe('authenticated')
    dispatchEvent(pageshow(true))
    await vi.waitFor(() => expect(auth.getSnapshot().status).toBe('unauthenticated'))
    auth.stop()
  })
})

describe('storage failures never crash the app', () => {
  it('a corrupt session record is reported and discarded', async () => {
    await signIn()
    const key = Object.keys(sessionStorage).find((k) => k.endsWith(':session'))!
    sessionStorage.setItem(key, '{not json')
    const auth = createAuthClient(options())
    await auth.start()
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', warning: { code: 'ERR_STORAGE' } })
    expect(sessionStorage.getItem(key)).toBeNull()
  })

  it('a record of the wrong shape is reported and discarded', async () => {
    await signIn()
    const key = Object.keys(sessionStorage).find((k) => k.endsWith(':session'))!
    sessionStorage.setItem(key, JSON.stringify({ v: 0, token: 'old-format' }))
    const auth = createAuthClient(options())
    await auth.start()
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', warning: { code: 'ERR_STORAGE' } })
    expect(sessionStorage.getItem(key)).toBeNull()
  })

  it('a store that throws on every call falls back to memory with one warning, and login still works', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const broken: TokenStorage = {
      get: () => Promise.reject(new DOMException('blocked', 'SecurityError')),
      set: () => {
        throw new DOMException('quota', 'QuotaExceededError')
      },
      remove: () => Promise.reject(new Error('nope')),
    }
    const auth = createAuthClient(options({ storage: broken }))
    await auth.start()
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', warning: { code: 'ERR_STORAGE' } })
    await auth.login()
    history.replaceState(null, '', op.authorize(assigned.pop()!))
    const callbackPage = createAuthClient(options({ storage: broken }))
    await callbackPage.start()
    expect(callbackPage.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' } })
    expect(warn).toHaveBeenCalledTimes(2) // once per page
  })
})

describe('a broken store across a redirect', () => {
  it('still finishes a redirect login (transaction kept in sessionStorage) and keeps the session in memory only', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const broken = (): TokenStorage => ({
      get: () => Promise.reject(new DOMException('denied', 'SecurityError')),
      set: () => Promise.reject(new DOMException('denied', 'SecurityError')),
      remove: () => Promise.reject(new DOMException('denied', 'SecurityError')),
    })
    await createAuthClient(options({ storage: broken() })).login()
    history.replaceState(null, '', op.authorize(assigned.pop()!))
    const auth = createAuthClient(options({ storage: broken() })) // the callback page
    await auth.start()
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' }, warning: { code: 'ERR_STORAGE' } })
    expect(Object.values(sessionStorage).join()).not.toContain('accessToken')
    const reloaded = createAuthClient(options({ storage: broken() }))
    await reloaded.start()
    expect(reloaded.getSnapshot()).toMatchObject({ status: 'unauthenticated', warning: { code: 'ERR_STORAGE' } })
  })
})

describe('options', () => {
  it('requires https except on loopback', () => {
    expect(() => createAuthClient(options({ issuer: 'http://id.example.com' }))).toThrow(/issuer/)
    expect(() => createAuthClient(options({ issuer: 'http://127.0.0.1:9000' }))).not.toThrow()
    expect(() => createAuthClient(options({ issuer: 'http://localhost:9000' }))).not.toThrow()
  })

  it('names the bad option', () => {
    expect(() => createAuthClient(options({ clientId: '' }))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('clientId') }))
    expect(() => createAuthClient(options({ redirectUri: '/callback' }))).toThrow(/redirectUri/)
    expect(() => createAuthClient(options({ storage: 'cookies' as never }))).toThrow(/storage/)
  })

  it('sameOriginPath keeps paths and refuses other origins', () => {
    expect(sameOriginPath('/a?b=1#c')).toBe('/a?b=1#c')
    expect(sameOriginPath('https://evil.example/')).toBeUndefined()
    expect(sameOriginPath('//evil.example')).toBeUndefined()
    expect(sameOriginPath('/\\evil.example')).toBeUndefined()
  })
})

describe('storage choices', () => {
  it('two clients on one origin never collide (keys namespaced by issuer + client id)', async () => {
    await signIn()
    const other = createAuthClient(options({ clientId: 'another-app' }))
    await other.start()
    expect(other.getSnapshot().status).toBe('unauthenticated')
    const keys = storedKeys()
    expect(keys.every((k) => k.startsWith(`tk:${CLIENT_ID}@${ISSUER}/:`))).toBe(true)
  })

  it("'indexeddb' keeps the session where every tab can read it, restored with no request", async () => {
    const auth = await signIn({ storage: 'indexeddb' })
    expect(auth.getSnapshot().status).toBe('authenticated')
    expect(storedKeys()).toEqual([])
    const before = op.calls.length
    const reloaded = createAuthClient(options({ storage: 'indexeddb' }))
    await reloaded.start()
    expect(reloaded.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' } })
    expect(op.calls.length).toBe(before)
    await reloaded.logout({ localOnly: true })
  })

  it("'memory' keeps no token across page loads, but a redirect login comes back (ERR_CALLBACK_STATE_MISMATCH before)", async () => {
    const auth = createAuthClient(options({ storage: 'memory' }))
    await auth.login()
    // Only the pending login survives the navigation, in this tab's sessionStorage: no token.
    expect(storedKeys().map((k) => k.replace(/tx:.*/, 'tx:<state>'))).toEqual([`tk:${CLIENT_ID}@${ISSUER}/:tx:<state>`])
    history.replaceState(null, '', op.authorize(assigned.pop()!, { sub: 'alice' }))
    const back = createAuthClient(options({ storage: 'memory' }))
    await back.start()
    expect(back.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' }, error: null })
    expect(storedKeys()).toEqual([])
    const reloaded = createAuthClient(options({ storage: 'memory' }))
    await reloaded.start()
    expect(reloaded.getSnapshot().status).toBe('unauthenticated')
  })

  it('an app-supplied store is used for everything', async () => {
    const map = new Map<string, unknown>()
    const custom: TokenStorage = {
      get: async (k) => structuredClone(map.get(k)) as never,
      set: async (k, v) => void map.set(k, structuredClone(v)),
      remove: async (k) => void map.delete(k),
    }
    await signIn({ storage: custom })
    expect([...map.keys()].map((k) => k.split(':').at(-1))).toEqual(expect.arrayContaining(['metadata', 'session']))
    expect(storedKeys()).toEqual([])
  })

  it('expired abandoned transactions are deleted at the next login', async () => {
    let now = Date.now()
    const clock = { now: () => now }
    await createAuthClient(options(clock)).login()
    const abandoned = new URL(assigned.pop()!).searchParams.get('state')!
    now += 11 * 60_000
    await createAuthClient(options(clock)).login()
    const txKeys = storedKeys().filter((k) => k.includes(':tx:'))
    expect(txKeys).toHaveLength(1)
    expect(txKeys[0]).not.toContain(abandoned)
  })

  it('an expired transaction cannot finish a login', async () => {
    let now = Date.now()
    await createAuthClient(options({ now: () => now })).login()
    history.replaceState(null, '', op.authorize(assigned.pop()!))
    now += 11 * 60_000
    const auth = createAuthClient(options({ now: () => now }))
    await auth.start()
    expect(auth.getSnapshot().error?.code).toBe('ERR_CALLBACK_STATE_MISMATCH')
    expect(op.calls.filter((c) => c.endsWith('/token'))).toEqual([])
  })

  it('provider metadata is cached and re-fetched only after its maximum age', async () => {
    let now = Date.now()
    const opt = options({ now: () => now, http: { metadataMaxAgeMs: 60_000 } })
    await createAuthClient(opt).login()
    await createAuthClient(opt).login()
    expect(op.calls.filter((c) => c.includes('openid-configuration'))).toHaveLength(1)
    now += 61_000
    await createAuthClient(opt).login()
    expect(op.calls.filter((c) => c.includes('openid-configuration'))).toHaveLength(2)
  })
})

describe('start and stop', () => {
  it('start() after stop() (React StrictMode) does not run the callback twice or flash signed-out', async () => {
    await createAuthClient(options()).login()
    history.replaceState(null, '', op.authorize(assigned.pop()!))
    const auth = createAuthClient(options())
    const seen: string[] = []
    auth.subscribe(() => seen.push(auth.getSnapshot().status))
    const first = auth.start()
    auth.stop()
    const second = auth.start()
    await Promise.all([first, second])
    expect(seen).toEqual(['authenticated'])
    expect(op.calls.filter((c) => c === 'POST /token')).toHaveLength(1)
  })

  it('stop() disarms the refresh timer and start() re-arms it', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    try {
      op.accessTokenTtl = 120
      const auth = await signIn()
      auth.stop()
      // Past the renewal time (120 s token, 12 s leeway), short of expiry.
      await vi.advanceTimersByTimeAsync(110_000)
      expect(op.refreshTokensIssued).toHaveLength(1)
      await auth.start()
      await vi.advanceTimersByTimeAsync(1_000)
      await vi.waitFor(() => expect(op.refreshTokensIssued).toHaveLength(2))
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('login when the provider is unreachable', () => {
  it('rejects with ERR_NETWORK, shows it on the snapshot and stores no transaction', async () => {
    op.override('/.well-known/openid-configuration', () => Promise.reject(new TypeError('Failed to fetch')))
    const auth = createAuthClient(options())
    await auth.start()
    await expect(auth.login()).rejects.toMatchObject({ code: 'ERR_NETWORK' })
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_NETWORK' } })
    expect(storedKeys()).toEqual([])
    expect(assigned).toEqual([])
  })

  it('rejects discovery metadata whose issuer differs from the configured one', async () => {
    op.override('/.well-known/openid-configuration', () => Response.json({ issuer: 'https://evil.example', authorization_endpoint: 'https://evil.example/auth', token_endpoint: 'https://evil.example/token' }))
    const auth = createAuthClient(options())
    await expect(auth.login()).rejects.toMatchObject({ code: 'ERR_DISCOVERY' })
    expect(assigned).toEqual([])
  })
})
