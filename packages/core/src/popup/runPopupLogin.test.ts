import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthError } from '../errors'
import { POPUP_CHANNEL, popupResponseMessage } from './message'
import { FakeBroadcastChannel } from '../test/fakeChannel'
import { createPopupAttempt, isPopupBusy, type PopupAttempt } from './openPopup'
import { runPopupLogin, type PopupLoginDeps } from './runPopupLogin'

const ORIGIN = location.origin
const REDIRECT = `${ORIGIN}/popup-callback.html`
const AUTH_URL = 'https://op.example.test/auth?state=s1'

/**
 * A popup window as the opener sees it. `page` is what is loaded: our blank page, the provider
 * (cross-origin: reading location throws), or our callback. `severed` models COOP: the opener's
 * handle reads closed while the window lives on, and close() no longer reaches it.
 */
function fakePopup() {
  const w = {
    page: 'blank' as 'blank' | 'provider' | 'callback',
    severed: false,
    reallyClosed: false,
    navigations: [] as string[],
    closeCalls: 0,
    get closed() {
      return w.reallyClosed || w.severed
    },
    location: {
      replace(url: string) {
        w.navigations.push(url)
      },
      get href(): string {
        if (w.page === 'provider') throw new DOMException('Blocked a frame', 'SecurityError')
        return w.page === 'blank' ? 'about:blank' : REDIRECT
      },
    },
    close() {
      w.closeCalls++
      if (!w.severed) w.reallyClosed = true
    },
    focus() {},
    postMessage() {},
  }
  return w
}

/** A window-message target the test can dispatch MessageEvent-like objects to. */
function fakeMessages() {
  const listeners = new Set<(e: MessageEvent) => void>()
  return {
    addEventListener: (_: string, l: (e: MessageEvent) => void) => void listeners.add(l),
    removeEventListener: (_: string, l: (e: MessageEvent) => void) => void listeners.delete(l),
    dispatch: (e: Partial<MessageEvent>) => listeners.forEach((l) => l(e as MessageEvent)),
    get count() {
      return listeners.size
    },
  }
}

let popup: ReturnType<typeof fakePopup>
let attempt: PopupAttempt
let messages: ReturnType<typeof fakeMessages>
let calls: string[]
let callbackPage: FakeBroadcastChannel

function deps(extra: Partial<PopupLoginDeps> = {}): PopupLoginDeps {
  return {
    redirectUri: REDIRECT,
    timeoutMs: 60_000,
    messages: messages as unknown as PopupLoginDeps['messages'],
    channel: () => new FakeBroadcastChannel(POPUP_CHANNEL) as unknown as BroadcastChannel,
    prepare: async () => {
      calls.push('prepare')
      return { url: new URL(AUTH_URL), state: 's1' }
    },
    complete: async (state, url) => void calls.push(`complete ${state} ${url.searchParams.get('code') ?? url.searchParams.get('error')}`),
    discard: async (state) => void calls.push(`discard ${state}`),
    ...extra,
  }
}

/** Runs the login and records how it ended, so tests can advance time before looking. */
function run(d: PopupLoginDeps = deps()) {
  const outcome: { error?: AuthError; done: boolean } = { done: false }
  const promise = runPopupLogin(attempt, d).then(
    () => void (outcome.done = true),
    (e: AuthError) => {
      outcome.error = e
      outcome.done = true
    },
  )
  return Object.assign(outcome, { promise })
}

const respond = (query = 'code=c1&state=s1') => callbackPage.postMessage(popupResponseMessage(`${REDIRECT}?${query}`))

beforeEach(() => {
  vi.useFakeTimers()
  FakeBroadcastChannel.reset()
  popup = fakePopup()
  attempt = createPopupAttempt(popup as unknown as Window)
  messages = fakeMessages()
  calls = []
  callbackPage = new FakeBroadcastChannel(POPUP_CHANNEL)
})
afterEach(() => {
  vi.useRealTimers()
})

