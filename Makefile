# The two commands of README.md. Both start (or reuse) a private PostgreSQL
# cluster under ./.local/ unless DATABASE_URL is given.

SHELL := /bin/bash
CARGO ?= cargo
TEST_THREADS ?= 4

.PHONY: run test test-browser build db-stop lint deb test-package

run:
	@set -euo pipefail; \
	url="$${DATABASE_URL:-$$(scripts/pg.sh ensure rencontre)}"; \
	$(CARGO) build --release --quiet; \
	export DATABASE_URL="$$url"; \
	target/release/rencontre migrate; \
	target/release/rencontre demo; \
	echo; \
	echo "Rencontre serves on $${RENCONTRE__HTTP__PUBLIC_URL:-http://127.0.0.1:8080}"; \
	echo "  demo event:      /events/dakar-2005"; \
	echo "  back office:     /admin   (demo organiser: demo@example.org / rencontre-demo)"; \
	echo; \
	exec target/release/rencontre serve

# Then the JSON API against its OpenAPI document (scripts/fuzz-api.sh: the
# document validated, Schemathesis installed into .local/ when missing).
test:
	@set -euo pipefail; \
	url="$${DATABASE_URL:-$$(scripts/pg.sh ensure rencontre_test)}"; \
	export DATABASE_URL="$$url" RENCONTRE_ENV=test; \
	if $(CARGO) nextest --version >/dev/null 2>&1; then \
		$(CARGO) nextest run --no-fail-fast --test-threads $(TEST_THREADS); \
	else \
		$(CARGO) test --no-fail-fast -- --test-threads=$(TEST_THREADS); \
	fi; \
	CARGO="$(CARGO)" scripts/fuzz-api.sh

# The public pages and the back office in Debian's Chromium (installs it,
# and browser/'s npm packages, when missing). See browser/run.sh.
test-browser:
	@browser/run.sh

# The Debian package (target/debian/rencontre_*.deb); installs cargo-deb
# when missing. See docs/production.md.
deb:
	@scripts/deb.sh

# Builds the package, installs it on this machine (root; CI) and serves
# through it over HTTPS behind nginx, then purges it. See the script.
test-package:
	@scripts/test-package.sh

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --all-targets -- -D warnings

db-stop:
	@scripts/pg.sh stop

# Builds in release mode, runs the scenarios of BENCHMARKS.md against a
# PostgreSQL cluster of its own (.local/bench-pg) and rewrites BENCHMARKS.md.
.PHONY: bench
bench:
	@bench/run.sh
