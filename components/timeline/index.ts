export { TimelineView } from './TimelineView';
export { buildWaterfall, ticks, type Waterfall, type WaterfallRow } from './build';
