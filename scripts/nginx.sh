#!/usr/bin/env bash
# Prints the path of an nginx binary for the proxy tests (tests/it/proxy.rs),
# fetching Debian's when none is installed.
#
# `nginx` on the PATH (or RENCONTRE_NGINX) is used as it is. Otherwise
# Debian's package is downloaded with apt-get and unpacked under
# .local/nginx/ -- not installed: nothing is started, no system service or
# configuration is touched, and no root is needed. The tests run it as a
# child process with a configuration, pid file and logs of their own, on
# loopback ports only. Fails loudly when neither works: the proxy tests
# must never be skipped.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
local_dir="$root/.local/nginx"
unpacked="$local_dir/root/usr/sbin/nginx"

if [ -n "${RENCONTRE_NGINX:-}" ]; then
    echo "$RENCONTRE_NGINX"
    exit 0
fi
if command -v nginx >/dev/null 2>&1; then
    command -v nginx
    exit 0
fi

mkdir -p "$local_dir"
# Tests start side by side: one of them unpacks, the others wait for it.
exec 9>"$local_dir/.lock"
flock 9
if [ ! -x "$unpacked" ]; then
    download="$local_dir/download"
    rm -rf "$download" "$local_dir/root"
    mkdir -p "$download"
    # apt-get writes the .deb as the _apt user where it can.
    chmod 777 "$download"
    if ! command -v apt-get >/dev/null 2>&1 ||
        ! { (cd "$download" && apt-get download nginx) ||
            { [ "$(id -u)" = 0 ] && apt-get update -qq && (cd "$download" && apt-get download nginx); }; } >"$local_dir/apt.log" 2>&1 ||
        ! dpkg-deb -x "$download"/nginx_*.deb "$local_dir/root" >>"$local_dir/apt.log" 2>&1 ||
        [ ! -x "$unpacked" ]; then
        echo "nginx is missing and Debian's package could not be fetched with 'apt-get download nginx' (output: .local/nginx/apt.log). Install it ('apt-get install nginx'), or set RENCONTRE_NGINX to an nginx binary, then run the tests again." >&2
        exit 1
    fi
    rm -rf "$download"
fi
if ! "$unpacked" -v >/dev/null 2>&1; then
    echo "$unpacked does not run (missing libraries? try 'apt-get install nginx')." >&2
    exit 1
fi
echo "$unpacked"
