// What every part of the client shares, built once by createAuthClient: the resolved options, the
// snapshot store, HTTP settings, storage and provider metadata. Holds no session state.
import type * as oauth from 'oauth4webapi'
import type { AuthError } from '../errors'
import type { HttpOptions } from '../flows/http'
import type { IdTokenSignatureCheck } from '../flows/idTokenSignature'
import type { ResolvedOptions } from '../options'
import { profileOf } from '../session/profile'
import { createStore, type Store } from '../store'
import { createClientStorage, type ClientStorage } from './clientStorage'
import { lazyDPoP, type LazyDPoP } from './dpop'
import { createMetadataCache } from './metadataCache'
import { lazySignatureCheck } from './signatureCheck'

export interface ClientContext {
  readonly opts: ResolvedOptions
  readonly store: Store
  readonly http: HttpOptions
  readonly client: oauth.Client
  readonly storage: ClientStorage
  /** Provider metadata: cached in storage, one discovery in flight (see metadataCache). */
  metadata(): Promise<oauth.AuthorizationServer>
  /** Puts an error on the snapshot: a sign-in failed, or start() could not decide. */
  report(error: AuthError): void
  /** Puts a warning on the snapshot: a problem handled in the background, nothing lost. */
  warn(error: AuthError): void
  /** ID token signature check, when `protocol.verifySignature` is on. */
  readonly verifySignature: IdTokenSignatureCheck | undefined
  /** DPoP, when `protocol.dpop` is on (loaded lazily). */
  readonly dpop: LazyDPoP | undefined
  /** HTTP for requests that obtain tokens: with DPoP they carry proofs by `keyId`. */
  tokenHttp(keyId: string | undefined): Promise<HttpOptions>
}

export function createClientContext(opts: ResolvedOptions): ClientContext {
  // `user` is the profile unless the app keeps the protocol claims (session/profile).
  const store = createStore(opts.protocolClaims ? undefined : profileOf)
  const report = (error: AuthError) => store.dispatch({ type: 'error', error })
  const warn = (error: AuthError) => store.dispatch({ type: 'warning', error })
  // The injected clock reaches the flows too: ID token time checks and token lifetimes read it.
  const http: HttpOptions = { fetch: opts.fetch, timeoutMs: opts.timeoutMs, allowHttp: opts.allowHttp, now: opts.now }
  // Storage falls back to memory (or drops a corrupt record) and carries on: a warning.
  const storage = createClientStorage(opts, warn)
  const dpop = lazyDPoP(opts, storage, http)
  return {
    dpop,
    tokenHttp: async (keyId) => (dpop ? (await dpop()).http(keyId) : http),
    opts,
    store,
    http,
    client: { client_id: opts.clientId },
    storage,
    metadata: createMetadataCache(opts, http, storage),
    report,
    warn,
    verifySignature: lazySignatureCheck(opts, http),
  }
}
