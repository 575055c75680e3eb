// A shared document as stored: gzip, base64 (the store keeps text), in a small versioned envelope.
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { SharedSessionDocument } from './document';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

interface Envelope {
  v: 1;
  gzip: string;
}

export interface EncodedShare {
  payload: string;
  /** Bytes of the compressed document (before base64). */
  storedBytes: number;
}

/** Compresses the document's JSON text (already serialised once to measure it). */
export async function encodeShare(json: string): Promise<EncodedShare> {
  const compressed = await gzipAsync(Buffer.from(json, 'utf8'));
  const envelope: Envelope = { v: 1, gzip: compressed.toString('base64') };
  return { payload: JSON.stringify(envelope), storedBytes: compressed.byteLength };
}

export async function decodeShare(payload: string): Promise<SharedSessionDocument> {
  const envelope = JSON.parse(payload) as Partial<Envelope>;
  if (envelope.v !== 1 || typeof envelope.gzip !== 'string') throw new Error('Unknown share envelope.');
  const json = (await gunzipAsync(Buffer.from(envelope.gzip, 'base64'))).toString('utf8');
  return JSON.parse(json) as SharedSessionDocument;
}
