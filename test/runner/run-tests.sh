#!/bin/sh
# Runs every test file (`npm run test:unit`) in two groups at once, so CI stays under its 30 minutes as tests
# are added: the files that drive the real `openstack` and `sluice` clients against a `sluice serve` of their
# own on the noop provider (free ports, own data dirs: nothing shared with any other file; most of their time
# is the Python client starting) run beside all the others, which run one file at a time as before.
# A file of either group can never hold the run: a test times out after 10 minutes, and a file's process
# ends once its tests are done (--test-force-exit) even if a child it started still holds a pipe.
# Every file's process first makes its report pipe blocking (report-pipe-blocking.ts): without that, the
# force exit drops the tail of a file's report and the run still counts green.
set -u
cd "$(dirname "$0")/../.."
flags='--test-timeout=600000 --test-force-exit --test-reporter=spec --import ./test/runner/report-pipe-blocking.ts'
clients=$(grep -l "SLUICE_PROVIDER: 'noop'" test/e2e/openstack-cli*.test.ts test/e2e/sluice-cli.test.ts | sort)
others=$(find src test -name '*.test.ts' | sort | grep -v -x -F "$clients")
log=$(mktemp /tmp/sluice-client-tests.XXXXXX)
# shellcheck disable=SC2086 # word splitting of the file lists is meant
node --test $flags $clients >"$log" 2>&1 &
clients_pid=$!
# shellcheck disable=SC2086
node --test $flags $others
others_status=$?
wait "$clients_pid"
clients_status=$?
echo
echo "# the client files, run beside the others:"
cat "$log"
rm -f "$log"
[ "$others_status" -eq 0 ] && [ "$clients_status" -eq 0 ]
