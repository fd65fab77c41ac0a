import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { AuthClient } from './client'
import type { AuthClientOptions } from './options'
import { backoffMs } from './scheduler/backoff'
import { createTabHub, type TabHub } from './test/fakeTabs'
import { op, useFakeProvider } from './test/harness'

let hub: TabHub
let now = Date.now()

const { options, createAuthClient, signIn } = useFakeProvider({
  options: () => ({ now: () => now, storage: hub.storage, tabs: { lock: hub.lock, channel: hub.channel() } }),
})
const tab = (extra: Partial<AuthClientOptions> = {}): AuthClient => createAuthClient(options(extra))

async function signInFirstTab(): Promise<AuthClient> {
  const first = await signIn()
  expect(first.getSnapshot().status).toBe('authenticated')
  return first
}

const tokenRequests = () => op.calls.filter((c) => c === 'POST /token').length
const flush = () => new Promise((r) => setTimeout(r, 0))

beforeEach(() => {
  now = Date.now()
  hub = createTabHub()
})

describe('several tabs sharing one session', () => {
  it('a sign-in in one tab reaches the others', async () => {
    const other = tab()
    await other.start()
    expect(other.getSnapshot().status).toBe('unauthenticated')
    await signInFirstTab()
    await flush()
    expect(other.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' } })
  })

  it('five tabs asking for a token at expiry send exactly one refresh, and all get the same token', async () => {
    await signInFirstTab()
    const tabs = [tab(), tab(), tab(), tab(), tab()]
    await Promise.all(tabs.map((t) => t.start()))
    const before = tokenRequests()
    now += 280_000
    const tokens = await Promise.all(tabs.map((t) => t.getAccessToken()))
    expect(tokenRequests() - before).toBe(1)
    expect(new Set(tokens).size).toBe(1)
    expect(op.refreshTokensIssued).toHaveLength(2)
  })

  it('a tab that slept through another tab’s refresh uses the stored tokens, not its stale refresh token', async () => {
    const first = await signInFirstTab()
    const sleeper = tab({ tabs: { lock: hub.lock } }) // hears no messages
    await sleeper.start()
    now += 280_000
    await first.getAccessToken()
    const requests = tokenRequests()
    const token = await sleeper.getAccessToken()
    expect(token).toBe(await first.getAccessToken())
    expect(tokenRequests()).toBe(requests)
  })

  it('a refreshed token set reaches the other tabs by message', async () => {
    const first = await signInFirstTab()
    const other = tab()
    await other.start()
    now += 280_000
    await first.getAccessToken({ forceRefresh: true })
    await flush()
    expect(other.getSnapshot().expiresAt).toBe(first.getSnapshot().expiresAt)
  })

  it('logout in one tab signs every tab out', async () => {
    const first = await signInFirstTab()
    const others = [tab(), tab()]
    await Promise.all(others.map((t) => t.start()))
    await first.logout({ localOnly: true })
    await flush()
    for (const t of others) expect(t.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: null })
  })

  it('a dead refresh token signs every tab out once, with ERR_SESSION_EXPIRED', async () => {
    const first = await signInFirstTab()
    const other = tab()
    await other.start()
    const seen: string[] = []
    other.subscribe(() => seen.push(other.getSnapshot().status))
    op.override('/token', () => Response.json({ error: 'invalid_grant' }, { status: 400 }))
    await expect(first.getAccessToken({ forceRefresh: true })).rejects.toMatchObject({ code: 'ERR_SESSION_EXPIRED' })
    await flush()
    expect(other.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_SESSION_EXPIRED' } })
    expect(seen).toEqual(['unauthenticated'])
  })

  it('a late message carrying older tokens never overwrites newer ones (sequence numbers)', async () => {
    const first = await signInFirstTab()
    const other = tab()
    await other.start()
    now += 280_000
    await first.getAccessToken({ forceRefresh: true })
    const newer = first.getSnapshot().expiresAt
    await flush()
    const channel = hub.channel()
    channel.subscribe(() => {})
    channel.post({ type: 'session', session: { v: 1, accessToken: 'old', tokenType: 'bearer', expiresAt: 1, claims: { sub: 'alice' }, seq: 1 } })
    await flush()
    expect(other.getSnapshot().expiresAt).toBe(newer)
  })
})

describe('transient failures', () => {
  it('retry with capped exponential backoff and keep the session', async () => {
    vi.useFakeTimers({ now, shouldAdvanceTime: false })
    try {
      now = Date.now()
      const first = await signInFirstTab()
      let failures = 0
      const failing = () => {
        failures += 1
        return new Response('', { status: 503 })
      }
      for (let i = 0; i < 3; i++) op.override('/token', failing)
      // Reach the refresh time of the 300 s token.
      now += 241_000
      vi.setSystemTime(now)
      await vi.advanceTimersByTimeAsync(1)
      // Walk the clock in small steps; each retry happens only after its backoff.
      for (let i = 0; i < 300 && failures < 3; i++) {
        now += 1_000
        vi.setSystemTime(now)
        await vi.advanceTimersByTimeAsync(1_000)
      }
      expect(failures).toBe(3)
      expect(first.getSnapshot()).toMatchObject({ status: 'authenticated', warning: { code: 'ERR_REFRESH_FAILED' } })
      for (let i = 0; i < 120 && op.refreshTokensIssued.length < 2; i++) {
        now += 1_000
        vi.setSystemTime(now)
        await vi.advanceTimersByTimeAsync(1_000)
      }
      expect(op.refreshTokensIssued).toHaveLength(2)
      expect(first.getSnapshot()).toMatchObject({ status: 'authenticated', error: null })
    } finally {
      vi.useRealTimers()
    }
  })

  it('backoff grows and is capped, with jitter', () => {
    expect(backoffMs(1, () => 0)).toBe(1_000)
    expect(backoffMs(1, () => 1)).toBe(2_000)
    expect(backoffMs(3, () => 1)).toBe(8_000)
    expect(backoffMs(30, () => 1)).toBe(60_000)
    expect(backoffMs(30, () => 0)).toBe(30_000)
  })
})

describe('scheduled refresh', () => {
  it('regression: a refresh moved early by jitter still renews (it used to find the token "fresh" and stop)', async () => {
    vi.useFakeTimers({ now })
    vi.spyOn(Math, 'random').mockReturnValue(0) // the earliest possible moment
    try {
      const first = await signInFirstTab()
      const before = first.getSnapshot().expiresAt!
      for (let i = 0; i < 300 && first.getSnapshot().expiresAt === before; i++) {
        now += 1_000
        vi.setSystemTime(now)
        await vi.advanceTimersByTimeAsync(1_000)
      }
      expect(first.getSnapshot().expiresAt).toBeGreaterThan(before)
      expect(op.refreshTokensIssued).toHaveLength(2)
    } finally {
      vi.useRealTimers()
    }
  })
})
