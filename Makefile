# Developer workflow for the scada.redundancy collection (the repository root is the
# collection root).  `make help` lists the targets; `make test` is what CI runs.
#
# Everything is installed by these targets themselves: Debian packages (deps), the
# virtualenv from pinned requirements (venv), ansible-test's pip bootstrap (sanity).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

ROOT := $(CURDIR)
VENV ?= $(ROOT)/.venv
VPY := $(VENV)/bin/python

# The interpreter the venv is built from: 3.13, else 3.12, else 3.11 (tools/find_python).
# Override on the command line only: `make PYTHON=/path/to/python3.12 venv` (a PYTHON
# variable in the environment is ignored).
ifneq ($(origin PYTHON),command line)
PYTHON := $(shell tools/find_python 2>/dev/null)
endif
PY_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
ifeq ($(PY_VERSION),3.11)
REQUIREMENTS := requirements/dev-py311.txt
else
REQUIREMENTS := requirements/dev.txt
endif
STAMP := $(VENV)/.scada-stamp-py$(PY_VERSION)

# ansible finds the collection through a symlink tree under build/
COLLECTIONS_DIR := $(ROOT)/build/collections
COLLECTION_LINK := $(COLLECTIONS_DIR)/ansible_collections/scada/redundancy
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS_DIR)
# the venv's tools (ansible-playbook, ansible-test, ...) come first for every recipe
export PATH := $(VENV)/bin:$(PATH)

# Debian packages the tests need.  python3-venv is added only when
# the chosen interpreter cannot create a virtualenv with pip (Debian's own 3.11).  Mono
# compiles the GRAccess helper against the stub of GRAccess (grhelper-check) and runs it.
# Chromium renders the run report's HTML page headless (tests/integration/test_run_report.py).
APT_PACKAGES ?=
APT_PACKAGES += mono-mcs mono-runtime libmono-system-web-extensions4.0-cil
APT_PACKAGES += chromium
ifneq ($(PYTHON),)
ifneq ($(shell $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null && echo ok),ok)
APT_PACKAGES += python$(PY_VERSION)-venv
endif
endif
# pip warns about each configured local index that lacks a package; that is noise here
PIP_QUIET := 2>&1 | { grep -v "^WARNING: Location 'file:" || true; }
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

PYTEST_DIRS := $(wildcard tests/unit tests/twin tests/integration)
PYTEST_ARGS ?=
# pytest-xdist workers: the integration tests each start ansible-playbook, so both cores help
PYTEST_WORKERS ?= auto
# default per-test timeout (pytest-timeout); a `timeout` ini option or marker wins over it
export PYTEST_TIMEOUT ?= 900
LINT_PATHS := $(wildcard roles playbooks extensions/molecule)
PS1_PATHS := plugins
# The GRAccess helper the collection compiles on the GR node (csc.exe, C# 5, x86), checked
# here against a stub of the documented GRAccess interface.
GRHELPER_SRC := plugins/plugin_utils/grhelper/GRHelper.cs
GRSTUB_SRC := tests/grstub/ArchestrA.GRAccess.cs
GRHELPER_OUT := $(ROOT)/build/grhelper
KEEP_SANITY_TREE ?=

.PHONY: help deps venv collection test pytest sanity lint molecule docs-lint ps1-check grhelper-check changelog-lint demo bench bench-smoke requirements clean distclean ee-context matrix awx-check conformance

