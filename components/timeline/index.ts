export { TimelineView } from './TimelineView';
export { buildWaterfall, type Waterfall, type WaterfallRow } from './build';
export { buildAxis, axisTicks, fitView, zoomView, brushView, type AxisView, type TimeAxis } from './scale';
