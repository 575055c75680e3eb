export { PendingHost, usePendingContext } from './PendingHost';
export { PendingBadge, PendingDrawer, formatWait } from './PendingDrawer';
