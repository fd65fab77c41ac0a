/**
 * Vue bindings for `@tokenkeep/core`: the {@link createAuthPlugin} plugin and the
 * {@link useAuth} composable. The vue-router guard is in `@tokenkeep/vue/router`.
 *
 * @packageDocumentation
 * @module @tokenkeep/vue
 */
export { createAuthPlugin, authClientKey } from './createAuthPlugin'
export { useAuth } from './useAuth'
export type { UseAuthResult } from './useAuth'
export type { AuthClient, AuthSnapshot, LoginOptions, LogoutOptions } from '@tokenkeep/core'
