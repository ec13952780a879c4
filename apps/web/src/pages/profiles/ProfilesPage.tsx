/** Profiles: service and type pickers, flame graph, diff (being built). */
export function ProfilesPage() {
  return <p>Profiles</p>;
}
