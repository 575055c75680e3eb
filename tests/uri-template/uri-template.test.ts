// RFC 6570 expansion against the RFC's own examples (§ 3.2), plus variable extraction for the form.
import { describe, expect, it } from 'vitest';
import { expandUriTemplate, isUriTemplate, templateVariables, UriTemplateError } from '@/lib/uri-template';

const values = {
  count: ['one', 'two', 'three'],
  dom: ['example', 'com'],
  dub: 'me/too',
  hello: 'Hello World!',
  half: '50%',
  var: 'value',
  who: 'fred',
  base: 'http://example.com/home/',
  path: '/foo/bar',
  list: ['red', 'green', 'blue'],
  keys: { semi: ';', dot: '.', comma: ',' },
  v: '6',
  x: '1024',
  y: '768',
  empty: '',
  empty_keys: {},
  undef: undefined,
};

const cases: Array<[string, string]> = [
  // Level 1 and 2
  ['{var}', 'value'],
  ['{hello}', 'Hello%20World%21'],
  ['{half}', '50%25'],
  ['{+var}', 'value'],
  ['{+hello}', 'Hello%20World!'],
  ['{+path}/here', '/foo/bar/here'],
  ['here?ref={+path}', 'here?ref=/foo/bar'],
  ['X{#var}', 'X#value'],
  ['X{#hello}', 'X#Hello%20World!'],
  // Level 3
  ['map?{x,y}', 'map?1024,768'],
  ['{x,hello,y}', '1024,Hello%20World%21,768'],
  ['{+x,hello,y}', '1024,Hello%20World!,768'],
  ['{+path,x}/here', '/foo/bar,1024/here'],
  ['{#x,hello,y}', '#1024,Hello%20World!,768'],
  ['X{.var}', 'X.value'],
  ['X{.x,y}', 'X.1024.768'],
  ['{/var}', '/value'],
  ['{/var,x}/here', '/value/1024/here'],
  ['{;x,y}', ';x=1024;y=768'],
  ['{;x,y,empty}', ';x=1024;y=768;empty'],
  ['{?x,y}', '?x=1024&y=768'],
  ['{?x,y,empty}', '?x=1024&y=768&empty='],
  ['?fixed=yes{&x}', '?fixed=yes&x=1024'],
  ['{&x,y,empty}', '&x=1024&y=768&empty='],
  // Level 4
  ['{var:3}', 'val'],
  ['{var:30}', 'value'],
  ['{list}', 'red,green,blue'],
  ['{list*}', 'red,green,blue'],
  ['{keys}', 'semi,%3B,dot,.,comma,%2C'],
  ['{keys*}', 'semi=%3B,dot=.,comma=%2C'],
  ['{+path:6}/here', '/foo/b/here'],
  ['{+list*}', 'red,green,blue'],
  ['{#keys*}', '#semi=;,dot=.,comma=,'],
  ['X{.list*}', 'X.red.green.blue'],
  ['{/list*,path:4}', '/red/green/blue/%2Ffoo'],
  ['{;list*}', ';list=red;list=green;list=blue'],
  ['{;keys*}', ';semi=%3B;dot=.;comma=%2C'],
  ['{?list}', '?list=red,green,blue'],
  ['{?list*}', '?list=red&list=green&list=blue'],
  ['{?keys*}', '?semi=%3B&dot=.&comma=%2C'],
  ['{&list*}', '&list=red&list=green&list=blue'],
  // Undefined and empty values are skipped
  ['{undef}', ''],
  ['{?undef,empty_keys}', ''],
  ['x{/undef}y', 'xy'],
];

describe('expandUriTemplate', () => {
  it.each(cases)('%s → %s', (template, expected) => {
    expect(expandUriTemplate(template, values)).toBe(expected);
  });

  it('expands MCP-style templates and encodes what the person typed', () => {
    expect(expandUriTemplate('demo://greetings/{name}', { name: 'Ada Lovelace' })).toBe('demo://greetings/Ada%20Lovelace');
    expect(expandUriTemplate('file:///{+path}', { path: 'src/app/page.tsx' })).toBe('file:///src/app/page.tsx');
    expect(expandUriTemplate('db://{table}{?limit,offset}', { table: 'users', limit: '10' })).toBe('db://users?limit=10');
    expect(expandUriTemplate('{emoji}', { emoji: 'é😀' })).toBe('%C3%A9%F0%9F%98%80');
  });

  it('refuses malformed templates with a reason', () => {
    expect(() => expandUriTemplate('demo://{unclosed', {})).toThrow(UriTemplateError);
    expect(() => expandUriTemplate('demo://{}', {})).toThrow(/names no variable/);
    expect(() => expandUriTemplate('demo://{a b}', {})).toThrow(/not a valid variable name/);
  });
});

describe('templateVariables', () => {
  it('lists each variable once, in order, with its operator and modifiers', () => {
    expect(templateVariables('db://{table}/{id}{?fields*,limit:3}{&table}')).toEqual([
      { name: 'table', operator: '', explode: false },
      { name: 'id', operator: '', explode: false },
      { name: 'fields', operator: '?', explode: true },
      { name: 'limit', operator: '?', explode: false, maxLength: 3 },
    ]);
    expect(templateVariables('demo://static')).toEqual([]);
  });

  it('tells templates from plain URIs', () => {
    expect(isUriTemplate('demo://greetings/{name}')).toBe(true);
    expect(isUriTemplate('demo://docs/readme.md')).toBe(false);
  });
});
