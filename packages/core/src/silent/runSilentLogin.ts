import { AuthError } from '../errors'
import { readSilentResponse } from './message'

/** A frame showing the authorization request; tests pass a fake. */
export interface SilentFrame {
  /** The frame's window, the only source a genuine answer can come from. */
  readonly window: Window | null
  /** Takes the frame out of the page once the attempt is over (answered, failed or timed out). */
  remove(): void
}

/** What silentLogin() provides: timing and the protocol steps, which live in the client. */
export interface SilentLoginDeps {
  /** The silent redirect URI, exactly as registered. */
  readonly redirectUri: string
  /** Give up after this long from the moment the frame is created. */
  readonly timeoutMs: number
  /** Our origin; messages from any other are ignored. Default `location.origin`. */
  readonly origin?: string
  /** Where window `message` events arrive. Default `window`. */
  readonly messages?: Pick<Window, 'addEventListener' | 'removeEventListener'>
  /** Shows `url` in a hidden frame. Default: a hidden iframe appended to `document.body`. */
  readonly frame?: (url: URL) => SilentFrame
  /** Builds and stores the `prompt=none` authorization request; returns its URL and state. */
  prepare(): Promise<{ url: URL; state: string }>
  /** Forgets the stored request for `state` after a failed attempt. */
  discard(state: string): Promise<void>
}

/**
 * Runs one `prompt=none` authorization request in a hidden iframe and resolves with the response
 * URL the silent callback page posted back. The response is only picked out here (own origin,
 * the frame as source, the silent redirect URI, the pending `state`); the caller validates it
 * with oauth4webapi and exchanges the code, as after a redirect.
 *
 * Nothing comes back when the browser or the provider stops the frame: the provider forbids
 * framing (`X-Frame-Options`, CSP `frame-ancestors`), the redirect URI is not registered (the
 * provider shows an error page), the provider answers `prompt=none` with an HTML page instead of
 * an OAuth error redirect, the network is down. The attempt then ends at `timeoutMs` with
 * `ERR_SILENT_AUTH`. (Blocked third-party cookies usually do not time out: the provider sees no
 * session and answers `login_required`.)
 *
 * @throws AuthError `ERR_SILENT_AUTH` on timeout, and whatever `prepare` rejects with.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest (`prompt=none`)
 * @see https://html.spec.whatwg.org/multipage/web-messaging.html#authors
 * @example
 * ```ts
 * const response = await runSilentLogin({ redirectUri, timeoutMs: 10_000, prepare, discard })
 * ```
 */
export async function runSilentLogin(deps: SilentLoginDeps): Promise<URL> {
  const origin = deps.origin ?? location.origin
  const messages = deps.messages ?? window
  const { url, state } = await deps.prepare()
  let frame: SilentFrame | undefined
  let onMessage: ((event: MessageEvent) => void) | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await new Promise<URL>((resolve, reject) => {
      onMessage = (event: MessageEvent) => {
        // Only the frame we made can have posted a genuine answer; other frames and windows of
        // this origin (another tab's renewal, a stale frame, a hostile widget) are ignored.
        if (!frame || event.source !== frame.window) return
        const response = readSilentResponse(event.data, event.origin, { origin, redirectUri: deps.redirectUri, state })
        if (response) resolve(response)
      }
      messages.addEventListener('message', onMessage)
      timer = setTimeout(() => reject(timeoutError(deps.timeoutMs, deps.redirectUri)), deps.timeoutMs)
      frame = (deps.frame ?? hiddenIframe)(url)
    })
  } catch (e) {
    await deps.discard(state).catch(() => undefined)
    throw e
  } finally {
    clearTimeout(timer)
    if (onMessage) messages.removeEventListener('message', onMessage)
    frame?.remove()
  }
}

function timeoutError(timeoutMs: number, redirectUri: string): AuthError {
  return new AuthError(
    'ERR_SILENT_AUTH',
    `Silent renewal got no answer within ${Math.round(timeoutMs / 1000)} s: the provider's page in the hidden iframe ` +
      `never came back to ${new URL(redirectUri).pathname}. Likely causes: the provider forbids being framed ` +
      '(X-Frame-Options or CSP frame-ancestors), the browser blocks third-party cookies or storage for the ' +
      'provider, the provider answers prompt=none with a page of its own (an error page or a sign-in form) instead of ' +
      'redirecting back with login_required, the silent redirect URI is not registered or does not call ' +
      'handleSilentCallback(), or the network is down.',
  )
}

/**
 * A hidden iframe showing `url`. `src` is set before the frame is attached, so the navigation is
 * the frame's initial one and adds no entry to the page's session history (Back stays where it was).
 */
function hiddenIframe(url: URL): SilentFrame {
  const iframe = document.createElement('iframe')
  iframe.title = 'Session renewal'
  iframe.setAttribute('aria-hidden', 'true')
  iframe.tabIndex = -1
  iframe.style.cssText = 'position:absolute;width:0;height:0;border:0;visibility:hidden'
  iframe.src = url.href
  document.body.appendChild(iframe)
  return { window: iframe.contentWindow, remove: () => iframe.remove() }
}
