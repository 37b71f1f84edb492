import { describe, expect, it } from 'vitest';
import { UrlError } from '../errors.js';
import { maskSecrets, maskUrl, urlScheme } from './database-url.js';

describe('maskUrl', () => {
  it.each<[string, string]>([
    ['postgres://app:secret@127.0.0.1:5432/db', 'postgres://app:***@127.0.0.1:5432/db'],
    ['postgresql://app:secret@db.example.com/chinook?sslmode=require', 'postgresql://app:***@db.example.com/chinook?sslmode=require'],
    ['MYSQL://Root:Secret@HOST/db', 'MYSQL://Root:***@HOST/db'],
    ['mysql://root:@host', 'mysql://root:***@host'],
    ['mariadb://app:p%40ss%2Fw0rd@host:3306/db', 'mariadb://app:***@host:3306/db'],
    ['postgres://app:p:ss@host/db', 'postgres://app:***@host/db'],
    // An unencoded `@` in the password: drivers (WHATWG URL) take the last `@`; none of it shows.
    ['postgres://app:p@ss@host/db', 'postgres://app:***@host/db'],
    ['postgres://app@corp:secret@host/db', 'postgres://app@corp:***@host/db'],
    // No scheme: still masked.
    ['//app:secret@host/db', '//app:***@host/db'],
  ])('%s', (input, expected) => {
    expect(maskUrl(input)).toBe(expected);
  });

  it.each<string>([
    'postgres://app@127.0.0.1:5432/db',
    'postgres://127.0.0.1:5432/db?user=app@corp',
    'sqlite:.data/default.db',
    'sqlite:///var/lib/app.db',
    'sqlite::memory:',
    'mysql://host:3306/db',
    'no url here: a:b@c',
    '',
  ])('leaves %j unchanged (no password)', (input) => {
    expect(maskUrl(input)).toBe(input);
  });

  it('masks every URL in a text', () => {
    expect(
      maskUrl('bind default: postgres://app:one@h1/db; bind db2: mysql://root:two@h2:3306/x (was mysql://root:@h3)\nthen "postgres://u:three@h4/y"'),
    ).toBe('bind default: postgres://app:***@h1/db; bind db2: mysql://root:***@h2:3306/x (was mysql://root:***@h3)\nthen "postgres://u:***@h4/y"');
  });
});

describe('maskSecrets', () => {
  it("masks a bare password quoted in a driver's message", () => {
    expect(maskSecrets('password authentication failed for user "app" (password \'hunter22\')', ['postgres://app:hunter22@h/db'])).toBe(
      'password authentication failed for user "app" (password \'***\')',
    );
  });

  it('masks the decoded form of a percent-encoded password', () => {
    expect(maskSecrets("Access denied for 'root' using password 'p@ss'", [undefined, 'mysql://root:p%40ss@h/db'])).toBe("Access denied for 'root' using password '***'");
  });

  it('masks the passwords of several URLs, and URLs in the text', () => {
    expect(maskSecrets('tried s3cret and t0psecret at postgres://a:other@h/db', ['postgres://a:s3cret@h/db', 'mysql://b:t0psecret@h/db'])).toBe(
      'tried *** and *** at postgres://a:***@h/db',
    );
  });

  it('leaves passwords shorter than 3 characters alone outside URLs (they would mask ordinary words)', () => {
    expect(maskSecrets('a bad password x1 at mysql://root:x1@h', ['mysql://root:x1@h'])).toBe('a bad password x1 at mysql://root:***@h');
  });

  it('ignores URLs without a password', () => {
    expect(maskSecrets('could not connect to app@h', ['postgres://app@h/db', 'sqlite:.data/x.db'])).toBe('could not connect to app@h');
  });
});

describe('urlScheme', () => {
  it.each<[string, string]>([
    ['sqlite:.data/default.db', 'sqlite'],
    ['sqlite::memory:', 'sqlite'],
    ['sqlite:///abs/path.db', 'sqlite'],
    ['postgres://app:secret@h/db', 'postgres'],
    ['PostgreSQL://h/db', 'postgresql'],
    ['  mysql://h/db', 'mysql'],
    ['mariadb://h/db', 'mariadb'],
  ])('%s → %s', (url, scheme) => {
    expect(urlScheme(url)).toBe(scheme);
  });

  it.each<[string, string]>([
    ['', "Invalid database URL '': expected a scheme such as sqlite:, postgres:// or mysql://."],
    ['.data/default.db', "Invalid database URL '.data/default.db': expected a scheme such as sqlite:, postgres:// or mysql://."],
    ['//app:secret@host/db', "Invalid database URL '//app:***@host/db': expected a scheme such as sqlite:, postgres:// or mysql://."],
    ['1pg://h/db', "Invalid database URL '1pg://h/db': expected a scheme such as sqlite:, postgres:// or mysql://."],
  ])('rejects %j with a masked message', (url, message) => {
    let error: unknown;
    try {
      urlScheme(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UrlError);
    expect((error as UrlError).message).toBe(message);
    expect((error as UrlError).code).toBe('URL');
  });
});
