import { Status } from '../status'

// The redirect URI: AuthProvider's start() finishes the login here and returns to the page it began on.
export default function Callback() {
  return <Status />
}
