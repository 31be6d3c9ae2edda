#!/usr/bin/env bash
# Installs what the tests and the browser need on Debian/Ubuntu: Chromium (web forms and
# PDF reports), Dovecot (the real IMAP server of the tests), espeak-ng and sox (recordings
# for the audio analysis tests), sqlite3 (benchmark baseline), poppler-utils (PDF checks),
# postgresql (the PostgreSQL store's tests start private clusters with its initdb and pg_ctl),
# pocketsphinx + pocketsphinx-en-us (keyword spotting measured by npm run eval:phone).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  chromium dovecot-imapd dovecot-lmtpd espeak-ng sox libsox-fmt-all sqlite3 poppler-utils postgresql \
  pocketsphinx pocketsphinx-en-us \
  python3 make g++ ca-certificates >/dev/null
# The packaged Dovecot service is not needed: tests run private instances on loopback.
# Nor is the packaged PostgreSQL cluster: tests start their own (test/helpers/postgres.ts).
if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now dovecot postgresql >/dev/null 2>&1 || true; fi
echo "system dependencies installed: $(chromium --version 2>/dev/null | head -1); dovecot $(dovecot --version 2>/dev/null); $(/usr/lib/postgresql/*/bin/postgres --version 2>/dev/null | head -1)"
