import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AuthError } from '../errors'
import { createGuardedStorage } from './guardedStorage'
import { indexedDbStore } from './indexedDbStorage'
import { createMemoryStorage } from './memoryStorage'
import type { TokenStorage } from './tokenStorage'
import { localStore, sessionStore } from './webStorage'

const record = { v: 1, accessToken: 'a', nested: { list: [1, 2, 3] }, at: 12 }

const stores: Record<string, () => TokenStorage> = {
  memory: createMemoryStorage,
  session: sessionStore,
  local: localStore,
  indexeddb: () => indexedDbStore(`test-${crypto.randomUUID()}`),
}

describe.each(Object.entries(stores))('%s store', (_name, make) => {
  it('round-trips values and removes them', async () => {
    const store = make()
    expect(await store.get('k')).toBeUndefined()
    await store.set('k', record)
    expect(await store.get('k')).toEqual(record)
    await store.set('k', { ...record, at: 13 })
    expect(await store.get<typeof record>('k')).toMatchObject({ at: 13 })
    await store.remove('k')
    expect(await store.get('k')).toBeUndefined()
    await store.remove('never-set')
  })

  it('hands out copies, so a caller cannot mutate what is stored', async () => {
    const store = make()
    const value = { list: [1] }
    await store.set('k', value)
    value.list.push(2)
    const read = await store.get<typeof value>('k')
    read!.list.push(3)
    expect(await store.get('k')).toEqual({ list: [1] })
  })
})

describe('indexeddb store', () => {
  it('keeps values a JSON store cannot (structured clone: Dates, Maps, typed arrays)', async () => {
    const store = indexedDbStore(`test-${crypto.randomUUID()}`)
    const value = { when: new Date(5), map: new Map([['a', 1]]), bytes: new Uint8Array([1, 2]) }
    await store.set('k', value)
    expect(await store.get('k')).toEqual(value)
  })

  it('two databases never see each other', async () => {
    const a = indexedDbStore(`a-${crypto.randomUUID()}`)
    const b = indexedDbStore(`b-${crypto.randomUUID()}`)
    await a.set('k', 1)
    expect(await b.get('k')).toBeUndefined()
  })
})

describe('createGuardedStorage', () => {
  afterEach(() => vi.restoreAllMocks())

  const throwing = (): TokenStorage => ({
    get: () => Promise.reject(new DOMException('denied', 'SecurityError')),
    set: () => {
      throw new DOMException('full', 'QuotaExceededError')
    },
    remove: () => Promise.reject(new Error('gone')),
  })

  it('falls back to memory once, with one warning and one ERR_STORAGE report', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const reports: AuthError[] = []
    const store = createGuardedStorage(throwing(), { report: (e) => reports.push(e) })
    expect(await store.get('k')).toBeUndefined()
    await store.set('k', 1)
    expect(await store.get('k')).toBe(1)
    await store.remove('k')
    expect(await store.get('k')).toBeUndefined()
    expect(reports.map((e) => e.code)).toEqual(['ERR_STORAGE'])
    expect(warn).toHaveBeenCalledTimes(1)
  })

  it('a write that throws still lands (in memory) so the sign-in is not lost', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const store = createGuardedStorage(
      { ...createMemoryStorage(), set: () => Promise.reject(new DOMException('full', 'QuotaExceededError')) },
      { report: () => {} },
    )
    await store.set('session', { ok: true })
    expect(await store.get('session')).toEqual({ ok: true })
  })

  it('a store that never answers (blocked IndexedDB) is treated as broken after the timeout', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const reports: AuthError[] = []
    const hanging: TokenStorage = { get: () => new Promise(() => {}), set: () => new Promise(() => {}), remove: () => new Promise(() => {}) }
    const store = createGuardedStorage(hanging, { report: (e) => reports.push(e), timeoutMs: 20 })
    expect(await store.get('k')).toBeUndefined()
    await store.set('k', 2)
    expect(await store.get('k')).toBe(2)
    expect(reports).toHaveLength(1)
  })

  it('a value that does not parse is removed and reported, and the store stays in use', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    sessionStorage.setItem('bad', '{oops')
    sessionStorage.setItem('good', '"fine"')
    const reports: AuthError[] = []
    const store = createGuardedStorage(sessionStore(), { report: (e) => reports.push(e) })
    expect(await store.get('bad')).toBeUndefined()
    expect(sessionStorage.getItem('bad')).toBeNull()
    expect(await store.get('good')).toBe('fine')
    await store.set('new', 1)
    expect(sessionStorage.getItem('new')).toBe('1')
    expect(reports.map((e) => e.code)).toEqual(['ERR_STORAGE'])
  })

  it('IndexedDB missing entirely falls back to memory', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const original = globalThis.indexedDB
    // @ts-expect-error simulate a browser without IndexedDB
    delete globalThis.indexedDB
    try {
      const reports: AuthError[] = []
      const store = createGuardedStorage(indexedDbStore('missing'), { report: (e) => reports.push(e) })
      await store.set('k', 1)
      expect(await store.get('k')).toBe(1)
      expect(reports).toHaveLength(1)
    } finally {
      globalThis.indexedDB = original
    }
  })
})
