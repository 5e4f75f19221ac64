// Readable contrast in both themes, checked the way axe does it: from computed styles, the
// WCAG 2 contrast ratio of text against the background it is painted on.
//   1. The theme's text tokens on the surfaces they are used on (body text ≥ 4.5:1).
//   2. Every visible text on real pages (users table, the plugin page): ≥ 4.5:1, or ≥ 3:1 for large
//      text (≥ 24px, or ≥ 18.66px bold); disabled controls are exempt, as WCAG exempts them.
import { assert, emailFor, settle, uiLogin } from './helpers.mjs';

/** Runs in the page: the helpers below are serialised with it. */
export function contrastTools() {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const lum = ({ r, g, b }) => {
    const ch = (v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
  };
  const blend = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
  const ratio = (fg, bg) => {
    const [l1, l2] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  };
  /** The opaque colour behind an element: its own and its ancestors' backgrounds, blended. */
  const backgroundOf = (el) => {
    const layers = [];
    for (let n = el; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) break;
      }
    }
    let out = { r: 255, g: 255, b: 255, a: 1 };
    for (const c of layers.reverse()) out = blend(c, out);
    return out;
  };
  return { parse, ratio, backgroundOf, blend };
}

function tokenPairs(tools) {
  const { parse, ratio, backgroundOf, blend } = eval(`(${tools})`)();
  const pairs = [
    ['--text', '--bg'], ['--text', '--surface'], ['--text', '--surface-2'], ['--text', '--surface-hover'],
    ['--text-muted', '--bg'], ['--text-muted', '--surface'], ['--text-muted', '--surface-2'],
    ['--nav-text', '--nav-bg'], ['--nav-text', '--nav-active'], ['--accent-text', '--accent'],
    ['--accent', '--surface'], ['--danger', '--surface'], ['--ok', '--surface'], ['--warn', '--surface'], ['--info', '--surface'],
  ];
  return pairs.map(([fg, bg]) => {
    // A probe painted with the tokens: the browser resolves them exactly as the page does.
    const probe = document.createElement('div');
    probe.style.cssText = `position:fixed;color:var(${fg});background:var(${bg})`;
    probe.textContent = 'x';
    document.body.appendChild(probe);
    const fgc = parse(getComputedStyle(probe).color);
    const r = ratio(blend(fgc, backgroundOf(probe)), backgroundOf(probe));
    probe.remove();
    return { pair: `${fg} on ${bg}`, ratio: Math.round(r * 100) / 100 };
  });
}

export function pageTexts(tools) {
  const { parse, ratio, backgroundOf, blend } = eval(`(${tools})`)();
  const failures = [];
  let checked = 0;
  for (const el of document.querySelectorAll('body *')) {
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!ownText || el.offsetParent === null || el.closest('[aria-hidden="true"], :disabled, [aria-disabled="true"]')) continue;
    const style = getComputedStyle(el);
    if (style.visibility !== 'visible' || Number(style.opacity) < 0.1) continue;
    const fg = parse(style.color);
    const bg = backgroundOf(el);
    const r = ratio(blend(fg, bg), bg);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    checked += 1;
    if (r < (large ? 3 : 4.5)) failures.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${el.textContent.trim().slice(0, 30)}" ${r.toFixed(2)}:1`);
  }
  return { checked, failures };
}

export const tests = [
  {
    name: 'contrast: text tokens and every visible text meet WCAG AA in both themes',
    async run({ page }) {
      await uiLogin(page, emailFor('TENANT_ADMIN'), undefined, '/admin/users');
      const tools = contrastTools.toString();
      for (const theme of ['light', 'dark']) {
        if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme) {
          await page.getByTestId('theme-toggle').click();
          await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
        }
        const tokens = await page.evaluate(tokenPairs, tools);
        const weak = tokens.filter((t) => t.ratio < 4.5);
        assert(weak.length === 0, `${theme}: token pairs under 4.5:1: ${weak.map((t) => `${t.pair} ${t.ratio}:1`).join(', ')}`);
        for (const route of ['/admin/users', '/hello']) {
          await page.goto(route);
          await settle(page);
          await page.locator('.page').first().waitFor();
          const { checked, failures } = await page.evaluate(pageTexts, tools);
          assert(checked > 20, `${theme} ${route}: texts were found to check (${checked})`);
          assert(failures.length === 0, `${theme} ${route}: ${failures.length} of ${checked} texts under AA: ${failures.slice(0, 8).join('; ')}`);
        }
      }
      await page.getByTestId('theme-toggle').click(); // leave the demo user's theme as it was (light)
    },
  },
];
