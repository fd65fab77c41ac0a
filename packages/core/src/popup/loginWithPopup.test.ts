// login({ popup }) through the whole client, against the in-memory provider: the window and the
// callback page are fakes, everything else (storage, token endpoint, ID token checks) is real.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthError } from '../errors'
import { popupResponseMessage, POPUP_CHANNEL } from './message'
import { popupLogin } from './popupLogin'
import { FakeBroadcastChannel } from '../test/fakeChannel'
import type { FakeProvider } from '../test/fakeProvider'
import { assigned, op, useFakeProvider } from '../test/harness'

const POPUP_REDIRECT = `${location.origin}/popup-callback.html`

/** The login window as the opener sees it; `severed` models Cross-Origin-Opener-Policy. */
function fakeWindow() {
  const w = {
    navigations: [] as string[],
    atProvider: false,
    severed: false,
    reallyClosed: false,
    focused: 0,
    get closed() {
      return w.reallyClosed || w.severed
    },
    location: {
      replace(url: string) {
        w.navigations.push(url)
        w.atProvider = true
      },
      get href(): string {
        if (w.atProvider) throw new DOMException('Blocked a frame', 'SecurityError')
        return 'about:blank'
      },
    },
    close() {
      if (!w.severed) w.reallyClosed = true
    },
    focus() {
      w.focused++
    },
    postMessage() {},
  }
  return w
}

let opened: ReturnType<typeof fakeWindow>[]
let openSpy: ReturnType<typeof vi.fn>

const { options, createAuthClient } = useFakeProvider({
  path: '/orders',
  options: () => ({ popup: popupLogin({ redirectUri: POPUP_REDIRECT }) }),
})

/** Plays the provider and the callback page for the window's authorization request. */
async function finishInPopup(win: ReturnType<typeof fakeWindow>, answer: Parameters<FakeProvider['authorize']>[1] = {}) {
  await vi.waitFor(() => expect(win.navigations).toHaveLength(1))
  const callbackUrl = op.authorize(win.navigations[0]!, answer)
  new FakeBroadcastChannel(POPUP_CHANNEL).postMessage(popupResponseMessage(callbackUrl))
  return callbackUrl
}

const txKeys = () => Object.keys(sessionStorage).filter((k) => k.includes(':tx:'))

beforeEach(() => {
  FakeBroadcastChannel.reset()
  vi.stubGlobal('BroadcastChannel', FakeBroadcastChannel)
  opened = []
  openSpy = vi.fn(() => {
    const w = fakeWindow()
    opened.push(w)
    return w
  })
  vi.spyOn(window, 'open').mockImplementation(openSpy as unknown as typeof window.open)
})

