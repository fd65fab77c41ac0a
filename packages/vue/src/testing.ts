/**
 * A test double for apps' own tests: `createTestAuthClient()` makes an `AuthClient` whose snapshot
 * the test sets (loading, signed in as someone, signed out, session ended), with no provider, no
 * network, no storage and no timers. Give it to the real `createAuthPlugin(client)`; `useAuth()`,
 * the router guard and the rest work unchanged. A separate entry (`/testing`): nothing of it
 * reaches an app's production bundle. The same double as `@tokenkeep/core/testing`.
 *
 * @packageDocumentation
 * @module @tokenkeep/vue/testing
 */
export { createTestAuthClient } from '@tokenkeep/core/testing'
export type { TestAuthCalls, TestAuthClient, TestAuthOptions, TestAuthState, TokenRequest } from '@tokenkeep/core/testing'
