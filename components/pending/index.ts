export { PendingHost, usePendingContext } from './PendingHost';
export { PendingBadge, PendingDrawer } from './PendingDrawer';
