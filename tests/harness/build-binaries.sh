#!/usr/bin/env bash
# Builds the test harness binaries from the Go module proxy at the versions pinned in versions.env:
# kube-apiserver, kube-controller-manager, kube-scheduler, kubectl (k8s wrapper module), etcd,
# kwok, helm and k8s-digester. Output goes to a cache outside the repo; existing binaries are kept.
# usage: tests/harness/build-binaries.sh            (prints the bin directory on the last line)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"
CACHE=${STATELESS_CI_CACHE:-$HOME/.cache/stateless-ci}
BIN="$CACHE/bin"
WORK="$CACHE/build"
mkdir -p "$BIN" "$WORK"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod

log() { printf '[build-binaries] %s\n' "$*" >&2; }
have() { [ -x "$BIN/$1" ] && [ -f "$BIN/.$1.version" ] && [ "$(cat "$BIN/.$1.version")" = "$2" ]; }
mark() { echo "$2" >"$BIN/.$1.version"; }
timed() { local name=$1; shift; local t0=$SECONDS; "$@"; log "$name built in $((SECONDS - t0))s"; }

build_k8s() {
  local v=$K8S_VERSION minor
  minor=$(echo "$v" | cut -d. -f2)
  if have kube-apiserver "$v" && have kube-controller-manager "$v" && have kube-scheduler "$v" && have kubectl "$v"; then return; fi
  local d="$WORK/k8s-$v"; mkdir -p "$d"
  local gomod
  gomod=$(go mod download -json "k8s.io/kubernetes@$v" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  {
    echo "module local.test/k8sbins"; echo; echo "go 1.26.0"; echo
    echo "require k8s.io/kubernetes $v"; echo; echo "replace ("
    sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$gomod" | sort -u |
      while read -r m; do echo "	$m => $m v0.$minor.${v##*.}"; done
    echo ")"
  } >"$d/go.mod"
  cat >"$d/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
  (cd "$d" && go mod tidy >/dev/null 2>&1 || go mod tidy)
  local ld="-s -w" p date
  date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
    ld="$ld -X $p.gitCommit=0000000000000000000000000000000000000000 -X $p.buildDate=$date"
  done
  (cd "$d" && go build -trimpath -ldflags "$ld" -o "$BIN/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
  for p in kube-apiserver kube-controller-manager kube-scheduler kubectl; do mark "$p" "$v"; done
}

# Builds through a throwaway main module: `go install pkg@version` also asks the proxy for the
# module's version list (deprecation check), which this proxy refuses for some modules
# (github.com/google/k8s-digester); `go build` inside a module does not. etcd needs it anyway:
# its server module carries replace directives that `go install` rejects.
build_wrapped() { # name version module package-path
  have "$1" "$2" && return
  local d="$WORK/$1-$2"; mkdir -p "$d"
  printf 'module local.test/%sbin\n\ngo 1.26.0\n\nrequire %s %s\n' "$1" "$3" "$2" >"$d/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$4" >"$d/tools.go"
  (cd "$d" && go mod tidy >/dev/null && go build -trimpath -ldflags "-s -w" -o "$BIN/$1" "$4")
  mark "$1" "$2"
}

build_plain() { # name version package-path ldflags
  have "$1" "$2" && return
  GOBIN="$BIN" go install -trimpath -ldflags "-s -w $4" "$3@$2"
  mark "$1" "$2"
}

what=${1:-all}
case "$what" in
  all|k8s) timed kubernetes build_k8s ;;&
  all|etcd) timed etcd build_wrapped etcd "$ETCD_VERSION" go.etcd.io/etcd/server/v3 go.etcd.io/etcd/server/v3 ;;&
  all|kwok) timed kwok build_plain kwok "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok "" ;;&
  all|helm) timed helm build_plain helm "$HELM_VERSION" helm.sh/helm/v4/cmd/helm \
    "-X helm.sh/helm/v4/internal/version.version=$HELM_VERSION -X helm.sh/helm/v4/internal/version.gitTreeState=clean" ;;&
  all|digester) timed k8s-digester build_wrapped k8s-digester "$DIGESTER_VERSION" github.com/google/k8s-digester github.com/google/k8s-digester ;;&
  *) ;;
esac
echo "$BIN"
