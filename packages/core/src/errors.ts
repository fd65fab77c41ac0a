/**
 * Every failure the client reports, as one string-literal union. Our `code` says what went wrong
 * in tokenkeep's terms; a provider's own OAuth `error` is kept apart on {@link AuthError.error}.
 * Each member says when it happens and what the app should do; {@link https://github.com/tokenkeep/tokenkeep/blob/main/docs/errors.md | the errors page} has the same table.
 */
export type AuthErrorCode =
  /**
   * The callback's `state` is missing, unknown, expired or already used; or the `state` the
   * provider brought back after logout matches no pending logout. Nothing changed: offer
   * `login()` again (after a logout, the user is signed out here either way).
   */
  | 'ERR_CALLBACK_STATE_MISMATCH'
  /** The authorization response failed validation (`iss` mix-up, malformed parameters). Offer `login()` again. */
  | 'ERR_CALLBACK_INVALID'
  /**
   * The provider answered the authorization request with an error (`access_denied`, ...). Show it;
   * do not log in again by yourself (that loops).
   */
  | 'ERR_AUTHORIZATION'
  /**
   * The token endpoint rejected the request or answered something that is not a valid token
   * response. Usually configuration (public client, redirect URI): show a generic error, log `error`.
   */
  | 'ERR_TOKEN_RESPONSE'
  /** The ID token failed validation (nonce, aud, iss, azp, exp, iat, signature). Nothing stored; offer `login()` once. */
  | 'ERR_ID_TOKEN'
  /**
   * The ID token's `acr` claim is not one of the `acrValues` the login asked for: the provider
   * did not authenticate the user as strongly as asked. Nothing was stored; a session that
   * existed before that login is kept. Tell the user the step-up did not happen; offer it again.
   */
  | 'ERR_ACR_MISMATCH'
  /**
   * An API answered `401` with `WWW-Authenticate: Bearer error="insufficient_user_authentication"`
   * (RFC 9470): it wants a stronger or more recent sign-in, named on the error's `acrValues` /
   * `maxAgeS`. Raised by `createAuthFetch`; with its `stepUp` option it signs in again first, and
   * raises this only when the API still refuses after that. Offer `login()` with those values.
   */
  | 'ERR_STEP_UP_REQUIRED'
  /**
   * The userinfo endpoint (`protocol.userinfo`) failed or answered for another user (its `sub`
   * differs from the ID token's, OIDC Core 5.3.2). After a sign-in, nothing was stored; after a
   * refresh, the new tokens are kept with the claims known before. Offer `login()` after a
   * failed sign-in; nothing to do after a refresh.
   */
  | 'ERR_USERINFO'
  /**
   * Provider metadata could not be fetched or is invalid; the message names the address asked,
   * the status and a redirect's `Location`. A redirect or 404: set `provider.metadataUrl` (or
   * `provider.metadata`); an issuer mismatch: check the `issuer` option; a 5xx: retry later.
   */
  | 'ERR_DISCOVERY'
  /** The request never got an HTTP answer (offline, DNS, CORS, timeout). Retried in the background; show "offline". */
  | 'ERR_NETWORK'
  /** The browser blocked the popup window. Call `login({ popup: true })` inside the click, or use `fallbackToRedirect`. */
  | 'ERR_POPUP_BLOCKED'
  /** The user closed the popup before finishing. Nothing to do. */
  | 'ERR_POPUP_CLOSED'
  /** The popup did not finish within the configured time. Offer to try again. */
  | 'ERR_POPUP_TIMEOUT'
  /** A popup login is already open. Wait for the first `login()` to settle. */
  | 'ERR_POPUP_IN_PROGRESS'
  /**
   * Silent authorization (`prompt=none`) got no answer from its hidden iframe in time (framing
   * forbidden by the provider, callback page missing, offline). Transient: the session is kept
   * while its token is valid and the renewal is retried.
   */
  | 'ERR_SILENT_AUTH'
  /** A refresh failed for a transient reason; the session is kept while it is valid and retried. Nothing to do. */
  | 'ERR_REFRESH_FAILED'
  /**
   * The provider ended the session (`invalid_grant`; `login_required`, `interaction_required`,
   * `consent_required` from silent renewal); the user must sign in again: tell them and offer
   * `login()`.
   */
  | 'ERR_SESSION_EXPIRED'
  /**
   * There is no session, or its access token expired with no way to renew it (no refresh token
   * and no `refresh.silent`), so an interactive login is needed: call `login()`.
   */
  | 'ERR_LOGIN_REQUIRED'
  /**
   * The token store failed or held a record that could not be read; the client fell back to
   * memory. The page keeps working; the user signs in again next time. Rejected by a redirect
   * `login()` whose pending login could only be kept in memory (it would not survive the trip to
   * the provider): log in with a popup instead.
   */
  | 'ERR_STORAGE'
  /**
   * The session's DPoP key pair is gone (storage cleared, a private window, a browser that cannot
   * store `CryptoKey`s): its tokens cannot be used any more, so the session ended; sign in again.
   */
  | 'ERR_DPOP_KEY'
  /**
   * There is no browser page in this runtime (a server render, a test runner without a DOM):
   * `start()` settles as `unauthenticated` with this error, and `login()`, `logout()` and
   * `getAccessToken()` reject with it. Start the client in the browser.
   */
  | 'ERR_NO_BROWSER'

