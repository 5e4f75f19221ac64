import './styles/index.css';
import { ShellServices } from './app/services.js';
import { kernelProviders } from './core/search/kernel-providers.js';
import { errorText } from './core/api/api-error.js';
import { AppFrame } from './layout/app-frame.js';
import { loginPage } from './pages/login-page.js';
import { h, replace } from './ui/dom.js';
import { errorState, loadingState } from './ui/states.js';

// Boot: restore the session if tokens are stored, else show the sign-in page; the original URL is
// kept in `next` so a deep link survives signing in.
const services = new ShellServices();
const root = h('div', { id: 'app-root' });
document.body.appendChild(root);
let frame: AppFrame | null = null;
let kernelSearch: (() => void)[] = [];

function showLogin(notice: string | null): void {
  frame?.destroy();
  frame = null;
  const loc = services.router.location;
  if (loc.path !== '/login') {
    const here = `${location.pathname}${location.search}`;
    services.router.navigate(`/login${here !== '/' ? `?next=${encodeURIComponent(here)}` : ''}`, { replace: true, keepTimeRange: false });
  }
  document.title = 'Sign in · OneService';
  replace(root, loginPage(services, notice, () => startApp()));
}

async function startApp(): Promise<void> {
  replace(root, loadingState('Loading OneService…'));
  try {
    await services.loadSession();
  } catch (e) {
    if (!services.tokens.get()) return; // the refresh failed: onSignedOut already showed the login page
    replace(root, errorState({ title: 'OneService could not start', detail: errorText(e), action: { label: 'Retry', onClick: () => void startApp() } }));
    return;
  }
  for (const off of kernelSearch) off();
  kernelSearch = kernelProviders(services.api, () => services.menus, services.session!).map((p) => services.search.register(p));
  const loc = services.router.location;
  if (loc.path === '/login') {
    const next = loc.query.get('next');
    // Only same-site paths: `next` comes from the URL and must not send a user elsewhere.
    services.router.navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true, keepTimeRange: false });
  }
  frame?.destroy();
  frame = new AppFrame(services);
  replace(root, frame.el);
}

services.onSignedOut = (reason) => showLogin(reason === 'expired' ? 'Your session has ended. Please sign in again.' : null);

// Another tab signing out signs this one out too.
services.tokens.subscribe((tokens) => {
  if (!tokens && frame) showLogin(null);
});

if (services.tokens.get()) void startApp();
else showLogin(null);
