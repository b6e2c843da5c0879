# The whole interface of this repository. Nothing needs to be installed by hand first:
# every target that needs the virtualenv builds it (idempotently) from requirements-dev.txt.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 0
# the emulator's topology: sandbox, eu, scale:N or a path to a .yml (tests/emulator/README.md)
SEED ?= sandbox
# where `make dist` puts the tarball
DIST ?= dist
# where `make ee` renders the execution environment's build context
EE_CONTEXT ?= build/ee
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help venv emulator demo signin test lint sanity ansible-lint ruff iam-lint docs-lint benchmark benchmark-users dist ee clean

help:
	@echo "make venv       create .venv (python3.11) with everything; idempotent"
	@echo "make emulator   run the local AWS emulator in the foreground (PORT=N, default: a free port;"
	@echo "               SEED=sandbox|eu|scale:N|path.yml, default: sandbox)"
	@echo "make demo       start the emulator, configure the sandbox organisation, show the result"
	@echo "make test       everything CI runs: lint, sanity, unit, emulator and integration tests"
	@echo "make lint       ruff, ansible-lint (production profile), parliament on docs/iam, antsibull-docs, ansible-test sanity"
	@echo "make signin AGENT=dana.dev HOST=dev-east   sign in through a running emulator (AWS_ENDPOINT_URL)"
	@echo "make dist       build the collection tarball: dist/connect_sso-federation-<version>.tar.gz (DIST=dir)"
	@echo "make ee         render the execution environment's build context (ansible-builder create) into build/ee"
	@echo "               (EE_CONTEXT=dir); build the image from it with podman or docker: docs/awx.md"
	@echo "make benchmark  no-change run: this collection vs amazon.aws modules, side by side"
	@echo "make benchmark SCALE=N   also first/no-change/check runs over N accounts (2N instances); SCALE=5,100 for both"
	@echo "make benchmark-users  connect_saml_users over one instance with 1,000 mapped users: reads vs their bound (USERS=N)"

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt scripts/install_collections.py
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python scripts/install_collections.py
	touch $(STAMP)

emulator: venv
	cd tests && ../$(BIN)/python -m emulator --port $(PORT) --seed "$(if $(wildcard $(SEED)),$(abspath $(SEED)),$(SEED))"

demo: venv
	$(BIN)/python scripts/demo.py

benchmark: venv
	$(BIN)/python scripts/benchmark.py $(if $(SCALE),--scale $(SCALE))

benchmark-users: venv
	$(BIN)/python scripts/benchmark_users.py $(if $(USERS),--users $(USERS))

signin: venv
	$(BIN)/python scripts/signin.py --user "$(AGENT)" --host "$(HOST)"

# pytest-xdist: one worker per CPU, each with its own emulator (tests/conftest.py); a worker that runs out
# of tests takes some of the other's (worksteal), so the run does not end on one worker's long tail
test: venv lint
	$(BIN)/python -m pytest -n auto --dist worksteal

lint: ruff ansible-lint iam-lint docs-lint sanity

ruff: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

ansible-lint: venv
	$(BIN)/ansible-lint --profile production

# an independent IAM policy linter over the shipped policies: fails on a HIGH or CRITICAL finding
iam-lint: venv
	$(BIN)/python scripts/lint_iam.py

# the plugin and role docs as Ansible's docsite would build them: schema, markup, references to this
# collection and amazon.aws. antsibull-docs copies each collection as git lists its files;
# GIT_CEILING_DIRECTORIES keeps it from taking .collections (amazon.aws) for part of this repository,
# where git ignores it and nothing of it would be copied.
docs-lint: venv
	PATH="$(CURDIR)/$(BIN):$$PATH" GIT_CEILING_DIRECTORIES="$(CURDIR)/.collections" \
		$(BIN)/antsibull-docs lint-collection-docs --plugin-docs --validate-collection-refs dependent .

sanity: venv
	$(BIN)/python scripts/sanity.py

# the tarball to install with `ansible-galaxy collection install` (AWX, CI, a private Galaxy/Automation Hub)
dist: venv
	rm -f $(DIST)/connect_sso-federation-*.tar.gz
	$(BIN)/ansible-galaxy collection build --force --output-path $(DIST) .

# the execution environment's build context, with both collections in it as tarballs (no Galaxy needed
# to build the image); the image itself: `podman build -t <tag> build/ee` (docs/awx.md)
ee: dist
	$(BIN)/python scripts/ee_collections.py --dist $(DIST) --out build/ee-collections
	rm -rf $(EE_CONTEXT)
	$(BIN)/ansible-builder create --file execution-environment.yml --context $(EE_CONTEXT) --output-filename Containerfile

clean:
	rm -rf $(VENV) .collections .cache build dist tests/output
