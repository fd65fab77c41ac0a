// The typed authorization request options shared by the client's `login` defaults and each
// `login({ ... })` call, with their validation and their wire form. A leaf: no OAuth requests.
import { optionError } from '../errors'

/**
 * `prompt` values (OpenID Connect Core 3.1.2.1; `create` from Initiating User Registration via
 * OpenID Connect 1.0). `none` asks the provider not to show any page: it answers
 * `login_required` (or another `*_required` error) when it would have to.
 */
export type Prompt = 'none' | 'login' | 'consent' | 'select_account' | 'create'

const PROMPTS: readonly string[] = ['none', 'login', 'consent', 'select_account', 'create']

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

function list(where: string, value: unknown, each: (v: string) => boolean, rule: string): readonly string[] | undefined {
  if (value === undefined) return undefined
  const values = typeof value === 'string' ? [value] : value
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string' && each(v))) {
    throw optionError(where, `must be ${rule}, or a non-empty array of them`)
  }
  return Object.freeze([...(values as string[])])
}

const token = (v: string) => v !== '' && !/\s/.test(v)

function absoluteUri(v: string): boolean {
  try {
    return !new URL(v).hash && !v.includes('#')
  } catch {
    return false
  }
}

/**
 * Checks typed authorization options and returns them in wire form (lists as arrays). `where`
 * prefixes the option names in errors: `'login'` for the client's defaults and for a call.
 *
 * @throws TypeError `ERR_INVALID_OPTION` naming the bad option (`login.maxAgeS`, ...).
 */
export function checkAuthorizationOptions(where: string, options: AuthorizationOptions | undefined): AuthorizationRequestParams {
  if (options === undefined) return {}
  if (typeof options !== 'object' || options === null) throw optionError(where, 'must be an object')
  const { prompt, maxAgeS, loginHint } = options
  if (prompt !== undefined && !PROMPTS.includes(prompt)) throw optionError(`${where}.prompt`, `must be one of ${PROMPTS.join(', ')}`)
  if (maxAgeS !== undefined && !(Number.isSafeInteger(maxAgeS) && maxAgeS >= 0)) {
    throw optionError(`${where}.maxAgeS`, 'must be a whole, non-negative number of seconds')
  }
  if (loginHint !== undefined && (typeof loginHint !== 'string' || loginHint === '')) {
    throw optionError(`${where}.loginHint`, 'must be a non-empty string')
  }
  const acrValues = list(`${where}.acrValues`, options.acrValues, token, 'a string without spaces')
  const uiLocales = list(`${where}.uiLocales`, options.uiLocales, token, 'a language tag')
  const resource = list(`${where}.resource`, options.resource, absoluteUri, 'an absolute URI without a fragment')
  const out: { -readonly [K in keyof AuthorizationRequestParams]: AuthorizationRequestParams[K] } = {}
  if (prompt !== undefined) out.prompt = prompt
  if (maxAgeS !== undefined) out.maxAgeS = maxAgeS
  if (acrValues) out.acrValues = acrValues
  if (loginHint !== undefined) out.loginHint = loginHint
  if (uiLocales) out.uiLocales = uiLocales
  if (resource) out.resource = resource
  return Object.freeze(out)
}

/** Extra authorization request parameters; an array sends the parameter once per value. */
export type AuthorizationParams = Readonly<Record<string, string | readonly string[]>>

/**
 * Checks `authorizationParams`: string values, or arrays of strings for repeated parameters.
 *
 * @throws TypeError `ERR_INVALID_OPTION`
 */
export function checkAuthorizationParams(where: string, params: unknown): AuthorizationParams {
  if (params === undefined) return {}
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw optionError(where, 'must be an object')
  const out: Record<string, string | readonly string[]> = {}
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string') out[key] = value
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[key] = Object.freeze([...value])
    else throw optionError(`${where}.${key}`, 'must be a string or an array of strings')
  }
  return Object.freeze(out)
}

/**
 * Checks `login({ appState })` and returns it as it will come back: through JSON, so the app
 * gets the same value from every store (IndexedDB would keep a `Date`, web storage would not).
 *
 * @throws TypeError `ERR_INVALID_OPTION` for a value JSON cannot carry (function, bigint, cycle).
 */
export function checkAppState(value: unknown): unknown {
  if (value === undefined) return undefined
  let json: string | undefined
  try {
    json = JSON.stringify(value)
  } catch {
    json = undefined
  }
  if (json === undefined) throw optionError('login.appState', 'must be JSON-serialisable (no functions, bigints or cycles)')
  return JSON.parse(json) as unknown
}
