// Idle sign-out as an opt-in part of the client: an app that never imports idleSignOut() ships
// none of this. Activity in any tab keeps every tab signed in (the last activity time travels on
// a BroadcastChannel and is kept in localStorage for tabs opened later); the deadline is read
// from the wall clock, so a laptop that slept past it signs out when it wakes.
import type { LogoutOptions } from '../api'
import { optionError } from '../errors'
import type { Store } from '../store'

/** Options of {@link idleSignOut}. */
export interface IdleSignOutOptions {
  /** Sign out after this long without activity in any tab (ms). */
  afterMs: number
  /**
   * The snapshot's `idleDeadlineAt` is set this long before the sign-out (ms), so the app can
   * show a countdown and a "Stay signed in" button. Default 60 000, at most `afterMs`.
   */
  warnMs?: number
  /** How the sign-out is done: `logout()` with these options. Default `{}` (as a logout button). */
  logout?: LogoutOptions
}

/**
 * What the client lends the idle sign-out. Internal: built by `createAuthClient`.
 *
 * @internal
 */
export interface IdleClientHooks {
  /** The client's store: the snapshot, and the `idle` action that shows the coming sign-out. */
  readonly store: Pick<Store, 'getSnapshot' | 'subscribe' | 'dispatch'>
  /** The client's key prefix (names the channel and the storage key) and clock. */
  readonly opts: { readonly keyPrefix: string; readonly now: () => number }
  logout(options: LogoutOptions): Promise<void>
}

/** What {@link idleSignOut} returns; pass it as the client's `idle` option. */
export interface IdleSignOut {
  /**
   * The user is still here (a "Stay signed in" button): the countdown starts over, in every tab.
   * Any pointer, key, wheel, scroll or touch activity does the same by itself.
   */
  stillHere(): void
  /**
   * The client calls this once; `start()` / `stop()` attach and detach listeners and timers.
   *
   * @internal
   */
  connect(hooks: IdleClientHooks): { start(): void; stop(): void }
}

/** Activity is shared with the other tabs at most this often (and once more after the last). */
const SHARE_EVERY_MS = 2_000
const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'scroll', 'touchstart'] as const
/** Moments the timers may have slept through (laptop sleep, background throttling). */
const WAKE = ['visibilitychange', 'focus', 'pageshow'] as const

/**
 * Signs the user out after `afterMs` without activity in any tab of the app, the way `logout()`
 * does, with a warning first: the snapshot's `idleDeadlineAt` says when, from `warnMs` before.
 * Activity (pointer, keys, wheel, scroll, touch, a tab becoming visible) in any tab, or
 * `stillHere()`, starts the countdown over in every tab. Time is wall-clock time: a computer that
 * sleeps past the deadline signs out when it wakes. Closing every tab does not stop the count:
 * a session restored after `afterMs` without activity signs out at once.
 *
 * @throws TypeError `ERR_INVALID_OPTION` for an `afterMs` that is not a positive number, or a
 *   `warnMs` that is negative or longer than `afterMs`.
 * @example
 * ```ts
 * const idle = idleSignOut({ afterMs: 15 * 60_000, warnMs: 60_000 })
 * const auth = createAuthClient({ issuer, clientId, redirectUri, idle })
 * auth.subscribe(() => {
 *   const at = auth.getSnapshot().idleDeadlineAt
 *   // Show "You will be signed out in … s" while it is set, with a button that calls idle.stillHere().
 *   if (at != null) console.log(`signed out in ${Math.ceil((at - Date.now()) / 1000)} s`)
 * })
 * ```
 */
