// `book_table`: a multi-round `input_required` flow. Round 1 asks who is coming, round 2 offers the times
// that suit a party of that size, then the booking is confirmed. What round 1 learned travels to round 2 in
// `requestState`, sealed with an HMAC (the SDK's createRequestStateCodec) because the client holds it
// between rounds: a client that edits it is refused with -32602. On a 2025 session the SDK's shim sends the
// same questions as real `elicitation/create` requests, round after round.
import {
  acceptedContent,
  createRequestStateCodec,
  inputRequired,
  inputResponse,
  type CallToolResult,
  type McpServer,
  type RequestStateCodec,
} from '@modelcontextprotocol/server';
import * as z from 'zod';

/** What the first round learned; the only thing requestState carries. */
export interface BookingState {
  round: 2;
  name: string;
  partySize: number;
}

const SLOTS_SMALL = ['18:00', '18:30', '19:00', '20:30', '21:00'];
const SLOTS_LARGE = ['18:00', '21:00'];

/** Tables for more than four are only free at the edges of the evening. */
export function slotsFor(partySize: number): string[] {
  return partySize > 4 ? SLOTS_LARGE : SLOTS_SMALL;
}

/** A codec with a fresh random key: every round of a flow reaches the same process (the demo is in-process). */
export function createBookingStateCodec(): RequestStateCodec<BookingState> {
  return createRequestStateCodec<BookingState>({ key: crypto.getRandomValues(new Uint8Array(32)), ttlSeconds: 15 * 60 });
}

const WHO_SCHEMA = {
  type: 'object' as const,
  properties: {
    name: { type: 'string' as const, title: 'Name for the booking', minLength: 1, maxLength: 80 },
    partySize: { type: 'integer' as const, title: 'How many people?', minimum: 1, maximum: 12, default: 2 },
  },
  required: ['name', 'partySize'],
};

function timeSchema(partySize: number) {
  return {
    type: 'object' as const,
    properties: {
      time: { type: 'string' as const, title: 'Time', enum: slotsFor(partySize) },
      notes: { type: 'string' as const, title: 'Anything we should know?', maxLength: 200 },
    },
    required: ['time'],
  };
}

function declined(action: string): CallToolResult {
  return { content: [{ type: 'text', text: `The person chose ${action}: no table was booked.` }] };
}

export function registerBookingTool(server: McpServer, codec: RequestStateCodec<BookingState>): void {
  server.registerTool(
    'book_table',
    {
      title: 'Book a table',
      description:
        'A two-question booking (multi-round input_required): first who is coming, then a time that suits the party size. The answers of round one travel in a signed requestState.',
      inputSchema: z.object({ restaurant: z.string().min(1).max(80).default('Café Scope').describe('Where to book') }),
      annotations: { title: 'Book a table', readOnlyHint: true, openWorldHint: false },
    },
    async ({ restaurant }, ctx): Promise<CallToolResult> => {
      const state = ctx.mcpReq.requestState<BookingState>();
      if (state === undefined) {
        const who = inputResponse(ctx.mcpReq.inputResponses, 'who');
        if (who.kind !== 'elicit') {
          return inputRequired({
            inputRequests: {
              who: inputRequired.elicit({ message: `Booking at ${restaurant}: who is coming?`, requestedSchema: WHO_SCHEMA }),
            },
          }) as unknown as CallToolResult;
        }
        if (who.action !== 'accept') return declined(who.action);
        const content = acceptedContent(ctx.mcpReq.inputResponses, 'who') ?? {};
        const name = typeof content.name === 'string' ? content.name.trim().slice(0, 80) : '';
        const partySize = typeof content.partySize === 'number' && Number.isInteger(content.partySize) ? content.partySize : NaN;
        if (!name || !(partySize >= 1 && partySize <= 12)) {
          return { content: [{ type: 'text', text: 'A booking needs a name and a party of 1 to 12 people.' }], isError: true };
        }
        return inputRequired({
          inputRequests: {
            when: inputRequired.elicit({ message: `${name}, party of ${partySize}: which time?`, requestedSchema: timeSchema(partySize) }),
          },
          requestState: await codec.mint({ round: 2, name, partySize }),
        }) as unknown as CallToolResult;
      }
      const when = inputResponse(ctx.mcpReq.inputResponses, 'when');
      if (when.kind !== 'elicit') {
        // The client came back with the state but without the answer: ask again, same state.
        return inputRequired({
          inputRequests: {
            when: inputRequired.elicit({
              message: `${state.name}, party of ${state.partySize}: which time?`,
              requestedSchema: timeSchema(state.partySize),
            }),
          },
          requestState: await codec.mint(state),
        }) as unknown as CallToolResult;
      }
      if (when.action !== 'accept') return declined(when.action);
      const content = acceptedContent(ctx.mcpReq.inputResponses, 'when') ?? {};
      const time = typeof content.time === 'string' && slotsFor(state.partySize).includes(content.time) ? content.time : undefined;
      if (!time)
        return {
          content: [{ type: 'text', text: `No table at that time for ${state.partySize}; free: ${slotsFor(state.partySize).join(', ')}.` }],
          isError: true,
        };
      const notes = typeof content.notes === 'string' && content.notes.trim() ? ` Notes: “${content.notes.trim().slice(0, 200)}”.` : '';
      return {
        content: [
          { type: 'text', text: `Booked: ${restaurant}, ${time}, a table for ${state.partySize} in the name of ${state.name}.${notes}` },
        ],
      };
    },
  );
}
