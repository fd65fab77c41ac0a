// A fetch that carries the access token to the app's own APIs and nowhere else. A separate export
// (not a client method) so apps that call their APIs some other way ship none of it.
import type * as oauth from 'oauth4webapi'
import type { AuthClient } from './api'
import { AuthError, optionError } from './errors'
import type { StepUpChallenge } from './authFetchStepUp'
import { isLoopback } from './options'

/** Options of {@link createAuthFetch}. */
export interface AuthFetchOptions {
  /**
   * Origins besides the page's own that get the access token, compared exactly
   * (`'https://api.example.com'`; scheme, host and port must all match; no wildcards, no paths).
   * HTTPS only, except on loopback hosts.
   */
  allowedOrigins?: readonly string[]
  /** Redirects followed (each hop re-checked) before giving up. Default 20, as fetch itself. */
  maxRedirects?: number
  /** The fetch to send requests with. Default: the global fetch. */
  fetch?: typeof fetch
  /**
   * What to do when an API asks for a stronger or more recent sign-in (`401` with
   * `WWW-Authenticate: Bearer error="insufficient_user_authentication", acr_values="…", max_age=…`,
   * RFC 9470). Unset: the call rejects with `ERR_STEP_UP_REQUIRED` (its `acrValues` / `maxAgeS`
   * say what was asked). `'popup'`: signs in again in a popup with those values (and
   * `prompt: 'login'` when an acr is asked, since many providers treat `acr_values` as a wish; the client's
   * `popup: popupLogin(...)` is needed; the browser allows the popup within a few seconds of a
   * click), then sends the request once more with the new token; `'redirect'`: signs in again by
   * redirect, back to the current page, and the call never settles (the page leaves). The new ID
   * token's `acr` / `auth_time` are checked as for any login (`ERR_ACR_MISMATCH`, `ERR_ID_TOKEN`),
   * so a provider that ignores the request ends the call with that error instead of a loop.
   * Concurrent calls that meet the same challenge share one step-up.
   */
  stepUp?: 'popup' | 'redirect'
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
/** Headers that describe a body; dropped when a redirect turns the request into a GET (Fetch spec). */
const BODY_HEADERS = ['content-type', 'content-encoding', 'content-language', 'content-location', 'content-length']

/**
 * What {@link createAuthFetch} uses of the client: the token, and where the client has them
 * (every client made by `createAuthClient`), its headers and DPoP nonce handling.
 */
export interface AuthFetchClient {
  /** See {@link AuthClient.getAccessToken}: used when the client has no `getAuthHeaders`. */
  getAccessToken: AuthClient['getAccessToken']
  /** See {@link AuthClient.getAuthHeaders}: the headers for each request (Bearer or DPoP). */
  getAuthHeaders?: AuthClient['getAuthHeaders']
  /** See {@link AuthClient.handleDPoPNonce}: whether a `401` asked for a new DPoP nonce. */
  handleDPoPNonce?: AuthClient['handleDPoPNonce']
  /** See {@link AuthClient.login}: the step-up login (`stepUp` option). */
  login?: AuthClient['login']
}

/**
 * Makes a `fetch` that adds `Authorization: Bearer <access token>` (from
 * `client.getAccessToken()`) to requests for the page's own origin and the exact origins in
 * `allowedOrigins`, and to nothing else. With `protocol.dpop` (the client's `getAuthHeaders`),
 * it sends `Authorization: DPoP <access token>` and a fresh `DPoP` proof for each request
 * (method, URL, `ath`), and retries once when the server answers
 * `WWW-Authenticate: DPoP error="use_dpop_nonce"` with a `DPoP-Nonce` (RFC 9449 §9); for another
 * origin, its CORS answer must expose `DPoP-Nonce` too.
 *
 * - Only `http:`/`https:` URLs get the token (never `blob:`, `data:`, `file:`, ...).
 * - Redirects of a request that carries the token are never followed by the browser: each hop is
 *   followed here (up to `maxRedirects`), its origin checked again, and the token attached only
 *   where the rules above allow it. A caller's own `Authorization` header never follows a redirect.
 *   Browsers hide where a redirect leads (`redirect: 'manual'` gives an opaque response), so there
 *   the redirect response itself is returned (`response.type === 'opaqueredirect'`): point
 *   token-carrying requests at final URLs.
 * - A `401` with `WWW-Authenticate: Bearer error="invalid_token"` (or `DPoP error="invalid_token"`) renews the token once
 *   (`getAccessToken({ forceRefresh: true })`, or a token another call already renewed) and
 *   retries once. For another origin, its CORS answer must expose `WWW-Authenticate`.
 * - A `401` with `Bearer error="insufficient_user_authentication"` (RFC 9470, `DPoP` too) rejects
 *   with `ERR_STEP_UP_REQUIRED`, or with the `stepUp` option signs in again as the API asked and
 *   retries once.
 * - Requests for other origins go out as plain `fetch` would send them, untouched.
 *
 * Request bodies are read into memory once so they can be re-sent on a retry or a 307/308.
 *
 * @param client Anything with the client's `getAccessToken`.
 * @returns A function with fetch's signature. It rejects with the client's AuthError
 *   (`ERR_LOGIN_REQUIRED`, `ERR_SESSION_EXPIRED`, ...) when a token is needed and there is none,
 *   `ERR_STEP_UP_REQUIRED` (see `stepUp`; after a step-up also the login's errors),
 *   and with a `TypeError` for a redirect it must not follow (`redirect: 'error'`, too many
 *   redirects, a non-HTTP target). Errors never contain the token.
 * @throws TypeError `ERR_INVALID_OPTION` for a malformed `allowedOrigins` entry or `maxRedirects`.
 * @see https://www.rfc-editor.org/rfc/rfc6750 (Bearer token usage, `invalid_token`)
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7 (DPoP-bound tokens at resource servers)
 * @see https://www.rfc-editor.org/rfc/rfc9470 (step-up authentication challenge)
 * @see https://fetch.spec.whatwg.org/#http-redirect-fetch
 * @example
 * ```ts
 * import { createAuthClient, createAuthFetch } from '@tokenkeep/core'
 *
 * const auth = createAuthClient({ issuer, clientId, redirectUri })
 * const api = createAuthFetch(auth, { allowedOrigins: ['https://api.example.com'] })
 * const orders = await (await api('https://api.example.com/orders')).json()
 * await api('/profile', { method: 'PUT', body: JSON.stringify(profile) }) // same origin: token too
 * await api('https://cdn.example.net/logo.png')                           // no token
 * ```
 */
export function createAuthFetch(client: AuthFetchClient, options: AuthFetchOptions = {}): typeof fetch {
  if (typeof client?.getAccessToken !== 'function') throw optionError('client', 'must be an auth client (getAccessToken)')
  const allowed = new Set((options.allowedOrigins ?? []).map(exactOrigin))
  const maxRedirects = options.maxRedirects ?? 20
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) throw optionError('maxRedirects', 'must be a non-negative integer')
  const send: typeof fetch = options.fetch ?? ((...args) => globalThis.fetch(...args))
  if (typeof send !== 'function') throw optionError('fetch', 'must be a function')
  const stepUp = options.stepUp
  if (stepUp !== undefined && stepUp !== 'popup' && stepUp !== 'redirect') throw optionError('stepUp', 'must be "popup" or "redirect"')
  if (stepUp !== undefined && typeof client.login !== 'function') throw optionError('stepUp', 'needs a client with login() (the one createAuthClient made)')
  /** The step-up login, made when an API first asks for one (its code loads then). */
  let stepUpLogin: ((asked: StepUpChallenge) => Promise<void>) | undefined

