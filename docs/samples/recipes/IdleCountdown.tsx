import type { IdleSignOut } from '@tokenkeep/core'

declare const idle: IdleSignOut
// ---cut---
import { useAuth } from '@tokenkeep/react'
import { useEffect, useState } from 'react'

// Shown while idleDeadlineAt is set (warnMs before the sign-out); any activity or the button
// moves the deadline in every tab, and the warning goes.
export function IdleCountdown() {
  const { idleDeadlineAt } = useAuth()
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (idleDeadlineAt == null) return
    const timer = setInterval(() => setNow(Date.now()), 1_000)
    return () => clearInterval(timer)
  }, [idleDeadlineAt])
  if (idleDeadlineAt == null) return null
  return (
    <div role="alertdialog">
      You will be signed out in {Math.max(0, Math.ceil((idleDeadlineAt - now) / 1000))} s.
      <button onClick={() => idle.stillHere()}>Stay signed in</button>
    </div>
  )
}
