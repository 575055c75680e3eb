'use client';

import { useMutation } from '@tanstack/react-query';
import { answerPending, describeFailure, type PendingAnswerBody, type PendingRequest } from '../api';
import { usePendingContext } from './PendingHost';

/** Sends one answer for a pending request, then refreshes the list (the request leaves it). */
export function useAnswer(entry: PendingRequest): {
  send: (body: PendingAnswerBody, onSent?: () => void) => void;
  busy: boolean;
  error: string | undefined;
} {
  const context = usePendingContext();
  const mutation = useMutation({
    mutationFn: ({ body }: { body: PendingAnswerBody; onSent?: () => void }) =>
      answerPending(context?.sessionId ?? '', entry.requestId, body),
    onSuccess: (_result, { onSent }) => {
      onSent?.();
      context?.refresh();
    },
    onError: () => context?.refresh(),
  });
  return {
    send: (body, onSent) => mutation.mutate({ body, onSent }),
    busy: mutation.isPending || mutation.isSuccess,
    error: mutation.isError ? describeFailure(mutation.error) : undefined,
  };
}
