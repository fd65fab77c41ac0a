// The client under faults (issue 15): broken storage at login, a provider that asks for quiet
// (Retry-After) or fails in bursts, token responses without expires_in, slow token endpoints, and
// the state of RP-initiated logout. Fake timers and an injected clock that move together.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthFetch } from './authFetch'
import { createAuthClient as create, type AuthClient } from './client'
import type { AuthClientOptions } from './options'
import { CLIENT_ID, ISSUER, createFakeProvider, type FakeProvider } from './test/fakeProvider'

let op: FakeProvider
let assigned: string[]
const clients: AuthClient[] = []

const createAuthClient = (extra: Partial<AuthClientOptions> = {}): AuthClient => {
  const c = create({
    issuer: ISSUER,
    clientId: CLIENT_ID,
    redirectUri: `${location.origin}/callback`,
    postLogoutRedirectUri: `${location.origin}/`,
    fetch: op.fetch,
    now: () => Date.now(),
    ...extra,
  })
  clients.push(c)
  return c
}

async function signIn(extra: Partial<AuthClientOptions> = {}): Promise<AuthClient> {
  await createAuthClient(extra).login()
  history.replaceState(null, '', op.authorize(assigned.pop()!))
  const auth = createAuthClient(extra)
  await auth.start()
  expect(auth.getSnapshot().status).toBe('authenticated')
  return auth
}

/** When each refresh grant reached the provider, by the fake clock. */
let refreshAt: number[]
/** Walks the fake clock in 100 ms steps until `done()` or `ms` have passed. */
async function walk(ms: number, done: () => boolean = () => false): Promise<void> {
  for (let t = 0; t < ms && !done(); t += 100) await vi.advanceTimersByTimeAsync(100)
}

beforeEach(async () => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 1, 12), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
  sessionStorage.clear()
  localStorage.clear()
  history.replaceState(null, '', '/')
  op = await createFakeProvider()
  refreshAt = []
  const inner = op.fetch
  op.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init)
    if (new URL(req.url).pathname === '/token' && (await req.clone().text()).includes('grant_type=refresh_token')) refreshAt.push(Date.now())
    return inner(req)
  }) as typeof fetch
  assigned = []
  vi.spyOn(location, 'assign').mockImplementation((url: string | URL) => void assigned.push(String(url)))
  // The provider's logout page replaces the page (location.replace): recorded alike.
  vi.spyOn(location, 'replace').mockImplementation((url: string | URL) => void assigned.push(String(url)))
})
afterEach(() => {
  for (const c of clients.splice(0)) c.stop()
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('storage that fails at login', () => {
  it('regression: a redirect login whose transaction could only be kept in memory refuses before leaving (ERR_STORAGE)', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const real = sessionStorage
    // sessionStorage answers reads but refuses writes (a quota of zero).
    vi.stubGlobal('sessionStorage', {
      getItem: (k: string) => real.getItem(k),
      removeItem: (k: string) => real.removeItem(k),
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError')
      },
    })
    const auth = createAuthClient()
    await auth.start()
    await expect(auth.login()).rejects.toMatchObject({ code: 'ERR_STORAGE', message: expect.stringContaining('popup') })
    expect(assigned).toEqual([])
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', warning: { code: 'ERR_STORAGE' } })
    expect(op.calls.filter((c) => !c.includes('openid-configuration'))).toEqual([])
  })

  it('a store that fails while sessionStorage works still leaves for the provider (the transaction waits there)', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const broken = { get: () => Promise.reject(new Error('x')), set: () => Promise.reject(new Error('x')), remove: () => Promise.reject(new Error('x')) }
    await createAuthClient({ storage: broken }).login()
    expect(assigned).toHaveLength(1)
  })
})

