/**
 * Lines of a child's output as they arrive: `await nextLine()` resolves with the next whole line
 * (the benchmarks read the SDK script's "SENT step time" lines this way).
 */
export function lineReader(stream) {
  const lines = [];
  let wake = null;
  let buffer = '';
  stream.on('data', (d) => {
    buffer += d;
    let at;
    while ((at = buffer.indexOf('\n')) >= 0) {
      lines.push(buffer.slice(0, at));
      buffer = buffer.slice(at + 1);
      wake?.();
    }
  });
  return async function nextLine() {
    while (lines.length === 0) await new Promise((r) => (wake = r));
    return lines.shift();
  };
}
