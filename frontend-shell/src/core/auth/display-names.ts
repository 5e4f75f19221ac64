// How people and roles are written in the shell: one place, so the user menu, the users page and
// the token dialog read alike.

const ROLE_LABELS: Record<string, string> = {
  TENANT_ADMIN: 'Tenant admin',
  SRE: 'SRE',
  ML_ENGINEER: 'ML engineer',
  DATA_SCIENTIST: 'Data scientist',
  PM: 'PM',
  READONLY: 'Read-only',
};

/** `ML_ENGINEER` → "ML engineer" (acronyms stay upper-case); an unknown role in sentence case. */
export function roleLabel(role: string): string {
  const known = ROLE_LABELS[role];
  if (known) return known;
  const words = role.toLowerCase().split('_').filter(Boolean).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The avatar's letters: the first letters of the first two words of the display name, ignoring a
 * parenthesised part ("SRE (Demo Tenant)" → "S", "Ada Lovelace" → "AL") and anything that is not a
 * letter; the email's name part when the display name has no letters.
 */
export function initialsOf(displayName: string | null | undefined, email: string): string {
  const letters = (text: string) =>
    text
      .replace(/\([^)]*\)/g, ' ')
      .split(/[\s._@-]+/)
      .map((word) => word.match(/\p{L}|\p{N}/u)?.[0] ?? '')
      .filter(Boolean);
  const fromName = letters(displayName ?? '');
  const chosen = fromName.length > 0 ? fromName : letters(email.split('@')[0] ?? email);
  return chosen.slice(0, 2).join('').toUpperCase() || '?';
}

/** "1 run", "2 runs": English plurals for the counts the shell writes. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}
