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
  /** The longest quiet this tab knows of (epoch ms), and the code of the error it came with. */
  let held: { until: number; code: AuthErrorCode } | undefined

  const hold = (until: unknown, code: unknown) => {
    if (typeof until === 'number' && typeof code === 'string' && !(held && held.until >= until)) held = { until, code: code as AuthErrorCode }
  }

  return {
    async active() {
      const stored = (await (await storage.open()).get<{ until?: unknown; code?: unknown }>(storage.keys.quiet)) ?? {}
      hold(stored.until, stored.code)
      const t = now()
      if (held && t < held.until) return new AuthError(held.code, 'The provider asked to wait (Retry-After)', { retryAfterMs: held.until - t })
      return undefined
    },
    async share({ code, retryAfterMs }) {
      const until = now() + retryAfterMs!
      hold(until, code)
      tabs.post({ type: 'quiet', until, code })
      await (await storage.open()).set(storage.keys.quiet, { until, code })
    },
    heard: hold,
    clear() {
      held = undefined
    },
  }
}
