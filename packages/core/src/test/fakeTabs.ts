// In-process stand-ins for what tabs share in a browser: one Web Lock manager, one
// BroadcastChannel hub, one storage area. Each "tab" is a client wired to the same hub.
import type { TokenStorage } from '../storage/tokenStorage'
import type { Channel, TabMessage } from '../tabs/channel'
import type { Lock } from '../tabs/lock'

export interface TabHub {
  lock: Lock
  channel(): Channel
  storage: TokenStorage
  /** How many times the lock was taken. */
  lockCount: number
}

export function createTabHub(): TabHub {
  let tail: Promise<unknown> = Promise.resolve()
  const members = new Set<(m: TabMessage) => void>()
  const map = new Map<string, unknown>()
  const hub: TabHub = {
    lockCount: 0,
    lock: (_name, fn) => {
      const run = tail.then(() => {
        hub.lockCount += 1
        return fn()
      })
      tail = run.catch(() => {})
      return run
    },
    channel() {
      let own: ((m: TabMessage) => void) | undefined
      return {
        // Like BroadcastChannel: structured clone, async delivery, never to the sender itself.
        post(message) {
          const copy = structuredClone(message)
          for (const l of members) if (l !== own) queueMicrotask(() => l(copy))
        },
        subscribe(listener) {
          own = listener
          members.add(listener)
          return () => void members.delete(listener)
        },
      }
    },
    storage: {
      get: async (k) => structuredClone(map.get(k)) as never,
      set: async (k, v) => void map.set(k, structuredClone(v)),
      remove: async (k) => void map.delete(k),
    },
  }
  return hub
}