describe('runPopupLogin: the happy path', () => {
  it('navigates the blank window once the request is ready, takes the answer, acknowledges it, closes the window, completes', async () => {
    const r = run()
    await vi.advanceTimersByTimeAsync(0)
    expect(popup.navigations).toEqual([AUTH_URL])
    popup.page = 'provider'
    await vi.advanceTimersByTimeAsync(1500)
    popup.page = 'callback'
    respond()
    await vi.advanceTimersByTimeAsync(0)
    expect(r.done).toBe(true)
    expect(r.error).toBeUndefined()
    expect(calls).toEqual(['prepare', 'complete s1 c1'])
    expect(FakeBroadcastChannel.sent.at(-1)).toEqual({ name: POPUP_CHANNEL, data: { type: 'tokenkeep:popup-ack', state: 's1' } })
    expect(popup.closeCalls).toBeGreaterThan(0)
    // Nothing left listening or ticking.
    expect(messages.count).toBe(0)
    expect(FakeBroadcastChannel.open.size).toBe(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('takes the answer by postMessage from the popup itself, and only from it', async () => {
    const r = run()
    await vi.advanceTimersByTimeAsync(0)
    const data = popupResponseMessage(`${REDIRECT}?code=c2&state=s1`)
    messages.dispatch({ data, origin: ORIGIN, source: window })
    await vi.advanceTimersByTimeAsync(0)
    expect(r.done).toBe(false)
    messages.dispatch({ data, origin: 'https://evil.example', source: popup as unknown as Window })
    await vi.advanceTimersByTimeAsync(0)
    expect(r.done).toBe(false)
    messages.dispatch({ data, origin: ORIGIN, source: popup as unknown as Window })
    await r.promise
    expect(calls).toEqual(['prepare', 'complete s1 c2'])
  })

  it('acts on the first copy only when both channels deliver', async () => {
    const r = run()
    await vi.advanceTimersByTimeAsync(0)
    respond()
    messages.dispatch({ data: popupResponseMessage(`${REDIRECT}?code=c1&state=s1`), origin: ORIGIN, source: popup as unknown as Window })
    await r.promise
    expect(calls.filter((c) => c.startsWith('complete'))).toHaveLength(1)
  })

  it('ignores answers for other states and from other origins, and keeps waiting', async () => {
    const r = run()
    await vi.advanceTimersByTimeAsync(0)
    respond('code=x&state=s2')
    new FakeBroadcastChannel(POPUP_CHANNEL, 'https://evil.example').postMessage(popupResponseMessage(`${REDIRECT}?code=x&state=s1`))
    await vi.advanceTimersByTimeAsync(1000)
    expect(r.done).toBe(false)
    respond()
    await r.promise
    expect(calls).toEqual(['prepare', 'complete s1 c1'])
  })

  it('ignores an answer that arrives before the request was sent', async () => {
    let release!: () => void
    const r = run(deps({ prepare: () => new Promise((res) => (release = () => res({ url: new URL(AUTH_URL), state: 's1' }))) }))
    respond()
    await vi.advanceTimersByTimeAsync(0)
    release()
    await vi.advanceTimersByTimeAsync(0)
    expect(r.done).toBe(false)
    respond()
    await r.promise
    expect(r.error).toBeUndefined()
  })

  it('passes a provider error on to complete (which turns it into ERR_AUTHORIZATION)', async () => {
    const r = run()
    await vi.advanceTimersByTimeAsync(0)
    respond('error=access_denied&state=s1')
    await r.promise
    expect(calls).toEqual(['prepare', 'complete s1 access_denied'])
  })
})

describe('runPopupLogin: the window goes away', () => {
  it('closed by the user at the provider: ERR_POPUP_CLOSED within one poll, request discarded', async () => {
    const r = run()
    await vi.advanceTimersByTimeAsync(0)
    popup.page = 'provider'
    await vi.advanceTimersByTimeAsync(500)
    popup.reallyClosed = true
    await vi.advanceTimersByTimeAsync(500)
    expect(r.error).toMatchObject({ name: 'AuthError', code: 'ERR_POPUP_CLOSED' })
    expect(calls).toEqual(['prepare', 'discard s1'])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('closed soon after the provider page appeared is still a close, once that page was seen for 250 ms', async () => {
    const r = run()
    await vi.advanceTimersByTimeAsync(0)
    popup.page = 'provider'
    await vi.advanceTimersByTimeAsync(400)
    popup.reallyClosed = true
    await vi.advanceTimersByTimeAsync(500)
    expect(r.error).toMatchObject({ code: 'ERR_POPUP_CLOSED' })
    expect(attempt.observable).toBe(true)
  })

  it('COOP cutting the link just after one unreadable sighting is not a close (Chromium: unreadable 1-5 ms before closed)', async () => {
    const r = run()
    await vi.advanceTimersByTimeAsync(0)
    popup.page = 'provider'
    await vi.advanceTimersByTimeAsync(100) // one probe sees a cross-origin, still-open window
    popup.severed = true
    await vi.advanceTimersByTimeAsync(5_000)
    expect(r.done).toBe(false)
    expect(attempt.observable).toBe(false)
    respond()
    await r.promise
    expect(calls).toEqual(['prepare', 'complete s1 c1'])
  })

  it('closed while the request was being prepared: never navigated, request discarded once stored', async () => {
    let release!: () => void
    const r = run(deps({ prepare: () => new Promise((res) => (release = () => res({ url: new URL(AUTH_URL), state: 's1' }))) }))
    popup.reallyClosed = true
    await vi.advanceTimersByTimeAsync(500)
    expect(r.error).toMatchObject({ code: 'ERR_POPUP_CLOSED' })
    release()
    await vi.advanceTimersByTimeAsync(0)
    expect(popup.navigations).toEqual([])
    expect(calls).toEqual(['discard s1'])
  })

  it('closed in the instant between preparing and navigating: not navigated', async () => {
    const r = run(
      deps({
        prepare: async () => {
          popup.reallyClosed = true
          return { url: new URL(AUTH_URL), state: 's1' }
        },
      }),
    )
    await r.promise
    expect(r.error).toMatchObject({ code: 'ERR_POPUP_CLOSED' })
    expect(popup.navigations).toEqual([])
    expect(calls).toEqual(['discard s1'])
  })

  it('cut off by COOP (closed reads true before the provider was ever seen): no false ERR_POPUP_CLOSED, the answer still signs in', async () => {
    const r = run()
    await vi.advanceTimersByTimeAsync(0)
    popup.severed = true // the provider's page committed in another browsing context group
    await vi.advanceTimersByTimeAsync(30_000)
    expect(r.done).toBe(false)
    expect(attempt.observable).toBe(false)
    expect(isPopupBusy(attempt)).toBe(false) // a new click may replace it
    respond()
    await r.promise
    expect(calls).toEqual(['prepare', 'complete s1 c1'])
  })

  it('cut off by COOP and never answering: ERR_POPUP_TIMEOUT at timeoutMs, request discarded', async () => {
    const r = run(deps({ timeoutMs: 10_000 }))
    await vi.advanceTimersByTimeAsync(0)
    popup.severed = true
    await vi.advanceTimersByTimeAsync(9_999)
    expect(r.done).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(r.error).toMatchObject({ code: 'ERR_POPUP_TIMEOUT' })
    expect(calls).toEqual(['prepare', 'discard s1'])
  })

  it('open but never finished: ERR_POPUP_TIMEOUT, and the window is closed', async () => {
    const r = run(deps({ timeoutMs: 5_000 }))
    await vi.advanceTimersByTimeAsync(0)
    popup.page = 'provider'
    await vi.advanceTimersByTimeAsync(5_000)
    expect(r.error).toMatchObject({ code: 'ERR_POPUP_TIMEOUT' })
    expect(popup.reallyClosed).toBe(true)
  })

  it('replaced by a newer attempt: rejects with the reason given', async () => {
    const r = run()
    await vi.advanceTimersByTimeAsync(0)
    attempt.controller.abort(new AuthError('ERR_POPUP_CLOSED', 'replaced'))
    await r.promise
    expect(r.error).toMatchObject({ code: 'ERR_POPUP_CLOSED', message: 'replaced' })
    expect(calls).toEqual(['prepare', 'discard s1'])
  })
})

describe('runPopupLogin: failures of the protocol steps', () => {
  it('a failed prepare (discovery) closes the blank window and passes the error on', async () => {
    const r = run(deps({ prepare: () => Promise.reject(new AuthError('ERR_DISCOVERY', 'no metadata')) }))
    await r.promise
    expect(r.error).toMatchObject({ code: 'ERR_DISCOVERY' })
    expect(popup.reallyClosed).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a failed exchange passes the error on and does not discard again (complete consumed it)', async () => {
    const r = run(deps({ complete: () => Promise.reject(new AuthError('ERR_TOKEN_RESPONSE', 'bad')) }))
    await vi.advanceTimersByTimeAsync(0)
    respond()
    await r.promise
    expect(r.error).toMatchObject({ code: 'ERR_TOKEN_RESPONSE' })
    expect(calls).toEqual(['prepare'])
  })
})
