// Tokens live in localStorage so a reload or a new tab stays signed in; the access token is short
// lived and the refresh token rotates on every use, which limits what a stolen copy is worth.
// Other tabs see rotations through the `storage` event, so two tabs never race with a dead token.

export interface TokenSet {
  access_token: string;
  refresh_token: string;
  /** Epoch ms when the access token expires. */
  expires_at: number;
}

const KEY = 'oneservice.session';

export class TokenStore {
  private tokens: TokenSet | null = read();
  private readonly listeners = new Set<(t: TokenSet | null) => void>();

  constructor() {
    window.addEventListener('storage', (ev) => {
      if (ev.key !== KEY) return;
      this.tokens = read();
      for (const l of this.listeners) l(this.tokens);
    });
  }

  get(): TokenSet | null {
    return this.tokens;
  }

  set(answer: { access_token: string; refresh_token: string; expires_in: number }): void {
    this.tokens = {
      access_token: answer.access_token,
      refresh_token: answer.refresh_token,
      expires_at: Date.now() + answer.expires_in * 1000,
    };
    localStorage.setItem(KEY, JSON.stringify(this.tokens));
    for (const l of this.listeners) l(this.tokens);
  }

  clear(): void {
    this.tokens = null;
    localStorage.removeItem(KEY);
    for (const l of this.listeners) l(null);
  }

  /** True when the access token expires within the next 20 s: refresh before calling, not after a 401. */
  expiresSoon(): boolean {
    return this.tokens !== null && this.tokens.expires_at - Date.now() < 20_000;
  }

  subscribe(listener: (t: TokenSet | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function read(): TokenSet | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<TokenSet>;
    return typeof v.access_token === 'string' && typeof v.refresh_token === 'string' && typeof v.expires_at === 'number'
      ? (v as TokenSet)
      : null;
  } catch {
    return null;
  }
}
