// The one way from the start path into the protocol: a dynamic import, so a page load that finds
// a valid stored session downloads none of it. Loaded on login() / logout(), when start() finds a
// response from the provider in the URL, when a renewal is due, and once in idle time after start().
import { AuthError, isAuthError, optionError } from '../errors'
import { absoluteUrl, secureUrl } from '../options'
import type { Kit } from '../protocol/kit'
import { CALLBACK_PARAMS, callbackState } from '../responseUrl'
import { parseSession, renewAfter } from '../session/session'
import type { Protocol } from './protocolApi'

/** What the protocol borrows from the start path instead of importing it (see protocol/kit.ts). */
export const kit: Kit = { AuthError, isAuthError, optionError, absoluteUrl, secureUrl, parseSession, renewAfter, CALLBACK_PARAMS, callbackState }

export type { Protocol }
export type ProtocolModule = typeof import('../protocol/protocol')

/**
 * Loads the protocol once; a failed load (offline, a chunk gone after a redeploy) rejects with
 * `ERR_NETWORK`, like a request that got no answer, and the next call tries again. A bad protocol
 * option is a caller mistake: its TypeError passes through.
 */
export function protocolLoader(create: (m: ProtocolModule) => Protocol): () => Promise<Protocol> {
  let loading: Promise<Protocol> | undefined
  return () =>
    (loading ??= import('../protocol/protocol').then(create, (cause: unknown) => {
      loading = undefined
      throw new AuthError('ERR_NETWORK', 'Could not load the sign-in code (offline, or the app was updated meanwhile); try again', { cause })
    }))
}
