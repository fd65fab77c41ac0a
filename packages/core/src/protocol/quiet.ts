// The provider's Retry-After, kept for every tab: the tab told to wait stores "quiet until" in the
// client's storage and says it on the tab channel, before the tab lock goes; every tab looks at
// both under the lock before renewing. The message carries the moment itself, because a
// localStorage write may not be visible yet in another tab process when the message (or the
// lock) gets there; storage serves the tabs opened later. Protocol code: what the start path
// keeps is only what the channel said (keeper.heardQuiet).
import type { AuthErrorCode } from '../errors'
import { AuthError } from './kit'
import type { Keeper } from '../start/keeper'
import type { TabSync } from '../start/tabSync'
import type { ProtocolContext } from './context'

/** While the provider's quiet lasts (here, in another tab, or in storage): an error saying so, its `retryAfterMs` what is left. */
export async function quietNow(p: ProtocolContext, keeper: Keeper): Promise<AuthError | undefined> {
  const stored = (await (await p.storage.open()).get<{ until?: unknown; code?: unknown }>(p.storage.keys.quiet)) ?? {}
  if (typeof stored.until === 'number' && typeof stored.code === 'string') keeper.heardQuiet(stored.until, stored.code as AuthErrorCode)
  const held = keeper.quietHeard()
  const t = p.opts.now()
  return held && t < held.until ? new AuthError(held.code, 'The provider asked to wait (Retry-After)', { retryAfterMs: held.until - t }) : undefined
}

/** This tab was answered `error` with a Retry-After: keep it here, in storage and in every tab. */
export async function shareQuiet(p: ProtocolContext, keeper: Keeper, tabs: TabSync, { code, retryAfterMs }: AuthError): Promise<void> {
  const until = p.opts.now() + retryAfterMs!
  keeper.heardQuiet(until, code)
  tabs.post({ type: 'quiet', until, code })
  await (await p.storage.open()).set(p.storage.keys.quiet, { until, code })
}
