export { AppBadge, AppPanel } from './AppPanel';
export { AppView, type AppViewProps, type DisplayMode, type HostContextSettings } from './AppView';
export { AppsView } from './AppsView';
export { RecordedAppViews } from './RecordedViews';
