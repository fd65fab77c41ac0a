export { createAuthPlugin, authClientKey } from './createAuthPlugin'
export { useAuth } from './useAuth'
export type { UseAuthResult } from './useAuth'
export type { AuthClient, AuthSnapshot, LoginOptions, LogoutOptions } from '@tokenkeep/core'
