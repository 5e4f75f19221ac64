/// <reference lib="dom" />
import type { PageOf } from './api-client.js';

/** Element factory shared by the kit: `h('div', { class: 'x', onclick }, child, 'text')`. */
export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, unknown>;
export type H = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: (Child | Child[])[]) => HTMLElementTagNameMap[K];

export interface CardOptions {
  title?: string;
  subtitle?: string;
  /** Buttons or controls shown at the right of the card header. */
  actions?: Node[];
  body?: Node | Node[];
  /** Columns of the 12-column content grid this card spans (default 6 = half). */
  span?: 3 | 4 | 6 | 8 | 9 | 12;
}
export interface CardHandle {
  el: HTMLElement;
  body: HTMLElement;
  /** Replaces the body content (a chart, a table, a state). */
  setBody(content: Node | Node[]): void;
}

export interface StatOptions {
  label: string;
  value: number | string | null;
  unit?: string;
  /** Recent values drawn as a sparkline under the number. */
  series?: readonly number[];
  /** How the number is written; default is a compact format (1.2k, 3.4M). */
  format?: (value: number) => string;
}
export interface StatHandle {
  el: HTMLElement;
  update(value: number | string | null, series?: readonly number[]): void;
}

export type SortDirection = 'asc' | 'desc';
export interface TableSort {
  field: string;
  direction: SortDirection;
}
/** The server-side query a data table asks for; it maps 1:1 onto the API's list parameters. */
export interface TableQuery {
  page: number;
  pageSize: number;
  sort: TableSort | null;
  q: string;
  filters: Record<string, string>;
}
export interface TableColumn<T> {
  id: string;
  title: string;
  /** The cell's text (and the value a local table sorts and filters by). */
  value?: (row: T) => string | number | null | undefined;
  /** Rich cell content; falls back to `value`. */
  render?: (row: T) => Node | string;
  sortable?: boolean;
  /** Hidden until the user turns it on in the column chooser. */
  hidden?: boolean;
  width?: string;
  align?: 'left' | 'right' | 'center';
}
export type TableSource<T> =
  | { kind: 'server'; fetch: (query: TableQuery, signal: AbortSignal) => Promise<PageOf<T>> }
  | { kind: 'local'; rows: readonly T[] };

export interface DataTableOptions<T> {
  /** Stable id: keys the column chooser's memory and, with `urlState`, the URL parameters. */
  id: string;
  columns: TableColumn<T>[];
  rowKey: (row: T) => string;
  source: TableSource<T>;
  pageSize?: number;
  /** Keep page, sort, search and selection in the URL (default true) so reload and back restore them. */
  urlState?: boolean;
  /** Prefix of the table's URL parameters (`runs.page`), needed when a page shows two tables. */
  urlPrefix?: string;
  /** Filters known to the table, read from the URL on load (usually the filter bar's field ids). */
  filterKeys?: string[];
  /** The sort before the user picks one. */
  defaultSort?: TableSort;
  /** Shows a search box whose text is sent as `q`. */
  searchable?: boolean;
  selectable?: boolean;
  onRowClick?: (row: T) => void;
  onSelectionChange?: (keys: string[]) => void;
  /** Title and detail of the empty state. */
  empty?: { title: string; detail?: string };
  /** Fixed body height in pixels; rows scroll under a sticky header (virtualised past a few hundred). */
  height?: number;
  /** Extra controls placed in the table toolbar. */
  toolbar?: Node[];
  /**
   * Keep the visible columns in the URL (`cols`, with urlPrefix) when they differ from the defaults,
   * so a chosen set (e.g. metric columns) is part of the link; default false (the browser remembers them).
   */
  urlColumns?: boolean;
  /** Called when the user shows or hides a column (a page fetching per-column data may need to reload). */
  onColumnsChange?: (visible: string[]) => void;
}
export interface DataTableHandle<T> {
  el: HTMLElement;
  reload(): Promise<void>;
  /** Replaces a local table's rows. */
  setRows(rows: readonly T[]): void;
  /** Merges filters into the query (from a filter bar) and goes back to page 1. */
  setFilters(filters: Record<string, string>): void;
  selection(): string[];
  /** Replaces the column set (columns a page learns of later, e.g. metric names); visible ones stay visible. */
  setColumns(columns: TableColumn<T>[]): void;
  /** The ids of the columns shown now. */
  visibleColumns(): string[];
  /** Changes one shown row in place (a live update) without a fetch; false when that row is not on the page. */
  updateRow(key: string, update: (row: T) => T): boolean;
  /** The rows of the page shown now. */
  rows(): readonly T[];
  destroy(): void;
}

