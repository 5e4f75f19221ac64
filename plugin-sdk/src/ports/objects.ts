import { definePort } from './port-ref.js';
import type { Readable } from 'node:stream';

export interface ObjectInfo {
  key: string;
  size: number;
  sha256: string;
  contentType: string;
  createdAt: number;
}

export interface ObjectsPort {
  /** Streams the body in; the sha256 and size are computed while writing. Overwrites. */
  put(key: string, body: Readable | Buffer, options?: { contentType?: string }): Promise<ObjectInfo>;
  get(key: string): Promise<{ info: ObjectInfo; body: Readable } | null>;
  head(key: string): Promise<ObjectInfo | null>;
  list(prefix: string): Promise<ObjectInfo[]>;
  delete(key: string): Promise<boolean>;
  /** A time-limited URL a client may GET/PUT directly, or null when the store has no such thing. */
  presign(key: string, operation: 'get' | 'put', ttlSeconds: number): Promise<string | null>;
}

export const objectsPort = definePort<ObjectsPort>('objects');
