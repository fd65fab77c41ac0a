import { CALLBACK_PARAMS, callbackState } from '../responseUrl'
import { silentResponseMessage } from './message'

/**
 * What {@link handleSilentCallback} did: `'delivered'` (posted to the framing page),
 * `'no-parent'` (the page is not in a frame: opened directly, nothing to hand over),
 * `'no-response'` (the URL holds no authorization response).
 */
export type SilentCallbackResult = 'delivered' | 'no-parent' | 'no-response'

/**
 * Runs on the silent callback page (`refresh.silent`'s `redirectUri`, registered at the
 * provider), inside the hidden iframe of a silent renewal: hands the authorization response to
 * the framing page with `postMessage`, aimed at this page's own origin only. It holds no tokens
 * and exchanges nothing; the framing page checks that the message comes from its own origin and
 * its own iframe with the pending `state`, validates the response with oauth4webapi and exchanges
 * the code with the PKCE verifier it kept. The code and state are removed from the frame's URL.
 *
 * Import it alone on that page (the package has no side effects, so a bundler keeps just this
 * function), and do not start an auth client there.
 *
 * @see https://html.spec.whatwg.org/multipage/web-messaging.html#posting-messages
 * @example
 * ```ts
 * // silent-callback.ts, loaded by silent-callback.html
 * import { handleSilentCallback } from '@tokenkeep/core'
 * handleSilentCallback()
 * ```
 */
export function handleSilentCallback(): SilentCallbackResult {
  const url = new URL(location.href)
  const state = callbackState(url)
  if (state === undefined || state === '') return 'no-response'
  const clean = new URL(url.href)
  for (const p of CALLBACK_PARAMS) clean.searchParams.delete(p)
  history.replaceState(history.state, '', clean.pathname + clean.search + clean.hash)
  if (window.parent === window) return 'no-parent'
  // targetOrigin: a page of another origin that framed this one gets nothing.
  window.parent.postMessage(silentResponseMessage(url.href), location.origin)
  return 'delivered'
}