export function idleSignOut(options: IdleSignOutOptions): IdleSignOut {
  const { afterMs, warnMs = Math.min(60_000, afterMs), logout = {} } = options ?? ({} as IdleSignOutOptions)
  if (typeof afterMs !== 'number' || !Number.isFinite(afterMs) || afterMs <= 0) throw optionError('idle.afterMs', 'must be a positive number of milliseconds')
  if (typeof warnMs !== 'number' || !Number.isFinite(warnMs) || warnMs < 0 || warnMs > afterMs) {
    throw optionError('idle.warnMs', 'must be a number of milliseconds between 0 and afterMs')
  }
  let touch: (() => void) | undefined

  return {
    stillHere: () => touch?.(),
    connect({ store: client, opts, logout: signOutAs }) {
      const { now, keyPrefix: prefix } = opts
      const show = (at: number | null) => client.dispatch({ type: 'idle', at })
      const key = `${prefix}idle`
      /** The last activity in any tab (epoch ms). */
      let last = now()
      let sharedAt = -Infinity
      let trailing: ReturnType<typeof setTimeout> | undefined
      let timer: ReturnType<typeof setTimeout> | undefined
      let channel: BroadcastChannel | undefined
      let unsubscribe: (() => void) | undefined
      let signedIn = false
      let signingOut = false

      const stored = (): number | undefined => {
        try {
          const v = Number(localStorage.getItem(key))
          return v > 0 ? v : undefined
        } catch {
          return undefined // storage blocked: the tabs open now still share it on the channel
        }
      }
      const store = (value: number | undefined) => {
        try {
          if (value === undefined) localStorage.removeItem(key)
          else localStorage.setItem(key, String(value))
        } catch {
          // Tabs opened later start their own count.
        }
      }

      /** Tells the other tabs (and storage) now, or once the throttle allows. */
      function share(): void {
        const t = now()
        if (t - sharedAt >= SHARE_EVERY_MS) {
          sharedAt = t
          channel?.postMessage({ at: last })
          store(last)
        } else {
          trailing ??= setTimeout(() => {
            trailing = undefined
            share()
          }, sharedAt + SHARE_EVERY_MS - t)
        }
      }

      /** Looks at the clock: sign out, warn, or wait for the next of the two. */
      function check(): void {
        if (timer !== undefined) clearTimeout(timer)
        timer = undefined
        if (!signedIn || signingOut) return show(null)
        const deadline = last + afterMs
        const t = now()
        if (t >= deadline) return signOut()
        const warnAt = deadline - warnMs
        show(t >= warnAt ? deadline : null)
        timer = setTimeout(check, Math.min((t < warnAt ? warnAt : deadline) - t, 2 ** 31 - 1))
      }

      function active(): void {
        if (!signedIn || signingOut) return
        last = Math.max(last, now())
        share()
        // Leaving the warning shows at once; otherwise the running timer sees the new deadline.
        if (timer === undefined || client.getSnapshot().idleDeadlineAt != null) check()
      }

      /** One tab signs out (the others hear the logout); where Web Locks are missing, each does. */
      function signOut(): void {
        signingOut = true
        show(null)
        store(undefined)
        const run = async (held: unknown) => {
          if (held !== null && client.getSnapshot().status === 'authenticated') await signOutAs(logout).catch(() => {})
        }
        const locks = typeof navigator === 'undefined' ? undefined : navigator.locks
        void (locks ? locks.request(`tokenkeep:${prefix}idle`, { ifAvailable: true }, run) : run(true)).catch(() => {})
      }

      function onSnapshot(): void {
        const s = client.getSnapshot()
        const was = signedIn
        signedIn = s.status === 'authenticated'
        if (signedIn === was) return
        if (signedIn) {
          signingOut = false
          // Every tab was closed, and the session restored later: the idle time counts.
          const before = stored()
          if (before !== undefined && now() - before >= afterMs) {
            last = before
            return check()
          }
          last = now()
          share()
        } else {
          store(undefined)
        }
        check()
      }

      function onActivity(event: Event): void {
        if (WAKE.includes(event.type as (typeof WAKE)[number])) {
          // Woken up: the deadline first (it may have passed during sleep), then the activity.
          check()
          if (event.type === 'visibilitychange' && document.visibilityState !== 'visible') return
        }
        active()
      }

      const onMessage = (event: MessageEvent) => {
        const at = (event.data as { at?: unknown } | null)?.at
        if (typeof at === 'number' && at > last) {
          last = at
          check()
        }
      }

      const targets = (type: string): EventTarget => (type === 'visibilitychange' ? document : window)
      return {
        start() {
          if (unsubscribe) return
          touch = active
          if (typeof BroadcastChannel !== 'undefined') {
            channel = new BroadcastChannel(`tokenkeep:${prefix}idle`)
            channel.onmessage = onMessage
          }
          for (const type of [...ACTIVITY, ...WAKE]) targets(type).addEventListener(type, onActivity, { capture: true, passive: true })
          unsubscribe = client.subscribe(onSnapshot)
          onSnapshot()
        },
        stop() {
          unsubscribe?.()
          unsubscribe = undefined
          touch = undefined
          channel?.close()
          channel = undefined
          for (const type of [...ACTIVITY, ...WAKE]) targets(type).removeEventListener(type, onActivity, { capture: true })
          clearTimeout(timer)
          clearTimeout(trailing)
          timer = trailing = undefined
          signedIn = false
        },
      }
    },
  }
}
