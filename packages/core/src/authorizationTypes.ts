// The typed authorization request options, as types only: the public API names them, and the
// protocol (protocol/loginOptions.ts) checks them when a login needs them.

/**
 * `prompt` values (OpenID Connect Core 3.1.2.1; `create` from Initiating User Registration via
 * OpenID Connect 1.0). `none` asks the provider not to show any page: it answers
 * `login_required` (or another `*_required` error) when it would have to.
 */
export type Prompt = 'none' | 'login' | 'consent' | 'select_account' | 'create'

/**
 * Typed authorization request options: the client's defaults (`login: { ... }`) and each
 * `login({ ... })` call take them; a call's values replace the defaults one by one.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 * @see https://www.rfc-editor.org/rfc/rfc8707 (resource indicators)
 */
export interface AuthorizationOptions {
  /** What the provider should show: `'login'` re-authenticates, `'select_account'` offers the account chooser, ... */
  prompt?: Prompt
  /**
   * Maximum age of the user's authentication, in seconds (`max_age`). The ID token's `auth_time`
   * is then required and checked by oauth4webapi (30 s clock tolerance); `0` forces a fresh
   * authentication that the client can verify (unlike `prompt: 'login'`, which it cannot).
   * A token older than asked is rejected with `ERR_ID_TOKEN`.
   */
  maxAgeS?: number
  /**
   * Authentication context class references to ask for (`acr_values`, in order of preference).
   * The ID token's `acr` claim must then be one of them, or the sign-in fails with
   * `ERR_ACR_MISMATCH` and nothing is stored. To send `acr_values` as a mere hint (some providers
   * use it to pick an upstream identity provider), put it in `authorizationParams` instead.
   */
  acrValues?: string | readonly string[]
  /** Pre-fills the provider's login form (`login_hint`, e.g. an email address). */
  loginHint?: string
  /** Preferred languages of the provider's pages, as BCP 47 tags (`ui_locales`). */
  uiLocales?: string | readonly string[]
  /**
   * RFC 8707 resource indicators: absolute URIs (no fragment) of the APIs the access token is
   * for. Sent, every value, on the authorization request, the code exchange and every refresh of
   * the session that login started, so the token stays audience-restricted to them.
   */
  resource?: string | readonly string[]
}

/** The same options, checked and in wire form: what the authorization request carries. */
export interface AuthorizationRequestParams {
  readonly prompt?: Prompt
  readonly maxAgeS?: number
  readonly acrValues?: readonly string[]
  readonly loginHint?: string
  readonly uiLocales?: readonly string[]
  readonly resource?: readonly string[]
}

/** Extra authorization request parameters; an array sends the parameter once per value. */
export type AuthorizationParams = Readonly<Record<string, string | readonly string[]>>
