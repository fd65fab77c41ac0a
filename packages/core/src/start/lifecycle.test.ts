// start() and stop() on their own, with small fakes for the parts they drive: one restore per
// client, listeners and timers attached between start() and stop(), React StrictMode's
// start/stop/start.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthError } from '../errors'
import { resolveOptions } from '../options'
import type { TabMessage } from '../tabs/channel'
import { CLIENT_ID, ISSUER } from '../test/fakeProvider'
import { createClientContext } from './context'
import { createLifecycle, type Lifecycle } from './lifecycle'
import type { RedirectLogin } from '../protocol/redirectLogin'
import type { SessionKeeper } from './keeper'
import type { TabSync } from './tabSync'

let calls: string[]
let listeners: number
let resume: (url: URL) => Promise<void>
const onTabMessage = (_m: TabMessage) => {}
/** Stopped after each test, so no test hears another's window listeners. */
const made: Lifecycle[] = []

function setUp() {
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
  const keeper = { run: record('run'), pause: record('pause'), rearm: record('rearm'), wake: record('wake'), resetRetry: record('resetRetry') } as unknown as SessionKeeper
  const redirect = { resume: (url: URL) => resume(url) } as unknown as RedirectLogin
  const lifecycle = createLifecycle(ctx, tabs, keeper, redirect, { returned: async (url: URL) => ({ url }) }, onTabMessage)
  made.push(lifecycle)
  return { ctx, lifecycle }
}
const fire = (type: 'focus' | 'online' | 'pageshow') => window.dispatchEvent(new Event(type))
const settle = () => new Promise((r) => setTimeout(r, 0))

beforeEach(() => {
  calls = []
  listeners = 0
  resume = async (url) => void calls.push(`resume ${url.pathname}`)
  history.replaceState(null, '', '/page')
})
afterEach(() => {
  for (const l of made.splice(0)) l.stop()
})

describe('lifecycle', () => {
  it('start: the duplicate check, then one resume of this URL, then the timers re-armed', async () => {
    const { lifecycle } = setUp()
    await lifecycle.start()
    await settle()
    expect(calls).toEqual(['run', 'listen', 'checkDuplicate', 'resume /page', 'rearm'])
  })

  it('start twice, or start and ready: one restore, the same promise', async () => {
    const { lifecycle } = setUp()
    const first = lifecycle.start()
    const second = lifecycle.start()
    await Promise.all([first, second, lifecycle.ready()])
    expect(calls.filter((c) => c.startsWith('resume'))).toEqual(['resume /page'])
    expect(lifecycle.ready()).toBe(first)
    expect(listeners).toBe(1)
  })

  it('wakes the keeper on focus, pageshow, online (which also resets the backoff) and on becoming visible', async () => {
    const { lifecycle } = setUp()
    await lifecycle.start()
    calls = []
    fire('focus')
    fire('pageshow')
    fire('online')
    expect(calls).toEqual(['wake', 'wake', 'resetRetry', 'wake'])
    calls = []
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden')
    document.dispatchEvent(new Event('visibilitychange'))
    expect(calls).toEqual([])
    visibility.mockReturnValue('visible')
    document.dispatchEvent(new Event('visibilitychange'))
    expect(calls).toEqual(['wake'])
    lifecycle.stop()
    visibility.mockRestore()
  })

  it('stop pauses the timers and detaches every listener', async () => {
    const { lifecycle } = setUp()
    await lifecycle.start()
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

  it('StrictMode start/stop/start: one restore, listeners attached once, timers re-armed', async () => {
    const { lifecycle } = setUp()
    const first = lifecycle.start()
    lifecycle.stop()
    const second = lifecycle.start()
    await Promise.all([first, second])
    await settle()
    expect(calls.filter((c) => c.startsWith('resume'))).toHaveLength(1)
    expect(listeners).toBe(1)
    calls = []
    fire('focus')
    expect(calls).toEqual(['wake'])
    lifecycle.stop()
  })

  it('stop before the restore finishes: it still finishes, and start later re-arms without a second restore', async () => {
    let finish!: () => void
    resume = (url) => new Promise<void>((r) => (finish = () => r(void calls.push(`resume ${url.pathname}`))))
    const { lifecycle } = setUp()
    const started = lifecycle.start()
    lifecycle.stop()
    await settle()
    finish()
    await started
    await lifecycle.start()
    await settle()
    expect(calls.filter((c) => c.startsWith('resume'))).toEqual(['resume /page'])
    expect(calls.at(-1)).toBe('rearm')
  })

  it('a restore that throws is reported as ERR_STORAGE and start still resolves', async () => {
    resume = () => Promise.reject(new Error('storage is gone'))
    const { ctx, lifecycle } = setUp()
    await expect(lifecycle.start()).resolves.toBeUndefined()
    expect(ctx.store.getSnapshot().error).toBeInstanceOf(AuthError)
    expect(ctx.store.getSnapshot().error?.code).toBe('ERR_STORAGE')
    lifecycle.stop()
  })
})
