import type { AuthorizationOptions, AuthorizationParams } from './authorizationTypes'
import { optionError } from './errors'
import type { DPoPProofs } from './dpop/dpopProofs'
import type { Log, Logger } from './logger'
import type { PopupLogin } from './popup/popupLogin'
import type { ProviderOptions } from './providerOptions'
import type { UserinfoClaims } from './userinfo/userinfoClaims'
import type { SilentLogin } from './silent/silentLogin'
import type { IdleSignOut } from './idle/idleSignOut'
import type { StorageName, TokenStorage } from './storage/tokenStorage'
import type { Channel } from './tabs/channel'
import type { Lock } from './tabs/lock'

/** Options of {@link createAuthClient}. */
export interface AuthClientOptions {
  /** Issuer identifier of the OpenID Provider. HTTPS, except on loopback hosts. */
  issuer: string
  /** The public client's id, registered at the provider. */
  clientId: string
  /** Absolute redirect URI, registered exactly at the provider. */
  redirectUri: string
  /** Space-separated scopes. Default `'openid profile email'`. */
  scope?: string
  /** Where the client keeps tokens: a built-in store by name or your own. Default `'session'`. */
  storage?: StorageName | TokenStorage
  /** Where the provider sends the browser after RP-initiated logout. */
  postLogoutRedirectUri?: string
  /**
   * Extra authorization request parameters under their wire names (`audience`, ...); an array
   * sends the parameter once per value. The typed `login` options replace parameters of the same name.
   */
  authorizationParams?: AuthorizationParams
  /**
   * Defaults for every interactive login, redirect and popup (each `login({ ... })` call may
   * replace them one by one): `prompt`, `maxAgeS`, `acrValues`, `loginHint`, `uiLocales`, and the
   * RFC 8707 `resource` values the access token is for. Silent renewal (`refresh.silent`) sends
   * them too, with `prompt` always `none`.
   *
   * @example
   * ```ts
   * createAuthClient({ ...options, login: { resource: 'https://api.example.com', uiLocales: ['de', 'en'] } })
   * ```
   */
  login?: AuthorizationOptions
  /** Renewal timing. */
  refresh?: {
    /**
     * Renew this long before the access token expires, at most a tenth of its lifetime (so about
     * one refresh per lifetime, however short). Default 60 000.
     */
    leewayMs?: number
    /**
     * Renews sessions that have no refresh token by silent authorization (`prompt=none` in a
     * hidden iframe): `silentLogin({ redirectUri })`. Opt-in; without it such a session ends
     * (`ERR_LOGIN_REQUIRED`) when its access token expires.
     */
    silent?: SilentLogin
  }
  /**
   * When discovery is not enough: `metadataUrl` (the discovery document is elsewhere),
   * `metadataSeed` (merged over what discovery returns, e.g. an unadvertised `revocation_endpoint`)
   * or `metadata` (complete, no discovery). Checked when metadata is first needed; see
   * {@link https://github.com/tokenkeep/tokenkeep/blob/main/docs/providers/any-provider.md | any provider}.
   *
   * @example
   * ```ts
   * createAuthClient({ ...options, provider: { metadataSeed: { revocation_endpoint: 'https://id.example.com/oauth/revoke' } } })
   * ```
   */
  provider?: ProviderOptions
  /** Network timing. */
  http?: {
    /** Abort a provider request after this long. Default 10 000. */
    timeoutMs?: number
    /** Metadata is re-fetched when older than this. Default 24 h. */
    metadataMaxAgeMs?: number
  }
  /**
   * Protocol steps beyond what every login already does (PKCE, state, nonce, RFC 9207 `iss`,
   * ID token claims). All are off unless asked for, or required by the provider.
   */
  protocol?: {
    /**
     * `userinfoClaims()` (or `userinfoClaims({ afterRefresh: true })`): fetch the userinfo endpoint
     * after each sign-in (and renewal) and merge its claims into `getUser()`, after checking that
     * its `sub` is the ID token's (OIDC Core 5.3.2). Opt-in, so apps without it don't ship the code.
     */
    userinfo?: UserinfoClaims
    /**
     * Pushed Authorization Requests (RFC 9126): the authorization parameters are POSTed to the
     * provider first and the browser carries only `client_id` + `request_uri`. `'auto'` (default)
     * pushes when the provider's metadata says `require_pushed_authorization_requests: true`;
     * `'always'` pushes on every login and fails when the provider advertises no
     * `pushed_authorization_request_endpoint`.
     */
    par?: 'auto' | 'always'
    /**
     * Verify ID token signatures (code exchange and refresh) against the provider's `jwks_uri`
     * with jose. Off by default: OIDC Core 3.1.3.7 lets a client that receives the ID token
     * directly from the token endpoint over TLS rely on TLS instead. When on, jose is loaded
     * lazily (a separate chunk) and the key set is fetched on first use. Default false.
     */
    verifySignature?: boolean
    /**
     * `dpopProofs()`: sender-constrained tokens with DPoP (RFC 9449): one non-extractable key pair
     * per sign-in, and a proof of possession on every request that obtains or uses tokens. Off by
     * default: your APIs must accept `Authorization: DPoP` and check the `DPoP` proof (see {@link https://github.com/tokenkeep/tokenkeep/blob/main/packages/core/docs/dpop.md | DPoP}).
     * A separate import, so apps without it ship none of the DPoP code; that code loads on first use.
     */
    dpop?: DPoPProofs
    /**
     * Keep the ID token's protocol claims (`iss`, `aud`, `exp`, `iat`, `nonce`, `auth_time`, `acr`,
     * `amr`, `sid`, the hashes, ...) in `getUser()` and the snapshot's `user`. Off by default:
     * `user` is the profile, as with oidc-client-ts and auth0-spa-js; `getIdTokenClaims()` gives
     * every claim of the ID token either way. Default false.
     */
    protocolClaims?: boolean
  }
  /**
   * Enables `login({ popup: true })`: `popupLogin({ redirectUri })`. Opt-in, so apps without
   * popups don't ship the popup code; see {@link https://github.com/tokenkeep/tokenkeep/blob/main/packages/core/docs/popup.md | popup login}.
   */
  popup?: PopupLogin
  /**
   * Signs the user out after a time without activity in any tab: `idleSignOut({ afterMs, warnMs })`.
   * Opt-in; the snapshot's `idleDeadlineAt` shows the coming sign-out. See {@link https://github.com/tokenkeep/tokenkeep/blob/main/docs/recipes/idle-sign-out.md | idle sign-out}.
   */
  idle?: IdleSignOut
  /**
   * Cross-tab coordination. Defaults: Web Locks and a BroadcastChannel where the browser has them,
   * per-tab behaviour where it does not. Injectable for tests.
   */
  tabs?: {
    /** Runs a callback under a lock shared by the tabs of this origin. Default: Web Locks. */
    lock?: Lock
    /** Carries sign-in, renewal and sign-out messages between tabs. Default: `BroadcastChannel`. */
    channel?: Channel
  }
  /**
   * Debug logging, off by default: `debugLogger(console)`, or `debugLogger(fn)` for a function
   * that receives each entry. Says what the client decided and why (session restored, refresh
   * scheduled at, lock waited, another tab renewed, retry in N ms, storage fell back, ...); never
   * prints a token, code, verifier or key. Opt-in, so apps without it don't ship the event names.
   */
  logger?: Logger
  /** Injectable for tests and non-browser runtimes. */
  fetch?: typeof fetch
  /** Injectable clock (epoch ms). */
  now?: () => number
}

