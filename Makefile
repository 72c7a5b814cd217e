# bpfscope: a thin wrapper around CMake.
#   make          build into build/
#   make demo     build, then run bpfscope on the bundled example programs
#   make test     build, then run every test with ctest
#   make bench    build, then run the benchmarks
#   make pictures the README's pictures (docs/img/)
#   make install PREFIX=/usr/local
#   make readme   rewrite the README's example outputs from what they print now
# BUILD=dir picks another build folder; SANITIZE=1 builds with ASan+UBSan,
# TSAN=1 with ThreadSanitizer; TESTS=regex runs only the matching tests.
# BPFS_SHARED_DIR=dir (on the command line or in the environment) points the
# tests and benchmarks at a copy of the development data set; by default
# CMake looks beside the checkout (../shared) and keeps the answer in the
# build folder's cache.
# On a machine with nothing installed, ./setup.sh runs these targets after
# installing what is missing.

BUILD ?= build
SANITIZE ?= 0
PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

ifeq ($(SANITIZE),1)
CMAKE_FLAGS += -DBPFS_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
endif
ifeq ($(TSAN),1)
CMAKE_FLAGS += -DBPFS_TSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
endif
ifdef BPFS_SHARED_DIR
CMAKE_FLAGS += -DBPFS_SHARED_DIR=$(abspath $(BPFS_SHARED_DIR))
endif

BPFSCOPE = $(BUILD)/bpfscope
EX = $(BUILD)/examples

.PHONY: all deps configure build demo test readme pictures bench install clean

all: build

deps:
	@scripts/deps.sh

configure: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The main job on the bundled example corpus: what is in it, the DAG check,
# the verifier on one program with its log, then the whole corpus in batch.
demo: build
	@echo '$$ bpfscope list $(EX)/maps_demo.o'
	@$(BPFSCOPE) list $(EX)/maps_demo.o
	@echo
	@echo '$$ bpfscope check $(EX)/*.o $(EX)/*.s'
	@$(BPFSCOPE) check $(EX)/*.o $(EX)/*.s || true
	@echo
	@echo '$$ bpfscope verify --stats $(EX)/xdp_filter.o'
	@$(BPFSCOPE) verify --stats $(EX)/xdp_filter.o
	@echo
	@echo '$$ bpfscope corpus $(EX)'
	@$(BPFSCOPE) corpus $(EX)

# Ends with the test cases that were skipped and why, and where the
# development data set was looked for.
TESTS ?=
test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(if $(TESTS),-R '$(TESTS)'); rc=$$?; \
		cd $(CURDIR) && scripts/test-summary.sh $(BUILD); exit $$rc

# Runs the README's examples as written (the long campaign included) and
# rewrites the outputs that changed; elided ones are listed, to edit by hand.
readme: build
	@cd $(BUILD) && BPFS_README_UPDATE=1 BPFS_README_FULL=1 ctest -R '^test_readme$$' --output-on-failure; \
		git -C $(CURDIR) diff --stat README.md 2>/dev/null || true

# The README's pictures (docs/img/), from the bundled examples.
pictures: build
	@scripts/make-pictures.sh $(BUILD)

# Benchmarks that compare with a corpus find it in the development data set
# (the build's BPFS_SHARED_DIR).
SHARED = $(shell sed -n 's/^BPFS_SHARED_DIR:[A-Z]*=//p' $(BUILD)/CMakeCache.txt)

bench: build
	@cmake --build $(BUILD) --target benches -j $(JOBS)
	@for b in $(BUILD)/bench/bench_*; do \
		[ -x "$$b" ] || continue; echo "== $$(basename $$b)"; \
		BPFS_SHARED_DIR=$(SHARED) "$$b" || exit 1; echo; \
	done

install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	@rm -rf $(BUILD)
