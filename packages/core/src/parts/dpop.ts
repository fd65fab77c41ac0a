// DPoP (protocol.dpop): the client reaches its code, jose's signing included, through a dynamic
// import on first use, so clients without the option load none of it.
import { AuthError } from '../errors'
import type { HttpOptions } from '../flows/http'
import type { DPoPWiring } from '../dpop/types'
import type { ResolvedOptions } from '../options'
import type { ClientStorage } from './clientStorage'

export interface LazyDPoP {
  /** The DPoP part, loaded on first use. */
  load(): Promise<DPoPWiring>
  /** The part once loaded (for synchronous checks), else undefined. */
  loaded(): DPoPWiring | undefined
  /** HTTP for requests that obtain tokens: they carry proofs by `keyId` (plain without one). */
  http(keyId: string | undefined): Promise<HttpOptions>
}

export function lazyDPoP(opts: ResolvedOptions, storage: ClientStorage, http: HttpOptions): LazyDPoP | undefined {
  if (!opts.dpop) return undefined
  let part: Promise<DPoPWiring> | undefined
  let ready: DPoPWiring | undefined
  const load = (): Promise<DPoPWiring> =>
    (part ??= import('../dpop/wiring')
      .then((m) =>
        m.createDPoPWiring({
          storage: storage.open,
          // Stores that keep structured clones hold the CryptoKeys themselves.
          clonesValues: opts.storage === 'indexeddb' || opts.storage === 'memory',
          keyPrefix: opts.keyPrefix,
          http,
          now: opts.now,
        }),
      )
      .then((d) => (ready = d))
      .catch((cause: unknown) => {
        part = undefined
        throw cause instanceof AuthError ? cause : new AuthError('ERR_NETWORK', 'Could not load the DPoP code', { cause })
      }))
  return { load, loaded: () => ready, http: async (keyId) => (await load()).http(keyId) }
}
