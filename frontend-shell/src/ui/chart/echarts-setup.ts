// Loaded lazily as its own chunk: pages without charts never download ECharts. Only the parts the
// panels use are registered (tree-shaken through `echarts/core`): lines and bars on a grid with an
// axis tooltip. Drag-to-zoom, the legend and NaN marks are the panel's own, so no brush, legend or
// scatter module ships. Mark lines draw the markers (a moment picked on another tab).
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

export { echarts };
