# qsh: build, test, bench, install.
#   make            optimised, statically linked binary at .build/release/qsh
#   make demo       build, then run examples/bell.qasm as a task
#   make test       build and run every test (Swift Testing)
#   make bench      parser and simulator benchmarks against the peers (see README)
#   make install    PREFIX=/usr/local: bin/qsh and share/man/man1/qsh.1
#   make clean

PREFIX ?= /usr/local
SWIFT ?= swift
ARCH := $(shell uname -m)
# On x86_64 hosts with AVX2, the release build uses 256-bit AVX2 and FMA for the
# simulator's SIMD code; elsewhere it builds portable code. SIMD=portable forces that.
HAS_AVX2 := $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo 2>/dev/null && echo yes)
ifeq ($(SIMD),portable)
SIMD_FLAGS :=
else ifeq ($(ARCH)-$(HAS_AVX2),x86_64-yes)
SIMD_FLAGS := -Xswiftc -target-cpu -Xswiftc haswell -Xcc -march=x86-64-v3
else
SIMD_FLAGS :=
endif
RELEASE_FLAGS := -c release --static-swift-stdlib $(SIMD_FLAGS)
BIN := .build/release/qsh
SHARED ?= ../shared

.PHONY: all release debug test bench install clean conformance demo

all: release

release:
	$(SWIFT) build $(RELEASE_FLAGS) --product qsh

debug:
	$(SWIFT) build --product qsh

# Checks and runs examples/bell.qasm as a task, against a throwaway database in .build/.
demo: release
	rm -f .build/demo.sqlite .build/demo.sqlite-wal .build/demo.sqlite-shm
	$(BIN) qasm check examples/bell.qasm
	QSH_DB=.build/demo.sqlite $(BIN) tasks submit examples/bell.qasm --shots 1000 --seed 7 --wait -o table
	QSH_DB=.build/demo.sqlite $(BIN) tasks list -o table

# End-to-end tests run the debug binary that --build-tests builds alongside them.
test:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-xctest

conformance: release
	python3 $(SHARED)/conformance/check.py --qsh $(BIN) -j 2 $(SHARED)/corpus

# Ratios against Qiskit, Aer, qsim and qulacs in one run; see bench/run.sh for knobs.
bench: release
	QSH_SHARED=$(SHARED) bench/run.sh

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/qsh
	install -m 0644 man/qsh.1 $(DESTDIR)$(PREFIX)/share/man/man1/qsh.1

clean:
	rm -rf .build
