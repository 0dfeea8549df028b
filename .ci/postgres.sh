# Sourced by .ci/run (and usable alone: `. .ci/postgres.sh && start_test_postgres`): a throwaway PostgreSQL for the tests.
# start_test_postgres installs Debian's postgresql when missing (apt-get), runs initdb and pg_ctl as an unprivileged user
# on a temporary directory and a free port, exports LSTMSERVICE_TEST_POSTGRES and stops the cluster when the shell exits.
# When anything fails it says so and leaves the variable unset: the PostgreSQL tests are then skipped with the reason.

pg_bin_dir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    done
    command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

start_test_postgres() {
    if [ -n "${LSTMSERVICE_TEST_POSTGRES:-}" ]; then
        echo "ci: PostgreSQL tests use the given LSTMSERVICE_TEST_POSTGRES"
        return 0
    fi
    local bin
    if ! bin=$(pg_bin_dir) && command -v apt-get >/dev/null 2>&1; then
        echo "ci: installing postgresql for the PostgreSQL storage tests"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null \
            || echo "ci: could not install postgresql; the PostgreSQL tests will be skipped" >&2
        bin=$(pg_bin_dir) || true
    fi
    if [ -z "${bin:-}" ]; then
        echo "ci: no PostgreSQL binaries; the PostgreSQL tests will be skipped" >&2
        return 0
    fi
    # initdb refuses to run as root: the cluster belongs to the postgres user (Debian's package creates it) when CI runs as root.
    local owner run
    owner=$(id -un)
    run=(bash -c)
    if [ "$(id -u)" -eq 0 ]; then
        owner=postgres
        run=(su postgres -s /bin/bash -c)
    fi
    PG_TEST_DIR=$(mktemp -d /tmp/lstm-ci-pg.XXXXXX)
    chown "$owner" "$PG_TEST_DIR"
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)
    if ! "${run[@]}" "'$bin/initdb' -D '$PG_TEST_DIR/data' -A trust -U postgres >'$PG_TEST_DIR/initdb.log' 2>&1 \
        && '$bin/pg_ctl' -D '$PG_TEST_DIR/data' -l '$PG_TEST_DIR/server.log' -w -t 60 \
           -o \"-p $port -k $PG_TEST_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off\" start >/dev/null"; then
        echo "ci: the throwaway PostgreSQL did not start (see $PG_TEST_DIR); the PostgreSQL tests will be skipped" >&2
        return 0
    fi
    PG_TEST_STOP="${run[*]@Q} \"'$bin/pg_ctl' -D '$PG_TEST_DIR/data' -m immediate stop >/dev/null\"; rm -rf '$PG_TEST_DIR'"
    trap 'eval "$PG_TEST_STOP"' EXIT
    export LSTMSERVICE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    echo "ci: throwaway PostgreSQL on 127.0.0.1:$port ($PG_TEST_DIR)"
}

# report_test_postgres RESULTS FAILED: keeps the throwaway server's log beside the TRX files (it is removed on exit) and,
# when tests failed, prints its fatal errors and deadlocks (not the terminations of a test database dropped WITH (FORCE)):
# a test that saw a 503 "Database unavailable" does not say why.
report_test_postgres() {
    [ -n "${PG_TEST_DIR:-}" ] && [ -f "$PG_TEST_DIR/server.log" ] || return 0
    cp "$PG_TEST_DIR/server.log" "$1/postgres-server.log" 2>/dev/null || return 0
    if [ "${2:-0}" -gt 0 ]; then
        echo "ci: the PostgreSQL server's fatal errors and deadlocks (whole log: $1/postgres-server.log):"
        grep -E 'FATAL|PANIC|deadlock|too many|connection slots' "$1/postgres-server.log" | grep -v 'administrator command' | tail -n 20 | sed 's/^/ci:   /'
    fi
}
