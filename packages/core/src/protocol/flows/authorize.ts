import * as oauth from 'oauth4webapi'
import type { AuthorizationParams, AuthorizationRequestParams } from '../loginOptions'
import type { HttpOptions } from './http'
import { pushAuthorizationRequest } from './par'
import { AuthError } from '../kit'

/**
 * A pending authorization request, stored under its own `state` until the callback consumes it
 * (single use) or it expires.
 */
export interface Transaction {
  readonly state: string
  readonly codeVerifier: string
  /** Present when `openid` is in scope; the ID token must echo it. */
  readonly nonce?: string
  readonly redirectUri: string
  /** Same-origin path to land on after the callback. */
  readonly returnTo?: string
  readonly mode: 'redirect' | 'popup' | 'silent'
  readonly expiresAt: number
  /** Id of the DPoP key pair this login is bound to (`protocol.dpop`); the code exchange proves it. */
  readonly dpopKey?: string
  /** The app's `login({ appState })`, as JSON: handed back after the sign-in, never sent. */
  readonly appState?: unknown
  /** `max_age` that was sent: the ID token's `auth_time` must be within it. */
  readonly maxAgeS?: number
  /** `acrValues` the app asked for: the ID token's `acr` must be one of them. */
  readonly acrValues?: readonly string[]
  /** RFC 8707 `resource` values that were sent: the token requests carry them too. */
  readonly resource?: readonly string[]
}

export interface AuthorizationRequest {
  readonly url: URL
  readonly transaction: Transaction
}

export interface AuthorizeParams {
  readonly clientId: string
  readonly redirectUri: string
  readonly scope: string
  readonly mode: 'redirect' | 'popup' | 'silent'
  readonly returnTo?: string
  readonly now: number
  readonly ttlMs: number
  /**
   * Extra parameters (`audience`, ...; an array repeats the parameter). Cannot override the
   * protected ones; the typed `authorization` options replace parameters of the same name.
   */
  readonly extraParams?: AuthorizationParams
  /** Typed options (prompt, max_age, acr_values, login_hint, ui_locales, resource), already checked. */
  readonly authorization?: AuthorizationRequestParams
  /** Kept in the transaction only (JSON-serialisable; see `login({ appState })`). */
  readonly appState?: unknown
  /**
   * Push the parameters to the provider first (RFC 9126); the URL then carries only `client_id`
   * and `request_uri`. Give it when the provider requires PAR
   * (`require_pushed_authorization_requests`) or the app asked for it (`protocol.par: 'always'`).
   */
  readonly push?: { readonly client: oauth.Client; readonly http: HttpOptions }
  /**
   * DPoP (RFC 9449 §10): the key this login is bound to. Without `push`, its thumbprint goes out
   * as `dpop_jkt`; with `push`, the PAR request's proof binds it (`push.http` signs requests).
   */
  readonly dpop?: { readonly keyId: string; readonly jkt: string }
}

/** Parameters the SDK owns; an app cannot override them through extra parameters. */
const PROTECTED = new Set([
  'client_id',
  'redirect_uri',
  'response_type',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'scope',
  'dpop_jkt',
])

/**
 * Builds an Authorization Code request with PKCE S256, `state` and (for OpenID) `nonce`.
 *
 * With `push`, the parameters go to the provider's PAR endpoint and the returned URL carries only
 * `client_id` and the `request_uri` it answered.
 *
 * The transaction records what the response must then satisfy, from what is actually sent:
 * a `max_age` (typed `maxAgeS` or a raw parameter) makes `auth_time` required and checked; typed
 * `acrValues` make the `acr` claim checked; every `resource` value is carried to the token
 * requests (RFC 8707).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636 (PKCE)
 * @see https://www.rfc-editor.org/rfc/rfc8707 (resource indicators)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 * @see https://www.rfc-editor.org/rfc/rfc9126 (PAR)
 * @throws AuthError `ERR_DISCOVERY`; with `push`: `ERR_AUTHORIZATION` (the provider refused the
 *   pushed request, its OAuth `error` kept), `ERR_NETWORK`, and see `pushAuthorizationRequest`
 *   for a provider without a PAR endpoint.
 */
