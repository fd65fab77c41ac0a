/**
 * OAuth 2.0 / OpenID Connect for browser single-page apps: Authorization Code + PKCE by redirect
 * or popup, sessions restored without a network request, renewal once for all tabs, typed errors
 * and pluggable storage. Start with {@link createAuthClient}.
 *
 * @packageDocumentation
 * @module @tokenkeep/core
 */
export { createAuthClient } from './client'
export type { AuthClient, AuthHeaders, LoginOptions, LogoutOptions } from './api'
export type { AuthClientOptions } from './options'
export type { ProviderMetadata, ProviderOptions } from './providerOptions'
export type { AuthSnapshot } from './store'
export { AuthError, isAuthError } from './errors'
export { createAuthFetch } from './authFetch'
export type { AuthFetchOptions, AuthFetchClient } from './authFetch'
export { handlePopupCallback } from './popup/handlePopupCallback'
export { popupLogin } from './popup/popupLogin'
export type { PopupLogin, PopupLoginOptions, PopupClientHooks } from './popup/popupLogin'
export type { PopupCallbackOptions, PopupCallbackResult } from './popup/handlePopupCallback'
export { handleSilentCallback } from './silent/handleSilentCallback'
export { silentLogin } from './silent/silentLogin'
export type { SilentLogin, SilentLoginOptions, SilentClientHooks } from './silent/silentLogin'
export type { SilentFrame } from './silent/runSilentLogin'
export type { SilentCallbackResult } from './silent/handleSilentCallback'
export type { AuthErrorCode, AuthErrorOptions } from './errors'
export type { TokenStorage, StorageName } from './storage/tokenStorage'
export { createMemoryStorage } from './storage/memoryStorage'
export { sessionStore, localStore } from './storage/webStorage'
export { indexedDbStore } from './storage/indexedDbStorage'
export type { Session } from './session/session'
export type { Lock } from './tabs/lock'
export type { Channel, TabMessage } from './tabs/channel'
export type { AuthorizationOptions, AuthorizationParams, Prompt } from './authorizationTypes'
export type { LogData, LogEntry, Logger, LogLevel } from './logger'
export { debugLogger } from './debugLogger'
export { dpopProofs } from './dpop/dpopProofs'
export type { DPoPProofs } from './dpop/dpopProofs'
export type { LogTarget } from './debugLogger'
export { idleSignOut } from './idle/idleSignOut'
export type { IdleSignOut, IdleSignOutOptions, IdleClientHooks } from './idle/idleSignOut'
export { userinfoClaims } from './userinfo/userinfoClaims'
export type { UserinfoClaims, UserinfoClaimsOptions } from './userinfo/userinfoClaims'
