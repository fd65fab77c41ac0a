// The protocol steps every kind of login shares (redirect, popup, silent renewal): build the
// authorization request and store its transaction; validate the answer and exchange the code.
import type * as oauth from 'oauth4webapi'
import type { LoginOptions } from '../api'
import { checkAppState, checkAuthorizationOptions, checkAuthorizationParams } from './loginOptions'
import { createAuthorizationRequest, type Transaction } from './flows/authorize'
import { exchangeCode, type CodeExchangeResult } from './flows/callback'
import { toAuthError } from './flows/oauthError'
import type { Session } from '../session/session'
import { LOGIN_BEGIN } from '../logger'
import type { ProtocolContext } from './context'
import type { Transactions } from './transactions'
import type { ProtocolOptions } from './options'

/**
 * What a login call adds to the client's defaults, checked: typed options, raw parameters and
 * app state. Called before a popup opens, so caller mistakes throw before anything happens.
 *
 * @throws TypeError `ERR_INVALID_OPTION`
 */
export function loginRequest(opts: ProtocolOptions, options: LoginOptions) {
  return {
    authorization: { ...opts.loginDefaults, ...checkAuthorizationOptions('login', options) },
    extraParams: { ...opts.authorizationParams, ...checkAuthorizationParams('login.authorizationParams', options.authorizationParams) },
    appState: checkAppState(options.appState),
  }
}

export interface Authorization {
  /** Builds the authorization request (PKCE, state, nonce, PAR when due) and stores its transaction. */
  begin(mode: Transaction['mode'], redirectUri: string, options: LoginOptions, returnTo?: string): Promise<{ url: URL; state: string }>
  /** Validates the authorization response against its transaction and exchanges the code; stores nothing. */
  exchange(tx: Transaction, response: URL): Promise<CodeExchangeResult>
}

/**
 * `renewing` gives the session a silent renewal continues (its DPoP key is reused); it is read
 * when a silent login begins.
 */
export function createAuthorization(ctx: ProtocolContext, transactions: Transactions, renewing: () => Session | undefined = () => undefined): Authorization {
  const { opts, client, metadata, report, dpop, tokenHttp } = ctx
  return {
    async begin(mode, redirectUri, options, returnTo) {
      // Caller mistakes are refused before any request.
      const { authorization, extraParams, appState } = loginRequest(opts, options)
      let as: oauth.AuthorizationServer
      try {
        as = await metadata()
      } catch (e) {
        // A bad `provider` option (checked on first use) is the caller's mistake: its TypeError as is.
        if (e instanceof TypeError && (e as { code?: unknown }).code === 'ERR_INVALID_OPTION') throw e
        // The caller gets the rejection; the snapshot shows it too, for apps that only render state.
        const error = toAuthError(e, 'ERR_DISCOVERY', 'Login')
        // A silent renewal's failure is the renewal's to report (a warning while the session lasts).
        if (mode !== 'silent') report(error)
        throw error
      }
      let request: Awaited<ReturnType<typeof createAuthorizationRequest>>
      // Silent renewal asks with prompt=none whatever the defaults say.
      if (mode === 'silent') delete authorization.prompt
      try {
        // DPoP: a new key per sign-in; silent renewal continues the session's sign-in and its key.
        const now = opts.now()
        const bind = dpop && (await (await dpop()).forLogin(as, now + opts.transactionTtlMs, mode === 'silent' ? renewing() : undefined))
        // PAR (RFC 9126) when the provider requires it, or when the app asked for it.
        const push = opts.par === 'always' || as.require_pushed_authorization_requests === true ? { client, http: await tokenHttp(bind?.keyId) } : undefined
        // Parameter names only: values (login_hint, ...) may be personal.
        opts.log?.(LOGIN_BEGIN, mode, push !== undefined, extraParams, authorization)
        request = await createAuthorizationRequest(as, {
          clientId: opts.clientId,
          redirectUri,
          scope: opts.scope,
          mode,
          ...(returnTo === undefined ? {} : { returnTo }),
          now,
          ttlMs: opts.transactionTtlMs,
          extraParams,
          authorization,
          ...(appState === undefined ? {} : { appState }),
          ...(push ? { push } : {}),
          ...(bind ? { dpop: bind } : {}),
        })
      } catch (e) {
        // protocol.par: 'always' against a provider without PAR is the app's configuration, not a
        // provider failure: that TypeError reaches the caller as it is.
        if (e instanceof TypeError && (e as { code?: unknown }).code === 'ERR_INVALID_OPTION') throw e
        const error = toAuthError(e, 'ERR_AUTHORIZATION', 'Login')
        // A silent renewal's failure is the renewal's to report (a warning while the session lasts).
        if (mode !== 'silent') report(error)
        throw error
      }
      const { url, transaction } = request
      await transactions.save(transaction)
      return { url, state: transaction.state }
    },
    async exchange(tx, response) {
      return exchangeCode(await metadata(), client, await tokenHttp(tx.dpopKey), tx, response, ctx.verifySignature)
    },
  }
}
