// The typed authorization request options shared by the client's `login` defaults and each
// `login({ ... })` call, with their validation and their wire form. A leaf: no OAuth requests.
import type { AuthorizationOptions, AuthorizationParams, AuthorizationRequestParams, Prompt } from '../authorizationTypes'
import { optionError } from './kit'

export type { AuthorizationOptions, AuthorizationParams, AuthorizationRequestParams, Prompt }

const PROMPTS: readonly string[] = ['none', 'login', 'consent', 'select_account', 'create']

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
