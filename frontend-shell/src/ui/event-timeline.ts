import type { EventTimelineHandle, EventTimelineOptions, TimelineEvent } from '@oneservice/plugin-sdk/ui';
import { formatDateTime, h, replace } from './dom.js';
import { timeTicks } from './observe/time-axis.js';
import { layoutTimeline } from './observe/timeline-layout.js';

const clock = (ms: number, spanMs: number) => {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return spanMs > 86_400_000 ? `${d.getMonth() + 1}/${d.getDate()} ${time}` : spanMs < 600_000 ? `${time}:${pad(d.getSeconds())}` : time;
};

/**
 * Events on one time axis, a lane per type, each a mark coloured by severity. Marks are buttons
 * (Tab reaches them, Enter opens one); ←/→ move between the marks of a lane.
 */
export function eventTimeline(options: EventTimelineOptions): EventTimelineHandle {
  const el = h('div', { class: 'event-timeline' });
  let selected: string | null = null;
  let marks: HTMLElement[] = [];

  function draw(events: readonly TimelineEvent[]) {
    const layout = layoutTimeline(events, options.from, options.to);
    const span = layout.to - layout.from;
    const ticks = timeTicks(layout.from, layout.to, 6);
    marks = [];
    const lanes = layout.lanes.map((lane) => {
      const laneMarks = lane.events.map(({ event, x }) => {
        const label = `${event.type} at ${formatDateTime(event.ts)}${event.label ? `: ${event.label}` : ''}`;
        const mark = h('button', {
          type: 'button', class: `tl-mark tl-sev-${event.severity ?? 'info'}`, style: `left:${x * 100}%`,
          'aria-label': label, title: label, 'aria-pressed': String(event.id === selected), dataset: { eventId: event.id },
          onclick: () => {
            handle.select(event.id);
            options.onSelect?.(event);
          },
        });
        marks.push(mark);
        return mark;
      });
      const track = h('div', { class: 'tl-track' }, ...laneMarks);
      track.addEventListener('keydown', (ev) => {
        if (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft') return;
        const at = laneMarks.indexOf(document.activeElement as HTMLButtonElement);
        const next = laneMarks[at + (ev.key === 'ArrowRight' ? 1 : -1)];
        if (next) {
          ev.preventDefault();
          next.focus();
        }
      });
      return h('div', { class: 'tl-lane', role: 'group', 'aria-label': `${lane.type}: ${lane.events.length}` },
        h('div', { class: 'tl-lane-name', title: lane.type }, lane.type, h('span', { class: 'tl-lane-count' }, String(lane.events.length))),
        track,
      );
    });
    replace(el,
      ...lanes,
      h('div', { class: 'tl-axis', 'aria-hidden': 'true' },
        h('div', { class: 'tl-lane-name' }),
        h('div', { class: 'tl-track' }, ...ticks.map((t) => h('span', { class: 'tl-tick', style: `left:${((t - layout.from) / span) * 100}%` }, clock(t, span)))),
      ),
    );
  }

  const handle: EventTimelineHandle = {
    el,
    setEvents: draw,
    select(id) {
      selected = id;
      for (const m of marks) m.setAttribute('aria-pressed', String(m.dataset.eventId === id));
    },
  };
  draw(options.events);
  return handle;
}
