// Idle sign-out on its own, over the client's store: the warning, the deadline, activity and
// stillHere() moving it, sleep past the deadline, a session restored after every tab was closed.
// Across tabs it is tested in Chromium (e2e/idleSignOut.e2e.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Session } from '../session/session'
import { createStore, type Store } from '../store'
import { idleSignOut, type IdleSignOut } from './idleSignOut'

const PREFIX = 'tk:test@https://id.example.com/:'
let store: Store
let logouts: unknown[]
let idle: IdleSignOut
let conn: { start(): void; stop(): void }
/** The wall clock; moved alone, it is a computer that slept (timers did not run). */
let now: number

const session = { claims: { sub: 'alice' }, expiresAt: Date.now() + 3_600_000, accessToken: 'a', seq: 1 } as unknown as Session
const signIn = () => store.dispatch({ type: 'session', session })
const deadline = () => store.getSnapshot().idleDeadlineAt ?? null

function connect(options = { afterMs: 60_000, warnMs: 10_000 }) {
  idle = idleSignOut(options)
  conn = idle.connect({
    store,
    opts: { keyPrefix: PREFIX, now: () => now },
    logout: async (o) => {
      logouts.push(o)
      store.dispatch({ type: 'signedOut' })
    },
  })
  conn.start()
}
const advance = async (ms: number) => {
  now += ms
  await vi.advanceTimersByTimeAsync(ms)
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  now = Date.UTC(2026, 0, 1)
  store = createStore()
  logouts = []
  localStorage.clear()
})
afterEach(() => {
  conn?.stop()
  vi.useRealTimers()
})

describe('idleSignOut', () => {
  it('warns warnMs before the deadline, then signs out once, as logout() does', async () => {
    connect()
    signIn()
    const start = now
    await advance(49_000)
    expect(deadline()).toBeNull()
    await advance(1_000)
    expect(deadline()).toBe(start + 60_000)
    await advance(9_999)
    expect(logouts).toEqual([])
    await advance(1)
    expect(logouts).toEqual([{}])
    expect(store.getSnapshot().status).toBe('unauthenticated')
    expect(deadline()).toBeNull()
  })

  it('activity moves the deadline; during the warning it ends the warning at once', async () => {
    connect()
    signIn()
    await advance(30_000)
    window.dispatchEvent(new Event('keydown'))
    await advance(45_000) // 75 s after sign-in, 45 s after the key
    expect(logouts).toEqual([])
    expect(deadline()).toBeNull()
    await advance(6_000)
    expect(deadline()).toBe(now - 81_000 + 30_000 + 60_000)
    document.dispatchEvent(new Event('pointerdown'))
    expect(deadline()).toBeNull()
    await advance(55_000)
    expect(logouts).toEqual([])
  })

  it('stillHere() starts the countdown over', async () => {
    connect()
    signIn()
    await advance(55_000)
    expect(deadline()).not.toBeNull()
    idle.stillHere()
    expect(deadline()).toBeNull()
    await advance(55_000)
    expect(logouts).toEqual([])
    await advance(5_000)
    expect(logouts).toHaveLength(1)
  })

  it('a computer that slept past the deadline signs out when it wakes (wall clock, not timers)', async () => {
    connect()
    signIn()
    now += 5 * 60_000 // asleep: no timer ran
    expect(logouts).toEqual([])
    // Waking brings focus (and visibility): the deadline is checked before it counts as activity.
    window.dispatchEvent(new Event('focus'))
    await vi.advanceTimersByTimeAsync(0)
    expect(logouts).toEqual([{}])
  })

  it('nothing counts while signed out; a new sign-in starts a new count', async () => {
    connect()
    await advance(120_000)
    expect(logouts).toEqual([])
    signIn()
    await advance(59_000)
    expect(logouts).toEqual([])
    await advance(1_000)
    expect(logouts).toHaveLength(1)
  })

  it('a session restored after every tab was closed for longer than afterMs signs out at once', async () => {
    connect()
    signIn()
    await advance(5_000)
    conn.stop() // the last tab closes while signed in
    now += 10 * 60_000
    store = createStore()
    connect()
    signIn() // restored from storage
    await vi.advanceTimersByTimeAsync(0)
    expect(logouts).toHaveLength(1)
  })

  it('the logout options are passed on', async () => {
    connect({ afterMs: 1_000, warnMs: 0, logout: { localOnly: true } } as never)
    signIn()
    await advance(1_000)
    expect(logouts).toEqual([{ localOnly: true }])
  })

  it('checks its options', () => {
    for (const bad of [{}, { afterMs: 0 }, { afterMs: -1 }, { afterMs: Infinity }]) {
      expect(() => idleSignOut(bad as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('idle.afterMs') }))
    }
    expect(() => idleSignOut({ afterMs: 1_000, warnMs: 2_000 })).toThrow(expect.objectContaining({ message: expect.stringContaining('idle.warnMs') }))
  })
})
