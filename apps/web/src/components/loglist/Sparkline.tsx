/** Polyline points for `values` in a `width`×`height` box (y up, 1 px margin). */
export function sparklinePoints(values: readonly number[], width: number, height: number): string {
  const max = Math.max(1, ...values);
  const stepX = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((v, i) => `${(i * stepX).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`)
    .join(' ');
}

/** A tiny trend line; `label` names it for screen readers (the numbers are in the row). */
export function Sparkline({
  values,
  colour,
  label,
  width = 120,
  height = 24,
}: {
  values: readonly number[];
  colour: string;
  label: string;
  width?: number;
  height?: number;
}) {
  return (
    <svg width={width} height={height} role="img" aria-label={label}>
      <polyline
        points={sparklinePoints(values, width, height)}
        fill="none"
        stroke={colour}
        strokeWidth={1.5}
      />
    </svg>
  );
}
