// What every part of the client shares, built once by createAuthClient: the resolved options, the
// store (the snapshot and the session it owns), storage, and the DPoP hook when it is on.
import type { LazyDPoP } from '../dpop/dpopProofs'
import type { AuthError } from '../errors'
import type { ResolvedOptions } from '../options'
import { createStore, type Store } from '../store'
import { createClientStorage, type ClientStorage } from './clientStorage'

export interface ClientContext {
  readonly opts: ResolvedOptions
  readonly store: Store
  readonly storage: ClientStorage
  /** Puts an error on the snapshot. */
  report(error: AuthError): void
  /** DPoP, when `protocol.dpop` is set (its code loads lazily). */
  readonly dpop: LazyDPoP | undefined
}

export function createClientContext(opts: ResolvedOptions): ClientContext {
  const store = createStore()
  const report = (error: AuthError) => store.dispatch({ type: 'error', error })
  const storage = createClientStorage(opts, report)
  return { opts, store, storage, report, dpop: opts.dpop?.connect(opts, storage.open) }
}
