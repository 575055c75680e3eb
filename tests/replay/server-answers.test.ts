// During a replay the server's own requests (elicitation, sampling, roots) are answered as the recording's client
// answered the most alike one; without one, by the fallback (--on-elicitation), else refused.
import { describe, expect, it } from 'vitest';
import { recordedAnswers } from '@/lib/cli/replay';
import { ServerRequestRejection, type ServerRequest } from '@/lib/mcp';
import { answerFromRecording, noRecordedAnswer, recordingFromLog } from '@/lib/replay';
import { logOf, snapshot } from './helpers';

const ask = (method: ServerRequest['method'], params: Record<string, unknown>): ServerRequest => ({
  method,
  params,
  rpcId: 1,
  via: 'request',
  signal: new AbortController().signal,
});

describe('recordedAnswers', () => {
  const recording = recordingFromLog(
    snapshot(
      logOf(
        [],
        [
          {
            method: 'elicitation/create',
            params: { message: 'Your name?', requestedSchema: { type: 'object' } },
            result: { action: 'accept', content: { name: 'Ada' } },
          },
          { method: 'elicitation/create', params: { message: 'Delete everything?' }, result: { action: 'decline' } },
          { method: 'roots/list', result: { roots: [{ uri: 'file:///work', name: 'work' }] } },
        ],
      ),
    ),
  );
  const lines: string[] = [];

  it('answers with the closest recorded answer of the same method', async () => {
    const answers = recordedAnswers(recording, undefined, (line) => lines.push(line));
    expect(await answers.answer(ask('elicitation/create', { message: 'Your name?', requestedSchema: { type: 'object' } }))).toEqual({
      action: 'accept',
      content: { name: 'Ada' },
    });
    expect(await answers.answer(ask('elicitation/create', { message: 'Delete everything?' }))).toEqual({ action: 'decline' });
    expect(await answers.answer(ask('roots/list', {}))).toEqual({ roots: [{ uri: 'file:///work', name: 'work' }] });
  });

  it('without one, the fallback answers; without a fallback, it is refused and said', async () => {
    const fallback = { capabilities: {}, answer: async () => ({ action: 'cancel' }) };
    expect(await recordedAnswers(recording, fallback, () => undefined).answer(ask('sampling/createMessage', {}))).toEqual({
      action: 'cancel',
    });
    const refused = await recordedAnswers(recording, undefined, (line) => lines.push(line))
      .answer(ask('sampling/createMessage', {}))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServerRequestRejection);
    expect(lines.at(-1)).toContain('sampling/createMessage: the recording holds no answer');
  });

  it('answerFromRecording gives the app the same answers, in the shape a client sends back', () => {
    expect(answerFromRecording(recording.serverRequests, 'elicitation/create', { message: 'Delete everything?' })).toEqual({
      result: { action: 'decline' },
    });
    expect(answerFromRecording(recording.serverRequests, 'roots/list', undefined)).toEqual({
      result: { roots: [{ uri: 'file:///work', name: 'work' }] },
    });
    expect(answerFromRecording(recording.serverRequests, 'sampling/createMessage', {})).toBeUndefined();
    expect(noRecordedAnswer('sampling/createMessage')).toEqual({
      code: -1,
      message: 'The recording holds no answer to sampling/createMessage.',
    });
  });
});
