# gopherscope — one entry point for building, testing and running.
# Real components (kube-apiserver, etcd, kubectl, dlv, the Go demo) are built
# by testenv/setup.sh into $(GOPHERSCOPE_CACHE) and reused on later runs.

SHELL := /bin/bash
MVN ?= mvn -B -ntp
export GOPHERSCOPE_CACHE ?= $(HOME)/.cache/gopherscope
include testenv/versions.env
HELM := $(GOPHERSCOPE_CACHE)/bin/helm-$(HELM_VERSION)/helm

IMAGE_REGISTRY ?=

.PHONY: help testenv build test unit it it-faults demo demo-down bench crds helm-lint images image-tars node-parts node-up node-down clean install-plugin plugin-archive plugin-startup

help:
	@echo "make demo       run the main job on the embedded default (see README)"
	@echo "make demo-down  stop what make demo started and remove demo-out/"
	@echo "make test       unit + integration tests against real components"
	@echo "make unit       unit tests only (no real components)"
	@echo "make it         integration tests only"
	@echo "make it-faults  the slow fault-injection tests (kills, outages, restarts, token expiry; ~15 min)"
	@echo "make build      compile and package every module"
	@echo "make install-plugin DIR=~/bin   install kubectl gopherscope into DIR (put DIR on PATH)"
	@echo "make plugin-archive  the plugin as a tar.gz with its sha256, for a krew manifest"
	@echo "make plugin-startup  measure the plugin's start-up with and without its AppCDS archive"
	@echo "make testenv    build/cache kube-apiserver, etcd, kubectl, dlv, the demo service"
	@echo "make node-up    a real single-node cluster here (kubelet, containerd), with the images imported"
	@echo "make node-down  stop it and remove its state"
	@echo "make crds       regenerate the CRD YAML from the API classes (and the chart's copy)"
	@echo "make bench      run the benchmarks in bench/"
	@echo "make helm-lint  lint the Helm chart"
	@echo "make image-tars operator, sidecar and s3proxy OCI tarballs (*/target/jib-image.tar), built FROM scratch"
	@echo "make images IMAGE_REGISTRY=host/path   push the three images (no Docker needed)"
	@echo "make clean      remove build output (not the cache)"

testenv:
	@bash testenv/setup.sh

build:
	$(MVN) -DskipTests package

test: testenv node-parts
	@bash testenv/build-tools.sh --test
	$(MVN) verify

# What the real node needs (LocalNodeE2E, make demo, make bench BENCH=node): its components and the
# three images. A machine that cannot run it (not root, no cgroups, ...) is told why, and those skip.
node-parts:
	@if reason=$$(bash testenv/node.sh check); then bash testenv/build-node.sh && bash images/build-images.sh tar; \
	  else echo "[testenv] no real node on this machine ($$reason): LocalNodeE2E, the node demo and the node bench will be skipped"; fi

# kubectl finds kubectl-gopherscope on PATH; its jars go to DIR/gopherscope-plugin/lib. The first run
# after installing writes the AppCDS archive, so install runs one (a dry run needs no cluster).
install-plugin:
	@if [[ -z "$(DIR)" ]]; then echo "usage: make install-plugin DIR=<a directory on your PATH>" >&2; exit 2; fi
	$(MVN) -q -DskipTests package -pl plugin -am
	@mkdir -p "$(DIR)"
	@rm -rf "$(DIR)/gopherscope-plugin" && mkdir -p "$(DIR)/gopherscope-plugin/lib"
	@cp plugin/target/gopherscope-plugin/lib/*.jar "$(DIR)/gopherscope-plugin/lib/"
	@install -m 755 plugin/target/kubectl-gopherscope "$(DIR)/kubectl-gopherscope"
	@"$(DIR)/kubectl-gopherscope" goroutines --dry-run -l app=example -n default >/dev/null
	@echo "installed $(DIR)/kubectl-gopherscope; with $(DIR) on PATH, 'kubectl gopherscope --help' runs it"

plugin-archive:
	$(MVN) -q -DskipTests package -pl plugin -am
	@tar -C plugin/target -czf plugin/target/kubectl-gopherscope.tar.gz kubectl-gopherscope gopherscope-plugin/lib
	@cd plugin/target && sha256sum kubectl-gopherscope.tar.gz

plugin-startup:
	$(MVN) -q -DskipTests package -pl plugin -am
	@bash plugin/measure-startup.sh plugin/target/kubectl-gopherscope 9

unit:
	$(MVN) test

it: testenv
	$(MVN) verify -Dsurefire.skip=true

# *FaultIT: SIGKILLs, object-store and API-server outages, operator restarts, token expiry. Slow, so
# not part of `make test`; .ci/run runs both.
it-faults: testenv
	@bash testenv/build-tools.sh
	$(MVN) verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='*FaultIT' -Dfailsafe.failIfNoSpecifiedTests=false

demo: testenv node-parts
	@echo "[demo] building gopherscope (Maven, offline after the first run)"
	@$(MVN) -q -DskipTests install -pl demo,sidecar,plugin -am
	java -cp demo/target/gopherscope-demo-0.1.0-SNAPSHOT.jar:$$(cat demo/target/classpath.txt) \
	  dev.gopherscope.demo.LocalDemo demo-out sidecar/target/classpath.txt sidecar/target/gopherscope-sidecar-0.1.0-SNAPSHOT.jar

demo-down:
	@pkill -f 'dev[.]gopherscope[.]demo[.]LocalDemo' 2>/dev/null || true
	@rm -rf demo-out
	@echo "[demo] stopped; demo-out/ removed"

# BENCH=name runs one of pause, profile-processing, attach-pause, session-latency, footprint, node,
# runtime-captures, capture-cost, trigger, operator-scale;
# results go to bench/results.md and bench/results.json.
bench: testenv
	@if [[ -z "$(BENCH)" || " $(BENCH) " == *" node "* ]]; then $(MAKE) --no-print-directory node-parts; fi
	@$(MVN) -q -DskipTests install -pl bench -am
	java -cp bench/target/gopherscope-bench-0.1.0-SNAPSHOT.jar:$$(cat bench/target/classpath.txt) \
	  dev.gopherscope.bench.BenchMain $(BENCH)

crds:
	$(MVN) -pl crds -am test -Dgopherscope.crds.update=true -Dtest=CrdDriftTest -Dsurefire.failIfNoSpecifiedTests=false
	cp crds/generated/*.yml helm/gopherscope/crds/
	@echo "crds/generated/ and helm/gopherscope/crds/ rewritten from the API classes; review and commit them"

helm-lint:
	@bash testenv/build-tools.sh
	$(HELM) lint --strict helm/gopherscope

images:
	@bash images/build-images.sh push "$(IMAGE_REGISTRY)"

image-tars:
	@bash images/build-images.sh tar
	@bash images/verify-image.sh

node-up: testenv image-tars
	@GOPHERSCOPE_NODE_IMAGES="$(CURDIR)/operator/target/jib-image.tar $(CURDIR)/sidecar/target/jib-image.tar $(CURDIR)/object-store/target/jib-image.tar" bash testenv/node.sh up

node-down:
	@bash testenv/node.sh down

clean:
	$(MVN) -q clean
