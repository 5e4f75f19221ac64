import { describe, expect, it } from '@jest/globals';
import { formatWait, problemToText, retryAfterSeconds, toProblem } from '../src/core/api/problem-text.js';

describe('problem+json to toast text', () => {
  it('joins title and detail', () => {
    expect(problemToText({ title: 'Conflict', status: 409, detail: 'A tenant with slug "acme" exists' })).toBe(
      'Conflict: A tenant with slug "acme" exists',
    );
  });

  it('does not repeat a detail equal to the title', () => {
    expect(problemToText({ title: 'Forbidden', status: 403, detail: 'forbidden' })).toBe('Forbidden');
  });

  it('lists field errors with readable paths, at most five', () => {
    const errors = Array.from({ length: 7 }, (_, i) => ({ path: `/body/field${i}`, message: 'is required' }));
    const text = problemToText({ title: 'Bad Request', status: 400, errors });
    expect(text).toBe(
      'Bad Request — field0: is required; field1: is required; field2: is required; field3: is required; field4: is required — and 2 more',
    );
    expect(problemToText({ title: 'Bad Request', status: 400, errors: [{ path: 'body.settings.url', message: 'Invalid URL' }] })).toBe(
      'Bad Request — settings.url: Invalid URL',
    );
  });

  it('says when to retry a throttled request', () => {
    const p = toProblem(429, { title: 'Too Many Requests', status: 429, detail: 'Too many failed logins', retry_after: 90 });
    expect(retryAfterSeconds(p)).toBe(90);
    expect(problemToText(p)).toBe('Too Many Requests: Too many failed logins — try again in 1 min 30 s');
    expect(formatWait(42)).toBe('42 s');
    expect(formatWait(120)).toBe('2 min');
  });

  it('invents a readable problem from a non-problem body', () => {
    expect(toProblem(502, '<html>Bad gateway</html>', '<html>Bad gateway</html>')).toEqual({
      title: 'An upstream service did not answer',
      status: 502,
    });
    expect(problemToText(toProblem(418, null, 'teapot'))).toBe('Request failed (418): teapot');
    expect(toProblem(400, { title: 'Bad', errors: [{ path: 1, message: 'x' }, 'junk'] }).errors).toEqual([{ path: '1', message: 'x' }]);
  });
});
