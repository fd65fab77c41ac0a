import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { POPUP_CHANNEL, isPopupAck, popupAckMessage } from './message'
import { FakeBroadcastChannel } from '../test/fakeChannel'
import { handlePopupCallback } from './handlePopupCallback'

let closeSpy: ReturnType<typeof vi.fn<() => void>>
/** Plays the opening page: listens on the channel and answers each response with `reply`. */
function opener(reply: (state: string) => unknown = (state) => popupAckMessage(state), origin = location.origin) {
  const channel = new FakeBroadcastChannel(POPUP_CHANNEL, origin)
  const received: unknown[] = []
  channel.addEventListener('message', (e) => {
    if ((e.data as { type?: string }).type !== 'tokenkeep:popup-response') return
    received.push(e.data)
    const state = new URL((e.data as { url: string }).url).searchParams.get('state')!
    channel.postMessage(reply(state))
  })
  return received
}

beforeEach(() => {
  FakeBroadcastChannel.reset()
  vi.stubGlobal('BroadcastChannel', FakeBroadcastChannel)
  closeSpy = vi.fn<() => void>()
  vi.spyOn(window, 'close').mockImplementation(closeSpy)
  history.replaceState(null, '', '/popup-callback.html?code=c1&state=s1&iss=https%3A%2F%2Fop.example.test')
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  vi.useRealTimers()
})

describe('handlePopupCallback', () => {
  it('posts the whole response on the channel, waits for the acknowledgement, then closes the window', async () => {
    const received = opener()
    await expect(handlePopupCallback()).resolves.toBe('delivered')
    expect(received).toEqual([
      { type: 'tokenkeep:popup-response', url: `${location.origin}/popup-callback.html?code=c1&state=s1&iss=https%3A%2F%2Fop.example.test` },
    ])
    expect(closeSpy).toHaveBeenCalledOnce()
    expect(FakeBroadcastChannel.open.size).toBe(1) // only the test's opener channel is left
  })

  it('removes code and state from the address bar at once', async () => {
    history.replaceState(null, '', '/popup-callback.html?keep=1&code=c1&state=s1#h')
    opener()
    const pending = handlePopupCallback()
    expect(location.pathname + location.search + location.hash).toBe('/popup-callback.html?keep=1#h')
    await pending
  })

  it('also posts to window.opener, aimed at its own origin only', async () => {
    const post = vi.fn()
    vi.spyOn(window, 'opener', 'get').mockReturnValue({ postMessage: post } as unknown as Window)
    opener()
    await handlePopupCallback()
    expect(post).toHaveBeenCalledWith(expect.objectContaining({ type: 'tokenkeep:popup-response' }), location.origin)
  })

  it('stays open and says undelivered when nobody acknowledges (opener gone, COOP cut the link)', async () => {
    vi.useFakeTimers()
    const result = handlePopupCallback({ ackTimeoutMs: 2000 })
    await vi.advanceTimersByTimeAsync(1999)
    expect(closeSpy).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    await expect(result).resolves.toBe('undelivered')
    expect(closeSpy).not.toHaveBeenCalled()
  })

  it('ignores acknowledgements for another state or from another origin', async () => {
    vi.useFakeTimers()
    opener((state) => popupAckMessage(`${state}-other`))
    opener((state) => popupAckMessage(state), 'https://evil.example')
    const result = handlePopupCallback({ ackTimeoutMs: 1000 })
    await vi.advanceTimersByTimeAsync(1000)
    await expect(result).resolves.toBe('undelivered')
    expect(closeSpy).not.toHaveBeenCalled()
  })

  it('does nothing on a page without an authorization response', async () => {
    history.replaceState(null, '', '/popup-callback.html?foo=1')
    await expect(handlePopupCallback()).resolves.toBe('no-response')
    history.replaceState(null, '', '/popup-callback.html?code=c1')
    await expect(handlePopupCallback()).resolves.toBe('no-response')
    expect(FakeBroadcastChannel.sent).toEqual([])
    expect(closeSpy).not.toHaveBeenCalled()
  })

  it('forwards a provider error the same way (the opener reports it)', async () => {
    history.replaceState(null, '', '/popup-callback.html?error=access_denied&state=s9')
    const received = opener()
    await expect(handlePopupCallback()).resolves.toBe('delivered')
    expect(received).toHaveLength(1)
    expect(FakeBroadcastChannel.sent.some((m) => isPopupAck(m.data, 's9'))).toBe(true)
  })
})
