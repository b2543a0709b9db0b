# qsh: build, test, bench, install.
#   make            optimised, statically linked binaries at .build/release/qsh and qsh-server
#   make demo       build, then run examples/bell.qasm as a task
#   make test       build and run every test (Swift Testing)
#   make bench      parser and simulator benchmarks against the peers (see README)
#   make install    PREFIX=/usr/local: bin/qsh, bin/qsh-server and share/man/man1/qsh.1
#   make clean

PREFIX ?= /usr/local
SHELL := /bin/bash
SWIFT ?= swift
ARCH := $(shell uname -m)
# The simulator's SIMD width is chosen for the build host (like -march=native):
#   AVX-512 (avx512f/bw/dq/vl): 512-bit vectors, -DQSH_AVX512, tuned for Zen 4 on AMD
#   and Skylake-X elsewhere;
#   AVX2 and FMA: 256-bit vectors (Haswell);
#   otherwise, or with SIMD=portable: 256-bit vectors in portable code.
# SIMD=avx2 forces the AVX2 build on an AVX-512 host. A binary built for AVX-512 or
# AVX2 stops with a clear message on a CPU without it (Sources/qsh/CPUCheck.swift).
CPUFLAGS := $(shell grep -m1 '^flags' /proc/cpuinfo 2>/dev/null)
VENDOR := $(shell grep -m1 '^vendor_id' /proc/cpuinfo 2>/dev/null | awk '{print $$3}')
HAS_AVX2 := $(and $(filter avx2,$(CPUFLAGS)),$(filter fma,$(CPUFLAGS)))
HAS_AVX512 := $(and $(HAS_AVX2),$(filter avx512f,$(CPUFLAGS)),$(filter avx512bw,$(CPUFLAGS)),$(filter avx512dq,$(CPUFLAGS)),$(filter avx512vl,$(CPUFLAGS)))
AVX512_CPU := $(if $(filter AuthenticAMD,$(VENDOR)),znver4,skylake-avx512)
AVX2_FLAGS := -Xswiftc -target-cpu -Xswiftc haswell -Xcc -march=haswell -Xswiftc -DQSH_AVX2
AVX512_FLAGS := -Xswiftc -target-cpu -Xswiftc $(AVX512_CPU) -Xcc -march=$(AVX512_CPU) -Xswiftc -DQSH_AVX512
ifneq ($(ARCH),x86_64)
SIMD_FLAGS :=
else ifeq ($(SIMD),portable)
SIMD_FLAGS :=
else ifeq ($(SIMD),avx2)
SIMD_FLAGS := $(if $(HAS_AVX2),$(AVX2_FLAGS),)
else
SIMD_FLAGS := $(if $(HAS_AVX512),$(AVX512_FLAGS),$(if $(HAS_AVX2),$(AVX2_FLAGS),))
endif
RELEASE_FLAGS := -c release --static-swift-stdlib $(SIMD_FLAGS)
BIN := .build/release/qsh
SHARED ?= ../shared

.PHONY: all release debug test bench bench-server bench-postgres install clean conformance demo

all: release

# qsh-server (`qsh serve`, with Hummingbird) is its own product so that qsh never links it.
release:
	$(SWIFT) build $(RELEASE_FLAGS) --product qsh
	$(SWIFT) build $(RELEASE_FLAGS) --product qsh-server

debug:
	$(SWIFT) build --product qsh

# Checks and runs examples/bell.qasm as a task, against a throwaway database in .build/.
demo: release
	rm -f .build/demo.sqlite .build/demo.sqlite-wal .build/demo.sqlite-shm
	$(BIN) qasm check examples/bell.qasm
	QSH_DB=.build/demo.sqlite $(BIN) tasks submit examples/bell.qasm --shots 1000 --seed 7 --wait -o table
	QSH_DB=.build/demo.sqlite $(BIN) tasks list -o table

# End-to-end tests run the debug binary that --build-tests builds alongside them.
# Everything is tested at the SIMD width the release build uses; on a host where that
# is 512 bits, the simulator's suites run again at 256 bits, the other width qsh ships.
SIM_SUITES := KernelTests|FusionTests|StateVectorQPUTests|SamplerTests|ProductStateTests|SweepsTests
# A failed run repeats its failures (the lines marked ✘) at the end, where a CI log's
# tail shows them. The tests get a throwaway PostgreSQL cluster (scripts/with-postgres)
# for the PostgreSQL store's runs of the contract suite.
RUN_TESTS = set -o pipefail; scripts/with-postgres $(SWIFT) test --skip-build --disable-xctest $(1) 2>&1 | tee $(2) \
	|| { echo "== failed tests"; grep -a '✘' $(2); exit 1; }
test:
	$(SWIFT) build --build-tests $(SIMD_FLAGS)
	@mkdir -p .build
	$(call RUN_TESTS,,.build/test.log)
ifneq ($(findstring QSH_AVX512,$(SIMD_FLAGS)),)
	QSH_SIMULATOR_ONLY=1 $(SWIFT) build --build-tests --scratch-path .build/simd256 $(AVX2_FLAGS)
	export QSH_SIMULATOR_ONLY=1; $(call RUN_TESTS,--scratch-path .build/simd256 --filter '$(SIM_SUITES)',.build/test-simd256.log)
endif

conformance: release
	python3 $(SHARED)/conformance/check.py --qsh $(BIN) -j 2 $(SHARED)/corpus

# Ratios against Qiskit, Aer, qsim and qulacs in one run; see bench/run.sh for knobs.
bench: release
	QSH_SHARED=$(SHARED) bench/run.sh

# The HTTP API alone (also a part of make bench): wrk on GET by id, /health, durable
# submits; a remote tasks get against a local one (bench/server.sh).
bench-server: release
	bench/server.sh

bench-postgres: release
	bench/postgres.sh

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/qsh
	install -m 0755 .build/release/qsh-server $(DESTDIR)$(PREFIX)/bin/qsh-server
	install -m 0644 man/qsh.1 $(DESTDIR)$(PREFIX)/share/man/man1/qsh.1

clean:
	rm -rf .build