describe('the provider asks for quiet: Retry-After', () => {
  it('regression: after 429 with Retry-After: 10 the next refresh waits 10 s, and on-demand calls send nothing meanwhile', async () => {
    const auth = await signIn()
    const token = await auth.getAccessToken()
    op.override('/token', () => new Response(null, { status: 429, headers: { 'retry-after': '10' } }))
    await walk(300_000, () => refreshAt.length === 1)
    const failedAt = refreshAt[0]!
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', warning: { code: 'ERR_REFRESH_FAILED', status: 429, retryAfterMs: 10_000 } })
    // The token is still valid: on demand it is handed out, and a forced renewal sends nothing.
    await vi.advanceTimersByTimeAsync(2_000)
    await expect(auth.getAccessToken({ forceRefresh: true })).resolves.toBe(token)
    expect(refreshAt).toHaveLength(1)
    await walk(30_000, () => refreshAt.length === 2)
    expect(refreshAt[1]! - failedAt).toBeGreaterThanOrEqual(10_000)
    expect(refreshAt[1]! - failedAt).toBeLessThanOrEqual(11_100)
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', error: null })
  })

  it('an HTTP-date Retry-After on 503 is honoured too, and the session outlives its token meanwhile', async () => {
    op.accessTokenTtl = 60
    const auth = await signIn()
    const expiresAt = auth.getSnapshot().expiresAt!
    op.override('/token', () => new Response(null, { status: 503, headers: { 'retry-after': new Date(Date.now() + 120_000).toUTCString() } }))
    await walk(120_000, () => refreshAt.length === 1)
    await walk(200_000, () => refreshAt.length === 2)
    expect(refreshAt[1]!).toBeGreaterThanOrEqual(expiresAt + 60_000) // past expiry: the provider's word wins
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', error: null })
    expect(auth.getSnapshot().expiresAt).toBeGreaterThan(expiresAt)
  })
})

describe('recovery after a burst of failures', () => {
  it('regression: once the provider answers again, a session inside its leeway is renewed within 5 s', async () => {
    const auth = await signIn()
    const first = auth.getSnapshot().expiresAt!
    // Five failures in a row: 503s, a refused connection, a 502.
    for (const fail of [503, 503, 503, 0, 502]) {
      op.override('/token', () => (fail === 0 ? Promise.reject(new TypeError('Failed to fetch')) : new Response(null, { status: fail })))
    }
    await walk(300_000, () => refreshAt.length === 5)
    expect(refreshAt).toHaveLength(5)
    // The provider is back the moment the fifth failure was answered.
    const recoveredAt = Date.now()
    await walk(30_000, () => auth.getSnapshot().expiresAt !== first)
    expect(auth.getSnapshot().expiresAt).toBeGreaterThan(first)
    expect(refreshAt[5]! - recoveredAt).toBeLessThanOrEqual(5_000)
    // ...and no try was ever more than 5 s after the one before while the token was valid.
    for (let i = 1; i < refreshAt.length; i++) expect(refreshAt[i]! - refreshAt[i - 1]!).toBeLessThanOrEqual(5_000)
  })

  it('back-off never pushes the next try past the last moment that can still save the token', async () => {
    op.accessTokenTtl = 30 // 3 s leeway: two failures use most of it
    const auth = await signIn()
    const expiresAt = auth.getSnapshot().expiresAt!
    op.override('/token', () => new Response(null, { status: 503 }))
    op.override('/token', () => new Response(null, { status: 503 }))
    await walk(60_000, () => auth.getSnapshot().expiresAt !== expiresAt)
    expect(refreshAt).toHaveLength(3)
    expect(refreshAt[2]!).toBeLessThan(expiresAt)
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', error: null })
  })
})

describe('token lifetimes', () => {
  it('the lifetime is counted from when the token request was sent, so a slow answer never overstates it', async () => {
    const auth = await signIn()
    op.override('/token', async (req) => {
      await new Promise((r) => setTimeout(r, 2_000))
      return undefined as unknown as Response // then the provider's own answer
    })
    const sentAt = Date.now()
    const renewing = auth.getAccessToken({ forceRefresh: true })
    await vi.advanceTimersByTimeAsync(2_000)
    await renewing
    expect(auth.getSnapshot().expiresAt).toBe(sentAt + op.accessTokenTtl * 1000)
  })

  it('regression: no expires_in and an opaque token: 5 minutes, not an hour; a 401 invalid_token through createAuthFetch renews', async () => {
    const inner = op.fetch
    op.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await inner(input, init)
      if (new URL(new Request(input, init).url).pathname !== '/token' || !response.ok) return response
      const { expires_in: _dropped, ...body } = (await response.json()) as Record<string, unknown>
      return Response.json(body)
    }) as typeof fetch
    const auth = await signIn()
    const signedInAt = Date.now()
    expect(auth.getSnapshot().expiresAt).toBe(signedInAt + 300_000)
    const api = createAuthFetch(auth, { allowedOrigins: [ISSUER], fetch: op.fetch })
    expect((await api(`${ISSUER}/me`)).status).toBe(200)
    op.invalidateAccessTokens() // the provider's real, shorter lifetime ran out
    const renewals = refreshAt.length
    const response = await api(`${ISSUER}/me`)
    expect(response.status).toBe(200)
    expect(refreshAt.length).toBe(renewals + 1)
  })
})