  function mayCarryToken(url: URL): boolean {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return false
    const own = globalThis.location?.origin
    return url.origin === own || allowed.has(url.origin)
  }

  return async (input, init) => {
    const request = new Request(input, init)
    let url = new URL(request.url)
    // Nothing to protect: hand the request to fetch as it is (its own redirect mode included).
    if (!mayCarryToken(url)) return send(request)

    let method = request.method
    let body: ArrayBuffer | null = request.body === null ? null : await request.arrayBuffer()
    const headers = new Headers(request.headers)
    headers.delete('authorization')
    // What a hop keeps from the caller's request besides method, headers and body.
    const extras: RequestInit = {
      signal: request.signal,
      credentials: request.credentials,
      cache: request.cache,
      referrerPolicy: request.referrerPolicy,
      keepalive: request.keepalive,
      ...(request.mode === 'navigate' ? {} : { mode: request.mode }),
    }
    let renewed = false
    let nonceRetried = false
    let steppedUp = false

    for (let hop = 0; ; hop++) {
      let response: Response
      if (mayCarryToken(url)) {
        let auth = await authorize(url, method)
        response = await withToken(auth, method, url, headers, body, extras)
        if (!nonceRetried && client.handleDPoPNonce?.(url, response)) {
          // The server wants its nonce in the proof (RFC 9449 §9): one more try with a new proof.
          nonceRetried = true
          await response.body?.cancel()
          auth = await authorize(url, method)
          response = await withToken(auth, method, url, headers, body, extras)
        }
        if (!renewed && isInvalidToken(response)) {
          renewed = true
          const used = auth.token
          // Another call may already have renewed it; only force a refresh for the token that failed.
          auth = await authorize(url, method)
          if (auth.token === used) auth = await authorize(url, method, true)
          if (auth.token !== used) {
            await response.body?.cancel()
            response = await withToken(auth, method, url, headers, body, extras)
          }
        }
        // RFC 9470: the API wants a stronger or more recent sign-in. Stepped up once already (or
        // not asked to): the caller hears it, rather than signing in again and again.
        if (asksStepUp(response)) {
          const s = await import('./authFetchStepUp')
          const asked = s.stepUpChallenge(challengesOf.get(response))
          await response.body?.cancel()
          if (steppedUp || !stepUp) throw s.stepUpError(asked, AuthError)
          steppedUp = true
          await (stepUpLogin ??= s.createStepUpLogin(client.login!, stepUp))(asked)
          response = await withToken(await authorize(url, method), method, url, headers, body, extras)
          if (asksStepUp(response)) {
            await response.body?.cancel()
            throw s.stepUpError(s.stepUpChallenge(challengesOf.get(response)), AuthError)
          }
        }
      } else {
        response = await send(url.href, { ...extras, method, headers, body, redirect: 'manual' })
      }

      if (response.type === 'opaqueredirect') {
        if (request.redirect === 'error') throw new TypeError('tokenkeep: authFetch: the response is a redirect and redirect is "error"')
        return response
      }
      const location = response.headers.get('location')
      if (!REDIRECT_STATUSES.has(response.status) || location === null || request.redirect === 'manual') return response
      if (request.redirect === 'error') throw new TypeError('tokenkeep: authFetch: the response is a redirect and redirect is "error"')
      if (hop >= maxRedirects) throw new TypeError('tokenkeep: authFetch: too many redirects')
      let next: URL
      try {
        next = new URL(location, url)
      } catch {
        throw new TypeError('tokenkeep: authFetch: a redirect named an invalid URL')
      }
      if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new TypeError('tokenkeep: authFetch: a redirect left HTTP(S)')
      await response.body?.cancel()
      if ((response.status === 303 && method !== 'GET' && method !== 'HEAD') || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET'
        body = null
        for (const name of BODY_HEADERS) headers.delete(name)
      }
      url = next
    }
  }