/**
 * What the start path needs, checked and filled once. Options only the protocol reads (`login`,
 * `authorizationParams`, `postLogoutRedirectUri`, `protocol.par`, `protocol.verifySignature`)
 * are checked by protocol/options.ts when the protocol code loads: `options` keeps them as given.
 */
export interface ResolvedOptions {
  /** The options as the app gave them. */
  readonly options: AuthClientOptions
  readonly issuer: URL
  readonly clientId: string
  readonly redirectUri: string
  readonly scope: string
  readonly storage: StorageName | TokenStorage
  readonly userinfo: UserinfoClaims | undefined
  readonly log: Log | undefined
  readonly leewayMs: number
  readonly silent: SilentLogin | undefined
  /** The `provider` option as given: checked on the protocol side (flows/providerMetadata). */
  readonly provider: ProviderOptions | undefined
  readonly timeoutMs: number
  readonly metadataMaxAgeMs: number
  readonly transactionTtlMs: number
  readonly popup: PopupLogin | undefined
  readonly dpop: DPoPProofs | undefined
  /** `protocol.protocolClaims`: `user` keeps every claim. */
  readonly protocolClaims: boolean
  readonly allowHttp: boolean
  readonly tabs: { readonly lock?: Lock; readonly channel?: Channel }
  readonly fetch: typeof fetch
  readonly now: () => number
  /** Prefix of every storage key: issuer + client id, so two clients on an origin never collide. */
  readonly keyPrefix: string
}

const STORAGE_NAMES: readonly string[] = ['session', 'local', 'indexeddb', 'memory']
const NON_EMPTY = 'must be a non-empty string'

