#!/bin/sh
# trunk post_build hook of the demo (Trunk.toml): runs in trunk's staging directory, before it
# replaces dist/. POSIX sh + awk + cksum only.
#
# 1. Moves trunk's inline start-up <script type="module"> (and, under `trunk serve`, its auto-reload
#    <script>) into files, so the Content-Security-Policy can forbid inline scripts (script-src 'self').
# 2. Stamps a build id (a checksum of every output file) into index.html
#    (<meta name="localful-build">) and prepends it and the asset list to sw.js, so the service
#    worker precaches exactly this build's (hashed) files and changes whenever the build does.
# 3. With LOCALFUL_SERVER_URL set (a sync server on another origin), allows it in connect-src.
set -eu
cd "${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
PUBLIC_URL="${TRUNK_PUBLIC_URL:-/}"

# move_inline OPEN REPLACEMENT OUT: writes the body of the first inline script opened by the exact
# tag OPEN to OUT and puts REPLACEMENT in its place, index.html -> index.html.tmp (OUT is not
# written when there is no such script).
move_inline() {
  awk -v open="$1" -v repl="$2" -v out="$3" 'BEGIN { RS = "\001" }
  {
    i = index($0, open)
    if (i == 0) { printf "%s", $0; next }
    rest = substr($0, i + length(open))
    j = index(rest, "</script>")
    printf "%s", substr(rest, 1, j - 1) > out
    printf "%s%s%s", substr($0, 1, i - 1), repl, substr(rest, j + 9)
  }' index.html > index.html.tmp
}

# 1. The inline start-up script -> boot-<checksum>.js
move_inline '<script type="module">' '<script type="module" src="__LOCALFUL_BOOT__"></script>' boot.js.tmp
if [ -f boot.js.tmp ]; then
  boot="boot-$(cksum < boot.js.tmp | cut -d' ' -f1).js"
  mv boot.js.tmp "$boot"
  sed "s|__LOCALFUL_BOOT__|${PUBLIC_URL}${boot}|" index.html.tmp > index.html
fi
rm -f index.html.tmp

# 1b. `trunk serve` appends its auto-reload <script> (inline, classic) to <body>: -> reload-<checksum>.js.
#     trunk fills its two placeholders only in HTML responses, so the file gets what trunk would
#     put there without a Host header: the page's own host, and the public URL as the base.
move_inline '<script>' '<script src="__LOCALFUL_RELOAD__"></script>' reload.js.tmp
if [ -f reload.js.tmp ]; then
  sed -e "s|'{{__TRUNK_ADDRESS__}}'|window.location.host|; s|{{__TRUNK_WS_BASE__}}|${PUBLIC_URL}|" reload.js.tmp > reload.js.tmp2
  reload="reload-$(cksum < reload.js.tmp2 | cut -d' ' -f1).js"
  mv reload.js.tmp2 "$reload"
  rm -f reload.js.tmp
  sed "s|__LOCALFUL_RELOAD__|${PUBLIC_URL}${reload}|" index.html.tmp > index.html
fi
rm -f index.html.tmp

# 3. The configured sync server in connect-src (same origin needs nothing: 'self').
if [ -n "${LOCALFUL_SERVER_URL:-}" ]; then
  origin=$(printf '%s' "$LOCALFUL_SERVER_URL" | sed -E 's|^(https?://[^/]+).*|\1|')
  ws=$(printf '%s' "$origin" | sed -E 's|^http|ws|')
  sed "s|connect-src 'self'|connect-src 'self' ${origin} ${ws}|" index.html > index.html.tmp && mv index.html.tmp index.html
fi

# 2. Build id and precache list.
build=$(find . -type f ! -name sw.js | LC_ALL=C sort | while IFS= read -r f; do cat "$f"; done | cksum | cut -d' ' -f1)
sed "s|</head>|<meta name=\"localful-build\" content=\"${build}\"></head>|" index.html > index.html.tmp && mv index.html.tmp index.html
list=$(mktemp)
{
  printf 'const BUILD = "%s";\nconst ASSETS = [\n' "$build"
  find . -type f ! -name sw.js | sed 's|^\./||' | LC_ALL=C sort | while IFS= read -r f; do
    printf '  "%s%s",\n' "$PUBLIC_URL" "$f"
  done
  printf '];\n'
  cat sw.js
} > "$list"
cat "$list" > sw.js
rm -f "$list"
echo "localful post-build: build ${build}, $(find . -type f | wc -l | tr -d ' ') files"
