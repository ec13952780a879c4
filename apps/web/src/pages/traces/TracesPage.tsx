/** Traces: heatmap, list, waterfall (being built). */
export function TracesPage() {
  return <p>Traces</p>;
}