describe('RP-initiated logout state (OpenID RP-Initiated Logout §2, §3)', () => {
  it('regression: sends a state, and the page the provider returns to checks it and removes it from the URL', async () => {
    const auth = await signIn()
    await auth.logout()
    const url = new URL(assigned.pop()!)
    const state = url.searchParams.get('state')
    expect(state).toMatch(/^[\w-]{20,}$/)
    // The provider sends the user back to post_logout_redirect_uri with that state.
    history.replaceState(null, '', `/?keep=1&state=${state}#top`)
    const back = createAuthClient()
    await back.start()
    expect(back.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: null })
    expect(location.pathname + location.search + location.hash).toBe('/?keep=1#top')
  })

  it('a state that matches no pending logout is reported (ERR_CALLBACK_STATE_MISMATCH), used once, and removed from the URL', async () => {
    const auth = await signIn()
    await auth.logout()
    const state = new URL(assigned.pop()!).searchParams.get('state')!
    history.replaceState(null, '', '/?state=forged')
    const forged = createAuthClient()
    await forged.start()
    expect(forged.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_CALLBACK_STATE_MISMATCH' } })
    expect(location.search).toBe('')
    // The pending logout was consumed by that answer: the real state no longer matches either.
    history.replaceState(null, '', `/?state=${state}`)
    const late = createAuthClient()
    await late.start()
    expect(late.getSnapshot().error).toBeNull()
    expect(location.search).toBe(`?state=${state}`) // no pending logout: the app's own parameter, left alone
  })

  it('regression (issue 23): Back onto the provider’s logout page brings the same state again: removed quietly, no error', async () => {
    const replaced = vi.mocked(location.replace)
    const auth = await signIn()
    await auth.logout()
    // The provider's page replaces the one that started the logout: Back never lands on it.
    expect(replaced).toHaveBeenCalledTimes(1)
    const state = new URL(assigned.pop()!).searchParams.get('state')!
    for (const visit of ['first return', 'Back onto the provider page, which sends the user back again']) {
      history.replaceState(null, '', `/?state=${state}#top`)
      const back = createAuthClient()
      await back.start()
      expect(back.getSnapshot(), visit).toMatchObject({ status: 'unauthenticated', error: null })
      expect(location.search + location.hash, visit).toBe('#top')
    }
  })

  it('without post_logout_redirect_uri no state is sent (nothing would bring it back)', async () => {
    const auth = await signIn({ postLogoutRedirectUri: undefined as unknown as string })
    await auth.logout()
    expect(new URL(assigned.pop()!).searchParams.has('state')).toBe(false)
  })
})

describe('a forced renewal that fails while the token is not yet due', () => {
  it('leaves the regular renewal scheduled (the retry used to find nothing due and schedule nothing)', async () => {
    const auth = await signIn()
    const expiresAt = auth.getSnapshot().expiresAt!
    op.override('/token', () => new Response(null, { status: 503 }))
    await expect(auth.getAccessToken({ forceRefresh: true })).resolves.toBeTruthy()
    expect(refreshAt).toHaveLength(1)
    await walk(300_000, () => auth.getSnapshot().expiresAt !== expiresAt)
    expect(auth.getSnapshot().expiresAt).toBeGreaterThan(expiresAt)
    expect(refreshAt).toHaveLength(2)
    expect(refreshAt[1]!).toBeGreaterThanOrEqual(expiresAt - 30_000 - 7_500) // at its renewal time, not in a retry loop
  })
})
