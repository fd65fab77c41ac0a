// Sessions the provider gave no refresh token: renewed by silent authorization (prompt=none in a
// hidden iframe) when the app enables it, or ended cleanly at expiry when it does not.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { AuthClient } from './client'
import { silentResponseMessage } from './silent/message'
import type { AuthClientOptions } from './options'
import { silentLogin } from './silent/silentLogin'
import { CLIENT_ID, ISSUER } from './test/fakeProvider'
import { createTabHub, type TabHub } from './test/fakeTabs'
import { assigned, op, useFakeProvider } from './test/harness'

const SILENT_URI = `${location.origin}/silent-callback.html`
const SESSION_KEY = `tk:${CLIENT_ID}@${ISSUER}/:session`

let hub: TabHub

/** How the provider answers the next prompt=none requests. */
type Answer = 'ok' | 'silence' | 'login_required' | 'interaction_required' | 'consent_required' | { sub: string }
let answer: Answer
/** Answers for the next frames, in order, before `answer` applies again. */
let nextAnswers: Answer[]
/** Authorization requests shown in the (fake) hidden iframe, and when (fake clock). */
let frames: URL[]
let frameTimes: number[]

/** Plays the browser: the provider redirects the frame to the silent callback page, which posts to us. */
function frame(url: URL) {
  frames.push(url)
  frameTimes.push(Date.now())
  const win = {} as Window
  const reply = nextAnswers.shift() ?? answer
  if (reply !== 'silence') {
    const callback = op.authorize(url.href, typeof reply === 'object' ? reply : reply === 'ok' ? {} : { error: reply })
    queueMicrotask(() =>
      window.dispatchEvent(new MessageEvent('message', { data: silentResponseMessage(callback), origin: location.origin, source: win })),
    )
  }
  return { window: win, remove: () => {} }
}

const { options, createAuthClient } = useFakeProvider({
  fakeTimers: () => ({ now: Date.now() }),
  options: () => ({
    storage: hub.storage,
    tabs: { lock: hub.lock, channel: hub.channel() },
    refresh: { silent: silentLogin({ redirectUri: SILENT_URI, frame }) },
  }),
})
const tab = (extra: Partial<AuthClientOptions> = {}): AuthClient => createAuthClient(options(extra))
const plainTab = () => tab({ refresh: {} })

async function signIn(make: () => AuthClient = tab): Promise<AuthClient> {
  await make().login()
  history.replaceState(null, '', op.authorize(assigned.pop()!))
  const first = make()
  await first.start()
  expect(first.getSnapshot().status).toBe('authenticated')
  return first
}

// Captured before the fake timers are installed: crypto (PKCE, ID token signatures) runs off the
// event loop, so each step of fake time also gives real time for it to finish.
const realSetTimeout = globalThis.setTimeout.bind(globalThis)

/**
 * Walks the clock in 1 s steps (timers fire as they come due), up to `seconds` or until `until()`.
 * After each step it gives the real clock up to `realMs` (polling `until()` every 2 ms) for crypto
 * to finish: short walks that wait for one renewal "at once" pass more, since on a loaded machine
 * verifying an ID token can take longer than a few 2 ms slices and the walk would end first.
 */
async function walk(seconds: number, until: () => boolean = () => false, realMs = 2): Promise<void> {
  for (let i = 0; i < seconds && !until(); i++) {
    await vi.advanceTimersByTimeAsync(1_000)
    let waited = 0
    do {
      await new Promise((resolve) => realSetTimeout(resolve, 2))
      waited += 2
    } while (waited < realMs && !until())
  }
}

const tokenRequests = () => op.calls.filter((c) => c === 'POST /token').length
const statuses = (c: AuthClient) => {
  const seen: string[] = []
  c.subscribe(() => seen.push(c.getSnapshot().status))
  return seen
}

beforeEach(() => {
  op.issueRefreshTokens = false
  hub = createTabHub()
  answer = 'ok'
  nextAnswers = []
  frames = []
  frameTimes = []
})

