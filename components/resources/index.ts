export { ResourcesView } from './ResourcesView';
export { ContentPreview, type ResourceContents } from './ContentPreview';
