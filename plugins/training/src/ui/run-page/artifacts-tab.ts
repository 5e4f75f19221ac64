/// <reference lib="dom" />
import type { ApiErrorLike, ShellContext } from '@oneservice/plugin-sdk/ui';
import type { Run } from '../api-types.js';
import type { RunArtifact } from './observation-types.js';
import { readProblem } from './logs/log-stream.js';
import type { RunTab } from './run-tab.js';

// The extensions the server treats as model files (artifact-store.ts MODEL_EXTENSIONS).
/** Past this the bytes are not hashed again in the page (it would hold a second copy in memory). */
const HASH_CHECK_MAX_BYTES = 512 * 1024 * 1024;
const MODEL_FILE = /\.(onnx|pt|pth|pb|tflite|h5|keras)$/i;

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return u === 0 ? `${n} B` : `${Number(v.toFixed(v < 10 ? 2 : 1))} ${units[u]}`;
}

/**
 * Artifacts: the run's files with type, size, sha256 and time; Download goes through the signed-in
 * client (the bearer token is sent, the bytes become a file) so it never lands on a 401 page; a model
 * file opens in Model Viz.
 */
export const artifactsTab: RunTab = {
  id: 'artifacts',
  title: 'Artifacts',
  available: true,
  mount(el, ctx, run) {
    const { h } = ctx.ui;
    let closed = false;
    const table = ctx.ui.table<RunArtifact>({
      id: 'run-artifacts', urlState: false, rowKey: (a) => a.id, source: { kind: 'local', rows: [] }, pageSize: 50,
      defaultSort: { field: 'created', direction: 'desc' },
      columns: [
        { id: 'path', title: 'Path', value: (a) => a.path, render: (a) => h('span', { class: 'obs-mono' }, a.path), sortable: true },
        { id: 'type', title: 'Type', value: (a) => a.type, render: (a) => h('span', { class: 'badge' }, a.type), sortable: true },
        { id: 'size', title: 'Size', value: (a) => a.size, render: (a) => formatBytes(a.size), sortable: true, align: 'right' },
        {
          id: 'sha256', title: 'sha256', value: (a) => a.sha256,
          render: (a) => h('span', { class: 'obs-sha' },
            h('span', { class: 'obs-mono', title: a.sha256 }, `${a.sha256.slice(0, 12)}…`),
            h('button', { type: 'button', class: 'btn btn-ghost', 'aria-label': `Copy the sha256 of ${a.path}`, onclick: (ev: MouseEvent) => { ev.stopPropagation(); copy(ctx, a.sha256); } }, 'Copy')),
        },
        { id: 'created', title: 'Created', value: (a) => a.created_at, render: (a) => new Date(a.created_at).toLocaleString(), sortable: true },
        {
          id: 'actions', title: '', align: 'right',
          render: (a) => h('span', { class: 'obs-actions' },
            a.type === 'model' || MODEL_FILE.test(a.path)
              ? h('a', { class: 'btn btn-ghost', href: ctx.router.href(`/model-viz?run=${encodeURIComponent(run.id)}&artifact=${encodeURIComponent(a.id)}`) }, 'Open in Model Viz')
              : null,
            h('button', { type: 'button', class: 'btn btn-default', 'aria-label': `Download ${a.path}`, onclick: (ev: MouseEvent) => void download(ctx, run, a, ev.currentTarget as HTMLButtonElement) }, 'Download')),
        },
      ],
    });
    const load = () => {
      el.replaceChildren(ctx.ui.loading('Loading the artifacts…'));
      ctx.api.get<{ items: RunArtifact[] }>(`/runs/${encodeURIComponent(run.id)}/artifacts`, { silent: true }).then((res) => {
        if (closed) return;
        if (res.items.length === 0) {
          el.replaceChildren(noArtifacts(ctx, run));
          return;
        }
        table.setRows(res.items);
        const total = res.items.reduce((sum, a) => sum + a.size, 0);
        el.replaceChildren(h('p', { class: 'obs-hint' }, `${res.items.length} file${res.items.length === 1 ? '' : 's'}, ${formatBytes(total)} in all. Downloads check the sha256 of the bytes received.`), table.el);
      }, (error: ApiErrorLike) => {
        if (!closed) el.replaceChildren(ctx.ui.error({ title: 'The artifacts could not be loaded', detail: `${error.readable ?? error.message} — check your connection and try again.`, action: { label: 'Try again', onClick: load } }));
      });
    };
    load();
    return () => {
      closed = true;
      table.destroy();
    };
  },
};

function copy(ctx: ShellContext, text: string) {
  void navigator.clipboard?.writeText(text).then(
    () => ctx.ui.toast('sha256 copied to the clipboard', 'success'),
    () => ctx.ui.toast('The browser refused clipboard access', 'warning'),
  );
}

async function download(ctx: ShellContext, run: Run, artifact: RunArtifact, btn: HTMLButtonElement) {
  btn.disabled = true;
  const label = btn.textContent;
  btn.textContent = 'Downloading…';
  try {
    const res = await ctx.api.fetch(`/runs/${encodeURIComponent(run.id)}/artifacts/${encodeURIComponent(artifact.id)}/download`, { headers: { Accept: '*/*' } });
    if (!res.ok) {
      const problem = await readProblem(res);
      ctx.ui.toast(`${artifact.path} could not be downloaded: ${problem.detail ?? problem.title}`, 'error');
      return;
    }
    const blob = await res.blob();
    // The bytes are checked against the sha256 recorded at upload, so a cut-off transfer is said, not saved silently.
    const digest = blob.size <= HASH_CHECK_MAX_BYTES ? await sha256Hex(blob) : null;
    if (digest !== null && digest !== artifact.sha256) {
      ctx.ui.toast(`${artifact.path}: the bytes received do not match the recorded sha256 — try the download again`, 'error');
      return;
    }
    const href = URL.createObjectURL(blob);
    const a = ctx.ui.h('a', { href, download: artifact.path.split('/').at(-1) ?? 'artifact', style: 'display:none' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
  } catch (error) {
    ctx.ui.toast(`${artifact.path} could not be downloaded: ${(error as Error).message}`, 'error');
  } finally {
    btn.disabled = false;
    btn.textContent = label;
  }
}

async function sha256Hex(blob: Blob): Promise<string | null> {
  // SubtleCrypto exists only in secure contexts (https, localhost); elsewhere the check is skipped.
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function noArtifacts(ctx: ShellContext, run: Run): HTMLElement {
  const state = ctx.ui.empty({
    title: run.status === 'running' ? 'No artifacts yet' : 'This run stored no artifacts',
    detail: 'Model files, checkpoints and TensorBoard logs the run uploads show here. Upload one with:',
  });
  state.append(ctx.ui.h('code', { class: 'obs-snippet' }, 'run.upload_artifact("model.onnx", type="model")'));
  return state;
}
