// What every part of the client shares, built once by createAuthClient: the resolved options, the
// store (the snapshot and the session it owns), storage, and the DPoP hook when it is on.
import type { LazyDPoP } from '../dpop/dpopProofs'
import type { AuthError } from '../errors'
import type { ResolvedOptions } from '../options'
import { profileOf } from '../session/profile'
import { createStore, type Store } from '../store'
import { createClientStorage, type ClientStorage } from './clientStorage'

export interface ClientContext {
  readonly opts: ResolvedOptions
  readonly store: Store
  readonly storage: ClientStorage
  /** Puts an error on the snapshot: a sign-in failed, or start() could not decide. */
  report(error: AuthError): void
  /** Puts a warning on the snapshot: a problem handled in the background, nothing lost. */
  warn(error: AuthError): void
  /** DPoP, when `protocol.dpop` is set (its code loads lazily). */
  readonly dpop: LazyDPoP | undefined
}

export function createClientContext(opts: ResolvedOptions): ClientContext {
  // `user` is the profile unless the app keeps the protocol claims (session/profile).
  const store = createStore(opts.protocolClaims ? undefined : profileOf)
  const report = (error: AuthError) => store.dispatch({ type: 'error', error })
  const warn = (error: AuthError) => store.dispatch({ type: 'warning', error })
  // Storage falls back to memory (or drops a corrupt record) and carries on: a warning.
  const storage = createClientStorage(opts, warn)
  return { opts, store, storage, report, warn, dpop: opts.dpop?.connect(opts, storage.open) }
}