describe('silent renewal (refresh.silent)', () => {
  it('renews a session without refresh token through two expiries; the status never leaves authenticated', async () => {
    const auth = await signIn()
    expect(((await hub.storage.get(SESSION_KEY)) as { refreshToken?: string }).refreshToken).toBeUndefined()
    const seen = statuses(auth)
    const first = auth.getSnapshot().expiresAt!
    await walk(300, () => frames.length === 1 && auth.getSnapshot().expiresAt !== first)
    const second = auth.getSnapshot().expiresAt!
    expect(second).toBeGreaterThan(first)
    await walk(300, () => frames.length === 2 && auth.getSnapshot().expiresAt !== second)
    expect(auth.getSnapshot().expiresAt).toBeGreaterThan(second)
    expect(frames).toHaveLength(2)
    expect(seen.every((s) => s === 'authenticated')).toBe(true)
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' }, error: null })
    expect(tokenRequests()).toBe(3) // the login's code, then one code per silent renewal; no refresh grant
  })

  it('sends a full authorization request with prompt=none to the silent redirect URI', async () => {
    const auth = await signIn()
    await walk(300, () => frames.length === 1)
    const p = frames[0]!.searchParams
    expect(p.get('prompt')).toBe('none')
    expect(p.get('redirect_uri')).toBe(SILENT_URI)
    expect(p.get('response_type')).toBe('code')
    expect(p.get('code_challenge_method')).toBe('S256')
    expect(p.get('code_challenge')).toMatch(/^[\w-]{43}$/)
    expect(p.get('state')).toBeTruthy()
    expect(p.get('nonce')).toBeTruthy()
    expect(p.has('id_token_hint')).toBe(false) // no token in a URL
    await walk(5, () => auth.getSnapshot().expiresAt! > Date.now() + 200_000, 500)
    // The transaction was single use: gone once the code was exchanged.
    expect(await hub.storage.get(`tk:${CLIENT_ID}@${ISSUER}/:tx:${p.get('state')}`)).toBeUndefined()
  })

  it('three tabs: one silent renewal per expiry, every tab on the same token', async () => {
    await signIn()
    const tabs = [tab(), tab(), tab()]
    await Promise.all(tabs.map((t) => t.start()))
    const before = tabs[0]!.getSnapshot().expiresAt!
    await walk(300, () => tabs.every((t) => t.getSnapshot().expiresAt !== before))
    await walk(2)
    expect(frames).toHaveLength(1)
    expect(new Set(tabs.map((t) => t.getSnapshot().expiresAt)).size).toBe(1)
    expect(new Set(await Promise.all(tabs.map((t) => t.getAccessToken()))).size).toBe(1)
  })

  it.each(['login_required', 'interaction_required', 'consent_required'] as const)(
    '%s ends the session in every tab, once, with ERR_SESSION_EXPIRED',
    async (error) => {
      const first = await signIn()
      const other = tab()
      await other.start()
      const seenFirst = statuses(first)
      const seenOther = statuses(other)
      answer = error
      await walk(300, () => first.getSnapshot().status !== 'authenticated' && other.getSnapshot().status !== 'authenticated')
      for (const t of [first, other]) {
        expect(t.getSnapshot()).toMatchObject({ status: 'unauthenticated', user: null, error: { code: 'ERR_SESSION_EXPIRED' } })
      }
      // The tab that renewed keeps the provider's own error; the other learnt it by message.
      expect([first, other].map((t) => t.getSnapshot().error?.error)).toContain(error)
      // The provider (op.example.test) is on another site than this page: the message names the usual cause.
      const own = [first, other].find((t) => t.getSnapshot().error?.error === error)!
      expect(own.getSnapshot().error?.message).toMatch(/another site.*third-party cookies/)
      expect(seenFirst).toEqual(['unauthenticated'])
      expect(seenOther).toEqual(['unauthenticated'])
      expect(frames).toHaveLength(1)
      expect(await hub.storage.get(SESSION_KEY)).toBeUndefined()
    },
  )

  it('an answer for another user ends the session (the provider is signed in as someone else now)', async () => {
    const auth = await signIn()
    answer = { sub: 'bob' }
    await walk(300, () => auth.getSnapshot().status !== 'authenticated')
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_SESSION_EXPIRED' } })
  })

  it('a timeout keeps the session, shows ERR_SILENT_AUTH, and retries with backoff until it works', async () => {
    const auth = await signIn()
    const seen = statuses(auth)
    let errorAt: number | undefined
    auth.subscribe(() => {
      if (errorAt === undefined && auth.getSnapshot().warning?.code === 'ERR_SILENT_AUTH') errorAt = Date.now()
    })
    const first = auth.getSnapshot().expiresAt!
    nextAnswers = ['silence'] // the first iframe never answers; the retry's does
    await walk(300, () => auth.getSnapshot().warning !== null)
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', expiresAt: first, warning: { code: 'ERR_SILENT_AUTH' } })
    await walk(60, () => auth.getSnapshot().expiresAt !== first)
    expect(frames).toHaveLength(2)
    // The timeout (10 s after the first frame) was reported, then the retry waited out its backoff
    // (at least 1 s on the first attempt) instead of framing again at once.
    expect(errorAt! - frameTimes[0]!).toBeGreaterThanOrEqual(10_000)
    expect(frameTimes[1]! - errorAt!).toBeGreaterThanOrEqual(1_000)
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', warning: null })
    expect(auth.getSnapshot().expiresAt).toBeGreaterThan(first)
    expect(seen).not.toContain('unauthenticated')
  })

  it('getAccessToken() inside the leeway renews silently on demand', async () => {
    const auth = await signIn()
    const token = await auth.getAccessToken()
    vi.setSystemTime(Date.now() + 280_000) // inside the 30 s leeway; timers have not run: only the call can renew
    const renewed = await auth.getAccessToken()
    expect(renewed).not.toBe(token)
    expect(frames).toHaveLength(1)
  })

  it('a page opened after the token expired renews silently at once instead of starting signed out', async () => {
    const first = await signIn()
    const expiredAt = first.getSnapshot().expiresAt!
    first.stop()
    vi.setSystemTime(expiredAt + 3_600_000) // the laptop was closed for an hour
    const later = tab()
    await later.start()
    await walk(10, () => later.getSnapshot().expiresAt !== expiredAt, 500)
    expect(frames).toHaveLength(1)
    expect(later.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' }, error: null })
    expect(later.getSnapshot().expiresAt).toBeGreaterThan(Date.now())
  })

  it('a page opened after expiry whose provider session ended starts with ERR_SESSION_EXPIRED', async () => {
    const first = await signIn()
    const expiredAt = first.getSnapshot().expiresAt!
    first.stop()
    vi.setSystemTime(expiredAt + 3_600_000)
    answer = 'login_required'
    const later = tab()
    await later.start()
    await walk(10, () => later.getSnapshot().status !== 'authenticated', 500)
    expect(later.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_SESSION_EXPIRED' } })
    expect(await hub.storage.get(SESSION_KEY)).toBeUndefined()
  })

  it('a session with a refresh token never uses the iframe', async () => {
    op.issueRefreshTokens = true
    const auth = await signIn()
    await auth.getAccessToken({ forceRefresh: true })
    expect(frames).toEqual([])
    expect(op.refreshTokensIssued).toHaveLength(2)
  })

  it('refuses a silent redirect URI equal to redirectUri', () => {
    expect(() => tab({ refresh: { silent: silentLogin({ redirectUri: `${location.origin}/callback` }) } })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('refresh.silent.redirectUri') }),
    )
    expect(() => silentLogin({ redirectUri: '/silent' })).toThrow(/refresh\.silent\.redirectUri/)
    expect(() => silentLogin({ redirectUri: SILENT_URI, timeoutMs: 0 })).toThrow(/refresh\.silent\.timeoutMs/)
    expect(() => tab({ refresh: { silent: {} as never } })).toThrow(/refresh\.silent/)
  })
})

