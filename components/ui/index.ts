export { Badge, CheckBadge, type CheckResult, type Tone } from './Badge';
export { CheckNote, CheckRow } from './CheckRow';
export { BigJsonView, BIG_JSON_CHARS } from './BigJsonView';
export { Button, type ButtonProps } from './Button';
export { Callout } from './Callout';
export { cn } from './cn';
export { CopyButton } from './CopyButton';
export { DetailHeader } from './DetailHeader';
export { EmptyState } from './EmptyState';
export { IconButton, type IconButtonProps } from './IconButton';
export { FilterBar, FilterChoices, FilteredLogBody, type FilterChoice } from './FilterBar';
export * from './format';
export * from './icons';
export { JsonCode } from './JsonCode';
export { JsonTree } from './JsonTree';
export { Kbd, modKeyLabel } from './Kbd';
export { ListChangeNotice, type ListChangeSummary } from './ListChangeNotice';
export {
  ListFailure,
  ListFooter,
  ListLoading,
  ListNote,
  ListOption,
  ListSearchRow,
  LoadMoreButton,
  PagedListBody,
  RefreshButton,
  SearchBox,
} from './ListPane';
export { MenuButton, type MenuButtonProps } from './MenuButton';
export { useDownloadUrl, useObjectUrl } from './object-url';
export { PageHeader } from './PageHeader';
export { NewConnectionLink, SessionHeader } from './SessionHeader';
export { assignServerUrl, openServerUrlInNewTab, ServerLink, serverUrlVerdict, type UrlVerdict } from './server-url';
export { RadioChoice } from './RadioChoice';
export { Spinner } from './Spinner';
export { SplitPane } from './SplitPane';
export { useDerivedState } from './derived-state';
export { useStickyState } from './sticky-state';
export { SubTabs, type SubTab } from './SubTabs';
export { TextButton } from './TextButton';
export { useNow } from './use-now';
export { VirtualTable } from './VirtualTable';
export { useDismiss } from './dismiss';