export type ChipTone = 'ok' | 'danger' | 'warn' | 'info' | 'muted';
export interface SparklineOptions {
  width?: number;
  height?: number;
  /** The accessible description ("loss, falling from 2.3 to 0.4"); without it the line is decorative. */
  label?: string;
}

export interface SeriesPoint {
  /** Epoch milliseconds. */
  t: number;
  v: number | null;
}
export interface TimeSeries {
  name: string;
  points: readonly SeriesPoint[];
}
export interface TimeSeriesChartOptions {
  series: readonly TimeSeries[];
  type?: 'line' | 'bar';
  height?: number;
  /** Formats values on the axis and in the tooltip. */
  format?: (value: number) => string;
  /** Shows the line/bar switch (default true). */
  typeSwitch?: boolean;
  /**
   * Called after a drag-to-zoom with the chosen interval. By default the global time range is set
   * to it, so every card of the page follows.
   */
  onZoom?: (start: Date, end: Date) => void;
}
export interface ChartHandle {
  el: HTMLElement;
  setSeries(series: readonly TimeSeries[]): void;
  setType(type: 'line' | 'bar'): void;
  dispose(): void;
}

export interface FilterField {
  id: string;
  label: string;
  kind: 'text' | 'select';
  options?: { value: string; label: string }[];
  placeholder?: string;
}
export interface FilterBarOptions {
  fields: FilterField[];
  /** Keep the values in the URL under the field ids (default true). */
  urlState?: boolean;
  onChange: (values: Record<string, string>) => void;
}
export interface FilterBarHandle {
  el: HTMLElement;
  values(): Record<string, string>;
}

export interface StateOptions {
  title: string;
  detail?: string;
  action?: { label: string; onClick: () => void };
}

export type ToastKind = 'info' | 'success' | 'warning' | 'error';

export interface ModalAction {
  label: string;
  kind?: 'primary' | 'danger' | 'default';
  /** Return false (or a promise of false) to keep the dialog open, e.g. when a form is invalid. */
  onClick?: () => unknown;
}
export interface ModalOptions {
  title: string;
  body: Node | Node[];
  actions?: ModalAction[];
  size?: 'small' | 'medium' | 'large';
  onClose?: () => void;
}
export interface DialogHandle {
  el: HTMLElement;
  close(): void;
}

