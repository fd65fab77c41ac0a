import { createAuthClient, popupLogin } from '@tokenkeep/core'

const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'my-spa',
  redirectUri: `${location.origin}/callback`,
  popup: popupLogin({
    redirectUri: `${location.origin}/popup-callback.html`,
    // timeoutMs: 120_000,        // give up after 2 minutes (default)
    // fallbackToRedirect: true,  // blocked popup → ordinary redirect login instead of ERR_POPUP_BLOCKED
  }),
})
