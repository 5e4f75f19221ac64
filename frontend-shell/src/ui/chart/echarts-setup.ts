// Loaded lazily as its own chunk: pages without charts never download ECharts. Only the parts the
// kit uses are registered (tree-shaken through `echarts/core`), which keeps the chunk small.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { BrushComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, BrushComponent, CanvasRenderer]);

export { echarts };
