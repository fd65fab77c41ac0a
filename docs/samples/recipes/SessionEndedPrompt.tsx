import { RequireAuth, useAuth } from '@tokenkeep/react'
import type { ReactNode } from 'react'

declare function Editor(): ReactNode
declare function SignInNeeded(): ReactNode
// ---cut---
// The provider ended the session while the editor was open: RequireAuth keeps it mounted (what
// the user typed stays) and shows this prompt after it. A popup sign-in carries on in place, in
// every tab; signing in as someone else remounts the editor, so the previous user's draft goes.
function SignedOutPrompt() {
  const { ended, login } = useAuth()
  return (
    <div role="alert">
      {String(ended?.user.name ?? 'You')}, you were signed out. Your work is still here.
      {/* No await before login(): the popup must open inside the click. */}
      <button onClick={() => void login({ popup: true }).catch(() => {})}>Sign in again</button>
    </div>
  )
}

export function EditorPage() {
  return (
    <RequireAuth fallback={<SignInNeeded />} sessionEnded={<SignedOutPrompt />}>
      <Editor />
    </RequireAuth>
  )
}
// Today's behaviour instead (replace the page, go to the provider): onSessionEnd="login".
