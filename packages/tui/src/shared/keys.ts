import type { Key } from 'ink';

/** Key predicates shared by the screens (arrows and vi keys move; `q` and Esc go back). */
export const keys = Object.freeze({
  up: (input: string, key: Key) => key.upArrow || input === 'k',
  down: (input: string, key: Key) => key.downArrow || input === 'j',
  pageUp: (input: string, key: Key) => key.pageUp || (key.ctrl && input === 'b'),
  pageDown: (input: string, key: Key) => key.pageDown || (key.ctrl && input === 'f'),
  first: (input: string, key: Key) => key.home || input === 'g',
  last: (input: string, key: Key) => key.end || input === 'G',
  back: (input: string, key: Key) => key.escape || input === 'q',
});

/** One line of the `?` help: the keys and what they do. */
export type KeyHelp = readonly [keys: string, what: string];

/** The keys of each screen, for the `?` help and the footer. */
export const SCREEN_KEYS = Object.freeze({
  binds: [
    ['↑ ↓  j k', 'move'],
    ['space', 'select or unselect the bind'],
    ['a', 'select all binds shown (again: none)'],
    ['b', 'select every bind of this bind\'s branch (again: none)'],
    ['/', 'filter by name or branch as you type (enter keeps it, esc clears it)'],
    ['enter', 'review the pending revisions of the selected binds (or of this one)'],
    ['d', 'downgrade this bind (asks what to, then confirms)'],
    ['r', 'read the config file and every bind again (keeps the selection)'],
    ['q  esc', 'quit'],
  ],
  review: [
    ['↑ ↓  j k', 'move'],
    ['enter', 'show the revision: message, file, SQL, source (Upgrade: asks y/n)'],
    ['u', 'upgrade the selected binds (at once)'],
    ['h', 'show each bind\'s history / the pending revisions'],
    ['q  esc', 'back to the binds'],
  ],
  revision: [
    ['↑ ↓  j k', 'scroll'],
    ['space  pgdn  pgup', 'page down, up'],
    ['g  G', 'top, bottom'],
    ['a', 'show every statement whole (again: cut long data statements and reads (INSERT, UPDATE, DELETE, SELECT and the like) to 8 lines; schema statements are always whole)'],
    ['q  esc', 'back'],
  ],
  downgrade: [
    ['↑ ↓  j k', 'move'],
    ['enter', 'choose: the next screen names what will run'],
    ['q  esc', 'back to the binds'],
  ],
  confirm: [
    ['y', 'run the downgrade'],
    ['↑ ↓  enter', 'show a revision\'s downgrade SQL'],
    ['n  q  esc', 'cancel'],
  ],
  run: [
    ['↑ ↓  j k  pgup pgdn', 'scroll the running and failed binds (many binds)'],
    ['enter  q  esc', 'back to the binds once the run has finished'],
    ['ctrl+c', 'stop the run after the revisions in progress'],
    ['ctrl+c again', 'abandon the run (open transactions roll back) and quit'],
  ],
  message: [['q  esc  enter', 'back']],
} satisfies Record<string, readonly KeyHelp[]>);

/** A screen that has keys in {@link SCREEN_KEYS}. */
export type ScreenName = keyof typeof SCREEN_KEYS;
