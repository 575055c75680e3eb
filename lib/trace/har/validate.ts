// Checks a HAR against the HAR 1.2 spec (what other tools expect to read), field by field.
import { isJsonObject } from '../../json';
import { round3 } from './export';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Checks a value against the required structure of HAR 1.2: every required field present with the right
 * type, optional fields typed when present. Returns the problems, each `path: what is wrong`; empty when valid.
 */
export function validateHar(har: unknown): string[] {
  const problems: string[] = [];
  const add = (path: string, what: string) => problems.push(`${path}: ${what}`);
  const str = (o: Record<string, unknown>, k: string, path: string) => {
    if (typeof o[k] !== 'string') add(`${path}.${k}`, `expected a string, got ${describe(o[k])}`);
  };
  const optStr = (o: Record<string, unknown>, k: string, path: string) => {
    if (o[k] !== undefined && typeof o[k] !== 'string') add(`${path}.${k}`, `expected a string when present, got ${describe(o[k])}`);
  };
  const num = (o: Record<string, unknown>, k: string, path: string, min = Number.NEGATIVE_INFINITY) => {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) add(`${path}.${k}`, `expected a number, got ${describe(v)}`);
    else if (v < min) add(`${path}.${k}`, `expected a number >= ${min}, got ${v}`);
  };
  const optNum = (o: Record<string, unknown>, k: string, path: string, min = Number.NEGATIVE_INFINITY) => {
    if (o[k] !== undefined) num(o, k, path, min);
  };
  const date = (o: Record<string, unknown>, k: string, path: string) => {
    const v = o[k];
    if (typeof v !== 'string' || !ISO_DATE.test(v) || Number.isNaN(Date.parse(v))) {
      add(`${path}.${k}`, `expected an ISO 8601 date-time, got ${describe(v)}`);
    }
  };
  const obj = (o: Record<string, unknown>, k: string, path: string): Record<string, unknown> | undefined => {
    const v = o[k];
    if (!isJsonObject(v)) {
      add(`${path}.${k}`, `expected an object, got ${describe(v)}`);
      return undefined;
    }
    return v;
  };
  const nameValues = (o: Record<string, unknown>, k: string, path: string) => {
    const v = o[k];
    if (!Array.isArray(v)) {
      add(`${path}.${k}`, `expected an array, got ${describe(v)}`);
      return;
    }
    v.forEach((item, i) => {
      const p = `${path}.${k}[${i}]`;
      if (!isJsonObject(item)) return add(p, `expected an object, got ${describe(item)}`);
      str(item, 'name', p);
      str(item, 'value', p);
      optStr(item, 'comment', p);
    });
  };

  if (!isJsonObject(har)) return [`(root): expected an object, got ${describe(har)}`];
  const log = obj(har, 'log', '(root)');
  if (!log) return problems;
  const L = 'log';
  if (log.version !== '1.2') add(`${L}.version`, `expected "1.2", got ${describe(log.version)}`);
  const creator = obj(log, 'creator', L);
  if (creator) {
    str(creator, 'name', `${L}.creator`);
    str(creator, 'version', `${L}.creator`);
  }
  if (log.browser !== undefined) {
    const browser = obj(log, 'browser', L);
    if (browser) {
      str(browser, 'name', `${L}.browser`);
      str(browser, 'version', `${L}.browser`);
    }
  }
  const pageIds = new Set<string>();
  if (log.pages !== undefined) {
    if (!Array.isArray(log.pages)) add(`${L}.pages`, `expected an array when present, got ${describe(log.pages)}`);
    else
      log.pages.forEach((page, i) => {
        const p = `${L}.pages[${i}]`;
        if (!isJsonObject(page)) return add(p, `expected an object, got ${describe(page)}`);
        date(page, 'startedDateTime', p);
        str(page, 'id', p);
        str(page, 'title', p);
        if (typeof page.id === 'string') pageIds.add(page.id);
        const timings = obj(page, 'pageTimings', p);
        if (timings) {
          optNum(timings, 'onContentLoad', `${p}.pageTimings`, -1);
          optNum(timings, 'onLoad', `${p}.pageTimings`, -1);
        }
      });
  }
  optStr(log, 'comment', L);
  if (!Array.isArray(log.entries)) {
    add(`${L}.entries`, `expected an array, got ${describe(log.entries)}`);
    return problems;
  }
  log.entries.forEach((entry, i) => {
    const p = `${L}.entries[${i}]`;
    if (!isJsonObject(entry)) return add(p, `expected an object, got ${describe(entry)}`);
    if (entry.pageref !== undefined) {
      if (typeof entry.pageref !== 'string') add(`${p}.pageref`, `expected a string when present, got ${describe(entry.pageref)}`);
      else if (!pageIds.has(entry.pageref)) add(`${p}.pageref`, `names no page in log.pages ("${entry.pageref}")`);
    }
    date(entry, 'startedDateTime', p);
    num(entry, 'time', p, 0);
    const request = obj(entry, 'request', p);
    if (request) {
      const rp = `${p}.request`;
      str(request, 'method', rp);
      str(request, 'url', rp);
      if (typeof request.url === 'string' && !isAbsoluteUrl(request.url))
        add(`${rp}.url`, `expected an absolute URL, got ${describe(request.url)}`);
      str(request, 'httpVersion', rp);
      nameValues(request, 'cookies', rp);
      nameValues(request, 'headers', rp);
      nameValues(request, 'queryString', rp);
      if (request.postData !== undefined) {
        const postData = obj(request, 'postData', rp);
        if (postData) {
          str(postData, 'mimeType', `${rp}.postData`);
          if (postData.text === undefined && postData.params === undefined) add(`${rp}.postData`, 'expected "text" or "params"');
          optStr(postData, 'text', `${rp}.postData`);
          if (postData.params !== undefined) {
            if (!Array.isArray(postData.params)) add(`${rp}.postData.params`, `expected an array, got ${describe(postData.params)}`);
            else
              postData.params.forEach((param, j) => {
                const pp = `${rp}.postData.params[${j}]`;
                if (!isJsonObject(param)) return add(pp, `expected an object, got ${describe(param)}`);
                str(param, 'name', pp);
                optStr(param, 'value', pp);
              });
          }
        }
      }
      num(request, 'headersSize', rp, -1);
      num(request, 'bodySize', rp, -1);
    }
    const response = obj(entry, 'response', p);
    if (response) {
      const rp = `${p}.response`;
      num(response, 'status', rp, 0);
      str(response, 'statusText', rp);
      str(response, 'httpVersion', rp);
      nameValues(response, 'cookies', rp);
      nameValues(response, 'headers', rp);
      const content = obj(response, 'content', rp);
      if (content) {
        num(content, 'size', `${rp}.content`, -1);
        optNum(content, 'compression', `${rp}.content`);
        str(content, 'mimeType', `${rp}.content`);
        optStr(content, 'text', `${rp}.content`);
        optStr(content, 'encoding', `${rp}.content`);
      }
      str(response, 'redirectURL', rp);
      num(response, 'headersSize', rp, -1);
      num(response, 'bodySize', rp, -1);
    }
    obj(entry, 'cache', p);
    const timings = obj(entry, 'timings', p);
    if (timings) {
      const tp = `${p}.timings`;
      for (const k of ['blocked', 'dns', 'connect', 'ssl']) optNum(timings, k, tp, -1);
      for (const k of ['send', 'wait', 'receive']) num(timings, k, tp, 0);
      if (typeof entry.time === 'number') {
        // `time` is the sum of the timings that apply (ssl is already inside connect).
        const sum = ['blocked', 'dns', 'connect', 'send', 'wait', 'receive'].reduce((acc, k) => {
          const v = timings[k];
          return typeof v === 'number' && v > 0 ? acc + v : acc;
        }, 0);
        if (Math.abs(sum - entry.time) > 1) add(`${p}.time`, `expected the sum of the timings (${round3(sum)}), got ${entry.time}`);
      }
    }
    optStr(entry, 'serverIPAddress', p);
    optStr(entry, 'connection', p);
    optStr(entry, 'comment', p);
  });
  return problems;
}

function isAbsoluteUrl(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}