export interface LogLine {
  /** Epoch milliseconds or ISO time. */
  ts: number | string;
  level?: string;
  message: string;
  source?: string;
  fields?: Record<string, unknown>;
  /** A stable id (the store's record id): marks the selected line and keys paging. */
  id?: string;
}
export interface LogViewerOptions {
  lines?: readonly LogLine[];
  /** Oldest lines are dropped past this (default 5000) so a live tail never grows without bound. */
  maxLines?: number;
  height?: number;
  /** A click (or Enter) on a line; the line is shown as selected. */
  onSelect?: (line: LogLine) => void;
  /** Shows the kit's own text filter over the loaded lines (default true); pages with a server search turn it off. */
  textFilter?: boolean;
  /**
   * The least level shown (trace … fatal; null: all). Without `onLevelChange` the viewer filters the
   * loaded lines itself; with it, the page re-queries (a server-side filter) and the viewer only shows the choice.
   */
  level?: string | null;
  onLevelChange?: (level: string | null) => void;
  /** Words marked in every line (e.g. the terms of the page's search). */
  highlight?: readonly string[];
  /** Extra controls at the start of the toolbar (a search box, a status). */
  toolbar?: Node[];
  /**
   * Called when the reader scrolls to the top: resolves with the lines just before the first one
   * (oldest first), or none when there are no more; the view keeps its place.
   */
  loadOlder?: () => Promise<readonly LogLine[]>;
}
export interface LogViewerHandle {
  el: HTMLElement;
  append(lines: readonly LogLine[]): void;
  /** Puts older lines before the first one, keeping what the reader is looking at in place. */
  prepend(lines: readonly LogLine[]): void;
  clear(): void;
  /** True while the view does not follow the tail (the reader scrolled up or pressed Pause); new lines wait. */
  paused(): boolean;
  /** Shows the waiting lines and follows the tail again. */
  jumpToLive(): void;
  setHighlight(words: readonly string[]): void;
  /** Marks the line with this id as selected (null: none). */
  select(id: string | null): void;
  lines(): readonly LogLine[];
}

export type SpanStatus = 'ok' | 'error' | 'unset';
export interface WaterfallSpan {
  id: string;
  /** The parent's id; a span whose parent is not in the list is drawn as a root. */
  parentId?: string | null;
  name: string;
  service?: string;
  /** Epoch milliseconds (fractions allowed). */
  start: number;
  end: number;
  status: SpanStatus;
}
export interface TraceWaterfallOptions {
  spans: readonly WaterfallSpan[];
  selected?: string | null;
  /** A click, Enter or Space on a span. */
  onSelect?: (span: WaterfallSpan) => void;
  /** Spans for which this is false are drawn faint (a slow/error filter keeps the tree readable). */
  emphasis?: (span: WaterfallSpan) => boolean;
}
export interface TraceWaterfallHandle {
  el: HTMLElement;
  select(id: string | null): void;
  setEmphasis(emphasis: ((span: WaterfallSpan) => boolean) | undefined): void;
}

export interface TimelineEvent {
  id: string;
  /** Epoch milliseconds. */
  ts: number;
  /** The lane it is drawn in (checkpoint_saved, eval, restart, FailedScheduling …). */
  type: string;
  severity?: 'info' | 'warning' | 'error' | 'critical';
  label?: string;
}
export interface EventTimelineOptions {
  events: readonly TimelineEvent[];
  /** The axis range; by default the events' own span. */
  from?: number;
  to?: number;
  onSelect?: (event: TimelineEvent) => void;
}
export interface EventTimelineHandle {
  el: HTMLElement;
  setEvents(events: readonly TimelineEvent[]): void;
  select(id: string | null): void;
}

/** A JSON Schema object, as plugins declare their per-tenant settings. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: JsonSchema;
  writeOnly?: boolean;
  [keyword: string]: unknown;
}
export interface SchemaFormHandle {
  el: HTMLElement;
  value(): Record<string, unknown>;
  /** Shows field errors (from validation or a problem+json `errors`) and returns whether all is valid. */
  validate(): boolean;
  showErrors(errors: { path: string; message: string }[]): void;
}

/**
 * Panels: one model for every chart (DESIGN §6). A frame holds one x field and value fields; a panel
 * is a type plus options. Pages build frames from their queries and never wire ECharts themselves.
 */
export type PanelXKind = 'time' | 'step' | 'epoch';
/** A value that may be missing (null: a gap) or non-finite (NaN/±Infinity: marked on the plot, never drawn as 0). */
export type PanelValue = number | null;

