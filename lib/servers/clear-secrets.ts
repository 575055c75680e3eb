// Credentials that sit outside header and env values, where nothing withholds them: a password in a URL's userinfo
// (`postgresql://user:pw@host/db` as an argument), a credential query parameter (`?api_key=`), a `--token value` or
// `--api-key=value` argument. The importer warns about each, so a person moves it into env before saving, or knows
// it is kept as written. Recognised by the same rules that mask them in the session log (lib/trace).
import { isSecretName, maskUrl } from '../trace';
import type { SavedServerTarget } from './types';

/** The fields (`url`, `args.3`) of the target that hold a credential in clear. */
export function credentialsInClear(target: SavedServerTarget): string[] {
  if (target.kind === 'url') return maskUrl(target.url) === target.url ? [] : ['url'];
  const fields: string[] = [];
  target.args.forEach((arg, index) => {
    const option = /^--?([A-Za-z][\w-]*)(=(.*))?$/.exec(arg);
    if (option && isSecretName(option[1]!, 'param')) {
      if (option[2] !== undefined) {
        if (option[3] !== '') fields.push(`args.${index}`);
      } else {
        const next = target.args[index + 1];
        if (next !== undefined && next !== '' && !next.startsWith('-')) fields.push(`args.${index + 1}`);
      }
      return;
    }
    if (maskUrl(arg) !== arg) fields.push(`args.${index}`);
  });
  return fields;
}
