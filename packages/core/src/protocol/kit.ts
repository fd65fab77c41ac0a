// The start path's values that the protocol uses (the error class, URL and session checks),
// handed over by createProtocol when the protocol loads. Imported directly, the modules holding
// them would be shared by the start bundle and the protocol's chunk, and bundlers would put them
// in a chunk of their own that every page load fetches as a second file (measured in a Vite app
// build: 370 B min+gzip more at start). Protocol modules import these names from here.
import type * as errors from '../errors'
import type * as responseUrl from '../responseUrl'
import type * as session from '../session/session'

export interface Kit {
  readonly AuthError: typeof errors.AuthError
  readonly isAuthError: typeof errors.isAuthError
  readonly optionError: typeof errors.optionError
  /** options.ts absoluteUrl: an absolute URL, or a TypeError naming `option`. */
  readonly absoluteUrl: (option: string, value: unknown) => URL
  /** options.ts secureUrl: an absolute HTTPS URL (HTTP on loopback only), or a TypeError naming `option`. */
  readonly secureUrl: (option: string, value: unknown) => URL
  readonly parseSession: typeof session.parseSession
  readonly renewAfter: typeof session.renewAfter
  readonly CALLBACK_PARAMS: typeof responseUrl.CALLBACK_PARAMS
  readonly callbackState: typeof responseUrl.callbackState
}

export let AuthError: Kit['AuthError']
// The class's instance type under the same name, for the protocol's type annotations.
export type AuthError = errors.AuthError
export let isAuthError: Kit['isAuthError']
export let optionError: Kit['optionError']
export let absoluteUrl: Kit['absoluteUrl']
export let secureUrl: Kit['secureUrl']
export let parseSession: Kit['parseSession']
export let renewAfter: Kit['renewAfter']
export let CALLBACK_PARAMS: Kit['CALLBACK_PARAMS']
export let callbackState: Kit['callbackState']

/** Called once by createProtocol (and by the unit tests' setup) before any protocol code runs. */
export function installKit(kit: Kit): void {
  ;({ AuthError, isAuthError, optionError, absoluteUrl, secureUrl, parseSession, renewAfter, CALLBACK_PARAMS, callbackState } = kit)
}
