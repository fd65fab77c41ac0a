import { createAuthClient } from '@tokenkeep/core'

// The app's one client, in a module the server also loads (it renders the client components).
// Its options read no browser global: the origin comes from configuration. On the server the
// client stays idle (AuthProvider starts it in an effect, which runs in the browser only).
const origin = process.env.NEXT_PUBLIC_APP_ORIGIN!

export const auth = createAuthClient({
  issuer: process.env.NEXT_PUBLIC_TK_ISSUER!,
  clientId: 'tokenkeep-demo',
  redirectUri: `${origin}/callback`,
  postLogoutRedirectUri: `${origin}/`,
})
