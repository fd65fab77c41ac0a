// The tokenkeep benchmark page, with the store as the only difference between variants.
import { createAuthClient, type StorageName, type TokenStorage } from '@tokenkeep/core'
import { config, exposeBench, setStatus } from './common'

export function startTokenkeepPage(page: string, storage: StorageName | TokenStorage): void {
  const auth = createAuthClient({
    issuer: config.issuer,
    clientId: config.clientId,
    redirectUri: `${location.origin}/${page}.html`,
    scope: 'openid profile email',
    storage,
    refresh: { leewayMs: 2000 },
  })
  const bench = exposeBench(
    page,
    () => auth.login(),
    () => auth.getAccessToken().catch(() => null),
  )
  auth.subscribe(() => {
    const s = auth.getSnapshot()
    bench.error = s.error ? s.error.code : null
    setStatus(bench, s.status)
  })
  void auth.start()
}
