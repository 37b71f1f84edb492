import { describe, expect, it } from 'vitest';
import { UrlError } from '../errors.js';
import { maskDatabaseUrl, maskSecrets, maskUrl, secretsMasker, urlScheme, urlSecrets } from './database-url.js';

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
    // Query parameters named like a password or secret.
    ['postgres://app@host/db?password=s3cret', 'postgres://app@host/db?password=***'],
    ['postgres://app@host/db?sslmode=require&sslpassword=s3cret&application_name=x', 'postgres://app@host/db?sslmode=require&sslpassword=***&application_name=x'],
    ['mysql://root@host/db?ssl=true&client_secret=s3cret#frag', 'mysql://root@host/db?ssl=true&client_secret=***#frag'],
    ['postgres://h/db?PASSWORD=a&api_key=b&token=c&pwd=d&user=e', 'postgres://h/db?PASSWORD=***&api_key=***&token=***&pwd=***&user=e'],
    ['postgres://app:one@h/db?password=two', 'postgres://app:***@h/db?password=***'],
    // A raw password with `/`, `?` or `#` ends the authority early: no part of the URL is printed.
    ['postgres://app:p@ss:w/rd%40@127.0.0.1:5432/db', '<unparsable postgres URL>'],
    ['mysql://app:pa?ss@h/db', '<unparsable mysql URL>'],
    ['mysql://app:pa#ss@h/db', '<unparsable mysql URL>'],
    // `12/ss@h` parses (host app, port 12), but the `@` in the path shows the password was cut.
    ['postgres://app:12/ss@h/db', '<unparsable postgres URL>'],
    ['MariaDB://app:pw@h:99999/db', '<unparsable mariadb URL>'],
    // A file URL with user info or a port is judged as any other URL (WHATWG refuses both in one).
    ['file://app:s3cret@host/x', '<unparsable file URL>'],
    ['file://app:12/ss@host/x', '<unparsable file URL>'],
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
    'Write postgres://user:<password>@host:5432/database.',
    // File URLs of stack frames: an `@` in the path (a scoped package, pnpm's `name@version`) is a path's.
    'file:///srv/app/node_modules/@multidb/dialect/dist/bundle/mysql/index.js:81:10',
    '    at fail (file:///srv/app/node_modules/@multidb/dialect/dist/bundle/mysql/index.js:81:10)',
    '    at file:///srv/app/node_modules/.pnpm/mysql2@3.11.0/node_modules/mysql2/promise.js:12:3',
    'file:///C:/Users/me/node_modules/@multidb/core/dist/index.js:5:1',
    'file://fileserver/share/@team/app.js:1:1',
    '',
  ])('leaves %j unchanged (no password)', (input) => {
    expect(maskUrl(input)).toBe(input);
  });

  it('masks URLs inside a text, keeping the punctuation around them', () => {
    expect(maskUrl("cannot connect to postgres://app:x1y2@h:5432/db: refused")).toBe('cannot connect to postgres://app:***@h:5432/db: refused');
    expect(maskUrl("Invalid URL 'postgres://app:p@ss:w/rd%40@h/db': it does not parse")).toBe("Invalid URL '<unparsable postgres URL>': it does not parse");
    expect(maskUrl('(see mysql://r@h/db?password=abc).')).toBe('(see mysql://r@h/db?password=***).');
    expect(maskUrl('"postgres://h/db?secret=zz"')).toBe('"postgres://h/db?secret=***"');
  });

  it('leaves the file URLs of a stack trace alone and masks the database URL in it', () => {
    const stack = [
      "BindError: [analytics] cannot connect to mariadb://root:wr0ng@127.0.0.1:3306/nu_test: Access denied for user 'root'@'127.0.0.1'",
      '    at fail (file:///srv/app/node_modules/@multidb/dialect/dist/bundle/mysql/index.js:81:10)',
      '    at Object.connect (file:///srv/app/node_modules/@multidb/dialect/dist/bundle/mysql/index.js:110:11)',
      '    at async #connectDriver (/srv/app/node_modules/@multidb/core/dist/bundle/index.script.cjs:6584:11)',
    ];
    expect(maskUrl(stack.join('\n'))).toBe(
      [stack[0]!.replace('root:wr0ng@', 'root:***@'), ...stack.slice(1)].join('\n'),
    );
  });

  it('masks every URL in a text', () => {
    expect(
      maskUrl('bind default: postgres://app:one@h1/db; bind db2: mysql://root:two@h2:3306/x (was mysql://root:@h3)\nthen "postgres://u:three@h4/y"'),
    ).toBe('bind default: postgres://app:***@h1/db; bind db2: mysql://root:***@h2:3306/x (was mysql://root:***@h3)\nthen "postgres://u:***@h4/y"');
  });
});

