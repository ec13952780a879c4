import { Box, Text, useComputedColorScheme } from '@mantine/core';
import { useCallback, useMemo, useRef, useState } from 'react';
import { chartToUplotData, latestValue } from './chart-data.ts';
import { chartOptions } from './chart-options.ts';
import { chartSummary } from './chart-summary.ts';
import type { ChartJson } from './chart-types.ts';
import { ChartLegend, type LegendEntry } from './ChartLegend.tsx';
import { useElementWidth } from '../use-element-width.ts';
import { useUplot } from './use-uplot.ts';

/** Props of {@link TimeSeriesChart}. */
export interface TimeSeriesChartProps {
  /**
   * The server's chart JSON (a report's chart), or one a page built with `lineOf`. Keep it
   * referentially stable (from query data, or `useMemo`): a new object rebuilds the plot.
   */
  readonly chart: ChartJson;
  /** Plot height in CSS pixels; default 180. The width follows the container. */
  readonly heightPx?: number;
  /** A dashed horizontal line; defaults to `chart.threshold`. Pass `null` to hide it. */
  readonly threshold?: number | null;
  /** A time window shaded behind the lines, e.g. the window an RCA analysed (Unix ms). */
  readonly highlight?: { readonly fromMs: number; readonly toMs: number };
  /** Heading level of the title; default a plain bold line (the page owns the outline). */
  readonly titleOrder?: 2 | 3 | 4 | 5 | 6;
}

/**
 * A time-series chart drawn with uPlot from the server's chart JSON: unit-aware axis, a legend
 * whose entries toggle their line, the threshold line, light/dark colours, and a width that
 * follows its container. It is a `figure` named by a summary of the title and each line's latest
 * value, since the canvas itself says nothing to a screen reader.
 *
 * @example
 * ```tsx
 * <TimeSeriesChart chart={report.charts[0]} />
 * <TimeSeriesChart chart={{ title: 'CPU', unit: '%', lines: [lineOf('node-1', series)] }} threshold={80} />
 * ```
 */
export function TimeSeriesChart({
  chart,
  heightPx = 180,
  threshold,
  highlight,
  titleOrder,
}: TimeSeriesChartProps) {
  const scheme = useComputedColorScheme('light');
  const box = useRef<HTMLDivElement>(null);
  const plotBox = useRef<HTMLDivElement>(null);
  const widthPx = useElementWidth(box, 600);
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());
  const [cursor, setCursor] = useState<number | null>(null);
  const thresholdValue = threshold === null ? undefined : (threshold ?? chart.threshold);

  const data = useMemo(() => chartToUplotData(chart), [chart]);
  const empty = data.slice(1).every((ys) => ys.every((v) => v === null));
  const lineNames = useMemo(() => chart.lines.map((l) => l.name), [chart]);
  // Compared by value: callers pass `highlight` as an object literal, new on every render.
  const highlightFrom = highlight?.fromMs;
  const highlightTo = highlight?.toMs;
  const options = useMemo(
    () =>
      empty
        ? null
        : chartOptions({
            lineNames,
            unit: chart.unit,
            heightPx,
            scheme,
            hidden,
            threshold: thresholdValue,
            highlight:
              highlightFrom !== undefined && highlightTo !== undefined
                ? { fromMs: highlightFrom, toMs: highlightTo }
                : undefined,
            onCursor: setCursor,
          }),
    [empty, lineNames, chart.unit, heightPx, scheme, hidden, thresholdValue, highlightFrom, highlightTo],
  );
  useUplot(plotBox, options, data, widthPx);

  const toggle = useCallback(
    (i: number) =>
      setHidden((prev) => {
        const next = new Set(prev);
        if (!next.delete(i)) next.add(i);
        return next;
      }),
    [],
  );
  const entries: LegendEntry[] = chart.lines.map((l, i) => ({
    name: l.name,
    value: cursor !== null ? (data[i + 1]?.[cursor] ?? null) : latestValue(l),
  }));
  const summary = chartSummary(chart, thresholdValue);

  return (
    <Box component="figure" aria-label={summary} ref={box} m={0}>
      <Text
        component={titleOrder ? (`h${titleOrder}` as 'h2') : 'figcaption'}
        fw={600}
        size="sm"
        m={0}
        mb={4}
      >
        {chart.title}
      </Text>
      {empty ? (
        <Text c="dimmed" size="sm" py="md">
          No data in this range.
        </Text>
      ) : (
        <>
          {/* The canvas is decorative for assistive technology: the figure's label summarises it. */}
          <div ref={plotBox} aria-hidden="true" style={{ minHeight: heightPx }} />
          <ChartLegend
            entries={entries}
            unit={chart.unit}
            hidden={hidden}
            scheme={scheme}
            onToggle={toggle}
          />
        </>
      )}
    </Box>
  );
}
