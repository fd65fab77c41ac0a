// The wire format between the popup's callback page and the page that opened it, and the checks
// the opener applies before it trusts a message. Pure functions: no DOM, no timers, no storage.

/** BroadcastChannel name shared by the callback page and every tokenkeep client on the origin. */
export const POPUP_CHANNEL = 'tokenkeep:popup'

const RESPONSE = 'tokenkeep:popup-response'
const ACK = 'tokenkeep:popup-ack'

/**
 * Longest response URL accepted. Real authorization responses are a few hundred characters; the
 * bound keeps a hostile same-origin page from making the opener parse megabytes.
 */
const MAX_URL_LENGTH = 8192

/** What the callback page sends: the whole response URL, so the opener can validate it as a redirect callback would. */
export interface PopupResponseMessage {
  readonly type: typeof RESPONSE
  readonly url: string
}

/** What the opener answers once it has taken the response, so the popup knows it may close. */
export interface PopupAckMessage {
  readonly type: typeof ACK
  readonly state: string
}

/** What the opener expects from the one popup it has open. */
export interface ExpectedPopupResponse {
  /** The opener's own origin; messages from any other origin are ignored. */
  readonly origin: string
  /** The configured popup redirect URI; the response must come back to exactly this page. */
  readonly redirectUri: string
  /** The `state` of the pending authorization request. */
  readonly state: string
}

/**
 * Builds the message the callback page posts for the response in `url`.
 *
 * @example
 * ```ts
 * channel.postMessage(popupResponseMessage(location.href))
 * ```
 */
export function popupResponseMessage(url: string): PopupResponseMessage {
  return { type: RESPONSE, url }
}

/**
 * Builds the acknowledgement for the response carrying `state`.
 *
 * @example
 * ```ts
 * channel.postMessage(popupAckMessage(state)) // the callback page may close now
 * ```
 */
export function popupAckMessage(state: string): PopupAckMessage {
  return { type: ACK, state }
}

/**
 * True when `data` acknowledges the response carrying `state`.
 *
 * @example
 * ```ts
 * channel.onmessage = (e) => { if (e.origin === location.origin && isPopupAck(e.data, state)) window.close() }
 * ```
 */
export function isPopupAck(data: unknown, state: string): boolean {
  const d = data as Partial<PopupAckMessage> | null
  return typeof data === 'object' && data !== null && d?.type === ACK && d.state === state
}

/**
 * Returns the authorization response URL in a message when, and only when, the message comes
 * from `expected.origin`, has the right shape, lands on the configured popup redirect URI and
 * carries the pending `state`. Anything else yields `undefined` and must be ignored (not treated
 * as a failure): another tab's popup, a stale popup and a hostile page all look like this, and
 * none of them may end the pending login.
 *
 * The response is not validated here beyond picking it out; oauth4webapi's
 * `validateAuthResponse` does that (state again, RFC 9207 `iss`, provider errors) before the code
 * is exchanged.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12 (CSRF: `state`)
 * @see https://html.spec.whatwg.org/multipage/web-messaging.html#authors (check `origin`)
 * @example
 * ```ts
 * const url = readPopupResponse(event.data, event.origin, { origin: location.origin, redirectUri, state })
 * if (url) finish(url) // otherwise ignore the message and keep waiting
 * ```
 */
export function readPopupResponse(data: unknown, origin: string, expected: ExpectedPopupResponse): URL | undefined {
  if (origin !== expected.origin) return undefined
  if (typeof data !== 'object' || data === null) return undefined
  const d = data as Partial<PopupResponseMessage>
  if (d.type !== RESPONSE || typeof d.url !== 'string') return undefined
  return matchResponseUrl(d.url, expected)
}

/**
 * Parses `href` as an authorization response and returns it only when it lands on
 * `expected.redirectUri` on `expected.origin` and carries exactly the pending `state`; shared by
 * the popup and the silent (iframe) flows, whose messages differ only in their `type`.
 *
 * @example
 * ```ts
 * const url = matchResponseUrl(message.url, { origin: location.origin, redirectUri, state })
 * ```
 */
export function matchResponseUrl(href: string, expected: ExpectedPopupResponse): URL | undefined {
  if (href.length > MAX_URL_LENGTH) return undefined
  let url: URL
  let target: URL
  try {
    url = new URL(href)
    target = new URL(expected.redirectUri)
  } catch {
    return undefined
  }
  if (url.origin !== expected.origin || url.origin !== target.origin || url.pathname !== target.pathname) return undefined
  const p = url.searchParams
  // One state, equal to ours; a response with two `state` values is malformed, not a match.
  if (p.getAll('state').length !== 1 || p.get('state') !== expected.state) return undefined
  if (!p.has('code') && !p.has('error')) return undefined
  return url
}
