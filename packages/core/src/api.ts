// The public shape of the client, apart from the code that builds it: `client.ts` implements it,
// and the popup and silent hooks import `LoginOptions` from here, so nothing imports the client.
import type { AuthorizationOptions, AuthorizationParams } from './authorizationTypes'
import type { AuthSnapshot } from './store'

/**
 * Options of {@link AuthClient.login}: the typed authorization options (`prompt`, `maxAgeS`,
 * `acrValues`, `loginHint`, `uiLocales`, `resource`; they replace the client's `login` defaults
 * one by one), app state, and where to land. See {@link https://github.com/tokenkeep/tokenkeep/blob/main/packages/core/docs/login-options.md | login options}.
 *
 * @example
 * ```ts
 * auth.login({ appState: { draft } })                        // back on getSnapshot().appState
 * auth.login({ popup: true, maxAgeS: 0, prompt: 'login' })   // re-authenticate
 * auth.login({ acrValues: 'urn:example:mfa' })               // step-up (acr checked)
 * ```
 */
export interface LoginOptions extends AuthorizationOptions {
  /**
   * Same-origin path (with query and hash) to land on after signing in. Default: the current
   * page. Anything that resolves to another origin is refused (no open redirects).
   */
  returnTo?: string
  /**
   * Any JSON-serialisable value, kept in the pending login's transaction (in storage, never in a
   * URL) and handed back on the snapshot (`getSnapshot().appState`) once this sign-in is done,
   * by redirect or popup. It comes back as it went through JSON.
   */
  appState?: unknown
  /** Extra authorization parameters for this request under their wire names; a list repeats one. */
  authorizationParams?: AuthorizationParams
  /**
   * Log in in a popup instead of leaving the page (needs the client's `popup: popupLogin(...)`).
   * `true` opens the window; a `Window` you opened yourself is used as it is (show `about:blank`
   * or a page of your origin in it); `null` (what `window.open` returns when blocked) counts as a
   * blocked popup. `returnTo` does not apply: the page stays where it is.
   */
  popup?: boolean | Window | null
}

/** Options of {@link AuthClient.logout}. */
export interface LogoutOptions {
  /** Only forget the session in this browser; do not visit the provider. Default false. */
  localOnly?: boolean
  /** Overrides `postLogoutRedirectUri` for this call. */
  postLogoutRedirectUri?: string
  /**
   * Send the ID token as `id_token_hint` to the end-session endpoint. Off by default so no token
   * appears in a URL; some providers need it to honour `post_logout_redirect_uri`.
   */
  idTokenHint?: boolean
  /**
   * The provider's own logout address, for providers whose logout is not OpenID Connect
   * RP-initiated logout (Amazon Cognito's `/logout?client_id=…&logout_uri=…`, Auth0's
   * `/v2/logout?client_id=…&returnTo=…`). After the local logout and the revocation, the browser
   * goes here, exactly as given, instead of to the `end_session_endpoint`; it goes here even when
   * the provider's metadata cannot be fetched. HTTPS, except on loopback hosts. Ignored with
   * `localOnly`.
   *
   * @throws TypeError `ERR_INVALID_OPTION` (from `logout()`, before anything is forgotten) for a
   *   relative or non-HTTPS URL.
   */
  logoutUrl?: string | URL
}

/**
 * Headers that authorize one API request (see {@link AuthClient.getAuthHeaders}): `authorization`
 * (`Bearer <token>`, or `DPoP <token>` with `protocol.dpop`) and, with DPoP, the `dpop` proof
 * made for exactly that method and URL.
 */
export interface AuthHeaders {
  /** `Bearer <access token>`, or `DPoP <access token>` for a DPoP-bound token. */
  authorization: string
  /** The DPoP proof for this method and URL (single use); absent for Bearer tokens. */
  dpop?: string
}

