import { ProblemError } from '@oneservice/plugin-sdk';
import { Transform, type Readable } from 'node:stream';

export const tooLarge = (limit: number, size: string) =>
  new ProblemError(413, 'Payload Too Large', `the upload is ${size}; the limit is ${limit} bytes (ARTIFACT_MAX_BYTES)`, undefined, {
    limit,
    limit_name: 'ARTIFACT_MAX_BYTES',
  });

/**
 * The upload body, refused before a byte is stored when its declared Content-Length is over the
 * limit, and cut off with the same 413 when a chunked body grows past it (no length to trust).
 */
export function limitedBody(body: Readable, declaredLength: string | undefined, limit: number): Readable {
  const declared = declaredLength === undefined ? Number.NaN : Number(declaredLength);
  if (Number.isFinite(declared) && declared > limit) {
    discardRest(body);
    throw tooLarge(limit, `${declared} bytes`);
  }
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > limit) {
        body.unpipe(counter);
        discardRest(body);
        done(tooLarge(limit, `over ${limit} bytes`));
      } else done(null, chunk);
    },
  });
  body.once('error', (error) => counter.destroy(error));
  return body.pipe(counter);
}

/** Past this much of a refused body, the connection is cut rather than read to its end. */
const DISCARD_MAX_BYTES = 64 * 1024 ** 2;

/**
 * Most clients (Python's http.client, curl without Expect: 100-continue) send the whole body before
 * they read an answer; a server that answers and closes mid-body makes them see a broken pipe instead
 * of the 413. So the rest of a refused body is read and thrown away — up to a bound, then the
 * connection is cut.
 */
function discardRest(body: Readable): void {
  let discarded = 0;
  body.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_MAX_BYTES) body.destroy();
  });
  body.resume();
}
