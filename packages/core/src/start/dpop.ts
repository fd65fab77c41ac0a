// DPoP (protocol.dpop): the client reaches its code (jose's signing, the key store, the policy in
// dpop/wiring.ts) through a dynamic import on first use, so clients without the option load none
// of it and pay only for these few lines.
import { AuthError, authError } from '../errors'
import type { DPoPWiring } from '../dpop/types'
import type { HttpOptions } from '../protocol/flows/http'
import type { ResolvedOptions } from '../options'
import type { ClientStorage } from './clientStorage'

/** Loads the DPoP part once; `ready` holds it once loaded (for synchronous checks). */
export type LazyDPoP = (() => Promise<DPoPWiring>) & { ready?: DPoPWiring }

export function lazyDPoP(opts: ResolvedOptions, storage: ClientStorage, http: HttpOptions): LazyDPoP | undefined {
  if (!opts.dpop) return undefined
  let part: Promise<DPoPWiring> | undefined
  const load: LazyDPoP = () =>
    (part ??= import('../dpop/wiring').then(
      // AuthErrors are made by `authError`, handed over: a value the lazy chunk imported from the
      // main bundle would make bundlers split that module into a chunk of its own, loaded at start.
      async (m) => (load.ready = await m.createDPoPWiring(opts, storage.open, http, authError)),
      (cause: unknown) => {
        part = undefined
        throw new AuthError('ERR_NETWORK', 'Could not load the DPoP code', { cause })
      },
    ))
  return load
}
