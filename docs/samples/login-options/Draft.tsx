import { useAuth } from '@tokenkeep/react'
import { useEffect, useState } from 'react'
export {}
// ---cut---
function Draft() {
  const { appState, status, login } = useAuth()
  const [draft, setDraft] = useState('')
  const restored = (appState as { draft?: string } | undefined)?.draft
  useEffect(() => { if (restored !== undefined) setDraft(restored) }, [restored])
  return <>
    <textarea value={draft} onChange={(e) => setDraft(e.target.value)} />
    <button disabled={status === 'authenticated'} onClick={() => login({ appState: { draft } })}>Log in to keep it</button>
  </>
}
