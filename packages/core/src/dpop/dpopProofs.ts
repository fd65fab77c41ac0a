// DPoP as an opt-in part of the client (`protocol: { dpop: dpopProofs() }`): an app that never
// imports dpopProofs() ships none of it, not even the loader. The DPoP code itself (jose's signing,
// the key store, the policy in dpop/wiring.ts) loads through a dynamic import on first use.
import { AuthError, authError } from '../errors'
import type { HttpOptions } from '../protocol/flows/http'
import type { TokenStorage } from '../storage/tokenStorage'
import type { DPoPClientOptions, DPoPWiring } from './types'

/** Loads the DPoP part once; `ready` holds it once loaded (for synchronous checks). */
export type LazyDPoP = (() => Promise<DPoPWiring>) & { ready?: DPoPWiring }

/** What {@link dpopProofs} returns; pass it as the client's `protocol.dpop` option. */
export interface DPoPProofs {
  /**
   * The client calls this once to get its DPoP loader.
   *
   * @internal
   */
  connect(opts: DPoPClientOptions, open: () => Promise<TokenStorage>): LazyDPoP
}

/**
 * Sender-constrained tokens with DPoP (RFC 9449): one non-extractable key pair per sign-in, and a
 * proof of possession on every request that obtains or uses tokens. Your APIs must accept
 * `Authorization: DPoP` and check the `DPoP` proof. A separate import, so apps without DPoP ship
 * none of its code; the DPoP code (jose's signing, the key store) loads on first use.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449
 * @see https://github.com/tokenkeep/tokenkeep/blob/main/packages/core/docs/dpop.md
 * @example
 * ```ts
 * import { createAuthClient, dpopProofs } from '@tokenkeep/core'
 *
 * const auth = createAuthClient({ ...options, protocol: { dpop: dpopProofs() } })
 * ```
 */
export function dpopProofs(): DPoPProofs {
  return Object.freeze({
    connect(opts: DPoPClientOptions, open: () => Promise<TokenStorage>): LazyDPoP {
      const http: HttpOptions = { fetch: opts.fetch, timeoutMs: opts.timeoutMs, allowHttp: opts.allowHttp, now: opts.now }
      let part: Promise<DPoPWiring> | undefined
      const load: LazyDPoP = () =>
        (part ??= import('./wiring').then(
          // AuthErrors are made by `authError`, handed over: a value the lazy chunk imported from
          // the main bundle would make bundlers split that module into a chunk of its own.
          async (m) => (load.ready = await m.createDPoPWiring(opts, open, http, authError)),
          (cause: unknown) => {
            part = undefined
            throw new AuthError('ERR_NETWORK', 'Could not load the DPoP code', { cause })
          },
        ))
      return load
    },
  })
}
