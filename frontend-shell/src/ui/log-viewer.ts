import type { LogLine, LogViewerHandle, LogViewerOptions } from '@oneservice/plugin-sdk/ui';
import { codeViewer } from './code-viewer.js';
import { button, formatDateTime, h, replace } from './dom.js';
import { highlightSegments, levelRank, LOG_LEVELS, parseJsonMessage } from './observe/log-line.js';

/** Within this many pixels of the bottom the reader counts as "at the tail". */
const TAIL_SLACK_PX = 24;
/** Within this many pixels of the top, older lines are asked for. */
const TOP_SLACK_PX = 40;

/**
 * A live log panel. It follows the tail until the reader scrolls up (or presses Pause); from then on
 * new lines wait, counted in a "N new lines — jump to live" button, so reading is not disturbed.
 * Level colours and a level filter, highlighted words, JSON lines (and structured fields) that expand
 * pretty-printed, older lines fetched on scroll-up. Old lines are dropped past `maxLines` so a long
 * tail keeps the page fast.
 */
export function logViewer(options: LogViewerOptions = {}): LogViewerHandle {
  const maxLines = options.maxLines ?? 5000;
  let lines: LogLine[] = [];
  let buffer: LogLine[] = [];
  let following = true;
  let pausedByButton = false;
  let filter = '';
  let words: readonly string[] = options.highlight ?? [];
  let minLevel: string | null = options.level ?? null;
  let selectedId: string | null = null;
  let loadingOlder = false;
  let noMoreOlder = !options.loadOlder;
  const rows = new WeakMap<LogLine, HTMLElement>();

  const list = h('div', { class: 'log-lines', role: 'log', 'aria-live': 'off', 'aria-label': 'Log lines', tabindex: '0', style: `height:${options.height ?? 360}px` });
  const count = h('span', { class: 'log-count', 'aria-live': 'polite' });
  const olderNote = h('div', { class: 'log-older', hidden: true });
  const liveBtn = button('', () => handle.jumpToLive(), 'primary', { class: 'btn btn-primary log-jump', hidden: true });
  const pauseBtn = button('Pause', () => {
    if (following) {
      pausedByButton = true;
      setFollowing(false);
    } else handle.jumpToLive();
  }, 'default', { 'aria-pressed': 'false' });

  const toolbar = h('div', { class: 'log-toolbar' }, ...(options.toolbar ?? []));
  if (options.textFilter !== false) {
    const filterInput = h('input', { type: 'search', class: 'input', placeholder: 'Filter lines', 'aria-label': 'Filter log lines' });
    filterInput.addEventListener('input', () => {
      filter = filterInput.value.trim().toLowerCase();
      render();
    });
    toolbar.append(filterInput);
  }
  const levelSelect = h('select', { class: 'input log-level-filter', 'aria-label': 'Least level shown' },
    h('option', { value: '' }, 'All levels'),
    ...LOG_LEVELS.slice(1).map((l) => h('option', { value: l }, `${l.toUpperCase()} and above`)),
  );
  levelSelect.value = minLevel ?? '';
  levelSelect.addEventListener('change', () => {
    minLevel = levelSelect.value || null;
    if (options.onLevelChange) options.onLevelChange(minLevel);
    else render();
  });
  toolbar.append(levelSelect, pauseBtn, count);
  const body = h('div', { class: 'log-body' }, list, liveBtn);
  const el = h('div', { class: 'log-viewer' }, toolbar, body);
  list.append(olderNote);

  function setFollowing(value: boolean) {
    following = value;
    if (value) pausedByButton = false;
    pauseBtn.textContent = value ? 'Pause' : 'Resume';
    pauseBtn.setAttribute('aria-pressed', String(!value));
    el.classList.toggle('log-paused', !value);
    updateCount();
  }

  function updateCount() {
    const shown = list.querySelectorAll('.log-line').length;
    count.textContent = `${shown === lines.length ? lines.length : `${shown} of ${lines.length}`} lines${following ? '' : ' · paused'}`;
    liveBtn.hidden = following;
    liveBtn.textContent = buffer.length ? `${buffer.length} new line${buffer.length === 1 ? '' : 's'} — jump to live` : 'Jump to live';
  }

  const matches = (line: LogLine) =>
    (options.onLevelChange || minLevel === null || levelRank(line.level) >= levelRank(minLevel)) &&
    (!filter || `${line.level ?? ''} ${line.source ?? ''} ${line.message}`.toLowerCase().includes(filter));

  const marks = () => (filter ? [...words, filter] : words);

  function fill(target: HTMLElement, text: string) {
    for (const seg of highlightSegments(text, marks())) target.append(seg.match ? h('mark', {}, seg.text) : seg.text);
  }

  function row(line: LogLine): HTMLElement {
    const level = (line.level ?? '').toLowerCase();
    const json = parseJsonMessage(line.message);
    const fields = line.fields && Object.keys(line.fields).length ? line.fields : null;
    const msg = h('span', { class: 'log-msg' });
    fill(msg, json ? JSON.stringify(json) : line.message);
    const detail = json ?? fields;
    const toggle = detail
      ? h('button', { type: 'button', class: 'log-expand', 'aria-expanded': 'false', 'aria-label': json ? 'Show the JSON' : 'Show the fields', title: json ? 'Pretty-print this JSON line' : 'Show structured fields' }, json ? '{…}' : '+')
      : null;
    const r = h(
      'div',
      { class: `log-line level-${level || 'none'}${json ? ' log-json' : ''}`, dataset: line.id ? { id: line.id } : {} },
      h('span', { class: 'log-ts' }, formatDateTime(line.ts)),
      line.level ? h('span', { class: 'log-level' }, line.level.toUpperCase()) : null,
      line.source ? h('span', { class: 'log-source' }, line.source) : null,
      msg,
      toggle,
    );
    if (toggle && detail) {
      toggle.addEventListener('click', (ev) => {
        ev.stopPropagation();
        const open = r.querySelector('.log-detail');
        if (open) open.remove();
        else r.append(h('div', { class: 'log-detail' }, codeViewer(json && fields ? { message: json, fields } : detail, 'json')));
        toggle.setAttribute('aria-expanded', String(!open));
      });
    }
    if (options.onSelect) {
      r.tabIndex = 0;
      r.classList.add('log-selectable');
      const choose = () => {
        if (line.id) handle.select(line.id);
        options.onSelect?.(line);
      };
      r.addEventListener('click', (ev) => {
        // Selecting text to copy it is not a click on the line.
        if (!window.getSelection()?.isCollapsed) return;
        if ((ev.target as Element).closest('.log-detail')) return;
        choose();
      });
      r.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' && ev.target === r) choose();
      });
    }
    if (line.id && line.id === selectedId) r.classList.add('log-selected');
    rows.set(line, r);
    return r;
  }

  function render() {
    replace(list, olderNote, ...lines.filter(matches).map(row));
    if (following) list.scrollTop = list.scrollHeight;
    updateCount();
  }

  function trim() {
    const overflow = lines.length - maxLines;
    if (overflow <= 0) return;
    for (const dropped of lines.slice(0, overflow)) rows.get(dropped)?.remove();
    lines = lines.slice(overflow);
    // Dropped lines can be fetched again by scrolling up.
    if (options.loadOlder) noMoreOlder = false;
  }

  const atBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < TAIL_SLACK_PX;

  list.addEventListener('scroll', () => {
    if (atBottom()) {
      if (!following && !pausedByButton) handle.jumpToLive();
    } else if (following) {
      setFollowing(false);
    }
    if (list.scrollTop < TOP_SLACK_PX) void loadOlder();
  });

  async function loadOlder() {
    if (!options.loadOlder || loadingOlder || noMoreOlder) return;
    loadingOlder = true;
    olderNote.hidden = false;
    olderNote.textContent = 'Loading older lines…';
    try {
      const older = await options.loadOlder();
      if (older.length === 0) {
        noMoreOlder = true;
        olderNote.textContent = 'The first line of these logs';
      } else {
        olderNote.hidden = true;
        handle.prepend(older);
      }
    } catch (error) {
      olderNote.textContent = `Older lines could not be loaded: ${(error as Error).message} — scroll up to try again`;
    } finally {
      loadingOlder = false;
    }
  }

  const handle: LogViewerHandle = {
    el,
    append(newLines) {
      if (newLines.length === 0) return;
      if (!following) {
        buffer.push(...newLines);
        updateCount();
        return;
      }
      lines.push(...newLines);
      for (const l of newLines) if (matches(l)) list.appendChild(row(l));
      trim();
      list.scrollTop = list.scrollHeight;
      updateCount();
    },
    prepend(older) {
      if (older.length === 0) return;
      const before = list.scrollHeight;
      const top = list.scrollTop;
      lines = [...older, ...lines];
      const anchor = olderNote.nextSibling;
      for (const l of older) if (matches(l)) list.insertBefore(row(l), anchor);
      // Keep the line the reader was looking at where it was.
      list.scrollTop = top + (list.scrollHeight - before);
      // No cap here: cutting the newest lines would leave a hole before the waiting ones. The next
      // append at the tail trims the oldest again.
      updateCount();
    },
    clear() {
      lines = [];
      buffer = [];
      noMoreOlder = !options.loadOlder;
      olderNote.hidden = true;
      setFollowing(true);
      render();
    },
    paused: () => !following,
    jumpToLive() {
      const waiting = buffer;
      buffer = [];
      setFollowing(true);
      if (waiting.length) handle.append(waiting);
      list.scrollTop = list.scrollHeight;
      updateCount();
    },
    setHighlight(next) {
      words = next;
      render();
    },
    select(id) {
      selectedId = id;
      for (const r of list.querySelectorAll('.log-selected')) r.classList.remove('log-selected');
      if (id) list.querySelector(`.log-line[data-id="${CSS.escape(id)}"]`)?.classList.add('log-selected');
    },
    lines: () => lines,
  };
  handle.append(options.lines ?? []);
  updateCount();
  return handle;
}
