# bpfscope: a thin wrapper around CMake.
#   make          build into build/
#   make demo     build, then run bpfscope on the bundled example programs
#   make test     build, then run every test with ctest
#   make bench    build, then run the benchmarks
#   make install PREFIX=/usr/local
# BUILD=dir picks another build folder; SANITIZE=1 builds with ASan+UBSan,
# TSAN=1 with ThreadSanitizer; TESTS=regex runs only the matching tests.

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

BPFSCOPE = $(BUILD)/bpfscope
EX = $(BUILD)/examples

.PHONY: all deps configure build demo test bench install clean

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

TESTS ?=
test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(if $(TESTS),-R '$(TESTS)')

# Benchmarks that compare with a corpus find it in the development data
# set beside the checkout when there is one.
SHARED ?= $(abspath ../shared)

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
