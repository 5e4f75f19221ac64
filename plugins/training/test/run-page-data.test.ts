import { describe, expect, it } from '@jest/globals';
import { chartSettingsQuery, readChartSettings } from '../src/ui/run-page/charts/chart-settings.js';
import { frameFromSeries, isSystemMetric, liveX } from '../src/ui/run-page/charts/series-frame.js';
import { groupTags, isHash } from '../src/ui/run-page/overview/run-facts.js';
import { formatDuration } from '../src/ui/run-page/run-header.js';

// The pure parts of the run page: the API's answers turned into panel frames, URL settings, tags
// grouped for reading, the run stream's event parsing.

describe('run page: frames from the metrics API', () => {
  it('takes the bucket mean as the line and min/max as the band of a downsampled series, NaN and Infinity decoded', () => {
    const frame = frameFromSeries({
      run_id: 'r', name: 'loss', by: 'step', exact: false,
      buckets: [
        { x: 0, min: 1, max: 3, mean: 2, last: 1.5, count: 3 },
        { x: 3, min: 0.5, max: 'Infinity', mean: 'NaN', last: 'NaN', count: 3 },
      ],
    });
    expect(frame.x).toEqual({ kind: 'step', values: [0, 3] });
    expect(frame.fields).toHaveLength(1);
    const field = frame.fields[0]!;
    expect(field.name).toBe('loss');
    expect(field.values[0]).toBe(2);
    expect(field.values[1]).toBeNaN();
    expect(field.band).toEqual({ min: [1, 0.5], max: [3, Infinity] });
  });
  it('gives an exact series no band (each bucket is one point)', () => {
    const frame = frameFromSeries({ run_id: 'r', name: 'acc', by: 'time', exact: true, buckets: [{ x: 1000, min: 0.5, max: 0.5, mean: 0.5, last: 0.5, count: 1 }] }, 'run-a');
    expect(frame.name).toBe('run-a');
    expect(frame.x.kind).toBe('time');
    expect(frame.fields[0]!.band).toBeUndefined();
  });
  it('places a live point on the chosen axis, or nowhere when it lacks that coordinate', () => {
    const p = { name: 'loss', value: 1, step: 7, epoch: null, ts: 123 };
    expect(liveX(p, 'step')).toBe(7);
    expect(liveX(p, 'time')).toBe(123);
    expect(liveX(p, 'epoch')).toBeNull();
  });
  it('puts the SDK sampler and GPU/CPU/RAM gauges into the system section', () => {
    expect(['system/cpu_percent', 'system/gpu0/utilization', 'gpu_memory_used', 'cpu_util'].every(isSystemMetric)).toBe(true);
    expect(['loss', 'accuracy', 'gpuish', 'eval/loss'].some(isSystemMetric)).toBe(false);
  });
});

describe('run page: chart settings in the URL', () => {
  it('reads defaults, clamps smoothing and round-trips', () => {
    expect(readChartSettings(new URLSearchParams(''))).toEqual({ x: 'step', smoothing: 0, log: false });
    expect(readChartSettings(new URLSearchParams('x=bogus&smoothing=7&scale=log'))).toEqual({ x: 'step', smoothing: 0.99, log: true });
    expect(readChartSettings(new URLSearchParams('smoothing=abc')).smoothing).toBe(0);
    const s = { x: 'epoch', smoothing: 0.6, log: true } as const;
    const q = chartSettingsQuery(s);
    expect(q).toEqual({ x: 'epoch', smoothing: '0.6', scale: 'log' });
    expect(readChartSettings(new URLSearchParams(Object.entries(q) as [string, string][]))).toEqual(s);
    expect(chartSettingsQuery({ x: 'step', smoothing: 0, log: false })).toEqual({ x: null, smoothing: null, scale: null });
  });
});

describe('run page: tags and provenance', () => {
  it('groups the SDK\'s Hugging Face tags by model, tokenizer and dataset role, and keeps system and other tags apart', () => {
    const groups = groupTags({
      'hf.model.name': 'bert-base-uncased', 'hf.model.config_sha256': 'ab'.repeat(32), 'hf.tokenizer.vocab_size': '30522',
      'hf.dataset.train.name': 'glue', 'hf.dataset.train.fingerprint': 'f00d', 'hf.dataset.name': 'imdb',
      'python.version': '3.11', host: 'gpu-7', exp: 'ab', lr: 0.1,
    });
    expect(groups.provenance.map((g) => g.title)).toEqual(['Dataset (Hugging Face)', 'Dataset: train (Hugging Face)', 'Model (Hugging Face)', 'Tokenizer (Hugging Face)']);
    expect(groups.provenance.find((g) => g.title.startsWith('Model'))!.entries).toEqual([['config_sha256', 'ab'.repeat(32)], ['name', 'bert-base-uncased']]);
    expect(groups.provenance.find((g) => g.title.includes('train'))!.entries).toEqual([['fingerprint', 'f00d'], ['name', 'glue']]);
    expect(groups.system).toEqual([['host', 'gpu-7'], ['python.version', '3.11']]);
    expect(groups.other).toEqual([['exp', 'ab'], ['lr', '0.1']]);
    expect(isHash('config_sha256', 'x')).toBe(true);
    expect(isHash('name', 'bert')).toBe(false);
  });
  it('writes durations short', () => {
    expect(formatDuration(5_000)).toBe('5s');
    expect(formatDuration(3_725_000)).toBe('1h 2m 5s');
    expect(formatDuration(90_061_000)).toBe('1d 1h 1m');
    expect(formatDuration(-1)).toBe('—');
  });
});
