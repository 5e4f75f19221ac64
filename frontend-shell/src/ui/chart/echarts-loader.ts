type EchartsModule = typeof import('./echarts-setup.js');

let loading: Promise<EchartsModule> | null = null;

/** One download for the whole session, shared by every chart of every page and plugin. */
export function loadEcharts(): Promise<EchartsModule> {
  loading ??= import('./echarts-setup.js').catch((e: unknown) => {
    loading = null; // let the next chart try again (a flaky network should not disable charts)
    throw e;
  });
  return loading;
}