help:
	@cat <<'EOF'
	make demo            start a twin plant and run the main job against it (tools/demo.py)
	make bench           benchmarks against the twin at time scale 1.0 (~40 min): build/bench/results.{json,md}; BENCH_ARGS=...
	make bench-smoke     the same benchmarks on tiny inputs (seconds; pytest runs it in make test)
	make test            deps + venv + changelog-lint + docs-lint + ps1-check + grhelper-check + lint + sanity + pytest + molecule + matrix + awx-check
	make venv            build or refresh .venv from $(REQUIREMENTS) (Python $(or $(PY_VERSION),?)) + twin/
	make collection      symlink build/collections/ansible_collections/scada/redundancy -> repo root
	make pytest          pytest $(PYTEST_DIRS) (extra options: PYTEST_ARGS=...)
	make matrix          the support matrix's old-core leg: oldest claimed ansible-core on Python 3.11 (.venv-py311), a test subset
	make awx-check       install awx.awx (build/awx-collections), syntax-check and lint the AWX-as-code playbook (awx/)
	make molecule        molecule test --all: the redundant update's scenarios against plant twins (extensions/molecule/)
	make sanity          ansible-test sanity --python $(PY_VERSION) on the built collection, no Docker
	make conformance     INVENTORY=inventory.winrm: the agent's conformance suite on your Windows hosts (docs/windows-lab.md); TARGETS=...
	make lint            ansible-lint (profile production) over $(or $(LINT_PATHS),roles/ playbooks/ extensions/molecule/)
	make ps1-check       tree-sitter syntax check of every *.ps1 under plugins/
	make grhelper-check  compile the GRAccess helper (C# 5, x86) against the GRAccess stub
	make changelog-lint  antsibull-changelog lint
	make deps            apt-get install the Debian packages the tests need (skipped when present)
	make requirements    re-resolve requirements/*.txt from requirements/*.in
	make ee-context      ansible-builder create: build/ee/context for an execution environment image (execution-environment.yml)
	make clean           remove build/ and caches;  make distclean  also removes .venv
	EOF

deps:
	@missing=""
	for pkg in $(APT_PACKAGES); do
	    dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$pkg"
	done
	if [ -z "$$missing" ]; then
	    echo "deps: Debian packages present ($(or $(strip $(APT_PACKAGES)),none needed yet))"
	else
	    echo "deps: installing Debian packages:$$missing"
	    $(SUDO) apt-get update -qq
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing
	fi

venv: $(STAMP)

# Rebuilt when the pins, the twin's metadata or the interpreter choice change.  The venv is
# recreated when it is missing, broken or of another Python version, else refreshed in place.
$(STAMP): $(REQUIREMENTS) twin/pyproject.toml tools/find_python | deps
	@if [ -z "$(PY_VERSION)" ]; then
	    echo "venv: no usable Python 3.13, 3.12 or 3.11 (tools/find_python); set PYTHON=..." >&2
	    exit 1
	fi
	echo "venv: $(VENV) with $(PYTHON) (Python $(PY_VERSION)) from $(REQUIREMENTS)"
	if [ "$$($(VPY) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" != "$(PY_VERSION)" ] \
	        || ! $(VPY) -m pip --version >/dev/null 2>&1; then
	    rm -rf "$(VENV)"
	    "$(PYTHON)" -m venv "$(VENV)"
	fi
	rm -f "$(VENV)"/.scada-stamp-py*
	$(VPY) -m pip install --quiet --disable-pip-version-check $$(grep -E '^pip==' $(REQUIREMENTS)) $(PIP_QUIET)
	$(VPY) -m pip install --quiet -r $(REQUIREMENTS) $(PIP_QUIET)
	$(VPY) -m pip install --quiet --no-build-isolation -c $(REQUIREMENTS) -e twin $(PIP_QUIET)
	$(VPY) -m pip check
	touch "$@"

collection:
	@mkdir -p "$(dir $(COLLECTION_LINK))"
	ln -sfn ../../../.. "$(COLLECTION_LINK)"
	test -f "$(COLLECTION_LINK)/galaxy.yml"

test: deps venv collection changelog-lint docs-lint ps1-check grhelper-check lint sanity pytest molecule matrix awx-check
	@echo "make test: all parts passed"

pytest: venv collection
	@start=$$SECONDS
	$(VPY) -m pytest $(PYTEST_DIRS) -n $(PYTEST_WORKERS) $(PYTEST_ARGS)
	echo "== pytest passed in $$((SECONDS - start))s"

# Every scenario under extensions/molecule/ (molecule's --workers mode shares one
# create/destroy between scenarios; each of ours starts its own twin). The Power Operation
# scenarios and the System Platform ones (sp_*) run as two molecule processes side by side:
# their twins listen on different loopback addresses, and a scenario and its _psrp variant
# (same addresses) stay in one process, one after the other. Each process's output is shown
# when it ends. Molecule finds the collection through ANSIBLE_COLLECTIONS_PATH
# (build/collections, exported above and set again in extensions/molecule/config.yml, whose
# prerun: false stops molecule installing a copy under ~/.ansible). One scenario:
# make molecule MOLECULE_ARGS='-s default'.
MOLECULE_ARGS ?= --all
MOLECULE_SCENARIOS := $(notdir $(patsubst %/molecule.yml,%,$(wildcard extensions/molecule/*/molecule.yml)))
molecule: venv collection
	@start=$$SECONDS
	cd "$(ROOT)"
	if [ "$(MOLECULE_ARGS)" != "--all" ]; then
	    $(VENV)/bin/molecule test $(MOLECULE_ARGS)
	else
	    mkdir -p build
	    po=$$(for s in $(filter-out sp_%,$(MOLECULE_SCENARIOS)); do printf -- '-s %s ' "$$s"; done)
	    sp=$$(for s in $(filter sp_%,$(MOLECULE_SCENARIOS)); do printf -- '-s %s ' "$$s"; done)
	    $(VENV)/bin/molecule test $$po > build/molecule-power-operation.log 2>&1 & po_pid=$$!
	    $(VENV)/bin/molecule test $$sp > build/molecule-system-platform.log 2>&1 & sp_pid=$$!
	    po_rc=0; wait $$po_pid || po_rc=$$?
	    sp_rc=0; wait $$sp_pid || sp_rc=$$?
	    cat build/molecule-power-operation.log build/molecule-system-platform.log
	    echo "== molecule: Power Operation scenarios rc=$$po_rc, System Platform scenarios rc=$$sp_rc"
	    [ $$po_rc -eq 0 ] && [ $$sp_rc -eq 0 ]
	fi
	echo "== molecule passed in $$((SECONDS - start))s"

