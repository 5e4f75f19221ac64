/// <reference lib="dom" />
import type { PanelFrame, PanelHandle, ShellContext, StatHandle } from '@oneservice/plugin-sdk/ui';
import type { Run } from '../../api-types.js';
import { formatNumber } from '../../compare/number-format.js';
import { advance, clampTime, initialClock, neighbour, type ReplayClockState, sinceStart, type Speed, SPEEDS } from './replay-clock.js';
import { curveNames, fetchAllEvents, fetchCurve, fetchWindow, type ReplayEvent, type ReplaySeries, type ReplayWindowData, valueAt, wireNumber } from './replay-data.js';
import { eventsAround, eventsKey, spansAround, spansKey } from './replay-lists.js';
import { stillServes, type TimeWindow, truncated, windowFor } from './replay-window.js';

/** Curves are redrawn at most this often while playing; the rest of the tab follows every frame. */
const CURVE_REDRAW_MS = 250;
const STAT_COUNT = 8;

/**
 * The Replay tab: one time cursor over the run's curves, logs, events and spans. Play moves it at
 * 1×–600× the run's own pace, the slider scrubs, the event buttons jump from event to event. The
 * moment is the `at` URL parameter (epoch ms; `speed` too), written when the cursor comes to rest,
 * so the link of a paused replay opens at the same moment.
 */
