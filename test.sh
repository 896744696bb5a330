#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine with the .NET 10 SDK:
# installs what the tests need, runs every test, and ends with the real tally.
set -uo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian's Chromium drives the browser tests (Playwright never downloads a browser here).
if ! command -v chromium >/dev/null 2>&1; then
  echo "== Installing Chromium (Debian package)"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    || { echo "Could not install chromium"; exit 1; }
fi

# Debian's PostgreSQL for the PostgreSQL tests only (each test class makes a throw-away cluster with initdb;
# SoxAuto itself and every other test use SQLite).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "== Installing PostgreSQL (Debian package)"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
    || { echo "Could not install postgresql"; exit 1; }
fi

# Debian's LibreOffice Calc, the second spreadsheet program that must open the evidence workbook (LibreOfficeTests).
if ! command -v soffice >/dev/null 2>&1; then
  echo "== Installing LibreOffice Calc (Debian package)"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui >/dev/null \
    || { echo "Could not install libreoffice-calc-nogui"; exit 1; }
fi

# Poppler's pdfinfo and pdftotext, the independent reader of the evidence package's PDF certificate (EvidencePackageTests).
if ! command -v pdfinfo >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  echo "== Installing Poppler's tools (Debian package)"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null \
    || { echo "Could not install poppler-utils"; exit 1; }
fi

# npm packages the test fixtures use, if any (pinned by package-lock.json).
if [ -f SoxAuto.Tests/Fixtures/npm/package.json ]; then
  echo "== Installing npm packages for the test fixtures"
  (cd SoxAuto.Tests/Fixtures/npm && npm ci --no-audit --no-fund --loglevel=error) || exit 1
fi

echo "== Building"
dotnet tool restore >/dev/null || exit 1
dotnet build SoxAuto.sln -c Release --nologo -clp:ErrorsOnly || exit 1

echo "== Testing"
results=.test-results
rm -rf "$results"
dotnet test SoxAuto.sln -c Release --no-build --nologo \
  --logger "trx;LogFileName=tests.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@"
status=$?

trx=$(find "$results" -name '*.trx' 2>/dev/null | head -n 1)
if [ -z "$trx" ]; then
  echo "tests: 0 passed, 1 failed, 0 skipped"   # nothing ran: that is a failure, not a pass
  exit 1
fi
# The failed tests again, just above the tally, with the start of each message: a CI log shows only its tail.
perl -0777 -ne '
  my %e = (quot => q("), apos => "\x27", lt => "<", gt => ">", amp => "&");
  while (/<UnitTestResult [^>]*?testName="([^"]*)"[^>]*?outcome="Failed"[^>]*>(.*?)<\/UnitTestResult>/gs) {
    my ($name, $body) = ($1, $2);
    my ($message) = $body =~ /<Message>(.*?)<\/Message>/s;
    my ($stack) = $body =~ /<StackTrace>(.*?)<\/StackTrace>/s;
    my $text = join "\n", grep { defined } $message, $stack;
    $text =~ s/&(quot|apos|lt|gt|amp);/$e{$1}/g; $name =~ s/&(quot|apos|lt|gt|amp);/$e{$1}/g;
    my @lines = (split /\n/, $text)[0 .. 11];
    print "FAILED: $name\n", map({ defined ? "    $_\n" : () } @lines);
  }' "$trx"
counters=$(grep -o '<Counters [^>]*>' "$trx")
num() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
total=$(num total); passed=$(num passed); failed=$(num failed); executed=$(num executed)
skipped=$(( ${total:-0} - ${executed:-0} ))
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi   # a crash counts
echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped} skipped"
exit "$status"