export interface PanelValueField {
  /** Unique within its frame; overrides match it. */
  name: string;
  /** What the legend and tooltip say (default: the frame name and field name). */
  displayName?: string;
  labels?: Record<string, string>;
  unit?: string;
  values: readonly PanelValue[];
  /**
   * The spread behind each value when the series was downsampled (the bucket's min and max): drawn
   * as a band so that a spike inside a bucket is never hidden by the bucket's mean.
   */
  band?: { min: readonly PanelValue[]; max: readonly PanelValue[] };
}
export interface PanelFrame {
  /** Names where the frame came from (a run, a query); shown in legends when a panel draws several frames. */
  name?: string;
  /** The x field: epoch milliseconds for `time`, the step or epoch number otherwise; ascending. */
  x: { kind: PanelXKind; values: readonly number[] };
  fields: PanelValueField[];
}

export interface PanelThreshold {
  value: number;
  /** A CSS colour or a theme variable name such as `--danger`. */
  color: string;
}
/** How values are shown; set for a whole panel (`fieldConfig`) or per field (`overrides`). */
export interface PanelFieldConfig {
  unit?: string;
  decimals?: number;
  displayName?: string;
  /** A CSS colour or theme variable (`--chart-3`); default: the palette in order. */
  color?: string;
  thresholds?: PanelThreshold[];
  hidden?: boolean;
}
export interface PanelOverride {
  /** A field name (or `frame name/field name` to pick one frame's field). */
  match: string;
  config: PanelFieldConfig;
}
/** The x interval of a drag-to-zoom, on the panel's x kind; null when the zoom is reset. */
export interface PanelXRange {
  kind: PanelXKind;
  from: number;
  to: number;
}
export interface TimeseriesPanelOptions {
  scale?: 'linear' | 'log';
  /** EMA weight 0–0.99 (0 = raw); the raw curve stays faint behind the smoothed one. */
  smoothing?: number;
  draw?: 'line' | 'bars';
  /** Shows a line/bar switch in the toolbar. */
  drawSwitch?: boolean;
  /** The HTML legend above the plot (default: shown when there are two series or more). */
  legend?: boolean;
  /** Draw the min/max band of fields that have one (default true). */
  band?: boolean;
  /** Panels of one group share the crosshair, the tooltip position and the drag-to-zoom (reset with it too). */
  group?: string;
  /**
   * Drag across the plot: the panel shows the interval at once and calls back so the page can
   * re-query the server for finer points (then `setFrames`); null when the user resets the zoom.
   */
  onZoom?: (range: PanelXRange | null) => void;
  /** Vertical lines at x values of the panel's x kind (a moment picked elsewhere, e.g. a log line). */
  markers?: PanelMarker[];
}
export interface PanelMarker {
  x: number;
  label?: string;
}
export interface StatPanelOptions {
  /** Which value of the first field is shown (default `last`). */
  reduce?: 'last' | 'min' | 'max' | 'mean';
  sparkline?: boolean;
}
interface PanelBase {
  title?: string;
  description?: string;
  frames: readonly PanelFrame[];
  fieldConfig?: PanelFieldConfig;
  overrides?: PanelOverride[];
  /** Plot height in pixels. */
  height?: number;
  /** Shown when no field has a value. */
  empty?: { title: string; detail?: string };
  /** The frames are still being fetched: the panel shows a loading state until `setFrames`. */
  loading?: boolean;
}
export interface TimeseriesPanelSpec extends PanelBase {
  type: 'timeseries';
  options?: TimeseriesPanelOptions;
}
export interface StatPanelSpec extends PanelBase {
  type: 'stat';
  options?: StatPanelOptions;
}
/** Panel types drawn today; gauge, bar gauge, table, heatmap, pie and text join this union as they are built. */
export type PanelSpec = TimeseriesPanelSpec | StatPanelSpec;
export type PanelType = PanelSpec['type'];

