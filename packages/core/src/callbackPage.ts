// Options shared by the opt-in login modes that land on a page of their own (popup, silent
// renewal): where that page is, and how long to wait for it.
import { optionError } from './errors'

/**
 * Validates a callback page's `redirectUri` (absolute, no fragment) and `timeoutMs` (positive).
 *
 * @param option the option's path in the client options, e.g. `'popup'` or `'refresh.silent'`
 * @param factory how the option is made, for the error message, e.g. `'popupLogin({ redirectUri })'`
 * @throws TypeError `ERR_INVALID_OPTION` naming the option.
 */
export function callbackPageOptions(
  option: string,
  factory: string,
  options: { redirectUri: string; timeoutMs?: number },
  defaultTimeoutMs: number,
): { uri: URL; timeoutMs: number } {
  if (typeof options !== 'object' || options === null) throw optionError(option, `must be ${factory}`)
  let uri: URL
  try {
    uri = new URL(options.redirectUri)
  } catch {
    throw optionError(`${option}.redirectUri`, 'must be an absolute URL')
  }
  if (uri.hash) throw optionError(`${option}.redirectUri`, 'must not contain a fragment')
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw optionError(`${option}.timeoutMs`, 'must be a positive number of milliseconds')
  }
  return { uri, timeoutMs }
}

/**
 * The callback page must never be the main redirect URI: a client started there would take the
 * response for itself.
 *
 * @throws TypeError `ERR_INVALID_OPTION` naming `${option}.redirectUri`.
 */
export function assertOwnCallbackPage(option: string, uri: URL, mainRedirectUri: string): void {
  const main = new URL(mainRedirectUri)
  if (uri.origin === main.origin && uri.pathname === main.pathname) {
    throw optionError(`${option}.redirectUri`, 'must be a different page than redirectUri')
  }
}
