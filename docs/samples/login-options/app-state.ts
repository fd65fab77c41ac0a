import { auth } from '../support/auth'
declare function restoreDraft(state: unknown): void
// ---cut---
auth.subscribe(() => {
  const { status, appState } = auth.getSnapshot()
  if (status === 'authenticated' && appState) restoreDraft(appState)
})