# The support matrix.  Newest leg: everything above, in .venv (the newest ansible-core on the
# newest Python here).  Old-core leg (this target): the oldest ansible-core meta/runtime.yml
# claims, on Python 3.11, in a second virtualenv built from requirements/dev-py311.txt by the
# venv rule; a lean, representative subset: the unit tests, the release test (build, install,
# ansible-doc of every plugin and role, the demo play from the installed copy), the winrm
# connection and host_info against the twin, and the whole redundant update with its rerun.
OLD_CORE_VENV := $(ROOT)/.venv-py311
MATRIX_TESTS := tests/unit tests/integration/test_release.py tests/integration/test_ansible_winrm_connection.py \
	tests/integration/test_host_info.py tests/integration/test_redundant_update.py
matrix: collection
	@start=$$SECONDS
	py311=$$(tools/find_python --only 3.11)
	$(MAKE) --no-print-directory venv VENV="$(OLD_CORE_VENV)" PYTHON="$$py311"
	core=$$($(OLD_CORE_VENV)/bin/python tools/check_old_core.py)
	$(OLD_CORE_VENV)/bin/python -m pytest $(MATRIX_TESTS) -n $(PYTEST_WORKERS) $(PYTEST_ARGS)
	echo "== matrix: ansible-core $$core on Python 3.11 passed in $$((SECONDS - start))s"

# AWX as code (awx/configure.yml, run against an AWX server from a workstation; awx/README.md).
# awx.awx, pinned in requirements/awx.yml, comes from Galaxy or, when Galaxy cannot be reached,
# from the PyPI package that carries the same release (tools/install_awx_collection.py).  Then
# the syntax check, ansible-lint, and tests/awx (each awx.awx task's options against the
# module's documentation, the workflow and credential type against the roles).
AWX_COLLECTIONS := $(ROOT)/build/awx-collections
AWX_PLAYBOOKS := awx/configure.yml awx/site-project/redundant_update.yml
awx-check: venv collection
	@start=$$SECONDS
	$(VPY) tools/install_awx_collection.py "$(AWX_COLLECTIONS)" $(PIP_QUIET)
	export ANSIBLE_COLLECTIONS_PATH="$(COLLECTIONS_DIR):$(AWX_COLLECTIONS)"
	for playbook in $(AWX_PLAYBOOKS); do
	    $(VENV)/bin/ansible-playbook --syntax-check "$$playbook" 2>&1 | { grep -v -e 'No inventory was parsed' -e 'provided hosts list is empty' || true; }
	done
	$(VENV)/bin/ansible-lint --config-file .ansible-lint --offline awx
	$(VPY) -m pytest tests/awx $(PYTEST_ARGS)
	echo "== awx-check passed in $$((SECONDS - start))s"

