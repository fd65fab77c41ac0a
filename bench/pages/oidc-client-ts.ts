// oidc-client-ts set up as its docs recommend for a session shared between tabs: the user in
// localStorage (userStore) and automaticSilentRenew, which renews with the refresh token when
// there is one. Expiring notification 2 s before expiry, to match the short token lifetime.
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts'
import { config, exposeBench, setStatus } from './common'

const mgr = new UserManager({
  authority: config.issuer,
  client_id: config.clientId,
  redirect_uri: `${location.origin}/oidc-client-ts.html`,
  post_logout_redirect_uri: `${location.origin}/oidc-client-ts.html`,
  scope: 'openid profile email',
  userStore: new WebStorageStateStore({ store: window.localStorage }),
  automaticSilentRenew: true,
  accessTokenExpiringNotificationTimeInSeconds: 2,
})

const valid = (user: User | null) => (user && !user.expired ? user : null)

const bench = exposeBench(
  'oidc-client-ts',
  () => mgr.signinRedirect(),
  async () => valid(await mgr.getUser())?.access_token ?? null,
)
const show = (user: User | null) => setStatus(bench, valid(user) ? 'authenticated' : 'anonymous')
mgr.events.addUserLoaded(show)
mgr.events.addUserUnloaded(() => show(null))
mgr.events.addAccessTokenExpired(() => show(null))
mgr.events.addSilentRenewError((e) => {
  bench.error = e.message
})

async function start() {
  const url = new URL(location.href)
  if (url.searchParams.has('code') || url.searchParams.has('error')) {
    const user = await mgr.signinRedirectCallback()
    history.replaceState(null, '', url.pathname)
    show(user)
  } else {
    show(await mgr.getUser())
  }
}
start().catch((e: Error) => {
  bench.error = e.message
  setStatus(bench, 'error')
})
