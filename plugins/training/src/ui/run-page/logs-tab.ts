/// <reference lib="dom" />
import type { ApiErrorLike, EventStreamState, LogLine, Problem, ShellContext } from '@oneservice/plugin-sdk/ui';
import type { Run } from '../api-types.js';
import type { CursorPage, RunLogRecord } from './observation-types.js';
import { followLogs } from './logs/log-stream.js';
import { queryTerms } from './logs/query-terms.js';
import type { RunTab } from './run-tab.js';

/** How many of the newest lines open the view, and how many each scroll to the top adds. */
const PAGE = 200;

const toLine = (r: RunLogRecord): LogLine => ({
  id: r.id, ts: r.ts, level: r.level, message: r.message, source: r.stream ?? r.service ?? undefined,
  fields: r.fields && Object.keys(r.fields).length ? r.fields : undefined,
});

/** The user's query and the level choice as one server query; the user's part starts at `offset`. */
export function serverQuery(query: string, level: string | null): { text: string; offset: number } {
  const q = query.trim();
  if (!level) return { text: q, offset: 0 };
  return q ? { text: `(${q}) AND level:>=${level}`, offset: 1 } : { text: `level:>=${level}`, offset: 0 };
}

/**
 * Logs: the run's lines streamed live (newest first page, then each line as written), a server-side
 * search in the logs port's query language, a level filter, older lines on scroll-up, and a click on
 * a line publishes that moment as `at` (epoch ms) for the Charts tab's marker.
 */
