import type { JsonSchema, SchemaFormHandle } from '@oneservice/plugin-sdk/ui';
import { h, uid } from './dom.js';

// Forms generated from a plugin's settings JSON Schema, so a plugin gets a settings page without
// writing UI. Covered: objects (nested as fieldsets), string (text, password for `format: password`
// or `writeOnly`, url, email), number/integer (with bounds), boolean, enum, and arrays of strings
// (one per line). The server validates again; this only catches the obvious before the round trip.

interface Field {
  path: string;
  schema: JsonSchema;
  required: boolean;
  read(): unknown;
  error: HTMLElement;
  input: HTMLElement;
}

const typeOf = (s: JsonSchema): string => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') ?? 'string' : s.type ?? (s.properties ? 'object' : 'string'));

export function schemaForm(schema: JsonSchema, value: Record<string, unknown> = {}): SchemaFormHandle {
  const fields: Field[] = [];
  const el = h('div', { class: 'schema-form' });
  build(el, schema, value, '', fields);
  if (fields.length === 0) el.appendChild(h('p', { class: 'muted' }, 'This plugin has no settings.'));

  const handle: SchemaFormHandle = {
    el,
    value() {
      const out: Record<string, unknown> = {};
      for (const f of fields) {
        const v = f.read();
        if (v !== undefined) setPath(out, f.path, v);
      }
      return out;
    },
    validate() {
      const errors: { path: string; message: string }[] = [];
      for (const f of fields) {
        const message = check(f);
        if (message) errors.push({ path: f.path, message });
      }
      handle.showErrors(errors);
      return errors.length === 0;
    },
    showErrors(errors) {
      for (const f of fields) {
        const e = errors.find((x) => normalise(x.path) === f.path || normalise(x.path).endsWith(`.${f.path}`));
        f.error.textContent = e?.message ?? '';
        f.input.setAttribute('aria-invalid', String(Boolean(e)));
      }
      const first = fields.find((f) => f.error.textContent);
      first?.input.focus();
    },
  };
  return handle;
}

const normalise = (p: string) => p.replace(/^\/+/, '').replace(/\//g, '.').replace(/^(body\.)?(settings\.)?/, '');

function build(parent: HTMLElement, schema: JsonSchema, value: Record<string, unknown>, prefix: string, fields: Field[]): void {
  const required = new Set(schema.required ?? []);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    const current = value?.[name];
    if (typeOf(prop) === 'object') {
      const fs = h('fieldset', { class: 'schema-group' }, h('legend', {}, prop.title ?? name));
      build(fs, prop, (current as Record<string, unknown>) ?? {}, path, fields);
      parent.appendChild(fs);
      continue;
    }
    parent.appendChild(field(name, path, prop, current, required.has(name), fields));
  }
}

function field(name: string, path: string, schema: JsonSchema, current: unknown, required: boolean, fields: Field[]): HTMLElement {
  const id = uid('sf');
  const errorId = `${id}-err`;
  const error = h('div', { class: 'field-error', id: errorId });
  const initial = current ?? schema.default;
  const type = typeOf(schema);
  let input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  let read: () => unknown;
  const common = { id, name: path, 'aria-describedby': errorId, 'aria-required': required ? 'true' : undefined };

  if (schema.enum) {
    input = h('select', { ...common, class: 'input' }, required ? null : h('option', { value: '' }, '—'), ...schema.enum.map((v) => h('option', { value: String(v) }, String(v))));
    input.value = initial === undefined ? '' : String(initial);
    const sel = input;
    read = () => {
      if (sel.value === '') return undefined;
      return schema.enum!.find((v) => String(v) === sel.value);
    };
  } else if (type === 'boolean') {
    input = h('input', { ...common, type: 'checkbox', checked: Boolean(initial) });
    const box = input;
    read = () => box.checked;
  } else if (type === 'number' || type === 'integer') {
    input = h('input', { ...common, class: 'input', type: 'number', step: type === 'integer' ? '1' : 'any', min: schema.minimum, max: schema.maximum, value: initial === undefined ? '' : String(initial) });
    const num = input;
    read = () => (num.value === '' ? undefined : Number(num.value));
  } else if (type === 'array') {
    input = h('textarea', { ...common, class: 'input', rows: '3', placeholder: 'One value per line' });
    input.value = Array.isArray(initial) ? initial.join('\n') : '';
    const ta = input;
    read = () => {
      const items = ta.value.split('\n').map((s) => s.trim()).filter(Boolean);
      return items.length ? items : undefined;
    };
  } else {
    const secret = schema.format === 'password' || schema.writeOnly === true;
    const inputType = secret ? 'password' : schema.format === 'uri' || schema.format === 'url' ? 'url' : schema.format === 'email' ? 'email' : 'text';
    // A stored secret is never sent back by the server; an empty box means "keep the current one".
    input = h('input', { ...common, class: 'input', type: inputType, autocomplete: secret ? 'new-password' : 'off', placeholder: secret && current === undefined ? '' : '', value: typeof initial === 'string' ? initial : '' });
    const text = input;
    read = () => (text.value === '' ? undefined : text.value);
  }
  fields.push({ path, schema, required, read, error, input });
  const label = h('label', { for: id, class: 'field-label' }, schema.title ?? name, required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null);
  return h('div', { class: `field field-${type === 'boolean' ? 'check' : 'text'}` }, label, input, schema.description ? h('div', { class: 'field-help' }, schema.description) : null, error);
}

function check(f: Field): string | null {
  const v = f.read();
  const s = f.schema;
  if (v === undefined) return f.required && typeOf(s) !== 'boolean' ? 'Required' : null;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'Enter a number';
    if (typeOf(s) === 'integer' && !Number.isInteger(v)) return 'Enter a whole number';
    if (s.minimum !== undefined && v < s.minimum) return `At least ${s.minimum}`;
    if (s.maximum !== undefined && v > s.maximum) return `At most ${s.maximum}`;
  }
  if (typeof v === 'string') {
    if (s.minLength !== undefined && v.length < s.minLength) return `At least ${s.minLength} characters`;
    if (s.maxLength !== undefined && v.length > s.maxLength) return `At most ${s.maxLength} characters`;
    if (s.pattern && !new RegExp(s.pattern).test(v)) return 'Does not have the expected format';
    if ((s.format === 'uri' || s.format === 'url') && !URL.canParse(v)) return 'Enter a full URL (https://…)';
  }
  return null;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) {
    if (typeof node[p] !== 'object' || node[p] === null) node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}
