// start() and stop() on their own, with small fakes for the parts they drive: one restore per
// client (or, on a provider's answer, one resume by the protocol), listeners and timers attached
// between start() and stop(), React StrictMode's start/stop/start, the protocol loaded once idle.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthError } from '../errors'
import { resolveOptions } from '../options'
import type { TabMessage } from '../tabs/channel'
import { CLIENT_ID, ISSUER } from '../test/fakeProvider'
import { createClientContext } from './context'
import type { Keeper } from './keeper'
import { createLifecycle, type Lifecycle } from './lifecycle'
import type { Protocol } from './loader'
import type { TabSync } from './tabSync'

let calls: string[]
let listeners: number
let restore: (error?: AuthError) => Promise<void>
let load: () => Promise<Protocol>
const onTabMessage = (_m: TabMessage) => {}
/** Stopped after each test, so no test hears another's window listeners. */
const made: Lifecycle[] = []

function setUp() {
  /** How many times this client asked for the protocol (apart from `calls`: the idle load has its own timing). */
  let loads = 0
  const ctx = createClientContext(resolveOptions({ issuer: ISSUER, clientId: CLIENT_ID, redirectUri: `${location.origin}/callback`, storage: 'memory' }))
  const record = (name: string) => () => void calls.push(name)
  const tabs = {
    checkDuplicate: async () => void calls.push('checkDuplicate'),
    listen: (handler: (m: TabMessage) => void) => {
      expect(handler).toBe(onTabMessage)
      listeners += 1
      calls.push('listen')
      return () => {
        listeners -= 1
        calls.push('unlisten')
      }
    },
  } as unknown as TabSync
  const keeper = {
    restore: (error?: AuthError) => restore(error),
    run: record('run'),
    pause: record('pause'),
    check: record('check'),
    resetRetry: record('resetRetry'),
  } as unknown as Keeper
  const lifecycle = createLifecycle({
    ctx,
    tabs,
    keeper,
    load: () => {
      loads += 1
      return load()
    },
    onTabMessage,
  })
  made.push(lifecycle)
  return { ctx, lifecycle, loads: () => loads }
}
const fire = (type: 'focus' | 'online' | 'pageshow') => window.dispatchEvent(new Event(type))
const settle = () => new Promise((r) => setTimeout(r, 0))
/** A protocol whose resume() records the URL it was given. */
const protocol = { resume: async (url: URL) => void calls.push(`resume ${url.pathname}${url.search}`) } as unknown as Protocol

beforeEach(() => {
  calls = []
  listeners = 0
  restore = async (error) => void calls.push(`restore ${location.pathname}${error ? ` ${error.code}` : ''}`)
  load = async () => protocol
  history.replaceState(null, '', '/page')
})
afterEach(() => {
  for (const l of made.splice(0)) l.stop()
  vi.useRealTimers()
})

describe('lifecycle', () => {
  it('start: listeners, the duplicate check, then one restore of the stored session, then the timers run', async () => {
    const { lifecycle } = setUp()
    await lifecycle.start()
    await settle()
    expect(calls).toEqual(['listen', 'checkDuplicate', 'restore /page', 'run'])
  })

  it('start twice, or start and ready: one restore, the same promise', async () => {
    const { lifecycle } = setUp()
    const first = lifecycle.start()
    const second = lifecycle.start()
    await Promise.all([first, second, lifecycle.ready()])
    expect(calls.filter((c) => c.startsWith('restore'))).toEqual(['restore /page'])
    expect(lifecycle.ready()).toBe(first)
    expect(listeners).toBe(1)
  })

  it('checks the keeper on focus, pageshow, online (which also resets the backoff) and on becoming visible', async () => {
    const { lifecycle } = setUp()
    await lifecycle.start()
    await settle()
    calls = []
    fire('focus')
    fire('pageshow')
    fire('online')
    expect(calls).toEqual(['check', 'check', 'resetRetry', 'check'])
    calls = []
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden')
    document.dispatchEvent(new Event('visibilitychange'))
    expect(calls).toEqual([])
    visibility.mockReturnValue('visible')
    document.dispatchEvent(new Event('visibilitychange'))
    expect(calls).toEqual(['check'])
    lifecycle.stop()
    visibility.mockRestore()
  })

  it('stop pauses the timers and detaches every listener', async () => {
    const { lifecycle } = setUp()
    await lifecycle.start()
    await settle()
    lifecycle.stop()
    expect(calls.slice(-2)).toEqual(['pause', 'unlisten'])
    expect(listeners).toBe(0)
    calls = []
    fire('focus')
    fire('online')
    document.dispatchEvent(new Event('visibilitychange'))
    expect(calls).toEqual([])
    lifecycle.stop() // twice is harmless
    expect(calls).toEqual(['pause'])
  })

  it('StrictMode start/stop/start: one restore, listeners attached once, timers running', async () => {
    const { lifecycle } = setUp()
    const first = lifecycle.start()
    lifecycle.stop()
    const second = lifecycle.start()
    await Promise.all([first, second])
    await settle()
    expect(calls.filter((c) => c.startsWith('restore'))).toHaveLength(1)
    expect(calls.at(-1)).toBe('run')
    expect(listeners).toBe(1)
    calls = []
    fire('focus')
    expect(calls).toEqual(['check'])
    lifecycle.stop()
  })

  it('stop before the restore finishes: it still finishes, and start later runs the timers without a second restore', async () => {
    let finish!: () => void
    restore = () => new Promise<void>((r) => (finish = () => r(void calls.push(`restore ${location.pathname}`))))
    const { lifecycle } = setUp()
    const started = lifecycle.start()
    lifecycle.stop()
    await settle()
    finish()
    await started
    await lifecycle.start()
    await settle()
    expect(calls.filter((c) => c.startsWith('restore'))).toEqual(['restore /page'])
    expect(calls.at(-1)).toBe('run')
  })

  // stop() means no timers until start() again (see Keeper.pause).
  it('stop before the restore finishes: the timers stay off until start() again', async () => {
    let finish!: () => void
    restore = () => new Promise<void>((r) => (finish = () => r(void calls.push(`restore ${location.pathname}`))))
    const { lifecycle } = setUp()
    const started = lifecycle.start()
    lifecycle.stop()
    await settle()
    finish()
    await started
    await settle()
    expect(calls).toEqual(['listen', 'checkDuplicate', 'pause', 'unlisten', 'restore /page'])
  })

  it('a restore that throws is reported as ERR_STORAGE and start still resolves', async () => {
    restore = () => Promise.reject(new Error('storage is gone'))
    const { ctx, lifecycle } = setUp()
    await expect(lifecycle.start()).resolves.toBeUndefined()
    expect(ctx.store.getSnapshot().error).toBeInstanceOf(AuthError)
    expect(ctx.store.getSnapshot().error?.code).toBe('ERR_STORAGE')
    lifecycle.stop()
  })
})

