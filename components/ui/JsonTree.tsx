'use client';

import { JsonView, type Props as JsonViewProps } from 'react-json-view-lite';
import { prettyJson } from './format';

type StyleProps = NonNullable<JsonViewProps['style']>;

// Class names styled in globals.css (theme aware) instead of the library's stylesheet.
const STYLE: Partial<StyleProps> = {
  container: 'jv',
  basicChildStyle: 'jv-child',
  label: 'jv-label',
  clickableLabel: 'jv-label jv-clickable',
  nullValue: 'jv-null',
  undefinedValue: 'jv-undefined',
  numberValue: 'jv-number',
  stringValue: 'jv-string',
  booleanValue: 'jv-boolean',
  otherValue: 'jv-other',
  punctuation: 'jv-punct',
  expandIcon: 'jv-expand',
  collapseIcon: 'jv-collapse',
  collapsedContent: 'jv-collapsed',
  childFieldsContainer: 'jv-children',
  noQuotesForStringValues: false,
  quotesForFieldNames: true,
  stringifyStringValues: true,
  ariaLables: { collapseJson: 'collapse JSON', expandJson: 'expand JSON' },
};

export function JsonTree({ data, expandDepth = 2 }: { data: unknown; expandDepth?: number }) {
  if (data === null || typeof data !== 'object') {
    return <pre className="jv">{prettyJson(data)}</pre>;
  }
  return <JsonView data={data as object} style={STYLE} shouldExpandNode={(level) => level < expandDepth} />;
}
