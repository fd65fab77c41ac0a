// The provider's Retry-After, kept for every tab: a tab told to wait stores "quiet until" in the
// client's storage and says it on the tab channel, and every tab looks at both before renewing.
// The message carries the moment itself, because a localStorage write may not be visible yet in
// another tab process when the message (or the tab lock) gets there; storage serves the tabs
// opened later.
import { AuthError, type AuthErrorCode } from '../errors'
import type { ClientStorage } from './clientStorage'
import type { TabSync } from './tabSync'

export interface Quiet {
  /** While the provider's quiet lasts: an error saying so, its `retryAfterMs` what is left. */
  active(): Promise<AuthError | undefined>
  /** This tab was answered `error` (with `retryAfterMs`): keep it here, in storage and in every tab. */
  share(error: AuthError): Promise<void>
  /** Another tab was told to wait until `until` (epoch ms). */
  heard(until: number, code: AuthErrorCode): void
  /** A renewal got through: the quiet is over. */
  clear(): void
}

export function createQuiet(now: () => number, storage: ClientStorage, tabs: TabSync): Quiet {
  /** The longest quiet this tab knows of, and the error it came with. */
  let held: { until: number; error: AuthError } | undefined

  const hold = (until: number, error: AuthError) => {
    if (!held || until > held.until) held = { until, error }
  }

  return {
    async active() {
      const stored = await (await storage.open()).get<unknown>(storage.keys.quiet)
      const s = stored as { until?: unknown; code?: unknown } | undefined
      if (s && typeof s.until === 'number' && typeof s.code === 'string' && (!held || s.until > held.until)) {
        hold(s.until, new AuthError(s.code as AuthErrorCode, 'The provider asked every tab to wait (Retry-After)'))
      }
      const t = now()
      if (!held || t >= held.until) return undefined
      const { error, until } = held
      return new AuthError(error.code, error.message, {
        cause: error.cause,
        retryAfterMs: until - t,
        ...(error.status === undefined ? {} : { status: error.status }),
        ...(error.error === undefined ? {} : { error: error.error }),
      })
    },
    async share(error) {
      const until = now() + error.retryAfterMs!
      hold(until, error)
      tabs.post({ type: 'quiet', until, code: error.code })
      await (await storage.open()).set(storage.keys.quiet, { until, code: error.code })
    },
    heard(until, code) {
      hold(until, new AuthError(code, 'The provider asked every tab to wait (Retry-After)'))
    },
    clear() {
      held = undefined
    },
  }
}
