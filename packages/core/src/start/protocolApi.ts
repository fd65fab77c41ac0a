// The contract between the start path and the protocol code: what start/ asks of protocol/
// (types only; protocol/protocol.ts implements it, start/loader.ts loads it).
import type { LoginOptions, LogoutOptions } from '../api'
import type { Transaction } from '../protocol/flows/authorize'
import type { CodeExchangeResult } from '../protocol/flows/callback'
import type { Session } from '../session/session'

/** What the start path asks of the protocol code (protocol/protocol.ts builds it). */
export interface Protocol {
  /** Redirect login: stores the transaction and leaves for the provider. */
  login(options: LoginOptions): Promise<void>
  /**
   * start() on a page whose URL may hold a provider's answer (a `state`): finishes a redirect
   * login or a logout's return, or else restores the stored session.
   */
  resume(url: URL): Promise<void>
  /** See protocol/logout: revocation and RP-initiated logout after the local logout. */
  atProvider(options: LogoutOptions, ended: Session | undefined, providerLogout: string | undefined): Promise<boolean>
  /** Revokes the refresh token of a session that ended; a failure is shown, never thrown. */
  revoke(ended: Session | undefined): Promise<void>
  /** One renewal under the tab lock (see protocol/renewal). */
  renew(before: Session, force: boolean): Promise<Session>
  /** Popup and silent logins: build and store an authorization request. */
  begin(mode: Transaction['mode'], redirectUri: string, options: LoginOptions): Promise<{ url: URL; state: string }>
  /** Reads and deletes the pending transaction for `state` (single use). */
  take(state: string, mode: Transaction['mode']): Promise<Transaction | undefined>
  /** Popup: validates the response, exchanges the code and adopts the session. */
  complete(tx: Transaction, response: URL): Promise<void>
  /** Silent renewal: validates the response and exchanges the code; stores nothing. */
  exchange(tx: Transaction, response: URL): Promise<CodeExchangeResult>
}