export async function createAuthorizationRequest(
  as: oauth.AuthorizationServer,
  params: AuthorizeParams,
): Promise<AuthorizationRequest> {
  if (!as.authorization_endpoint) {
    throw new AuthError('ERR_DISCOVERY', 'The provider metadata has no authorization_endpoint')
  }
  const codeVerifier = oauth.generateRandomCodeVerifier()
  const state = oauth.generateRandomState()
  const openid = params.scope.split(' ').includes('openid')
  const nonce = openid ? oauth.generateRandomNonce() : undefined

  const url = new URL(as.authorization_endpoint)
  const set = (key: string, value: string | readonly string[] | undefined) => {
    if (value === undefined || PROTECTED.has(key)) return
    url.searchParams.delete(key)
    for (const v of typeof value === 'string' ? [value] : value) url.searchParams.append(key, v)
  }
  for (const [key, value] of Object.entries(params.extraParams ?? {})) set(key, value)
  const a = params.authorization ?? {}
  set('prompt', a.prompt)
  set('max_age', a.maxAgeS?.toString())
  set('acr_values', a.acrValues?.join(' '))
  set('login_hint', a.loginHint)
  set('ui_locales', a.uiLocales?.join(' '))
  set('resource', a.resource)
  url.searchParams.set('client_id', params.clientId)
  url.searchParams.set('redirect_uri', params.redirectUri)
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('scope', params.scope)
  url.searchParams.set('state', state)
  if (nonce) url.searchParams.set('nonce', nonce)
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier))
  url.searchParams.set('code_challenge_method', 'S256')
  // What the response must satisfy, read from what is actually sent (typed or raw parameters).
  const maxAge = url.searchParams.get('max_age')
  const maxAgeS = maxAge !== null && /^\d+$/.test(maxAge) ? Number(maxAge) : undefined
  const resource = url.searchParams.getAll('resource')
  if (params.dpop && !params.push) url.searchParams.set('dpop_jkt', params.dpop.jkt)

  return {
    url: params.push ? await pushAuthorizationRequest(as, params.push, url) : url,
    transaction: {
      state,
      codeVerifier,
      ...(nonce === undefined ? {} : { nonce }),
      redirectUri: params.redirectUri,
      ...(params.returnTo === undefined ? {} : { returnTo: params.returnTo }),
      mode: params.mode,
      expiresAt: params.now + params.ttlMs,
      ...(params.dpop ? { dpopKey: params.dpop.keyId } : {}),
      ...(params.appState === undefined ? {} : { appState: params.appState }),
      ...(maxAgeS === undefined ? {} : { maxAgeS }),
      ...(a.acrValues ? { acrValues: a.acrValues } : {}),
      ...(resource.length ? { resource } : {}),
    },
  }
}

/** Shape check for a transaction read back from storage. */
export function parseTransaction(value: unknown): Transaction | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const t = value as Record<string, unknown>
  if (
    typeof t.state !== 'string' ||
    typeof t.codeVerifier !== 'string' ||
    typeof t.redirectUri !== 'string' ||
    typeof t.expiresAt !== 'number' ||
    (t.mode !== 'redirect' && t.mode !== 'popup' && t.mode !== 'silent') ||
    (t.nonce !== undefined && typeof t.nonce !== 'string') ||
    (t.returnTo !== undefined && typeof t.returnTo !== 'string') ||
    (t.dpopKey !== undefined && typeof t.dpopKey !== 'string') ||
    (t.maxAgeS !== undefined && typeof t.maxAgeS !== 'number') ||
    !optionalStrings(t.acrValues) ||
    !optionalStrings(t.resource)
  ) {
    return undefined
  }
  return value as Transaction
}

function optionalStrings(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.every((v) => typeof v === 'string'))
}