describe('the protocol', () => {
  it('a URL with a state (a provider answer) is resumed by the protocol, once, with that URL', async () => {
    history.replaceState(null, '', '/callback?code=c1&state=s1')
    const { lifecycle } = setUp()
    await Promise.all([lifecycle.start(), lifecycle.ready(), lifecycle.ready()])
    await settle()
    expect(calls).toEqual(['listen', 'checkDuplicate', 'resume /callback?code=c1&state=s1', 'run'])
  })

  it('an answer without a state (a code, or an error) goes to the protocol too, which tells it apart', async () => {
    history.replaceState(null, '', '/callback?error=access_denied')
    const { lifecycle } = setUp()
    await lifecycle.start()
    await settle()
    expect(calls).toEqual(['listen', 'checkDuplicate', 'resume /callback?error=access_denied', 'run'])
  })

  it('a page with no answer restores from storage and loads no protocol before idle time', async () => {
    vi.useFakeTimers()
    history.replaceState(null, '', '/page?tab=2#top')
    const { lifecycle, loads } = setUp()
    await lifecycle.start()
    expect(calls).toEqual(['listen', 'checkDuplicate', 'restore /page', 'run'])
    expect(loads()).toBe(0)
    expect(location.search + location.hash).toBe('?tab=2#top')
  })

  it('the protocol cannot load at a callback: restored with ERR_NETWORK, code and state gone from the URL', async () => {
    history.replaceState(null, '', '/callback?code=c1&state=s1&iss=x&keep=1#h')
    load = () => Promise.reject(new AuthError('ERR_NETWORK', 'Could not load the sign-in code'))
    const { ctx, lifecycle } = setUp()
    await expect(lifecycle.start()).resolves.toBeUndefined()
    await settle()
    expect(calls).toEqual(['listen', 'checkDuplicate', 'restore /callback ERR_NETWORK', 'run'])
    expect(location.pathname + location.search + location.hash).toBe('/callback?keep=1#h')
    // The keeper showed it (a fake here): nothing else reported over it.
    expect(ctx.store.getSnapshot().error).toBeNull()
  })

  it('anything but a failed load (a bad protocol option) is not taken for one: shown, and start still resolves', async () => {
    history.replaceState(null, '', '/callback?code=c1&state=s1')
    const mistake = new TypeError('bad option')
    load = () => Promise.reject(mistake)
    const { ctx, lifecycle } = setUp()
    await expect(lifecycle.start()).resolves.toBeUndefined()
    expect(calls.some((c) => c.startsWith('restore'))).toBe(false)
    expect(ctx.store.getSnapshot().error?.cause).toBe(mistake)
  })

  it('is loaded once when the page is idle after start, whatever StrictMode does; a failed idle load is silent', async () => {
    vi.useFakeTimers()
    load = () => Promise.reject(new AuthError('ERR_NETWORK', 'offline'))
    const { ctx, lifecycle, loads } = setUp()
    const first = lifecycle.start()
    lifecycle.stop()
    await Promise.all([first, lifecycle.start()])
    expect(loads()).toBe(0)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(loads()).toBe(1)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(loads()).toBe(1)
    expect(ctx.store.getSnapshot().error).toBeNull()
  })
})
