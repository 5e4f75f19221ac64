/// <reference lib="dom" />
import type { ShellContext } from '@oneservice/plugin-sdk/ui';
import { lastAtOrBefore, sinceStart } from './replay-clock.js';
import type { ReplayEvent, ReplaySpan } from './replay-data.js';

const EVENTS_AROUND = 4;

const offset = (ms: number) => (ms >= 0 ? sinceStart(ms) : `−${sinceStart(-ms).slice(1)}`);
const clock = (ts: number) => new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/**
 * The events just before and just after the cursor: the latest one that already happened is the
 * "current" one; later ones are shown dimmed as what is coming. A click moves the cursor there.
 */
export function eventsAround(ctx: ShellContext, events: readonly ReplayEvent[], at: number, jump: (ts: number) => void): HTMLElement {
  const { h } = ctx.ui;
  if (events.length === 0) return ctx.ui.empty({ title: 'No events in this run' });
  const current = lastAtOrBefore(events, at, (e) => e.ts);
  const from = Math.max(0, current - EVENTS_AROUND + 1);
  const shown = events.slice(from, Math.max(current + 1, 0) + EVENTS_AROUND);
  return h('ol', { class: 'replay-events' }, shown.map((event, i) => {
    const index = from + i;
    const when = index < current ? 'is-past' : index === current ? 'is-current' : 'is-future';
    return h('li', { class: `replay-event ${when}`, 'data-event': event.id, 'data-ts': String(event.ts) },
      h('button', { type: 'button', class: 'replay-event-btn', title: 'Move the cursor here', onclick: () => jump(event.ts) },
        h('span', { class: 'replay-event-time' }, clock(event.ts)),
        h('span', { class: `badge${event.severity === 'error' || event.severity === 'critical' ? ' badge-danger' : event.severity === 'warning' ? ' badge-warn' : ''}` }, event.type),
        h('span', { class: 'replay-event-msg' }, event.message ?? ''),
        h('span', { class: 'replay-event-offset muted' }, index === current ? 'latest' : offset(event.ts - at)),
      ));
  }));
}

/** A stable key of what the events list shows, so it is redrawn only when the cursor passes an event. */
export const eventsKey = (events: readonly ReplayEvent[], at: number) => String(lastAtOrBefore(events, at, (e) => e.ts));

/** Spans running at the cursor, then the ones that ended last before it (nested by depth). */
export function spansAround(ctx: ShellContext, spans: readonly ReplaySpan[], at: number): HTMLElement {
  const { h } = ctx.ui;
  const running = spans.filter((s) => s.start <= at && s.end >= at);
  const ended = spans.filter((s) => s.end < at).sort((a, b) => b.end - a.end).slice(0, Math.max(0, 6 - running.length))
    // Shown in start order, so a trace reads top-down like a waterfall.
    .sort((a, b) => a.start - b.start);
  const next = spans.find((s) => s.start > at);
  if (running.length === 0 && ended.length === 0 && !next) return ctx.ui.empty({ title: 'No spans near this moment' });
  const depth = new Map<string, number>();
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const depthOf = (s: ReplaySpan): number => {
    const known = depth.get(s.spanId);
    if (known !== undefined) return known;
    const parent = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
    const d = parent && parent !== s ? Math.min(8, depthOf(parent) + 1) : 0;
    depth.set(s.spanId, d);
    return d;
  };
  const row = (s: ReplaySpan, state: 'running' | 'ended' | 'next') => {
    const duration = s.end - s.start;
    const progress = state === 'running' ? Math.min(100, ((at - s.start) / Math.max(1, duration)) * 100) : state === 'ended' ? 100 : 0;
    return h('li', { class: `replay-span is-${state}${s.status === 'error' ? ' is-error' : ''}`, 'data-span': s.spanId, style: `--depth:${depthOf(s)}` },
      h('span', { class: 'replay-span-name' }, s.name),
      h('span', { class: 'replay-span-bar', 'aria-hidden': 'true' }, h('span', { style: `width:${progress.toFixed(1)}%` })),
      h('span', { class: 'replay-span-meta muted' },
        state === 'running' ? `running · ${(duration / 1000).toFixed(1)} s` : state === 'ended' ? `ended ${offset(s.end - at).replace('−', '')} ago · ${(duration / 1000).toFixed(1)} s` : `starts in ${offset(s.start - at)}`),
    );
  };
  return h('ul', { class: 'replay-spans' },
    running.sort((a, b) => a.start - b.start).map((s) => row(s, 'running')),
    ended.map((s) => row(s, 'ended')),
    next ? row(next, 'next') : null,
  );
}

export const spansKey = (spans: readonly ReplaySpan[], at: number) => {
  const running = spans.filter((s) => s.start <= at && s.end >= at).map((s) => `${s.spanId}:${Math.floor(((at - s.start) / Math.max(1, s.end - s.start)) * 20)}`);
  const ended = spans.filter((s) => s.end < at).length;
  return `${running.join(',')}|${ended}|${Math.floor(at / 1000)}`;
};
