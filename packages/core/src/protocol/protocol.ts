// The protocol, loaded by start/loader.ts through a dynamic import: discovery, authorization
// requests, callbacks, token requests, revocation and end session. Nothing on the start path
// imports this folder except through the loader (architecture.test.ts keeps it so).
import type { Protocol } from '../start/protocolApi'
import type { Keeper } from '../start/keeper'
import type { ClientContext } from '../start/context'
import type { TabSync } from '../start/tabSync'
import { createAuthorization } from './authorization'
import { createProtocolContext } from './context'
import type { CodeExchangeResult } from './flows/callback'
import { toAuthError } from './flows/oauthError'
import { installKit, type Kit } from './kit'
import { createLogout } from './logout'
import { createRedirectLogin } from './redirectLogin'
import { createRenewal } from './renewal'
import { createTransactions } from './transactions'

export interface ProtocolParts {
  /** The start path's values the protocol uses (see kit.ts). */
  readonly kit: Kit
  readonly ctx: ClientContext
  readonly keeper: Keeper
  readonly tabs: TabSync
  /** Silent renewal, when the app enabled it (`refresh.silent`). */
  readonly silent: (() => Promise<CodeExchangeResult>) | undefined
}

/** @throws TypeError `ERR_INVALID_OPTION` for a bad protocol option (see protocol/options). */
export function createProtocol({ kit, ctx, keeper, tabs, silent }: ProtocolParts): Protocol {
  installKit(kit)
  const p = createProtocolContext(ctx)
  const transactions = createTransactions(p.opts, p.storage)
  // Silent renewal continues the session's sign-in (and, with DPoP, its key).
  const authorization = createAuthorization(p, transactions, keeper.current)
  const renewal = createRenewal(p, keeper, tabs, silent)
  const redirect = createRedirectLogin(p, authorization, transactions, keeper, renewal.signedIn)
  const logout = createLogout(p)
  return {
    login: redirect.login,
    async resume(url) {
      // Back from RP-initiated logout: its `state` checked and removed first.
      const back = await logout.returned(url)
      await redirect.resume(back.url, back.error)
    },
    atProvider: logout.atProvider,
    revoke: (ended) => logout.revokeQuietly(ended),
    renew: renewal.renew,
    begin: (mode, redirectUri, options) => authorization.begin(mode, redirectUri, options),
    take: transactions.take,
    async complete(tx, response) {
      try {
        await redirect.complete(tx, response)
      } catch (e) {
        throw toAuthError(e, 'ERR_TOKEN_RESPONSE', 'Sign-in')
      }
    },
    async exchange(tx, response) {
      try {
        return await authorization.exchange(tx, response)
      } catch (e) {
        throw toAuthError(e, 'ERR_TOKEN_RESPONSE', 'Silent renewal')
      }
    },
  }
}