describe('login({ popup: true })', () => {
  it('opens the window synchronously, before anything is awaited', async () => {
    const auth = createAuthClient(options())
    const login = auth.login({ popup: true })
    expect(openSpy).toHaveBeenCalledOnce()
    expect(openSpy.mock.calls[0]![0]).toBe('about:blank')
    expect(op.calls).toEqual([])
    await finishInPopup(opened[0]!)
    await login
  })

  it('signs in: the opener exchanges the code, the snapshot and storage change exactly as after a redirect', async () => {
    const auth = createAuthClient(options())
    await auth.start()
    const seen: string[] = []
    auth.subscribe(() => seen.push(auth.getSnapshot().status))
    const login = auth.login({ popup: true })
    await finishInPopup(opened[0]!, { sub: 'alice' })
    await login

    const url = new URL(opened[0]!.navigations[0]!)
    expect(url.searchParams.get('redirect_uri')).toBe(POPUP_REDIRECT)
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('nonce')).toBeTruthy()
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice', name: 'Alice' }, error: null })
    expect(seen).toEqual(['authenticated'])
    expect(opened[0]!.reallyClosed).toBe(true)
    expect(assigned).toEqual([]) // the page never left
    expect(location.pathname).toBe('/orders')
    expect(txKeys()).toEqual([])
    expect(op.calls.filter((c) => c === 'POST /token')).toHaveLength(1)

    // Same stored record as a redirect login: a reload restores it with no request.
    const before = op.calls.length
    const reloaded = createAuthClient(options())
    await reloaded.start()
    expect(reloaded.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' } })
    expect(op.calls.length).toBe(before)
  })

  it('puts no token on the popup channel: only the code travels, bound to the opener by PKCE', async () => {
    const auth = createAuthClient(options())
    const login = auth.login({ popup: true })
    await finishInPopup(opened[0]!)
    await login
    // The popup channel only; the tabs channel carries token sets between this origin's tabs by design.
    const popupWire = FakeBroadcastChannel.sent.filter((m) => m.name === POPUP_CHANNEL)
    expect(popupWire.length).toBeGreaterThan(0)
    const wire = JSON.stringify(popupWire)
    const token = await auth.getAccessToken()
    expect(wire).not.toContain(token)
    for (const rt of op.refreshTokensIssued) expect(wire).not.toContain(rt)
    expect(wire).not.toContain('eyJ') // no JWT (ID token)
  })

  it('access_denied at the provider: ERR_AUTHORIZATION carrying the OAuth error, nothing stored', async () => {
    const auth = createAuthClient(options())
    await auth.start()
    const login = auth.login({ popup: true })
    await finishInPopup(opened[0]!, { error: 'access_denied' })
    const error = await login.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({ code: 'ERR_AUTHORIZATION', error: 'access_denied' })
    // Shown on the snapshot too, as a failed redirect callback would be.
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_AUTHORIZATION' } })
    expect(Object.keys(sessionStorage).filter((k) => k.endsWith(':session'))).toEqual([])
    expect(txKeys()).toEqual([])
    expect(op.calls).not.toContain('POST /token')
  })

  it('an iss from another issuer (mix-up) is refused before any token request', async () => {
    const auth = createAuthClient(options())
    const login = auth.login({ popup: true })
    await finishInPopup(opened[0]!, { iss: 'https://evil.example' })
    await expect(login).rejects.toMatchObject({ code: 'ERR_CALLBACK_INVALID' })
    expect(op.calls).not.toContain('POST /token')
  })

  it("a popup's response replayed on the redirect callback page finishes nothing there", async () => {
    const auth = createAuthClient(options())
    const login = auth.login({ popup: true }).catch((e: unknown) => e)
    await vi.waitFor(() => expect(opened[0]!.navigations).toHaveLength(1))
    const moved = new URL(op.authorize(opened[0]!.navigations[0]!))
    history.replaceState(null, '', `/callback${moved.search}`)
    const other = createAuthClient(options())
    await other.start()
    expect(other.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_CALLBACK_STATE_MISMATCH' } })
    expect(op.calls).not.toContain('POST /token')
    await new Promise((r) => setTimeout(r, 550)) // seen at the provider, then closed
    opened[0]!.reallyClosed = true
    expect(await login).toMatchObject({ code: 'ERR_POPUP_CLOSED' })
  })

  it('a failed sign-in keeps the session that was there', async () => {
    const auth = createAuthClient(options())
    const first = auth.login({ popup: true })
    await finishInPopup(opened[0]!, { sub: 'alice' })
    await first
    const second = auth.login({ popup: true })
    await finishInPopup(opened[1]!, { error: 'access_denied' })
    await expect(second).rejects.toMatchObject({ code: 'ERR_AUTHORIZATION' })
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' } })
  })
})

describe('popup windows the browser or the user take away', () => {
  it('blocked: ERR_POPUP_BLOCKED at once, no request, nothing stored', async () => {
    openSpy.mockReturnValueOnce(null)
    const auth = createAuthClient(options())
    await expect(auth.login({ popup: true })).rejects.toMatchObject({ name: 'AuthError', code: 'ERR_POPUP_BLOCKED' })
    expect(auth.getSnapshot().error).toMatchObject({ code: 'ERR_POPUP_BLOCKED' })
    expect(op.calls).toEqual([])
    expect(txKeys()).toEqual([])
  })

  it('a window the app opened itself that came back null counts as blocked', async () => {
    const auth = createAuthClient(options())
    await expect(auth.login({ popup: null })).rejects.toMatchObject({ code: 'ERR_POPUP_BLOCKED' })
    expect(openSpy).not.toHaveBeenCalled()
  })

  it('blocked with fallbackToRedirect: logs in by redirect instead, returning to this page', async () => {
    openSpy.mockReturnValueOnce(null)
    const auth = createAuthClient(options({ popup: popupLogin({ redirectUri: POPUP_REDIRECT, fallbackToRedirect: true }) }))
    await auth.login({ popup: true })
    expect(assigned).toHaveLength(1)
    expect(new URL(assigned[0]!).searchParams.get('redirect_uri')).toBe(`${location.origin}/callback`)
    history.replaceState(null, '', op.authorize(assigned[0]!))
    const after = createAuthClient(options())
    await after.start()
    expect(after.getSnapshot().status).toBe('authenticated')
    expect(location.pathname).toBe('/orders')
  })

  it('uses a window the app opened itself', async () => {
    const own = fakeWindow()
    const auth = createAuthClient(options())
    const login = auth.login({ popup: own as unknown as Window })
    await finishInPopup(own)
    await login
    expect(openSpy).not.toHaveBeenCalled()
    expect(auth.getSnapshot().status).toBe('authenticated')
  })

  it('closed by the user: ERR_POPUP_CLOSED within about a second, and the next login may start', async () => {
    const auth = createAuthClient(options())
    const login = auth.login({ popup: true }).catch((e: unknown) => e)
    await vi.waitFor(() => expect(opened[0]!.navigations).toHaveLength(1))
    await new Promise((r) => setTimeout(r, 550)) // the user reads the provider's page
    const closedAt = Date.now()
    opened[0]!.reallyClosed = true
    expect(await login).toMatchObject({ code: 'ERR_POPUP_CLOSED' })
    expect(Date.now() - closedAt).toBeLessThan(1100)
    expect(txKeys()).toEqual([])

    const again = auth.login({ popup: true })
    await finishInPopup(opened[1]!)
    await again
    expect(auth.getSnapshot().status).toBe('authenticated')
  })

  it('a second popup login while one is open is refused, and the open one is brought forward', async () => {
    const auth = createAuthClient(options())
    const first = auth.login({ popup: true })
    await expect(auth.login({ popup: true })).rejects.toMatchObject({ code: 'ERR_POPUP_IN_PROGRESS' })
    expect(auth.getSnapshot().error).toBeNull()
    expect(openSpy).toHaveBeenCalledOnce()
    expect(opened[0]!.focused).toBe(1)
    await finishInPopup(opened[0]!)
    await first
    expect(auth.getSnapshot().status).toBe('authenticated')
  })

  it('a popup cut off by COOP cannot be watched, so a new click replaces it instead of being refused', async () => {
    const auth = createAuthClient(options())
    const first = auth.login({ popup: true }).catch((e: unknown) => e)
    await vi.waitFor(() => expect(opened[0]!.navigations).toHaveLength(1))
    opened[0]!.severed = true
    opened[0]!.atProvider = false
    await new Promise((r) => setTimeout(r, 600))
    const second = auth.login({ popup: true })
    expect(await first).toMatchObject({ code: 'ERR_POPUP_CLOSED' })
    // The old popup's answer, should it still come, matches nothing pending.
    op.authorize(opened[0]!.navigations[0]!)
    await finishInPopup(opened[1]!)
    await second
    expect(auth.getSnapshot().status).toBe('authenticated')
  })
})

describe('popup options', () => {
  it('login({ popup }) without the popup option is a caller mistake', async () => {
    const { popup: _, ...noPopup } = options()
    const auth = createAuthClient(noPopup)
    await expect(auth.login({ popup: true })).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_OPTION' })
    expect(openSpy).not.toHaveBeenCalled()
  })

  it('refuses a popup redirect URI that is relative or has a fragment, and a bad timeout or fallback', () => {
    for (const redirectUri of ['/popup-callback.html', `${POPUP_REDIRECT}#x`]) {
      expect(() => popupLogin({ redirectUri })).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_OPTION' }))
    }
    expect(() => popupLogin({ redirectUri: POPUP_REDIRECT, timeoutMs: 0 })).toThrow(/popup.timeoutMs/)
    expect(() => popupLogin({ redirectUri: POPUP_REDIRECT, fallbackToRedirect: 'yes' as unknown as boolean })).toThrow(/fallbackToRedirect/)
    expect(() => createAuthClient(options({ popup: { redirectUri: POPUP_REDIRECT } as never }))).toThrow(/popupLogin/)
  })

  it('refuses a popup redirect URI that is the main callback, before any window opens', async () => {
    const auth = createAuthClient(options({ popup: popupLogin({ redirectUri: `${location.origin}/callback` }) }))
    await expect(auth.login({ popup: true })).rejects.toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_OPTION',
      message: expect.stringContaining('popup.redirectUri'),
    })
    expect(openSpy).not.toHaveBeenCalled()
  })

  it('refuses a popup redirect URI on another origin (its page could never reach this one)', async () => {
    const auth = createAuthClient(options({ popup: popupLogin({ redirectUri: 'https://elsewhere.example/popup-callback.html' }) }))
    await expect(auth.login({ popup: true })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    expect(openSpy).not.toHaveBeenCalled()
  })
})
