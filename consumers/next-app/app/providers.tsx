'use client'
import { AuthProvider } from '@tokenkeep/react'
import { useRouter } from 'next/navigation'
import type { ReactNode } from 'react'
import { auth } from './auth'

/**
 * Client component: the provider and everything that calls useAuth() live below it. Next's
 * router keeps its own location, so it is told where start() moved the page after a login.
 */
export function Providers({ children }: { children: ReactNode }) {
  const router = useRouter()
  return (
    <AuthProvider client={auth} onNavigate={(path) => router.replace(path)}>
      {children}
    </AuthProvider>
  )
}