/** Hosts where plain HTTP is acceptable (RFC 8252 §8.3 treats loopback as secure enough). */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}

export function absoluteUrl(option: string, value: unknown): URL {
  if (typeof value !== 'string' || value === '') throw optionError(option, NON_EMPTY)
  try {
    return new URL(value)
  } catch {
    throw optionError(option, 'must be an absolute URL')
  }
}

/**
 * An absolute HTTPS URL (plain HTTP only on loopback hosts), or a `TypeError` naming `option`.
 * For the issuer and for app-given provider addresses such as `logout({ logoutUrl })`.
 */
export function secureUrl(option: string, value: unknown): URL {
  const url = absoluteUrl(option, value instanceof URL ? value.href : value)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw optionError(option, 'must use https (plain http is allowed only on loopback hosts)')
  }
  return url
}

const isFunction = (value: unknown, key: string) => typeof (value as Record<string, unknown> | null)?.[key] === 'function'

/**
 * Validates options and fills defaults once, into a frozen object.
 *
 * @throws TypeError with `code: 'ERR_INVALID_OPTION'` naming the bad option.
 */
export function resolveOptions(options: AuthClientOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw optionError('options', 'must be an object')
  const { clientId, protocol = {}, refresh = {}, http = {}, storage = 'session', scope = 'openid profile email', fetch: fetchImpl, now = Date.now } = options
  const issuer = secureUrl('issuer', options.issuer)
  if (typeof clientId !== 'string' || clientId === '') throw optionError('clientId', NON_EMPTY)
  if (absoluteUrl('redirectUri', options.redirectUri).hash) throw optionError('redirectUri', 'must not contain a fragment')
  if (typeof scope !== 'string' || scope.trim() === '') throw optionError('scope', NON_EMPTY)
  if (typeof storage === 'string' ? !STORAGE_NAMES.includes(storage) : !['get', 'set', 'remove'].every((k) => isFunction(storage, k))) {
    throw optionError('storage', `must be one of ${STORAGE_NAMES.join(', ')} or an object with get, set and remove`)
  }
  // The opt-in features: each is an object its factory made (a marker the client recognises).
  for (const [option, value, ok, factory] of [
    ['popup', options.popup, isFunction(options.popup, 'connect'), 'popupLogin()'],
    ['idle', options.idle, isFunction(options.idle, 'connect'), 'idleSignOut()'],
    ['refresh.silent', refresh.silent, isFunction(refresh.silent, 'connect'), 'silentLogin()'],
    ['protocol.userinfo', protocol.userinfo, protocol.userinfo?.userinfo === true, 'userinfoClaims()'],
    ['logger', options.logger, isFunction(options.logger, 'emit'), 'debugLogger(), e.g. debugLogger(console)'],
    ['protocol.dpop', protocol.dpop, isFunction(protocol.dpop, 'connect'), 'dpopProofs()'],
  ] as const) {
    if (value !== undefined && !ok) throw optionError(option, `must be made by ${factory}`)
  }
  for (const [option, value] of [['fetch', fetchImpl ?? fetch], ['now', now]] as const) {
    if (typeof value !== 'function') throw optionError(option, 'must be a function')
  }
  const ms = (option: string, value: unknown, fallback: number): number => {
    if (value === undefined) return fallback
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw optionError(option, 'must be a non-negative number of milliseconds')
    return value
  }
  const protocolClaims = protocol.protocolClaims ?? false
  if (typeof protocolClaims !== 'boolean') throw optionError('protocol.protocolClaims', 'must be a boolean')

  return Object.freeze({
    options,
    issuer,
    clientId,
    // Exact string matching at the provider: pass the URI through unchanged.
    redirectUri: options.redirectUri,
    scope: scope.trim().split(/\s+/).join(' '),
    storage,
    userinfo: protocol.userinfo,
    log: options.logger?.emit,
    leewayMs: ms('refresh.leewayMs', refresh.leewayMs, 60_000),
    silent: refresh.silent,
    timeoutMs: ms('http.timeoutMs', http.timeoutMs, 10_000),
    provider: options.provider,
    metadataMaxAgeMs: ms('http.metadataMaxAgeMs', http.metadataMaxAgeMs, 24 * 3600_000),
    transactionTtlMs: 10 * 60_000,
    popup: options.popup,
    dpop: protocol.dpop,
    protocolClaims,
    allowHttp: isLoopback(issuer.hostname),
    tabs: Object.freeze({ ...(options.tabs ?? {}) }),
    // Looked up at each call, so a fetch patched in after the client was made is used.
    fetch: fetchImpl ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args)),
    now,
    keyPrefix: `tk:${clientId}@${issuer.href}:`,
  })
}
