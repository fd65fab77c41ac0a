declare const process: { env: Record<string, string | undefined> }
// ---cut---
// app/auth.ts
import { createAuthClient } from '@tokenkeep/core'

const origin = process.env.NEXT_PUBLIC_APP_ORIGIN!          // e.g. https://app.example.com
export const auth = createAuthClient({
  issuer: process.env.NEXT_PUBLIC_TK_ISSUER!,
  clientId: 'my-spa',
  redirectUri: `${origin}/callback`,                         // a page of the app (app/callback/page.tsx)
  postLogoutRedirectUri: `${origin}/`,
})
