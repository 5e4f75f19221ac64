import type { ShellServices } from '../app/services.js';
import { isApiError } from '../core/api/api-error.js';
import { formatWait, retryAfterSeconds } from '../core/api/problem-text.js';
import { h, uid } from '../ui/dom.js';

interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

/**
 * Sign-in. Email, password and — only when the same email exists in several tenants — the tenant
 * slug. A throttled sign-in (429) shows when the next try is allowed and counts down to it.
 */
export function loginPage(services: ShellServices, notice: string | null, onSignedIn: () => Promise<void>): HTMLElement {
  const ids = { email: uid('login'), password: uid('login'), tenant: uid('login'), error: uid('login') };
  const email = h('input', { id: ids.email, class: 'input', type: 'email', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: ids.password, class: 'input', type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const tenant = h('input', { id: ids.tenant, class: 'input', type: 'text', name: 'tenant', autocomplete: 'organization', placeholder: 'e.g. demo-tenant', pattern: '[a-z0-9][a-z0-9-]*' });
  const error = h('div', { id: ids.error, class: 'form-error', role: 'alert', 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Sign in');
  let countdown: ReturnType<typeof setInterval> | undefined;

  const throttle = (seconds: number) => {
    clearInterval(countdown);
    let left = seconds;
    submit.disabled = true;
    const tick = () => {
      if (left <= 0) {
        clearInterval(countdown);
        submit.disabled = false;
        error.textContent = 'You can try again now.';
        return;
      }
      error.textContent = `Too many sign-in attempts. Try again in ${formatWait(left)}.`;
      left -= 1;
    };
    tick();
    countdown = setInterval(tick, 1000);
  };

  const form = h(
    'form',
    { class: 'login-form', novalidate: true, 'aria-describedby': ids.error },
    h('div', { class: 'field' }, h('label', { for: ids.email, class: 'field-label' }, 'Email'), email),
    h('div', { class: 'field' }, h('label', { for: ids.password, class: 'field-label' }, 'Password'), password),
    h('div', { class: 'field' }, h('label', { for: ids.tenant, class: 'field-label' }, 'Tenant ', h('span', { class: 'muted' }, '(only if your email is in several)')), tenant),
    error,
    submit,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!email.value.trim() || !password.value) {
      error.textContent = 'Enter your email and password.';
      (email.value.trim() ? password : email).focus();
      return;
    }
    submit.disabled = true;
    error.textContent = '';
    submit.textContent = 'Signing in…';
    try {
      const answer = await services.api.post<TokenAnswer>(
        '/auth/login',
        { username: email.value.trim(), password: password.value, ...(tenant.value.trim() ? { tenant: tenant.value.trim() } : {}) },
        { silent: true },
      );
      services.tokens.set(answer);
      await onSignedIn();
    } catch (e) {
      submit.disabled = false;
      if (isApiError(e) && e.status === 429) {
        throttle(retryAfterSeconds(e.problem) ?? 60);
      } else if (isApiError(e) && e.status === 401) {
        error.textContent = 'The email or password is not correct.';
        password.select();
      } else if (isApiError(e)) {
        error.textContent = e.readable;
      } else {
        error.textContent = 'The server could not be reached. Check the connection and try again.';
      }
    } finally {
      submit.textContent = 'Sign in';
    }
  });

  return h(
    'div',
    { class: 'login-screen' },
    h(
      'main',
      { class: 'login-card', 'aria-labelledby': 'login-title' },
      h('div', { class: 'login-brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '◆'), ' OneService'),
      h('h1', { id: 'login-title' }, 'Sign in'),
      notice ? h('p', { class: 'notice', role: 'status' }, notice) : null,
      form,
    ),
  );
}