  /** The token for one request, and with DPoP its proof (made for this URL and method, used once). */
  async function authorize(url: URL, method: string, forceRefresh = false): Promise<{ token: string; dpop?: string }> {
    if (!client.getAuthHeaders) return { token: await client.getAccessToken(forceRefresh ? { forceRefresh } : {}) }
    const h = await client.getAuthHeaders(url, { method, ...(forceRefresh ? { forceRefresh } : {}) })
    const token = h.authorization.slice(h.authorization.indexOf(' ') + 1)
    return h.dpop === undefined ? { token } : { token, dpop: h.dpop }
  }

  /**
   * One request with the token, through oauth4webapi: it sets the header (the DPoP scheme when a
   * proof goes along), never lets fetch follow a redirect, and parses `WWW-Authenticate`
   * challenges (thrown with the response attached).
   */
  async function withToken(
    auth: { token: string; dpop?: string },
    method: string,
    url: URL,
    callerHeaders: Headers,
    body: ArrayBuffer | null,
    extras: RequestInit,
  ): Promise<Response> {
    const headers = new Headers(callerHeaders)
    if (auth.dpop !== undefined) headers.set('dpop', auth.dpop)
    // Loaded with the first request, not at start: the protocol code usually brought it already.
    const o = await import('./authFetchRequest')
    try {
      return await o.protectedResourceRequest(auth.token, method, url, headers, body, {
        [o.customFetch]: (href, init) => send(href, { ...extras, ...(init as RequestInit), redirect: 'manual' }),
        // The origin rules above decide where the token goes; a same-origin http page (local
        // development) or an allowed loopback origin may use plain HTTP.
        [o.allowInsecureRequests]: url.protocol === 'http:',
        ...(extras.signal ? { signal: extras.signal } : {}),
      })
    } catch (e) {
      if (e instanceof o.WWWAuthenticateChallengeError) return withChallenges(e.response, e.cause)
      throw e
    }
  }
}

const challengesOf = new WeakMap<Response, oauth.WWWAuthenticateChallenge[]>()

function withChallenges(response: Response, challenges: oauth.WWWAuthenticateChallenge[]): Response {
  challengesOf.set(response, challenges)
  return response
}

/** RFC 9470 §3: a `401` with `error="insufficient_user_authentication"` (Bearer or DPoP). */
const asksStepUp = (response: Response): boolean =>
  response.status === 401 && (challengesOf.get(response) ?? []).some((c) => (c.scheme === 'bearer' || c.scheme === 'dpop') && c.parameters.error === 'insufficient_user_authentication')

/** RFC 6750 §3.1 / RFC 9449 §7.1: the token expired, was revoked or is malformed; a new one may work. */
function isInvalidToken(response: Response): boolean {
  if (response.status !== 401) return false
  return (challengesOf.get(response) ?? []).some((c) => (c.scheme === 'bearer' || c.scheme === 'dpop') && c.parameters.error === 'invalid_token')
}

/** `https://api.example.com` (a trailing `/` is tolerated); anything with a path, query or credentials is refused. */
function exactOrigin(value: unknown): string {
  let url: URL
  try {
    if (typeof value !== 'string' || value.includes('*')) throw new TypeError('not an origin')
    url = new URL(value)
  } catch {
    throw optionError('allowedOrigins', 'must list absolute origins such as "https://api.example.com" (no wildcards)')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw optionError('allowedOrigins', 'must list http(s) origins')
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw optionError('allowedOrigins', 'must use https (plain http is allowed only on loopback hosts)')
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw optionError('allowedOrigins', `must list bare origins (no path, query or credentials): ${url.origin}`)
  }
  return url.origin
}
