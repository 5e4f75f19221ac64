import type { WaterfallSpan } from '@oneservice/plugin-sdk/ui';

export interface WaterfallRow {
  span: WaterfallSpan;
  depth: number;
  /** Start and width as fractions (0…1) of the trace's duration. */
  left: number;
  width: number;
  /** Index of the parent row, or -1 for a root. */
  parent: number;
  children: number[];
}

export interface WaterfallLayout {
  start: number;
  end: number;
  rows: WaterfallRow[];
}

/**
 * Rows of a waterfall in tree order: each span under its parent, siblings by start time. A span whose
 * parent is missing (not sent, or dropped) is a root, so no span is ever lost; a cycle in the parent
 * links is broken where it is found.
 */
export function layoutWaterfall(spans: readonly WaterfallSpan[]): WaterfallLayout {
  if (spans.length === 0) return { start: 0, end: 0, rows: [] };
  const start = Math.min(...spans.map((s) => s.start));
  const end = Math.max(...spans.map((s) => Math.max(s.end, s.start)));
  const total = end - start;
  const ids = new Set(spans.map((s) => s.id));
  const kids = new Map<string, WaterfallSpan[]>();
  const roots: WaterfallSpan[] = [];
  for (const span of spans) {
    const parent = span.parentId && span.parentId !== span.id && ids.has(span.parentId) ? span.parentId : null;
    if (parent === null) roots.push(span);
    else kids.set(parent, [...(kids.get(parent) ?? []), span]);
  }
  const byStart = (a: WaterfallSpan, b: WaterfallSpan) => a.start - b.start || a.end - b.end || a.name.localeCompare(b.name);
  const rows: WaterfallRow[] = [];
  const placed = new Set<string>();
  const visit = (span: WaterfallSpan, depth: number, parent: number) => {
    if (placed.has(span.id)) return;
    placed.add(span.id);
    const index = rows.length;
    rows.push({
      span, depth, parent, children: [],
      left: total > 0 ? (span.start - start) / total : 0,
      width: total > 0 ? Math.max(0, Math.max(span.end, span.start) - span.start) / total : 1,
    });
    if (parent >= 0) rows[parent]!.children.push(index);
    for (const child of [...(kids.get(span.id) ?? [])].sort(byStart)) visit(child, depth + 1, index);
  };
  for (const root of roots.sort(byStart)) visit(root, 0, -1);
  // Spans only reachable through a cycle had no root: show them at the top level.
  for (const span of [...spans].sort(byStart)) visit(span, 0, -1);
  return { start, end, rows };
}
