import type { AuthErrorCode } from '../errors'
import type { Session } from '../session/session'

/**
 * What tabs tell each other. A new or refreshed session travels in the message itself, because
 * not every store is consistent across tab processes (localStorage is not; IndexedDB is).
 */
export type TabMessage =
  | {
      /** A tab signed in or renewed. */
      readonly type: 'session'
      /** The new session record. */
      readonly session: Session
    }
  | {
      /** A tab signed out, or its session ended. */
      readonly type: 'signedOut'
      /** Why the session ended, when the provider ended it. */
      readonly code?: AuthErrorCode
    }
  | {
      /** The provider asked for quiet (Retry-After): no tab renews before `until` (epoch ms). */
      readonly type: 'quiet'
      /** Epoch ms before which no tab sends a renewal. */
      readonly until: number
      /** The error the provider answered with, shown by tabs that are asked meanwhile. */
      readonly code: AuthErrorCode
    }

/**
 * Carries {@link TabMessage}s to the other tabs of the origin (not back to the sender). Injectable
 * through the `tabs.channel` option; the default is a `BroadcastChannel` named after issuer + client id.
 */
export interface Channel {
  /** Sends a message to every other tab listening on this channel. */
  post(message: TabMessage): void
  /** Listens for messages from other tabs; returns the unsubscribe function. */
  subscribe(listener: (message: TabMessage) => void): () => void
}

/** Where BroadcastChannel is missing, tabs simply do not hear each other (per-tab behaviour). */
export const silentChannel: Channel = { post: () => {}, subscribe: () => () => {} }

/**
 * A BroadcastChannel-backed channel, opened on first use and closed when the last listener
 * leaves. Only same-origin pages can join a BroadcastChannel.
 */
export function broadcastChannel(name: string): Channel {
  if (typeof BroadcastChannel === 'undefined') return silentChannel
  let bc: BroadcastChannel | undefined
  const listeners = new Set<(message: TabMessage) => void>()
  const open = () => {
    if (bc) return bc
    bc = new BroadcastChannel(name)
    bc.onmessage = (event: MessageEvent) => {
      const message = parseMessage(event.data)
      if (message) for (const l of [...listeners]) l(message)
    }
    return bc
  }
  return {
    post(message) {
      open().postMessage(message)
    },
    subscribe(listener) {
      open()
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0) {
          bc?.close()
          bc = undefined
        }
      }
    },
  }
}

function parseMessage(data: unknown): TabMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined
  const m = data as { type?: unknown; session?: unknown; code?: unknown; until?: unknown }
  if (m.type === 'session' && typeof m.session === 'object' && m.session !== null) return m as TabMessage
  if (m.type === 'quiet' && typeof m.until === 'number' && typeof m.code === 'string') return m as TabMessage
  if (m.type === 'signedOut' && (m.code === undefined || typeof m.code === 'string')) return m as TabMessage
  return undefined
}