# The collection's docs as the Ansible documentation site and Automation Hub render them:
# the plugins' and roles' documentation markup, and docs/docsite/ (extra-docs.yml, links.yml,
# the rst guides). antsibull-docs calls ansible-doc, so the virtualenv's bin comes first.
docs-lint: venv collection
	@start=$$SECONDS
	cd "$(COLLECTION_LINK)"
	PATH="$(VENV)/bin:$$PATH" $(VENV)/bin/antsibull-docs lint-collection-docs --plugin-docs .
	echo "== docs-lint passed in $$((SECONDS - start))s"

changelog-lint: venv
	@start=$$SECONDS
	$(VENV)/bin/antsibull-changelog lint
	echo "== changelog-lint passed in $$((SECONDS - start))s"

ps1-check: venv
	@start=$$SECONDS
	$(VPY) tools/check_ps1.py $(PS1_PATHS)
	echo "== ps1-check passed in $$((SECONDS - start))s"

# C# 5 (-langversion:5) is what csc.exe of .NET Framework 4.x accepts on the GR node.
grhelper-check: deps
	@start=$$SECONDS
	mkdir -p "$(GRHELPER_OUT)"
	mcs -nologo -langversion:5 -warnaserror -target:library \
	    -out:"$(GRHELPER_OUT)/ArchestrA.GRAccess.dll" $(GRSTUB_SRC)
	mcs -nologo -langversion:5 -warnaserror -platform:x86 -target:exe \
	    -r:"$(GRHELPER_OUT)/ArchestrA.GRAccess.dll" -r:System.Web.Extensions \
	    -out:"$(GRHELPER_OUT)/GRHelper.exe" $(GRHELPER_SRC)
	echo "== grhelper-check passed in $$((SECONDS - start))s"

lint: venv collection
	@start=$$SECONDS
	if [ -z "$(LINT_PATHS)" ]; then
	    echo "lint: no roles/ or playbooks/ yet, nothing to lint"
	else
	    $(VENV)/bin/ansible-lint --config-file .ansible-lint --offline $(LINT_PATHS)
	fi
	echo "== lint passed in $$((SECONDS - start))s"

# ansible-test runs from ansible_collections/scada/redundancy over exactly what the collection
# ships: the tarball `ansible-galaxy collection build` makes (build_ignore applied), extracted
# in a temporary directory that is its own git repository.  No Docker: each sanity test gets
# a virtualenv under ~/.ansible/test/venv, bootstrapped by tools/get_pip_standin.py.
sanity: venv
	@start=$$SECONDS
	$(VPY) tools/install_get_pip_standin.py
	tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/scada-sanity.XXXXXX")
	if [ -z "$(KEEP_SANITY_TREE)" ]; then trap 'rm -rf "$$tmp"' EXIT; else echo "sanity: tree kept in $$tmp"; fi
	$(VENV)/bin/ansible-galaxy collection build --force --output-path "$$tmp/dist" .
	dest="$$tmp/ansible_collections/scada/redundancy"
	mkdir -p "$$dest"
	tar -xzf "$$tmp"/dist/scada-redundancy-*.tar.gz -C "$$dest"
	if [ ! -d "$$dest/tests/sanity" ]; then mkdir -p "$$dest/tests"; cp -r tests/sanity "$$dest/tests/"; fi
	cd "$$dest"
	git init -q .
	git add -A
	env -u ANSIBLE_COLLECTIONS_PATH PATH="$(VENV)/bin:$$PATH" \
	    $(VENV)/bin/ansible-test sanity --python $(PY_VERSION) --requirements --color no $(SANITY_ARGS)
	echo "== sanity passed in $$((SECONDS - start))s"

