# The commands a newcomer, a technician's laptop and CI all use.
SWIFT ?= swift

.PHONY: setup build test bench clean

## Install missing system packages (apt) the build needs.
setup:
	@scripts/install-dependencies.sh

build: setup
	$(SWIFT) build

## Install what is missing, build, and run every test.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test

## Benchmarks: figures printed, nothing asserted.
bench: setup
	$(SWIFT) build -c release --product mizan-bench
	.build/release/mizan-bench

clean:
	$(SWIFT) package clean
