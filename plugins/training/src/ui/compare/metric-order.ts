/** Training's usual suspects first (loss before accuracy before the rest), the others by name. */
const PREFERRED = ['loss', 'train_loss', 'val_loss', 'eval_loss', 'accuracy', 'val_accuracy', 'eval_accuracy', 'lr', 'learning_rate', 'grad_norm'];

export function orderMetricNames(names: Iterable<string>): string[] {
  const all = [...new Set(names)];
  const preferred = PREFERRED.filter((n) => all.includes(n));
  return [...preferred, ...all.filter((n) => !preferred.includes(n)).sort((a, b) => a.localeCompare(b))];
}
