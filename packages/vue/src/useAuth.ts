import type { AuthClient, AuthError, AuthSnapshot } from '@tokenkeep/core'
import { computed, getCurrentScope, inject, onScopeDispose, shallowRef, type ComputedRef, type ShallowRef } from 'vue'
import { authClientKey } from './createAuthPlugin'

/** What {@link useAuth} returns: the snapshot as a shallow ref, computed refs of its fields, and the client's actions. */
export interface UseAuthResult {
  /** The client's current snapshot, replaced (never mutated) on every change. */
  readonly snapshot: Readonly<ShallowRef<AuthSnapshot>>
  /** `snapshot.status`: `'loading'`, `'authenticated'`, `'unauthenticated'`, `'signingOut'` or `'error'`. */
  readonly status: ComputedRef<AuthSnapshot['status']>
  /** `snapshot.user`: the signed-in user's claims, or null. */
  readonly user: ComputedRef<AuthSnapshot['user']>
  /** `snapshot.expiresAt`: when the access token expires (epoch ms), or null. */
  readonly expiresAt: ComputedRef<number | null>
  /**
   * `snapshot.error`: what failed (a sign-in, or the session ended), or null; auth0-vue's `error`.
   */
  readonly error: ComputedRef<AuthError | null>
  /**
   * `snapshot.warning`: a problem handled in the background beside a session that is still there
   * (a renewal retried, storage in memory), or null. Show it quietly if at all.
   */
  readonly warning: ComputedRef<AuthError | null>
  /** The `appState` of the `login({ appState })` that signed this tab in; see `AuthSnapshot.appState`. */
  readonly appState: ComputedRef<unknown>
  /** See {@link AuthSnapshot.ended}: whose session the provider ended on this page, for a sign-in in place. */
  readonly ended: ComputedRef<AuthSnapshot['ended']>
  /** See {@link AuthSnapshot.idleDeadlineAt}: when idle sign-out happens, during its warning. */
  readonly idleDeadlineAt: ComputedRef<number | null>
  /** `status === 'authenticated'`. */
  readonly isAuthenticated: ComputedRef<boolean>
  /** `status === 'loading'` (auth0-vue's `isLoading`). */
  readonly isLoading: ComputedRef<boolean>
  /** Starts a login; see `AuthClient.login`. */
  readonly login: AuthClient['login']
  /** Signs out; see `AuthClient.logout`. */
  readonly logout: AuthClient['logout']
  /** A fresh access token; see `AuthClient.getAccessToken`. */
  readonly getAccessToken: AuthClient['getAccessToken']
  /** The client itself, for anything else. */
  readonly client: AuthClient
}

function usageError(code: string, message: string): TypeError {
  return Object.assign(new TypeError(`tokenkeep: ${message}`), { code })
}

/**
 * The auth state of the client that {@link createAuthPlugin} provided, kept current through
 * `subscribe` and released when the calling component (or effect scope) is disposed.
 *
 * @throws TypeError `ERR_NO_EFFECT_SCOPE` outside `setup()` or an effect scope (the
 *   subscription could never be released); `ERR_NO_AUTH_PLUGIN` when the plugin is not installed.
 * @example
 * ```vue
 * <script setup lang="ts">
 * const { user, isAuthenticated, login, logout } = useAuth()
 * </script>
 * <template>
 *   <button v-if="isAuthenticated" @click="logout()">Log out {{ user?.name }}</button>
 *   <button v-else @click="login()">Log in</button>
 * </template>
 * ```
 */
export function useAuth(): UseAuthResult {
  if (!getCurrentScope()) throw usageError('ERR_NO_EFFECT_SCOPE', 'useAuth() must be called in setup() or an effect scope')
  const client = inject(authClientKey, null)
  if (!client) throw usageError('ERR_NO_AUTH_PLUGIN', 'useAuth() needs app.use(createAuthPlugin(client))')

  const snapshot = shallowRef(client.getSnapshot())
  onScopeDispose(client.subscribe(() => (snapshot.value = client.getSnapshot())))
  return {
    snapshot,
    status: computed(() => snapshot.value.status),
    user: computed(() => snapshot.value.user),
    expiresAt: computed(() => snapshot.value.expiresAt),
    error: computed(() => snapshot.value.error),
    warning: computed(() => snapshot.value.warning),
    appState: computed(() => snapshot.value.appState),
    ended: computed(() => snapshot.value.ended),
    idleDeadlineAt: computed(() => snapshot.value.idleDeadlineAt ?? null),
    isAuthenticated: computed(() => snapshot.value.status === 'authenticated'),
    isLoading: computed(() => snapshot.value.status === 'loading'),
    login: (options) => client.login(options),
    logout: (options) => client.logout(options),
    getAccessToken: (options) => client.getAccessToken(options),
    client,
  }
}