describe('no refresh token and no silent renewal', () => {
  it('the session ends when the access token expires: unauthenticated with ERR_LOGIN_REQUIRED, in one change, no request', async () => {
    const auth = await signIn(plainTab)
    const seen = statuses(auth)
    const expiresAt = auth.getSnapshot().expiresAt!
    const requests = op.calls.length
    vi.advanceTimersByTime(expiresAt - Date.now() - 1_000)
    expect(auth.getSnapshot().status).toBe('authenticated')
    expect(await auth.getAccessToken()).toMatch(/^at-/) // inside the leeway: still works, nothing to renew it with
    await vi.advanceTimersByTimeAsync(1_000)
    await walk(2, () => auth.getSnapshot().status !== 'authenticated', 500)
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', user: null, expiresAt: null, error: { code: 'ERR_LOGIN_REQUIRED' } })
    expect(seen).toEqual(['unauthenticated'])
    expect(op.calls.length).toBe(requests)
    expect(await hub.storage.get(SESSION_KEY)).toBeUndefined()
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'ERR_LOGIN_REQUIRED' })
  })

  it('every tab makes the same one transition', async () => {
    const first = await signIn(plainTab)
    const others = [plainTab(), plainTab()]
    await Promise.all(others.map((t) => t.start()))
    const seen = [first, ...others].map(statuses)
    await walk(301, () => [first, ...others].every((t) => t.getSnapshot().status !== 'authenticated'))
    await walk(2)
    for (const t of [first, ...others]) expect(t.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_LOGIN_REQUIRED' } })
    for (const s of seen) expect(s).toEqual(['unauthenticated'])
  })

  it('a tab whose timers slept past expiry ends the session on focus', async () => {
    const auth = await signIn(plainTab)
    vi.setSystemTime(Date.now() + 20 * 60_000) // the clock jumps; no timer has fired
    expect(auth.getSnapshot().status).toBe('authenticated')
    window.dispatchEvent(new Event('focus'))
    await vi.advanceTimersByTimeAsync(0)
    await walk(2, () => auth.getSnapshot().status !== 'authenticated', 500)
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_LOGIN_REQUIRED' } })
  })

  it('getAccessToken() past expiry rejects with ERR_LOGIN_REQUIRED and signs out', async () => {
    const auth = await signIn(plainTab)
    vi.setSystemTime(Date.now() + 301_000)
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'ERR_LOGIN_REQUIRED' })
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_LOGIN_REQUIRED' } })
  })

  it('a new sign-in in another tab before expiry is kept, not ended with the old token', async () => {
    const first = await signIn(plainTab)
    await walk(200)
    await signIn(plainTab) // a fresh session, stored and announced
    await vi.advanceTimersByTimeAsync(0)
    const renewedUntil = first.getSnapshot().expiresAt!
    expect(renewedUntil).toBeGreaterThan(Date.now() + 250_000)
    await walk(120)
    expect(first.getSnapshot()).toMatchObject({ status: 'authenticated', expiresAt: renewedUntil })
  })

  it('per-tab storage: one tab’s expiry does not sign out another tab’s own session', async () => {
    const channels = createTabHub()
    const privateTab = async () => {
      const t = tab({ refresh: {}, storage: 'memory', tabs: { channel: channels.channel() } })
      await t.login()
      history.replaceState(null, '', op.authorize(assigned.pop()!))
      await t.start()
      expect(t.getSnapshot().status).toBe('authenticated')
      return t
    }
    const early = await privateTab()
    await walk(200)
    const late = await privateTab()
    await walk(120, () => early.getSnapshot().status !== 'authenticated')
    expect(early.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_LOGIN_REQUIRED' } })
    await walk(2)
    expect(late.getSnapshot()).toMatchObject({ status: 'authenticated', error: null })
  })
})
