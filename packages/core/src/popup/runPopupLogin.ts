import { AuthError } from '../errors'
import { POPUP_CHANNEL, popupAckMessage, readPopupResponse } from './message'
import type { PopupAttempt } from './openPopup'

/** How often to look for the provider's page in the window until it is seen. */
const PROBE_MS = 100
/**
 * How long the window must stay open with a cross-origin page in it before that counts as
 * "seen at the provider". Chromium, cutting the link for COOP, first makes the page unreadable
 * and only then reports `closed` (measured: 1-5 ms apart); a single sighting inside that gap
 * would turn a cut link into a false ERR_POPUP_CLOSED.
 */
const SEEN_AFTER_MS = 250

/** The part of BroadcastChannel this module uses; tests pass a fake. */
export interface ChannelLike {
  postMessage(message: unknown): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  close(): void
}

/** What popupLogin() provides: timing, and the protocol steps, which live in the client with storage and the token endpoint. */
export interface PopupLoginDeps {
  /** The popup's redirect URI, exactly as registered. */
  readonly redirectUri: string
  /** Give up after this long from the moment the window opened. */
  readonly timeoutMs: number
  /** How often to look at the window. Default 500. */
  readonly pollMs?: number
  /** The client's clock (the `now` option). Default `Date.now`. */
  readonly now?: () => number
  /** Our origin; messages from any other are ignored. Default `location.origin`. */
  readonly origin?: string
  /** Where window `message` events arrive. Default `window`. */
  readonly messages?: Pick<Window, 'addEventListener' | 'removeEventListener'>
  /** Opens the channel the callback page also posts to. Default: a BroadcastChannel when the browser has one. */
  readonly channel?: () => ChannelLike | undefined
  /** Builds and stores the authorization request; returns its URL and state. */
  prepare(): Promise<{ url: URL; state: string }>
  /** Validates the response for `state` and signs the user in (the opener exchanges the code). */
  complete(state: string, response: URL): Promise<void>
  /** Forgets the stored request for `state` after a failed attempt. */
  discard(state: string): Promise<void>
}

/**
 * Drives one popup login from an already opened window to a signed-in user or a typed error.
 *
 * How it knows the window is gone: it reads `closed` every `pollMs`. Cross-Origin-Opener-Policy
 * complicates that: when the app's pages or the provider's login page send COOP `same-origin`,
 * the browser moves the popup into another browsing context group the moment the provider's page
 * commits, and from then on `closed` reads `true` although the window is open. The two cases are
 * told apart by what the opener saw first: a window seen open at the provider for 250 ms
 * (reading its `location` throws a SecurityError once a cross-origin page is in it) and then
 * closed was closed by the user (`ERR_POPUP_CLOSED`). A window that reads closed after we navigated it without ever
 * being seen at the provider was cut off by COOP: from then on closure cannot be observed, so
 * the attempt ends by the answer arriving over BroadcastChannel, by `timeoutMs`, or by a newer
 * popup login replacing it. (A user who closes the window while the provider's first page is
 * still loading, or within about 0.4 s of it appearing, looks the same and waits for the
 * timeout or the next click.)
 *
 * @throws AuthError `ERR_POPUP_CLOSED`, `ERR_POPUP_TIMEOUT`, and whatever `prepare`/`complete`
 *   reject with (`ERR_AUTHORIZATION` for `access_denied`, `ERR_CALLBACK_INVALID`, `ERR_NETWORK`, ...).
 * @see https://html.spec.whatwg.org/multipage/browsers.html#cross-origin-opener-policies
 * @see https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts
 * @example
 * ```ts
 * const attempt = createPopupAttempt(openPopupWindow()!) // inside the click
 * await runPopupLogin(attempt, { redirectUri, timeoutMs: 120_000, prepare, complete, discard })
 * ```
 */
