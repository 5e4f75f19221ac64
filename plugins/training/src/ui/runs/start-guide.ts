/// <reference lib="dom" />
import type { ShellContext } from '@oneservice/plugin-sdk/ui';

const TOKEN_PLACEHOLDER = '<your ingest token>';

/** The few lines that make a first run appear in this list: install, point at this platform, log. */
export function sdkSnippet(origin: string, tenant: string, token: string | null): string {
  return [
    '# 1. Install the SDK (from a OneService checkout; stdlib only)',
    'pip install ./monitor-sdk/python',
    '',
    '# 2. Point it at this platform',
    `export ONESERVICE_URL=${origin}`,
    `export ONESERVICE_TENANT=${tenant}`,
    `export ONESERVICE_TOKEN=${token ?? TOKEN_PLACEHOLDER}`,
    '',
    '# 3. Log a run (python)',
    'from monitor_sdk import OneServiceRun',
    '',
    'run = OneServiceRun(project="my-project", run_name="first-run", params={"lr": 3e-4})',
    'for step in range(100):',
    '    run.log_metric("loss", 1 / (step + 1), step=step)',
    'run.finish()',
  ].join('\n');
}

/**
 * What an empty tenant sees instead of an empty table: the SDK snippet, and for users who may send
 * run data a button that mints an ingest token and writes it into the snippet (shown this once).
 */
export function startGuide(ctx: ShellContext): HTMLElement {
  const { h } = ctx.ui;
  const tenant = ctx.session.tenant?.slug ?? '<tenant>';
  const codeSlot = h('div', { class: 'start-guide-code' }, ctx.ui.codeViewer(sdkSnippet(location.origin, tenant, null), 'text'));
  const note = h('p', { class: 'muted', 'aria-live': 'polite' });
  const canMint = ctx.session.can('runs:ingest') && ctx.session.can('tokens:own');
  const mint = h('button', { type: 'button', class: 'btn btn-primary' }, 'Create an ingest token');
  mint.addEventListener('click', () => {
    mint.disabled = true;
    void ctx.api
      .post<{ secret: string; token: { name: string; expires_at: string } }>('/auth/api-token', {
        name: `SDK token from the runs page (${new Date().toISOString().slice(0, 10)})`,
        scopes: ['ingest', 'read'],
        expires_in_days: 90,
      })
      .then(
        (answer) => {
          codeSlot.replaceChildren(ctx.ui.codeViewer(sdkSnippet(location.origin, tenant, answer.secret), 'text'));
          note.textContent = `Token “${answer.token.name}” created, valid until ${new Date(answer.token.expires_at).toLocaleDateString()}. It is shown only now: copy it. Revoke it under Tenants & Users › API tokens.`;
          mint.hidden = true;
        },
        () => {
          mint.disabled = false;
        },
      );
  });
  const action = canMint
    ? mint
    : h('p', { class: 'muted' }, 'Your role cannot send run data: ask an ML engineer or a data scientist of your tenant for an ingest token.');
  const card = ctx.ui.card({
    title: 'No runs yet',
    subtitle: 'Log your first training run with the Python SDK; it appears here while it runs.',
    span: 12,
    body: [codeSlot, h('div', { class: 'start-guide-actions' }, action), note],
  });
  card.el.classList.add('start-guide');
  return card.el;
}
