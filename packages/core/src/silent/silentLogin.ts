// Silent renewal as an opt-in part of the client: an app that never imports silentLogin() ships
// none of this. The client lends it the protocol steps (SilentClientHooks) and calls it under the
// cross-tab lock when a session has no refresh token; this module owns the hidden iframe.
import type { LoginOptions } from '../api'
import { assertOwnCallbackPage, callbackPageOptions } from '../callbackPage'
import { AuthError, asAuthError, optionError } from '../errors'
import type { Protocol } from '../start/protocolApi'
import type { CodeExchangeResult } from '../protocol/flows/callback'
import { SILENT_TERMINAL_ERRORS } from './message'
import { runSilentLogin, type SilentFrame } from './runSilentLogin'

/** Options of {@link silentLogin}. */
export interface SilentLoginOptions {
  /**
   * Absolute URI of the page that calls {@link handleSilentCallback}, on the app's origin and
   * registered exactly at the provider. Must differ from the client's `redirectUri`.
   */
  redirectUri: string
  /** Give up waiting for the hidden iframe after this long. Default 10 000. */
  timeoutMs?: number
  /**
   * Shows the authorization request in a frame and returns it. Default: a hidden iframe
   * appended to `document.body`. Injectable for tests, or to place the frame elsewhere.
   */
  frame?: (url: URL) => SilentFrame
}

/**
 * The client's own login steps, lent to silent renewal so it shares the transaction store and the
 * response validation of redirect logins. Internal: built by `createAuthClient`.
 *
 * @internal
 */
export interface SilentClientHooks {
  /** The client's redirect URI (the silent one must differ). */
  readonly redirectUri: string
  /**
   * The protocol steps (loaded on first use): `begin` builds and stores an authorization request,
   * `take` reads and deletes the transaction for a `state` (single use), `exchange` validates the
   * response and exchanges the code, storing nothing.
   */
  protocol(): Promise<Pick<Protocol, 'begin' | 'take' | 'exchange'>>
}

/** What {@link silentLogin} returns; pass it as the client's `refresh.silent` option. */
export interface SilentLogin {
  /** The silent callback page, as given to {@link silentLogin}. */
  readonly redirectUri: string
  /** How long one attempt waits for the iframe to answer (ms), with its default filled in. */
  readonly timeoutMs: number
  /**
   * The client calls this once, lazily, to get its renewal function.
   *
   * @internal
   */
  connect(hooks: SilentClientHooks): () => Promise<CodeExchangeResult>
}

/**
 * Renews a session that has no refresh token by silent authorization: an authorization request
 * with `prompt=none` (PKCE, `state`, `nonce`) in a hidden iframe, answered from the provider's
 * own session cookie. The iframe lands on `redirectUri`, a page of your app that calls
 * {@link handleSilentCallback}; this page validates the response (state, RFC 9207 `iss`) and
 * exchanges the code itself, so the iframe never holds a token. It runs under the same cross-tab
 * lock as a refresh, so one renewal per expiry serves every tab.
 *
 * `login_required`, `interaction_required`, `consent_required` and `account_selection_required`
 * end the session like `invalid_grant` does (`ERR_SESSION_EXPIRED` in every tab); a timeout
 * (`ERR_SILENT_AUTH`, with the likely causes in its message) and network failures are retried
 * with backoff while the access token is valid. Browsers that block third-party cookies
 * (Safari, Firefox, Chrome with the setting on) send no provider cookie into a cross-site iframe:
 * the provider then answers `login_required`. Serve the provider on the app's site, or use
 * refresh tokens.
 *
 * @throws TypeError `ERR_INVALID_OPTION` naming the bad option.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest (`prompt=none`)
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7 (CSRF protection: state, PKCE)
 * @example
 * ```ts
 * import { createAuthClient, silentLogin } from '@tokenkeep/core'
 *
 * const auth = createAuthClient({
 *   issuer: 'https://id.example.com',
 *   clientId: 'my-spa',
 *   redirectUri: `${location.origin}/callback`,
 *   refresh: { silent: silentLogin({ redirectUri: `${location.origin}/silent-callback.html` }) },
 * })
 * ```
 */
export function silentLogin(options: SilentLoginOptions): SilentLogin {
  const { uri, timeoutMs } = callbackPageOptions('refresh.silent', 'silentLogin({ redirectUri })', options, 10_000)
  const { redirectUri, frame } = options
  if (frame !== undefined && typeof frame !== 'function') throw optionError('refresh.silent.frame', 'must be a function')

  return Object.freeze({
    redirectUri,
    timeoutMs,
    connect(hooks: SilentClientHooks) {
      assertOwnCallbackPage('refresh.silent', uri, hooks.redirectUri)
      return async function renew(): Promise<CodeExchangeResult> {
        if (uri.origin !== location.origin) {
          throw optionError('refresh.silent.redirectUri', 'must be on the origin of the page that renews the session')
        }
        let provider: URL | undefined
        try {
          const response = await runSilentLogin({
            redirectUri,
            timeoutMs,
            ...(frame ? { frame } : {}),
            prepare: async () => {
              const request = await (await hooks.protocol()).begin('silent', redirectUri, { authorizationParams: { prompt: 'none' } })
              provider = request.url
              return request
            },
            // Taking the transaction deletes it; nothing else is left to undo.
            discard: async (state) => void (await (await hooks.protocol()).take(state, 'silent')),
          })
          const protocol = await hooks.protocol()
          const tx = await protocol.take(response.searchParams.get('state') ?? '', 'silent')
          if (!tx) throw new AuthError('ERR_CALLBACK_STATE_MISMATCH', 'The silent renewal answered for a request that is no longer pending')
          return await protocol.exchange(tx, response)
        } catch (e) {
          const error = asAuthError(e, 'ERR_SILENT_AUTH', 'Silent renewal failed')
          if (error instanceof AuthError && error.code === 'ERR_AUTHORIZATION' && error.error !== undefined && SILENT_TERMINAL_ERRORS.has(error.error)) {
            // A cross-site frame gets no provider cookie where third-party cookies are blocked, and
            // the provider answers exactly as if its session had ended: say so, it is the usual cause.
            const hint =
              provider && !likelySameSite(provider.hostname, location.hostname)
                ? `; the provider is on another site than this page, so a browser that blocks third-party cookies sends it no session cookie in the hidden iframe (serve the provider on this site, or use refresh tokens)`
                : ''
            throw new AuthError('ERR_SESSION_EXPIRED', `The provider needs the user to sign in again (${error.error})${hint}`, {
              cause: error,
              error: error.error,
              ...(error.errorDescription === undefined ? {} : { errorDescription: error.errorDescription }),
            })
          }
          throw error
        }
      }
    },
  })
}

/**
 * A rough same-site test without the Public Suffix List: equal hosts, or two domain names that
 * share their last two labels (`app.example.com` and `id.example.com`). Only picks the wording
 * of an error message, never a decision.
 */
function likelySameSite(a: string, b: string): boolean {
  if (a === b) return true
  const ip = /^[\d.]+$|:/
  if (ip.test(a) || ip.test(b)) return false
  const tail = (h: string) => h.split('.').slice(-2).join('.')
  return a.includes('.') && tail(a) === tail(b)
}