export async function runPopupLogin(attempt: PopupAttempt, deps: PopupLoginDeps): Promise<void> {
  const popup = attempt.window
  const origin = deps.origin ?? location.origin
  const now = deps.now ?? Date.now
  const messages = deps.messages ?? window
  const channel = (deps.channel ?? defaultChannel)()
  let expectedState: string | undefined
  let navigated = false
  let seenAtProvider = false
  let crossOriginSince: number | undefined
  let done = false
  let onAnswer!: (url: URL) => void
  let onEnd!: (error: AuthError) => void
  const answer = new Promise<URL>((resolve) => (onAnswer = resolve))
  const ended = new Promise<never>((_, reject) => (onEnd = reject))
  ended.catch(() => undefined) // observed through the races below; no unhandled rejection meanwhile

  const accept = (data: unknown, from: string): void => {
    if (done || expectedState === undefined) return
    const url = readPopupResponse(data, from, { origin, redirectUri: deps.redirectUri, state: expectedState })
    if (!url) return
    done = true
    // Tells the callback page it may close: after COOP cut the link, only it can close itself.
    channel?.postMessage(popupAckMessage(expectedState))
    onAnswer(url)
  }
  const fail = (error: AuthError): void => {
    if (done) return
    done = true
    onEnd(error)
  }

  const onWindowMessage = (event: MessageEvent): void => {
    // Through window.opener only the popup itself can have posted a genuine response.
    if (event.source === popup) accept(event.data, event.origin)
  }
  channel?.addEventListener('message', (event) => accept(event.data, event.origin))
  messages.addEventListener('message', onWindowMessage)

  const poll = (): void => {
    if (!attempt.observable || done) return
    if (popup.closed) {
      if (!navigated || seenAtProvider) {
        fail(new AuthError('ERR_POPUP_CLOSED', 'The login popup was closed before the sign-in finished'))
      } else {
        attempt.observable = false
      }
    } else if (navigated && !seenAtProvider) {
      if (!isCrossOrigin(popup)) crossOriginSince = undefined
      else if (crossOriginSince === undefined) crossOriginSince = now()
      else seenAtProvider = now() - crossOriginSince >= SEEN_AFTER_MS
    }
    if (seenAtProvider || !attempt.observable) clearInterval(probeTimer)
  }
  const pollTimer = setInterval(poll, deps.pollMs ?? 500)
  // Until the provider's page is seen in the window, look more often: the sooner it is seen, the
  // shorter the moment in which a user's close would be taken for COOP cutting the link.
  let probeTimer: ReturnType<typeof setInterval> | undefined
  const timeoutTimer = setTimeout(
    () => fail(new AuthError('ERR_POPUP_TIMEOUT', `The login popup did not finish within ${Math.round(deps.timeoutMs / 1000)} s`)),
    deps.timeoutMs,
  )
  const onAbort = (): void => fail(attempt.controller.signal.reason as AuthError)
  attempt.controller.signal.addEventListener('abort', onAbort)
  if (attempt.controller.signal.aborted) onAbort()

  let watching = true
  const stopWatching = (): void => {
    if (!watching) return
    watching = false
    clearInterval(pollTimer)
    clearInterval(probeTimer)
    clearTimeout(timeoutTimer)
    attempt.controller.signal.removeEventListener('abort', onAbort)
    messages.removeEventListener('message', onWindowMessage)
    channel?.close()
  }

  const preparing = deps.prepare()
  let state: string | undefined
  let answered = false
  try {
    const prepared = await Promise.race([preparing, ended])
    state = prepared.state
    // Closed while the request was being prepared: don't send a dead window to the provider.
    poll()
    if (done) await ended
    expectedState = prepared.state
    // replace(): the blank page should not stay in the popup's history for Back to return to.
    popup.location.replace(prepared.url.href)
    navigated = true
    probeTimer = setInterval(poll, PROBE_MS)
    const response = await Promise.race([answer, ended])
    answered = true
    stopWatching()
    closeQuietly(popup)
    await deps.complete(prepared.state, response)
  } catch (e) {
    closeQuietly(popup)
    if (state === undefined) {
      // Ended before the request was stored: forget it once it is.
      preparing.then((p) => deps.discard(p.state)).catch(() => undefined)
    } else if (!answered) {
      await deps.discard(state).catch(() => undefined)
    }
    throw e
  } finally {
    stopWatching()
  }
}

function defaultChannel(): ChannelLike | undefined {
  return typeof BroadcastChannel === 'function' ? new BroadcastChannel(POPUP_CHANNEL) : undefined
}

/** True once a page of another origin (the provider) is in the window. */
function isCrossOrigin(popup: Window): boolean {
  try {
    // Same-origin (about:blank, our callback page): readable. Cross-origin: SecurityError. The
    // value is used so no minifier drops the read as dead code.
    const href: unknown = popup.location.href
    return typeof href !== 'string'
  } catch {
    return true
  }
}

function closeQuietly(popup: Window): void {
  try {
    popup.close()
  } catch {
    // A window we may no longer script: nothing to do, the callback page closes itself.
  }
}
