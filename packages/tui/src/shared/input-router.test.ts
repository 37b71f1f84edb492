import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { forEachKey, KeyRouter } from './input-router.js';

const NO_KEY = { upArrow: false, downArrow: false, return: false, escape: false, ctrl: false, shift: false, meta: false } as Key;

describe('KeyRouter', () => {
  it('hands each key to the active handlers only, one character at a time', () => {
    const router = new KeyRouter();
    const seen: string[] = [];
    const a = Symbol('a');
    const b = Symbol('b');
    router.set(a, (input) => seen.push(`a:${input}`), true);
    router.set(b, (input) => seen.push(`b:${input}`), false);
    router.dispatch('jk', NO_KEY);
    expect(seen).toEqual(['a:j', 'a:k']);
    router.set(b, (input) => seen.push(`b:${input}`), true);
    router.delete(a);
    router.dispatch('q', NO_KEY);
    expect(seen).toEqual(['a:j', 'a:k', 'b:q']);
  });

  it('hands printable characters to a typing handler alone, read at each key; other keys to every active handler', () => {
    const router = new KeyRouter();
    const seen: string[] = [];
    let typing = false;
    router.set(Symbol('app'), (input, key) => seen.push(`app:${key.escape ? 'esc' : input}`), true);
    router.set(Symbol('filter'), (input, key) => {
      seen.push(`filter:${key.escape ? 'esc' : input}`);
      if (input === '/') typing = true;
      if (key.escape) typing = false;
    }, true, () => typing);
    router.dispatch('/?q', NO_KEY);
    router.dispatch('', { ...NO_KEY, escape: true });
    router.dispatch('c', { ...NO_KEY, ctrl: true });
    router.dispatch('?', NO_KEY);
    expect(seen).toEqual(['app:/', 'filter:/', 'filter:?', 'filter:q', 'app:esc', 'filter:esc', 'app:c', 'filter:c', 'app:?', 'filter:?']);
  });
});

describe('forEachKey', () => {
  it('splits printable characters, keeps control input whole, and marks capitals as shifted', () => {
    const seen: [string, boolean][] = [];
    forEachKey('gG', NO_KEY, (input, key) => seen.push([input, key.shift]));
    forEachKey('\r', { ...NO_KEY, return: true }, (input) => seen.push([input, false]));
    forEachKey('c', { ...NO_KEY, ctrl: true }, (input) => seen.push([input, false]));
    expect(seen).toEqual([
      ['g', false],
      ['G', true],
      ['\r', false],
      ['c', false],
    ]);
  });
});

describe('forEachKey on a burst of keys', () => {
  it('splits printable characters mixed with Enter, Space, Tab and Delete (Backspace on most terminals), in order, each with its own key flags', () => {
    const seen: [string, boolean, boolean][] = [];
    const record = (input: string, key: Key) => seen.push([input, key.return, key.tab || key.delete]);
    forEachKey('j\r', NO_KEY, record);
    forEachKey('k \r', NO_KEY, record);
    forEachKey('\t\x7fq', NO_KEY, record);
    expect(seen).toEqual([
      ['j', false, false],
      ['', true, false],
      ['k', false, false],
      [' ', false, false],
      ['', true, false],
      ['', false, true],
      ['', false, true],
      ['q', false, false],
    ]);
  });
});
