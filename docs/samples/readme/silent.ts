import { createAuthClient, silentLogin } from '@tokenkeep/core'

const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'my-spa',
  redirectUri: `${location.origin}/callback`,
  refresh: {
    silent: silentLogin({
      redirectUri: `${location.origin}/silent-callback.html`, // registered at the provider
      // timeoutMs: 10_000,  // give up on the iframe after 10 s (default)
    }),
  },
})
