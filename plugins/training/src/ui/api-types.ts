/// <reference lib="dom" />
// The training API's answers as the pages read them (the server's zod schemas in
// src/server/api-shapes.ts are the source; these mirror only what the pages use).

export interface MetricSummary {
  name: string;
  last: number | string | null;
  min: number | string | null;
  max: number | string | null;
  last_step: number | null;
  count: number;
}

export type RunStatus = 'running' | 'finished' | 'failed' | 'killed';

export interface Run {
  id: string;
  project_id: string;
  project: string;
  client_run_id: string;
  name: string;
  status: RunStatus;
  framework: string | null;
  params: Record<string, unknown>;
  tags: Record<string, unknown>;
  notes: string | null;
  started_at: string;
  ended_at: string | null;
  created_at: string;
  updated_at: string;
  metrics: MetricSummary[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}
