#!/usr/bin/env bash
# Installs what the browser, image, chart, systemd, promtool and README-flow
# (curl, jq) tests need,
# only when missing: one quiet apt-get run at most, then helm with go install.
# A second run finds everything and returns at once.
set -euo pipefail

HELM_VERSION=v3.21.4

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need chromium chromium
need podman podman
need runc runc
need promtool prometheus
need systemd-analyze systemd
need npm npm
need jq jq
need curl curl

if ((${#missing[@]})); then
	sudo=""
	if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
	echo "ci: installing ${missing[*]}"
	$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

gobin="$(go env GOPATH)/bin"
if ! command -v helm >/dev/null 2>&1 && [ ! -x "$gobin/helm" ]; then
	echo "ci: installing helm $HELM_VERSION"
	go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
fi
