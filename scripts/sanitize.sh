#!/usr/bin/env bash
# make sanitize: the whole test suite under ThreadSanitizer, then under
# AddressSanitizer, each in a build directory of its own (.build/tsan,
# .build/asan). The daemon, the web process and the hub the live tests start
# are the sanitized binaries of the same directory, so their races and
# memory errors count too. Any report fails the run.
#
# Usage: sanitize.sh [thread|address]…   (default both)
set -euo pipefail
cd "$(dirname "$0")/.."
# A report must fail the test it happened in, not scroll by: stop at the
# first one with a distinct status. Leak checking stays off: the Swift
# runtime's and Foundation's caches live until exit by design and would
# be reported from every child process at its end.
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}"
export ASAN_OPTIONS="halt_on_error=1 detect_leaks=0 ${ASAN_OPTIONS:-}"
sanitizers=("$@")
((${#sanitizers[@]} > 0)) || sanitizers=(thread address)
# shellcheck source=sanitized-build.sh
source scripts/sanitized-build.sh
for sanitizer in "${sanitizers[@]}"; do
    started=$SECONDS
    sanitized_build "$sanitizer" --build-tests
    built=$SECONDS
    scratch=.build/tsan
    [[ $sanitizer == address ]] && scratch=.build/asan
    # The scenario library (18 scenarios played one after another against
    # the daemon, ten minutes under ThreadSanitizer) drives the same code the
    # other live suites do; make test runs it unsanitized.
    swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" --skip LiveScenarioTests
    echo "sanitize: $sanitizer: build $((built - started)) s, tests $((SECONDS - built)) s, no report"
done
