// Broken browser storage, injected into the app's pages before any script runs (an init script),
// the way private modes, full disks and stuck databases break it for real users.
import type { BrowserContext } from 'playwright-core'

/**
 * - `write-only`: sessionStorage answers reads but every write throws QuotaExceededError (a quota
 *   of zero, as in some private modes).
 * - `read`: reading sessionStorage throws SecurityError (storage denied by the browser's settings).
 * - `idb-blocked`: `indexedDB.open` never succeeds (another connection blocks the upgrade).
 * - `quota`: sessionStorage really is full: filled with padding until the browser refuses more.
 */
export type StorageFault = 'write-only' | 'read' | 'idb-blocked' | 'quota'

/** Which store the app is opened with for each fault. */
export const storeFor: Record<StorageFault, string> = {
  'write-only': 'session',
  read: 'session',
  'idb-blocked': 'indexeddb',
  quota: 'session',
}

/** Breaks storage as `fault` says in every page of `context` on `appOrigin` (not the provider's). */
export async function injectStorageFault(context: BrowserContext, fault: StorageFault, appOrigin: string): Promise<void> {
  await context.addInitScript(
    ({ fault, appOrigin }) => {
      if (location.origin !== appOrigin) return
      const proto = Storage.prototype
      const isSession = (area: Storage) => area === window.sessionStorage
      if (fault === 'write-only') {
        const setItem = proto.setItem
        proto.setItem = function (this: Storage, key: string, value: string) {
          if (isSession(this)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
          return setItem.call(this, key, value)
        }
      } else if (fault === 'read') {
        const getItem = proto.getItem
        proto.getItem = function (this: Storage, key: string) {
          if (isSession(this)) throw new DOMException('The operation is insecure.', 'SecurityError')
          return getItem.call(this, key)
        }
      } else if (fault === 'idb-blocked') {
        IDBFactory.prototype.open = function () {
          // A request that stays pending: what a blocked upgrade looks like to the page.
          const request = new EventTarget() as IDBOpenDBRequest
          setTimeout(() => request.dispatchEvent(new Event('blocked')), 0)
          return request
        }
      } else if (fault === 'quota') {
        const fits = (value: string) => {
          try {
            sessionStorage.setItem('pad-probe', value)
            sessionStorage.removeItem('pad-probe')
            return true
          } catch {
            return false
          }
        }
        // Fill once per tab: big blocks first, then smaller ones, until not one character fits.
        for (let size = 1 << 20, n = 0; size >= 1; size >>= 1) {
          const block = 'x'.repeat(size)
          while (fits(block)) sessionStorage.setItem(`pad-${size}-${n++}`, block)
        }
      }
    },
    { fault, appOrigin },
  )
}
