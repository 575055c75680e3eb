'use client';

import type { ReactNode } from 'react';
import { validateStructuredContent, type SchemaValidation } from '@/lib/schema-form';

/**
 * Checks `structuredContent` against the tool's `outputSchema` and hands the verdict to `children`. Its own
 * module so that the validator (rjsf's, with @cfworker/json-schema; ~100 KB gzip) loads with the first result to
 * check, not with the page.
 */
export default function StructuredCheck({
  outputSchema,
  value,
  children,
}: {
  outputSchema: unknown;
  value: unknown;
  children: (validation: SchemaValidation) => ReactNode;
}) {
  return children(validateStructuredContent(outputSchema, value));
}
