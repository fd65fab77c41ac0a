// next/navigation comes from docs/samples/support/next-shims.d.ts; e2e/consumers.e2e.ts builds
// the same provider against the real Next.js (consumers/next-app/app/providers.tsx).
import type * as React from 'react'
// ---cut---
// app/providers.tsx, rendered by app/layout.tsx around {children}
'use client'
import { AuthProvider } from '@tokenkeep/react'
import { useRouter } from 'next/navigation'
import { auth } from './auth'

export function Providers({ children }: { children: React.ReactNode }) {
  const router = useRouter()
  // Next's router keeps its own location: tell it where start() moved the page after a login.
  return <AuthProvider client={auth} onNavigate={(path) => router.replace(path)}>{children}</AuthProvider>
}