export const logsTab: RunTab = {
  id: 'logs',
  title: 'Logs',
  available: true,
  mount(el, ctx, run) {
    const { h } = ctx.ui;
    const url = ctx.router.location.query;
    let query = url.get('q') ?? '';
    let level = url.get('level') || null;
    let stop: (() => void) | undefined;
    let generation = 0;

    const input = h('input', {
      type: 'search', class: 'input obs-query', value: query, 'aria-label': 'Search the logs',
      placeholder: 'Search: words, "a phrase", level:error, fields.epoch:>3, NOT debug …', spellcheck: 'false',
    });
    const fault = h('div', { class: 'obs-query-error', role: 'alert', hidden: true });
    const live = h('span', { class: 'obs-live', 'data-state': 'connecting' }, 'Connecting…');
    const marked = h('span', { class: 'obs-hint' });
    const form = h('form', { class: 'obs-toolbar', role: 'search', style: 'flex:1;margin:0' },
      input, h('button', { type: 'submit', class: 'btn btn-default' }, 'Search'), live, marked, fault);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      query = input.value;
      ctx.router.setQuery({ q: query.trim() || null }, { replace: true });
      restart();
    });
    const note = h('div', { class: 'log-note' });

    const viewer = ctx.ui.logViewer({
      height: Math.max(320, window.innerHeight - 330),
      textFilter: false,
      level,
      toolbar: [form],
      onLevelChange: (next) => {
        level = next;
        ctx.router.setQuery({ level }, { replace: true });
        restart();
      },
      onSelect: (line) => mark(Number(line.ts)),
      loadOlder: async () => {
        const first = viewer.lines()[0];
        if (!first?.id) return [];
        const mine = generation;
        const page = await ctx.api.get<CursorPage<RunLogRecord>>(`/runs/${encodeURIComponent(run.id)}/logs`, {
          query: { query: serverQuery(query, level).text || undefined, limit: PAGE, after: first.id }, silent: true,
        });
        // A new search started meanwhile: these lines belong to the old one.
        if (mine !== generation) return [];
        return page.items.reverse().map(toLine);
      },
    });
    el.append(h('div', { class: 'obs-split' }, h('div', { class: 'obs-overlay-host' }, viewer.el, note)));

    function mark(at: number) {
      if (!Number.isFinite(at)) return;
      marked.replaceChildren(
        `Marked ${new Date(at).toLocaleTimeString()} · `,
        h('a', { href: ctx.router.href(`/training/runs/${encodeURIComponent(run.id)}?tab=charts&at=${at}`) }, 'see it on the charts'),
      );
      ctx.router.setQuery({ at: String(at) }, { replace: true });
    }

    function showFault(problem: Problem, offset: number) {
      const position = typeof problem.position === 'number' ? Math.max(0, problem.position - offset) : null;
      const message = problem.errors?.find((e) => e.path === 'query')?.message ?? problem.detail ?? problem.title;
      const text = query.trim();
      fault.replaceChildren(
        h('div', {}, `This search cannot be read: ${message.replace(/^at position \d+: /, '')}${position !== null ? ` (at character ${position + 1})` : ''}. Fix the query and press Enter.`),
      );
      if (position !== null) fault.append(h('pre', { 'aria-hidden': 'true' }, `${text}\n${' '.repeat(Math.min(position, text.length))}^`));
      fault.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      live.dataset.state = 'error';
      live.textContent = 'Not following';
    }

    function setState(state: EventStreamState, detail?: string) {
      live.dataset.state = state === 'live' ? 'live' : state === 'closed' ? 'error' : 'connecting';
      live.textContent = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', closed: 'Not following' }[state];
      live.title = detail ?? '';
    }

    function restart() {
      stop?.();
      generation += 1;
      const mine = generation;
      viewer.clear();
      viewer.setHighlight(queryTerms(query));
      fault.hidden = true;
      input.removeAttribute('aria-invalid');
      const sq = serverQuery(query, level);
      note.replaceChildren(ctx.ui.loading('Loading the logs…'));
      // One small read first: it tells an empty run from a quiet stream, and a bad query comes back
      // as a 400 naming the character, before any stream opens.
      ctx.api.get<CursorPage<RunLogRecord>>(`/runs/${encodeURIComponent(run.id)}/logs`, { query: { query: sq.text || undefined, limit: 1 }, silent: true }).then((probe) => {
        if (mine !== generation) return;
        note.replaceChildren();
        if (probe.items.length === 0) note.append(emptyNote(ctx, run, Boolean(sq.text)));
        stop = followLogs({
          api: ctx.api, runId: run.id, query: sq.text, limit: PAGE,
          onLines: (records) => {
            if (mine !== generation) return;
            note.replaceChildren();
            viewer.append(records.map(toLine));
            markFromUrl(records);
          },
          onState: (state, detail) => {
            if (mine === generation) setState(state, detail);
          },
          onRefused: (status, problem) => {
            if (mine !== generation) return;
            if (status === 400) showFault(problem, sq.offset);
            else note.replaceChildren(ctx.ui.error({ title: 'The live logs stopped', detail: problem.detail ?? problem.title, action: { label: 'Try again', onClick: restart } }));
          },
        });
      }, (error: ApiErrorLike) => {
        if (mine !== generation) return;
        note.replaceChildren();
        if (error.status === 400) showFault(error.problem, sq.offset);
        else note.append(ctx.ui.error({ title: 'The logs could not be loaded', detail: `${error.readable ?? error.message} — check your connection and try again.`, action: { label: 'Try again', onClick: restart } }));
      });
    }

    // A moment chosen elsewhere (a log click earlier, the Charts or Replay tab) marks the line written then.
    let pendingAt = url.get('at') ? Number(url.get('at')) : NaN;
    if (Number.isFinite(pendingAt)) marked.textContent = `Marked ${new Date(pendingAt).toLocaleTimeString()}`;
    const markFromUrl = (records: RunLogRecord[]) => {
      if (!Number.isFinite(pendingAt)) return;
      const line = viewer.lines().filter((l) => Number(l.ts) <= pendingAt).at(-1);
      if (line?.id && records.some((r) => r.id === line.id)) {
        viewer.select(line.id);
        pendingAt = NaN;
      }
    };
    restart();
    return () => {
      generation += 1;
      stop?.();
    };
  },
};

function emptyNote(ctx: ShellContext, run: Run, searching: boolean): HTMLElement {
  if (searching) return ctx.ui.empty({ title: 'No line matches this search', detail: 'Lines that match will appear here as they are written. Clear the search or lower the level filter to see more.' });
  const state = ctx.ui.empty({
    title: run.status === 'running' ? 'No log lines yet' : 'This run logged no lines',
    detail: 'Lines appear here live as the run writes them. Print to stdout/stderr (the SDK captures the console) or log one with:',
  });
  state.append(ctx.ui.h('code', { class: 'obs-snippet' }, 'run.log_text("epoch 3 done", level="info", fields={"epoch": 3})'));
  return state;
}
