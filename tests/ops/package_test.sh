#!/usr/bin/env bash
# Deployment (issue 6): the Debian package, the systemd unit, the nginx configuration and the
# Dockerfile (deploy/, cmake/Packaging.cmake).
#  1. `cpack -G DEB` in BUILD_DIR builds ogi-desk_*.deb. Its files (program, workflow, every
#     calendar year and template, the conffile, the unit, the nginx example), its control fields
#     (English description, Depends naming the package of every shared library the program
#     loads) and its maintainer scripts.
#  2. Without installing: the unit's hardening options, the configuration it starts with, the
#     nginx configuration (body limit equal to the server's largest route limit, TLS 1.2/1.3,
#     HSTS, `nginx -t` with a self-signed certificate made here) and a lint of the Dockerfile
#     (debian:12 stages, the files it copies exist, non-root user, volume, health check).
#  3. As root, on a machine without ogi-desk: `dpkg -i` (apt-get -f install for missing
#     dependencies); the `ogi` user, /var/lib/ogi-desk, the database; a reinstall (the upgrade
#     path: pre-upgrade backup, an edited conffile kept); `systemd-analyze verify` and
#     `security`. Then the unit's ExecStart runs as `ogi` (systemd is not PID 1 here) in a mount
#     namespace where the source tree's workflow/ and templates/ are hidden, so the data must
#     come from /usr/share/ogi: /healthz, the login page, CSS, an API login; the same through
#     nginx over HTTPS (HTTP redirect, HSTS, 413 above the limit); the Dockerfile's HEALTHCHECK
#     command; SIGTERM stops it with exit 0. Under strace (when installed) every system call,
#     memory mapping, socket family and file write stays within what the unit allows
#     (SystemCallFilter, MemoryDenyWriteExecute, RestrictAddressFamilies, ProtectSystem=strict,
#     ProcSubset=pid).
#  4. `dpkg --purge` leaves nothing behind: files, state, configuration, user, group, enable links.
# Installs nginx (and file, dpkg-dev for CPack) with apt when missing, as root. Without root, or
# when ogi-desk, the `ogi` user or its directories already exist, parts 3 and 4 are skipped.
# Usage: package_test.sh BUILD_DIR    (OGI_BUILD_LOCK=FILE runs cpack under `flock FILE`)
set -uo pipefail
# "Today" pinned (OGI_TEST_TODAY, default below): never the wall clock.
export OGI_TODAY=${OGI_TEST_TODAY:-2026-11-27}
export LC_ALL=C.UTF-8
BUILD=$(cd "${1:?usage: package_test.sh BUILD_DIR}" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/lib/tap.sh"
tap_start package_test
start_time=$(date +%s)

UNIT_SRC=$SRC/deploy/systemd/ogi-desk.service
NGINX_SRC=$SRC/deploy/nginx/ogi-desk.conf
DOCKERFILE=$SRC/deploy/Dockerfile
STATE=/var/lib/ogi-desk
# The source tree the program was built from (OGI_SOURCE_DIR, its fallback for data files).
BUILD_SRC=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$BUILD/CMakeCache.txt")

wrapper=""       # the process started for the service (strace or runuser)
server=""        # the ogi process itself
nginx_conf=""
installed=0
policy_rc=""
run_dir=""
tap_on_exit() {
  [[ -n $server ]] && kill -TERM "$server" 2>/dev/null
  [[ -n $wrapper ]] && { wait "$wrapper" 2>/dev/null || true; }
  if [[ -n $nginx_conf && -s $T/nginx/nginx.pid ]]; then kill -QUIT "$(cat "$T/nginx/nginx.pid")" 2>/dev/null; fi
  [[ $installed == 1 ]] && dpkg --purge ogi-desk >/dev/null 2>&1
  [[ -n $policy_rc ]] && rm -f "$policy_rc"
  [[ -n $run_dir ]] && rm -rf "$run_dir"
  true
}
skip() { ok "$1 # SKIP $2"; }
pkg_present() {  # ogi-desk installed, or removed with its configuration still there
  local st
  st=$(dpkg-query -W -f='${db:Status-Status}' ogi-desk 2>/dev/null)
  [[ -n $st && $st != not-installed ]]
}
is_root() { [[ $(id -u) == 0 ]]; }
apt_install() {  # PACKAGE... : installs what is missing (root only); no service is started
  local missing=() p
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  is_root || return 1
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then  # keep nginx's postinst from starting a daemon
    policy_rc=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' >"$policy_rc" && chmod 0755 "$policy_rc"
  fi
  echo "# installing ${missing[*]}"
  apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$T/apt.log" 2>&1
  local rc=$?
  if [[ -n $policy_rc ]]; then rm -f "$policy_rc"; policy_rc=""; fi
  return $rc
}

# ---------------------------------------------------------------- 1. the package
command -v file >/dev/null && command -v dpkg-shlibdeps >/dev/null || apt_install file dpkg-dev
mkdir -p "$T/pkg"
etc_before=$([[ -e /etc/ogi-desk ]] && echo yes || echo no)
lock=()
[[ -n ${OGI_BUILD_LOCK:-} ]] && lock=(flock "$OGI_BUILD_LOCK")
if (cd "$BUILD" && "${lock[@]}" cpack -G DEB -B "$T/pkg" >"$T/cpack.log" 2>&1); then
  ok "cpack -G DEB in $BUILD"
else
  notok "cpack -G DEB" "$(tail -n 15 "$T/cpack.log")"
fi
debs=("$T"/pkg/ogi-desk_*.deb)
deb=${debs[0]}
if [[ ${#debs[@]} == 1 && -f $deb ]]; then ok "one package: $(basename "$deb") ($(($(stat -c %s "$deb") / 1024)) KiB)"; else
  notok "the .deb exists" "$(ls "$T/pkg")"
  tap_finish
fi
[[ $etc_before == yes || ! -e /etc/ogi-desk ]] && ok "cpack staged /etc in the package, not on this machine" ||
  notok "cpack wrote /etc/ogi-desk on the build machine"

dpkg-deb -c "$deb" >"$T/contents"
awk '{print $6}' "$T/contents" | sed 's#^\./#/#; s#/$##' | sort >"$T/files"
has() { grep -qxF "$1" "$T/files"; }
missing=()
for f in /usr/bin/ogi /usr/share/ogi/workflow/lifecycle.wf /etc/ogi-desk/ogi.properties \
  /lib/systemd/system/ogi-desk.service /usr/share/doc/ogi-desk/README.md \
  /usr/share/doc/ogi-desk/examples/nginx/ogi-desk.conf; do
  has "$f" || missing+=("$f")
done
[[ ${#missing[@]} == 0 ]] && ok "program, workflow, conffile, unit and docs in the package" || notok "package files" "missing: ${missing[*]}"
missing=()
n_data=0
while IFS= read -r rel; do
  n_data=$((n_data + 1))
  has "/usr/share/ogi/$rel" || missing+=("$rel")
done < <(cd "$SRC" && find workflow/calendar -name '*.cal' -o -name festivals.tsv; cd "$SRC" && find templates/letters templates/ui -type f)
[[ ${#missing[@]} == 0 && $n_data -gt 40 ]] && ok "every calendar year and letter/page template and static file ($n_data) under /usr/share/ogi" ||
  notok "data files under /usr/share/ogi" "missing: ${missing[*]:0:5} ($n_data checked)"
tops=$(grep -v '^$' "$T/files" | grep -v '^/$' | cut -d/ -f2 | sort -u | tr '\n' ' ')
[[ $tops == "etc lib usr " ]] && ok "nothing outside /usr, /etc, /lib" || notok "top-level directories" "$tops"
bad_owner=$(awk '$2 != "root/root"' "$T/contents" | head -3)
[[ -z $bad_owner ]] && ok "every file owned by root/root" || notok "file owners" "$bad_owner"
grep -q '^-rwxr-xr-x .* \./usr/bin/ogi$' "$T/contents" && ok "/usr/bin/ogi is 0755" || notok "/usr/bin/ogi mode" "$(grep usr/bin/ogi "$T/contents")"

mkdir -p "$T/x" "$T/ctl"
dpkg-deb -x "$deb" "$T/x" && dpkg-deb -e "$deb" "$T/ctl"
file "$T/x/usr/bin/ogi" | grep -q ', stripped' && ok "the program is stripped" || notok "stripped" "$(file "$T/x/usr/bin/ogi")"
"$T/x/usr/bin/ogi" --help 2>/dev/null | grep -q 'ogi serve' && ok "the packaged program runs (--help)" || notok "packaged ogi --help"
cmp -s "$T/x/lib/systemd/system/ogi-desk.service" "$UNIT_SRC" && cmp -s "$T/x/etc/ogi-desk/ogi.properties" "$SRC/deploy/ogi.properties" &&
  ok "unit and configuration are the files in deploy/" || notok "packaged unit/config differ from deploy/"

field() { dpkg-deb -f "$deb" "$1"; }
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$BUILD/CMakeCache.txt")
[[ $(field Package) == ogi-desk && $(field Version) == "$version-1" && $(field Architecture) == "$(dpkg --print-architecture)" ]] &&
  ok "Package ogi-desk, Version $version-1, Architecture $(field Architecture)" ||
  notok "control fields" "$(field Package) $(field Version) $(field Architecture)"
[[ $(field Maintainer) == *"<"*"@"*">" ]] && ok "Maintainer: $(field Maintainer)" || notok "Maintainer" "$(field Maintainer)"
desc=$(field Description)
if [[ -n $desc && $(printf '%s' "$desc" | LC_ALL=C grep -c '[^ -~]') == 0 && $(printf '%s\n' "$desc" | wc -l) -ge 3 ]]; then
  ok "Description in English: $(printf '%s' "$desc" | head -n 1)"
else
  notok "Description (ASCII English, summary and body)" "$desc"
fi
depends=$(field Depends)
dep_names=" $(printf '%s' "$depends" | tr ',|' '\n\n' | sed -E 's/^ *//; s/[ (].*//' | tr '\n' ' ') "
# The libraries the program links directly (NEEDED; ldd would add their own dependencies),
# located with ldd, owned by a package that Depends names.
undeclared=()
ldd "$T/x/usr/bin/ogi" | awk '$2 == "=>" {print $1, $3}' >"$T/ldd"
needed=$(readelf -d "$T/x/usr/bin/ogi" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
n_needed=0
for lib in $needed; do
  n_needed=$((n_needed + 1))
  path=$(awk -v l="$lib" '$1 == l {print $2}' "$T/ldd")
  [[ -z $path || ! -e $path ]] && { undeclared+=("$lib (not found)"); continue; }
  real=$(readlink -f "$path")
  owner=$(dpkg -S "$real" 2>/dev/null || dpkg -S "$path" 2>/dev/null || dpkg -S "*/$(basename "$path")" 2>/dev/null)
  owner=${owner%%:*}
  owner=${owner%%,*}
  [[ -n $owner && $dep_names == *" $owner "* ]] || undeclared+=("$lib→${owner:-?}")
done
[[ $n_needed -gt 5 && ${#undeclared[@]} == 0 ]] && ok "Depends names the package of each of the $n_needed libraries the program links" ||
  notok "Depends covers the shared libraries" "not declared: ${undeclared[*]}" "Depends: $depends"
[[ $dep_names == *" adduser "* && $dep_names == *" init-system-helpers "* ]] && ok "Depends: adduser, init-system-helpers (maintainer scripts)" ||
  notok "Depends for the maintainer scripts" "$depends"

for s in postinst prerm postrm; do
  if [[ -f $T/ctl/$s && $(stat -c %a "$T/ctl/$s") == 755 ]] && sh -n "$T/ctl/$s"; then ok "control: $s (0755, sh syntax)"; else
    notok "control: $s" "$(ls -l "$T/ctl")"
  fi
done
[[ $(cat "$T/ctl/conffiles" 2>/dev/null) == /etc/ogi-desk/ogi.properties ]] && ok "conffiles: /etc/ogi-desk/ogi.properties" ||
  notok "conffiles" "$(cat "$T/ctl/conffiles" 2>/dev/null)"
if command -v shellcheck >/dev/null; then
  out=$(shellcheck -s sh "$T/ctl/postinst" "$T/ctl/prerm" "$T/ctl/postrm" 2>&1)
  [[ -z $out ]] && ok "shellcheck: maintainer scripts" || notok "shellcheck" "$(echo "$out" | head -8)"
fi
grep -q 'adduser --system' "$T/ctl/postinst" && grep -q 'ogi init --db' "$T/ctl/postinst" &&
  grep -q '/run/systemd/system' "$T/ctl/postinst" && grep -q 'stop ogi-desk.service' "$T/ctl/prerm" &&
  grep -q 'purge)' "$T/ctl/postrm" && ok "scripts: user, ogi init, start under systemd; prerm stops; postrm purges" ||
  notok "maintainer script duties"

# ---------------------------------------------------------------- 2. unit, configuration, nginx, Dockerfile
unit_missing=()
for want in '^User=ogi$' '^StateDirectory=ogi-desk$' '^ExecStart=/usr/bin/ogi serve --config /etc/ogi-desk/ogi.properties$' \
  '^Restart=on-failure$' '^NoNewPrivileges=yes$' '^ProtectSystem=strict$' '^ProtectHome=yes$' '^PrivateTmp=yes$' \
  '^PrivateDevices=yes$' '^ProtectKernelTunables=yes$' '^ProtectKernelModules=yes$' '^ProtectKernelLogs=yes$' \
  '^ProtectControlGroups=yes$' '^RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6$' '^MemoryDenyWriteExecute=yes$' \
  '^SystemCallFilter=@system-service$' '^CapabilityBoundingSet=$' '^ReadWritePaths=/var/lib/ogi-desk$' \
  '^WantedBy=multi-user.target$'; do
  grep -qE "$want" "$UNIT_SRC" || unit_missing+=("$want")
done
[[ ${#unit_missing[@]} == 0 ]] && ok "unit: User=ogi, StateDirectory, Restart=on-failure, hardening options" ||
  notok "unit settings" "missing: ${unit_missing[*]}"
prop() { sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$SRC/deploy/ogi.properties" | tail -n 1; }
[[ $(prop 'ogi\.listen') == 127.0.0.1:8080 && $(prop 'ogi\.db') == $STATE/* && $(prop 'ogi\.backup\.dir') == $STATE/* &&
  $(prop 'ogi\.attachments') == $STATE/* && $(prop 'ogi\.secure_cookies') == true ]] &&
  ok "configuration: 127.0.0.1:8080, database/attachments/backups in $STATE, secure cookies" ||
  notok "configuration values" "$(grep -v '^#' "$SRC/deploy/ogi.properties" | grep .)"

# The largest body any route accepts (a route's last argument `N << 20);`, after its handler's
# `},` on the same line or alone on the next, in src/http) is nginx's client_max_body_size.
server_mib=$(grep -rhE --include='*.cpp' '^[[:space:]]*(\},[[:space:]]*)?[0-9]+[[:space:]]*<<[[:space:]]*20\);' "$SRC"/src/http |
  grep -oE '[0-9]+[[:space:]]*<<' | tr -dc '0-9\n' | sort -n | tail -n 1)
nginx_mib=$(sed -n 's/^ *client_max_body_size *\([0-9]*\)m;.*/\1/p' "$NGINX_SRC")
[[ -n $server_mib && $nginx_mib == "$server_mib" ]] && ok "nginx client_max_body_size ${nginx_mib}m = the server's largest body limit" ||
  notok "body limits" "server ${server_mib:-?} MiB, nginx ${nginx_mib:-?}m"
grep -qE '^ *ssl_protocols TLSv1\.2 TLSv1\.3;' "$NGINX_SRC" && grep -q 'Strict-Transport-Security "max-age=[0-9]*' "$NGINX_SRC" &&
  grep -q 'return 301 https://$host$request_uri;' "$NGINX_SRC" && grep -q 'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;' "$NGINX_SRC" &&
  grep -q '^upstream ogi_desk {' "$NGINX_SRC" && grep -q 'server 127.0.0.1:8080' "$NGINX_SRC" &&
  ok "nginx: TLS 1.2/1.3 only, HSTS, HTTP→HTTPS, X-Forwarded-For, upstream 127.0.0.1:8080" || notok "nginx directives"

# Dockerfile lint: stages, files, user, volume, health check.
dl=$(sed -e ':a' -e '/\\$/N; s/\\\n/ /; ta' "$DOCKERFILE" | grep -v '^[[:space:]]*#')
froms=$(echo "$dl" | grep -c '^FROM ')
[[ $froms -ge 2 && -z $(echo "$dl" | grep '^FROM ' | grep -v '^FROM debian:12') ]] && ok "Dockerfile: $froms stages, all debian:12" ||
  notok "Dockerfile FROM lines" "$(echo "$dl" | grep '^FROM ')"
bad=()
while read -r -a words; do
  srcs=("${words[@]:1:${#words[@]}-2}")
  for s in "${srcs[@]}"; do [[ $s == --* ]] && continue 2; [[ -e $SRC/$s ]] || bad+=("$s"); done
done < <(echo "$dl" | grep '^COPY ')
for s in deploy/deps.sh deploy/build.sh; do
  { echo "$dl" | grep -q "^RUN .*\./$s" && [[ -x $SRC/$s ]]; } || bad+=("RUN ./$s")
done
[[ ${#bad[@]} == 0 ]] && ok "Dockerfile: every COPY source exists; builds with deploy/deps.sh and deploy/build.sh" ||
  notok "Dockerfile references" "${bad[*]}"
last_user=$(echo "$dl" | sed -n 's/^USER *//p' | tail -n 1)
[[ -n $last_user && $last_user != root && $last_user != 0 ]] && echo "$dl" | grep -q '^VOLUME .*/var/lib/ogi-desk' &&
  echo "$dl" | grep -q '^HEALTHCHECK .* CMD .*/healthz' && echo "$dl" | grep -q '^RUN .*cpack -G DEB' &&
  ok "Dockerfile: runs as $last_user, volume /var/lib/ogi-desk, HEALTHCHECK on /healthz, runtime from the .deb" ||
  notok "Dockerfile user/volume/healthcheck" "user=$last_user"
echo "$dl" | grep -q '^CMD .*OGI_TRUSTED_PROXY:+--trusted-proxy' && grep -q 'docker run .*-p 127.0.0.1:8080:8080' "$SRC/deploy/README.md" &&
  ok "Dockerfile: the proxy's address from OGI_TRUSTED_PROXY; the README publishes the port on loopback only" ||
  notok "Dockerfile trusted proxy" "$(echo "$dl" | grep '^CMD ')"
if command -v hadolint >/dev/null; then
  out=$(hadolint "$DOCKERFILE" 2>&1) && ok "hadolint" || notok "hadolint" "$(echo "$out" | head -5)"
fi

# nginx -t on the shipped configuration, with a certificate made now.
command -v nginx >/dev/null || PATH=$PATH:/usr/sbin
command -v nginx >/dev/null || apt_install nginx || true
have_nginx=0
if command -v nginx >/dev/null && command -v openssl >/dev/null; then
  have_nginx=1
  mkdir -p "$T/nginx/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$T/nginx/tls/key.pem" -out "$T/nginx/tls/cert.pem" >/dev/null 2>&1
  nginx_wrapper() {  # SITE_CONF → nginx.conf of a throwaway instance including it
    local user=root
    cat >"$T/nginx/nginx.conf" <<CONF
user $user;
worker_processes 1;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $T/nginx/body;
    proxy_temp_path $T/nginx/proxy;
    fastcgi_temp_path $T/nginx/fastcgi;
    uwsgi_temp_path $T/nginx/uwsgi;
    scgi_temp_path $T/nginx/scgi;
    include $1;
}
CONF
  }
  sed -e "s#/etc/ssl/certs/ogi-desk.crt#$T/nginx/tls/cert.pem#" -e "s#/etc/ssl/private/ogi-desk.key#$T/nginx/tls/key.pem#" \
    "$NGINX_SRC" >"$T/nginx/site-t.conf"
  nginx_wrapper "$T/nginx/site-t.conf"
  if out=$(nginx -t -c "$T/nginx/nginx.conf" -e "$T/nginx/error.log" 2>&1); then ok "nginx -t ($(nginx -v 2>&1 | sed 's/.*: //'))"; else
    notok "nginx -t" "$out"
  fi
else
  skip "nginx -t" "nginx not installed and cannot be installed (not root)"
fi

# ---------------------------------------------------------------- 3. install, run, check
why_not=""
is_root || why_not="not root"
[[ -z $why_not ]] && pkg_present && why_not="ogi-desk is already on this machine"
[[ -z $why_not ]] && { getent passwd ogi >/dev/null || getent group ogi >/dev/null; } && why_not="a user or group 'ogi' already exists"
[[ -z $why_not && (-e $STATE || -e /etc/ogi-desk) ]] && why_not="$STATE or /etc/ogi-desk already exists"
if [[ -n $why_not ]]; then
  skip "install, run and purge the package" "$why_not"
  echo "# $(($(date +%s) - start_time)) s"
  tap_finish
fi

installed=1
if DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" >"$T/dpkg.log" 2>&1; then
  ok "dpkg -i"
elif DEBIAN_FRONTEND=noninteractive apt-get -f install -y -qq >>"$T/dpkg.log" 2>&1 &&
  dpkg-query -W -f='${Status}' ogi-desk | grep -q 'install ok installed'; then
  ok "dpkg -i, then apt-get -f install for the dependencies"
else
  notok "install" "$(tail -n 15 "$T/dpkg.log")"
  tap_finish
fi
ogi_pw=$(getent passwd ogi)
IFS=: read -r _ _ ogi_uid _ _ ogi_home ogi_shell <<<"$ogi_pw"
[[ -n $ogi_pw && $ogi_uid -lt 1000 && $ogi_home == "$STATE" && $ogi_shell == /usr/sbin/nologin ]] && getent group ogi >/dev/null &&
  ok "system user ogi (uid $ogi_uid, home $STATE, no login shell) and group" || notok "user ogi" "$ogi_pw"
[[ $(stat -c '%U:%G %a' "$STATE" 2>/dev/null) == "ogi:ogi 750" ]] && ok "$STATE is ogi:ogi 0750" ||
  notok "state directory" "$(stat -c '%U:%G %a' "$STATE" 2>&1)"
[[ $(stat -c '%U:%G %a' /etc/ogi-desk/ogi.properties 2>/dev/null) == "root:ogi 640" ]] && ok "the configuration is root:ogi 0640" ||
  notok "configuration permissions" "$(stat -c '%U:%G %a' /etc/ogi-desk/ogi.properties 2>&1)"
db=$STATE/ogi.db
latest=$(cd "$SRC/db" && ls [0-9]*.sql | sort | tail -n 1 | grep -o '^[0-9]*')
if [[ -f $db && $(stat -c %U "$db") == ogi ]]; then
  v=$(sqlite3 "$db" 'SELECT max(version) FROM schema_migrations' 2>&1)
  [[ $v == $((10#$latest)) ]] && ok "database initialised by postinst (owned by ogi, schema version $v)" ||
    notok "schema version" "got $v, expected $((10#$latest))"
else
  notok "database $db" "$(ls -l "$STATE" 2>&1)"
fi
[[ $(readlink /etc/systemd/system/multi-user.target.wants/ogi-desk.service) == /lib/systemd/system/ogi-desk.service ]] &&
  ok "service enabled (multi-user.target.wants link)" || notok "service enabled" "$(ls -l /etc/systemd/system/multi-user.target.wants/ 2>&1 | tail -3)"
if [[ -d /run/systemd/system ]]; then
  systemctl is-active --quiet ogi-desk && ok "systemd started ogi-desk" || notok "systemd started ogi-desk" "$(systemctl status ogi-desk 2>&1 | tail -5)"
  deb-systemd-invoke stop ogi-desk.service >/dev/null 2>&1 # the checks below run their own instance
fi

# Reinstall = the upgrade path: backup before migrating; the admin's edit of the conffile stays.
echo '# edited by package_test' >>/etc/ogi-desk/ogi.properties
if DEBIAN_FRONTEND=noninteractive dpkg -i --force-confdef --force-confold "$deb" >"$T/dpkg2.log" 2>&1 </dev/null; then
  backups=$(ls "$STATE"/backups/pre-upgrade-"$version"-1-*.db 2>/dev/null | wc -l)
  [[ $backups == 1 ]] && tail -n 1 /etc/ogi-desk/ogi.properties | grep -q 'edited by package_test' &&
    ok "reinstall: pre-upgrade backup written, edited conffile kept" || notok "reinstall" "backups=$backups; $(tail -n 5 "$T/dpkg2.log")"
else
  notok "reinstall (dpkg -i again)" "$(tail -n 10 "$T/dpkg2.log")"
fi
[[ -d /run/systemd/system ]] && deb-systemd-invoke stop ogi-desk.service >/dev/null 2>&1

if command -v systemd-analyze >/dev/null; then
  if out=$(systemd-analyze verify /lib/systemd/system/ogi-desk.service 2>&1); [[ -z $out ]]; then ok "systemd-analyze verify"; else
    notok "systemd-analyze verify" "$out"
  fi
  if sec=$(systemd-analyze security --offline=true --no-pager /lib/systemd/system/ogi-desk.service 2>&1); then
    exposure=$(echo "$sec" | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p')
    [[ -n $exposure ]] && awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' &&
      ok "systemd-analyze security: exposure $exposure ($(echo "$sec" | tail -n 1 | sed 's/.*: [0-9.]* //'))" ||
      notok "systemd-analyze security (exposure ≤ 2.0)" "$(echo "$sec" | tail -n 1)"
  else
    skip "systemd-analyze security" "no --offline support"
  fi
else
  skip "systemd-analyze" "not installed"
fi

# The unit's ExecStart, as its User=, in its WorkingDirectory with its UMask, the source trees'
# data hidden (the program would otherwise fall back to OGI_SOURCE_DIR, set at build time).
exec_start=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/ogi-desk.service)
unit_user=$(sed -n 's/^User=//p' /lib/systemd/system/ogi-desk.service)
read -r -a exec_words <<<"$exec_start"
run_dir=$(mktemp -d /tmp/ogi-package-run.XXXXXX)
chown "$unit_user" "$run_dir"
tracer=(runuser -u "$unit_user" --)
traced=0
if strace -V >/dev/null 2>&1; then
  tracer=(strace -f -qq -o "$T/strace.log" -u "$unit_user" --)
  traced=1
fi
cat >"$T/launch.sh" <<'LAUNCH'
#!/bin/sh
# Run inside `unshare -m`: hide the source tree's data, then start like systemd would.
for src in $1; do
  for d in "$src/workflow" "$src/templates"; do
    if [ -d "$d" ]; then mount -t tmpfs -o ro,size=4k tmpfs "$d" || exit 97; fi
  done
done
shift
cd /var/lib/ogi-desk || exit 98
umask 027
# systemd's environment for a system service with User=ogi, not the caller's.
exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
  HOME=/var/lib/ogi-desk USER=ogi LOGNAME=ogi SHELL=/usr/sbin/nologin "$@"
LAUNCH
hidden=1
unshare -m true 2>/dev/null || hidden=0
launch=(sh "$T/launch.sh" "")
hide=$SRC
[[ -n ${BUILD_SRC:-} && $BUILD_SRC != "$SRC" ]] && hide="$SRC $BUILD_SRC"
((hidden)) && launch=(unshare -m --propagation private sh "$T/launch.sh" "$hide")
"${launch[@]}" "${tracer[@]}" "${exec_words[@]}" --listen 127.0.0.1:0 --port-file "$run_dir/port" >"$T/server.log" 2>&1 &
wrapper=$!
for _ in $(seq 100); do [[ -s $run_dir/port ]] && break; sleep 0.2; done
port=$(cat "$run_dir/port" 2>/dev/null)
server=$(pgrep -u "$unit_user" -x ogi | head -n 1)
if [[ -n $port && -n $server ]]; then
  ok "ExecStart as $unit_user: listening on 127.0.0.1:$port (pid $server$( ((traced)) && echo ", under strace")$( ((hidden)) || echo ", source tree NOT hidden"))"
else
  notok "service started" "$(tail -n 10 "$T/server.log")"
  tap_finish
fi
((hidden)) && ok "data found under /usr/share/ogi with workflow/ and templates/ of $hide hidden"
base=http://127.0.0.1:$port
[[ $(curl -s --max-time 10 "$base/healthz") == '{"status":"ok"}' ]] && ok "GET /healthz" || notok "GET /healthz" "$(curl -s -i "$base/healthz" | head -3)"
page=$(curl -s --max-time 10 -w '\n%{http_code}' "$base/login")
[[ ${page##*$'\n'} == 200 && $page == *"<form"* ]] && ok "GET /login: the login page" || notok "login page" "$(echo "$page" | tail -n 3)"
curl -s --max-time 10 "$base/static/app.css" -o "$T/app.css" && cmp -s "$T/app.css" /usr/share/ogi/templates/ui/static/app.css &&
  ok "GET /static/app.css (installed file)" || notok "static CSS"
runuser -u ogi -- /usr/bin/ogi agency add --db "$db" --code PKG --name "Package test agency" >"$T/cli.log" 2>&1 &&
  echo 'package-test-pass-1' | runuser -u ogi -- /usr/bin/ogi user add --db "$db" --agency PKG --name pkgadmin --roles admin --password-stdin >>"$T/cli.log" 2>&1
login='{"username":"pkgadmin","password":"package-test-pass-1"}'
token=$(curl -s --max-time 10 -X POST "$base/api/v1/session" -d "$login" | sed -nE 's/.*"token":"([0-9a-f]+)".*/\1/p')
me=$(curl -s --max-time 10 -H "Authorization: Bearer $token" "$base/api/v1/me")
[[ -n $token && $me == *pkgadmin* ]] && ok "API login and /api/v1/me (the service writes its database)" || notok "API login" "$(cat "$T/cli.log") $me"

# The Dockerfile's HEALTHCHECK command, pointed at this instance (and at a closed port).
hc=$(echo "$dl" | sed -n 's/^HEALTHCHECK .* CMD //p')
if [[ -n $hc ]] && command -v bash >/dev/null; then
  closed=1
  while (echo >/dev/tcp/127.0.0.1/$((port + closed))) 2>/dev/null; do closed=$((closed + 1)); done
  sh -c "${hc//8080/$port}" 2>/dev/null && ! sh -c "${hc//8080/$((port + closed))}" 2>/dev/null &&
    ok "Dockerfile HEALTHCHECK command: healthy when serving, unhealthy on a closed port" || notok "HEALTHCHECK command" "$hc"
fi

# Through nginx: TLS, redirect, HSTS, body limits, login.
if ((have_nginx)); then
  free_port() { local p; while :; do p=$((20000 + RANDOM % 40000)); (echo >/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; return; }; done; }
  http_port=$(free_port)
  https_port=$(free_port)
  sed -e "s#/etc/ssl/certs/ogi-desk.crt#$T/nginx/tls/cert.pem#" -e "s#/etc/ssl/private/ogi-desk.key#$T/nginx/tls/key.pem#" \
    -e "s#server 127.0.0.1:8080#server 127.0.0.1:$port#" -e '/listen \[::\]/d' \
    -e "s#listen 80;#listen 127.0.0.1:$http_port;#" -e "s#listen 443 ssl#listen 127.0.0.1:$https_port ssl#" \
    "$NGINX_SRC" >"$T/nginx/site.conf"
  nginx_wrapper "$T/nginx/site.conf"
  nginx_conf=$T/nginx/nginx.conf
  if nginx -c "$nginx_conf" -e "$T/nginx/error.log" 2>"$T/nginx/start.log"; then
    for _ in $(seq 25); do [[ -s $T/nginx/nginx.pid ]] && break; sleep 0.2; done
    tls=https://127.0.0.1:$https_port
    [[ $(curl -sk --max-time 10 "$tls/healthz") == '{"status":"ok"}' ]] && ok "nginx → ogi over HTTPS: /healthz" ||
      notok "HTTPS /healthz" "$(tail -n 5 "$T/nginx/error.log")"
    headers=$(curl -sk --max-time 10 -D - -o /dev/null "$tls/login")
    echo "$headers" | grep -qi '^strict-transport-security: max-age=63072000' && echo "$headers" | grep -q '^HTTP/[0-9.]* 200' &&
      ok "HTTPS login page with HSTS" || notok "HSTS" "$headers"
    redirect=$(curl -s --max-time 10 -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http_port/cases?q=1")
    [[ $redirect == "301 https://127.0.0.1/cases?q=1" ]] && ok "HTTP → HTTPS redirect (301)" || notok "redirect" "$redirect"
    proto=$(curl -sk -v --max-time 10 -o /dev/null "$tls/healthz" 2>&1 | sed -n 's/.*SSL connection using \(TLSv[0-9.]*\).*/\1/p')
    tls12=$(curl -sk -v --tlsv1.2 --tls-max 1.2 --max-time 10 -o /dev/null "$tls/healthz" 2>&1 | sed -n 's/.*SSL connection using \(TLSv[0-9.]*\).*/\1/p')
    [[ $proto == TLSv1.3 && $tls12 == TLSv1.2 ]] && ok "TLS 1.3 negotiated, TLS 1.2 accepted" || notok "TLS versions" "default: $proto, 1.2: $tls12"
    token2=$(curl -sk --max-time 10 -X POST "$tls/api/v1/session" -d "$login" | sed -nE 's/.*"token":"([0-9a-f]+)".*/\1/p')
    [[ -n $token2 ]] && ok "API login through nginx" || notok "API login through nginx"
    big=$(curl -sk --max-time 30 -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/octet-stream' \
      --data-binary @<(head -c $(((server_mib + 1) << 20)) /dev/zero) "$tls/api/v1/session")
    [[ $big == 413 ]] && ok "$((server_mib + 1)) MiB body: 413 from nginx" || notok "body over the limit" "$big"
    mid=$(curl -sk --max-time 30 -D - -o "$T/mid.out" -X POST --data-binary @<(head -c $((2 << 20)) /dev/zero) "$tls/api/v1/session")
    echo "$mid" | grep -q '^HTTP/[0-9.]* 413' && echo "$mid" | grep -qi '^content-type: application/json' &&
      ok "2 MiB body reaches the server, which applies its own route limit (413 JSON)" || notok "mid-size body" "$(echo "$mid" | head -3)"
    kill -QUIT "$(cat "$T/nginx/nginx.pid")" 2>/dev/null
    for _ in $(seq 25); do [[ -e $T/nginx/nginx.pid ]] || break; sleep 0.2; done
  else
    notok "nginx starts" "$(cat "$T/nginx/start.log" "$T/nginx/error.log" 2>/dev/null | tail -5)"
  fi
fi

# SIGTERM, as `systemctl stop` sends it: requests finish, exit 0.
kill -TERM "$server"
rc=124
for _ in $(seq 75); do kill -0 "$wrapper" 2>/dev/null || break; sleep 0.2; done
if ! kill -0 "$wrapper" 2>/dev/null; then wait "$wrapper"; rc=$?; fi
[[ $rc == 0 ]] && grep -q 'stopping' "$T/server.log" && ok "SIGTERM: clean stop, exit 0" || notok "SIGTERM" "rc=$rc $(tail -n 3 "$T/server.log")"
server=""
wrapper=""

# What the process did, against what the unit's sandbox allows.
if ((traced)); then
  expand() {  # @group → its system calls, nested groups expanded
    systemd-analyze syscall-filter --no-pager "$1" 2>/dev/null | sed 's/#.*//; s/^ *//; /^$/d' | tail -n +2 | while read -r w; do
      if [[ $w == @* ]]; then expand "$w"; else echo "$w"; fi
    done
  }
  expand @system-service | sort -u >"$T/allow"
  { expand @privileged; expand @resources; } | sort -u >"$T/deny"
  # Only what follows the exec of the program (strace's own setup before it is systemd's).
  awk 'f || /execve\("\/usr\/bin\/ogi"/ {f=1; print}' "$T/strace.log" >"$T/trace"
  awk '$2 !~ /^(\+\+\+|---)/ { n = ($2 == "<...") ? $3 : $2; sub(/\(.*/, "", n); if (n ~ /^[a-z0-9_]+$/) print n }' "$T/trace" | sort -u >"$T/used"
  outside=$(comm -23 "$T/used" "$T/allow" | tr '\n' ' ')
  denied=$(comm -12 "$T/used" "$T/deny" | tr '\n' ' ')
  if [[ -s $T/allow && -s $T/used && -z $outside && -z $denied ]]; then
    ok "SystemCallFilter: all $(wc -l <"$T/used") system calls used are in @system-service, none in @privileged/@resources"
  else
    notok "system calls outside the unit's filter" "not in @system-service: ${outside:-none}" "in ~@privileged @resources: ${denied:-none}"
  fi
  wx=$(grep -E '(mmap|mprotect|pkey_mprotect)\(.*PROT_WRITE\|PROT_EXEC|PROT_EXEC\|PROT_WRITE' "$T/trace" | head -2)
  [[ -z $wx ]] && ok "MemoryDenyWriteExecute: no writable+executable mapping" || notok "writable+executable memory" "$wx"
  fams=$(grep -o 'socket(AF_[A-Z0-9]*' "$T/trace" | sed 's/socket(//' | sort -u | paste -sd ' ')
  [[ -z $(echo "$fams" | tr ' ' '\n' | grep -vxE 'AF_UNIX|AF_INET|AF_INET6|') ]] && ok "RestrictAddressFamilies: sockets used: ${fams:-none}" ||
    notok "socket families" "$fams"
  writes=$(grep -E '^[0-9]+ +(openat|open|creat|mkdir|mkdirat|unlink|unlinkat|rename|renameat|renameat2|link|linkat|symlink|symlinkat|truncate|chmod|fchmodat)\(' "$T/trace" |
    grep -E 'O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|^[0-9]+ +(creat|mkdir|unlink|rename|link|symlink|truncate|chmod|fchmodat)' |
    grep -o '"/[^"]*"' | tr -d '"' | grep -vE "^($STATE(/|$)|/tmp/|/var/tmp/|/dev/(null|zero|full|u?random)$|$run_dir/)" | sort -u | head -5)
  [[ -z $writes ]] && ok "ProtectSystem=strict: writes only under $STATE" || notok "writes outside the state directory" "$writes"
  # glibc's malloc reads /proc/sys/vm/overcommit_memory before giving heap memory back; when it
  # cannot (ProcSubset=pid hides it) it assumes "not 2", the default: harmless.
  procs=$(grep -o '"/proc/[^"]*"' "$T/trace" | tr -d '"' | grep -vE '^/proc/(self|thread-self|[0-9]+)(/|$)' |
    grep -vxF /proc/sys/vm/overcommit_memory | sort -u | head -5)
  [[ -z $procs ]] && ok "ProcSubset=pid: no system-wide /proc file read (but glibc's overcommit_memory probe)" ||
    notok "/proc files outside the process's own" "$procs"
  homes=$(grep -oE '"(/home|/root|/run/user)(/[^"]*)?"' "$T/trace" | sort -u | head -3)
  [[ -z $homes ]] && ok "ProtectHome: /home, /root, /run/user not touched" || notok "home directories touched" "$homes"
  from_usr=$(grep -c 'openat(.*"/usr/share/ogi/workflow/lifecycle.wf".* = [0-9]' "$T/trace")
  from_src=$(grep -cE "\"($SRC|${BUILD_SRC:-$SRC})/(workflow|templates)" "$T/trace")
  [[ $from_usr -ge 1 && $from_src == 0 ]] && ok "the workflow was read from /usr/share/ogi, nothing from the source tree" ||
    notok "data location" "from /usr/share/ogi: $from_usr, from the source tree: $from_src"
fi

# ---------------------------------------------------------------- 4. purge
if dpkg --purge ogi-desk >"$T/purge.log" 2>&1; then ok "dpkg --purge"; else notok "dpkg --purge" "$(tail -n 10 "$T/purge.log")"; fi
installed=0
left=()
pkg_present && left+=("package status")
for p in /usr/bin/ogi /usr/share/ogi /usr/share/doc/ogi-desk /etc/ogi-desk /lib/systemd/system/ogi-desk.service "$STATE" \
  /etc/systemd/system/multi-user.target.wants/ogi-desk.service /etc/systemd/system/ogi-desk.service \
  /var/lib/systemd/deb-systemd-helper-enabled/ogi-desk.service /var/lib/systemd/deb-systemd-helper-masked/ogi-desk.service \
  /var/lib/systemd/deb-systemd-helper-enabled/multi-user.target.wants/ogi-desk.service; do
  [[ -e $p || -L $p ]] && left+=("$p")
done
getent passwd ogi >/dev/null && left+=("user ogi")
getent group ogi >/dev/null && left+=("group ogi")
[[ ${#left[@]} == 0 ]] && ok "nothing left: files, state, configuration, user, group, enable links" || notok "left behind after purge" "${left[@]}"

echo "# $(($(date +%s) - start_time)) s"
tap_finish
