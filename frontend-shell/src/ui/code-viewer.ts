import { button, h } from './dom.js';
import { toast } from './toast.js';

// JSON highlighting with one regular expression over the pretty-printed text. Spans are built as
// DOM nodes (never innerHTML), so a value containing markup is shown, not run.
const TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

export function highlightJson(text: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    const at = m.index ?? 0;
    if (at > last) frag.append(text.slice(last, at));
    if (m[1]) {
      frag.append(h('span', { class: m[2] ? 'tok-key' : 'tok-string' }, m[1]));
      if (m[2]) frag.append(m[2]);
    } else if (m[3]) frag.append(h('span', { class: 'tok-literal' }, m[3]));
    else if (m[4]) frag.append(h('span', { class: 'tok-number' }, m[4]));
    last = at + m[0].length;
  }
  if (last < text.length) frag.append(text.slice(last));
  return frag;
}

export function codeViewer(code: unknown, language: 'json' | 'text' = typeof code === 'string' ? 'text' : 'json'): HTMLElement {
  let text: string;
  if (typeof code === 'string' && language === 'json') {
    try {
      text = JSON.stringify(JSON.parse(code), null, 2);
    } catch {
      text = code;
    }
  } else text = typeof code === 'string' ? code : JSON.stringify(code, null, 2) ?? String(code);
  const pre = h('pre', { class: `code code-${language}`, tabindex: '0' });
  pre.appendChild(language === 'json' ? highlightJson(text) : document.createTextNode(text));
  const copy = button('Copy', () => {
    void navigator.clipboard?.writeText(text).then(
      () => toast('Copied to the clipboard', 'success'),
      () => toast('The browser refused clipboard access', 'warning'),
    );
  }, 'ghost', { class: 'btn btn-ghost code-copy', 'aria-label': 'Copy code' });
  return h('div', { class: 'code-viewer' }, copy, pre);
}
