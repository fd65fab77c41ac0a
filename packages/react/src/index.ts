/**
 * React bindings for `@tokenkeep/core`: {@link AuthProvider} starts the client and shares it,
 * {@link useAuth} reads its snapshot, {@link RequireAuth} guards content. No OAuth logic lives here.
 *
 * @packageDocumentation
 * @module @tokenkeep/react
 */
export { AuthProvider } from './AuthProvider'
export type { AuthProviderProps } from './AuthProvider'
export { useAuth } from './useAuth'
export type { UseAuthResult } from './useAuth'
export { RequireAuth } from './RequireAuth'
export type { RequireAuthProps } from './RequireAuth'
export type { AuthClient, AuthSnapshot, LoginOptions, LogoutOptions } from '@tokenkeep/core'
