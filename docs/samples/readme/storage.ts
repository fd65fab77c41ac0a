import { createAuthClient, type AuthClientOptions } from '@tokenkeep/core'
declare const options: AuthClientOptions
declare const myStore: TokenStorage
// ---cut---
interface TokenStorage {
  get<T>(key: string): Promise<T | undefined>
  set<T>(key: string, value: T): Promise<void>
  remove(key: string): Promise<void>
}
createAuthClient({ ...options, storage: myStore })
