// tokenkeep set up as its README recommends for a session shared between tabs: IndexedDB storage
// (refresh once for all tabs is built in). Short refresh leeway to match the short token lifetime.
import { createAuthClient } from '@tokenkeep/core'
import { config, exposeBench, setStatus } from './common'

const auth = createAuthClient({
  issuer: config.issuer,
  clientId: config.clientId,
  redirectUri: `${location.origin}/tokenkeep.html`,
  scope: 'openid profile email',
  storage: 'indexeddb',
  refresh: { leewayMs: 2000 },
})

const bench = exposeBench(
  'tokenkeep',
  () => auth.login(),
  () => auth.getAccessToken().catch(() => null),
)
auth.subscribe(() => {
  const s = auth.getSnapshot()
  bench.error = s.error ? s.error.code : null
  setStatus(bench, s.status)
})
void auth.start()