/** Options for {@link AuthError}. */
export interface AuthErrorOptions {
  /** The underlying failure (a `TypeError` from `fetch`, an oauth4webapi error, ...). */
  cause?: unknown
  /** The OAuth `error` the provider sent, if any. */
  error?: string
  /** The OAuth `error_description` the provider sent, if any. */
  errorDescription?: string
  /** HTTP status of the response that caused the error, if any. */
  status?: number
  /** How long the provider asked the client to wait (`Retry-After`), in ms. */
  retryAfterMs?: number
}

/** The mark every AuthError carries (see AuthError's `instanceof`); shared across copies of the module. */
const AUTH_ERROR = Symbol.for('tokenkeep.AuthError')

/**
 * The one error class of tokenkeep. `code` is ours; `error` / `errorDescription` are the
 * provider's. Messages and enumerable properties never contain tokens.
 *
 * @example
 * ```ts
 * try { await auth.getAccessToken() } catch (e) {
 *   if (e instanceof AuthError && e.code === 'ERR_LOGIN_REQUIRED') await auth.login()
 * }
 * ```
 */
export class AuthError extends Error {
  /**
   * `instanceof AuthError` holds for any error marked as one (`Symbol.for('tokenkeep.AuthError')`),
   * not only for this class's own: errors made by the adapters' test doubles (which do not load
   * the client) or by a second copy of this package count too.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[AUTH_ERROR] === true
  }

  /** Always `'AuthError'`. */
  override readonly name = 'AuthError'
  /** What went wrong, in tokenkeep's terms: branch on this. */
  readonly code: AuthErrorCode
  /** The OAuth `error` the provider sent (`invalid_grant`, `access_denied`, ...), if any. */
  declare readonly error?: string
  /** The provider's `error_description`, if any: for logs, not for branching. */
  declare readonly errorDescription?: string
  /** HTTP status of the response that caused the error, if any. */
  declare readonly status?: number
  /**
   * How long the provider asked the client to wait before its next request, in ms: its
   * `Retry-After` on a `429` or `503` (seconds or an HTTP-date, capped at 5 minutes). The
   * client's own retries honour it.
   */
  declare readonly retryAfterMs?: number
  /** `ERR_STEP_UP_REQUIRED`: the authentication context classes the API asked for (its `acr_values`), if any. */
  declare readonly acrValues?: readonly string[]
  /** `ERR_STEP_UP_REQUIRED`: how recent the sign-in must be, in seconds (the API's `max_age`), if it said. */
  declare readonly maxAgeS?: number

  /**
   * Creates an error; the client does this, apps mostly need it to fake failures in their tests.
   *
   * @param code one of {@link AuthErrorCode}
   * @param message a human-readable message; never put a token in it
   * @param options the cause and the provider's own error fields
   */
  constructor(code: AuthErrorCode, message: string, options: AuthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    Object.defineProperty(this, AUTH_ERROR, { value: true })
    this.code = code
    if (options.error !== undefined) this.error = options.error
    if (options.errorDescription !== undefined) this.errorDescription = options.errorDescription
    if (options.status !== undefined) this.status = options.status
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs
  }
}

/** `new AuthError(code, message, { cause })` as a function, for the lazily loaded modules that take it instead of importing this one. */
export const authError = (code: AuthErrorCode, message: string, cause?: unknown): AuthError => new AuthError(code, message, { cause })

/**
 * `e` as it is when it is an AuthError or a caller mistake (TypeError), else an AuthError with
 * `code` and `e` as its cause. For opt-in features that must not load the protocol's error mapping.
 */
export const asAuthError = (e: unknown, code: AuthErrorCode, message: string): AuthError | TypeError =>
  e instanceof AuthError || e instanceof TypeError ? e : new AuthError(code, message, { cause: e })

/** True when `e` is an {@link AuthError}, optionally with the given code. */
export function isAuthError(e: unknown, code?: AuthErrorCode): e is AuthError {
  return e instanceof AuthError && (code === undefined || e.code === code)
}

/** A caller mistake: a `TypeError` that names the option and carries a stable `code`. */
export function optionError(option: string, message: string): TypeError & { code: string } {
  const err = new TypeError(`tokenkeep: option "${option}" ${message}`) as TypeError & { code: string }
  err.code = 'ERR_INVALID_OPTION'
  return err
}
