// Types the client and its lazily loaded DPoP part share (type-only: importing this file costs
// nothing at run time, so the client reaches the DPoP code only through a dynamic import).
import type * as oauth from 'oauth4webapi'
import type { AuthHeaders } from '../api'
import type { AuthError } from '../errors'
import type { HttpOptions } from '../protocol/flows/http'
import type { Session } from '../session/session'
import type { StorageName, TokenStorage } from '../storage/tokenStorage'

/** The client options DPoP reads (a subset of ResolvedOptions, named here so dpop/ imports no options module). */
export interface DPoPClientOptions {
  readonly storage: StorageName | TokenStorage
  readonly keyPrefix: string
  readonly now: () => number
  readonly fetch: typeof fetch
  readonly timeoutMs: number
  readonly allowHttp: boolean
}

/** What the client asks of DPoP (`protocol.dpop`); made by `createDPoPWiring` in dpop/wiring.ts. */
export interface DPoPWiring {
  /**
   * The key a new authorization request is bound to: a new key pair for a sign-in (redirect,
   * popup), the session's own key for silent renewal (the same sign-in, continued).
   *
   * @throws AuthError `ERR_DISCOVERY` (no algorithm in common), `ERR_DPOP_KEY` (silent renewal of
   *   a session whose key is gone).
   */
  forLogin(as: oauth.AuthorizationServer, transactionExpiresAt: number, renewing?: Session): Promise<{ keyId: string; jkt: string }>
  /**
   * HTTP options whose requests carry proofs by `keyId` (code exchange, refresh, PAR); plain
   * `http` for `undefined` (a session from before DPoP was turned on).
   *
   * @throws AuthError `ERR_DPOP_KEY` when the key is gone.
   */
  http(keyId: string | undefined): Promise<HttpOptions>
  /** A sign-in adopted `keyId`: it is no longer a pending login's key, and `replaced` (the previous session's key) goes. */
  claim(keyId: string, replaced?: string): Promise<void>
  /** `ERR_DPOP_KEY` when the session's key is gone; undefined while it can be used (or it has none). */
  check(session: Session): Promise<AuthError | undefined>
  /** Deletes the session's key when the session ends (never a key borrowed by a duplicated tab). */
  release(session: Session | undefined): Promise<void>
  /**
   * `authorization` (and `dpop`) for one resource request with `token`, which the session (the
   * one the keeper holds now, which has it or a newer one) is bound by.
   */
  headers(session: Session | undefined, token: string, url: string | URL, method: string | undefined): Promise<AuthHeaders>
  /** See `AuthClient.handleDPoPNonce`. */
  handleNonce(session: Session | undefined, url: string | URL, response: Response): boolean
}
