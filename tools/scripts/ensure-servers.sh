#!/usr/bin/env bash
# Makes sure the local PostgreSQL and MariaDB servers the tests use answer over TCP, starting them
# and fixing TCP logins as ../shared/TOOLCHAIN.md describes. Only touches servers on 127.0.0.1,
# and only when the test URLs are the defaults (a user pointing MULTIDB_TEST_*_URL elsewhere
# manages their own servers).
set -uo pipefail

pg_ok() { pg_isready -q -h 127.0.0.1 -p 5432 -t 2 >/dev/null 2>&1; }
pg_login_ok() { PGCONNECT_TIMEOUT=3 psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; }
my_ok() { mariadb-admin --connect-timeout=2 -h 127.0.0.1 -uroot ping >/dev/null 2>&1; }
my_login_ok() { mariadb --connect-timeout=3 -h 127.0.0.1 -uroot -e 'select 1' >/dev/null 2>&1; }
wait_for() { for _ in $(seq 1 60); do "$1" && return 0; sleep 1; done; return 1; }

if [ -z "${MULTIDB_TEST_POSTGRES_URL:-}" ]; then
  if ! pg_ok; then
    echo "PostgreSQL is down: starting it"
    version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
    pg_ctlcluster --skip-systemctl-redirect "${version:-15}" main start || true
    wait_for pg_ok || echo "PostgreSQL did not start" >&2
  fi
  if pg_ok && ! pg_login_ok; then
    echo "PostgreSQL refuses TCP logins for postgres without a password: setting one"
    runuser -u postgres -- psql -qc "ALTER USER postgres PASSWORD 'postgres'" || true
    export MULTIDB_TEST_POSTGRES_URL='postgres://postgres:postgres@127.0.0.1:5432/postgres'
  fi
fi

if [ -z "${MULTIDB_TEST_MYSQL_URL:-}" ]; then
  if ! my_ok; then
    echo "MariaDB is down: starting it"
    service mariadb start >/dev/null 2>&1 || start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql || true
    wait_for my_ok || echo "MariaDB did not start" >&2
  fi
  if my_ok && ! my_login_ok; then
    echo "MariaDB refuses root over TCP: allowing root with an empty password from 127.0.0.1"
    mariadb -uroot -e "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD(''); CREATE USER IF NOT EXISTS root@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO root@'127.0.0.1' WITH GRANT OPTION; FLUSH PRIVILEGES;" || true
  fi
fi

pg_login_ok && echo "PostgreSQL answers on 127.0.0.1:5432" || echo "PostgreSQL does not answer: its tests will fail under CI" >&2
my_login_ok && echo "MariaDB answers on 127.0.0.1:3306" || echo "MariaDB does not answer: its tests will fail under CI" >&2
