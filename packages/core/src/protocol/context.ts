// What the protocol parts share, built once when the protocol code loads: the client's context,
// the checked protocol options, and the provider's metadata (cached, one discovery in flight).
import type * as oauth from 'oauth4webapi'
import type { ClientContext } from '../start/context'
import type { HttpOptions } from './flows/http'
import type { IdTokenSignatureCheck } from './flows/idTokenSignature'
import { createMetadataCache } from './metadataCache'
import { resolveProtocolOptions, type ProtocolOptions } from './options'
import { lazySignatureCheck } from './signatureCheck'

export interface ProtocolContext extends Omit<ClientContext, 'opts'> {
  readonly opts: ProtocolOptions
  /**
   * How the protocol talks HTTP: the injectable fetch, the timeout, the loopback exception, and the
   * injected clock (ID token time checks and token lifetimes read it too).
   */
  readonly http: HttpOptions
  readonly client: oauth.Client
  /** Provider metadata: cached in storage, one discovery in flight (see metadataCache). */
  metadata(): Promise<oauth.AuthorizationServer>
  /** ID token signature check, when `protocol.verifySignature` is on. */
  readonly verifySignature: IdTokenSignatureCheck | undefined
  /** HTTP for requests that obtain tokens: with DPoP they carry proofs by `keyId`. */
  tokenHttp(keyId: string | undefined): Promise<HttpOptions>
}

/** @throws TypeError `ERR_INVALID_OPTION` for a bad protocol option (see protocol/options). */
export function createProtocolContext(ctx: ClientContext): ProtocolContext {
  const opts = resolveProtocolOptions(ctx.opts)
  const { dpop, storage } = ctx
  const http: HttpOptions = { fetch: opts.fetch, timeoutMs: opts.timeoutMs, allowHttp: opts.allowHttp, now: opts.now }
  return {
    ...ctx,
    opts,
    http,
    client: { client_id: opts.clientId },
    metadata: createMetadataCache(opts, http, storage),
    verifySignature: lazySignatureCheck(opts, http),
    tokenHttp: async (keyId) => (dpop ? (await dpop()).http(keyId) : http),
  }
}
