// The wire format between the silent callback page (in a hidden iframe) and the page that framed
// it, and the rule for which provider answers end a session. Pure functions: no DOM, no timers.
import { matchResponseUrl, type ExpectedPopupResponse } from '../popup/message'

const RESPONSE = 'tokenkeep:silent-response'

/** What the silent callback page posts to its parent: the whole response URL. */
export interface SilentResponseMessage {
  readonly type: typeof RESPONSE
  readonly url: string
}

/**
 * OAuth `error` values of a `prompt=none` request that mean "the provider will not sign this user
 * in without showing a page": the session cannot be renewed silently, the user must log in again.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError
 */
export const SILENT_TERMINAL_ERRORS: ReadonlySet<string> = new Set([
  'login_required',
  'interaction_required',
  'consent_required',
  'account_selection_required',
])

/**
 * Builds the message the silent callback page posts for the response in `url`.
 *
 * @example
 * ```ts
 * window.parent.postMessage(silentResponseMessage(location.href), location.origin)
 * ```
 */
export function silentResponseMessage(url: string): SilentResponseMessage {
  return { type: RESPONSE, url }
}

/**
 * Returns the authorization response URL in a message when, and only when, it comes from
 * `expected.origin`, lands on the silent redirect URI and carries the pending `state`. Anything
 * else yields `undefined` and must be ignored, not treated as a failure.
 *
 * @see https://html.spec.whatwg.org/multipage/web-messaging.html#authors (check `origin`)
 * @example
 * ```ts
 * const url = readSilentResponse(event.data, event.origin, { origin: location.origin, redirectUri, state })
 * ```
 */
export function readSilentResponse(data: unknown, origin: string, expected: ExpectedPopupResponse): URL | undefined {
  if (origin !== expected.origin || typeof data !== 'object' || data === null) return undefined
  const d = data as Partial<SilentResponseMessage>
  if (d.type !== RESPONSE || typeof d.url !== 'string') return undefined
  return matchResponseUrl(d.url, expected)
}
