/// <reference lib="dom" />
// Pure helpers of the Overview tab: how a run's tags are grouped for reading.

/** The SDK's Hugging Face provenance tags (monitor_sdk/hf.py): `hf.model.*`, `hf.tokenizer.*`, `hf.dataset[.<role>].*`. */
export interface TagGroup {
  title: string;
  entries: [string, string][];
}

const DATASET_KEYS = 'class|name|config|version|split|fingerprint|num_rows|download_checksums_sha256';
const HF_GROUPS: { prefix: RegExp; title: (m: RegExpExecArray) => string }[] = [
  { prefix: /^hf\.model\./, title: () => 'Model (Hugging Face)' },
  { prefix: /^hf\.tokenizer\./, title: () => 'Tokenizer (Hugging Face)' },
  // hf_tags(datasets={"train": …}) prefixes each dataset with its role: hf.dataset.train.name.
  { prefix: new RegExp(`^hf\\.dataset\\.([a-z0-9_-]+)\\.(?=(?:${DATASET_KEYS})$)`, 'i'), title: (m) => `Dataset: ${m[1]} (Hugging Face)` },
  { prefix: /^hf\.dataset\./, title: () => 'Dataset (Hugging Face)' },
];
const SYSTEM_TAG = /^(system|host|hostname|os|platform|python|torch|cuda|cudnn|gpu|nvidia|driver)([._]|$)/i;

export const textOf = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v));

/** Splits tags into provenance groups (HF model, tokenizer, datasets), system facts and the rest. */
export function groupTags(tags: Record<string, unknown>): { provenance: TagGroup[]; system: [string, string][]; other: [string, string][] } {
  const groups = new Map<string, TagGroup>();
  const system: [string, string][] = [];
  const other: [string, string][] = [];
  for (const [key, raw] of Object.entries(tags).sort(([a], [b]) => a.localeCompare(b))) {
    const value = textOf(raw);
    let matched = false;
    for (const g of HF_GROUPS) {
      const m = g.prefix.exec(key);
      if (!m) continue;
      const title = g.title(m);
      const group = groups.get(title) ?? { title, entries: [] };
      group.entries.push([key.slice(m[0].length), value]);
      groups.set(title, group);
      matched = true;
      break;
    }
    if (matched) continue;
    if (SYSTEM_TAG.test(key)) system.push([key, value]);
    else other.push([key, value]);
  }
  return { provenance: [...groups.values()], system, other };
}

/** A hash is shown short (the whole value in its title): a sha256 in full would crowd the card. */
export const isHash = (key: string, value: string) => /(sha256|fingerprint|hash|checksum)/i.test(key) || /^[0-9a-f]{32,}$/i.test(value);