/** The browser auth client. Create it with `createAuthClient`. */
export interface AuthClient {
  /**
   * Restores a stored session (no network request while it is valid) or finishes a pending
   * redirect login, then keeps tokens fresh. Never throws: problems land on the snapshot.
   * Safe in any JavaScript runtime: without a browser page (a server render, plain Node) it
   * settles at once as `unauthenticated` with `error.code === 'ERR_NO_BROWSER'`.
   */
  start(): Promise<void>
  /** Detaches timers and listeners. `start()` may be called again. */
  stop(): void
  /**
   * Signs in with Authorization Code + PKCE: redirects to the provider, or with `popup` opens
   * the provider in a popup and resolves once the user is signed in. Call it directly in the
   * click handler, before any `await`, so the browser allows the popup.
   *
   * @throws AuthError (popup) `ERR_POPUP_BLOCKED`, `ERR_POPUP_CLOSED`, `ERR_POPUP_TIMEOUT`,
   *   `ERR_POPUP_IN_PROGRESS`, `ERR_AUTHORIZATION` (provider said no, e.g. `access_denied`),
   *   `ERR_CALLBACK_INVALID`, `ERR_TOKEN_RESPONSE`, `ERR_ID_TOKEN`; (both) `ERR_DISCOVERY`, `ERR_NETWORK`,
   *   `ERR_AUTHORIZATION` (the provider refused a pushed authorization request, RFC 9126),
   *   `ERR_ACR_MISMATCH` (the `acr` is not one of `acrValues`), `ERR_ID_TOKEN` (also: `auth_time`
   *   older than `maxAgeS`), `ERR_USERINFO` (`protocol.userinfo`); (redirect) `ERR_STORAGE` before
   *   leaving the page when storage failed so that the pending login could not survive the trip
   *   (log in with a popup instead). While signed in, a failed login keeps the session: only a
   *   successful one replaces it.
   * @throws TypeError `ERR_INVALID_OPTION` for a cross-origin `returnTo`, `popup` without the client's
   *   `popup` option, a bad typed option or `appState` (before a popup opens), or
   *   `protocol.par: 'always'` against a provider without a PAR endpoint.
   * @throws AuthError `ERR_NO_BROWSER` in a runtime without a browser page (a server render).
   */
  login(options?: LoginOptions): Promise<void>
  /**
   * Signs out: forgets the session here, revokes the refresh token, then redirects to the
   * provider's end-session endpoint when it has one (unless `localOnly`). The snapshot's
   * `status` is `'signingOut'` from the call on (synchronously, before anything is awaited) and
   * stays so while the page leaves; a logout that does not leave the page ends in
   * `'unauthenticated'`. Guards must not start a login meanwhile (the adapters' do not).
   *
   * @throws AuthError `ERR_NO_BROWSER` in a runtime without a browser page (a server render).
   */
  logout(options?: LogoutOptions): Promise<void>
  /**
   * The signed-in user's profile (the snapshot's `user`), or null: the ID token's claims (with
   * userinfo's when `protocol.userinfo` is on) without the protocol claims (`iss`, `aud`, `exp`,
   * `iat`, `nbf`, `nonce`, `azp`, `auth_time`, `acr`, `amr`, `sid`, `jti`, `cnf`, the hashes);
   * `protocol.protocolClaims: true` keeps them. See {@link AuthClient.getIdTokenClaims}.
   */
  getUser(): Readonly<Record<string, unknown>> | null
  /**
   * Every claim of the current ID token, as the provider issued it and the client validated it
   * (`acr`, `amr`, `auth_time`, `sid`, ...; no userinfo claims), or null without a session or an
   * ID token. auth0-spa-js's `getIdTokenClaims()`, oidc-client-ts's unfiltered `profile`.
   *
   * @example
   * ```ts
   * const acr = auth.getIdTokenClaims()?.acr
   * ```
   */
  getIdTokenClaims(): Readonly<Record<string, unknown>> | null
  /**
   * A valid access token, renewed first when it is inside the refresh leeway. `forceRefresh`
   * renews it now (once for all tabs: a token another tab renewed meanwhile is used as it is),
   * e.g. after an API answered `401 invalid_token`; `createAuthFetch` does that for you.
   *
   * @throws AuthError `ERR_LOGIN_REQUIRED` without a session, or once its token expired with nothing
   *   to renew it (no refresh token, no `refresh.silent`); `ERR_SESSION_EXPIRED` when the provider
   *   ended it; `ERR_REFRESH_FAILED` / `ERR_NETWORK` / `ERR_SILENT_AUTH` when renewal failed and the token expired;
   *   `ERR_NO_BROWSER` in a runtime without a browser page (a server render).
   */
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>
  /**
   * The headers that authorize one request to your API with a valid access token (renewed first,
   * as by {@link AuthClient.getAccessToken}): `authorization: Bearer <token>`, or with
   * `protocol.dpop` `authorization: DPoP <token>` and `dpop`, a proof made for exactly this method
   * and URL (RFC 9449 §7). A proof is single use: build headers for every request.
   * `createAuthFetch` does all of this for you.
   *
   * @example
   * ```ts
   * const url = 'https://api.example.com/orders'
   * let res = await fetch(url, { headers: { ...(await auth.getAuthHeaders(url)) } })
   * if (auth.handleDPoPNonce(url, res)) res = await fetch(url, { headers: { ...(await auth.getAuthHeaders(url)) } })
   * ```
   * @throws AuthError as {@link AuthClient.getAccessToken}; `ERR_DPOP_KEY` when the session's key is gone.
   */
  getAuthHeaders(url: string | URL, options?: { method?: string; forceRefresh?: boolean }): Promise<AuthHeaders>
  /**
   * For apps that call APIs with {@link AuthClient.getAuthHeaders}: reads the answer, remembers
   * its `DPoP-Nonce` for that origin, and returns true when the server asked for a nonce (`401`
   * with `WWW-Authenticate: DPoP error="use_dpop_nonce"`, RFC 9449 §9): then send the request
   * again, once, with new headers. Always false without DPoP. For another origin, its CORS answer
   * must expose `DPoP-Nonce` and `WWW-Authenticate`.
   */
  handleDPoPNonce(url: string | URL, response: Response): boolean
  /** Listens for snapshot changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
  /** The current snapshot; the same object until something changes. */
  getSnapshot(): AuthSnapshot
}
