import { CALLBACK_PARAMS, callbackState } from '../responseUrl'
import { POPUP_CHANNEL, isPopupAck, popupResponseMessage } from './message'

/** Options of {@link handlePopupCallback}. */
export interface PopupCallbackOptions {
  /** How long to wait for the opening page to confirm it took the response. Default 3000. */
  ackTimeoutMs?: number
}

/**
 * What {@link handlePopupCallback} did: `'delivered'` (the opener took the response; the window
 * is closing), `'undelivered'` (nobody confirmed: the opening tab was closed or reloaded, or
 * the page was not opened by a login), `'no-response'` (the URL holds no authorization response).
 */
export type PopupCallbackResult = 'delivered' | 'undelivered' | 'no-response'

/**
 * Runs on the popup's callback page (the `popup.redirectUri` registered at the provider): hands
 * the authorization response to the page that opened the popup, then closes the window. It
 * holds no tokens and exchanges nothing; the opener validates the response (state, RFC 9207
 * `iss`) and exchanges the code with the PKCE verifier it kept.
 *
 * The response goes out twice: over a same-origin `BroadcastChannel`, which still works when
 * Cross-Origin-Opener-Policy has cut `window.opener`, and by `window.opener.postMessage` aimed
 * at this origin only. The opener acts on the first copy and acknowledges it; the window closes
 * itself on that acknowledgement, because after COOP only it can. The code and state are
 * removed from the address bar at once.
 *
 * Import it alone on the callback page (the package has no side effects, so a bundler keeps just
 * this function and the message helpers), and do not start an auth client on that page.
 *
 * @returns What happened, so the page can show "You can close this window" when `'undelivered'`.
 * @see https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts
 * @see https://html.spec.whatwg.org/multipage/browsers.html#cross-origin-opener-policies
 * @example
 * ```ts
 * // popup-callback.ts, loaded by popup-callback.html
 * import { handlePopupCallback } from '@tokenkeep/core'
 * handlePopupCallback().then((result) => {
 *   if (result !== 'delivered') document.body.textContent = 'You can close this window.'
 * })
 * ```
 */
export async function handlePopupCallback(options: PopupCallbackOptions = {}): Promise<PopupCallbackResult> {
  const url = new URL(location.href)
  const state = callbackState(url)
  if (state === undefined || state === '') return 'no-response'
  const message = popupResponseMessage(url.href)

  // The code must not linger in this window's address bar or history.
  const clean = new URL(url.href)
  for (const p of CALLBACK_PARAMS) clean.searchParams.delete(p)
  history.replaceState(history.state, '', clean.pathname + clean.search + clean.hash)

  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(POPUP_CHANNEL) : undefined
  const acknowledged = channel
    ? new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), options.ackTimeoutMs ?? 3000)
        channel.addEventListener('message', (event: MessageEvent) => {
          if (event.origin === location.origin && isPopupAck(event.data, state)) {
            clearTimeout(timer)
            resolve(true)
          }
        })
      })
    : undefined

  channel?.postMessage(message)
  const opener = readOpener()
  if (opener) {
    try {
      // targetOrigin: an opener that has navigated to another origin gets nothing.
      opener.postMessage(message, location.origin)
    } catch {
      // The opener went away between the check and the post; the channel copy still counts.
    }
  }

  // Without BroadcastChannel there is no acknowledgement: the opener, reached by postMessage,
  // closes this window itself.
  const delivered = acknowledged ? await acknowledged : opener !== null
  channel?.close()
  if (delivered) window.close()
  return delivered ? 'delivered' : 'undelivered'
}

function readOpener(): Window | null {
  try {
    return (window.opener as Window | null) ?? null
  } catch {
    return null
  }
}
