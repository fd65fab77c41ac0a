// Pending authorization transactions: one slot per `state`, single use, expiring.
import { parseTransaction, type Transaction } from './flows/authorize'
import type { ResolvedOptions } from '../options'
import type { ClientStorage } from '../start/clientStorage'

export interface Transactions {
  /** Stores a transaction and deletes the expired ones the index knows of. */
  save(tx: Transaction): Promise<void>
  /**
   * Reads and deletes the pending transaction for `state` (single use: gone before the code is
   * exchanged, so a replayed callback fails cleanly). `undefined` when unknown, used, expired or
   * of another mode.
   */
  take(state: string, mode: Transaction['mode']): Promise<Transaction | undefined>
}

export function createTransactions(opts: ResolvedOptions, storage: ClientStorage): Transactions {
  const { keys } = storage
  return {
    /**
     * One slot per `state`, so logins started in two tabs never overwrite each other. The index
     * exists only to delete abandoned transactions once they expire; losing an index update to a
     * concurrent tab leaves garbage behind but never breaks a login.
     */
    async save(tx) {
      const s = await storage.open()
      const raw = await s.get<unknown>(keys.txIndex)
      const index = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {}
      const kept: Record<string, number> = {}
      for (const [state, expiresAt] of Object.entries(index)) {
        if (typeof expiresAt === 'number' && expiresAt > opts.now()) kept[state] = expiresAt
        else await s.remove(keys.tx(state))
      }
      kept[tx.state] = tx.expiresAt
      await s.set(keys.tx(tx.state), tx)
      await s.set(keys.txIndex, kept)
    },
    async take(state, mode) {
      if (state === '') return undefined
      const s = await storage.open()
      const tx = parseTransaction(await s.get<unknown>(keys.tx(state)))
      await s.remove(keys.tx(state))
      return tx && tx.expiresAt > opts.now() && tx.mode === mode ? tx : undefined
    },
  }
}
