// The app's one client, created once (see the provider guides); the samples import it from here.
export { auth } from '../support/auth'