/** New points for a live panel: per frame (by name; default the first), an x and values by field name. */
export interface PanelAppend {
  frame?: string;
  x: number;
  values: Record<string, PanelValue>;
}
export interface PanelHandle {
  el: HTMLElement;
  readonly spec: PanelSpec;
  setFrames(frames: readonly PanelFrame[]): void;
  /** Merges options (smoothing, scale, ...) and redraws. */
  setOptions(options: Partial<TimeseriesPanelOptions & StatPanelOptions>): void;
  /** Appends points (live runs); one redraw per animation frame however many arrive. */
  append(points: readonly PanelAppend[]): void;
  dispose(): void;
}
/** Where a panel sits in a 24-column panel grid (`w` columns wide, `h` rows of 30 px tall). */
export interface PanelGridPos {
  w: number;
  h?: number;
}
export interface PanelGridOptions {
  /** Crosshair and zoom group of the grid's timeseries panels (default: one group per grid). */
  group?: string;
}
export interface PanelGridHandle {
  el: HTMLElement;
  add(spec: PanelSpec, gridPos?: PanelGridPos): PanelHandle;
  panels(): PanelHandle[];
  /** Disposes and removes every panel. */
  clear(): void;
}

export interface TabItem {
  id: string;
  title: string;
}
export interface TabsOptions {
  tabs: TabItem[];
  selected: string;
  /** Called on click or Enter/Space, and as arrow keys move focus. */
  onSelect(id: string): void;
  label?: string;
}
export interface TabsHandle {
  el: HTMLElement;
  select(id: string): void;
}

/** The building blocks every page uses, so all pages look and behave alike. */
export interface UiKit {
  h: H;
  /** A 12-column grid for cards. */
  grid(...cards: (Node | CardHandle)[]): HTMLElement;
  card(options: CardOptions): CardHandle;
  stat(options: StatOptions): StatHandle;
  /** A small coloured label for a state (a run's status, a health): text always shown, colour only adds. */
  statusChip(text: string, tone: ChipTone): HTMLElement;
  /** A tiny SVG line of values (null: a gap), for table cells and cards. */
  sparkline(values: readonly (number | null)[], options?: SparklineOptions): SVGSVGElement;
  table<T>(options: DataTableOptions<T>): DataTableHandle<T>;
  /** A table query as the platform's list endpoints read it: page, page_size, sort (`-field`), q, filters. */
  listQuery(query: TableQuery): Record<string, string>;
  timeSeriesChart(options: TimeSeriesChartOptions): ChartHandle;
  filterBar(options: FilterBarOptions): FilterBarHandle;
  /** The global time-range picker (presets, custom, auto refresh), bound to ctx.timeRange. */
  timeRangePicker(): HTMLElement;
  empty(options: StateOptions): HTMLElement;
  loading(label?: string): HTMLElement;
  error(options: StateOptions): HTMLElement;
  toast(message: string, kind?: ToastKind): void;
  modal(options: ModalOptions): DialogHandle;
  confirm(title: string, detail: string, confirmLabel?: string): Promise<boolean>;
  sidePanel(options: ModalOptions): DialogHandle;
  codeViewer(code: unknown, language?: 'json' | 'text'): HTMLElement;
  logViewer(options?: LogViewerOptions): LogViewerHandle;
  /** Spans of one trace as a waterfall: nesting, durations on a time axis, colour by status, keyboard navigation. */
  traceWaterfall(options: TraceWaterfallOptions): TraceWaterfallHandle;
  /** Events on a time axis, one lane per type, coloured by severity. */
  eventTimeline(options: EventTimelineOptions): EventTimelineHandle;
  schemaForm(schema: JsonSchema, value?: Record<string, unknown>): SchemaFormHandle;
  /** A panel of the panel model (timeseries, stat); disposed with the page. */
  panel(spec: PanelSpec): PanelHandle;
  /** A 24-column grid of panels sharing one crosshair. */
  panelGrid(options?: PanelGridOptions): PanelGridHandle;
  /** A keyboard-usable tab list (arrow keys, Home/End). */
  tabs(options: TabsOptions): TabsHandle;
}