export function mountReplay(el: HTMLElement, ctx: ShellContext, run: Run): () => void {
  const { h } = ctx.ui;
  const query = ctx.router.location.query;
  const start = Date.parse(run.started_at);
  const runEnd = () => (run.ended_at ? Date.parse(run.ended_at) : Date.now());
  const atParam = query.get('at');
  let clock: ReplayClockState = initialClock(start, runEnd(), atParam === null ? null : Number(atParam), query.get('speed') === null ? null : Number(query.get('speed')));
  const controller = new AbortController();
  const signal = controller.signal;

  let events: ReplayEvent[] = [];
  let held: ReplayWindowData | null = null;
  let loading: TimeWindow | null = null;
  const curves = new Map<string, ReplaySeries>();

  // ——— transport ———
  const playBtn = h('button', { type: 'button', class: 'btn btn-primary replay-play', 'aria-pressed': 'false', title: 'Play or pause (Space, K)', 'aria-keyshortcuts': 'Space K' }, 'Play');
  const prevBtn = h('button', { type: 'button', class: 'btn', title: 'Previous event (J)', 'aria-keyshortcuts': 'J' }, '‹ Previous event');
  const nextBtn = h('button', { type: 'button', class: 'btn', title: 'Next event (L)', 'aria-keyshortcuts': 'L' }, 'Next event ›');
  const speedGroup = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Speed' });
  const speedButtons = SPEEDS.map((speed) => h('button', { type: 'button', class: 'segmented-btn', 'data-speed': String(speed), onclick: () => setSpeed(speed) }, `${speed}×`));
  speedGroup.append(...speedButtons);
  const copyBtn = h('button', { type: 'button', class: 'btn btn-ghost', title: 'Copy a link to this moment' }, 'Copy link');
  const timeLabel = h('div', { class: 'replay-time', 'aria-live': 'off' });
  const slider = h('input', { type: 'range', class: 'replay-slider', min: String(clock.start), max: String(clock.end), step: '1000', 'aria-label': 'Replay position' });
  const marks = h('div', { class: 'replay-marks', 'aria-hidden': 'true' });
  const transport = h('div', { class: 'replay-transport card' },
    h('div', { class: 'replay-buttons' }, prevBtn, playBtn, nextBtn, speedGroup, h('span', { class: 'toolbar-spacer' }), timeLabel, copyBtn),
    h('div', { class: 'replay-track' }, marks, slider),
  );

  // ——— views ———
  const statsRow = h('div', { class: 'replay-stats' });
  const stats = new Map<string, StatHandle>();
  const grid = ctx.ui.panelGrid();
  const panels = new Map<string, PanelHandle>();
  const logs = ctx.ui.logViewer({ height: 260, maxLines: 2000 });
  const eventsBox = h('div', { class: 'replay-events-box' });
  const spansBox = h('div', { class: 'replay-spans-box' });
  const status = h('div', { class: 'replay-status muted', role: 'status' });
  const curvesCard = ctx.ui.card({ title: 'Curves', subtitle: 'Coloured up to the cursor, grey after it', span: 12, body: [statsRow, grid.el] });
  const logsCard = ctx.ui.card({ title: 'Logs up to the cursor', span: 12, body: logs.el });
  const eventsCard = ctx.ui.card({ title: 'Events', span: 6, body: eventsBox });
  const spansCard = ctx.ui.card({ title: 'Spans at the cursor', span: 6, body: spansBox });
  const root = h('div', { class: 'replay', 'data-at': String(clock.at) }, transport, status, ctx.ui.grid(curvesCard, eventsCard, spansCard, logsCard));
  el.replaceChildren(root);

  // ——— drawing ———
  let shownLogs = { window: null as ReplayWindowData | null, count: 0 };
  let keys = { events: '', spans: '' };
  let lastCurveDraw = 0;
  let curveAt = Number.NaN;

  const drawLogs = () => {
    const lines = held?.logs ?? [];
    let count = 0;
    while (count < lines.length && lines[count]!.ts <= clock.at) count += 1;
    // Forward within one window appends; anything else (scrub back, a new window) starts over.
    if (shownLogs.window !== held || count < shownLogs.count) {
      logs.clear();
      shownLogs = { window: held, count: 0 };
    }
    if (count > shownLogs.count) {
      logs.append(lines.slice(shownLogs.count, count).map((l) => ({ ts: l.ts, level: l.level, message: l.message, source: l.stream ?? undefined, fields: l.fields })));
      shownLogs.count = count;
    }
  };

  const drawStats = () => {
    for (const series of held?.metrics ?? []) {
      if (!stats.has(series.name) && stats.size < STAT_COUNT) {
        const stat = ctx.ui.stat({ label: series.name, value: null, format: formatNumber });
        stats.set(series.name, stat);
        statsRow.append(stat.el);
      }
      stats.get(series.name)?.update(valueAt(series, clock.at));
    }
  };

  const framesOf = (series: ReplaySeries, at: number): PanelFrame[] => {
    const split = series.buckets.findIndex((b) => b.x > at);
    const cut = split === -1 ? series.buckets.length : split;
    // The bucket at the cut is in both frames so the two parts of the curve meet.
    const part = (name: string, from: number, to: number): PanelFrame => {
      const buckets = series.buckets.slice(from, to);
      return {
        name,
        x: { kind: 'time', values: buckets.map((b) => b.x) },
        fields: [{
          name: series.name, displayName: name === 'before' ? series.name : `${series.name} (later)`,
          values: buckets.map((b) => wireNumber(series.exact ? b.last : b.mean)),
          ...(series.exact ? {} : { band: { min: buckets.map((b) => wireNumber(b.min)), max: buckets.map((b) => wireNumber(b.max)) } }),
        }],
      };
    };
    return [part('before', 0, Math.min(series.buckets.length, cut + 1)), part('after', Math.max(0, cut - 1), series.buckets.length)];
  };

  const drawCurves = (force: boolean) => {
    const now = performance.now();
    if (!force && (now - lastCurveDraw < CURVE_REDRAW_MS || curveAt === clock.at)) return;
    lastCurveDraw = now;
    curveAt = clock.at;
    for (const [name, series] of curves) panels.get(name)?.setFrames(framesOf(series, clock.at));
  };

  const drawLists = () => {
    const eventKey = eventsKey(events, clock.at);
    if (eventKey !== keys.events) eventsBox.replaceChildren(eventsAround(ctx, events, clock.at, jumpTo));
    const spans = held?.spans ?? [];
    const spanKey = `${spans.length}|${spansKey(spans, clock.at)}`;
    if (spanKey !== keys.spans) spansBox.replaceChildren(spansAround(ctx, spans, clock.at));
    keys = { events: eventKey, spans: spanKey };
  };

  const drawTransport = () => {
    playBtn.textContent = clock.playing ? 'Pause' : clock.at >= clock.end ? 'Replay from start' : 'Play';
    playBtn.setAttribute('aria-pressed', String(clock.playing));
    speedButtons.forEach((b, i) => b.setAttribute('aria-pressed', String(SPEEDS[i] === clock.speed)));
    slider.max = String(clock.end);
    if (document.activeElement !== slider || clock.playing) slider.value = String(clock.at);
    timeLabel.textContent = `${new Date(clock.at).toLocaleString()} · ${sinceStart(clock.at - clock.start)}`;
    prevBtn.disabled = neighbour(events.map((e) => e.ts), clock.at, -1) === null;
    nextBtn.disabled = neighbour(events.map((e) => e.ts), clock.at, 1) === null;
    root.dataset.at = String(Math.round(clock.at));
    root.dataset.playing = String(clock.playing);
  };

  const draw = (forceCurves = false) => {
    drawTransport();
    drawStats();
    drawLogs();
    drawLists();
    drawCurves(forceCurves || !clock.playing);
    ensureWindow();
  };

  // ——— data ———
  const runWindow = (): TimeWindow => ({ from: clock.start, to: clock.end });
  // After a failed read the tab waits for "Try again" rather than asking again on every frame.
  let failed = false;
  // Lowered (never below 1/64) while windows come back cut at the route's limit; see halfWidth.
  let density = 1;
  function ensureWindow(force = false) {
    if (!force && (failed || stillServes(held, clock.at, runWindow()) || (loading && stillServes(loading, clock.at, runWindow())))) return;
    const wanted = windowFor(clock.at, clock.speed, clock.playing, runWindow(), density);
    loading = wanted;
    status.textContent = 'Loading this part of the run…';
    root.setAttribute('aria-busy', 'true');
    fetchWindow(ctx, run.id, wanted, signal).then((answer) => {
      if (loading !== wanted) return;
      held = { ...answer, logs: [...answer.logs].sort((a, b) => a.ts - b.ts) };
      loading = null;
      if (truncated(answer) && density > 1 / 64) {
        density /= 4;
        ensureWindow(true);
        return;
      }
      status.textContent = '';
      root.removeAttribute('aria-busy');
      draw();
    }, (error: Error) => {
      if (signal.aborted || loading !== wanted) return;
      loading = null;
      failed = true;
      root.removeAttribute('aria-busy');
      status.replaceChildren(ctx.ui.error({ title: 'This part of the run could not be loaded', detail: error.message, action: { label: 'Try again', onClick: () => {
        failed = false;
        status.replaceChildren();
        draw();
      } } }));
      pause();
    });
  }

  const drawMarks = () => {
    const span = Math.max(1, clock.end - clock.start);
    marks.replaceChildren(...events.map((e) => h('span', {
      class: `replay-mark${e.severity === 'warning' || e.severity === 'error' ? ' is-alert' : ''}`,
      style: `left:${(((e.ts - clock.start) / span) * 100).toFixed(3)}%`, title: `${e.type}${e.message ? `: ${e.message}` : ''}`,
    })));
  };

  fetchAllEvents(ctx, run.id, signal).then((list) => {
    events = list;
    drawMarks();
    keys.events = '';
    draw();
  }, () => {
    // The events list only feeds the marks and the jump buttons; the window still has its own events.
  });

  for (const name of curveNames(run.metrics.map((m) => m.name))) {
    panels.set(name, grid.add({
      type: 'timeseries', title: name, frames: [], loading: true,
      overrides: [{ match: `before/${name}`, config: { color: '--chart-1' } }, { match: `after/${name}`, config: { color: '--border-strong' } }],
      options: { legend: false }, empty: { title: `No ${name} points` },
    }, { w: 12, h: 8 }));
    fetchCurve(ctx, run.id, name, signal).then((series) => {
      curves.set(name, series);
      panels.get(name)?.setFrames(framesOf(series, clock.at));
    }, (error: Error) => {
      if (!signal.aborted) panels.get(name)?.el.replaceWith(ctx.ui.error({ title: `${name} could not be loaded`, detail: error.message }));
    });
  }
  if (panels.size === 0) grid.el.replaceWith(ctx.ui.empty({ title: 'This run has no metrics to replay' }));

  // ——— control ———
  let frame = 0;
  let lastTick = 0;
  const tick = (now: number) => {
    frame = 0;
    if (!clock.playing) return;
    const elapsed = lastTick ? now - lastTick : 0;
    lastTick = now;
    if (!run.ended_at) clock = { ...clock, end: Date.now() };
    // Past the end of the data held, the cursor waits for the window being loaded rather than run on without it.
    if (!loading || (held !== null && clock.at < held.to)) clock = advance(clock, elapsed);
    draw();
    if (clock.playing) frame = requestAnimationFrame(tick);
    else rememberMoment();
  };

  /** The moment goes into the URL (replacing the entry) whenever the cursor comes to rest. */
  const rememberMoment = () => ctx.router.setQuery({ at: String(Math.round(clock.at)), speed: clock.speed === 10 ? null : String(clock.speed) }, { replace: true });

  const play = () => {
    if (clock.at >= clock.end) clock = { ...clock, at: clock.start };
    clock = { ...clock, playing: true };
    lastTick = 0;
    draw();
    if (!frame) frame = requestAnimationFrame(tick);
  };
  function pause() {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    const was = clock.playing;
    clock = { ...clock, playing: false };
    draw();
    if (was) rememberMoment();
  }
  function jumpTo(at: number) {
    clock = { ...clock, at: clampTime(clock, at) };
    draw(true);
    if (!clock.playing) rememberMoment();
  }
  function setSpeed(speed: Speed) {
    clock = { ...clock, speed };
    draw();
    if (!clock.playing) rememberMoment();
  }

  playBtn.addEventListener('click', () => (clock.playing ? pause() : play()));
  prevBtn.addEventListener('click', () => {
    const ts = neighbour(events.map((e) => e.ts), clock.at, -1);
    if (ts !== null) jumpTo(ts);
  });
  nextBtn.addEventListener('click', () => {
    const ts = neighbour(events.map((e) => e.ts), clock.at, 1);
    if (ts !== null) jumpTo(ts);
  });
  slider.addEventListener('input', () => {
    clock = { ...clock, at: clampTime(clock, Number(slider.value)) };
    draw();
  });
  slider.addEventListener('change', () => {
    if (!clock.playing) rememberMoment();
  });
  // Video-player keys while focus is in the tab (not in a text field): Space/K play-pause, J/L events.
  root.addEventListener('keydown', (ev) => {
    const target = ev.target as HTMLElement;
    if (ev.ctrlKey || ev.metaKey || ev.altKey || target.closest('textarea, select, input:not([type=range])')) return;
    const key = ev.key.toLowerCase();
    if (key === ' ' && target.closest('button')) return;
    if (key === ' ' || key === 'k') (clock.playing ? pause : play)();
    else if (key === 'j') prevBtn.click();
    else if (key === 'l') nextBtn.click();
    else return;
    ev.preventDefault();
  });
  copyBtn.addEventListener('click', () => {
    const link = `${location.origin}${ctx.router.href(`/training/runs/${encodeURIComponent(run.id)}?tab=replay&at=${Math.round(clock.at)}`)}`;
    navigator.clipboard?.writeText(link).then(() => ctx.ui.toast('Link to this moment copied', 'success'), () => ctx.ui.toast(link, 'info'));
  });

  draw(true);
  return () => {
    controller.abort();
    if (frame) cancelAnimationFrame(frame);
    grid.clear();
  };
}