# The agent's conformance suite (tests/integration/targets, docs/windows-lab.md) against the
# Windows hosts of INVENTORY, an ansible-test inventory.winrm file; TARGETS picks targets or
# alias groups (default: the Windows-only verbs). The collection is built and unpacked into a
# temporary tree, as ansible-test runs from ansible_collections/<namespace>/<name>.
CONFORMANCE_TARGETS ?= scada/conformance/windows/
conformance: venv
	@test -n "$(INVENTORY)" || { echo "conformance: give INVENTORY=<path of an inventory.winrm file>" >&2; exit 2; }
	inventory=$$(realpath "$(INVENTORY)")
	tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/scada-conformance.XXXXXX")
	trap 'rm -rf "$$tmp"' EXIT
	$(VENV)/bin/ansible-galaxy collection build --force --output-path "$$tmp/dist" . >/dev/null
	dest="$$tmp/ansible_collections/scada/redundancy"
	mkdir -p "$$dest/tests/integration"
	tar -xzf "$$tmp"/dist/scada-redundancy-*.tar.gz -C "$$dest"
	cp -r tests/integration/targets "$$dest/tests/integration/"
	cd "$$dest"
	env -u ANSIBLE_COLLECTIONS_PATH ANSIBLE_COLLECTIONS_PATH="$$tmp" \
	    $(VENV)/bin/ansible-test windows-integration --local --color no --inventory "$$inventory" \
	    $(if $(TARGETS),$(TARGETS),$(CONFORMANCE_TARGETS)) $(CONFORMANCE_ARGS)

demo: venv collection
	@if [ ! -f tools/demo.py ]; then echo "demo: tools/demo.py is not written yet" >&2; exit 1; fi
	$(VPY) tools/demo.py $(DEMO_ARGS)

# The execution environment's build context (execution-environment.yml): this tree's collection
# tarball, then `ansible-builder create`. Building the image needs podman or docker:
#   podman build -t scada-redundancy-ee build/ee/context
# tests/unit/test_execution_environment.py checks the same steps in `make test`.
EE_DIR := $(ROOT)/build/ee
ee-context: venv
	@rm -rf "$(EE_DIR)"
	$(VENV)/bin/ansible-galaxy collection build --output-path "$(EE_DIR)/dist" .
	cp "$(EE_DIR)"/dist/scada-redundancy-*.tar.gz "$(EE_DIR)/scada-redundancy.tar.gz"
	$(VENV)/bin/ansible-builder create -f execution-environment.yml -c "$(EE_DIR)/context" --output-filename Containerfile
	echo "ee-context: build the image with: podman build -t scada-redundancy-ee $(EE_DIR)/context"

# Benchmarks (tools/bench/, docs/performance.md): not part of `make test`, which runs the
# smoke version through tests/integration/test_bench_smoke.py.
bench: venv collection
	$(VPY) tools/bench/run.py $(BENCH_ARGS)

bench-smoke: venv collection
	$(VPY) tools/bench/run.py --smoke --out build/bench-smoke

# Re-resolve the pins: newest 3.13/3.12 for dev.txt, a 3.11 for dev-py311.txt.
requirements:
	@py3=$$(tools/find_python)
	case "$$("$$py3" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" in
	    3.11) echo "requirements: no Python >= 3.12 found for requirements/dev.txt" >&2; exit 1;;
	esac
	tools/refresh_requirements.sh "$$py3" requirements/dev.in requirements/dev.txt
	py311=$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.11.*/bin/python3.11 2>/dev/null | sort -V | tail -n1)
	py311=$${py311:-$$(command -v python3.11)}
	tools/refresh_requirements.sh "$$py311" requirements/dev-py311.in requirements/dev-py311.txt

clean:
	rm -rf build tests/output .pytest_cache .hypothesis .ansible changelogs/.plugin-cache.yaml scada-redundancy-*.tar.gz
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf "$(VENV)"
