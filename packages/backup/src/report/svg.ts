/**
 * Inline SVG bar charts: one bar per week, its value written above it (so the
 * chart reads without colour and in print), weeks without data marked "no data".
 * Each bar carries its week and value as data attributes: tests and scripts read them.
 */
import { escapeHtml } from './escape.js';

export interface BarPoint {
  week: string;
  value: number | null;
}

export interface BarChart {
  id: string;
  title: string;
  points: BarPoint[];
  format: (value: number) => string;
}

const WIDTH = 720;
const HEIGHT = 220;
const LEFT = 64;
const RIGHT = 8;
const TOP = 28;
const BOTTOM = 36;
export const PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;

export function barChartSvg(chart: BarChart): string {
  const values = chart.points.flatMap((p) => (p.value === null ? [] : [p.value]));
  const max = Math.max(0, ...values);
  const slot = (WIDTH - LEFT - RIGHT) / Math.max(1, chart.points.length);
  const barWidth = slot * 0.6;
  const baseline = TOP + PLOT_HEIGHT;
  const id = escapeHtml(chart.id);
  const last = chart.points.at(-1);
  const desc = values.length
    ? `${chart.points[0]?.week} to ${last?.week}: ${chart.points
        .map((p) => `${p.week} ${p.value === null ? 'no data' : chart.format(p.value)}`)
        .join('; ')}.`
    : 'No data in these weeks.';
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${id}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${escapeHtml(chart.title)}</title>`,
    `<desc id="${id}-desc">${escapeHtml(desc)}</desc>`,
  ];
  // Grid: zero, half and the largest value, labelled.
  for (const fraction of max > 0 ? [0, 0.5, 1] : [0]) {
    const y = baseline - fraction * PLOT_HEIGHT;
    out.push(
      `<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}"/>`,
      `<text class="axis" x="${LEFT - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${escapeHtml(chart.format(fraction * max))}</text>`,
    );
  }
  chart.points.forEach((p, i) => {
    const cx = LEFT + slot * i + slot / 2;
    const week = escapeHtml(p.week);
    out.push(
      `<text class="axis" x="${cx.toFixed(1)}" y="${baseline + 16}" text-anchor="middle">${escapeHtml(p.week.slice(5))}</text>`,
    );
    if (p.value === null) {
      out.push(
        `<text class="nodata" data-week="${week}" x="${cx.toFixed(1)}" y="${baseline - 6}" text-anchor="middle">no data</text>`,
      );
      return;
    }
    const h = max > 0 ? (p.value / max) * PLOT_HEIGHT : 0;
    const label = escapeHtml(chart.format(p.value));
    out.push(
      `<rect class="bar" data-week="${week}" data-value="${p.value}" x="${(cx - barWidth / 2).toFixed(1)}" y="${(baseline - h).toFixed(2)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(2)}"><title>${week}: ${label}</title></rect>`,
      `<text class="value" x="${cx.toFixed(1)}" y="${(baseline - h - 5).toFixed(1)}" text-anchor="middle">${label}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}
