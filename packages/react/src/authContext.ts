import type { AuthClient } from '@tokenkeep/core'
import { createContext } from 'react'

/** The client an {@link AuthProvider} hands to its subtree. Internal: apps use `useAuth()`. */
export const AuthContext = createContext<AuthClient | null>(null)
AuthContext.displayName = 'TokenkeepAuth'
