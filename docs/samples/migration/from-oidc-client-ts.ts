import { createAuthClient, popupLogin, silentLogin } from '@tokenkeep/core'

// new UserManager({ authority, client_id, redirect_uri, ... }) becomes:
export const auth = createAuthClient({
  issuer: 'https://id.example.com', // authority
  clientId: 'my-spa', // client_id
  redirectUri: `${location.origin}/callback`, // redirect_uri
  postLogoutRedirectUri: `${location.origin}/`, // post_logout_redirect_uri
  scope: 'openid profile email offline_access', // scope (oidc-client-ts defaults to 'openid')
  storage: 'indexeddb', // userStore: new WebStorageStateStore({ store: localStorage })
  authorizationParams: { ui_locales: 'de' }, // extraQueryParams
  popup: popupLogin({ redirectUri: `${location.origin}/popup-callback.html` }), // popup_redirect_uri
  // silent_redirect_uri, for providers without refresh tokens (automaticSilentRenew is built in)
  refresh: { silent: silentLogin({ redirectUri: `${location.origin}/silent-callback.html` }) },
})

// userManager.signinRedirectCallback() on the callback page, getUser() on the others: one call.
await auth.start()

// userManager.events.addUserLoaded / addUserUnloaded / addSilentRenewError: one listener.
// error: a sign-in failed or the session ended; warning: a renewal is being retried.
auth.subscribe(() => {
  const { status, user, expiresAt, error, warning } = auth.getSnapshot()
  console.log(status, user?.sub, expiresAt, error?.code, warning?.code)
})

// user.access_token: ask each time; it is renewed first when it is about to expire.
export const token = (): Promise<string> => auth.getAccessToken()
