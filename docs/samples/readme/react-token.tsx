import { useAuth } from '@tokenkeep/react'
export {}
// ---cut---
const { getAccessToken } = useAuth()
const res = await fetch('/api/orders', { headers: { authorization: `Bearer ${await getAccessToken()}` } })
