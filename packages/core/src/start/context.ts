// What every part of the client shares, built once by createAuthClient: the resolved options, the
// store (the snapshot and the session it owns), storage, and the DPoP hook when it is on.
import type { AuthError } from '../errors'
import type { ResolvedOptions } from '../options'
import type { HttpOptions } from '../protocol/flows/http'
import { createStore, type Store } from '../store'
import { createClientStorage, type ClientStorage } from './clientStorage'
import { lazyDPoP, type LazyDPoP } from './dpop'

export interface ClientContext {
  readonly opts: ResolvedOptions
  readonly store: Store
  readonly storage: ClientStorage
  /** How the client talks HTTP (the injectable fetch, timeouts, the loopback exception). */
  readonly http: HttpOptions
  /** Puts an error on the snapshot. */
  report(error: AuthError): void
  /** DPoP, when `protocol.dpop` is on (loaded lazily). */
  readonly dpop: LazyDPoP | undefined
}

export function createClientContext(opts: ResolvedOptions): ClientContext {
  const store = createStore()
  const report = (error: AuthError) => store.dispatch({ type: 'error', error })
  // The injected clock reaches the flows too: ID token time checks and token lifetimes read it.
  const http: HttpOptions = { fetch: opts.fetch, timeoutMs: opts.timeoutMs, allowHttp: opts.allowHttp, now: opts.now }
  const storage = createClientStorage(opts, report)
  return { opts, store, storage, http, report, dpop: lazyDPoP(opts, storage, http) }
}
