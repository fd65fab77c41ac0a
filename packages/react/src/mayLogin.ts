import type { AuthSnapshot } from '@tokenkeep/core'

/**
 * Whether a guard may send the user to the provider on its own. Not after a failed sign-in
 * (declined consent, tampered or stale callback, provider down): logging in again would bounce
 * the browser between app and provider forever. A session the provider ended is fine to sign in
 * to again (and a store that fell back to memory, now a `warning`). Internal to this package.
 */
export function mayLogin({ status, error }: AuthSnapshot): boolean {
  return status === 'unauthenticated' && (error === null || error.code === 'ERR_SESSION_EXPIRED' || error.code === 'ERR_STORAGE')
}
