export { NotificationsView } from './NotificationsView';
export { LogLevelControl } from './LogLevelControl';
export { useLatestNotification, useNotificationCount, useNotifications } from './hooks';
export { notificationsOf, notificationsOfKind, summarize, type NotificationItem, type NotificationKind } from './model';