describe('secretsMasker', () => {
  // 300 URLs, more than maskSecrets keeps parsed (its cache was cleared, and every URL parsed
  // again, for each text), as thousands of tenants' binds have.
  const tenants = Array.from({ length: 300 }, (_, i) => `sqlite:.data/t${String(i).padStart(4, '0')}.db`);
  const urls = [
    'postgres://app:hunter22@h/db',
    undefined,
    'mysql://root:p%40ss@h/db',
    ...tenants,
    'postgres://app:p@ss:w/rd%40@127.0.0.1:5432/db',
    'mysql://root:x1@h',
    'postgres://u@h/db?sslpassword=k3y9&sslmode=require',
    '  postgres://app:hunter22@h/db  ',
    'postgres://app:hunter22@h/db',
  ];
  const texts = [
    'password authentication failed for user "app" (password \'hunter22\')',
    "Access denied for 'root' using password 'p@ss'",
    'tried hunter22 at postgres://a:other@h/db and postgres://app:hunter22@h/db',
    'bind default (postgres://app:p@ss:w/rd%40@127.0.0.1:5432/db) failed; password was p@ss:w/rd%40, decoded p@ss:w/rd@',
    'a bad password x1 at mysql://root:x1@h',
    'ssl key k3y9 of postgres://u@h/db?sslpassword=k3y9&sslmode=require',
    '[t0299] cannot open sqlite:.data/t0299.db: file is not a database',
    'nothing to mask',
  ];

  it('masks each text as maskSecrets does with the same URLs', () => {
    const mask = secretsMasker(urls);
    for (const text of texts) expect(mask(text)).toBe(maskSecrets(text, urls));
    expect(mask(texts[0]!)).toBe('password authentication failed for user "app" (password \'***\')');
  });

  it('masks every URL in the text even with no URL given', () => {
    expect(secretsMasker([])('at postgres://u:pw9x@h/db')).toBe(maskSecrets('at postgres://u:pw9x@h/db', []));
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

  it('masks a raw password with @ : / wherever it appears, and the URL that holds it whole', () => {
    const url = 'postgres://app:p@ss:w/rd%40@127.0.0.1:5432/db';
    expect(maskSecrets(`bind default (${url}) failed; password was p@ss:w/rd%40, decoded p@ss:w/rd@`, [url])).toBe(
      'bind default (<unparsable postgres URL>) failed; password was ***, decoded ***',
    );
  });

  it('masks secret query parameters quoted without their URL', () => {
    expect(maskSecrets('bad sslpassword "k3y-value"', ['postgres://app@h/db?sslpassword=k3y-value'])).toBe('bad sslpassword "***"');
  });

  it('masks a URL with a space in its password, which maskUrl alone cannot', () => {
    const url = 'postgres://app:my secret@h/db';
    expect(maskSecrets(`cannot use ${url} here`, [url])).toBe('cannot use postgres://app:***@h/db here');
  });

  it("masks a libpq connection string's password wherever it appears", () => {
    const conninfo = 'host=db user=app password=S3cr3t!pw dbname=sales';
    expect(maskSecrets(`Invalid database URL '${conninfo}'; also S3cr3t!pw alone`, [conninfo])).toBe(
      "Invalid database URL 'host=db user=app password=*** dbname=sales'; also *** alone",
    );
  });

  it('ignores URLs without a password', () => {
    expect(maskDatabaseUrl('sqlite:data/a@b.db')).toBe('sqlite:data/a@b.db');
    expect(maskSecrets('could not connect to app@h', ['postgres://app@h/db', 'sqlite:.data/x.db'])).toBe('could not connect to app@h');
  });
});

describe('maskDatabaseUrl', () => {
  it.each<[string, string]>([
    ['postgres://app:secret@h/db', 'postgres://app:***@h/db'],
    // The whole text is one URL: a password with a space is masked whole.
    ['postgres://app:my secret@h/db', 'postgres://app:***@h/db'],
    ['postgres://app:p@ss:w/rd%40@h/db', '<unparsable postgres URL>'],
    ['  mysql://root@h/db?password=x  ', 'mysql://root@h/db?password=***'],
    ['sqlite:.data/default.db', 'sqlite:.data/default.db'],
    ['sqlite::memory:', 'sqlite::memory:'],
    ['not a url', 'not a url'],
    // Without `//`, an `@` may end a password: none of the URL is printed.
    ['postgres:app:s3cret@h/db', '<unparsable URL>'],
    ['mysql:/app:s3cret@h/db', '<unparsable URL>'],
    ['app:s3cret@h/db', '<unparsable URL>'],
    ['sqlite:app.db?password=s3cret', 'sqlite:app.db?password=***'],
    // A libpq connection string (no scheme): its password and other secrets are masked.
    ['host=db user=app password=S3cr3t!pw dbname=sales', 'host=db user=app password=*** dbname=sales'],
    ["host=db password='my s3cret \\' pw' sslpassword = k3y dbname=sales", 'host=db password=*** sslpassword = *** dbname=sales'],
    ['password=S3cr3t!pw', 'password=***'],
  ])('%s → %s', (input, expected) => {
    expect(maskDatabaseUrl(input)).toBe(expected);
  });
});

describe('urlSecrets', () => {
  it.each<[string, string[]]>([
    ['postgres://app:s3cret@h/db', ['s3cret']],
    ['mysql://root:p%40ss@h/db?secret=abc&ssl=true', ['p%40ss', 'p@ss', 'abc']],
    ['postgres://app:p@ss:w/rd%40@h/db', ['p@ss:w/rd%40', 'p@ss:w/rd@']],
    ['postgres://app@h/db?sslpassword=k%2Fy', ['k%2Fy', 'k/y']],
    ['postgres://app@h/db', []],
    ['sqlite:.data/x.db', []],
    ['postgres:app:s3cret@h/db', ['app:s3cret', 's3cret']],
    ['app:s3cret@h/db', ['s3cret']],
    ['host=db user=app password=S3cr3t!pw dbname=sales', ['S3cr3t!pw']],
    ["host=db password='my s3cret \\' pw'", ["'my s3cret \\' pw'", "my s3cret ' pw"]],
  ])('%s', (url, secrets) => {
    expect(urlSecrets(url)).toEqual(secrets);
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
    [
      'host=db user=app password=S3cr3t!pw dbname=sales',
      "Invalid database URL 'host=db user=app password=*** dbname=sales': expected a scheme such as sqlite:, postgres:// or mysql://." +
        " A libpq 'keyword=value' connection string is not taken: write postgres://user:<password>@host:5432/database (percent-encode @ : / ? # in the password).",
    ],
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
