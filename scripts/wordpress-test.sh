#!/usr/bin/env bash
# `npm run test:wordpress`: Debian's WordPress (with its bundled Akismet plugin) against Vigil, end to end. Starts a
# throwaway MariaDB and WordPress (php -S) in a temp dir, makes a throwaway CA and a certificate for rest.akismet.com,
# points rest.akismet.com at 127.0.0.1 in /etc/hosts, runs test/wordpress (which serves Vigil over HTTPS on
# 127.0.0.1:443), then removes the hosts entry, the servers and the temp dir. Needs root (port 443, /etc/hosts) and
# the packages below; as root it installs them when missing. Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "test:wordpress needs root: it binds port 443 and edits /etc/hosts" >&2; exit 1; }
packages=(wordpress mariadb-server php-cli php-mysql php-curl openssl)
if ! command -v php >/dev/null || ! command -v mariadbd >/dev/null || [ ! -d /usr/share/wordpress ] || ! php -m | grep -qi '^curl$'; then
  echo "installing ${packages[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

dir=$(mktemp -d /tmp/vigil-wordpress-XXXXXX)
marker="# vigil test:wordpress $$"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  # Only our own line goes: the hosts file may have changed meanwhile.
  if grep -qF "$marker" /etc/hosts; then
    grep -vF "$marker" /etc/hosts >"$dir/hosts" && cat "$dir/hosts" >/etc/hosts
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

free_port() { node -e 'const s=require("node:net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# MariaDB on a socket only.
mariadb-install-db --user=root --datadir="$dir/db" --auth-root-authentication-method=normal >"$dir/db-install.log" 2>&1
mariadbd --user=root --datadir="$dir/db" --socket="$dir/mysql.sock" --pid-file="$dir/mysql.pid" --skip-networking \
  --log-error="$dir/mysql.log" &
pids+=($!)
for _ in $(seq 1 100); do mariadb --socket="$dir/mysql.sock" -uroot -e 'select 1' >/dev/null 2>&1 && break; sleep 0.2; done
mariadb --socket="$dir/mysql.sock" -uroot -e "CREATE DATABASE wp; CREATE USER 'wp'@'localhost' IDENTIFIED BY 'wp'; GRANT ALL ON wp.* TO 'wp'@'localhost';"

# A throwaway CA and a certificate for the Akismet names; WordPress trusts the CA through a must-use plugin.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=Vigil test CA' -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj '/CN=rest.akismet.com' -keyout "$dir/tls.key" -out "$dir/tls.csr" 2>/dev/null
printf 'subjectAltName=DNS:rest.akismet.com,DNS:*.rest.akismet.com\n' >"$dir/san.ext"
openssl x509 -req -in "$dir/tls.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 2 -extfile "$dir/san.ext" \
  -out "$dir/tls.crt" 2>/dev/null

# WordPress: a private copy of Debian's tree with its own wp-config.php.
wp_port=$(free_port)
cp -rL /usr/share/wordpress "$dir/wp" 2>/dev/null || cp -r /usr/share/wordpress "$dir/wp"
rm -f "$dir/wp/wp-config.php" "$dir/wp/.htaccess"
cat >"$dir/wp/wp-config.php" <<EOF
<?php
define( 'DB_NAME', 'wp' );
define( 'DB_USER', 'wp' );
define( 'DB_PASSWORD', 'wp' );
define( 'DB_HOST', 'localhost:$dir/mysql.sock' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
define( 'WP_HOME', 'http://127.0.0.1:$wp_port' );
define( 'WP_SITEURL', 'http://127.0.0.1:$wp_port' );
define( 'WP_CONTENT_DIR', __DIR__ . '/wp-content' );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
\$table_prefix = 'wp_';
foreach ( array( 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' ) as \$k ) define( \$k, '$(head -c 24 /dev/urandom | base64)' . \$k );
if ( ! defined( 'ABSPATH' ) ) define( 'ABSPATH', __DIR__ . '/' );
require_once ABSPATH . 'wp-settings.php';
EOF
mkdir -p "$dir/wp/wp-content/mu-plugins"
cat >"$dir/wp/wp-content/mu-plugins/vigil-akismet-ca.php" <<EOF
<?php
// Requests to the Akismet API go to Vigil, whose certificate is signed by the test CA (docs/wordpress.md, step 3).
add_filter( 'http_request_args', function ( \$args, \$url ) {
	if ( preg_match( '#^https://([a-f0-9]{12}\.)?rest\.akismet\.com/#', \$url ) ) {
		\$args['sslcertificates'] = '$dir/ca.crt';
	}
	return \$args;
}, 10, 2 );
EOF
cat >"$dir/wp/wp-content/mu-plugins/vigil-test-no-flood.php" <<'PHP'
<?php
// Every test comment comes from 127.0.0.1 seconds apart; WordPress's own 15-second flood check would refuse them.
add_filter( 'wp_is_comment_flood', '__return_false', 99 );
PHP
php -S "127.0.0.1:$wp_port" -t "$dir/wp" >"$dir/php.log" 2>&1 &
pids+=($!)

echo "127.0.0.1 rest.akismet.com $marker" >>/etc/hosts

export VIGIL_WP_DIR="$dir/wp" VIGIL_WP_URL="http://127.0.0.1:$wp_port" VIGIL_WP_TLS_CERT="$dir/tls.crt" VIGIL_WP_TLS_KEY="$dir/tls.key"
npx jest --runInBand --forceExit test/wordpress "$@"
