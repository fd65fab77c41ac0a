// Stand-ins for the app's own components, so the React samples type-check.
export function Home() {
  return <h1>Home</h1>
}
export function Orders() {
  return <h1>Orders</h1>
}
export function Spinner() {
  return <p>Loading…</p>
}
export function SignInNeeded() {
  return <p>Please sign in</p>
}
export function Profile() {
  return <p>Profile</p>
}
